"""Notices: every email the service sends, through one function.

`notify(to=..., template=..., context=...)` renders three templates found in the apps'
`jinja2/` folders: `<template>.subject.txt`, `<template>.txt` (the plain-text body) and
`<template>.html` (the same words, extending `core/notices/layout.html`). It renders them at
once, while the write that caused the notice is still in its transaction, and queues the
finished text for the background worker (`tasks.send_notice`) once that transaction commits:

- a rolled-back write never emails anyone, and a template error fails the write rather than
  a task nobody watches;
- the queued task carries only finished text (no model objects, nothing to look up again),
  encrypted, because the task table keeps it after the send and its links act as passwords;
- a slow or broken mail relay never holds a page or the write that caused the notice.

Jinja2, the pages' own engine, renders them: one template language in the project, the same
filters (`govuk_date`), and templates found the same way (`<app>/jinja2/<app>/notices/`).
The plain-text parts are rendered without HTML escaping (an `&` in a partnership's name stays
an `&`), the HTML part with it; both refuse an undefined variable, so a notice never goes out
with a blank where a link or a date should be.

Where it goes depends on the NOTIFY_BACKEND setting: "smtp" (Django's EMAIL_BACKEND: the SMTP
relay in production) or "govuk_notify" (GOV.UK Notify, see tasks.py).
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import asdict, dataclass
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django.template import engines
from jinja2 import Environment, StrictUndefined

logger = logging.getLogger("learninghub.notify")

LAYOUT = "core/notices/layout.html"


@dataclass(frozen=True)
class Notice:
    template: str
    to: list[str]
    subject: str
    text: str
    html: str
    reference: str

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, value: str) -> Notice:
        return cls(**json.loads(value))


def absolute_url(path: str) -> str:
    """A link for an email: the service's own address (SITE_URL) and the path."""
    return settings.SITE_URL.rstrip("/") + path


@lru_cache(maxsize=4)
def _environments(pages: Environment) -> tuple[Environment, Environment]:
    # Overlays share the pages' loader, filters and globals; each compiles its own templates
    # (a fresh cache), so the text parts are never served a template compiled to escape HTML.
    text = pages.overlay(autoescape=False, undefined=StrictUndefined, cache_size=100)
    html = pages.overlay(autoescape=True, undefined=StrictUndefined, cache_size=100)
    return text, html


def render(*, template: str, context: dict, to: list[str], reference: str = "") -> Notice:
    """The notice as it will be sent: subject on one line, plain text and HTML."""
    text_env, html_env = _environments(engines["jinja2"].env)
    context = {"service_name": settings.SERVICE_NAME, **context}
    subject = text_env.get_template(f"{template}.subject.txt").render(context)
    # One line: a line break in a subject would end the email's header.
    subject = " ".join(subject.split())
    text = text_env.get_template(f"{template}.txt").render(context).strip()
    html = html_env.get_template(f"{template}.html").render({**context, "subject": subject})
    return Notice(
        template=template,
        to=list(to),
        subject=subject,
        text=text,
        html=html,
        reference=reference or uuid.uuid4().hex[:12],
    )


def notify(*, to: list[str], template: str, context: dict, reference: str = "") -> Notice:
    """Email `to` the notice `template` rendered with `context`, once the current transaction
    commits (at once outside one), through the background worker.

    `reference` appears in the log beside the template name (never an address, a name or
    anything from the body); a random one is made when none is given.
    """
    from . import tasks

    if not to:
        raise ValueError("A notice needs at least one recipient")
    notice = render(template=template, context=context, to=to, reference=reference)
    transaction.on_commit(lambda: tasks.queue(notice))
    return notice
