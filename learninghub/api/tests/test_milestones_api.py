"""The practice review in the API after issue 8: its milestones, the date a hold was
released, the late publication reason and the published report."""

from __future__ import annotations

from datetime import date

import pytest

from learninghub.api.tests.test_reviews_api import case_url, errors, send
from learninghub.reviews import services
from learninghub.reviews.models import PracticeReview
from learninghub.reviews.tests.factories import SYSTEM, reviewed_case
from learninghub.reviews.tests.milestone_helpers import final_report, milestone, sign_off

pytestmark = pytest.mark.django_db


@pytest.fixture
def bu_key(token_for):
    return token_for("business_unit")


def test_the_practice_review_lists_its_milestones(world, client, bu_key):
    case = reviewed_case(world.partnership)
    services.milestone_update(
        auditor=SYSTEM,
        milestone=milestone(case.practice_review, "terms_agreed"),
        planned_on=date(2026, 1, 20),
        actual_on=date(2026, 1, 26),
    )

    body = send(client, "get", case_url(case), key=bu_key).json()

    review = body["practice_review"]
    assert [(m["kind"], m["planned_on"], m["actual_on"]) for m in review["milestones"]] == [
        ("terms_agreed", "2026-01-20", "2026-01-26"),
        ("practitioner_event", None, None),
        ("draft_to_partners", None, None),
        ("partners_sign_off", None, None),
    ]
    assert "partners_approved_on" not in review
    assert review["hold_released_on"] is None and review["late_publication_reason"] == ""


def test_a_late_plan_needs_its_reason_and_a_release_records_its_date(world, client, bu_key):
    case = reviewed_case(world.partnership)
    url = case_url(case, "/practice-review")
    assert [
        field
        for field, _ in errors(
            send(client, "patch", url, {"planned_publication_on": "2026-09-01"}, bu_key)
        )
    ] == ["late_publication_reason"]
    data = {"planned_publication_on": "2026-09-01", "late_publication_reason": "A trial"}
    assert send(client, "patch", url, data, bu_key).status_code == 200

    hold = case_url(case, "/practice-review/hold")
    send(client, "post", hold, {"reason": "Trial", "started_on": "2026-01-20"}, bu_key)
    response = send(client, "delete", hold + "?released_on=2026-03-02", key=bu_key)
    assert response.status_code == 200, response.content
    assert response.json()["hold_released_on"] == "2026-03-02"


def test_publishing_names_the_published_report(world, client, bu_key):
    case = reviewed_case(world.partnership)
    sign_off(case.practice_review, date(2026, 2, 23))
    url = case_url(case, "/practice-review")
    data = {"sent_to_panel_on": "2026-03-02", "published_on": "2026-03-16"}
    assert errors(send(client, "patch", url, data, bu_key)) == [
        (
            "published_document_id",
            "Choose the published report: the final report as it was published",
        )
    ]
    report = final_report(case)
    data["published_document_id"] = report.pk
    assert send(client, "patch", url, data, bu_key).status_code == 200
    assert PracticeReview.objects.get().published_report == report.stored_file.latest
