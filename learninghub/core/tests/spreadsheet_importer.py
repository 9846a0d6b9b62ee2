"""A test-only importer for the core's spreadsheet import: a partnership's agencies.

The core has no model an import could fill, so the tests import agencies, a model the
partnerships app owns. The core imports no domain app, its tests included (lint-imports), so
the model is looked up by name. The importer is registered only inside a test's fixture.
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import ValidationError

from learninghub.core import spreadsheets
from learninghub.core.audit.auditor import Entry
from learninghub.core.audit.models import AuditEvent


def agency_model():
    return apps.get_model("partnerships", "Agency")


REFUSED_NAME = "Refuse this agency"


class AgencyImporter(spreadsheets.Importer):
    name = "test-agencies"
    title = "Test agencies"
    permission = "partnerships.manage_partnership"
    description = "One row per agency."
    key_fields = ("name",)

    def __init__(self):
        types = agency_model()._meta.get_field("agency_type").choices
        self.fields = [
            spreadsheets.ImportField(
                "name",
                "Agency name",
                required=True,
                parse=spreadsheets.text_up_to(200),
                aliases=("Organisation", "Agency"),
            ),
            spreadsheets.ImportField(
                "agency_type",
                "Type",
                required=True,
                parse=spreadsheets.choice_of(types),
                aliases=("Agency type",),
            ),
            spreadsheets.ImportField(
                "is_active", "Active", parse=spreadsheets.parse_bool, aliases=("In use",)
            ),
            spreadsheets.ImportField("since", "Joined", parse=spreadsheets.parse_date),
        ]

    def key(self, row):
        return row["name"].casefold()

    def apply(self, rows, *, auditor, partnership):
        existing = {
            a.name.casefold(): a for a in agency_model().objects.filter(partnership=partnership)
        }
        created = updated = unchanged = 0
        entries = []
        for row in rows:
            values = {
                "agency_type": row["agency_type"],
                "is_active": True if row["is_active"] is None else row["is_active"],
            }
            agency = existing.get(self.key(row))
            if agency is None:
                agency = agency_model().objects.create(
                    partnership=partnership, name=row["name"], **values
                )
                created += 1
                entries.append(
                    Entry(AuditEvent.Kind.CREATE, action="test.agency", summary="Added", obj=agency)
                )
            elif all(getattr(agency, k) == v for k, v in values.items()):
                unchanged += 1
            else:
                for k, v in values.items():
                    setattr(agency, k, v)
                agency.save()
                updated += 1
                entries.append(
                    Entry(
                        AuditEvent.Kind.UPDATE, action="test.agency", summary="Changed", obj=agency
                    )
                )
            if row["name"] == REFUSED_NAME:
                # After earlier rows were written: the whole import must roll back.
                raise ValidationError({"name": "This agency cannot be imported"})
        auditor.record_many(entries)
        return spreadsheets.ImportResult(created=created, updated=updated, unchanged=unchanged)
