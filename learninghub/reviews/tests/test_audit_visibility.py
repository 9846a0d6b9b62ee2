"""Case material in the audit log is for the case team only (issue 6, finding 3).

The system administrator, a member of no partnership's case team, sees that each event
happened (when, who, what kind, which type of record) but none of its case text: no finding,
recommendation, pseudonym or document title. The business unit of the case's partnership
still sees it all, and that reading is itself recorded.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import engines
from django.urls import reverse

from learninghub.core.audit.auditor import Auditor
from learninghub.core.audit.display import CASE_MATERIAL_NOTICE, hide_case_text
from learninghub.core.audit.models import AuditEvent
from learninghub.core.audit.selectors import audit_history_for_scope, audit_search
from learninghub.core.files.tests.samples import pdf_bytes
from learninghub.core.permissions import Role
from learninghub.partnerships.tests.conftest import page_text
from learninghub.partnerships.tests.factories import member
from learninghub.reviews import services
from learninghub.reviews.tests.factories import open_case

AUDIT = reverse("partnerships:audit_log")
PSEUDONYM = "Child Marigold-Fictional"
FINDING = "Health visitors were not told of the move between boroughs"
RECOMMENDATION = "Agree a protocol for sharing records when a family moves"
DOCUMENT = "Rapid review minutes Marigold-Fictional"
CASE_TEXT = (PSEUDONYM, FINDING, RECOMMENDATION, DOCUMENT, "NDSCP-2026-042")
# A query count pin: signed-in page (session, user, device, memberships), the count, the
# page of events, the seen-at write; for the case team, the read it records.
AUDIT_LOG_MAX = 10  # measured 9
AUDIT_LOG_WITH_READ_MAX = 14  # measured 13


@pytest.fixture
def case(world):
    bu = Auditor(actor=world.user("business_unit"))
    case = open_case(world.partnership, reference="NDSCP-2026-042", pseudonym=PSEUDONYM)
    services.finding_add(auditor=bu, case=case, text=FINDING)
    services.recommendation_add(
        auditor=bu, case=case, text=RECOMMENDATION, to_partnership=True, agencies=[]
    )
    services.document_upload(
        auditor=bu,
        case=case,
        stage="rapid_review",
        title=DOCUMENT,
        file=SimpleUploadedFile("minutes.pdf", pdf_bytes("Fictional minutes"), "application/pdf"),
    )
    return case


def _rows(response) -> str:
    body = page_text(response)
    return body[body.find("<tbody") : body.find("</tbody>")]


def test_the_system_administrator_sees_the_events_without_their_case_text(world, case, client_for):
    response = client_for("system_admin").get(AUDIT)
    assert response.status_code == 200
    rows = _rows(response)
    for text in CASE_TEXT:
        assert text not in rows, text
    assert "Marigold" not in page_text(response)
    # Each event is still there, with who, what kind and which type of record.
    assert rows.count(CASE_MATERIAL_NOTICE) >= 4
    for record_type in ("Case", "Finding", "Recommendation", "Document version"):
        assert f">{record_type}</td>" in rows, record_type
    assert "bu@example.org" in rows
    assert "Created." in rows


def test_the_business_unit_still_sees_the_case_text_and_the_reading_is_recorded(
    world, case, client_for
):
    response = client_for("business_unit").get(AUDIT)
    rows = _rows(response)
    for text in CASE_TEXT:
        assert text in rows, text
    assert CASE_MATERIAL_NOTICE not in rows
    read = AuditEvent.objects.get(action="core.audit_log.read")
    assert read.actor == world.user("business_unit")
    assert read.partnership_id == world.partnership.pk


def test_the_system_administrator_records_no_read_of_case_material(world, case, client_for):
    client_for("system_admin").get(AUDIT)
    assert not AuditEvent.objects.filter(action="core.audit_log.read").exists()


def test_searching_for_case_text_finds_nothing_for_the_system_administrator(
    world, case, client_for
):
    admin = client_for("system_admin")
    for text in ("Marigold", "Health visitors", "NDSCP-2026-042"):
        response = admin.get(AUDIT, {"q": text})
        assert "Events (0)" in page_text(response), text
    # What is not case text is still searchable: who acted, and what kind of action.
    assert "Events (0)" not in page_text(admin.get(AUDIT, {"q": "reviews.finding"}))

    bu = client_for("business_unit")
    assert "Events (0)" not in page_text(bu.get(AUDIT, {"q": "Marigold"}))


def test_a_system_administrator_who_is_also_in_the_case_team_sees_it(world, case, client_for):
    admin = member(world.partnership, Role.CASE_REVIEW_GROUP, email="admin.crg@example.org")
    admin.is_superuser = True
    admin.save()
    events = hide_case_text(audit_search(partnership_ids=None, viewer=admin), viewer=admin)
    assert any(PSEUDONYM in e.object_repr for e in events)
    assert not any(e.summary == CASE_MATERIAL_NOTICE for e in events)


def test_another_partnerships_case_team_does_not_see_it(world, case):
    other = world.user("other_business_unit")
    events = hide_case_text(audit_search(partnership_ids=None, viewer=other), viewer=other)
    case_events = [e for e in events if e.scope == case.audit_scope]
    assert case_events and all(e.summary == CASE_MATERIAL_NOTICE for e in case_events)
    assert all(e.object_repr == "" and e.changes == {} for e in case_events)


def test_a_timeline_of_hidden_events_shows_no_case_text(world, case):
    admin = world.user("system_admin")
    events = hide_case_text(audit_history_for_scope(case.audit_scope), viewer=admin)
    template = engines["jinja2"].from_string(
        '{% from "audit/timeline.jinja" import timeline %}{{ timeline(events) }}'
    )
    html = template.render({"events": events})
    for text in CASE_TEXT:
        assert text not in html, text
    assert CASE_MATERIAL_NOTICE in html
    assert "Created: Finding" in html


@pytest.mark.parametrize(
    ("role", "most"),
    [("system_admin", AUDIT_LOG_MAX), ("business_unit", AUDIT_LOG_WITH_READ_MAX)],
)
@pytest.mark.parametrize("cases", [1, 8])
def test_query_count(world, client_for, django_assert_max_num_queries, role, most, cases):
    bu = Auditor(actor=world.user("business_unit"))
    for n in range(cases):
        case = open_case(world.partnership, reference=f"NDSCP-2026-{n:03}")
        services.finding_add(auditor=bu, case=case, text=f"Finding {n}")
    client = client_for(role)
    with django_assert_max_num_queries(most):
        response = client.get(AUDIT)
    assert response.status_code == 200
