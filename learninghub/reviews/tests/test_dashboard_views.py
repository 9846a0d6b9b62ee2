"""The pages across cases: needs attention, the deadline calculator, timeliness, the independent
reviewer's review and an agency lead's recommendations."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from learninghub.core import calendar
from learninghub.core.audit.auditor import Auditor
from learninghub.core.audit.models import AuditEvent
from learninghub.core.files.tests.samples import pdf_bytes
from learninghub.core.taxonomy.models import Theme
from learninghub.core.tests.html import soup, text_of, visible_text
from learninghub.partnerships.tests.conftest import error_summary, page_text
from learninghub.partnerships.tests.factories import AgencyFactory
from learninghub.reviews import services
from learninghub.reviews.forms.dashboards import RULE_CHOICES, financial_year
from learninghub.reviews.models import Case, Clock, ClockKind, PracticeReview
from learninghub.reviews.tests.factories import (
    SYSTEM,
    notified_case,
    open_case,
    reviewed_case,
)

DASHBOARD = reverse("core:needs_attention")
CALCULATOR = reverse("reviews:calculator")
TIMELINESS = reverse("reviews:timeliness")
MY_REVIEWS = reverse("reviews:reviewer_reviews")
RECOMMENDATIONS = reverse("reviews:agency_recommendations")

# Cases here are dated from today() and the pages work out today again: the clock stands still
# so the two agree even across midnight (HUB_TEST_TODAY still chooses the day).
pytestmark = pytest.mark.usefixtures("frozen_clock")

# Details that identify a child: they must never appear outside the identifiers page.
IDENTIFIERS = {
    "child_name": "Zebedee Quillfeather",
    "family_names": "Marigold Quillfeather",
    "date_of_birth": "3 March 2019",
    "address": "14 Larkspur Row, Northdale",
    "school": "Brambleford Primary",
}


def today() -> date:
    return timezone.localdate()


def wd_ago(n: int) -> date:
    return calendar.subtract_working_days(today(), n)


def text(response) -> str:
    """What a person reads: the page without its tags, spaces collapsed."""
    return visible_text(response)


def count(response, name: str) -> str:
    """The number leading the "overdue", "due soon" or "on hold" count."""
    return text_of(soup(response).select_one(f"#count-{name} > span"))


def notify(partnership, reference, *, aware, sent=None, pseudonym="Child A"):
    case = open_case(partnership, reference=reference, pseudonym=pseudonym)
    services.notification_record(
        auditor=SYSTEM,
        case=case,
        incident_date=aware,
        aware_date=aware,
        child_died=False,
        seriously_harmed=True,
        abuse_or_neglect_suspected=True,
        care_status="",
        sent_to_panel_on=sent,
        sent_to_ofsted_on=None,
        sent_to_secretary_of_state_on=None,
        panel_reference="",
    )
    return case


def bulk_clocks(partnership, n: int, *, prefix: str = "BULK", kind=ClockKind.NOTIFICATION, **extra):
    """n cases, each with one open clock: quick to make, for query counts."""
    cases = Case.objects.bulk_create(
        Case(
            partnership=partnership,
            reference=f"{prefix}-{i:04d}",
            pseudonym=f"Child {i}",
        )
        for i in range(n)
    )
    due = today() + timedelta(days=10)
    Clock.objects.bulk_create(
        Clock(
            case=case,
            partnership=partnership,
            kind=kind,
            rule="notification",
            start_date=due - timedelta(days=7),
            due_date=due + timedelta(days=i % 5),
            description="5 working days from becoming aware on a day",
            **extra,
        )
        for i, case in enumerate(cases)
    )
    return cases


def queries_for(client, url) -> int:
    client.get(url)  # the first request of a session may touch it
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def set_identifiers(case):
    services.identifiers_update(auditor=SYSTEM, child=case.children.get(), **IDENTIFIERS)


def assert_no_identifiers(body: str):
    for value in IDENTIFIERS.values():
        assert value not in body


# Needs attention ------------------------------------------------------------------------


class TestNeedsAttention:
    def test_open_clocks_soonest_first_with_rule_status_and_counts(self, world, client_for):
        notify(world.partnership, "ND-1", aware=today(), pseudonym="Child Later")
        notify(world.partnership, "ND-2", aware=wd_ago(10), pseudonym="Child Late")
        notify(world.partnership, "ND-3", aware=wd_ago(3), pseudonym="Child Soon")

        response = client_for("business_unit").get(DASHBOARD)

        assert response.status_code == 200
        body = text(response)
        assert body.index("ND-2") < body.index("ND-3") < body.index("ND-1")
        assert "Child Late" in body and "Child Soon" in body
        assert "Notification to the Panel" in body
        late = Clock.objects.get(case__reference="ND-2")
        assert calendar.format_date(late.due_date) in body
        assert late.description in body
        assert "5 working days from becoming aware on" in body
        assert "Overdue" in body and "Due soon" in body and "On track" in body
        assert count(response, "overdue") == "1"
        assert count(response, "due-soon") == "1"
        case = Case.objects.get(reference="ND-2")
        assert reverse("reviews:case_detail", args=[case.pk]) in response.content.decode()

    def test_agency_summaries_are_named_by_agency(self, world, client_for):
        case = notified_case(world.partnership, agencies=[world.agency])
        services.information_request_create(
            auditor=SYSTEM, case=case, agency=world.agency, requested_on=date(2025, 12, 9)
        )
        body = text(client_for("case_review_group").get(DASHBOARD))
        assert "Agency summary: Northdale Police" in body
        assert "Rapid review to the Panel" in body

    def test_clocks_on_hold_are_listed_apart_with_the_reason(self, world, client_for):
        # The Panel answered, a reviewer appointed and the Panel told of the hold: no work
        # waits (test_work_attention.py), only the held clock.
        case = reviewed_case(world.partnership, reviewer=world.user("independent_reviewer"))
        services.rapid_review_update(
            auditor=SYSTEM, case=case, panel_response="agrees", panel_response_on=date(2026, 1, 5)
        )
        services.practice_review_hold(
            auditor=SYSTEM,
            review=case.practice_review,
            reason="Awaiting the outcome of a criminal trial",
            started_on=date(2026, 1, 20),
            panel_told_on=date(2026, 1, 21),
        )
        response = client_for("business_unit").get(DASHBOARD)
        body = text(response)
        on_hold = body[body.index("On hold Case") :]
        assert "Awaiting the outcome of a criminal trial" in on_hold
        assert "Publication of the practice review" in on_hold
        assert "Nothing needs attention" in body
        assert count(response, "on-hold") == "1"

    def test_nothing_open_shows_the_empty_state(self, world, client_for):
        body = text(client_for("business_unit").get(DASHBOARD))
        assert "Nothing needs attention: no statutory deadline is open on your cases." in body
        assert "On hold Case" not in body

    def test_another_partnerships_clocks_and_identifiers_never_show(self, world, client_for):
        mine = notify(world.partnership, "ND-1", aware=wd_ago(2))
        set_identifiers(mine)
        notify(world.other_partnership, "EAST-1", aware=wd_ago(2))
        body = page_text(client_for("business_unit").get(DASHBOARD))
        assert "ND-1" in body
        assert "EAST-1" not in body
        assert_no_identifiers(body)

    def test_the_calculator_link_is_for_the_business_unit(self, world, client_for):
        assert CALCULATOR in client_for("business_unit").get(DASHBOARD).content.decode()
        assert CALCULATOR not in client_for("case_review_group").get(DASHBOARD).content.decode()

    def test_query_count_does_not_grow_with_clocks(
        self, world, client_for, django_assert_max_num_queries
    ):
        client = client_for("business_unit")
        bulk_clocks(world.partnership, 3, prefix="FEW")
        few = queries_for(client, DASHBOARD)
        bulk_clocks(world.partnership, 57, prefix="MANY")
        bulk_clocks(world.partnership, 5, prefix="HELD", suspended=True, suspended_reason="Trial")
        many = queries_for(client, DASHBOARD)
        assert few == many
        # includes writing the read event, and the four queries of the work waiting
        with django_assert_max_num_queries(17):
            client.get(DASHBOARD)


# Deadline calculator --------------------------------------------------------------------


class TestCalculator:
    def test_no_input_shows_the_form(self, world, client_for):
        response = client_for("business_unit").get(CALCULATOR)
        body = text(response)
        assert response.status_code == 200
        assert "Deadline calculator" in body
        assert "There is a problem" not in body
        assert 'id="result"' not in response.content.decode()
        for _, label in RULE_CHOICES:
            assert label in body

    def test_every_rule_has_a_choice(self):
        assert {code for code, _ in RULE_CHOICES} == set(calendar.RULES)

    @pytest.mark.parametrize(
        ("rule", "start", "due", "described"),
        [
            (
                "notification",
                (24, 12, 2018),
                "Thursday 3 January 2019",
                "5 working days from becoming aware on 24 December 2018",
            ),
            (
                "rapid_review",
                (6, 5, 2025),
                "Wednesday 28 May 2025",
                "15 working days from notification on 6 May 2025",
            ),
            (
                "publication",
                (31, 8, 2018),
                "Thursday 28 February 2019",
                "6 months from the decision on 31 August 2018",
            ),
        ],
    )
    def test_a_start_date_gives_the_due_date_and_its_rule(
        self, world, client_for, rule, start, due, described
    ):
        day, month, year = start
        client = client_for("business_unit")
        events = AuditEvent.objects.count()
        response = client.get(
            CALCULATOR,
            {"rule": rule, "start_day": day, "start_month": month, "start_year": year},
        )
        body = text(response)
        result = body[body.index(due) :]
        assert described in result[:300]
        assert AuditEvent.objects.count() == events  # a calculation: nothing written

    def test_bad_input_is_explained(self, world, client_for):
        response = client_for("business_unit").get(
            CALCULATOR, {"start_day": "31", "start_month": "2", "start_year": "2025"}
        )
        assert response.status_code == 200
        assert "There is a problem" in text(response)
        assert error_summary(response) == [
            ("#rule", "Select the deadline you want to work out"),
            ("#start_day", "The start date must be a real date"),
        ]
        for anchor in ('id="rule"', 'id="start_day"'):  # each error links to its field
            assert anchor in response.content.decode()
        assert 'id="result"' not in response.content.decode()

    def test_an_incomplete_date_is_explained(self, world, client_for):
        response = client_for("business_unit").get(
            CALCULATOR,
            {"rule": "notification", "start_day": "3", "start_month": "", "start_year": "2025"},
        )
        assert error_summary(response) == [
            ("#start_day", "The start date must include a day, month and year")
        ]

    def test_query_count(self, world, client_for, django_assert_max_num_queries):
        client = client_for("business_unit")
        client.get(CALCULATOR)
        with django_assert_max_num_queries(7):
            client.get(
                CALCULATOR,
                {"rule": "notification", "start_day": 1, "start_month": 6, "start_year": 2025},
            )


# Timeliness -----------------------------------------------------------------------------


def june_2025(client):
    return client.get(
        TIMELINESS,
        {
            "date_from_day": 1,
            "date_from_month": 6,
            "date_from_year": 2025,
            "date_to_day": 30,
            "date_to_month": 6,
            "date_to_year": 2025,
        },
    )


class TestTimeliness:
    def test_shares_for_a_known_set_of_notifications(self, world, client_for):
        # Aware Monday 2 June 2025: due Monday 9 June.
        notify(world.partnership, "T-1", aware=date(2025, 6, 2), sent=date(2025, 6, 6))
        notify(world.partnership, "T-2", aware=date(2025, 6, 3), sent=date(2025, 6, 5))
        notify(world.partnership, "T-3", aware=date(2025, 6, 2), sent=date(2025, 6, 20))
        notify(world.other_partnership, "EAST-1", aware=date(2025, 6, 2), sent=date(2025, 6, 30))

        response = june_2025(client_for("case_review_group"))

        body = text(response)
        row = body[body.index("Notifications within 5 working days") :]
        assert row.startswith("Notifications within 5 working days 2 of 3 on time 67%")
        assert "From 1 June 2025 to 30 June 2025" in body
        assert "Practice reviews on hold are not counted: 0" in body

    def test_steps_not_yet_due_are_left_out(self, world, client_for):
        notify(world.partnership, "T-1", aware=wd_ago(1))
        start, end = financial_year(today())
        body = text(client_for("business_unit").get(TIMELINESS))
        assert "Notifications within 5 working days None due in this period" in body
        assert f"From {calendar.format_date(start)} to {calendar.format_date(end)}" in body

    def test_the_default_period_is_the_financial_year(self):
        assert financial_year(date(2026, 3, 31)) == (date(2025, 4, 1), date(2026, 3, 31))
        assert financial_year(date(2026, 4, 1)) == (date(2026, 4, 1), date(2027, 3, 31))

    def test_reviews_on_hold_are_counted_apart(self, world, client_for):
        case = reviewed_case(world.partnership)
        services.practice_review_hold(
            auditor=SYSTEM,
            review=case.practice_review,
            reason="Awaiting the outcome of a criminal trial",
            started_on=date(2026, 1, 20),
            panel_told_on=None,
        )
        response = client_for("business_unit").get(
            TIMELINESS,
            {
                "date_from_day": 1,
                "date_from_month": 1,
                "date_from_year": 2026,
                "date_to_day": 31,
                "date_to_month": 12,
                "date_to_year": 2026,
            },
        )
        body = text(response)
        assert "Practice reviews on hold are not counted: 1" in body
        assert "Practice reviews published within 6 months None due in this period" in body

    def test_bad_periods_are_explained(self, world, client_for):
        response = client_for("business_unit").get(
            TIMELINESS,
            {
                "date_from_day": 1,
                "date_from_month": 6,
                "date_from_year": 2025,
                "date_to_day": 1,
                "date_to_month": 5,
                "date_to_year": 2025,
            },
        )
        assert "There is a problem" in text(response)
        assert error_summary(response) == [
            ("#date_to_day", "The end of the period must be the same as or after the start")
        ]
        assert "Practice reviews on hold are not counted" not in text(response)

        response = client_for("business_unit").get(TIMELINESS, {"date_from_day": "x"})
        assert error_summary(response) == [
            ("#date_from_day", "The start of the period must include a day, month and year"),
            ("#date_to_day", "Enter the end of the period"),
        ]

    def test_query_count_does_not_grow_with_clocks(
        self, world, client_for, django_assert_max_num_queries
    ):
        client = client_for("business_unit")
        bulk_clocks(world.partnership, 3, prefix="FEW")
        few = queries_for(client, TIMELINESS)
        bulk_clocks(world.partnership, 30, prefix="MANY")
        assert queries_for(client, TIMELINESS) == few
        # 8, and the reports published in the period, for the 7-working-day check (issue 8)
        with django_assert_max_num_queries(9):
            client.get(TIMELINESS)


# The independent reviewer's review ------------------------------------------------------


def upload(case, user, stage, title):
    return services.document_upload(
        auditor=Auditor(actor=user),
        case=case,
        stage=stage,
        title=title,
        file=ContentFile(pdf_bytes(title), name=f"{title}.pdf"),
    )


@pytest.fixture
def named_review(world):
    """A review with the world's independent reviewer named on it."""
    case = reviewed_case(
        world.partnership, reviewer=world.user("independent_reviewer"), pseudonym="Child Wren"
    )
    set_identifiers(case)
    services.practice_review_update(
        auditor=SYSTEM,
        review=case.practice_review,
        terms_of_reference="How did agencies share information?\nWas the child heard?",
    )
    services.milestone_update(
        auditor=SYSTEM,
        milestone=case.practice_review.milestones.get(kind="terms_agreed"),
        actual_on=date(2026, 1, 26),
    )
    return case


class TestReviewerPages:
    def test_the_list_shows_only_their_reviews(self, world, client_for, named_review):
        reviewed_case(world.partnership, reference="OTHER-2025-009", pseudonym="Child Finch")
        response = client_for("independent_reviewer").get(MY_REVIEWS)
        body = text(response)
        assert "TEST-2025-001" in body and "Child Wren" in body
        assert "OTHER-2025-009" not in body and "Child Finch" not in body
        assert "6 months from the decision on 12 January 2026" in body
        review_url = reverse("reviews:reviewer_review", args=[named_review.practice_review.pk])
        assert review_url in response.content.decode()

    def test_an_empty_list_says_so(self, world, client_for):
        body = text(client_for("independent_reviewer").get(MY_REVIEWS))
        assert "You are not named as the independent reviewer on any review yet." in body

    def test_the_review_shows_milestones_deadline_terms_and_documents(
        self, world, client_for, named_review
    ):
        uploader = world.user("business_unit")
        version = upload(named_review, uploader, "practice_review", "Draft report")
        upload(named_review, uploader, "rapid_review", "Rapid review record")
        url = reverse("reviews:reviewer_review", args=[named_review.practice_review.pk])

        response = client_for("independent_reviewer").get(url)

        assert response.status_code == 200
        body = text(response)
        assert "TEST-2025-001" in body and "Child Wren" in body
        assert "Significant Incident Learning Process (SILP)" in body
        assert "How did agencies share information?" in body
        assert "Terms of reference agreed Not planned 26 January 2026" in body
        assert "Practitioner event Not planned Not yet" in body
        assert "Publication of the practice review" in body
        assert "6 months from the decision on 12 January 2026" in body
        assert "Draft report" in body
        assert reverse("reviews:document_download", args=[version.pk]) in response.content.decode()
        # Nothing of the rapid review, the notification or who the child is.
        assert "Rapid review record" not in body
        assert "15 working days from notification" not in body
        assert "5 working days from becoming aware" not in body
        assert "Significant learning about multi-agency working" not in body
        assert_no_identifiers(body)

    def test_reading_the_review_is_audited(self, world, client_for, named_review):
        review = named_review.practice_review
        client_for("independent_reviewer").get(reverse("reviews:reviewer_review", args=[review.pk]))
        event = AuditEvent.objects.get(action="reviews.practice_review.read")
        assert event.kind == AuditEvent.Kind.READ
        assert event.actor == world.user("independent_reviewer")
        assert event.object_id == str(review.pk)
        assert event.partnership_id == world.partnership.pk
        assert "TEST-2025-001" in event.summary

    def test_another_review_is_not_found(self, world, client_for, named_review):
        other = reviewed_case(world.partnership, reference="OTHER-2025-009")
        url = reverse("reviews:reviewer_review", args=[other.practice_review.pk])
        assert client_for("independent_reviewer").get(url).status_code == 404
        assert not AuditEvent.objects.filter(action="reviews.practice_review.read").exists()

    def test_a_hold_is_shown_with_its_reason(self, world, client_for, named_review):
        services.practice_review_hold(
            auditor=SYSTEM,
            review=named_review.practice_review,
            reason="Awaiting the outcome of a criminal trial",
            started_on=date(2026, 1, 20),
            panel_told_on=None,
        )
        url = reverse("reviews:reviewer_review", args=[named_review.practice_review.pk])
        body = text(client_for("independent_reviewer").get(url))
        assert "This review is on hold: Awaiting the outcome of a criminal trial" in body

    def test_list_query_count_does_not_grow(
        self, world, client_for, named_review, django_assert_max_num_queries
    ):
        client = client_for("independent_reviewer")
        few = queries_for(client, MY_REVIEWS)
        reviewer = world.user("independent_reviewer")
        cases = bulk_clocks(world.partnership, 20, kind=ClockKind.PUBLICATION)
        PracticeReview.objects.bulk_create(
            PracticeReview(
                case=case,
                kind="local",
                decision_date=date(2026, 1, 5),
                independent_reviewer=reviewer,
            )
            for case in cases
        )
        assert queries_for(client, MY_REVIEWS) == few
        with django_assert_max_num_queries(11):
            client.get(MY_REVIEWS)

    def test_review_query_count_does_not_grow_with_documents(
        self, world, client_for, named_review, django_assert_max_num_queries
    ):
        client = client_for("independent_reviewer")
        url = reverse("reviews:reviewer_review", args=[named_review.practice_review.pk])
        uploader = world.user("business_unit")
        upload(named_review, uploader, "practice_review", "Document 0")
        few = queries_for(client, url)
        for i in range(1, 12):
            upload(named_review, uploader, "practice_review", f"Document {i}")
        assert queries_for(client, url) == few
        with django_assert_max_num_queries(17):  # includes writing the read event
            client.get(url)


# An agency lead's recommendations -------------------------------------------------------


def recommend(case, text_, *, agencies=(), to_partnership=False, themes=()):
    return services.recommendation_add(
        auditor=SYSTEM,
        case=case,
        text=text_,
        to_partnership=to_partnership,
        agencies=list(agencies),
        themes=list(themes),
    )


class TestAgencyRecommendations:
    def test_only_recommendations_to_their_agency_and_nothing_of_the_case(self, world, client_for):
        health = AgencyFactory(partnership=world.partnership, name="Northdale Health")
        case = reviewed_case(world.partnership, reference="ZZQ-2025-017", pseudonym="Child Quokka")
        set_identifiers(case)
        theme = Theme.objects.get(name="Information sharing")
        recommend(
            case,
            "Police should share what they learn the same day.",
            agencies=[world.agency],
            themes=[theme],
        )
        recommend(case, "Health visitors should record the father's details.", agencies=[health])
        recommend(case, "The partnership should run a masterclass.", to_partnership=True)

        response = client_for("agency_lead").get(RECOMMENDATIONS)

        body = text(response)
        assert "Police should share what they learn the same day." in body
        assert "Information sharing" in body
        assert calendar.format_date(today()) in body
        assert "Health visitors should record" not in body
        assert "masterclass" not in body
        for secret in ("ZZQ-2025-017", "Child Quokka", "Significant learning"):
            assert secret not in body
        assert_no_identifiers(body)

    def test_none_yet_says_so(self, world, client_for):
        body = text(client_for("agency_lead").get(RECOMMENDATIONS))
        assert "No recommendations are addressed to your agency yet." in body

    def test_query_count_does_not_grow(self, world, client_for, django_assert_max_num_queries):
        client = client_for("agency_lead")
        case = open_case(world.partnership)
        theme = Theme.objects.first()
        for i in range(3):
            recommend(case, f"Recommendation {i}", agencies=[world.agency], themes=[theme])
        few = queries_for(client, RECOMMENDATIONS)
        for i in range(3, 30):
            recommend(case, f"Recommendation {i}", agencies=[world.agency], themes=[theme])
        assert queries_for(client, RECOMMENDATIONS) == few
        with django_assert_max_num_queries(15):  # includes writing the read event
            client.get(RECOMMENDATIONS)


def test_the_calculator_refuses_a_date_at_the_end_of_the_calendar(client_for):
    from django.urls import reverse

    response = client_for("business_unit").get(
        reverse("reviews:calculator"),
        {"rule": "publication", "start_day": "31", "start_month": "12", "start_year": "9999"},
    )
    assert response.status_code == 200
    assert "no later than the year 9998" in response.content.decode()
