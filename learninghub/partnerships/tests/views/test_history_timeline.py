"""The history timeline on a record's page."""

from django.urls import reverse

from learninghub.core.audit.auditor import Auditor
from learninghub.partnerships import services as partnership_services


def test_the_timeline_reads_as_the_pages_do(world, client_for):
    """Changes show field labels and choice labels, not stored codes."""
    agency = world.agency
    partnership_services.agency_update(
        auditor=Auditor(actor=world.user("business_unit")),
        agency=agency,
        name=agency.name,
        agency_type="health_gp",
        is_active=False,
    )
    page = client_for("business_unit").get(reverse("partnerships:agency_detail", args=[agency.pk]))
    text = page.content.decode()
    assert "Agency type: Police → Health: GP practice" in text
    assert "Is active: Yes → No" in text
    assert "health_gp" not in text
