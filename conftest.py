"""Fixtures shared by every test: a small world of two partnerships and a client per role."""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
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

# Statutory clocks count working days, so a suite that passes on a Tuesday can fail on a
# Sunday or a bank holiday. HUB_TEST_TODAY=YYYY-MM-DD runs the whole session as if it were
# that day, from 10:00 in London with the clock ticking (`make test-calendar` runs the suite
# on awkward days). pytest_configure runs in every xdist worker as well as the controller, and
# before test modules are imported, so constants computed at import see the same day.
TEST_TODAY_VARIABLE = "HUB_TEST_TODAY"
LONDON = ZoneInfo("Europe/London")
_session_travel: time_machine.travel | None = None


def pytest_configure(config):
    global _session_travel
    value = os.environ.get(TEST_TODAY_VARIABLE, "").strip()
    if not value or _session_travel is not None:
        return
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(
            f"{TEST_TODAY_VARIABLE} must be a date such as 2026-12-25, not {value!r}."
        ) from None
    _session_travel = time_machine.travel(
        datetime(day.year, day.month, day.day, 10, tzinfo=LONDON), tick=True
    )
    _session_travel.start()


def pytest_unconfigure(config):
    global _session_travel
    if _session_travel is not None:
        _session_travel.stop()
        _session_travel = None


def pytest_report_header(config):
    if _session_travel is not None:
        return f"{TEST_TODAY_VARIABLE}: today is {date.today():%A %d %B %Y} (Europe/London)"
    return None


@pytest.fixture
def frozen_clock():
    """The clock stopped at this moment of the session's day (HUB_TEST_TODAY or the real one),
    for a test that works out "today" and then asks the code, which works it out again: the
    two must agree even when the test runs across midnight."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _audit_anchor_file(settings, tmp_path_factory):
    # Anchors are a file, so they outlive each test's database rollback: every test gets its
    # own (created only if the test anchors), never var/.
    name = f"audit-anchors-{uuid.uuid4().hex}.log"
    settings.AUDIT_ANCHOR_FILE = tmp_path_factory.getbasetemp() / name


_database_reloaded = False


@pytest.fixture(autouse=True)
def _content_types_after_a_reload(request):
    """Transactional tests (migrations, browser journeys) end by flushing the database and
    reloading its starting rows, which can renumber content types; the process-wide cache of
    their ids would then point a file's owner at a row that no longer exists. The test after
    such a test starts with an empty cache."""
    global _database_reloaded
    from django.contrib.contenttypes.models import ContentType

    if _database_reloaded:
        ContentType.objects.clear_cache()
        _database_reloaded = False
    yield
    marker = request.node.get_closest_marker("django_db")
    if request.node.get_closest_marker("e2e") or (marker and marker.kwargs.get("transaction")):
        _database_reloaded = True


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
def client_as():
    """A client signed in as any user (client_for takes the world's roles)."""
    return signed_in_client


@pytest.fixture
def client_for(world):
    def make(role: str) -> Client:
        if role == "anonymous":
            return Client()
        return signed_in_client(world.user(role))

    return make
