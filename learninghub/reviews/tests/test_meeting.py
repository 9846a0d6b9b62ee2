"""The case review group's meeting pack for a rapid review, and its record of the meeting."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from learninghub.core.audit.auditor import Auditor
from learninghub.core.audit.models import AuditEvent
from learninghub.core.files.tests.samples import pdf_bytes
from learninghub.core.tests.html import error_summary, soup, table_rows, text_of, visible_text
from learninghub.partnerships.tests.factories import AgencyFactory
from learninghub.reviews import selectors, services
from learninghub.reviews.models import RapidReview
from learninghub.reviews.tests.factories import SYSTEM, notified_case, open_case

pytestmark = pytest.mark.usefixtures("frozen_clock")

MEETING = {
    "meeting_date": date(2025, 12, 18),
    "meeting_attendees": "Sam Ortega, head of safeguarding, Northdale Police",
    "meeting_views": "Police and health agree there is learning about information sharing",
    "decision": "local_review",
    "decision_reasons": "Two agencies did not share what they knew",
}


def meeting_url(case) -> str:
    return reverse("reviews:rapid_review_meeting", args=[case.pk])


def post_data(**overrides) -> dict:
    values = {**MEETING, **overrides}
    data = {k: v for k, v in values.items() if k != "meeting_date"}
    day = values["meeting_date"]
    if day:
        data.update(
            {
                "meeting_date_day": day.day,
                "meeting_date_month": day.month,
                "meeting_date_year": day.year,
            }
        )
    return data


@pytest.fixture
def asked_case(world):
    """Notified on 8 December 2025; the police returned a summary, health has not."""
    health = AgencyFactory(partnership=world.partnership, name="Northdale Health")
    case = notified_case(world.partnership, agencies=[world.agency, health])
    police = services.information_request_create(
        auditor=SYSTEM, case=case, agency=world.agency, requested_on=date(2025, 12, 9)
    )
    services.information_request_create(
        auditor=SYSTEM, case=case, agency=health, requested_on=date(2025, 12, 9)
    )
    services.information_request_return(
        auditor=Auditor(actor=world.user("business_unit")),
        request=police,
        returned_on=date(2025, 12, 15),
        file=SimpleUploadedFile("police-summary.pdf", pdf_bytes("A fictional police summary")),
    )
    return case


# The service ----------------------------------------------------------------------------


class TestMeetingRecord:
    def test_records_the_meeting_and_audits_it(self, world):
        case = notified_case(world.partnership)
        services.rapid_review_meeting_record(auditor=SYSTEM, case=case, **MEETING)
        saved = RapidReview.objects.get(case=case)
        assert saved.meeting_date == date(2025, 12, 18)
        assert saved.meeting_attendees == MEETING["meeting_attendees"]
        assert saved.meeting_views == MEETING["meeting_views"]
        assert (saved.decision, saved.decision_reasons) == (
            "local_review",
            MEETING["decision_reasons"],
        )
        event = AuditEvent.objects.get(action="reviews.rapid_review.meeting")
        assert set(event.changes) >= {"meeting_date", "meeting_attendees", "decision"}

    def test_refuses_every_mistake_at_once_and_saves_nothing(self, world):
        case = notified_case(world.partnership)
        with pytest.raises(ValidationError) as refused:
            services.rapid_review_meeting_record(
                auditor=SYSTEM,
                case=case,
                meeting_date=timezone.localdate() + timedelta(days=1),
                meeting_attendees=" ",
                meeting_views="",
                decision="local_review",
                decision_reasons="",
            )
        errors = refused.value.message_dict
        assert errors["meeting_date"] == ["The meeting date must be today or in the past"]
        assert errors["meeting_attendees"] == [
            "Enter who attended the meeting: names, roles and agencies"
        ]
        assert errors["decision_reasons"] == ["Give the reasons for the decision"]
        assert not AuditEvent.objects.filter(action="reviews.rapid_review.meeting").exists()
        assert not RapidReview.objects.filter(case=case, meeting_date__isnull=False).exists()

    def test_the_meeting_is_not_before_the_notification(self, world):
        case = notified_case(world.partnership)  # sent to the Panel on 8 December 2025
        with pytest.raises(ValidationError) as refused:
            services.rapid_review_meeting_record(
                auditor=SYSTEM, case=case, **{**MEETING, "meeting_date": date(2025, 12, 5)}
            )
        assert refused.value.message_dict["meeting_date"] == [
            "The meeting date must be on or after the notification on 8 December 2025"
        ]

    def test_the_meeting_date_is_required(self, world):
        case = notified_case(world.partnership)
        with pytest.raises(ValidationError) as refused:
            services.rapid_review_meeting_record(
                auditor=SYSTEM, case=case, **{**MEETING, "meeting_date": None}
            )
        assert refused.value.message_dict["meeting_date"] == ["Enter the date of the meeting"]

    def test_no_meeting_before_the_notification_is_sent(self, world):
        case = open_case(world.partnership)
        with pytest.raises(ValidationError):
            services.rapid_review_meeting_record(auditor=SYSTEM, case=case, **MEETING)


# The chronology -------------------------------------------------------------------------


def test_the_chronology_is_the_recorded_dates_in_order(world, asked_case):
    services.rapid_review_meeting_record(auditor=SYSTEM, case=asked_case, **MEETING)
    case = selectors.case_get(user=world.user("business_unit"), pk=asked_case.pk)
    pack = selectors.meeting_pack(case=case)
    assert [(e.on, e.what, e.detail) for e in pack.chronology] == [
        (date(2025, 12, 3), "incident", ""),
        (date(2025, 12, 3), "aware", ""),
        (date(2025, 12, 8), "notified_panel", ""),
        (date(2025, 12, 9), "summary_requested", "Northdale Health"),
        (date(2025, 12, 9), "summary_requested", "Northdale Police"),
        (date(2025, 12, 15), "summary_returned", "Northdale Police"),
        (date(2025, 12, 18), "meeting", ""),
    ]
    assert [asked.agency.name for asked in pack.received] == ["Northdale Police"]
    assert [asked.agency.name for asked in pack.outstanding] == ["Northdale Health"]


# The page -------------------------------------------------------------------------------


class TestMeetingPage:
    def test_the_case_review_group_sees_the_pack(self, world, client_for, asked_case):
        response = client_for("case_review_group").get(meeting_url(asked_case))
        assert response.status_code == 200
        page = soup(response)
        assert text_of(page.select_one("h2.govuk-heading-m")) == "Meeting pack"
        # Summaries received, with their download link; and who has not returned one.
        link = page.select_one("#summaries + table a, #summaries ~ * a[href*='download'], table a")
        assert link is not None and "police-summary.pdf" in text_of(link)
        body = visible_text(response)
        assert "Northdale Health: due" in body
        chronology = table_rows(response, "#chronology + table")
        assert chronology[0][0].endswith("3 December 2025")
        assert any("Summary returned: Northdale Police" in " ".join(row) for row in chronology)
        # The children by pseudonym; never the identifying details.
        assert "Child A" in text_of(page.select_one("#children + ul"))
        for decision in (
            "No further review",
            "Local child safeguarding practice review",
            "Referral for a national review",
        ):
            assert decision in text_of(page.select_one(".govuk-summary-list"))

    def test_a_pack_with_no_requests_does_not_claim_every_summary_is_in(self, world, client_for):
        case = notified_case(world.partnership)
        body = visible_text(client_for("case_review_group").get(meeting_url(case)))
        assert "No agency has been asked for a summary." in body
        assert "Every agency asked has returned its summary" not in body

    def test_the_case_review_group_records_the_meeting(self, world, client_for, asked_case):
        client = client_for("case_review_group")
        response = client.post(meeting_url(asked_case), post_data())
        assert response.status_code == 302
        saved = RapidReview.objects.get(case=asked_case)
        assert saved.meeting_attendees == MEETING["meeting_attendees"]
        assert saved.decision == "local_review"
        event = AuditEvent.objects.get(action="reviews.rapid_review.meeting")
        assert event.actor_label.lower().startswith(world.user("case_review_group").email[:3])
        shown = client.get(meeting_url(asked_case))
        assert "with the decision: local child safeguarding practice review" in visible_text(shown)

    def test_errors_name_the_fields_and_nothing_is_saved(self, world, client_for, asked_case):
        response = client_for("business_unit").post(
            meeting_url(asked_case),
            post_data(meeting_attendees="", decision_reasons="", meeting_date=None),
        )
        assert response.status_code == 200
        assert error_summary(response) == [
            ("#meeting_date_day", "Enter the date of the meeting"),
            ("#id_meeting_attendees", "Enter who attended the meeting: names, roles and agencies"),
            ("#id_decision_reasons", "Give the reasons for the decision"),
        ]
        assert not AuditEvent.objects.filter(action="reviews.rapid_review.meeting").exists()

    def test_the_rapid_review_page_links_to_the_pack(self, world, client_for, asked_case):
        response = client_for("business_unit").get(
            reverse("reviews:rapid_review", args=[asked_case.pk])
        )
        assert meeting_url(asked_case) in response.content.decode()

    def test_query_count_does_not_grow_with_summaries(
        self, world, client_for, asked_case, django_assert_max_num_queries
    ):
        from .test_dashboard_views import queries_for

        client = client_for("case_review_group")
        few = queries_for(client, meeting_url(asked_case))
        for i in range(6):
            agency = AgencyFactory(partnership=world.partnership, name=f"Agency {i}")
            asked = services.information_request_create(
                auditor=SYSTEM, case=asked_case, agency=agency, requested_on=date(2025, 12, 9)
            )
            services.information_request_return(
                auditor=Auditor(actor=world.user("business_unit")),
                request=asked,
                returned_on=date(2025, 12, 12),
                file=SimpleUploadedFile(f"summary-{i}.pdf", pdf_bytes(f"Summary {i}")),
            )
        assert queries_for(client, meeting_url(asked_case)) == few
        with django_assert_max_num_queries(few):
            client.get(meeting_url(asked_case))
