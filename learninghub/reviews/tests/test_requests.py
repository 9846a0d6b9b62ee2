"""The whole partnership doing its part: requests to several agencies at once, withdrawn with a
reason, agency leads' own pages and uploads, their emails and reminders; documents uploaded as
new versions, their file names checked for identifiers; sharing with the independent reviewer
and the reviewer's own uploads."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learninghub.core.anonymity.audit import ACTION as OVERRIDE_ACTION
from learninghub.core.audit.auditor import Auditor
from learninghub.core.audit.models import AuditEvent
from learninghub.core.files.tests.samples import pdf_bytes
from learninghub.core.permissions import Role
from learninghub.core.tests.html import error_summary, table_rows, visible_text
from learninghub.partnerships.tests.factories import AgencyFactory, member
from learninghub.reviews import services
from learninghub.reviews.models import Clock, Document, InformationRequest
from learninghub.reviews.tasks import send_reminders
from learninghub.reviews.tests.factories import SYSTEM, notified_case, reviewed_case

PDF = pdf_bytes("A fictional agency summary")
IDENTIFIERS = {
    "child_name": "Zebedee Quillfeather",
    "family_names": "Marigold Quillfeather",
    "date_of_birth": "3 March 2019",
    "address": "14 Larkspur Row, Northdale",
    "school": "Brambleford Primary",
}
# The demo-style dates: notified Monday 8 December 2025, so day 10 is Monday 22 December.
ASKED_ON = date(2025, 12, 9)
DUE = date(2025, 12, 22)
TODAY = date(2025, 12, 15)


@pytest.fixture
def on_today():
    with time_machine.travel(datetime(2025, 12, 15, 12, 0, tzinfo=UTC), tick=False):
        yield


def _pdf(name="summary.pdf"):
    return SimpleUploadedFile(name, PDF, "application/pdf")


@pytest.fixture
def health(world):
    return AgencyFactory(partnership=world.partnership, name="Northdale Health")


@pytest.fixture
def health_lead(world, health):
    return member(world.partnership, Role.AGENCY_LEAD, health, email="health.lead@example.org")


def _case(world, reference="TEST-2025-001"):
    case = notified_case(world.partnership, reference=reference)
    services.identifiers_update(auditor=SYSTEM, child=case.children.get(), **IDENTIFIERS)
    return case


def _ask(case, *agencies, details="Your agency's involvement since 2024"):
    return services.information_requests_create(
        auditor=SYSTEM, case=case, agencies=agencies, details=details, requested_on=ASKED_ON
    )


def _no_identifiers(*texts):
    for value in IDENTIFIERS.values():
        for text in texts:
            assert value not in text


def _rows(response):
    return table_rows(response.content.decode())


# Asking several agencies at once --------------------------------------------------------


@pytest.mark.usefixtures("on_today")
class TestAskingAgencies:
    def test_one_form_asks_two_agencies_and_emails_each_agency_s_leads(
        self, world, client_for, health, health_lead, django_capture_on_commit_callbacks
    ):
        case = _case(world)
        bu = client_for("business_unit")
        url = reverse("reviews:information_request_create", args=[case.pk])
        page = bu.get(url)
        assert "Leave blank for day 10: 22 December 2025" in visible_text(page)

        with django_capture_on_commit_callbacks(execute=True):
            response = bu.post(
                url,
                {
                    "agencies": [world.agency.pk, health.pk],
                    "details": "Contacts with the family since 2024",
                    "requested_on_day": "9",
                    "requested_on_month": "12",
                    "requested_on_year": "2025",
                },
            )

        assert response.status_code == 302
        requests = list(InformationRequest.objects.order_by("agency__name"))
        assert [(r.agency.name, r.details, r.due_on) for r in requests] == [
            ("Northdale Health", "Contacts with the family since 2024", DUE),
            ("Northdale Police", "Contacts with the family since 2024", DUE),
        ]
        assert AuditEvent.objects.filter(action="reviews.information_request.create").count() == 2
        assert Clock.objects.filter(information_request__in=requests).count() == 2
        by_recipient = {tuple(m.to): m for m in mail.outbox}
        assert set(by_recipient) == {("lead@example.org",), ("health.lead@example.org",)}
        email = by_recipient[("health.lead@example.org",)]
        assert email.subject == "Summary requested for case TEST-2025-001: due 22 December 2025"
        assert "Northdale Health is asked for its summary" in email.body
        assert "Contacts with the family since 2024" in email.body
        health_request = requests[0]
        assert reverse("reviews:agency_request", args=[health_request.pk]) in email.body
        _no_identifiers(email.subject, email.body, email.alternatives[0][0])

    def test_asking_one_agency_the_api_s_way_emails_its_leads_too(
        self, world, health, health_lead, django_capture_on_commit_callbacks
    ):
        case = _case(world)
        with django_capture_on_commit_callbacks(execute=True):
            request = services.information_request_create(
                auditor=SYSTEM, case=case, agency=health, requested_on=ASKED_ON
            )

        assert (request.agency, request.due_on) == (health, DUE)
        assert request.details == services.DEFAULT_DETAILS
        assert [m.to for m in mail.outbox] == [["health.lead@example.org"]]
        with pytest.raises(ValidationError) as refused:
            services.information_request_create(
                auditor=SYSTEM, case=case, agency=health, requested_on=ASKED_ON
            )
        assert refused.value.message_dict == {
            "agency": ["Northdale Health has already been asked for its summary"]
        }

    def test_an_agency_already_asked_is_shown_as_asked_not_offered(self, world, client_for, health):
        case = _case(world)
        _ask(case, world.agency)

        page = client_for("business_unit").get(
            reverse("reviews:information_request_create", args=[case.pk])
        )

        html = page.content.decode()
        assert f'name="agencies" type="checkbox" value="{health.pk}"' in html
        assert f'type="checkbox" value="{world.agency.pk}"' not in html
        assert "Already asked Northdale Police" in visible_text(page)

    def test_nothing_chosen_and_nothing_asked_name_their_fields(self, world, client_for):
        case = _case(world)

        page = client_for("business_unit").post(
            reverse("reviews:information_request_create", args=[case.pk]),
            {"details": ""},
        )

        assert [message for _, message in error_summary(page)] == [
            "Select at least one agency to ask",
            "Enter what is asked of the agencies",
            "Enter the date requested",
        ]
        assert not InformationRequest.objects.exists()

    def test_a_late_request_left_without_a_due_date_says_day_10_has_passed(self, world):
        case = _case(world)

        with (
            time_machine.travel(datetime(2025, 12, 23, 12, 0, tzinfo=UTC), tick=False),
            pytest.raises(ValidationError) as refused,
        ):
            services.information_requests_create(
                auditor=SYSTEM,
                case=case,
                agencies=[world.agency],
                details="Your agency's involvement",
                requested_on=date(2025, 12, 23),
            )

        assert list(refused.value.message_dict) == ["due_on"]
        assert refused.value.message_dict["due_on"] == [
            "Day 10 was 22 December 2025, before the request date: "
            "enter the date the summaries are due"
        ]
        assert not InformationRequest.objects.exists()

    def test_all_or_nothing_when_one_agency_was_already_asked(self, world, health):
        case = _case(world)
        _ask(case, world.agency)

        with pytest.raises(Exception) as refused:
            _ask(case, health, world.agency)

        assert "Northdale Police has already been asked" in str(refused.value)
        assert not InformationRequest.objects.filter(agency=health).exists()


# Withdrawing a request ------------------------------------------------------------------


@pytest.mark.usefixtures("on_today")
class TestWithdrawing:
    def test_withdrawn_with_a_reason_the_clock_goes_the_lead_is_told_and_it_can_be_asked_again(
        self, world, client_for, django_capture_on_commit_callbacks
    ):
        case = _case(world)
        (asked,) = _ask(case, world.agency)
        bu = client_for("business_unit")
        url = reverse("reviews:information_request_withdraw", args=[case.pk, asked.pk])

        refused = bu.post(url, {"reason": "  "})
        assert error_summary(refused) == [("#id_reason", "Enter why the request is withdrawn")]

        with django_capture_on_commit_callbacks(execute=True):
            bu.post(url, {"reason": "No involvement with the family"})

        asked.refresh_from_db()
        assert asked.withdrawn_on == TODAY
        assert asked.withdrawn_reason == "No involvement with the family"
        assert not Clock.objects.filter(information_request=asked).exists()
        assert AuditEvent.objects.filter(action="reviews.information_request.withdraw").exists()
        (email,) = mail.outbox
        assert email.to == ["lead@example.org"]
        assert email.subject == "Request withdrawn: summary for case TEST-2025-001"
        assert "No involvement with the family" in email.body
        _no_identifiers(email.subject, email.body)
        page = bu.get(reverse("reviews:rapid_review", args=[case.pk]))
        assert "Withdrawn on 15 December 2025" in visible_text(page)
        # The agency can be asked again.
        (again,) = _ask(case, world.agency)
        assert again.pk != asked.pk


# An agency lead's own pages -------------------------------------------------------------


@pytest.mark.usefixtures("on_today")
class TestAgencyLead:
    def test_the_lead_sees_only_their_agency_s_requests_newest_due_first(
        self, world, client_for, health
    ):
        first = _case(world, "TEST-2025-001")
        second = _case(world, "TEST-2025-002")
        _ask(first, world.agency, health)
        services.information_requests_create(
            auditor=SYSTEM,
            case=second,
            agencies=[world.agency],
            details="Later request",
            requested_on=ASKED_ON,
            due_on=date(2026, 1, 9),
        )

        page = client_for("agency_lead").get(reverse("reviews:agency_requests"))

        rows = _rows(page)
        # The reference links to the request (its hidden text names the agency).
        assert [row[0] for row in rows] == [
            "TEST-2025-002 : request to Northdale Police",
            "TEST-2025-001 : request to Northdale Police",
        ]
        assert [row[1:] for row in rows] == [
            ["Later request", "9 December 2025", "9 January 2026", "Awaited"],
            [
                "Your agency's involvement since 2024",
                "9 December 2025",
                "22 December 2025",
                "Awaited",
            ],
        ]
        _no_identifiers(page.content.decode())

    def test_another_agency_s_request_is_not_found(self, world, client_for, health):
        case = _case(world)
        health_request = next(r for r in _ask(case, world.agency, health) if r.agency == health)

        lead = client_for("agency_lead")
        assert (
            lead.get(reverse("reviews:agency_request", args=[health_request.pk])).status_code == 404
        )
        assert (
            lead.post(
                reverse("reviews:agency_request", args=[health_request.pk]), {"file": _pdf()}
            ).status_code
            == 404
        )
        # Nor the rest of the case.
        assert lead.get(reverse("reviews:case_detail", args=[case.pk])).status_code == 404

    def test_the_lead_uploads_the_summary_returned_today_and_the_business_unit_is_told(
        self, world, client_for, django_capture_on_commit_callbacks
    ):
        case = _case(world)
        (asked,) = _ask(case, world.agency)
        lead = client_for("agency_lead")
        url = reverse("reviews:agency_request", args=[asked.pk])

        empty = lead.post(url, {})
        assert error_summary(empty) == [("#id_file", "Choose the agency's summary file")]
        with django_capture_on_commit_callbacks(execute=True):
            response = lead.post(url, {"file": _pdf("police-summary.pdf")})

        assert response.status_code == 302
        asked.refresh_from_db()
        assert asked.returned_on == TODAY
        assert Clock.objects.get(information_request=asked).done_on == TODAY
        document = Document.objects.get(information_request=asked)
        assert document.latest.uploaded_by == world.user("agency_lead")
        (email,) = mail.outbox
        assert email.to == ["bu@example.org"]
        assert email.subject == "Summary received from Northdale Police for case TEST-2025-001"
        _no_identifiers(email.body)
        page = lead.get(url)
        text = visible_text(page)
        assert "Returned on 15 December 2025" in text
        assert "police-summary.pdf" in text
        # The lead downloads their own summary.
        download = lead.get(reverse("reviews:document_download", args=[document.latest.pk]))
        assert download.status_code == 200
        # The business unit sees it returned.
        rapid = client_for("business_unit").get(reverse("reviews:rapid_review", args=[case.pk]))
        assert "police-summary.pdf" in visible_text(rapid)

    def test_an_identifying_pattern_in_the_file_name_is_refused_unless_overridden(
        self, world, client_for
    ):
        case = _case(world)
        (asked,) = _ask(case, world.agency)
        lead = client_for("agency_lead")
        url = reverse("reviews:agency_request", args=[asked.pk])

        refused = lead.post(url, {"file": _pdf("summary_LS1_4AB.pdf")})

        ((anchor, message),) = error_summary(refused)
        assert anchor == "#id_file"
        assert "(a postcode)" in message
        assert not Document.objects.exists()
        lead.post(
            url,
            {
                "file": _pdf("summary_LS1_4AB.pdf"),
                "anonymity_override": "on",
                "anonymity_override_reason": "The police station's postcode",
            },
        )
        assert Document.objects.filter(information_request=asked).exists()
        event = AuditEvent.objects.get(action=OVERRIDE_ACTION)
        assert "LS1" not in str(event.changes)
        assert event.changes["anonymity_override_reason"] == [None, "The police station's postcode"]

    def test_the_lead_s_page_never_confirms_the_case_s_identifiers(self, world, client_for):
        """Only the case team may see the identifiers: a lead's upload is checked for
        identifying patterns, never against the case's record, so no guess is confirmed."""
        case = _case(world)
        (asked,) = _ask(case, world.agency)

        page = client_for("agency_lead").post(
            reverse("reviews:agency_request", args=[asked.pk]),
            {"file": _pdf("Zebedee_Quillfeather_summary.pdf")},
        )

        assert page.status_code == 302
        assert "the child's name" not in visible_text(page)

    def test_a_withdrawn_request_takes_no_upload(self, world, client_for):
        case = _case(world)
        (asked,) = _ask(case, world.agency)
        services.information_request_withdraw(auditor=SYSTEM, request=asked, reason="Not needed")

        lead = client_for("agency_lead")
        page = lead.post(reverse("reviews:agency_request", args=[asked.pk]), {"file": _pdf()})

        assert "Withdrawn on 15 December 2025" in visible_text(page)
        assert not Document.objects.exists()

    def test_the_list_and_request_pages_have_a_fixed_number_of_queries(
        self, world, client_for, django_assert_max_num_queries
    ):
        lead = client_for("agency_lead")
        _ask(_case(world, "TEST-2025-100"), world.agency)
        with CaptureQueriesContext(connection) as few:
            lead.get(reverse("reviews:agency_requests"))
        for n in range(5):
            _ask(_case(world, f"TEST-2025-{n:03d}"), world.agency)
        asked = InformationRequest.objects.first()

        with django_assert_max_num_queries(len(few.captured_queries)):
            assert lead.get(reverse("reviews:agency_requests")).status_code == 200
        with django_assert_max_num_queries(12):
            assert lead.get(reverse("reviews:agency_requests")).status_code == 200
        with django_assert_max_num_queries(14):
            assert lead.get(reverse("reviews:agency_request", args=[asked.pk])).status_code == 200


def test_the_status_of_a_request(world):
    from learninghub.reviews.selectors import request_status

    asked = InformationRequest(requested_on=ASKED_ON, due_on=DUE)
    assert request_status(asked, today=date(2025, 12, 10)).text == "Awaited"
    assert request_status(asked, today=date(2025, 12, 18)).text == "Due soon"
    assert request_status(asked, today=date(2025, 12, 23)).text == "Overdue"
    asked.returned_on = date(2025, 12, 19)
    assert request_status(asked, today=date(2025, 12, 23)).text == "Returned on 19 December 2025"
    asked.withdrawn_on = date(2025, 12, 12)
    assert request_status(asked).text == "Withdrawn on 12 December 2025"


def test_the_reminder_before_due_goes_to_the_agency_s_leads_too(
    world, health, health_lead, django_capture_on_commit_callbacks
):
    with time_machine.travel(datetime(2025, 12, 15, 12, 0, tzinfo=UTC), tick=False):
        case = _case(world)
        _ask(case, health)
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(today=date(2025, 12, 17))  # 3 working days before 22 December
        send_reminders(today=date(2025, 12, 17))  # once only

    subjects = sorted((m.to[0], m.subject) for m in mail.outbox if "summary" in m.subject)
    assert (
        "health.lead@example.org",
        "Due in 3 working days: your summary for case TEST-2025-001",
    ) in subjects
    assert [to for to, _ in subjects].count("health.lead@example.org") == 1
    lead_email = next(m for m in mail.outbox if m.to == ["health.lead@example.org"])
    assert reverse("reviews:agency_request", args=[InformationRequest.objects.get().pk]) in (
        lead_email.body
    )
    _no_identifiers(lead_email.body)
    assert any(m.to == ["bu@example.org"] for m in mail.outbox)


# Documents: new versions, names checked ------------------------------------------------


class TestCaseDocuments:
    def _upload(self, client, case, **data):
        return client.post(reverse("reviews:document_upload", args=[case.pk]), data)

    def test_uploading_again_offers_a_new_version_and_refuses_a_duplicate_title(
        self, world, client_for
    ):
        case = _case(world)
        bu = client_for("business_unit")
        self._upload(bu, case, title="Chronology", stage="rapid_review", file=_pdf("c.pdf"))
        document = Document.objects.get()

        page = bu.get(reverse("reviews:document_upload", args=[case.pk]))
        assert "A new version of Chronology" in visible_text(page)
        duplicate = self._upload(
            bu, case, version_of="new", title="chronology", stage="case", file=_pdf("c.pdf")
        )
        assert error_summary(duplicate)[0][0] == "#id_title"
        assert "There is already a document called chronology" in error_summary(duplicate)[0][1]
        self._upload(bu, case, version_of=str(document.pk), file=_pdf("c2.pdf"))

        assert Document.objects.count() == 1
        assert [v.number for v in document.versions] == [2, 1]

    def test_a_file_name_with_an_identifier_is_refused_with_the_match_shown(
        self, world, client_for
    ):
        case = _case(world)
        bu = client_for("business_unit")

        refused = self._upload(
            bu, case, title="Notes", stage="case", file=_pdf("Brambleford_Primary_notes.pdf")
        )

        assert '"Brambleford_Primary" (the child\'s school)' in error_summary(refused)[0][1]
        assert not Document.objects.exists()
        self._upload(
            bu,
            case,
            title="Notes",
            stage="case",
            file=_pdf("Brambleford_Primary_notes.pdf"),
            anonymity_override="on",
            anonymity_override_reason="Kept for the record; not for publication",
        )
        assert Document.objects.filter(title="Notes").exists()
        assert AuditEvent.objects.filter(action=OVERRIDE_ACTION).count() == 1

    def test_a_new_version_s_file_name_is_checked_too(self, world, client_for):
        case = _case(world)
        bu = client_for("business_unit")
        self._upload(bu, case, title="Chronology", stage="rapid_review", file=_pdf("c.pdf"))
        document = Document.objects.get()
        url = reverse("reviews:document_version_upload", args=[case.pk, document.pk])

        refused = bu.post(url, {"file": _pdf("Quillfeather-chronology.pdf")})

        assert error_summary(refused)[0][0] == "#id_file"
        assert '"Quillfeather"' in error_summary(refused)[0][1]
        assert [v.number for v in document.versions] == [1]

    def test_sharing_with_the_reviewer_is_a_toggle_and_audited(self, world, client_for):
        case = _case(world)
        version = services.document_upload(
            auditor=Auditor(actor=world.user("business_unit")),
            case=case,
            stage="rapid_review",
            title="Chronology",
            file=_pdf(),
        )
        document = version.stored_file.owner
        bu = client_for("business_unit")
        url = reverse("reviews:document_share", args=[case.pk, document.pk])

        bu.post(url, {"shared": "yes"})
        document.refresh_from_db()
        assert document.shared_with_reviewer
        page = bu.get(reverse("reviews:case_detail", args=[case.pk]))
        assert "Shared with the reviewer" in visible_text(page)
        bu.post(url, {"shared": "no"})
        document.refresh_from_db()
        assert not document.shared_with_reviewer
        assert list(
            AuditEvent.objects.filter(action__startswith="reviews.document.")
            .filter(action__in=["reviews.document.share", "reviews.document.unshare"])
            .order_by("sequence")
            .values_list("action", flat=True)
        ) == ["reviews.document.share", "reviews.document.unshare"]


# The independent reviewer ---------------------------------------------------------------


class TestReviewer:
    def _setup(self, world):
        case = reviewed_case(world.partnership, reviewer=world.user("independent_reviewer"))
        bu = Auditor(actor=world.user("business_unit"))
        shared = services.document_upload(
            auditor=bu, case=case, stage="rapid_review", title="Police summary", file=_pdf()
        ).stored_file.owner
        services.document_share_with_reviewer(auditor=bu, document=shared, shared=True)
        private = services.document_upload(
            auditor=bu, case=case, stage="rapid_review", title="Meeting notes", file=_pdf()
        ).stored_file.owner
        return case, shared, private

    def test_the_reviewer_sees_only_what_was_shared_and_their_own(self, world, client_for):
        case, shared, private = self._setup(world)
        reviewer = client_for("independent_reviewer")

        page = reviewer.get(reverse("reviews:reviewer_review", args=[case.practice_review.pk]))

        text = visible_text(page)
        assert "Police summary" in text
        assert "Meeting notes" not in text
        download = reverse("reviews:document_download", args=[shared.latest.pk])
        assert reviewer.get(download).status_code == 200
        hidden = reverse("reviews:document_download", args=[private.latest.pk])
        assert reviewer.get(hidden).status_code == 404
        assert client_for("practitioner").get(download).status_code == 404

    def test_the_reviewer_uploads_a_draft_then_a_new_version_and_the_business_unit_is_told(
        self, world, client_for, django_capture_on_commit_callbacks
    ):
        case, _, _ = self._setup(world)
        reviewer = client_for("independent_reviewer")
        url = reverse("reviews:reviewer_upload", args=[case.practice_review.pk])

        empty = reviewer.post(url, {})
        assert [a for a, _ in error_summary(empty)] == ["#id_title", "#stage", "#id_file"]
        with django_capture_on_commit_callbacks(execute=True):
            reviewer.post(url, {"title": "Draft report", "stage": "draft_report", "file": _pdf()})
        draft = Document.objects.get(title="Draft report")
        assert draft.stage == "draft_report"
        (email,) = mail.outbox
        assert email.to == ["bu@example.org"]
        assert "uploaded Draft report (Draft report, version 1)" in email.body
        reviewer.post(url, {"version_of": str(draft.pk), "file": _pdf("draft-2.pdf")})
        assert [v.number for v in draft.versions] == [2, 1]
        assert draft.latest.uploaded_by == world.user("independent_reviewer")
        page = reviewer.get(reverse("reviews:reviewer_review", args=[case.practice_review.pk]))
        assert "Draft report" in visible_text(page)
        assert (
            reviewer.get(reverse("reviews:document_download", args=[draft.latest.pk])).status_code
            == 200
        )

    def test_another_reviewer_cannot_upload(self, world, client_for):
        case = reviewed_case(world.partnership)  # no reviewer named

        response = client_for("independent_reviewer").get(
            reverse("reviews:reviewer_upload", args=[case.practice_review.pk])
        )

        assert response.status_code == 404
