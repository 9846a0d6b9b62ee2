"""The stage pages: notification → rapid review → decision → practice review → publication.

Each page shows its statutory deadline from the stored clock, refuses out-of-order steps
with the service's message in the GOV.UK error summary, and saves nothing on error.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from learninghub.core.audit.auditor import Auditor
from learninghub.core.audit.models import AuditEvent
from learninghub.core.files.tests.samples import pdf_bytes
from learninghub.core.permissions import Role
from learninghub.core.tests.html import (
    checked_values,
    error_summary,
    field_value,
    soup,
    text_of,
    visible_text,
)
from learninghub.partnerships.tests.factories import AgencyFactory, member
from learninghub.reviews import services
from learninghub.reviews.models import (
    Clock,
    InformationRequest,
    Notification,
    PracticeReview,
    RapidReview,
)
from learninghub.reviews.tests.factories import (
    SYSTEM,
    decided_case,
    notified_case,
    open_case,
    reviewed_case,
)
from learninghub.reviews.tests.milestone_helpers import final_report, sign_off

PDF = pdf_bytes("A fictional agency summary")


# Helpers --------------------------------------------------------------------------------


def text(response) -> str:
    """What a person reads: tags stripped, entities decoded, whitespace collapsed."""
    return visible_text(response).replace(" :", ":")


def agency_choices(response) -> list[str]:
    """The agencies the request form offers, as checkbox values."""
    return [box["value"] for box in soup(response).select("input[name=agencies]")]


def messages_in_summary(response) -> list[str]:
    return [message for _, message in error_summary(response)]


def when(name: str, value: date | None) -> dict:
    """A GOV.UK date input's three boxes."""
    if value is None:
        return {f"{name}_day": "", f"{name}_month": "", f"{name}_year": ""}
    return {f"{name}_day": value.day, f"{name}_month": value.month, f"{name}_year": value.year}


def dates(**values: date | None) -> dict:
    data: dict = {}
    for name, value in values.items():
        data.update(when(name, value))
    return data


def follow(client, response):
    assert response.status_code == 302, error_summary(response) or response.status_code
    return client.get(response["Location"])


def notification_data(**overrides) -> dict:
    data = {
        **dates(
            incident_date=date(2025, 9, 1),
            aware_date=date(2025, 9, 3),
            sent_to_panel_on=date(2025, 9, 8),
            sent_to_ofsted_on=None,
            sent_to_secretary_of_state_on=None,
        ),
        "what_happened": ["seriously_harmed"],
        "abuse_or_neglect_suspected": "on",
        "panel_reference": "CSPRP-2025-0412",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def rapid_review_data(**overrides) -> dict:
    data = {
        **dates(
            meeting_date=date(2025, 12, 18),
            partners_signed_off_on=date(2025, 12, 22),
            sent_to_panel_on=None,
            panel_response_on=None,
        ),
        "decision": "local_review",
        "decision_reasons": "Learning about multi-agency working with a non-mobile baby",
        "panel_response": "",
        "panel_response_notes": "",
    }
    data.update(overrides)
    return data


def practice_review_data(review: PracticeReview, **overrides) -> dict:
    data = {
        "independent_reviewer": "",
        "methodology": "silp",
        "terms_of_reference": "How agencies shared information about the family",
        **dates(
            planned_publication_on=date(2026, 4, 10),
            sent_to_panel_on=None,
            published_on=None,
        ),
        "late_publication_reason": "",
        "published_document": "",
        "publication_override_reason": "",
    }
    data.update(overrides)
    return data


def url(name: str, case, **kwargs) -> str:
    return reverse(f"reviews:{name}", kwargs={"pk": case.pk, **kwargs})


def clock(case, kind: str) -> Clock:
    return Clock.objects.get(case=case, kind=kind, information_request__isnull=True)


@pytest.fixture
def bu(client_for):
    return client_for("business_unit")


@pytest.fixture
def crg(client_for):
    return client_for("case_review_group")


# The whole journey ----------------------------------------------------------------------


def test_the_whole_statutory_process_for_one_case(world, bu, crg):
    schools = AgencyFactory(partnership=world.partnership, name="Northdale Schools")
    case = open_case(world.partnership, reference="NDSCP-2025-007", pseudonym="Child G")

    # Notification: due 5 working days from becoming aware.
    page = follow(bu, bu.post(url("notification", case), notification_data()))
    assert "The notification was saved" in text(page)
    assert (
        "Notify the Panel by 10 September 2025: 5 working days from becoming aware on "
        "3 September 2025" in text(page)
    )
    assert "Met" in text(page)
    assert Notification.objects.get(case=case).panel_reference == "CSPRP-2025-0412"

    # Rapid review: 15 working days from the notification.
    page = crg.get(url("rapid_review", case))
    assert (
        "Complete and send to the Panel by 29 September 2025: 15 working days from "
        "notification on 8 September 2025" in text(page)
    )
    assert "Overdue" in text(page)  # not sent yet, and the dates are long past

    # An information request to an agency, due on day 10 by default.
    page = bu.get(url("information_request_create", case))
    assert "Leave blank for day 10: 22 September 2025" in text(page)
    assert "Northdale Schools" in text(page)
    page = follow(
        bu,
        bu.post(
            url("information_request_create", case),
            {
                "agencies": [schools.pk],
                "details": "A summary of involvement",
                **dates(requested_on=date(2025, 9, 9), due_on=None),
            },
        ),
    )
    assert "Asked for their summaries: Northdale Schools" in text(page)
    asked = InformationRequest.objects.get(rapid_review__case=case)
    assert asked.due_on == date(2025, 9, 22)
    assert "Record summary from Northdale Schools" in text(page)
    # Asked once: shown as already asked, not offered again.
    choices = bu.get(url("information_request_create", case))
    assert str(schools.pk) not in agency_choices(choices)
    assert str(world.agency.pk) in agency_choices(choices)

    # The agency's summary comes back, with its document.
    upload = SimpleUploadedFile("schools-summary.pdf", PDF, content_type="application/pdf")
    page = follow(
        bu,
        bu.post(
            url("information_request_return", case, request_pk=asked.pk),
            {**when("returned_on", date(2025, 9, 19)), "file": upload},
        ),
    )
    assert "The summary from Northdale Schools was recorded" in text(page)
    [version] = asked.documents.get().versions
    assert reverse("reviews:document_download", args=[version.pk]) in page.content.decode()
    assert "schools-summary.pdf" in text(page)

    # Meeting, sign-off, decision and submission to the Panel.
    data = rapid_review_data(
        **dates(
            meeting_date=date(2025, 9, 23),
            partners_signed_off_on=date(2025, 9, 25),
            sent_to_panel_on=date(2025, 9, 26),
            panel_response_on=None,
        )
    )
    page = follow(crg, crg.post(url("rapid_review", case), data))
    assert "The rapid review was saved" in text(page)
    assert clock(case, "rapid_review").done_on == date(2025, 9, 26)

    # The decision leads to a practice review, defaulting to a local one.
    page = bu.get(url("practice_review_start", case))
    assert 'value="local" checked' in page.content.decode()
    page = follow(
        bu,
        bu.post(
            url("practice_review_start", case),
            {"kind": "local", **when("decision_date", date(2025, 10, 1))},
        ),
    )
    assert "The practice review was started" in text(page)
    assert "Publish by 1 April 2026: 6 months from the decision on 1 October 2025" in text(page)

    # Milestones and the planned publication date.
    review = PracticeReview.objects.get(case=case)
    reviewer = world.user("independent_reviewer")
    data = practice_review_data(
        review,
        independent_reviewer=str(reviewer.pk),
        **dates(planned_publication_on=date(2026, 3, 16)),
    )
    page = follow(bu, bu.post(url("practice_review", case), data))
    assert "The practice review was saved" in text(page)
    assert (
        "Send the final report to the Panel and the Secretary of State by 5 March 2026: "
        "7 working days before planned publication on 16 March 2026" in text(page)
    )
    review.refresh_from_db()
    assert review.independent_reviewer == reviewer
    sign_off(review, date(2026, 2, 2))

    # Sent to the Panel and the Secretary of State, then published.
    data.update(when("sent_to_panel_on", date(2026, 3, 4)))
    follow(bu, bu.post(url("practice_review", case), data))
    assert clock(case, "send_to_panel").done_on == date(2026, 3, 4)
    data.update(when("published_on", date(2026, 3, 16)))
    data["published_document"] = str(final_report(case).pk)
    page = follow(bu, bu.post(url("practice_review", case), data))
    assert "Published on 16 March 2026" in text(page)
    publication = clock(case, "publication")
    assert publication.done_on == date(2026, 3, 16)
    assert not AuditEvent.objects.filter(
        action="reviews.practice_review.publication_override"
    ).exists()


# Notification ---------------------------------------------------------------------------


class TestNotification:
    def test_a_new_case_explains_the_clock_and_shows_the_questions(self, world, bu):
        case = open_case(world.partnership)

        page = bu.get(url("notification", case))

        content = text(page)
        assert page.status_code == 200
        assert "within 5 working days of becoming aware" in content
        assert "The 5 working day clocks to notify start here" in content
        assert "What happened?" in content
        assert "A child was seriously harmed" in content
        assert "Serious harm includes serious or long-term impairment" in content
        assert "Ofsted and the Secretary of State within 5 working days of the death" in content
        assert "Notify the Panel by" not in content

    def test_the_criteria_not_met_are_explained_and_nothing_is_saved(self, world, bu):
        case = open_case(world.partnership)
        data = notification_data(what_happened=[], abuse_or_neglect_suspected=None)

        page = bu.post(url("notification", case), data)

        assert page.status_code == 200
        assert "There is a problem" in text(page)
        assert error_summary(page) == [
            (
                "#what_happened",
                "A notifiable incident is one where the child died or was seriously harmed. "
                "Select at least one",
            ),
            (
                "#sent_to_panel_on_day",
                "The Panel is notified of serious incidents only (abuse or neglect known or "
                "suspected, and the child died or was seriously harmed)",
            ),
        ]
        assert not Notification.objects.filter(case=case).exists()
        assert not Clock.objects.filter(case=case).exists()

    @pytest.mark.usefixtures("frozen_clock")  # "tomorrow" must still be tomorrow for the view
    def test_a_date_in_the_future_is_refused(self, world, bu):
        case = open_case(world.partnership)
        tomorrow = timezone.localdate() + timedelta(days=1)

        page = bu.post(
            url("notification", case),
            notification_data(**dates(incident_date=tomorrow, aware_date=tomorrow)),
        )

        assert "The incident date must be today or in the past" in messages_in_summary(page)
        assert 'id="incident_date-error"' in page.content.decode()
        assert not Notification.objects.filter(case=case).exists()

    def test_becoming_aware_before_the_incident_is_refused(self, world, bu):
        case = open_case(world.partnership)

        page = bu.post(
            url("notification", case),
            notification_data(**dates(incident_date=date(2025, 9, 5), aware_date=date(2025, 9, 3))),
        )

        assert messages_in_summary(page) == [
            "The date of becoming aware must be the same as or after the incident date"
        ]
        assert not Notification.objects.filter(case=case).exists()

    def test_missing_dates_get_their_own_messages(self, world, bu):
        case = open_case(world.partnership)

        page = bu.post(url("notification", case), {})

        # The incident date is optional: becoming aware starts the clocks.
        assert messages_in_summary(page) == ["Enter the date the local authority became aware"]

    def test_a_looked_after_child_reminds_to_notify_ofsted_and_the_secretary_of_state(
        self, world, bu
    ):
        case = open_case(world.partnership)

        page = follow(
            bu,
            bu.post(
                url("notification", case),
                notification_data(care_status="looked_after", what_happened=["died"]),
            ),
        )

        # Both duties, each with its own clock: the Panel, and Ofsted and the Secretary of State.
        content = text(page)
        assert "Notify the Panel by 10 September 2025" in content
        assert "Notify Ofsted and the Secretary of State by 10 September 2025" in content
        assert "notify Ofsted and the Secretary of State, whether or not abuse" in content
        notification = Notification.objects.get(case=case)
        assert notification.care_status == "looked_after"
        assert notification.child_died

    def test_the_saved_notification_fills_the_form(self, world, bu):
        case = notified_case(world.partnership)

        page = bu.get(url("notification", case))

        assert field_value(page, "aware_date_day") == "3"
        assert field_value(page, "aware_date_month") == "12"
        assert "seriously_harmed" in checked_values(page, "what_happened")
        assert "died" not in checked_values(page, "what_happened")


# Rapid review ---------------------------------------------------------------------------


class TestRapidReview:
    def test_before_the_notification_is_sent_there_is_no_form(self, world, bu):
        case = open_case(world.partnership)

        page = bu.get(url("rapid_review", case))

        assert "The rapid review starts when the notification is sent to the Panel" in text(page)
        assert url("notification", case) in page.content.decode()
        assert 'name="meeting_date_day"' not in page.content.decode()

    def test_the_panel_s_response_before_sending_is_refused_and_nothing_is_half_saved(
        self, world, crg
    ):
        case = notified_case(world.partnership)
        services.rapid_review_update(
            auditor=SYSTEM, case=case, meeting_date=date(2025, 12, 18), decision_reasons=""
        )
        data = rapid_review_data(
            panel_response="agrees", **when("panel_response_on", date(2026, 1, 8))
        )

        page = crg.post(url("rapid_review", case), data)

        assert page.status_code == 200
        assert "There is a problem" in text(page)
        assert (
            "#panel_response",
            "You cannot record the Panel's response before the rapid review was sent to the Panel",
        ) in error_summary(page)
        rapid_review = RapidReview.objects.get(case=case)
        assert rapid_review.meeting_date == date(2025, 12, 18)
        assert rapid_review.partners_signed_off_on is None
        assert rapid_review.decision == ""
        assert rapid_review.panel_response == ""

    def test_sending_without_a_decision_is_refused(self, world, bu):
        case = notified_case(world.partnership)
        data = rapid_review_data(decision="", decision_reasons="")
        data.update(when("sent_to_panel_on", date(2025, 12, 23)))

        page = bu.post(url("rapid_review", case), data)

        assert (
            "Record the decision before sending the rapid review to the Panel"
            in messages_in_summary(page)
        )
        assert RapidReview.objects.get(case=case).sent_to_panel_on is None

    def test_the_panel_s_response_is_recorded_after_sending(self, world, bu):
        case = decided_case(world.partnership)
        data = rapid_review_data(
            **dates(sent_to_panel_on=date(2025, 12, 23), panel_response_on=date(2026, 1, 9)),
            panel_response="challenges",
            panel_response_notes="The Panel asks for a wider scope",
        )

        page = follow(bu, bu.post(url("rapid_review", case), data))

        assert "The rapid review was saved" in text(page)
        rapid_review = RapidReview.objects.get(case=case)
        assert rapid_review.panel_response == "challenges"
        assert rapid_review.panel_response_on == date(2026, 1, 9)

    def test_the_requests_table_shows_each_agency_with_its_due_status(self, world, bu):
        case = notified_case(world.partnership)
        services.information_request_create(
            auditor=SYSTEM, case=case, agency=world.agency, requested_on=date(2025, 12, 9)
        )

        page = bu.get(url("rapid_review", case))

        content = text(page)
        assert "Northdale Police" in content
        assert "9 December 2025" in content
        assert "22 December 2025 Overdue" in content
        assert "Not yet Not uploaded" in content


class TestInformationRequests:
    @pytest.mark.usefixtures("frozen_clock")  # the page's "today" and the test's must agree
    def test_only_active_agencies_not_yet_asked_are_offered(self, world, bu):
        case = notified_case(world.partnership)
        AgencyFactory(partnership=world.partnership, name="Northdale Probation", is_active=False)
        health = AgencyFactory(partnership=world.partnership, name="Northdale Health")
        services.information_request_create(
            auditor=SYSTEM, case=case, agency=world.agency, requested_on=date(2025, 12, 9)
        )

        response = bu.get(url("information_request_create", case))
        page = response.content.decode()

        assert agency_choices(response) == [str(health.pk)]
        assert "Northdale Probation" not in page
        assert "Eastmoor Police" not in page
        assert text_of(soup(response).select_one("#already-asked")) == "Northdale Police"
        assert f'value="{timezone.localdate().day}"' in page  # requested today by default

    def test_a_due_date_can_be_given(self, world, bu):
        case = notified_case(world.partnership)

        follow(
            bu,
            bu.post(
                url("information_request_create", case),
                {
                    "agencies": [world.agency.pk],
                    "details": "A summary of involvement",
                    **dates(requested_on=date(2025, 12, 9), due_on=date(2025, 12, 17)),
                },
            ),
        )

        assert InformationRequest.objects.get().due_on == date(2025, 12, 17)

    def test_a_request_before_the_notification_is_refused(self, world, bu):
        case = notified_case(world.partnership)

        page = bu.post(
            url("information_request_create", case),
            {
                "agencies": [world.agency.pk],
                "details": "A summary of involvement",
                **dates(requested_on=date(2025, 12, 1), due_on=None),
            },
        )

        assert messages_in_summary(page) == [
            "The request date must be on or after the notification on 8 December 2025"
        ]
        assert not InformationRequest.objects.exists()

    def test_another_partnership_s_agency_cannot_be_chosen(self, world, bu):
        case = notified_case(world.partnership)

        page = bu.post(
            url("information_request_create", case),
            {
                "agencies": [world.other_agency.pk],
                "details": "A summary of involvement",
                **when("requested_on", date(2025, 12, 9)),
            },
        )

        assert messages_in_summary(page) == ["Select agencies that have not been asked yet"]
        assert not InformationRequest.objects.exists()

    def test_every_agency_asked_leaves_nothing_to_choose(self, world, bu):
        case = notified_case(world.partnership)
        services.information_request_create(
            auditor=SYSTEM, case=case, agency=world.agency, requested_on=date(2025, 12, 9)
        )

        page = bu.get(url("information_request_create", case))

        assert "Every agency taking part in the partnership has been asked" in text(page)

    def test_a_case_not_yet_notified_goes_to_the_rapid_review(self, world, bu):
        case = open_case(world.partnership)

        response = bu.get(url("information_request_create", case))

        assert response.status_code == 302
        assert response["Location"] == url("rapid_review", case)

    def test_a_file_of_the_wrong_type_is_refused_and_nothing_is_saved(self, world, bu):
        case = notified_case(world.partnership)
        asked = services.information_request_create(
            auditor=SYSTEM, case=case, agency=world.agency, requested_on=date(2025, 12, 9)
        )
        upload = SimpleUploadedFile("summary.exe", b"MZ not a document", "application/pdf")

        page = bu.post(
            url("information_request_return", case, request_pk=asked.pk),
            {**when("returned_on", date(2025, 12, 18)), "file": upload},
        )

        assert messages_in_summary(page) == [
            "The file must be a PDF or a Word document (.pdf, .docx or .doc)"
        ]
        asked.refresh_from_db()
        assert asked.returned_on is None
        assert not asked.documents.exists()
        assert clock_for_request(asked).done_on is None

    def test_a_summary_is_never_recorded_without_a_file(self, world, bu):
        case = notified_case(world.partnership)
        asked = services.information_request_create(
            auditor=SYSTEM, case=case, agency=world.agency, requested_on=date(2025, 12, 9)
        )

        page = bu.post(
            url("information_request_return", case, request_pk=asked.pk),
            when("returned_on", date(2025, 12, 18)),
        )

        assert error_summary(page) == [("#id_file", "Choose the agency's summary file")]
        asked.refresh_from_db()
        assert asked.returned_on is None
        assert clock_for_request(asked).done_on is None

    def test_a_return_before_the_request_is_refused(self, world, bu):
        case = notified_case(world.partnership)
        asked = services.information_request_create(
            auditor=SYSTEM, case=case, agency=world.agency, requested_on=date(2025, 12, 9)
        )

        page = bu.post(
            url("information_request_return", case, request_pk=asked.pk),
            {
                **when("returned_on", date(2025, 12, 8)),
                "file": SimpleUploadedFile("summary.pdf", PDF, "application/pdf"),
            },
        )

        assert messages_in_summary(page) == [
            "The summary cannot be returned before it was requested"
        ]


def clock_for_request(asked) -> Clock:
    return Clock.objects.get(information_request=asked)


# Practice review ------------------------------------------------------------------------


class TestPracticeReviewStart:
    def test_no_further_review_explains_why_there_is_no_form(self, world, bu):
        case = decided_case(world.partnership, decision="no_further_review")

        page = bu.get(url("practice_review_start", case))

        assert "A practice review follows a rapid review decision" in text(page)
        assert "The rapid review decided: No further review" in text(page)
        assert 'name="kind"' not in page.content.decode()

    def test_a_national_referral_defaults_to_a_national_review(self, world, bu):
        case = decided_case(world.partnership, decision="national_referral")

        page = bu.get(url("practice_review_start", case)).content.decode()

        assert 'value="national" checked' in page

    def test_the_panel_commissioning_a_national_review_offers_one(self, world, bu):
        case = decided_case(world.partnership, decision="no_further_review")
        services.rapid_review_update(
            auditor=SYSTEM,
            case=case,
            panel_response="national_review",
            panel_response_on=date(2026, 1, 9),
        )

        page = bu.get(url("practice_review_start", case)).content.decode()

        assert 'value="national" checked' in page

    def test_a_decision_before_the_meeting_is_refused(self, world, bu):
        case = decided_case(world.partnership)

        page = bu.post(
            url("practice_review_start", case),
            {"kind": "local", **when("decision_date", date(2025, 12, 1))},
        )

        assert messages_in_summary(page) == [
            "The decision cannot come before the rapid review meeting"
        ]
        assert not PracticeReview.objects.filter(case=case).exists()

    def test_a_started_review_goes_to_its_page(self, world, bu):
        case = reviewed_case(world.partnership)

        response = bu.get(url("practice_review_start", case))

        assert response["Location"] == url("practice_review", case)

    def test_the_practice_review_page_before_a_start_goes_to_the_start(self, world, bu):
        case = decided_case(world.partnership)

        response = bu.get(url("practice_review", case))

        assert response["Location"] == url("practice_review_start", case)


class TestPracticeReview:
    def test_the_page_offers_the_active_independent_reviewers(self, world, bu):
        case = reviewed_case(world.partnership)
        elsewhere = member(world.other_partnership, Role.INDEPENDENT_REVIEWER, full_name="Ed East")

        page = bu.get(url("practice_review", case))

        content = page.content.decode()
        assert "Not yet appointed" in content
        assert f'value="{world.user("independent_reviewer").pk}"' in content
        assert f'value="{elsewhere.pk}"' not in content
        assert "Publish by 12 July 2026: 6 months from the decision on 12 January 2026" in text(
            page
        )
        assert "Put on hold for parallel proceedings" in text(page)
        assert "Record a decision not to publish" in text(page)

    def test_publication_before_the_partners_approve_is_refused(self, world, bu):
        case = reviewed_case(world.partnership)
        review = case.practice_review
        data = practice_review_data(
            review,
            **dates(
                planned_publication_on=date(2026, 4, 10),
                sent_to_panel_on=date(2026, 3, 20),
                published_on=date(2026, 4, 10),
            ),
        )

        page = bu.post(url("practice_review", case), data)

        assert (
            "#published_on_day",
            "You cannot record publication before the partners have approved the final report",
        ) in error_summary(page)
        review.refresh_from_db()
        assert review.published_on is None
        assert review.sent_to_panel_on is None
        assert review.methodology == ""

    def test_publishing_soon_after_sending_needs_a_reason_which_is_audited(self, world, bu):
        case = reviewed_case(world.partnership)
        review = case.practice_review
        sign_off(review, date(2026, 3, 16))
        data = practice_review_data(
            review,
            **dates(sent_to_panel_on=date(2026, 4, 6), published_on=date(2026, 4, 10)),
            published_document=str(final_report(case).pk),
        )

        page = bu.post(url("practice_review", case), data)

        assert page.status_code == 200
        messages = messages_in_summary(page)
        assert len(messages) == 1
        assert messages[0].startswith(
            "The report was sent to the Panel less than 7 working days before publication"
        )
        assert error_summary(page)[0][0] == "#id_publication_override_reason"
        review.refresh_from_db()
        assert review.published_on is None

        data["publication_override_reason"] = "The family asked for publication before Easter"
        page = follow(bu, bu.post(url("practice_review", case), data))

        assert "The practice review was saved" in text(page)
        review.refresh_from_db()
        assert review.published_on == date(2026, 4, 10)
        event = AuditEvent.objects.get(action="reviews.practice_review.publication_override")
        assert event.changes["publication_override_reason"][1] == (
            "The family asked for publication before Easter"
        )
        assert event.actor == world.user("business_unit")

    def test_a_planned_date_after_the_deadline_needs_its_reason_and_shows_late(self, world, bu):
        case = reviewed_case(world.partnership)
        data = practice_review_data(
            case.practice_review, **when("planned_publication_on", date(2026, 8, 1))
        )

        page = bu.post(url("practice_review", case), data)

        assert messages_in_summary(page) == [
            "The planned publication date is after 12 July 2026, 6 months from the decision on "
            "12 January 2026. Give the reason it will be published later"
        ]
        assert error_summary(page)[0][0] == "#id_late_publication_reason"

        data["late_publication_reason"] = "The practitioner event moved to June"
        page = follow(bu, bu.post(url("practice_review", case), data))

        assert "The practice review was saved" in text(page)
        assert (
            "Late against the 6-month expectation Planned for 1 August 2026, after 12 July 2026: "
            "The practitioner event moved to June." in text(page)
        )

    def test_a_hold_suspends_the_publication_clock_and_a_release_resumes_it(self, world, bu):
        case = reviewed_case(world.partnership)

        page = bu.get(url("practice_review_hold", case))
        assert "A hold suspends the 6 month publication clock" in text(page)
        page = follow(
            bu,
            bu.post(
                url("practice_review_hold", case),
                {
                    "reason": "The criminal trial of the father is listed for June",
                    **dates(started_on=date(2026, 2, 2), panel_told_on=date(2026, 2, 3)),
                },
            ),
        )

        content = text(page)
        assert "The practice review is on hold. The publication clock is suspended" in content
        assert "On hold" in content
        assert "The criminal trial of the father is listed for June" in content
        assert "The Panel was told on 3 February 2026" in content
        assert "Release the hold" in content
        assert clock(case, "publication").suspended

        page = bu.get(url("practice_review_release_hold", case))
        assert "On hold since 2 February 2026" in text(page)
        page = follow(
            bu,
            bu.post(
                url("practice_review_release_hold", case),
                {"confirm": "on", **when("released_on", date(2026, 3, 2))},
            ),
        )

        content = text(page)
        assert "The hold was released. The publication clock has restarted" in content
        assert "The hold that started on 2 February 2026 was released on 2 March 2026" in content
        assert "On hold" not in content
        assert "Put on hold for parallel proceedings" in content
        publication = clock(case, "publication")
        assert not publication.suspended
        assert PracticeReview.objects.get(case=case).hold_reason  # kept for the record

    def test_a_hold_needs_a_reason(self, world, bu):
        case = reviewed_case(world.partnership)

        page = bu.post(
            url("practice_review_hold", case),
            {"reason": " ", **when("started_on", date(2026, 2, 2))},
        )

        assert messages_in_summary(page) == [
            "Give the reason for the hold, for example the criminal trial it waits for"
        ]
        assert not clock(case, "publication").suspended

    def test_releasing_needs_confirmation(self, world, bu):
        case = reviewed_case(world.partnership)

        page = bu.post(url("practice_review_release_hold", case), {})

        assert messages_in_summary(page) == [
            "Enter the date the hold was released",
            "Confirm that you want to release the hold",
        ]

    def test_releasing_a_review_not_on_hold_says_so(self, world, bu):
        case = reviewed_case(world.partnership)

        page = bu.post(
            url("practice_review_release_hold", case),
            {"confirm": "on", **when("released_on", date(2026, 3, 2))},
        )

        assert messages_in_summary(page) == ["The review is not on hold"]

    def test_a_decision_not_to_publish_is_recorded_with_its_reasons(self, world, bu):
        case = reviewed_case(world.partnership)

        page = follow(
            bu,
            bu.post(
                url("practice_review_not_publishing", case),
                {
                    "reasons": "Publication would identify the surviving siblings",
                    **when("reasons_sent_on", date(2026, 3, 2)),
                },
            ),
        )

        content = text(page)
        assert "The decision not to publish was recorded" in content
        assert "The partnership decided not to publish this review" in content
        assert "Publication would identify the surviving siblings" in content
        assert (
            "The reasons were sent to the Panel and the Secretary of State on 2 March 2026"
            in content
        )
        assert clock(case, "publication").done_on == date(2026, 3, 2)

    def test_not_publishing_needs_reasons(self, world, bu):
        case = reviewed_case(world.partnership)

        page = bu.post(url("practice_review_not_publishing", case), {"reasons": ""})

        assert messages_in_summary(page) == ["Give the reasons for not publishing"]
        assert not PracticeReview.objects.get(case=case).not_publishing


# Reads are logged; identifiers never appear -----------------------------------------------


STAGE_PAGES = [
    ("notification", {}),
    ("rapid_review", {}),
    ("information_request_create", {}),
    ("practice_review", {}),
    ("practice_review_hold", {}),
    ("practice_review_release_hold", {}),
    ("practice_review_not_publishing", {}),
]


def test_every_stage_page_logs_the_read_and_never_shows_identifiers(world, crg):
    case = reviewed_case(world.partnership, agencies=[world.agency])
    services.identifiers_update(
        auditor=SYSTEM,
        child=case.children.get(),
        child_name="Zebedee Quartermaine",
        family_names="Ottoline Quartermaine",
        date_of_birth="14/02/2024",
        address="17 Larkspur Close",
        school="St Wilfrid's Primary",
    )

    for name, extra in STAGE_PAGES:
        before = AuditEvent.objects.filter(action="reviews.case.read").count()
        page = crg.get(url(name, case, **extra))
        assert page.status_code == 200, name
        body = page.content.decode()
        for secret in ("Quartermaine", "Larkspur", "Wilfrid", "14/02/2024"):
            assert secret not in body, (name, secret)
        assert AuditEvent.objects.filter(action="reviews.case.read").count() == before + 1, name


# Query counts ---------------------------------------------------------------------------


def queries(client, page_url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(page_url).status_code == 200
    return len(captured)


def _with_requests(world, count: int, reference: str):
    agencies = [
        AgencyFactory(partnership=world.partnership, name=f"{reference} agency {n}")
        for n in range(count)
    ]
    case = notified_case(world.partnership, reference=reference, agencies=agencies)
    # Uploads name the person who uploaded them.
    auditor = Auditor(actor=world.user("business_unit"))
    for agency in agencies:
        asked = services.information_request_create(
            auditor=SYSTEM, case=case, agency=agency, requested_on=date(2025, 12, 9)
        )
        services.information_request_return(
            auditor=auditor,
            request=asked,
            returned_on=date(2025, 12, 18),
            file=SimpleUploadedFile("summary.pdf", PDF, "application/pdf"),
        )
    return case


def test_the_rapid_review_page_has_a_constant_number_of_queries(
    world, bu, django_assert_max_num_queries
):
    few = _with_requests(world, 3, "FEW-2025-001")
    many = _with_requests(world, 30, "MANY-2025-001")

    assert queries(bu, url("rapid_review", few)) == queries(bu, url("rapid_review", many))
    with django_assert_max_num_queries(
        19
    ):  # the case's children (and milestones), one prefetch each
        bu.get(url("rapid_review", many))


def test_the_information_request_page_has_a_constant_number_of_queries(
    world, bu, django_assert_max_num_queries
):
    case = notified_case(world.partnership)
    for n in range(3):
        AgencyFactory(partnership=world.partnership, name=f"Few {n}")
    few = queries(bu, url("information_request_create", case))
    for n in range(27):
        AgencyFactory(partnership=world.partnership, name=f"Many {n}")

    assert queries(bu, url("information_request_create", case)) == few
    with django_assert_max_num_queries(
        17
    ):  # the case's children (and milestones), one prefetch each
        bu.get(url("information_request_create", case))


def test_the_practice_review_page_has_a_constant_number_of_queries(
    world, bu, django_assert_max_num_queries
):
    case = reviewed_case(world.partnership, reviewer=world.user("independent_reviewer"))
    for n in range(3):
        member(world.partnership, Role.INDEPENDENT_REVIEWER, full_name=f"Few Reviewer {n}")
    few = queries(bu, url("practice_review", case))
    for n in range(27):
        member(world.partnership, Role.INDEPENDENT_REVIEWER, full_name=f"More Reviewer {n}")

    assert queries(bu, url("practice_review", case)) == few
    # 16, and the forward plan: milestones, the report choices, revised dates (issue 8).
    with django_assert_max_num_queries(
        21
    ):  # the case's children (and milestones), one prefetch each
        bu.get(url("practice_review", case))


@pytest.mark.parametrize(
    "name",
    [
        "notification",
        "practice_review_start",
        "practice_review_hold",
        "practice_review_release_hold",
        "practice_review_not_publishing",
    ],
)
def test_the_other_stage_pages_have_a_constant_number_of_queries(
    name, world, bu, django_assert_max_num_queries
):
    few = reviewed_case(world.partnership, reference="FEW-2025-002")
    if name == "practice_review_start":
        few = decided_case(world.partnership, reference="FEW-2025-003")
    agencies = [AgencyFactory(partnership=world.partnership) for _ in range(30)]
    make = decided_case if name == "practice_review_start" else reviewed_case
    many = make(world.partnership, reference="MANY-2025-002", agencies=agencies)

    assert queries(bu, url(name, few)) == queries(bu, url(name, many))
    # 16, and the practice review's milestones fetched with the case (the publish guard).
    with django_assert_max_num_queries(17):
        bu.get(url(name, many))
