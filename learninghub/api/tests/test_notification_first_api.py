"""Opening a case with its notification in one API call: the clocks start at once, and a
refusal anywhere (a child, the criteria) saves nothing."""

from __future__ import annotations

import json

import pytest

from learninghub.api.tests.test_reviews_api import CHILD_C, fixed_today  # noqa: F401
from learninghub.reviews.models import Case, Clock

pytestmark = pytest.mark.django_db

STARTED = {
    "reference": "NDSCP-2025-020",
    "children": [CHILD_C, {**CHILD_C, "pseudonym": "Child D", "sex": "male"}],
    "notification": {
        "aware_date": "2025-12-19",
        "child_died": True,
        "abuse_or_neglect_suspected": True,
        "care_status": "care_leaver",
    },
}


def _post(client, key, data):
    return client.post(
        "/api/cases",
        json.dumps(data),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )


@pytest.fixture
def key(token_for):
    return token_for("business_unit")


def test_a_case_opens_with_its_notification_and_both_clocks(world, client, key):
    response = _post(client, key, STARTED)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["pseudonym"] == "Child C and Child D"
    assert body["notification"]["care_status"] == "care_leaver"
    kinds = {c["kind"]: c["due_date"] for c in body["clocks"]}
    assert kinds == {"notification": "2025-12-30", "care_leaver_death": "2025-12-30"}
    assert Clock.objects.count() == 2


def test_a_refusal_in_the_notification_saves_nothing(world, client, key):
    data = {**STARTED, "notification": {"aware_date": "2025-12-19", "seriously_harmed": True}}
    response = _post(client, key, data)
    assert response.status_code == 422
    fields = [e["field"] for e in response.json()["detail"]]
    assert "abuse_or_neglect_suspected" in fields
    assert not Case.objects.exists()
