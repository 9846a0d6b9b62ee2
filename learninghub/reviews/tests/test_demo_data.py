"""The six demo cases: one at each stage, live clocks, and loading twice changes nothing."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from learninghub.core.audit.models import AuditEvent
from learninghub.core.deadlines import selectors as deadline_selectors
from learninghub.partnerships.demo import load_demo_data
from learninghub.partnerships.models import User
from learninghub.reviews import selectors
from learninghub.reviews.demo import REVIEWER_EMAIL, load_review_demo_data
from learninghub.reviews.models import (
    Case,
    CaseIdentifiers,
    Clock,
    Finding,
    InformationRequest,
    Recommendation,
)

# The demo must tell the same story on a Monday, a Saturday, a Sunday, Christmas Day (a Friday
# bank holiday), New Year's Eve (the last day of a month, before a bank holiday) and the summer
# bank holiday Monday: dates count in working days, and a weekend once turned "due soon" into
# "on track".
DAYS = [
    date(2026, 11, 30),
    date(2026, 11, 28),
    date(2026, 11, 29),
    date(2026, 12, 25),
    date(2026, 12, 31),
    date(2026, 8, 31),
]
on_every_day = pytest.mark.parametrize("today", DAYS, indirect=True, ids=str)

# Each case's clocks and what they show, whatever the day.
STORY = {
    # Issue 8: the meeting recorded, the Panel's answer awaited; a review with no reviewer,
    # held without the Panel told; a case recorded in error, with no clocks.
    "Child L": [("Notification to the Panel", "met"), ("Rapid review to the Panel", "met")],
    "Child M": [
        ("Notification to the Panel", "met"),
        ("Publication of the practice review", "on track"),
        ("Rapid review to the Panel", "met"),
    ],
    "Child A (duplicate)": [],
    "Child A": [("Notification to the Panel", "due soon")],
    "Baby B": [
        ("Agency summary", "due soon"),
        ("Agency summary", "met"),
        ("Agency summary", "overdue"),
        ("Notification to the Panel", "met"),
        ("Rapid review to the Panel", "due soon"),
    ],
    "Child C": [
        # Issue 8: a forward plan, a released hold and a revised (late) publication date.
        ("Final report to the Panel and Secretary of State", "on track"),
        ("Notification to the Panel", "met"),
        ("Publication of the practice review", "on track"),
        ("Rapid review to the Panel", "met"),
    ],
    "Child D": [
        ("Notification to the Panel", "met"),
        ("Publication of the practice review", "on track"),
        ("Rapid review to the Panel", "met"),
    ],
    "Child E": [
        ("Final report to the Panel and Secretary of State", "met"),
        ("Notification to the Panel", "met"),
        ("Publication of the practice review", "met"),
        ("Rapid review to the Panel", "met"),
    ],
    "Child F": [("Notification to the Panel", "met"), ("Rapid review to the Panel", "met")],
    # Cases that began with the notification (issue 8).
    "Child G and Child H": [("Notification to the Panel", "due soon")],
    "Child J": [("Death of a looked-after child to Ofsted and the Secretary of State", "due soon")],
    "Child K": [
        ("Death of a care leaver to Ofsted and the Secretary of State", "on track"),
        ("Notification to the Panel", "met"),
        ("Rapid review to the Panel", "on track"),
    ],
}


@pytest.fixture
def today(request):
    """Time stands still for the test (loading the demo and reading its clocks must not
    straddle midnight): on the parametrized day, or else on the session's today."""
    day = getattr(request, "param", None) or timezone.localdate()
    moment = datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo("Europe/London"))
    with time_machine.travel(moment, tick=False):
        yield day


@pytest.fixture
def demo(db, today):
    load_demo_data()
    created = load_review_demo_data()
    return {
        str(int(case.reference[-3:])): case for case in Case.objects.filter(reference__in=created)
    }


def counts():
    return (
        Case.objects.count(),
        Clock.objects.count(),
        InformationRequest.objects.count(),
        Finding.objects.count(),
        Recommendation.objects.count(),
        AuditEvent.objects.count(),
    )


def test_nine_cases_in_the_demo_partnership(demo):
    assert sorted(c.reference for c in demo.values()) == [
        f"NDSCP-2025-{n:03d}" for n in range(1, 13)
    ]
    assert {c.partnership.short_name for c in demo.values()} == {"NDSCP"}
    assert [demo[str(n)].pseudonym for n in range(1, 7)] == [
        "Child A",
        "Baby B",
        "Child C",
        "Child D",
        "Child E",
        "Child F",
    ]
    assert [demo[str(n)].pseudonym for n in range(7, 10)] == [
        "Child G and Child H",
        "Child J",
        "Child K",
    ]
    assert [demo[str(n)].pseudonym for n in range(10, 13)] == [
        "Child L",
        "Child M",
        "Child A (duplicate)",
    ]


def test_loading_twice_changes_nothing(demo):
    before = counts()
    assert load_review_demo_data() == []
    assert counts() == before


def test_the_seed_command_loads_the_cases_too(db):
    call_command("seed_demo", stdout=io.StringIO())
    before = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert Case.objects.count() == 12
    assert counts() == before


def test_identifiers_are_clearly_fictional(demo):
    names = sorted(CaseIdentifiers.objects.values_list("child_name", flat=True))
    assert "Demo Child Five" in names
    assert "Demo Child Seven Sibling" in names
    assert all(name.startswith("Demo Child ") for name in names)


@on_every_day
def test_a_fresh_notification_is_due_soon(demo):
    case = demo["1"]
    assert case.notification.sent_to_panel_on is None
    (clock,) = case.clocks.all()
    assert selectors.clock_status(clock) == "due soon"


@on_every_day
def test_a_rapid_review_with_summaries_returned_outstanding_and_overdue(demo):
    case = demo["2"]
    requests = InformationRequest.objects.filter(rapid_review__case=case)
    assert requests.count() == 4
    assert all(r.details for r in requests)  # what is asked
    today = timezone.localdate()
    withdrawn = requests.filter(withdrawn_on__isnull=False)
    assert [r.agency.name for r in withdrawn] == ["Northdale Council Children's Social Care"]
    live = requests.filter(withdrawn_on__isnull=True)
    # Returned by the police's own agency lead, who uploaded the summary.
    (returned,) = live.filter(returned_on__isnull=False)
    assert returned.agency.name == "Northdale and District Police"
    assert (
        returned.documents.get().latest.uploaded_by.email == "agency.lead@demo.learninghub.example"
    )
    assert live.filter(returned_on__isnull=True, due_on__lt=today).count() == 1
    assert live.filter(returned_on__isnull=True, due_on__gte=today).count() == 1
    rapid = case.clocks.get(kind="rapid_review")
    assert rapid.done_on is None and rapid.due_date >= today


def test_a_local_review_just_started_with_the_demo_reviewer(demo):
    case = demo["3"]
    assert case.rapid_review.decision == "local_review"
    assert case.rapid_review.panel_response == "agrees"
    review = case.practice_review
    assert review.kind == "local"
    assert review.methodology == "silp"
    assert review.independent_reviewer.email == REVIEWER_EMAIL
    # The one review the demo reviewer was commissioned for.
    reviewer = review.independent_reviewer
    assert list(selectors.reviews_for_reviewer(user=reviewer)) == [review]
    publication = case.clocks.get(kind="publication")
    assert selectors.clock_status(publication) == "on track"


def test_a_review_on_hold_for_criminal_proceedings(demo):
    review = demo["4"].practice_review
    assert review.on_hold
    assert review.hold_reason == "Awaiting the outcome of a criminal trial"
    assert review.hold_panel_told_on is not None
    assert demo["4"].clocks.get(kind="publication").suspended


def test_a_published_review_with_findings_and_recommendations(demo):
    case = demo["5"]
    review = case.practice_review
    assert review.published_on is not None
    assert case.findings.count() == 4
    assert case.recommendations.count() == 4
    # One finding was saved despite the anonymity check (a public phone number), with a reason.
    override = AuditEvent.objects.get(action="core.anonymity.override")
    assert override.changes["anonymity_kinds"] == [None, "phone_number"]
    assert "public number" in override.changes["anonymity_override_reason"][1]
    assert all(r.themes.exists() for r in case.recommendations.all())
    addressed = {a.name for r in case.recommendations.all() for a in r.agencies.all()}
    assert "Northdale and District Police" in addressed
    assert {c.kind: selectors.clock_status(c) for c in case.clocks.all()}["publication"] == "met"


def test_the_demo_agency_lead_sees_the_polices_recommendations(demo):
    lead = User.objects.get(email="agency.lead@demo.learninghub.example")
    texts = list(
        selectors.recommendations_for_agency_lead(user=lead).values_list("text", flat=True)
    )
    assert len(texts) == 2
    assert all("police" in t.lower() for t in texts)


def test_a_referral_for_a_national_review(demo):
    rapid = demo["6"].rapid_review
    assert rapid.decision == "national_referral"
    assert rapid.panel_response == "national_review"
    assert rapid.sent_to_panel_on is not None


@on_every_day
def test_the_demo_shows_live_clocks(demo):
    business_unit = User.objects.get(email="business.unit@demo.learninghub.example")
    attention = deadline_selectors.needs_attention(user=business_unit)
    assert attention.overdue >= 1
    assert attention.due_soon >= 2
    assert len(attention.on_hold) == 2  # Child D, and Child M (issue 8)


@on_every_day
def test_the_demo_tells_the_same_story_on_any_day(demo, today):
    story = {
        case.pseudonym: sorted(
            (clock.get_kind_display(), str(selectors.clock_status(clock)))
            for clock in case.clocks.all()
        )
        for case in Case.objects.order_by("reference").prefetch_related("clocks")
    }
    assert story == STORY
    business_unit = User.objects.get(email="business.unit@demo.learninghub.example")
    attention = deadline_selectors.needs_attention(user=business_unit)
    # Issue 8's work waiting: Child D's and Child M's reviewers to appoint, Child L's Panel
    # response, Child M's hold to tell the Panel about, Child C's overdue milestone.
    assert (attention.overdue, attention.due_soon, attention.total) == (6, 5, 15)
    assert timezone.localdate() == today


def test_every_write_is_the_demo_data_job(demo):
    """Except what must name a person: the published report's upload and the revised
    publication date, which name the business unit's demo manager."""
    events = AuditEvent.objects.filter(action__startswith="reviews.")
    manager = "business.unit@demo.learninghub.example"
    lead = "agency.lead@demo.learninghub.example"
    reviewer = "reviewer@demo.learninghub.example"
    labels = set(events.values_list("actor_label", flat=True))
    assert labels == {"system: demo data", manager, lead, reviewer}
    by_manager = events.filter(actor_label=manager)
    assert {e.summary.split(" ")[0] for e in by_manager} <= {"Uploaded", "Revised", "Changed"}
    # The published report and the rapid review record shared with the reviewer.
    assert by_manager.count() == 4
    # The agency lead's upload of their summary (the upload, and the request returned).
    assert events.filter(actor_label=lead).count() == 2
    assert events.filter(actor_label=reviewer).count() == 1  # the reviewer's first draft
