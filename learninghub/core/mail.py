"""Email from the service. Sent only once the transaction that caused it has committed, so
a rolled-back write never emails anyone."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction


def send_after_commit(*, subject: str, body: str, to: list[str]) -> None:
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, list(to)))


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path
