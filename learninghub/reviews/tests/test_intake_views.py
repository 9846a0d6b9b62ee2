"""The pages of how a case begins: recording the notification (one to four children), the
children's pages, identifying details child by child, the settings page, and the
notification page's two duties."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from learninghub.core.audit.models import AuditEvent
from learninghub.core.tests.html import (
    checked_values,
    error_summary,
    field_value,
    soup,
    text_of,
    visible_text,
)
from learninghub.reviews import services
from learninghub.reviews.models import Case, Child
from learninghub.reviews.tests.factories import SYSTEM, decided_case, open_case

NEW = reverse("reviews:case_create")


@pytest.fixture
def bu(client_for):
    return client_for("business_unit")


@pytest.fixture
def crg(client_for):
    return client_for("case_review_group")


def _date(prefix, value: date) -> dict:
    return {
        f"{prefix}_day": value.day,
        f"{prefix}_month": value.month,
        f"{prefix}_year": value.year,
    }


def _child(n, name, **extra) -> dict:
    values = {"pseudonym": name, "age_band": "5_9", "sex": "female", "ethnicity": "not_known"}
    values |= extra
    return {f"child_{n}_{k}": v for k, v in values.items()}


def _post(today, **extra) -> dict:
    data = {
        **_date("aware_date", today),
        "what_happened": ["seriously_harmed"],
        "abuse_or_neglect_suspected": "on",
        "care_status": "neither",
        "children_shown": "1",
        "reference": "NDSCP-2025-050",
        "suggested_reference": "",
        **_child(1, "Child E"),
    }
    data.update(extra)
    return data


# Record a serious incident notification --------------------------------------------------


def test_the_case_list_offers_to_record_a_notification(bu, crg, world):
    page = bu.get(reverse("reviews:case_list"))
    link = soup(page).find("a", string=lambda s: s and "Record a serious incident" in s)
    assert link is not None and link["href"] == NEW
    assert "Record a serious incident" not in visible_text(crg.get(reverse("reviews:case_list")))


def test_the_page_asks_for_the_aware_date_first_with_the_next_reference_filled_in(
    bu, world, frozen_clock, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        page = bu.get(NEW)
    assert page.status_code == 200
    document = soup(page)
    assert text_of(document.find("h1")) == "Record a serious incident notification"
    questions = [i["name"] for i in document.select("form input:not([type=hidden]), form select")]
    assert questions[0] == "aware_date_day"
    year = timezone.localdate().year
    assert field_value(page, "reference") == f"NDSCP-{year}-001"
    # One child to begin with, and a way to add another.
    assert field_value(page, "child_1_pseudonym") == ""
    assert field_value(page, "child_2_pseudonym") is None
    assert document.find("button", attrs={"name": "add_child"}) is not None


def test_add_another_child_shows_one_more_and_keeps_what_was_typed(bu, world, frozen_clock):
    today = timezone.localdate()
    page = bu.post(NEW, _post(today, add_child="1"))
    assert page.status_code == 200
    assert error_summary(page) == []
    assert field_value(page, "child_1_pseudonym") == "Child E"
    assert field_value(page, "child_2_pseudonym") == ""
    assert field_value(page, "children_shown") == "2"
    assert field_value(page, "aware_date_day") == str(today.day)
    # Up to four, and no further.
    page = bu.post(NEW, _post(today, add_child="1", children_shown="4"))
    assert field_value(page, "child_4_pseudonym") == ""
    assert field_value(page, "child_5_pseudonym") is None
    assert soup(page).find("button", attrs={"name": "add_child"}) is None
    assert not Case.objects.exists()


def test_recording_a_notification_naming_two_children_opens_the_case_in_needs_attention(
    bu, world, frozen_clock
):
    today = timezone.localdate()
    data = _post(today, children_shown="2", **_child(2, "Child F", sex="male"))
    response = bu.post(NEW, data)
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:case_detail", args=[case.pk])
    assert case.reference == "NDSCP-2025-050"
    assert case.pseudonym == "Child E and Child F"
    assert list(case.children.values_list("pseudonym", flat=True)) == ["Child E", "Child F"]
    overview = visible_text(bu.get(response["Location"]))
    assert "Child E: 5 to 9" in overview or "Child E:" in overview
    assert "Child F:" in overview
    dashboard = visible_text(bu.get(reverse("reviews:dashboard"), follow=True))
    assert "NDSCP-2025-050" in dashboard


def test_an_unchanged_suggestion_is_made_again_from_the_year_of_becoming_aware(
    bu, world, frozen_clock
):
    open_case(world.partnership, reference="NDSCP-2024-003")
    data = _post(
        date(2024, 12, 2), reference="NDSCP-2099-001", suggested_reference="NDSCP-2099-001"
    )
    assert bu.post(NEW, data).status_code == 302
    assert Case.objects.filter(reference="NDSCP-2024-004").exists()


def test_a_date_error_does_not_hide_the_other_errors(bu, world, frozen_clock):
    data = _post(
        timezone.localdate(),
        aware_date_day="31",
        aware_date_month="2",
        what_happened=[],
        child_1_pseudonym="",
        child_1_sex="",
    )
    page = bu.post(NEW, data)
    assert page.status_code == 200
    summary = dict(error_summary(page))
    assert summary["#aware_date_day"] == "The date must be a real date"
    assert "died or was seriously harmed" in summary["#what_happened"]
    assert "Enter a pseudonym for the child" in summary.values()
    assert "Select the sex of the child" in summary.values()
    assert visible_text(page).startswith("Error:") or "Error:" in text_of(soup(page).title)
    assert not Case.objects.exists()


def test_a_later_child_left_blank_does_not_count(bu, world, frozen_clock):
    data = _post(timezone.localdate(), children_shown="2")
    assert bu.post(NEW, data).status_code == 302
    assert Child.objects.count() == 1


def test_a_half_filled_second_child_is_refused_naming_the_field(bu, world, frozen_clock):
    data = _post(timezone.localdate(), children_shown="2", child_2_pseudonym="Child F")
    page = bu.post(NEW, data)
    messages = [m for _href, m in error_summary(page)]
    assert "Select the age of child 2" in messages
    assert not Case.objects.exists()


def test_a_looked_after_childs_death_without_abuse_is_recorded(bu, world, frozen_clock):
    data = _post(
        timezone.localdate(),
        what_happened=["died"],
        abuse_or_neglect_suspected="",
        care_status="looked_after",
    )
    assert bu.post(NEW, data).status_code == 302
    case = Case.objects.get()
    page = visible_text(bu.get(reverse("reviews:notification", args=[case.pk])))
    assert "Notify Ofsted and the Secretary of State by" in page
    assert "Notify the Panel by" not in page


def test_a_pseudonym_that_looks_like_a_date_of_birth_is_stopped(bu, world, frozen_clock):
    page = bu.post(NEW, _post(timezone.localdate(), child_1_pseudonym="Child 12/03/2019"))
    assert page.status_code == 200
    assert any("may identify" in m for _h, m in error_summary(page))
    assert not Case.objects.exists()


# The notification page: both duties -------------------------------------------------------


def test_a_care_leavers_death_that_is_a_serious_incident_shows_both_duties(bu, world):
    case = services.notification_open(
        auditor=SYSTEM,
        partnership=world.partnership,
        reference="NDSCP-2025-060",
        aware_date=date(2025, 12, 19),
        child_died=True,
        abuse_or_neglect_suspected=True,
        care_status="care_leaver",
        children=[
            {"pseudonym": "Child G", "age_band": "18_24", "sex": "male", "ethnicity": "not_known"}
        ],
    )
    page = visible_text(bu.get(reverse("reviews:notification", args=[case.pk])))
    assert "Notify the Panel by 30 December 2025" in page
    assert "Notify Ofsted and the Secretary of State by 30 December 2025" in page
    assert "Death of a care leaver to Ofsted and the Secretary of State" in page


# Children on the case -----------------------------------------------------------------------


def test_the_business_unit_adds_and_changes_a_child(bu, crg, world):
    case = open_case(world.partnership)
    overview = soup(bu.get(reverse("reviews:case_detail", args=[case.pk])))
    assert overview.find("a", string="Add a child") is not None
    # The case review group sees the children but does not change them.
    crg_view = soup(crg.get(reverse("reviews:case_detail", args=[case.pk])))
    assert crg_view.find("a", string="Add a child") is None
    add = reverse("reviews:child_add", args=[case.pk])
    response = bu.post(
        add, {"pseudonym": "Child B", "age_band": "10_15", "sex": "male", "ethnicity": "not_known"}
    )
    assert response.status_code == 302
    child = case.children.get(pseudonym="Child B")
    assert child.position == 2
    edit = reverse("reviews:child_edit", args=[case.pk, child.pk])
    assert field_value(bu.get(edit), "pseudonym") == "Child B"
    response = bu.post(
        edit, {"pseudonym": "Child C", "age_band": "10_15", "sex": "male", "ethnicity": "not_known"}
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.pseudonym == "Child C"
    assert AuditEvent.objects.filter(action="reviews.child.update").exists()


def test_a_childs_pseudonym_containing_a_siblings_name_is_stopped(bu, world):
    case = open_case(world.partnership)
    services.child_add(
        auditor=SYSTEM,
        case=case,
        pseudonym="Child B",
        age_band="5_9",
        sex="male",
        ethnicity="not_known",
    )
    first = case.children.get(position=1)
    services.identifiers_update(auditor=SYSTEM, child=first, child_name="Peregrine Fictional")
    second = case.children.get(position=2)
    edit = reverse("reviews:child_edit", args=[case.pk, second.pk])
    data = {"pseudonym": "Peregrine", "age_band": "5_9", "sex": "male", "ethnicity": "not_known"}
    page = bu.post(edit, data)
    assert page.status_code == 200
    assert any("may identify" in m for _h, m in error_summary(page))
    # Overridden with a reason, it is saved and the override audited.
    data |= {"anonymity_override": "on", "anonymity_override_reason": "A fictional test name"}
    assert bu.post(edit, data).status_code == 302
    assert AuditEvent.objects.filter(action="core.anonymity.override").exists()


def test_a_case_with_four_children_offers_no_more(bu, world):
    case = open_case(world.partnership)
    for name in ("Child B", "Child C", "Child D"):
        services.child_add(
            auditor=SYSTEM,
            case=case,
            pseudonym=name,
            age_band="5_9",
            sex="male",
            ethnicity="not_known",
        )
    overview = soup(bu.get(reverse("reviews:case_detail", args=[case.pk])))
    assert overview.find("a", string="Add a child") is None
    page = bu.get(reverse("reviews:child_add", args=[case.pk]))
    assert "already names the most children" in visible_text(page)


def test_the_case_form_no_longer_asks_for_the_childs_details(bu, world):
    case = open_case(world.partnership)
    page = bu.get(reverse("reviews:case_edit", args=[case.pk]))
    assert field_value(page, "reference") == case.reference
    assert not soup(page).find("input", attrs={"name": "age_band"})
    assert not soup(page).find("select", attrs={"name": "ethnicity"})


# Identifying details, child by child --------------------------------------------------------


def test_the_identifiers_page_has_a_card_per_child_and_logs_each_read(
    crg, world, django_assert_max_num_queries
):
    case = open_case(world.partnership)
    services.child_add(
        auditor=SYSTEM,
        case=case,
        pseudonym="Child B",
        age_band="5_9",
        sex="male",
        ethnicity="not_known",
    )
    first = case.children.get(position=1)
    services.identifiers_update(auditor=SYSTEM, child=first, school="Fictional Lane Primary")
    with django_assert_max_num_queries(24):
        page = crg.get(reverse("reviews:identifiers", args=[case.pk]))
    cards = soup(page).select(".govuk-summary-card")
    assert [text_of(c.select_one(".govuk-summary-card__title")) for c in cards] == [
        "Child A",
        "Child B",
    ]
    assert "Fictional Lane Primary" in text_of(cards[0])
    assert "Fictional Lane Primary" not in text_of(cards[1])
    reads = AuditEvent.objects.filter(action="reviews.identifiers.read")
    assert sorted(e.summary for e in reads) == [
        f"Viewed the identifying details of Child A in case {case.reference}",
        f"Viewed the identifying details of Child B in case {case.reference}",
    ]


def test_identifying_details_are_saved_for_the_child_named_in_the_url(bu, world):
    case = open_case(world.partnership)
    services.child_add(
        auditor=SYSTEM,
        case=case,
        pseudonym="Child B",
        age_band="5_9",
        sex="male",
        ethnicity="not_known",
    )
    second = case.children.get(position=2)
    url = reverse("reviews:identifiers_edit", args=[case.pk, second.pk])
    assert "Identifying details of Child B" in visible_text(bu.get(url))
    assert bu.post(url, {"school": "Pretend Valley High"}).status_code == 302
    second.refresh_from_db()
    assert second.identifiers.school == "Pretend Valley High"
    assert not hasattr(case.children.get(position=1), "identifiers")


# Case review settings ---------------------------------------------------------------------


def test_the_settings_page_previews_and_saves_the_pattern(bu, world, frozen_clock):
    url = reverse("reviews:review_settings")
    year = timezone.localdate().year
    page = bu.get(url)
    assert field_value(page, "reference_pattern") == "{short}-{year}-{seq}"
    assert text_of(soup(page).find(id="preview")) == f"NDSCP-{year}-001"
    page = bu.post(url, {"reference_pattern": "{short}-{month}-{seq}"})
    assert error_summary(page) == [
        (
            "#id_reference_pattern",
            "{month} is not a placeholder: use only {short}, {year} and {seq}",
        )
    ]
    assert bu.post(url, {"reference_pattern": "CSPR/{year}/{seq}"}).status_code == 302
    assert text_of(soup(bu.get(url)).find(id="preview")) == f"CSPR/{year}/001"
    assert field_value(bu.get(NEW), "reference") == f"CSPR/{year}/001"


# A practice review covers one or several of the children ------------------------------------


def _two_children_decided(world):
    case = decided_case(world.partnership)
    services.child_add(
        auditor=SYSTEM,
        case=case,
        pseudonym="Child B",
        age_band="5_9",
        sex="male",
        ethnicity="not_known",
    )
    return case


def test_the_practice_review_covers_the_children_chosen(bu, world):
    case = _two_children_decided(world)
    url = reverse("reviews:practice_review_start", args=[case.pk])
    page = bu.get(url)
    assert sorted(checked_values(page, "children")) == sorted(
        str(pk) for pk in case.children.values_list("pk", flat=True)
    )
    second = case.children.get(position=2)
    data = {"kind": "local", **_date("decision_date", date(2026, 1, 12)), "children": [second.pk]}
    assert bu.post(url, data).status_code == 302
    assert list(case.practice_review.children.all()) == [second]
    page = visible_text(bu.get(reverse("reviews:practice_review", args=[case.pk])))
    assert "Children the review covers Child B" in page


def test_a_practice_review_must_cover_a_child(bu, world):
    case = _two_children_decided(world)
    url = reverse("reviews:practice_review_start", args=[case.pk])
    data = {"kind": "local", **_date("decision_date", date(2026, 1, 12))}
    page = bu.post(url, data)
    assert ("#children", "Select the children the review covers") in error_summary(page)


def test_with_one_child_the_review_covers_them_without_asking(bu, world):
    case = decided_case(world.partnership)
    url = reverse("reviews:practice_review_start", args=[case.pk])
    assert soup(bu.get(url)).find("input", attrs={"name": "children"}) is None
    data = {"kind": "local", **_date("decision_date", date(2026, 1, 12))}
    assert bu.post(url, data).status_code == 302
    assert list(case.practice_review.children.all()) == list(case.children.all())


def test_an_empty_form_names_every_question_to_answer(bu, world):
    page = bu.post(NEW, {"children_shown": "1", "reference": "NDSCP-2025-070"})
    assert page.status_code == 200
    assert [m for _href, m in error_summary(page)] == [
        "Enter the date the local authority became aware",
        "A notifiable incident is one where the child died or was seriously harmed. "
        "Select at least one",
        "Enter a pseudonym for the child",
        "Select the age of the child",
        "Select the sex of the child",
        "Select the ethnic group of the child, or Not known",
    ]
    assert not Case.objects.exists()
