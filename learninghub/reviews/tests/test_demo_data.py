"""The six demo cases: one at each stage, live clocks, and loading twice changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from learninghub.core.audit.models import AuditEvent
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


@pytest.fixture
def demo(db):
    load_demo_data()
    created = load_review_demo_data()
    return {case.reference[-1]: case for case in Case.objects.filter(reference__in=created)}


def counts():
    return (
        Case.objects.count(),
        Clock.objects.count(),
        InformationRequest.objects.count(),
        Finding.objects.count(),
        Recommendation.objects.count(),
        AuditEvent.objects.count(),
    )


def test_six_cases_in_the_demo_partnership(demo):
    assert sorted(c.reference for c in demo.values()) == [f"NDSCP-2025-00{n}" for n in range(1, 7)]
    assert {c.partnership.short_name for c in demo.values()} == {"NDSCP"}
    assert [demo[str(n)].pseudonym for n in range(1, 7)] == [
        "Child A",
        "Baby B",
        "Child C",
        "Child D",
        "Child E",
        "Child F",
    ]


def test_loading_twice_changes_nothing(demo):
    before = counts()
    assert load_review_demo_data() == []
    assert counts() == before


def test_the_seed_command_loads_the_cases_too(db):
    call_command("seed_demo", stdout=io.StringIO())
    before = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert Case.objects.count() == 6
    assert counts() == before


def test_identifiers_are_clearly_fictional(demo):
    names = sorted(CaseIdentifiers.objects.values_list("child_name", flat=True))
    assert names[0] == "Demo Child Five"
    assert all(name.startswith("Demo Child ") for name in names)


def test_a_fresh_notification_is_due_soon(demo):
    case = demo["1"]
    assert case.notification.sent_to_panel_on is None
    (clock,) = case.clocks.all()
    assert selectors.clock_status(clock) == "due soon"


def test_a_rapid_review_with_summaries_returned_outstanding_and_overdue(demo):
    case = demo["2"]
    requests = InformationRequest.objects.filter(rapid_review__case=case)
    assert requests.count() == 3
    today = timezone.localdate()
    assert requests.filter(returned_on__isnull=False).count() == 1
    assert requests.filter(returned_on__isnull=True, due_on__lt=today).count() == 1
    assert requests.filter(returned_on__isnull=True, due_on__gte=today).count() == 1
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
    assert case.findings.count() == 3
    assert case.recommendations.count() == 4
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


def test_the_demo_shows_live_clocks(demo):
    business_unit = User.objects.get(email="business.unit@demo.learninghub.example")
    attention = selectors.needs_attention_dashboard(user=business_unit)
    assert attention.overdue >= 1
    assert attention.due_soon >= 2
    assert len(attention.suspended) == 1


def test_every_write_is_the_demo_data_job(demo):
    labels = set(
        AuditEvent.objects.filter(action__startswith="reviews.").values_list(
            "actor_label", flat=True
        )
    )
    assert labels == {"system: demo data"}
