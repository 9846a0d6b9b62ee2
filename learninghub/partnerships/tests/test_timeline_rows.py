"""The timeline reads the same from audit events and from `.values()` rows of them."""

from django.template import engines

from learninghub.core.audit.auditor import Auditor
from learninghub.core.audit.display import timeline_html
from learninghub.core.audit.models import AuditEvent
from learninghub.partnerships import services as partnership_services

FIELDS = ("kind", "summary", "actor_label", "occurred_at", "changes", "object_type")


def test_rows_and_events_read_the_same(world):
    agency = world.agency
    partnership_services.agency_update(
        auditor=Auditor(actor=world.user("business_unit")),
        agency=agency,
        name=f"{agency.name} <& Co>",
        agency_type="health_gp",
        is_active=False,
    )
    events = AuditEvent.objects.filter(object_type="partnerships.agency").order_by("-id")
    html = timeline_html(list(events.values(*FIELDS)))

    assert html == timeline_html(list(events))
    assert "Agency type: Police → Health: GP practice" in html
    assert "Is active: Yes → No" in html
    assert "&lt;&amp; Co&gt;" in html and "<& Co>" not in html
    # The macro is this renderer.
    template = engines["jinja2"].from_string(
        '{% from "audit/timeline.jinja" import timeline %}{{ timeline(events, "Changes") }}'
    )
    assert template.render({"events": list(events)}) == timeline_html(list(events), "Changes")


def test_no_events():
    assert "No changes have been recorded." in timeline_html([])
