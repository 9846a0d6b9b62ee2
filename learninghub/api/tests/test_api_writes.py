"""Writes: a token, the same permission rules as the pages, and an audit event every time."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from learninghub.api import services
from learninghub.api.errors import UNAUTHORISED
from learninghub.api.models import ApiToken
from learninghub.api.routers.partnerships import NOT_YOURS
from learninghub.core.audit.auditor import Auditor
from learninghub.core.audit.models import AuditEvent
from learninghub.core.permissions import Role
from learninghub.partnerships.models import Agency
from learninghub.partnerships.tests.factories import AgencyFactory

from .factories import bearer, make_token

pytestmark = pytest.mark.django_db

NEW_AGENCY = {"name": "Northdale Youth Justice Service", "agency_type": "youth_justice"}


def agencies_url(partnership) -> str:
    return f"/api/partnerships/{partnership.pk}/agencies"


def agency_url(agency) -> str:
    return f"/api/partnerships/{agency.partnership_id}/agencies/{agency.pk}"


def post(client, url, data, key=None, **extra):
    if key is not None:
        extra.update(bearer(key))
    return client.post(url, data, content_type="application/json", **extra)


def patch(client, url, data, key=None, **extra):
    if key is not None:
        extra.update(bearer(key))
    return client.patch(url, data, content_type="application/json", **extra)


# Authentication ---------------------------------------------------------------------------


def assert_unauthorised(response):
    assert response.status_code == 401
    assert response.json() == {"detail": UNAUTHORISED}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_write_without_a_token_is_refused(world, client):
    assert_unauthorised(post(client, agencies_url(world.partnership), NEW_AGENCY))
    assert not Agency.objects.filter(name=NEW_AGENCY["name"]).exists()


@pytest.mark.parametrize(
    "header",
    [
        "Bearer slh_not-a-real-token",
        "Bearer ",
        "Basic YWRtaW46YWRtaW4=",
        "slh_",
        "Bearer " + "x" * 5000,
    ],
)
def test_a_write_with_a_bad_token_is_refused(world, client, header):
    response = post(client, agencies_url(world.partnership), NEW_AGENCY, HTTP_AUTHORIZATION=header)
    assert_unauthorised(response)


def test_a_revoked_token_is_refused(world, client):
    user = world.user("business_unit")
    token, key = make_token(user)
    services.api_token_revoke(auditor=Auditor(actor=user), token=token)
    assert_unauthorised(post(client, agencies_url(world.partnership), NEW_AGENCY, key))


def test_a_deactivated_persons_token_is_refused(world, client):
    user = world.user("business_unit")
    _, key = make_token(user)
    user.is_active = False
    user.save()
    assert_unauthorised(post(client, agencies_url(world.partnership), NEW_AGENCY, key))


def test_a_token_stops_working_when_its_person_leaves_the_business_unit(world, client):
    user = world.user("business_unit")
    _, key = make_token(user)
    user.memberships.update(role=Role.PRACTITIONER)
    assert_unauthorised(post(client, agencies_url(world.partnership), NEW_AGENCY, key))


def test_a_session_cookie_alone_cannot_write(world, client_for):
    # Signed in (past two-factor) as the business unit, with a CSRF token: still no token.
    browser = client_for("business_unit")
    browser.get("/account/api-tokens/")
    csrf = browser.cookies.get("hub_csrftoken")
    extra = {"HTTP_X_CSRFTOKEN": csrf.value} if csrf else {}
    assert_unauthorised(post(browser, agencies_url(world.partnership), NEW_AGENCY, **extra))
    agency = world.agency
    assert_unauthorised(patch(browser, agency_url(agency), {"name": "Renamed"}))
    agency.refresh_from_db()
    assert agency.name == "Northdale Police"


def test_a_token_needs_no_csrf_token(world, token_for):
    strict = Client(enforce_csrf_checks=True)
    response = post(strict, agencies_url(world.partnership), NEW_AGENCY, token_for("business_unit"))
    assert response.status_code == 201


def test_a_token_acts_as_its_person_not_the_session(world, client_for, token_for):
    # Signed in as another partnership's business unit, sending Northdale's token.
    browser = client_for("other_business_unit")
    response = post(
        browser, agencies_url(world.partnership), NEW_AGENCY, token_for("business_unit")
    )
    assert response.status_code == 201
    event = AuditEvent.objects.filter(action="partnerships.agency.create").get()
    assert event.actor == world.user("business_unit")


def test_using_a_token_records_when_it_was_last_used(world, client):
    token, key = make_token(world.user("business_unit"))
    post(client, agencies_url(world.partnership), NEW_AGENCY, key)
    token.refresh_from_db()
    assert token.last_used_at is not None
    first = token.last_used_at
    post(client, agencies_url(world.partnership), {**NEW_AGENCY, "name": "Another"}, key)
    token.refresh_from_db()
    assert token.last_used_at == first


def test_last_use_moves_on_after_a_minute(world, client):
    token, key = make_token(world.user("business_unit"))
    earlier = timezone.now() - timedelta(minutes=5)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
    post(client, agencies_url(world.partnership), NEW_AGENCY, key)
    token.refresh_from_db()
    assert token.last_used_at > earlier


# Creating an agency -----------------------------------------------------------------------


def test_business_unit_adds_an_agency_to_its_partnership(world, client):
    _, key = make_token(world.user("business_unit"))
    response = post(
        client, agencies_url(world.partnership), NEW_AGENCY, key, REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code == 201
    agency = Agency.objects.get(name=NEW_AGENCY["name"])
    assert agency.partnership == world.partnership
    assert response.json() == {
        "id": agency.pk,
        "name": "Northdale Youth Justice Service",
        "agency_type": "youth_justice",
        "agency_type_label": "Youth justice",
        "is_active": True,
    }


def test_the_audit_log_records_the_write_with_the_tokens_person(world, client):
    _, key = make_token(world.user("business_unit"))
    post(client, agencies_url(world.partnership), NEW_AGENCY, key, REMOTE_ADDR="203.0.113.9")
    event = AuditEvent.objects.get(action="partnerships.agency.create")
    assert event.actor == world.user("business_unit")
    assert event.actor_label == "bu@example.org"
    assert event.partnership_id == world.partnership.pk
    assert event.ip_address == "203.0.113.9"
    assert event.changes["name"] == [None, NEW_AGENCY["name"]]


def test_system_administrator_adds_an_agency_to_any_partnership(world, client, token_for):
    key = token_for("system_admin")
    for partnership in (world.partnership, world.other_partnership):
        response = post(client, agencies_url(partnership), NEW_AGENCY, key)
        assert response.status_code == 201
        assert Agency.objects.filter(partnership=partnership, name=NEW_AGENCY["name"]).exists()
    actors = set(
        AuditEvent.objects.filter(action="partnerships.agency.create").values_list(
            "actor_label", flat=True
        )
    )
    assert actors == {"admin@example.org"}


def test_another_partnerships_business_unit_cannot_add_an_agency(world, client, token_for):
    response = post(
        client, agencies_url(world.partnership), NEW_AGENCY, token_for("other_business_unit")
    )
    assert response.status_code == 403
    assert response.json() == {"detail": NOT_YOURS}
    assert not Agency.objects.filter(name=NEW_AGENCY["name"]).exists()
    denial = AuditEvent.objects.get(kind=AuditEvent.Kind.DENIED)
    assert denial.actor == world.user("other_business_unit")


def test_adding_to_a_missing_partnership_is_404(world, client, token_for):
    response = post(
        client, "/api/partnerships/999999/agencies", NEW_AGENCY, token_for("business_unit")
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found"}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "agency_type": "police"}, "name", "Enter the agency's name"),
        ({"name": "   ", "agency_type": "police"}, "name", "Enter the agency's name"),
        ({"agency_type": "police"}, "name", "Field required"),
        (
            {"name": "x" * 201, "agency_type": "police"},
            "name",
            "String should have at most 200 characters",
        ),
        ({"name": 42, "agency_type": "police"}, "name", "Input should be a valid string"),
        ({"name": "A\u0000B", "agency_type": "police"}, "name", "Null characters are not allowed"),
        ({"name": "Fire service"}, "agency_type", "Field required"),
        ({"name": "Fire service", "agency_type": "fire"}, "agency_type", None),
        ({**NEW_AGENCY, "partnership": 2}, "partnership", "Extra inputs are not permitted"),
    ],
)
def test_adding_an_agency_validates_input(world, client, token_for, data, field, message):
    response = post(client, agencies_url(world.partnership), data, token_for("business_unit"))
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert [e["field"] for e in errors] == [field]
    if message:
        assert errors[0]["message"] == message
    assert Agency.objects.count() == 2


def test_a_duplicate_agency_name_gives_the_pages_message(world, client, token_for):
    response = post(
        client,
        agencies_url(world.partnership),
        {"name": "northdale police", "agency_type": "police"},
        token_for("business_unit"),
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {"field": "name", "message": "NDSCP already has an agency named northdale police"}
        ]
    }


# Changing an agency -----------------------------------------------------------------------


def test_business_unit_changes_its_agency(world, client, token_for):
    response = patch(
        client,
        agency_url(world.agency),
        {"name": "Northdale Constabulary", "is_active": False},
        token_for("business_unit"),
    )
    assert response.status_code == 200
    assert response.json() == {
        "id": world.agency.pk,
        "name": "Northdale Constabulary",
        "agency_type": "police",
        "agency_type_label": "Police",
        "is_active": False,
    }
    event = AuditEvent.objects.get(action="partnerships.agency.update")
    assert event.actor == world.user("business_unit")
    assert event.changes == {
        "name": ["Northdale Police", "Northdale Constabulary"],
        "is_active": [True, False],
    }


def test_an_inactive_agency_can_be_brought_back(world, client, token_for):
    world.agency.is_active = False
    world.agency.save()
    response = patch(
        client, agency_url(world.agency), {"is_active": True}, token_for("business_unit")
    )
    assert response.status_code == 200
    assert response.json()["is_active"] is True


def test_an_empty_change_changes_nothing(world, client, token_for):
    response = patch(client, agency_url(world.agency), {}, token_for("business_unit"))
    assert response.status_code == 200
    assert response.json()["name"] == "Northdale Police"
    assert not AuditEvent.objects.filter(action="partnerships.agency.update").exists()


def test_system_administrator_changes_any_agency(world, client, token_for):
    response = patch(
        client, agency_url(world.other_agency), {"agency_type": "other"}, token_for("system_admin")
    )
    assert response.status_code == 200
    assert response.json()["agency_type_label"] == "Other"


def test_another_partnerships_business_unit_cannot_change_an_agency(world, client, token_for):
    response = patch(
        client, agency_url(world.agency), {"name": "Hijacked"}, token_for("other_business_unit")
    )
    assert response.status_code == 403
    world.agency.refresh_from_db()
    assert world.agency.name == "Northdale Police"


def test_an_agency_is_found_only_in_its_own_partnership(world, client, token_for):
    # Eastmoor's agency, asked for under Northdale (which this person manages).
    url = f"/api/partnerships/{world.partnership.pk}/agencies/{world.other_agency.pk}"
    response = patch(client, url, {"name": "Hijacked"}, token_for("business_unit"))
    assert response.status_code == 404
    world.other_agency.refresh_from_db()
    assert world.other_agency.name == "Eastmoor Police"


def test_changing_a_missing_agency_is_404(world, client, token_for):
    url = f"/api/partnerships/{world.partnership.pk}/agencies/999999"
    response = patch(client, url, {"name": "Anything"}, token_for("business_unit"))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": None}, "name"),
        ({"is_active": "perhaps"}, "is_active"),
        ({"agency_type": "fire"}, "agency_type"),
        ({"is_activ": False}, "is_activ"),
    ],
)
def test_changing_an_agency_validates_input(world, client, token_for, data, field):
    response = patch(client, agency_url(world.agency), data, token_for("business_unit"))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["detail"]] == [field]


def test_renaming_to_a_name_in_use_gives_the_pages_message(world, client, token_for):
    AgencyFactory(partnership=world.partnership, name="Northdale NHS Trust")
    response = patch(
        client,
        agency_url(world.agency),
        {"name": "Northdale NHS Trust"},
        token_for("business_unit"),
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"field": "name", "message": "NDSCP already has an agency named Northdale NHS Trust"}
    ]
