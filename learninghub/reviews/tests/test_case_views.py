"""The case pages: the list, opening and changing a case, its overview, identifying details,
findings, recommendations and slippage."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from learninghub.core.audit.auditor import Auditor
from learninghub.core.audit.models import AuditEvent
from learninghub.core.files.tests.samples import pdf_bytes
from learninghub.core.taxonomy.models import Theme
from learninghub.core.tests.html import checked_values, field_value, table_rows, visible_text
from learninghub.partnerships.tests.conftest import error_summary, page_text
from learninghub.partnerships.tests.factories import AgencyFactory
from learninghub.reviews import services, tasks
from learninghub.reviews.models import CaseIdentifiers, Finding, Recommendation, Slippage
from learninghub.reviews.tests.factories import (
    SYSTEM,
    decided_case,
    notified_case,
    open_case,
    reviewed_case,
)

# A fictional child's details: none of it may appear anywhere but the identifiers page.
CHILD_NAME = "Zebedee Quartermaine-Fictional"
FAMILY = "Mother: Ottoline Quartermaine-Fictional"
ADDRESS = "14 Imaginary Close, Nowhereton"
SCHOOL = "Fictional Lane Primary Academy"
NEW_SCHOOL = "Pretend Valley High School"


@pytest.fixture
def bu(client_for):
    return client_for("business_unit")


@pytest.fixture
def crg(client_for):
    return client_for("case_review_group")


def _theme(name="Neglect"):
    return Theme.objects.get_or_create(name=name, defaults={"is_active": True})[0]


def _events(action):
    return AuditEvent.objects.filter(action=action)


def _rows(response) -> int:
    return len(table_rows(response))


# The case list --------------------------------------------------------------------------


class TestCaseList:
    url = reverse("reviews:case_list")

    def test_shows_this_partnership_s_cases_with_their_next_deadline(self, world, bu):
        notified_case(world.partnership, reference="NDSCP-2025-001", pseudonym="Child A")
        open_case(world.partnership, reference="NDSCP-2025-002", pseudonym="Baby Thomas")
        open_case(world.other_partnership, reference="EMSCP-2025-009", pseudonym="Child Z")

        text = page_text(bu.get(self.url))

        assert "NDSCP-2025-001" in text and "Child A" in text
        assert "Baby Thomas" in text
        assert "EMSCP-2025-009" not in text and "Child Z" not in text
        # The notified case's next deadline is its rapid review, with the rule and a status.
        assert "Rapid review to the Panel" in text
        assert "15 working days from notification on 8 December 2025" in text
        assert "govuk-tag" in text
        assert "No open deadline" in text
        assert "Record a serious incident notification" in text

    def test_the_case_review_group_sees_the_cases_but_cannot_open_one(self, world, crg):
        open_case(world.partnership, reference="NDSCP-2025-001")

        text = page_text(crg.get(self.url))

        assert "NDSCP-2025-001" in text
        assert "Record a serious incident notification" not in text

    def test_search_by_reference_or_pseudonym(self, world, bu):
        open_case(world.partnership, reference="NDSCP-2025-001", pseudonym="Child A")
        open_case(world.partnership, reference="NDSCP-2025-002", pseudonym="Baby Thomas")

        by_pseudonym = page_text(bu.get(self.url, {"q": "thomas"}))
        by_reference = page_text(bu.get(self.url, {"q": "2025-001"}))

        assert "NDSCP-2025-002" in by_pseudonym and "NDSCP-2025-001" not in by_pseudonym
        assert "NDSCP-2025-001" in by_reference and "NDSCP-2025-002" not in by_reference
        assert "Clear the search" in by_reference

    def test_filter_by_stage(self, world, bu):
        open_case(world.partnership, reference="STAGE-NOTIFICATION")
        decided_case(world.partnership, reference="STAGE-RAPID")
        reviewed_case(world.partnership, reference="STAGE-REVIEW")

        for stage, expected in [
            ("notification", "STAGE-NOTIFICATION"),
            ("rapid_review", "STAGE-RAPID"),
            ("practice_review", "STAGE-REVIEW"),
        ]:
            text = visible_text(bu.get(self.url, {"stage": stage}))
            found = set(re.findall(r"STAGE-[A-Z]+", text))
            assert found == {expected}, stage
        assert "No cases match your search" in page_text(bu.get(self.url, {"stage": "published"}))

    def test_pages_of_25_keep_the_search(self, world, bu):
        for n in range(30):
            open_case(world.partnership, reference=f"PAGE-{n:03}", pseudonym=f"Child {n}")

        first = bu.get(self.url, {"q": "PAGE"})
        second = bu.get(self.url, {"q": "PAGE", "page": 2})

        assert _rows(first) == 25
        assert _rows(second) == 5
        assert "?page=2&amp;q=PAGE" in first.content.decode()
        assert "All cases" not in page_text(first) and "Cases found (30)" in page_text(first)

    def test_queries_do_not_grow_with_cases_or_clocks(
        self, world, bu, django_assert_max_num_queries
    ):
        def make(n, start):
            for i in range(start, start + n):
                case = notified_case(world.partnership, reference=f"Q-{i:03}")
                services.information_request_create(
                    auditor=SYSTEM, case=case, agency=world.agency, requested_on=date(2025, 12, 9)
                )

        make(3, 0)
        bu.get(self.url)
        with django_assert_max_num_queries(14) as few:  # includes writing the read event
            assert bu.get(self.url).status_code == 200
        make(27, 3)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = bu.get(self.url)
        assert _rows(response) == 25


# Opening and changing a case ------------------------------------------------------------


def _case_data(world, **overrides):
    data = {
        "reference": "ndscp-2025-003",
        "pseudonym": "Child C",
        "age_band": "5_9",
        "sex": "male",
        "ethnicity": "white_british",
        "agencies": [str(world.agency.pk)],
        "themes": [str(_theme().pk)],
        "cdop_reference": "",
    }
    data.update(overrides)
    return data


# Opening a case is recording its notification: test_intake_views.py.


class TestCaseEdit:
    def test_the_form_starts_with_the_case_s_details(self, world, bu):
        case = open_case(world.partnership, reference="NDSCP-2025-001", agencies=[world.agency])

        response = bu.get(reverse("reviews:case_edit", args=[case.pk]))

        assert field_value(response, "reference") == "NDSCP-2025-001"
        assert "Change case NDSCP-2025-001" in page_text(response)
        assert checked_values(response, "agencies") == [str(world.agency.pk)]

    def test_a_change_is_saved_and_shown_in_the_history(self, world, bu):
        case = open_case(world.partnership, reference="NDSCP-2025-001")

        response = bu.post(
            reverse("reviews:case_edit", args=[case.pk]),
            _case_data(world, reference="NDSCP-2025-001", pseudonym="Child Q"),
        )

        assert response["Location"] == reverse("reviews:case_detail", args=[case.pk])
        case.refresh_from_db()
        assert case.pseudonym == "Child Q"
        text = page_text(bu.get(response["Location"]))
        assert "The case was changed" in text
        assert "Pseudonym: Child A → Child Q" in text

    def test_an_agency_no_longer_taking_part_stays_on_the_case(self, world, bu):
        old = AgencyFactory(partnership=world.partnership, name="Northdale Old", is_active=False)
        case = open_case(world.partnership, agencies=[old])

        text = page_text(bu.get(reverse("reviews:case_edit", args=[case.pk])))

        assert "Northdale Old" in text

    def test_bad_input_changes_nothing(self, world, crg):
        case = open_case(world.partnership, reference="NDSCP-2025-001")

        response = crg.post(
            reverse("reviews:case_edit", args=[case.pk]), _case_data(world, pseudonym="")
        )

        assert response.status_code == 200
        assert "There is a problem" in page_text(response)
        assert error_summary(response) == [("#id_pseudonym", "Enter the name the case goes by")]
        case.refresh_from_db()
        assert case.pseudonym == "Child A"

    def test_get_queries(self, world, bu, django_assert_max_num_queries):
        case = open_case(world.partnership, agencies=[world.agency])
        bu.get(reverse("reviews:case_edit", args=[case.pk]))
        with django_assert_max_num_queries(
            17
        ):  # the case's children (and milestones), one prefetch each
            assert bu.get(reverse("reviews:case_edit", args=[case.pk])).status_code == 200


# The case overview ----------------------------------------------------------------------


def _pdf(name="report.pdf"):
    return SimpleUploadedFile(name, pdf_bytes("A fictional report"), "application/pdf")


def _fill(world, case, n, *, start=0):
    """n of each thing the overview lists: findings, recommendations, documents, slippage,
    and an agency summary clock per agency."""
    theme = _theme()
    person = Auditor(actor=world.user("business_unit"))
    for i in range(start, start + n):
        agency = AgencyFactory(partnership=world.partnership, name=f"Agency {i:03}")
        services.information_request_create(
            auditor=SYSTEM, case=case, agency=agency, requested_on=date(2025, 12, 9)
        )
        services.finding_add(auditor=SYSTEM, case=case, text=f"Finding {i}", themes=[theme])
        services.recommendation_add(
            auditor=SYSTEM,
            case=case,
            text=f"Recommendation {i}",
            to_partnership=bool(i % 2),
            agencies=[agency],
            themes=[theme],
        )
        services.document_upload(
            auditor=person, case=case, stage="rapid_review", title=f"Doc {i}", file=_pdf()
        )
        services.slippage_record(
            auditor=person, case=case, clock_kind="rapid_review", reason=f"Late {i}"
        )


class TestCaseDetail:
    def test_the_overview_shows_the_case_and_everything_under_it(self, world, bu):
        case = notified_case(world.partnership, reference="NDSCP-2025-001", agencies=[world.agency])
        _fill(world, case, 1)

        text = page_text(bu.get(reverse("reviews:case_detail", args=[case.pk])))

        assert "NDSCP-2025-001: Child A" in text
        assert "Northdale Safeguarding Children Partnership" in text
        assert "1 to 4" in text and "Female" in text and "Northdale Police" in text
        shown = " ".join(
            visible_text(bu.get(reverse("reviews:case_detail", args=[case.pk]))).split()
        )
        assert "CDOP or NCMD reference Not recorded" in shown
        # Deadlines come from the stored clocks, with their rule and status.
        assert "Notification to the Panel" in text
        assert "5 working days from" in text
        assert "15 working days from notification on 8 December 2025" in text
        assert "Met" in text
        # The stages as a task list.
        assert "Sent to the Panel on 8 December 2025" in text
        assert "govuk-task-list" in text
        # Findings, recommendations, documents and slippage.
        assert "Finding 0" in text
        assert "Recommendation 0" in text and "Agency 000" in text
        assert "Doc 0" in text and "Version 1" in text and "report.pdf" in text
        assert "Upload a new version" in text
        assert "Late 0" in text and "Rapid review to the Panel" in text
        # The history gathers events about the case's stage objects too, newest first.
        assert "Recorded the notification for NDSCP-2025-001" in text
        assert "Added a finding to NDSCP-2025-001" in text
        assert text.index("Recorded slippage on") < text.index("Opened case NDSCP-2025-001")

    def test_each_view_is_logged_but_reads_stay_out_of_the_history(self, world, bu):
        case = open_case(world.partnership, reference="NDSCP-2025-001")
        url = reverse("reviews:case_detail", args=[case.pk])

        bu.get(url)
        text = page_text(bu.get(url))

        reads = _events("reviews.case.read").filter(object_id=str(case.pk))
        assert reads.count() == 2
        assert reads.first().actor == world.user("business_unit")
        assert "Viewed case" not in text

    def test_the_history_leaves_out_other_cases(self, world, bu):
        case = open_case(world.partnership, reference="NDSCP-2025-001")
        other = open_case(world.partnership, reference="NDSCP-2025-002")
        services.finding_add(auditor=SYSTEM, case=other, text="Elsewhere")

        text = page_text(bu.get(reverse("reviews:case_detail", args=[case.pk])))

        assert "Added a finding to NDSCP-2025-002" not in text
        assert "Opened case NDSCP-2025-002" not in text

    def test_a_case_with_nothing_yet(self, world, crg):
        case = open_case(world.partnership)

        text = page_text(crg.get(reverse("reviews:case_detail", args=[case.pk])))

        assert "The statutory clock starts when the notification is recorded" in text
        assert "Not started" in text and "Cannot start yet" in text
        assert "No findings have been recorded" in text
        assert "No documents have been uploaded" in text

    def test_queries_do_not_grow_with_what_the_case_holds(
        self, world, bu, django_assert_max_num_queries
    ):
        case = decided_case(world.partnership)
        url = reverse("reviews:case_detail", args=[case.pk])
        _fill(world, case, 3)
        bu.get(url)
        with django_assert_max_num_queries(20) as few:
            assert bu.get(url).status_code == 200
        _fill(world, case, 27, start=3)
        with django_assert_max_num_queries(len(few.captured_queries)):
            text = page_text(bu.get(url))
        assert "Doc 29" in text and "Finding 29" in text and "Agency 029" in text


# Identifying details --------------------------------------------------------------------


def _identify(case):
    services.identifiers_update(
        auditor=SYSTEM,
        child=case.children.get(),
        child_name=CHILD_NAME,
        family_names=FAMILY,
        date_of_birth="2021-03-14",
        address=ADDRESS,
        school=SCHOOL,
    )


class TestIdentifiers:
    def test_the_page_shows_the_details_with_a_warning_and_logs_every_view(self, world, crg):
        case = open_case(world.partnership)
        _identify(case)
        url = reverse("reviews:identifiers", args=[case.pk])

        crg.get(url)
        text = page_text(crg.get(url))

        assert CHILD_NAME in text and FAMILY in text and ADDRESS in text and SCHOOL in text
        assert "14 March 2021" in text
        assert "These details identify the child. Do not copy them into any other record" in text
        assert _events("reviews.identifiers.read").count() == 2

    def test_a_case_without_details_yet(self, world, bu):
        case = open_case(world.partnership)

        text = page_text(bu.get(reverse("reviews:identifiers", args=[case.pk])))

        assert text.count("Not recorded") == 5
        assert "None" not in text
        assert "identifying details of Child A" in text
        assert _events("reviews.identifiers.read").count() == 1

    def test_saving_the_details_redirects_with_a_banner(self, world, bu):
        case = open_case(world.partnership)
        url = reverse("reviews:identifiers_edit", args=[case.pk, case.children.get().pk])

        response = bu.post(
            url,
            {
                "child_name": CHILD_NAME,
                "family_names": FAMILY,
                "date_of_birth_day": "14",
                "date_of_birth_month": "3",
                "date_of_birth_year": "2021",
                "address": ADDRESS,
                "school": "",
            },
        )

        assert response["Location"] == reverse("reviews:identifiers", args=[case.pk])
        saved = CaseIdentifiers.objects.get(child__case=case)
        assert saved.child_name == CHILD_NAME
        assert saved.date_of_birth == "2021-03-14"
        assert saved.school == ""
        text = page_text(bu.get(response["Location"]))
        assert "The identifying details were saved" in text

    def test_the_form_starts_with_the_details_and_logs_the_read(self, world, bu):
        case = open_case(world.partnership)
        _identify(case)

        text = page_text(
            bu.get(reverse("reviews:identifiers_edit", args=[case.pk, case.children.get().pk]))
        )

        assert f'value="{CHILD_NAME}"' in text
        assert 'name="date_of_birth_year"' in text and 'value="2021"' in text
        assert _events("reviews.identifiers.read").count() == 1

    def test_a_date_of_birth_in_the_future_is_refused(self, world, bu):
        case = open_case(world.partnership)

        response = bu.post(
            reverse("reviews:identifiers_edit", args=[case.pk, case.children.get().pk]),
            {
                "child_name": CHILD_NAME,
                "date_of_birth_day": "1",
                "date_of_birth_month": "1",
                "date_of_birth_year": "2999",
            },
        )

        assert response.status_code == 200
        assert "There is a problem" in page_text(response)
        assert error_summary(response) == [
            ("#date_of_birth_day", "The date of birth must be today or in the past")
        ]
        assert not CaseIdentifiers.objects.exists()

    def test_the_details_appear_on_their_own_page_and_nowhere_else(
        self, world, bu, client_for, django_capture_on_commit_callbacks
    ):
        case = notified_case(world.partnership, reference="NDSCP-2025-001")
        _identify(case)
        # Change them through the page, so the change is in the log and the history.
        bu.post(
            reverse("reviews:identifiers_edit", args=[case.pk, case.children.get().pk]),
            {
                "child_name": CHILD_NAME,
                "family_names": FAMILY,
                "date_of_birth_day": "14",
                "date_of_birth_month": "3",
                "date_of_birth_year": "2021",
                "address": ADDRESS,
                "school": NEW_SCHOOL,
            },
        )
        services.recommendation_add(
            auditor=SYSTEM, case=case, text="Share", to_partnership=False, agencies=[world.agency]
        )
        # A reminder email about the case goes to the business unit.
        rapid = case.clocks.get(kind="rapid_review")
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.send_reminders(today=rapid.due_date) >= 1
        assert mail.outbox

        secrets = [CHILD_NAME, FAMILY, ADDRESS, SCHOOL, NEW_SCHOOL, "2021-03-14", "14 March 2021"]
        own_page = page_text(bu.get(reverse("reviews:identifiers", args=[case.pk])))
        assert CHILD_NAME in own_page

        pages = {
            "case list": ("business_unit", reverse("reviews:case_list")),
            "case detail": ("business_unit", reverse("reviews:case_detail", args=[case.pk])),
            "case edit": ("business_unit", reverse("reviews:case_edit", args=[case.pk])),
            "dashboard": ("business_unit", reverse("core:dashboard")),
            "needs attention": ("business_unit", reverse("core:needs_attention")),
            "audit log": ("business_unit", "/manage/audit/"),
            "audit search": ("business_unit", "/manage/audit/?q=Quartermaine"),
            "notification": ("business_unit", reverse("reviews:notification", args=[case.pk])),
            "rapid review": ("business_unit", reverse("reviews:rapid_review", args=[case.pk])),
            "agency recommendations": ("agency_lead", reverse("reviews:agency_recommendations")),
            "reviewer's reviews": ("independent_reviewer", reverse("reviews:reviewer_reviews")),
            "admin's audit log": ("system_admin", "/manage/audit/"),
        }
        for name, (role, url) in pages.items():
            response = client_for(role).get(url)
            assert response.status_code == 200, name
            text = page_text(response)
            for secret in secrets:
                assert secret not in text, f"{secret!r} appears on the {name} page"
        for message in mail.outbox:
            whole = message.subject + message.body + " ".join(message.to)
            for secret in secrets:
                assert secret not in whole, f"{secret!r} appears in an email"
        for event in AuditEvent.objects.all():
            logged = json.dumps(event.content(), default=str)
            for secret in secrets:
                assert secret not in logged, f"{secret!r} is in the audit event {event.action}"
        change = _events("reviews.identifiers.update").order_by("-id").first()
        assert set(change.changes) == {"school"}  # which detail changed, never its value

    def test_get_queries(self, world, bu, django_assert_max_num_queries):
        case = open_case(world.partnership)
        _identify(case)
        child = case.children.get()
        for name, args in (
            ("reviews:identifiers", [case.pk]),
            ("reviews:identifiers_edit", [case.pk, child.pk]),
        ):
            url = reverse(name, args=args)
            bu.get(url)
            with django_assert_max_num_queries(16):
                assert bu.get(url).status_code == 200


# Findings and recommendations -----------------------------------------------------------


class TestFindingCreate:
    def test_adding_a_finding_with_themes(self, world, crg):
        case = open_case(world.partnership)
        theme = _theme()
        url = reverse("reviews:finding_create", args=[case.pk])
        assert "Neglect" in page_text(crg.get(url))

        response = crg.post(
            url, {"text": "Agencies did not share information", "themes": [theme.pk]}
        )

        assert response["Location"] == reverse("reviews:case_detail", args=[case.pk]) + "#findings"
        finding = Finding.objects.get(case=case)
        assert list(finding.themes.all()) == [theme]
        text = page_text(crg.get(response["Location"]))
        assert "The finding was added" in text
        assert "Agencies did not share information" in text

    def test_an_empty_finding_is_refused(self, world, crg):
        case = open_case(world.partnership)

        response = crg.post(reverse("reviews:finding_create", args=[case.pk]), {"text": ""})

        assert response.status_code == 200
        assert "There is a problem" in page_text(response)
        assert error_summary(response) == [("#id_text", "Enter the finding")]
        assert not Finding.objects.exists()

    def test_get_queries(self, world, bu, django_assert_max_num_queries):
        case = open_case(world.partnership)
        url = reverse("reviews:finding_create", args=[case.pk])
        bu.get(url)
        # includes writing the read event, and the case's children (one prefetch)
        with django_assert_max_num_queries(16):
            assert bu.get(url).status_code == 200


class TestRecommendationCreate:
    def test_addressed_to_the_partnership_and_an_agency(self, world, bu):
        case = open_case(world.partnership)
        url = reverse("reviews:recommendation_create", args=[case.pk])
        form = page_text(bu.get(url))
        assert "The partnership as a whole" in form and "Northdale Police" in form
        assert "Eastmoor Police" not in form

        response = bu.post(
            url,
            {"text": "Review the escalation policy", "agencies": ["partnership", world.agency.pk]},
        )

        assert response.status_code == 302
        recommendation = Recommendation.objects.get(case=case)
        assert recommendation.to_partnership is True
        assert list(recommendation.agencies.all()) == [world.agency]
        text = page_text(bu.get(response["Location"]))
        assert "The recommendation was added" in text
        assert "The partnership, Northdale Police" in text

    def test_addressed_to_no_one_is_refused(self, world, bu):
        case = open_case(world.partnership)

        response = bu.post(
            reverse("reviews:recommendation_create", args=[case.pk]), {"text": "Do better"}
        )

        assert response.status_code == 200
        assert "There is a problem" in page_text(response)
        assert error_summary(response) == [
            (
                "#agencies",
                "Choose the agencies the recommendation is addressed to, "
                "or address it to the partnership",
            )
        ]
        assert not Recommendation.objects.exists()

    def test_another_partnership_s_agency_is_refused(self, world, bu):
        case = open_case(world.partnership)

        response = bu.post(
            reverse("reviews:recommendation_create", args=[case.pk]),
            {"text": "Do better", "agencies": [world.other_agency.pk]},
        )

        assert error_summary(response) == [("#agencies", "Choose agencies in this partnership")]
        assert not Recommendation.objects.exists()

    def test_get_queries(self, world, bu, django_assert_max_num_queries):
        case = open_case(world.partnership)
        url = reverse("reviews:recommendation_create", args=[case.pk])
        bu.get(url)
        # includes writing the read event, and the case's children (one prefetch)
        with django_assert_max_num_queries(17):
            assert bu.get(url).status_code == 200


# Slippage -------------------------------------------------------------------------------


class TestSlippageCreate:
    def test_the_choices_are_the_case_s_deadlines(self, world, bu):
        case = notified_case(world.partnership)

        text = page_text(bu.get(reverse("reviews:slippage_create", args=[case.pk])))

        assert "Notification to the Panel (due" in text
        assert "Rapid review to the Panel (due" in text
        assert "Publication of the practice review" not in text

    def test_recording_slippage(self, world, bu):
        case = notified_case(world.partnership)

        response = bu.post(
            reverse("reviews:slippage_create", args=[case.pk]),
            {"clock_kind": "rapid_review", "reason": "The police summary arrived late"},
        )

        assert response["Location"] == reverse("reviews:case_detail", args=[case.pk]) + "#slippage"
        slippage = Slippage.objects.get(case=case)
        assert slippage.recorded_by == world.user("business_unit")
        text = page_text(bu.get(response["Location"]))
        assert "The slippage was recorded" in text
        assert "The police summary arrived late" in text

    def test_a_missing_reason_or_deadline_is_refused(self, world, bu):
        case = notified_case(world.partnership)

        response = bu.post(
            reverse("reviews:slippage_create", args=[case.pk]),
            {"clock_kind": "publication", "reason": ""},
        )

        assert response.status_code == 200
        assert "There is a problem" in page_text(response)
        assert error_summary(response) == [
            ("#clock_kind", "Choose a deadline this case has"),
            ("#id_reason", "Give the reason for the slippage"),
        ]
        assert not Slippage.objects.exists()

    def test_a_case_without_deadlines_says_so(self, world, bu):
        case = open_case(world.partnership)

        text = page_text(bu.get(reverse("reviews:slippage_create", args=[case.pk])))

        assert "This case has no deadlines yet" in text
        assert 'name="reason"' not in text

    def test_get_queries(self, world, bu, django_assert_max_num_queries):
        case = notified_case(world.partnership)
        url = reverse("reviews:slippage_create", args=[case.pk])
        bu.get(url)
        # includes writing the read event, and the case's children (one prefetch)
        with django_assert_max_num_queries(16):
            assert bu.get(url).status_code == 200
