"""A person's tokens are revoked when their access is withdrawn (issue 6, finding 7): a password
reset, the end of a membership, a role that may no longer hold tokens. Audited, and in the
same transaction as the change."""

from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from learninghub.api import receivers, services
from learninghub.api.errors import UNAUTHORISED
from learninghub.api.models import ApiToken
from learninghub.core.audit.auditor import Auditor
from learninghub.core.audit.models import AuditEvent
from learninghub.core.permissions import Role
from learninghub.partnerships import services as partnership_services
from learninghub.partnerships.models import Membership
from learninghub.partnerships.signals import ROLE_CHANGED
from learninghub.partnerships.tests.factories import TEST_PASSWORD, member

from .factories import bearer, make_token

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-2026"


def write(client, world, key):
    return client.post(
        f"/api/partnerships/{world.partnership.pk}/agencies",
        {"name": "Northdale Youth Justice Service", "agency_type": "youth_justice"},
        content_type="application/json",
        **bearer(key),
    )


def assert_refused(client, world, key):
    response = write(client, world, key)
    assert response.status_code == 401
    assert response.json() == {"detail": UNAUTHORISED}


def revocations():
    return AuditEvent.objects.filter(action="api.token.revoke").order_by("id")


def second_business_unit(world):
    """A second business unit member: the partnership must keep one when another goes."""
    return member(world.partnership, Role.BUSINESS_UNIT, email="bu.two@example.org")


# Password reset ---------------------------------------------------------------------------


def test_a_password_reset_revokes_the_persons_tokens(world, client):
    user = world.user("business_unit")
    first, first_key = make_token(user, "Case system")
    second, second_key = make_token(user, "Reporting", scope="read")
    _, other_key = make_token(world.user("other_business_unit"))

    partnership_services.password_reset_complete(
        **_reset_arguments(user), password=NEW_PASSWORD, ip_address="203.0.113.9"
    )

    assert_refused(client, world, first_key)
    assert_refused(client, world, second_key)
    # Someone else's token is not touched.
    assert client.get("/api/cases", **bearer(other_key)).status_code == 200
    events = list(revocations())
    assert [e.object_id for e in events] == [str(first.pk), str(second.pk)]
    assert events[0].actor_label == "system: access withdrawn"
    assert (
        events[0].summary == "Revoked the API token Case system of bu@example.org: password reset"
    )
    assert events[0].partnership_id == world.partnership.pk
    assert list(events[0].changes) == ["revoked_at"]


def test_the_reset_page_revokes_them_too(world, client):
    user = world.user("business_unit")
    _, key = make_token(user)
    _reset_through_the_page(user)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert_refused(client, world, key)
    assert revocations().count() == 1


def test_the_tokens_and_the_new_password_commit_together(world, monkeypatch):
    user = world.user("business_unit")
    token, _ = make_token(user)

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "api_tokens_revoke_all", broken)
    with pytest.raises(RuntimeError):
        partnership_services.password_reset_complete(
            **_reset_arguments(user), password=NEW_PASSWORD
        )
    user.refresh_from_db()
    # Neither happened: the old password still works, as does the token, and the reset link.
    assert user.check_password(TEST_PASSWORD)
    assert not AuditEvent.objects.filter(action="account.password_reset").exists()
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_reset_without_tokens_writes_no_revocation(world):
    user = world.user("practitioner")
    partnership_services.password_reset_complete(**_reset_arguments(user), password=NEW_PASSWORD)
    assert not revocations().exists()


# Membership ends --------------------------------------------------------------------------


def test_ending_a_membership_revokes_the_persons_tokens(world, client, client_for):
    leaver = second_business_unit(world)
    token, key = make_token(leaver)
    assert write(client, world, key).status_code == 201
    membership = leaver.memberships.get()

    response = client_for("business_unit").post(
        reverse("partnerships:membership_end", args=[membership.pk]), {"confirm": "on"}
    )

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert_refused(client, world, key)
    event = revocations().get()
    # The person who ended the membership, in the log of the partnership it was in.
    assert event.actor == world.user("business_unit")
    assert event.partnership_id == world.partnership.pk
    assert event.summary == (
        "Revoked the API token Test script of bu.two@example.org: membership ended"
    )


def test_ending_any_membership_revokes_them_even_if_another_still_allows_tokens(world):
    # Business unit in both partnerships; leaving one may leave that partnership's systems
    # holding a token that acts as the person elsewhere.
    person = second_business_unit(world)
    Membership.objects.create(
        user=person, partnership=world.other_partnership, role=Role.BUSINESS_UNIT
    )
    token, _ = make_token(person)
    membership = person.memberships.get(partnership=world.partnership)
    partnership_services.membership_end(
        auditor=Auditor(actor=world.user("business_unit")), membership=membership
    )
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_refused_membership_end_keeps_the_tokens(world):
    # The partnership's only business unit member cannot be ended, so nothing changes.
    token, _ = make_token(world.user("business_unit"))
    with pytest.raises(ValidationError):
        partnership_services.membership_end(
            auditor=Auditor(actor=world.user("system_admin")),
            membership=world.user("business_unit").memberships.get(),
        )
    token.refresh_from_db()
    assert token.revoked_at is None
    assert not revocations().exists()


# Role changes -----------------------------------------------------------------------------


def test_a_role_that_may_not_hold_tokens_revokes_them(world, client):
    person = second_business_unit(world)
    _, key = make_token(person)
    partnership_services.membership_change(
        auditor=Auditor(actor=world.user("business_unit")),
        membership=person.memberships.get(),
        role=Role.CASE_REVIEW_GROUP,
        agency=world.agency,
    )
    assert_refused(client, world, key)
    event = revocations().get()
    assert event.actor == world.user("business_unit")
    assert event.summary.endswith(": role changed")
    # Given the role back, the old token stays revoked: they make a new one.
    partnership_services.membership_change(
        auditor=Auditor(actor=world.user("business_unit")),
        membership=person.memberships.get(),
        role=Role.BUSINESS_UNIT,
        agency=None,
    )
    assert_refused(client, world, key)


def test_a_role_change_that_keeps_the_right_to_tokens_keeps_them(world, client):
    # A system administrator who is also a practitioner somewhere keeps their tokens when
    # that role changes; so does a business unit member elsewhere.
    admin = world.user("system_admin")
    Membership.objects.create(
        user=admin, partnership=world.partnership, role=Role.PRACTITIONER, agency=world.agency
    )
    _, key = make_token(admin)
    partnership_services.membership_change(
        auditor=Auditor(actor=world.user("business_unit")),
        membership=admin.memberships.get(),
        role=Role.AGENCY_LEAD,
        agency=world.agency,
    )
    assert write(client, world, key).status_code == 201
    assert not revocations().exists()


def test_a_role_change_is_judged_on_the_persons_memberships_of_now(world):
    person = second_business_unit(world)
    token, _ = make_token(person)
    assert person.has_perm("api.hold_token")  # the instance now holds its memberships
    person.memberships.update(role=Role.CASE_REVIEW_GROUP)
    receivers.revoke_tokens(
        Membership,
        user=person,
        reason=ROLE_CHANGED,
        auditor=Auditor(actor=world.user("business_unit")),
    )
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_receiver_is_connected_once(world):
    from learninghub.partnerships.signals import access_withdrawn

    assert access_withdrawn.has_listeners()
    receivers.connect()  # a second ready() must not revoke twice or audit twice
    person = second_business_unit(world)
    make_token(person)
    partnership_services.membership_end(
        auditor=Auditor(actor=world.user("business_unit")), membership=person.memberships.get()
    )
    assert revocations().count() == 1
    assert not ApiToken.objects.filter(revoked_at__isnull=True, user=person).exists()


# Helpers ----------------------------------------------------------------------------------


def _reset_arguments(user) -> dict:
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }


def _reset_through_the_page(user):
    link = urlsplit(partnership_services.password_reset_link(user)).path
    client = Client()
    response = client.post(link, {"password": NEW_PASSWORD})
    assert response.status_code == 302, response.content
    return response
