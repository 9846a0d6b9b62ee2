"""Putting mistakes right: a practice review's kind changed with a reason, and a case closed
as recorded in error (kept, audited, out of every list, reachable by its address)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from learninghub.core.audit.models import AuditEvent
from learninghub.core.tests.html import error_summary, soup, text_of, visible_text
from learninghub.reviews import selectors, services
from learninghub.reviews.models import Case, Clock, PracticeReview, Recommendation
from learninghub.reviews.tests.factories import SYSTEM, notified_case, reviewed_case

pytestmark = pytest.mark.usefixtures("frozen_clock")

REASON = "A duplicate of TEST-2025-002, opened twice by mistake"


# The review's kind ---------------------------------------------------------------------


class TestReviewKindChange:
    def test_changes_the_kind_with_the_reason_and_recalculates_the_clocks(self, world):
        case = reviewed_case(world.partnership)
        review = case.practice_review
        before = set(Clock.objects.filter(case=case).values_list("kind", flat=True))
        services.review_kind_change(
            auditor=SYSTEM, review=review, kind="national", reason="The Panel commissioned it"
        )
        assert PracticeReview.objects.get(pk=review.pk).kind == "national"
        event = AuditEvent.objects.get(action="reviews.practice_review.kind_change")
        assert event.changes == {"kind": ["local", "national"]}
        assert "The Panel commissioned it" in event.summary
        assert set(Clock.objects.filter(case=case).values_list("kind", flat=True)) == before

    def test_refuses_the_same_kind_and_no_reason(self, world):
        review = reviewed_case(world.partnership).practice_review
        with pytest.raises(ValidationError) as refused:
            services.review_kind_change(auditor=SYSTEM, review=review, kind="local", reason=" ")
        assert refused.value.message_dict == {
            "kind": [
                "The review is already a local child safeguarding practice review: "
                "select the other kind"
            ],
            "reason": ["Give the reason the kind of review is changing"],
        }
        assert not AuditEvent.objects.filter(action="reviews.practice_review.kind_change").exists()

    def test_the_page_changes_it(self, world, client_for):
        case = reviewed_case(world.partnership)
        url = reverse("reviews:practice_review_kind", args=[case.pk])
        client = client_for("business_unit")
        page = client.get(reverse("reviews:practice_review", args=[case.pk]))
        assert url in page.content.decode()
        response = client.post(url, {"kind": "national", "reason": "Started as local in error"})
        assert response.status_code == 302
        assert PracticeReview.objects.get(case=case).kind == "national"
        refused = client.post(url, {"kind": "national", "reason": ""})
        assert [message for _, message in error_summary(refused)] == [
            "The review is already a national review: select the other kind",
            "Give the reason the kind of review is changing",
        ]

    def test_the_case_review_group_is_not_offered_the_link(self, world, client_for):
        case = reviewed_case(world.partnership)
        page = client_for("case_review_group").get(
            reverse("reviews:practice_review", args=[case.pk])
        )
        assert reverse("reviews:practice_review_kind", args=[case.pk]) not in page.content.decode()


# A case recorded in error --------------------------------------------------------------


def recorded_in_error(world, **kwargs):
    case = reviewed_case(
        world.partnership,
        reviewer=world.user("independent_reviewer"),
        agencies=[world.agency],
        **kwargs,
    )
    recommendation = Recommendation.objects.create(case=case, text="Share the plan")
    recommendation.agencies.add(world.agency)
    services.information_request_create(
        auditor=SYSTEM, case=case, agency=world.agency, requested_on=date(2025, 12, 9)
    )
    services.case_recorded_in_error(auditor=SYSTEM, case=case, reason=REASON)
    return Case.objects.get(pk=case.pk)


class TestRecordedInError:
    def test_kept_audited_and_its_clocks_removed(self, world):
        case = notified_case(world.partnership)
        assert Clock.objects.filter(case=case).exists()
        services.case_recorded_in_error(auditor=SYSTEM, case=case, reason=REASON)
        case.refresh_from_db()
        assert case.recorded_in_error_on == date.today()
        assert case.recorded_in_error_reason == REASON
        assert not Clock.objects.filter(case=case).exists()
        event = AuditEvent.objects.get(action="reviews.case.recorded_in_error")
        assert REASON in event.summary

    def test_a_reason_is_required(self, world):
        case = notified_case(world.partnership)
        with pytest.raises(ValidationError) as refused:
            services.case_recorded_in_error(auditor=SYSTEM, case=case, reason="")
        assert refused.value.message_dict == {
            "reason": ["Give the reason the case was recorded in error"]
        }
        case.refresh_from_db()
        assert case.recorded_in_error_on is None

    def test_it_leaves_every_list_and_figure(self, world, client_for):
        case = recorded_in_error(world)
        business_unit = world.user("business_unit")
        assert case not in selectors.case_list(user=business_unit)
        assert not Clock.objects.filter(case=case).exists()  # needs attention, timeliness
        assert not selectors.reviews_for_reviewer(user=world.user("independent_reviewer")).exists()
        assert not selectors.recommendations_for_agency_lead(
            user=world.user("agency_lead")
        ).exists()
        assert not selectors.requests_for_agency_lead(user=world.user("agency_lead")).exists()
        listing = client_for("business_unit").get(reverse("reviews:case_list"))
        assert case.reference not in visible_text(listing)
        attention = client_for("business_unit").get(reverse("core:needs_attention"))
        assert case.reference not in visible_text(attention)

    def test_reachable_by_its_address_with_a_banner(self, world, client_for):
        case = recorded_in_error(world)
        response = client_for("business_unit").get(reverse("reviews:case_detail", args=[case.pk]))
        assert response.status_code == 200
        banner = text_of(soup(response).select_one(".govuk-notification-banner__heading"))
        today = date.today()
        assert banner == f"Recorded in error on {today.day} {today:%B %Y}: {REASON}"

    def test_listed_under_recorded_in_error(self, world, client_for):
        case = recorded_in_error(world)
        client = client_for("business_unit")
        assert (
            reverse("reviews:cases_recorded_in_error")
            in client.get(reverse("reviews:case_list")).content.decode()
        )
        listed = client.get(reverse("reviews:cases_recorded_in_error"))
        assert case.reference in visible_text(listed)
        assert REASON in visible_text(listed)

    def test_the_page_closes_and_reopens_it(self, world, client_for):
        case = notified_case(world.partnership)
        url = reverse("reviews:case_recorded_in_error", args=[case.pk])
        client = client_for("business_unit")
        assert url in client.get(reverse("reviews:case_detail", args=[case.pk])).content.decode()
        empty = client.post(url, {"reason": ""})
        assert error_summary(empty) == [
            ("#id_reason", "Give the reason the case was recorded in error")
        ]
        assert client.post(url, {"reason": REASON}).status_code == 302
        case.refresh_from_db()
        assert case.recorded_in_error_on is not None
        assert client.post(url, {"reason": "Not a duplicate after all"}).status_code == 302
        case.refresh_from_db()
        assert case.recorded_in_error_on is None
        assert Clock.objects.filter(case=case).exists()
        assert AuditEvent.objects.filter(action="reviews.case.reopened").exists()
