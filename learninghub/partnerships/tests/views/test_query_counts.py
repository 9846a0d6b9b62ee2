"""Pages keep a constant number of queries whatever the volume (design.md, Scale path).

Each bound was measured and given one query of headroom; the same bound must hold for a
small and a large partnership, so a query per row (N+1) fails here.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from learninghub.core.audit.auditor import Auditor
from learninghub.core.permissions import Role
from learninghub.partnerships import services
from learninghub.partnerships.tests.factories import AgencyFactory, member

# Every signed-in page: session, user, OTP device, memberships; then the session's
# "last seen" write (savepoint, update, release).
AGENCY_LIST_MAX = 9  # measured 8
PEOPLE_LIST_MAX = 11  # measured 10
MEMBERSHIP_DETAIL_MAX = 11  # measured 10
AUDIT_LOG_MAX = 10  # measured 9
DASHBOARD_MAX = 9  # measured 7 (8 for a practitioner: Django checks their model permissions)


def _agencies(world, n):
    for _ in range(n):
        AgencyFactory(partnership=world.partnership)


def _members(world, n):
    agencies = [AgencyFactory(partnership=world.partnership) for _ in range(3)]
    for i in range(n):
        member(world.partnership, Role.PRACTITIONER, agencies[i % 3])


def _invitations(world, n):
    auditor = Auditor(actor=world.user("business_unit"))
    for i in range(n):
        services.invitation_create(
            auditor=auditor,
            partnership=world.partnership,
            email=f"invitee{i}@example.org",
            role=Role.AGENCY_LEAD,
            agency=world.agency,
        )


@pytest.mark.parametrize("agencies", [5, 40])
def test_agency_list(world, client_for, django_assert_max_num_queries, agencies):
    _agencies(world, agencies)
    client = client_for("business_unit")
    with django_assert_max_num_queries(AGENCY_LIST_MAX):
        response = client.get(reverse("partnerships:agency_list"))
    assert response.content.decode().count("/manage/agencies/") >= agencies


@pytest.mark.parametrize(("members", "invitations"), [(10, 1), (120, 30)])
def test_people_list(world, client_for, django_assert_max_num_queries, members, invitations):
    _members(world, members)
    _invitations(world, invitations)
    client = client_for("business_unit")
    with django_assert_max_num_queries(PEOPLE_LIST_MAX):
        response = client.get(reverse("partnerships:people_list"))
    assert response.status_code == 200
    assert f"invitee{invitations - 1}@example.org" in response.content.decode()


@pytest.mark.parametrize("changes", [1, 30])
def test_membership_detail(world, client_for, django_assert_max_num_queries, changes):
    membership = world.user("practitioner").memberships.get()
    auditor = Auditor(actor=world.user("business_unit"))
    other = AgencyFactory(partnership=world.partnership)
    for i in range(changes):
        services.membership_change(
            auditor=auditor,
            membership=membership,
            role=Role.AGENCY_LEAD if i % 2 == 0 else Role.PRACTITIONER,
            agency=other if i % 2 == 0 else world.agency,
        )
    _agencies(world, 20)
    client = client_for("business_unit")
    with django_assert_max_num_queries(MEMBERSHIP_DETAIL_MAX):
        response = client.get(reverse("partnerships:membership_detail", args=[membership.pk]))
    assert response.content.decode().count("Changed the role of") == changes


@pytest.mark.parametrize("events", [3, 120])
def test_audit_log(world, client_for, django_assert_max_num_queries, events):
    auditor = Auditor(actor=world.user("business_unit"))
    for i in range(events):
        auditor.record("action", action="test", summary=f"Event {i}", obj=world.agency)
    client = client_for("business_unit")
    with django_assert_max_num_queries(AUDIT_LOG_MAX):
        response = client.get(reverse("partnerships:audit_log"), {"q": "Event"})
    assert f"Events ({events})" in response.content.decode()


@pytest.mark.parametrize("role", ["business_unit", "practitioner", "system_admin"])
def test_dashboard(world, client_for, django_assert_max_num_queries, role):
    _members(world, 30)
    client = client_for(role)
    with django_assert_max_num_queries(DASHBOARD_MAX):
        response = client.get(reverse("core:dashboard"))
    assert "Your dashboard" in response.content.decode()


@pytest.mark.django_db
def test_password_reset_pages(client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        client.get(reverse("accounts:password_reset"))
    with django_assert_max_num_queries(0):
        client.get(reverse("accounts:password_reset_sent"))
    with django_assert_max_num_queries(1):  # the user the link names, if any
        client.get(reverse("accounts:password_reset_confirm", args=["MQ", "bad-token"]))


@pytest.mark.parametrize("members", [1, 30])
def test_two_factor_reset_page(world, client_for, members, django_assert_max_num_queries):
    _members(world, members)
    client = client_for("business_unit")
    url = reverse(
        "partnerships:membership_two_factor_reset",
        args=[world.user("practitioner").memberships.get().pk],
    )
    with django_assert_max_num_queries(MEMBERSHIP_DETAIL_MAX):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_email_confirmation_pages(client, world, django_assert_max_num_queries):
    from learninghub.partnerships.tests.factories import UserFactory

    with django_assert_max_num_queries(0):
        client.get(reverse("accounts:confirmation_resend"))
    with django_assert_max_num_queries(0):
        client.get(reverse("accounts:confirmation_resend_sent"))
    token = services.confirmation_token(UserFactory(email_confirmed_at=None))
    with django_assert_max_num_queries(1):  # the user the link names
        response = client.get(reverse("accounts:confirm_email", args=[token]))
    assert "Confirm your email address" in response.content.decode()


# The request path of each email form: the form's choices, the rate-limit hit (savepoint,
# prune, insert, release, count) and, for registration, the session. The lookup and the email
# are the worker's (tasks.py), so these hold whether or not the address has an account.
EMAIL_REQUEST_MAX = {"register": 12, "password_reset": 6, "confirmation_resend": 6}  # 11, 5, 5


@pytest.mark.parametrize("form", EMAIL_REQUEST_MAX)
def test_email_request_forms(client, world, settings, django_assert_max_num_queries, form):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    data = {"email": "practitioner@example.org"}
    if form == "register":
        data |= {
            "full_name": "Jo Practitioner",
            "partnership": world.partnership.pk,
            "agency": world.agency.pk,
            "password": "lantern-orchard-violet-42",
        }
    with django_assert_max_num_queries(EMAIL_REQUEST_MAX[form]):
        response = client.post(reverse(f"accounts:{form}"), data)
    assert response.status_code == 302
