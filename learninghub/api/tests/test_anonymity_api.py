"""The API goes through the same anonymity gate as the pages: a finding or recommendation that
may identify a child or family is refused (422, in the API's error shape, naming what was
found) unless `anonymity_override_reason` is given; the override is audited, and the matched
text is never logged. All the details here are fictional."""

from __future__ import annotations

import json
import logging

import pytest

from learninghub.core.anonymity.audit import ACTION as OVERRIDE_ACTION
from learninghub.core.audit.models import AuditEvent
from learninghub.reviews import services
from learninghub.reviews.models import Finding, Recommendation
from learninghub.reviews.tests.factories import SYSTEM, open_case

from .factories import bearer

pytestmark = pytest.mark.django_db

REASON = "Zebedee is the name of a team here, not the child"


@pytest.fixture
def bu_key(token_for):
    return token_for("business_unit")


@pytest.fixture
def case(world):
    case = open_case(world.partnership)
    services.identifiers_update(
        auditor=SYSTEM,
        child=case.children.get(),
        child_name="Zebedee Quartermaine",
        date_of_birth="2015-03-04",
    )
    return case


def post(client, url, data, key):
    return client.post(url, json.dumps(data), content_type="application/json", **bearer(key))


def findings_url(case) -> str:
    return f"/api/cases/{case.pk}/findings"


def recommendations_url(case) -> str:
    return f"/api/cases/{case.pk}/recommendations"


def errors(response) -> list[tuple]:
    assert response.status_code == 422, response.content
    return [(e["field"], e["message"]) for e in response.json()["detail"]]


def test_a_finding_with_the_child_s_name_is_refused_naming_it(client, case, bu_key):
    response = post(client, findings_url(case), {"text": "Zebedee was not seen alone"}, bu_key)

    [(field, message)] = errors(response)
    assert field == "text"
    assert message.startswith("It may identify the child or family.")
    assert '"Zebedee" (the child\'s name)' in message
    assert not Finding.objects.exists()


def test_a_date_of_birth_and_an_nhs_number_are_refused(client, case, bu_key):
    text = "Born 04/03/2015; NHS number 943 476 5919"

    [(_, message)] = errors(post(client, findings_url(case), {"text": text}, bu_key))

    assert '"04/03/2015" (the child\'s date of birth)' in message
    assert '"943 476 5919" (an NHS number)' in message


def test_a_blank_reason_is_no_override(client, case, bu_key):
    data = {"text": "Zebedee was not seen alone", "anonymity_override_reason": "   "}

    assert errors(post(client, findings_url(case), data, bu_key))[0][0] == "text"
    assert not Finding.objects.exists()


def test_a_finding_is_accepted_with_a_reason_and_audited(world, client, case, bu_key):
    data = {"text": "The Zebedee team was not told", "anonymity_override_reason": REASON}

    response = post(client, findings_url(case), data, bu_key)

    assert response.status_code == 201, response.content
    assert response.json()["text"] == "The Zebedee team was not told"
    override = AuditEvent.objects.get(action=OVERRIDE_ACTION)
    assert override.actor == world.user("business_unit")
    assert override.object_id == str(Finding.objects.get().pk)
    assert override.changes["anonymity_override_reason"] == [None, REASON]
    assert override.changes["anonymity_kinds"] == [None, "child_name"]
    logged = json.dumps(list(AuditEvent.objects.values("summary", "changes", "object_repr")))
    assert "Zebedee team" not in logged


def test_a_recommendation_is_refused_then_accepted_with_a_reason(client, case, bu_key):
    data = {"text": "Ring 0113 496 0000 for advice", "to_partnership": True}

    [(field, message)] = errors(post(client, recommendations_url(case), data, bu_key))
    assert field == "text"
    assert '"0113 496 0000" (a phone number)' in message

    data["anonymity_override_reason"] = "The partnership's advice line"
    response = post(client, recommendations_url(case), data, bu_key)

    assert response.status_code == 201, response.content
    assert Recommendation.objects.get().to_partnership is True
    assert AuditEvent.objects.filter(action=OVERRIDE_ACTION).count() == 1


def test_a_refusal_is_not_logged_with_the_matched_text(client, case, bu_key, caplog):
    with caplog.at_level(logging.DEBUG):
        errors(post(client, findings_url(case), {"text": "Zebedee was not seen"}, bu_key))

    assert "Zebedee" not in caplog.text


def test_the_reason_is_in_the_schema(client):
    schema = client.get("/api/openapi.json").json()
    finding_in = schema["components"]["schemas"]["FindingIn"]["properties"]
    recommendation_in = schema["components"]["schemas"]["RecommendationIn"]["properties"]

    assert "anonymity_override_reason" in finding_in
    assert "anonymity_override_reason" in recommendation_in
