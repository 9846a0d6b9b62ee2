"""The deadline reminder is a notice (core.notify): subject, plain text and an HTML part with
the same words, the case's reference and pseudonym, and never who the child is."""

from __future__ import annotations

from datetime import date

from bs4 import BeautifulSoup
from django.core import mail

from learninghub.reviews.tasks import send_reminders

from .test_dashboard_views import IDENTIFIERS, notify, set_identifiers

AWARE = date(2025, 6, 2)  # the notification is due Monday 9 June 2025
THREE_BEFORE = date(2025, 6, 4)


def test_the_reminder_has_an_html_part_with_the_same_words_and_no_identifiers(
    world, django_capture_on_commit_callbacks
):
    case = notify(world.partnership, "ND-2025-021", aware=AWARE, pseudonym="Child K")
    set_identifiers(case)

    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(today=THREE_BEFORE) == 1

    (email,) = mail.outbox
    assert email.subject == "Due in 3 working days: Notification to the Panel for ND-2025-021"
    ((html, mimetype),) = email.alternatives
    assert mimetype == "text/html"
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html["lang"] == "en"
    assert soup.title.get_text() == email.subject
    words = " ".join(soup.get_text().split())
    assert (
        "Notification to the Panel for case ND-2025-021 (Child K) is due in 3 working days, "
        "on 9 June 2025." in words
    )
    assert "Rule: 5 working days from becoming aware on 2 June 2025." in words
    (link,) = soup.find_all("a")
    assert link["href"].endswith(f"/reviews/cases/{case.pk}/")
    assert link["href"] in email.body
    for value in IDENTIFIERS.values():
        assert value not in email.subject
        assert value not in email.body
        assert value not in html


def test_the_reminder_is_queued_only_when_its_record_commits(
    world, django_capture_on_commit_callbacks
):
    notify(world.partnership, "ND-2025-022", aware=AWARE)

    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert send_reminders(today=THREE_BEFORE) == 1
    assert mail.outbox == [], "sent by the worker after the commit, not inside the job"
    assert len(queued) == 1
