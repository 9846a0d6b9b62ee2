"""The audit log page: the business unit searches its own partnership's events only."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from learninghub.core.audit.auditor import append
from learninghub.core.audit.models import AuditEvent
from learninghub.partnerships.tests.conftest import error_summary, page_text
from learninghub.partnerships.views import PAGE_SIZE

AUDIT = reverse("partnerships:audit_log")


def event(when: str, summary: str, *, partnership=None, kind="update", actor="bu@example.org"):
    """An event on a given day (the Auditor always stamps now), chained like a real one."""
    record = AuditEvent(
        occurred_at=timezone.make_aware(datetime.fromisoformat(when)),
        kind=kind,
        action="test.event",
        summary=summary,
        actor_label=actor,
        partnership_id=partnership.pk if partnership else None,
    )
    return append(record)


@pytest.fixture
def history(world):
    ndscp, emscp = world.partnership, world.other_partnership
    event(
        "2026-03-02 10:00", "Added the agency Northdale Schools", partnership=ndscp, kind="create"
    )
    event("2026-03-15 11:00", "Changed the agency Northdale Police", partnership=ndscp)
    event(
        "2026-04-01 09:30",
        "Ended the membership of lead@example.org",
        partnership=ndscp,
        actor="manager@example.org",
    )
    event("2026-03-20 12:00", "Changed the agency Eastmoor Police", partnership=emscp)
    event("2026-03-21 12:00", "Created the account for someone@example.org", kind="create")


def _rows(response) -> str:
    body = page_text(response)
    return body[body.find("<tbody") : body.find("</tbody>")]


class TestScope:
    def test_a_business_unit_sees_only_its_own_partnership_s_events(
        self, world, history, client_for
    ):
        response = client_for("business_unit").get(AUDIT)

        rows = _rows(response)
        # The three changes, and the business unit member's own sign-in (a Northdale person).
        assert "Events (4)" in page_text(response)
        assert "Signed in" in rows
        assert "Northdale Schools" in rows
        assert "Northdale Police" in rows
        assert "Eastmoor Police" not in rows
        assert "someone@example.org" not in rows

    def test_the_other_business_unit_sees_only_theirs(self, world, history, client_for):
        rows = _rows(client_for("other_business_unit").get(AUDIT))
        assert "Eastmoor Police" in rows
        assert "Northdale" not in rows

    def test_a_system_administrator_sees_every_event(self, world, history, client_for):
        response = client_for("system_admin").get(AUDIT)
        rows = _rows(response)
        for text in ("Northdale Schools", "Eastmoor Police", "someone@example.org"):
            assert text in rows
        assert f"Events ({AuditEvent.objects.count()})" in page_text(response)

    @pytest.mark.parametrize("role", ["practitioner", "agency_lead", "case_review_group"])
    def test_other_roles_cannot_find_the_page(self, world, client_for, role):
        assert client_for(role).get(AUDIT).status_code == 404


class TestSearch:
    def test_by_text_in_the_summary_or_the_person(self, world, history, client_for):
        bu = client_for("business_unit")

        by_summary = _rows(bu.get(AUDIT, {"q": "police"}))
        by_person = _rows(bu.get(AUDIT, {"q": "manager@"}))

        assert "Changed the agency Northdale Police" in by_summary
        assert "Northdale Schools" not in by_summary
        assert "Eastmoor Police" not in by_summary
        assert "Ended the membership of lead@example.org" in by_person
        assert "Northdale Police" not in by_person

    def test_by_type_of_event(self, world, history, client_for):
        rows = _rows(client_for("business_unit").get(AUDIT, {"kind": "create"}))
        assert "Added the agency Northdale Schools" in rows
        assert "Changed the agency" not in rows

    def test_by_date_range_including_both_ends(self, world, history, client_for):
        rows = _rows(
            client_for("business_unit").get(
                AUDIT, {"date_from": "2026-03-15", "date_to": "2026-04-01"}
            )
        )
        assert "Changed the agency Northdale Police" in rows
        assert "Ended the membership" in rows
        assert "Northdale Schools" not in rows

    def test_nothing_found_says_so(self, world, history, client_for):
        rows = _rows(client_for("business_unit").get(AUDIT, {"q": "no such thing"}))
        assert "No events match your search." in rows

    def test_a_date_that_is_not_a_date_is_shown_as_an_error(self, world, history, client_for):
        response = client_for("business_unit").get(AUDIT, {"date_from": "2026-13-45"})

        assert response.status_code == 200
        assert "There is a problem" in page_text(response)
        assert error_summary(response) == [
            ("#id_date_from", "Enter the start date as YYYY-MM-DD, like 2026-04-01")
        ]
        assert "<tbody" not in response.content.decode()

    def test_an_end_date_before_the_start_date_is_an_error(self, world, history, client_for):
        response = client_for("business_unit").get(
            AUDIT, {"date_from": "2026-04-01", "date_to": "2026-03-01"}
        )
        assert error_summary(response) == [
            ("#id_date_to", "The end date must be the same as or after the start date")
        ]

    def test_an_unknown_type_of_event_is_an_error(self, world, history, client_for):
        response = client_for("business_unit").get(AUDIT, {"kind": "everything"})
        assert [href for href, _ in error_summary(response)] == ["#id_kind"]

    def test_results_are_paged_and_the_search_is_kept(self, world, client_for):
        for n in range(PAGE_SIZE + 5):
            event("2026-03-02 10:00", f"Changed the agency {n}", partnership=world.partnership)
        response = client_for("business_unit").get(AUDIT, {"q": "Changed"})

        assert "Events (55)" in page_text(response)
        assert _rows(response).count("govuk-table__row") == PAGE_SIZE
        assert 'href="?page=2&amp;q=Changed' in response.content.decode()
        second = client_for("business_unit").get(AUDIT, {"q": "Changed", "page": 2})
        assert _rows(second).count("govuk-table__row") == 5
