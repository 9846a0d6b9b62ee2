"""The case list's filters: one django-filter FilterSet for the page and the API (issue 7, item 8).

Before: the page validated a form and the selector filtered by hand, and the API passed its
own `q` and `stage` to the same hand-written code. Now `CaseFilter` does both, so the page
and the API match the same cases, and a bad value is a GOV.UK error, never a 500.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from learninghub.core.tests.html import error_summary, soup, table_rows
from learninghub.reviews import selectors
from learninghub.reviews.filters import CaseFilter
from learninghub.reviews.tests.factories import decided_case, open_case, reviewed_case

CASES = reverse("reviews:case_list")


@pytest.fixture
def cases(world):
    return {
        "notification": open_case(world.partnership, reference="ND-1", pseudonym="Child A"),
        "rapid_review": decided_case(world.partnership, reference="ND-2", pseudonym="Baby Thomas"),
        "practice_review": reviewed_case(world.partnership, reference="ND-3", pseudonym="Child C"),
    }


def found(data, user) -> set[str]:
    return {
        case.reference for case in CaseFilter(data, queryset=selectors.case_list(user=user)).cases
    }


def test_search_matches_the_reference_or_the_pseudonym_in_any_case(world, cases):
    bu = world.user("business_unit")
    assert found({"q": "thomas"}, bu) == {"ND-2"}
    assert found({"q": "nd-3"}, bu) == {"ND-3"}
    assert found({"q": "  thomas "}, bu) == {"ND-2"}  # spaces around it are ignored
    assert found({"q": "child"}, bu) == {"ND-1", "ND-3"}


def test_each_stage_finds_its_cases(world, cases):
    bu = world.user("business_unit")
    for stage, case in cases.items():
        assert found({"stage": stage}, bu) == {case.reference}, stage
    assert found({"stage": "published"}, bu) == set()
    assert found({"stage": "rapid_review", "q": "child"}, bu) == set()


def test_a_stage_that_does_not_exist_is_an_error_and_filters_nothing(world, cases):
    bu = world.user("business_unit")
    filters = CaseFilter({"stage": "closed"}, queryset=selectors.case_list(user=bu))
    assert not filters.is_valid()
    assert filters.chosen == {}
    assert found({"stage": "closed"}, bu) == {"ND-1", "ND-2", "ND-3"}


def test_the_page_shows_the_error_in_the_summary_not_a_500(world, cases, client_for):
    # Before, the errors showed only beside the fields, with no GOV.UK error summary.
    response = client_for("business_unit").get(CASES, {"stage": "closed", "q": "x" * 101})
    assert response.status_code == 200
    assert soup(response).title.get_text().startswith("Error: Cases")
    messages = [message for _, message in error_summary(response)]
    assert len(messages) == 2
    assert any("100 characters" in message for message in messages)
    assert len(table_rows(response)) == 3  # every case, as if unfiltered


def test_the_page_renders_the_filter_form_with_the_govuk_macros(world, cases, client_for):
    page = soup(client_for("business_unit").get(CASES, {"stage": "rapid_review"}))
    stage = page.find("select", attrs={"name": "stage"})
    assert "govuk-select" in stage["class"]
    options = [(o["value"], o.get_text(strip=True)) for o in stage.find_all("option")]
    assert options[0] == ("", "All stages")
    assert stage.find("option", selected=True)["value"] == "rapid_review"
    assert page.find("label", attrs={"for": "id_q"}).get_text(strip=True) == (
        "Search by reference or pseudonym"
    )


def test_the_api_filters_with_the_same_filterset(world, cases):
    bu = world.user("business_unit")
    assert {c.reference for c in selectors.case_list(user=bu, search="THOMAS")} == {"ND-2"}
    assert {c.reference for c in selectors.case_list(user=bu, stage="practice_review")} == {"ND-3"}
