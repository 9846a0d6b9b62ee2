"""The business unit's people pages: members, invitations, roles and ending a membership."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from learninghub.core.audit.auditor import Auditor
from learninghub.core.permissions import Role
from learninghub.core.tests.html import soup
from learninghub.partnerships import services
from learninghub.partnerships.models import Invitation, Membership
from learninghub.partnerships.tests.conftest import error_summary, page_text
from learninghub.partnerships.tests.factories import member
from learninghub.partnerships.views import PAGE_SIZE

PEOPLE = reverse("partnerships:people_list")
# What a browser sends when the box is left unticked: only the CSRF token (the test client
# does not check it, but an empty POST would leave the form unbound).
UNTICKED = {"csrfmiddlewaretoken": "browser-token"}
INVITE = reverse("partnerships:invitation_create")


@pytest.fixture
def bu(client_for):
    return client_for("business_unit")


def _rows(response) -> list[str]:
    """The member links in the people table, in order."""
    links = (re.fullmatch(r"/.*people/(\d+)/", a["href"]) for a in soup(response)("a", href=True))
    return [link[1] for link in links if link]


def _membership(world, role) -> Membership:
    return world.user(role).memberships.get()


class TestPeopleList:
    def test_lists_current_members_of_this_partnership_only(self, world, bu):
        gone = member(world.partnership, Role.PRACTITIONER, email="gone@example.org")
        gone.memberships.update(ended_at="2026-01-01T00:00Z")

        response = bu.get(PEOPLE)

        text = page_text(response)
        assert "Members (5)" in text
        for email in ("practitioner@example.org", "lead@example.org", "bu@example.org"):
            assert email in text
        assert "gone@example.org" not in text
        assert "other.bu@example.org" not in text

    def test_paginates_fifty_to_a_page(self, world, bu):
        for n in range(120):
            member(world.partnership, Role.PRACTITIONER, full_name=f"Paged Person {n:03d}")

        first = bu.get(PEOPLE)
        last = bu.get(PEOPLE, {"page": 3})

        assert PAGE_SIZE == 50
        assert "Members (125)" in page_text(first)
        assert len(_rows(first)) == 50
        assert len(_rows(last)) == 25
        assert 'href="?page=2"' in first.content.decode()
        assert len(set(_rows(first)) | set(_rows(last))) == 75

    def test_a_search_finds_by_name_or_email_and_keeps_the_search_across_pages(self, world, bu):
        for n in range(55):
            member(world.partnership, Role.PRACTITIONER, full_name=f"Okafor {n:02d}")

        by_name = bu.get(PEOPLE, {"q": "okafor"})
        by_email = bu.get(PEOPLE, {"q": "LEAD@"})
        nothing = bu.get(PEOPLE, {"q": "no such person"})

        assert "Members (55)" in page_text(by_name)
        assert 'href="?page=2&amp;q=okafor"' in by_name.content.decode()
        assert "Members (1)" in page_text(by_email)
        assert "lead@example.org" in page_text(by_email)
        assert "No one matches your search." in page_text(nothing)

    def test_shows_waiting_invitations_with_a_withdraw_link(self, world, bu, bu_auditor):
        invitation, _ = services.invitation_create(
            auditor=bu_auditor,
            partnership=world.partnership,
            email="waiting@example.org",
            role=Role.AGENCY_LEAD,
            agency=world.agency,
        )
        text = page_text(bu.get(PEOPLE))
        assert "waiting@example.org" in text
        assert "Waiting (expires" in text
        assert reverse("partnerships:invitation_withdraw", args=[invitation.pk]) in text


class TestInvite:
    def test_the_form_offers_only_this_partnership_s_active_agencies(self, world, bu):
        text = page_text(bu.get(INVITE))
        assert "Northdale Police" in text
        assert "Eastmoor Police" not in text

    def test_inviting_sends_the_email_and_lists_the_invitation(self, world, bu, sent):
        with sent():
            response = bu.post(
                INVITE,
                {"email": "Nia@Example.org", "role": Role.AGENCY_LEAD, "agency": world.agency.pk},
            )

        assert response.status_code == 302
        assert response["Location"] == PEOPLE
        invitation = Invitation.objects.get()
        assert invitation.email == "nia@example.org"
        assert invitation.agency == world.agency
        assert invitation.invited_by == world.user("business_unit")
        assert [m.to for m in sent.outbox] == [["nia@example.org"]]
        text = page_text(bu.get(PEOPLE))
        assert "An invitation was sent to nia@example.org" in text
        assert "govuk-notification-banner--success" in text

    def test_inviting_a_current_member_shows_the_error_against_the_email(self, world, bu, sent):
        with sent():
            response = bu.post(
                INVITE, {"email": "lead@example.org", "role": Role.AGENCY_LEAD, "agency": ""}
            )

        assert "There is a problem" in page_text(response)
        assert error_summary(response) == [
            (
                "#id_email",
                "lead@example.org is already a member of NDSCP. Change their role instead",
            )
        ]
        assert not Invitation.objects.exists()
        assert sent.outbox == []

    def test_every_missing_answer_is_listed(self, world, bu):
        response = bu.post(INVITE, {"email": "not-an-email", "agency": ""})
        assert error_summary(response) == [
            ("#id_email", "Enter an email address in the correct format, like name@example.org"),
            ("#role", "Select a role"),
        ]

    def test_another_partnership_s_agency_is_not_a_valid_choice(self, world, bu):
        response = bu.post(
            INVITE,
            {
                "email": "nia@example.org",
                "role": Role.PRACTITIONER,
                "agency": world.other_agency.pk,
            },
        )
        assert [href for href, _ in error_summary(response)] == ["#id_agency"]
        assert not Invitation.objects.exists()


class TestWithdrawInvitation:
    def test_withdrawing_needs_confirmation_then_stops_the_link(self, world, bu, bu_auditor):
        invitation, token = services.invitation_create(
            auditor=bu_auditor,
            partnership=world.partnership,
            email="nia@example.org",
            role=Role.PRACTITIONER,
            agency=world.agency,
        )
        url = reverse("partnerships:invitation_withdraw", args=[invitation.pk])

        assert "Withdraw the invitation for nia@example.org" in page_text(bu.get(url))
        unconfirmed = bu.post(url, UNTICKED)
        assert error_summary(unconfirmed) == [("#id_confirm", "Confirm that you want to do this")]
        invitation.refresh_from_db()
        assert invitation.is_open

        response = bu.post(url, {"confirm": "on"})

        assert response["Location"] == PEOPLE
        invitation.refresh_from_db()
        assert invitation.status == "Withdrawn"
        assert "The invitation for nia@example.org was withdrawn" in page_text(bu.get(PEOPLE))
        link = bu.get(reverse("accounts:invitation", args=[token]))
        assert link.status_code == 404

    def test_another_partnership_s_invitation_is_not_found(self, world, client_for):
        invitation, _ = services.invitation_create(
            auditor=Auditor(actor=world.user("other_business_unit")),
            partnership=world.other_partnership,
            email="nia@example.org",
            role=Role.PRACTITIONER,
            agency=world.other_agency,
        )
        url = reverse("partnerships:invitation_withdraw", args=[invitation.pk])
        response = client_for("business_unit").post(url, {"confirm": "on"})
        assert response.status_code == 404
        invitation.refresh_from_db()
        assert invitation.is_open


class TestMembershipDetail:
    def url(self, membership):
        return reverse("partnerships:membership_detail", args=[membership.pk])

    def test_shows_the_person_and_their_role(self, world, bu):
        text = page_text(bu.get(self.url(_membership(world, "agency_lead"))))
        assert "lead@example.org" in text
        assert "Agency lead" in text
        assert "Northdale Police" in text
        assert "End this membership" in text

    def test_changing_the_role_is_saved_and_shown_in_the_history(self, world, bu):
        membership = _membership(world, "practitioner")

        response = bu.post(
            self.url(membership), {"role": Role.CASE_REVIEW_GROUP, "agency": world.agency.pk}
        )

        assert response["Location"] == self.url(membership)
        membership.refresh_from_db()
        assert membership.role == Role.CASE_REVIEW_GROUP
        text = page_text(bu.get(self.url(membership)))
        assert "The role of practitioner@example.org was changed" in text
        assert "Changed the role of practitioner@example.org" in text
        assert "Role: Practitioner → Case review group" in text
        assert "bu@example.org" in text

    def test_the_last_business_unit_member_cannot_be_demoted(self, world, bu):
        membership = _membership(world, "business_unit")

        response = bu.post(self.url(membership), {"role": Role.PRACTITIONER, "agency": ""})

        assert response.status_code == 200
        assert error_summary(response) == [
            ("#role", "The partnership must keep at least one business unit member")
        ]
        membership.refresh_from_db()
        assert membership.role == Role.BUSINESS_UNIT


class TestMembershipEnd:
    def url(self, membership):
        return reverse("partnerships:membership_end", args=[membership.pk])

    def test_ending_a_membership_takes_away_the_person_s_access(self, world, bu, client_for):
        second = member(world.partnership, Role.BUSINESS_UNIT, email="bu2@example.org")
        membership = _membership(world, "business_unit")
        ended_person = client_for("business_unit")
        assert ended_person.get(PEOPLE).status_code == 200

        response = client_for("business_unit").post(self.url(membership), {"confirm": "on"})

        assert response["Location"] == PEOPLE
        membership.refresh_from_db()
        assert membership.ended_at is not None
        for page in (
            PEOPLE,
            reverse("partnerships:agency_list"),
            reverse("partnerships:agency_detail", args=[world.agency.pk]),
            reverse("partnerships:audit_log"),
        ):
            assert ended_person.get(page).status_code == 404, page
        assert second.memberships.get().is_active

    def test_ending_needs_confirmation(self, world, bu):
        membership = _membership(world, "practitioner")
        text = page_text(bu.get(self.url(membership)))
        assert "End the membership of practitioner@example.org" in text

        response = bu.post(self.url(membership), UNTICKED)

        assert error_summary(response) == [("#id_confirm", "Confirm that you want to do this")]
        membership.refresh_from_db()
        assert membership.is_active

    def test_the_last_business_unit_member_cannot_be_removed(self, world, bu):
        membership = _membership(world, "business_unit")

        response = bu.post(self.url(membership), {"confirm": "on"})

        assert error_summary(response) == [
            ("#id_confirm", "The partnership must keep at least one business unit member")
        ]
        membership.refresh_from_db()
        assert membership.is_active
        assert bu.get(PEOPLE).status_code == 200

    def test_the_ended_person_leaves_the_list(self, world, bu):
        bu.post(self.url(_membership(world, "practitioner")), {"confirm": "on"})
        text = page_text(bu.get(PEOPLE))
        assert "The membership of practitioner@example.org has ended" in text
        assert "Members (4)" in text
