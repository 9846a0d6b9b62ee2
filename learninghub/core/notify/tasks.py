"""The worker's half of notices: send one rendered notice, and log it.

GOV.UK Notify (NOTIFY_BACKEND="govuk_notify") goes through django-gov-notify's email
backend and one Notify email template whose subject is ((subject)) and whose message is
((body)) (GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID): Notify sends the plain-text part, formatted
by Notify's own layout; the HTML part is for SMTP.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives, get_connection
from django_tasks import task

from learninghub.core import crypto

from . import Notice

logger = logging.getLogger("learninghub.notify")

BACKENDS = {
    # Django's EMAIL_BACKEND: the SMTP relay in production, the console in development.
    "smtp": None,
    "govuk_notify": "django_gov_notify.backends.NotifyEmailBackend",
}


def connection():
    backend = settings.NOTIFY_BACKEND
    if backend not in BACKENDS:
        raise ImproperlyConfigured(
            f"NOTIFY_BACKEND is {backend!r}: it must be one of {', '.join(sorted(BACKENDS))}"
        )
    return get_connection(BACKENDS[backend])


def queue(notice: Notice) -> None:
    # Encrypted: the task table keeps its arguments after the send, and is listed in the
    # admin; a reset or confirmation link in clear there would let its reader use it.
    send_notice.enqueue(crypto.encrypt(notice.to_json()))
    logger.info(
        "Notice %s queued for %d recipient(s), reference %s",
        notice.template,
        len(notice.to),
        notice.reference,
    )


class NoticeNotSent(Exception):
    pass


@task()
def send_notice(payload: str) -> None:
    """Returns nothing: a task's return value is stored with its result."""
    notice = Notice.from_json(crypto.decrypt(payload))
    message = EmailMultiAlternatives(
        subject=notice.subject,
        body=notice.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=notice.to,
        connection=connection(),
    )
    message.attach_alternative(notice.html, "text/html")
    try:
        message.send()
    except Exception as exc:
        # The exception's own text can name the recipients (a refused address), and the
        # worker keeps a failed task's traceback in the task table: only its type goes on.
        failure = (
            f"Notice {notice.template} to {len(notice.to)} recipient(s) failed "
            f"({type(exc).__name__}), reference {notice.reference}"
        )
        logger.error(failure)
        raise NoticeNotSent(failure) from None
    logger.info(
        "Notice %s sent to %d recipient(s) through %s, reference %s",
        notice.template,
        len(notice.to),
        settings.NOTIFY_BACKEND,
        notice.reference,
    )
