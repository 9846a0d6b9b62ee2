"""Notices (core.notify): every email rendered from its templates, text and HTML, queued for
the worker only once the transaction that caused it commits, sent through SMTP or GOV.UK
Notify, and logged without addresses or words from the email."""

from __future__ import annotations

import json
import logging
import smtplib
import uuid

import pytest
import requests
from bs4 import BeautifulSoup
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django_tasks import TaskResultStatus

from learninghub.core import crypto
from learninghub.core.notify import Notice, notify, render
from learninghub.core.notify.tasks import NoticeNotSent, connection, send_notice

TEMPLATE = "demo/notices/hello"
TO = ["alex.person@example.org"]
# A name with characters that mean something in HTML: kept as written in the plain text,
# escaped in the HTML.
CONTEXT = {"name": "Alex & <b>Sam</b>", "link": "https://hub.example.org/a?b=1&c=2"}
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
NOTIFY_KEY = f"test_key-{uuid.uuid4()}-{uuid.uuid4()}"
NOTIFY_TEMPLATE_ID = str(uuid.uuid4())


@pytest.fixture(autouse=True)
def notice_templates(tmp_path, settings):
    """A notice of the tests' own, found beside the apps' templates, using the shared layout."""
    folder = tmp_path / "demo" / "notices"
    folder.mkdir(parents=True)
    (folder / "hello.subject.txt").write_text("Hello {{ name }}\nfrom   {{ service_name }}\n")
    (folder / "hello.txt").write_text("Hello {{ name }}.\n\nOpen this link:\n{{ link }}\n")
    (folder / "hello.html").write_text(
        '{% extends "core/notices/layout.html" %}\n'
        '{% from "core/notices/link.html" import link as notice_link %}\n'
        "{% block content %}<p>Hello {{ name }}.</p>"
        "<p>Open this link:<br>{{ notice_link(link) }}</p>{% endblock %}\n"
    )
    (folder / "broken.subject.txt").write_text("Hello {{ nobody }}")
    pages, admin = settings.TEMPLATES
    settings.TEMPLATES = [{**pages, "DIRS": [tmp_path]}, admin]


def test_a_notice_is_rendered_from_its_three_templates():
    notice = render(template=TEMPLATE, context=CONTEXT, to=TO)

    # The subject comes from its own template, on one line whatever the template's layout.
    assert notice.subject == "Hello Alex & <b>Sam</b> from Safeguarding Learning Hub"
    assert notice.text == (
        "Hello Alex & <b>Sam</b>.\n\nOpen this link:\nhttps://hub.example.org/a?b=1&c=2"
    )
    soup = BeautifulSoup(notice.html, "html.parser")
    assert soup.html["lang"] == "en"
    assert soup.title.get_text() == notice.subject
    assert not soup.find("img")
    assert not soup.find("b"), "a value is escaped in the HTML, never taken as markup"
    assert "Hello Alex & <b>Sam</b>." in soup.get_text()
    assert soup.find("a", href=CONTEXT["link"]).get_text() == CONTEXT["link"]
    assert "font-size: 19px" in notice.html


def test_a_missing_value_fails_the_render_rather_than_sending_a_blank():
    with pytest.raises(Exception, match="nobody"):
        render(template="demo/notices/broken", context={}, to=TO)


def test_the_email_has_the_text_body_and_the_html_alternative(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notice = notify(to=TO, template=TEMPLATE, context=CONTEXT)

    (message,) = mail.outbox
    assert message.to == TO
    assert message.subject == notice.subject
    assert message.body == notice.text
    assert message.alternatives[0].content == notice.html
    assert message.alternatives[0].mimetype == "text/html"
    assert message.from_email == "no-reply@learninghub.example"


def test_nothing_is_sent_when_the_transaction_rolls_back(db, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(to=TO, template=TEMPLATE, context=CONTEXT)
        raise RuntimeError("the write failed after the notice")
    assert mail.outbox == []


def test_the_notice_waits_for_the_commit_and_goes_through_the_worker(
    db, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY_TASKS
    backend = send_notice.get_backend()
    with django_capture_on_commit_callbacks(execute=True):
        notify(to=TO, template=TEMPLATE, context=CONTEXT)
        assert backend.results == [], "nothing is queued before the commit"

    (queued,) = backend.results
    assert queued.task.name == "send_notice"
    assert queued.status == TaskResultStatus.READY
    assert mail.outbox == [], "the worker sends it, not the request"
    # The task table keeps a task's arguments: the address and the link are not in clear.
    (payload,) = queued.args
    assert "alex.person" not in payload
    assert "hub.example.org" not in payload
    assert Notice.from_json(crypto.decrypt(payload)).to == TO

    send_notice.call(payload)  # what the worker does
    (message,) = mail.outbox
    assert message.subject == "Hello Alex & <b>Sam</b> from Safeguarding Learning Hub"


def test_each_queue_and_send_is_logged_without_addresses_or_words(
    db, caplog, django_capture_on_commit_callbacks
):
    with (
        caplog.at_level(logging.INFO, logger="learninghub.notify"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notify(to=[*TO, "sam@example.org"], template=TEMPLATE, context=CONTEXT, reference="r-7")

    # Both lines, in either order: the tests' immediate backend sends before enqueue returns.
    lines = {r.getMessage() for r in caplog.records if r.name == "learninghub.notify"}
    assert lines == {
        "Notice demo/notices/hello queued for 2 recipient(s), reference r-7",
        "Notice demo/notices/hello sent to 2 recipient(s) through smtp, reference r-7",
    }
    assert "example.org" not in caplog.text
    assert "Alex" not in caplog.text


def test_a_failed_send_is_logged_and_fails_the_task_without_the_address(db, caplog, monkeypatch):
    def refuse(self, fail_silently=False):
        raise smtplib.SMTPRecipientsRefused({TO[0]: (550, b"No such user")})

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    payload = crypto.encrypt(render(template=TEMPLATE, context=CONTEXT, to=TO).to_json())

    with (
        caplog.at_level(logging.INFO, logger="learninghub.notify"),
        pytest.raises(NoticeNotSent) as failure,
    ):
        send_notice.call(payload)

    assert "SMTPRecipientsRefused" in str(failure.value)
    assert failure.value.__suppress_context__
    assert TO[0] not in str(failure.value)
    assert TO[0] not in caplog.text
    assert "Notice demo/notices/hello to 1 recipient(s) failed" in caplog.text


class FakeResponse(requests.Response):
    def __init__(self):
        super().__init__()
        self.status_code = 201
        self._content = json.dumps({"id": str(uuid.uuid4())}).encode()


def test_the_govuk_notify_backend_sends_subject_and_body_to_the_plain_template(
    db, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.NOTIFY_BACKEND = "govuk_notify"
    settings.GOVUK_NOTIFY_API_KEY = NOTIFY_KEY
    settings.GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID = NOTIFY_TEMPLATE_ID
    calls = []

    def request(session, method, url, **kwargs):
        calls.append((method, url, json.loads(kwargs["data"]), kwargs["headers"]))
        return FakeResponse()

    # The HTTP boundary: nothing leaves the machine.
    monkeypatch.setattr(requests.Session, "request", request)
    with django_capture_on_commit_callbacks(execute=True):
        notice = notify(to=TO, template=TEMPLATE, context=CONTEXT)

    (call,) = calls
    method, url, data, headers = call
    assert method == "POST"
    assert url == "https://api.notifications.service.gov.uk/v2/notifications/email"
    assert headers["Authorization"].startswith("Bearer ")
    assert data == {
        "email_address": TO[0],
        "template_id": NOTIFY_TEMPLATE_ID,
        "personalisation": {"subject": notice.subject, "body": notice.text},
    }
    assert mail.outbox == [], "not through SMTP as well"


def test_an_unknown_backend_is_refused(settings):
    settings.NOTIFY_BACKEND = "carrier_pigeon"
    with pytest.raises(ImproperlyConfigured, match="NOTIFY_BACKEND"):
        connection()


def test_a_notice_needs_a_recipient():
    with pytest.raises(ValueError, match="recipient"):
        notify(to=[], template=TEMPLATE, context=CONTEXT)
