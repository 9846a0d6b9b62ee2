"""Tokens expire, and a read-only token reads but never writes (issue 6, finding 7)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from learninghub.api import services
from learninghub.api.auth import READ_ONLY
from learninghub.api.errors import UNAUTHORISED
from learninghub.core.audit.auditor import Auditor
from learninghub.core.audit.models import AuditEvent
from learninghub.partnerships.models import Agency
from learninghub.reviews.models import Notification
from learninghub.reviews.tests.factories import open_case

from .factories import bearer, make_token

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
NEW_AGENCY = {"name": "Northdale Youth Justice Service", "agency_type": "youth_justice"}
NOTIFICATION = {
    "incident_date": "2025-12-01",
    "aware_date": "2025-12-03",
    "seriously_harmed": True,
    "abuse_or_neglect_suspected": True,
}


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def add_agency(client, world, key, name=NEW_AGENCY["name"]):
    return client.post(
        f"/api/partnerships/{world.partnership.pk}/agencies",
        {**NEW_AGENCY, "name": name},
        content_type="application/json",
        **bearer(key),
    )


def assert_unauthorised(response):
    assert response.status_code == 401
    # The same answer as for a token that never existed: no hint that it expired.
    assert response.json() == {"detail": UNAUTHORISED}


# Expiry -----------------------------------------------------------------------------------


def test_a_token_works_until_it_expires_then_answers_401(world, client, today):
    token, key = make_token(world.user("business_unit"), days=30)
    assert token.expires_at == NOW + timedelta(days=30)
    today.move_to(NOW + timedelta(days=30) - timedelta(seconds=1))
    assert add_agency(client, world, key).status_code == 201

    today.move_to(NOW + timedelta(days=30))
    assert_unauthorised(add_agency(client, world, key, name="Northdale Fire Service"))
    assert not Agency.objects.filter(name="Northdale Fire Service").exists()


def test_an_expired_token_cannot_read_cases_either(world, client, today):
    case = open_case(world.partnership)
    _, key = make_token(world.user("business_unit"), scope="read")
    assert client.get(f"/api/cases/{case.pk}", **bearer(key)).status_code == 200
    today.move_to(NOW + timedelta(days=91))
    assert_unauthorised(client.get(f"/api/cases/{case.pk}", **bearer(key)))
    assert_unauthorised(client.get("/api/cases", **bearer(key)))


def test_an_expired_and_a_revoked_token_answer_alike(world, client, today):
    user = world.user("business_unit")
    _, expired = make_token(user, "Old", days=1)
    revoked, revoked_key = make_token(user, "Leaked")
    services.api_token_revoke(auditor=Auditor(actor=user), token=revoked)
    today.move_to(NOW + timedelta(days=2))
    answers = [add_agency(client, world, key) for key in (expired, revoked_key, "slh_unknown")]
    assert {(r.status_code, r.content, r["WWW-Authenticate"]) for r in answers} == {
        (401, answers[0].content, 'Bearer realm="api"')
    }


# Scope ------------------------------------------------------------------------------------


def test_a_read_only_token_cannot_write_and_changes_nothing(world, client):
    _, key = make_token(world.user("business_unit"), scope="read")
    response = add_agency(client, world, key)
    assert response.status_code == 403
    assert response.json() == {"detail": READ_ONLY}
    assert not Agency.objects.filter(name=NEW_AGENCY["name"]).exists()
    assert not AuditEvent.objects.filter(action="partnerships.agency.create").exists()
    # The refusal is in the access log, against the token's person.
    denial = AuditEvent.objects.get(kind=AuditEvent.Kind.DENIED)
    assert denial.actor == world.user("business_unit")


def test_a_read_only_token_cannot_change_an_agency(world, client):
    _, key = make_token(world.user("business_unit"), scope="read")
    response = client.patch(
        f"/api/partnerships/{world.partnership.pk}/agencies/{world.agency.pk}",
        {"name": "Renamed"},
        content_type="application/json",
        **bearer(key),
    )
    assert response.status_code == 403
    assert response.json() == {"detail": READ_ONLY}
    world.agency.refresh_from_db()
    assert world.agency.name == "Northdale Police"


def test_a_read_only_token_cannot_record_a_notification(world, client):
    case = open_case(world.partnership)
    _, key = make_token(world.user("business_unit"), scope="read")
    response = client.put(
        f"/api/cases/{case.pk}/notification",
        NOTIFICATION,
        content_type="application/json",
        **bearer(key),
    )
    assert response.status_code == 403
    assert response.json() == {"detail": READ_ONLY}
    assert not Notification.objects.filter(case=case).exists()


def test_a_read_only_token_reads_what_its_person_may_read(world, client):
    case = open_case(world.partnership)
    _, key = make_token(world.user("business_unit"), scope="read")
    response = client.get(f"/api/cases/{case.pk}", **bearer(key))
    assert response.status_code == 200
    assert response.json()["reference"] == case.reference
    assert client.get("/api/cases", **bearer(key)).json()["count"] == 1
    # Each read is in the access log against the token's person, as with a session.
    event = AuditEvent.objects.get(action="reviews.case.read")
    assert event.actor == world.user("business_unit")


def test_a_read_only_token_reads_nothing_its_person_may_not(world, client):
    case = open_case(world.partnership)
    _, other = make_token(world.user("other_business_unit"), scope="read")
    _, admin = make_token(world.user("system_admin"), scope="read")
    assert client.get(f"/api/cases/{case.pk}", **bearer(other)).status_code == 404
    assert client.get(f"/api/cases/{case.pk}", **bearer(admin)).status_code == 404
    assert client.get("/api/cases", **bearer(admin)).status_code == 404


def test_a_token_that_may_write_still_writes(world, client):
    _, key = make_token(world.user("business_unit"), scope="write")
    assert add_agency(client, world, key).status_code == 201


def test_a_refused_write_still_counts_as_use(world, client):
    token, key = make_token(world.user("business_unit"), scope="read")
    add_agency(client, world, key)
    token.refresh_from_db()
    assert token.last_used_at == NOW
