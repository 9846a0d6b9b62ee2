"""Fixtures shared by every test: a small world of two partnerships and a client per role."""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from learninghub.core.middleware import SESSION_SEEN, SESSION_STARTED
from learninghub.core.permissions import Role
from learninghub.core.tests.matrix import ROLES as MATRIX_ROLES
from learninghub.partnerships.models import AgencyType
from learninghub.partnerships.tests.factories import (
    AgencyFactory,
    PartnershipFactory,
    UserFactory,
    confirmed_totp,
    member,
)

# Every role the permission matrix knows, anonymous included.
ROLES = MATRIX_ROLES


@dataclass
class World:
    partnership: object
    other_partnership: object
    agency: object
    other_agency: object
    users: dict

    def user(self, role: str):
        return self.users.get(role)


@pytest.fixture
def world(db) -> World:
    partnership = PartnershipFactory(
        name="Northdale Safeguarding Children Partnership", short_name="NDSCP"
    )
    other = PartnershipFactory(
        name="Eastmoor Safeguarding Children Partnership", short_name="EMSCP"
    )
    agency = AgencyFactory(
        partnership=partnership, name="Northdale Police", agency_type=AgencyType.POLICE
    )
    other_agency = AgencyFactory(
        partnership=other, name="Eastmoor Police", agency_type=AgencyType.POLICE
    )
    users = {
        "practitioner": member(
            partnership, Role.PRACTITIONER, agency, email="practitioner@example.org"
        ),
        "agency_lead": member(partnership, Role.AGENCY_LEAD, agency, email="lead@example.org"),
        "independent_reviewer": member(
            partnership, Role.INDEPENDENT_REVIEWER, email="reviewer@example.org"
        ),
        "case_review_group": member(
            partnership, Role.CASE_REVIEW_GROUP, agency, email="crg@example.org"
        ),
        "business_unit": member(partnership, Role.BUSINESS_UNIT, email="bu@example.org"),
        "other_business_unit": member(other, Role.BUSINESS_UNIT, email="other.bu@example.org"),
        "system_admin": UserFactory(email="admin@example.org", is_superuser=True, is_staff=True),
    }
    return World(partnership, other, agency, other_agency, users)


def signed_in_client(user) -> Client:
    """A client signed in as `user`, past two-factor where the role needs it."""
    client = Client()
    client.force_login(user)
    session = client.session
    now = time.time()
    session[SESSION_STARTED] = now
    session[SESSION_SEEN] = now
    if user.requires_two_factor:
        session[DEVICE_ID_SESSION_KEY] = confirmed_totp(user).persistent_id
    session.save()
    return client


@pytest.fixture
def client_for(world):
    def make(role: str) -> Client:
        if role == "anonymous":
            return Client()
        return signed_in_client(world.user(role))

    return make
