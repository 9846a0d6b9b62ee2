"""A person in several partnerships chooses which one the pages work in.

The pages used to take the newest membership silently, so a business unit member of two
partnerships could never reach the second's agencies and people. The API still asks for the
partnership on each request; the pages now follow the person's choice, which may only be a
partnership they are an active member of.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from learninghub.core.audit.auditor import Auditor
from learninghub.core.audit.models import AuditEvent
from learninghub.core.permissions import Role
from learninghub.partnerships import selectors, services
from learninghub.partnerships.models import CHOSEN_PARTNERSHIP_SESSION_KEY
from learninghub.partnerships.tests.factories import MembershipFactory, PartnershipFactory

SWITCH_MAX = 8  # measured 7: session, user, OTP device, memberships, last-seen write


@pytest.fixture
def two_partnerships(world):
    """Northdale's business unit member, also Eastmoor's business unit since a month ago
    (Northdale, joined later, stays the pages' default)."""
    person = world.user("business_unit")
    MembershipFactory(
        user=person,
        partnership=world.other_partnership,
        role=Role.BUSINESS_UNIT,
        started_at=timezone.now() - timedelta(days=30),
    )
    return person


@pytest.fixture
def both_client(two_partnerships, client_for):
    return client_for("business_unit")


def _text(response) -> str:
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


def _header(response) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    return soup.select_one(".hub-account").get_text(" ", strip=True)


def test_a_person_in_two_partnerships_reaches_the_seconds_business_unit_pages(world, both_client):
    before = both_client.get(reverse("partnerships:agency_list"))
    assert "Northdale Police" in _text(before)
    assert "Eastmoor Police" not in _text(before)
    assert "NDSCP" in _header(before)
    assert "Switch partnership" in _header(before)

    response = both_client.post(
        reverse("accounts:partnership_switch"), {"partnership": str(world.other_partnership.pk)}
    )
    assert response.status_code == 302

    after = both_client.get(reverse("partnerships:agency_list"))
    assert "Eastmoor Police" in _text(after)
    assert "Northdale Police" not in _text(after)
    assert "EMSCP" in _header(after)
    # The people page, too: Eastmoor's business unit member is listed, Northdale's is not.
    people = _text(both_client.get(reverse("partnerships:people_list")))
    assert world.user("other_business_unit").email in people
    assert world.user("practitioner").email not in people


def test_a_partnership_the_person_is_not_in_is_refused(world, both_client, two_partnerships):
    stranger = PartnershipFactory(name="Westvale Safeguarding Children Partnership")
    response = both_client.post(
        reverse("accounts:partnership_switch"), {"partnership": str(stranger.pk)}
    )
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    summary = soup.select_one(".govuk-error-summary")
    assert summary is not None
    assert "Select one of your partnerships" in summary.get_text()
    assert CHOSEN_PARTNERSHIP_SESSION_KEY not in both_client.session
    assert "NDSCP" in _header(both_client.get(reverse("core:dashboard")))
    assert not AuditEvent.objects.filter(action="partnerships.partnership.choose").exists()


def test_the_service_refuses_a_partnership_the_person_is_not_in(world, two_partnerships):
    session: dict = {}
    stranger = PartnershipFactory()
    with pytest.raises(ValidationError):
        services.partnership_choose(
            auditor=Auditor(actor=two_partnerships),
            user=two_partnerships,
            session=session,
            partnership_id=stranger.pk,
        )
    assert session == {}


def test_the_choice_is_audited_in_the_chosen_partnerships_log(world, two_partnerships):
    session: dict = {}
    services.partnership_choose(
        auditor=Auditor(actor=two_partnerships),
        user=two_partnerships,
        session=session,
        partnership_id=str(world.other_partnership.pk),
    )
    assert session[CHOSEN_PARTNERSHIP_SESSION_KEY] == world.other_partnership.pk
    event = AuditEvent.objects.get(action="partnerships.partnership.choose")
    assert event.partnership_id == world.other_partnership.pk
    assert event.actor_id == two_partnerships.pk


def test_an_ended_membership_no_longer_counts_as_the_choice(world, two_partnerships):
    two_partnerships.chosen_partnership_id = world.other_partnership.pk
    assert two_partnerships.current_partnership == world.other_partnership
    two_partnerships.memberships.filter(partnership=world.other_partnership).update(
        ended_at=timezone.now()
    )
    fresh = type(two_partnerships).objects.get(pk=two_partnerships.pk)
    fresh.chosen_partnership_id = world.other_partnership.pk
    assert fresh.current_partnership == world.partnership
    assert selectors.managed_partnership(fresh) == world.partnership


def test_one_membership_shows_no_switch_in_the_header(world, client_for):
    response = client_for("case_review_group").get(reverse("core:dashboard"))
    assert "Switch partnership" not in _header(response)
    page = client_for("case_review_group").get(reverse("accounts:partnership_switch"))
    assert "no other to choose" in _text(page)
    assert (
        BeautifulSoup(page.content, "html.parser").select_one("form[method=post] input[type=radio]")
        is None
    )


def test_the_switch_page_lists_the_persons_partnerships(world, both_client):
    response = both_client.get(reverse("accounts:partnership_switch"))
    soup = BeautifulSoup(response.content, "html.parser")
    labels = [label.get_text(strip=True) for label in soup.select(".govuk-radios__label")]
    assert labels == [
        "Eastmoor Safeguarding Children Partnership (Business unit)",
        "Northdale Safeguarding Children Partnership (Business unit)",
    ]
    checked = soup.select_one("input[type=radio][checked]")
    assert checked["value"] == str(world.partnership.pk)


@pytest.mark.parametrize("extra", [1, 6])
def test_switch_page_query_count(
    world, both_client, two_partnerships, extra, django_assert_max_num_queries
):
    for _ in range(extra):
        MembershipFactory(
            user=two_partnerships, partnership=PartnershipFactory(), role=Role.PRACTITIONER
        )
    with django_assert_max_num_queries(SWITCH_MAX):
        response = both_client.get(reverse("accounts:partnership_switch"))
    assert (
        len(BeautifulSoup(response.content, "html.parser").select(".govuk-radios__input"))
        == 2 + extra
    )
