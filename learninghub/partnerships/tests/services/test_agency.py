"""Agencies: the business unit adds and changes the agencies that make up its partnership."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from learninghub.core.audit.auditor import AnonymousAuditError, Auditor
from learninghub.core.audit.models import AuditEvent
from learninghub.partnerships import selectors, services
from learninghub.partnerships.models import Agency, AgencyType


def _events(action: str):
    return AuditEvent.objects.filter(action=action)


class TestAgencyCreate:
    def test_adds_the_agency_and_records_who_added_it(self, world, bu_auditor):
        agency = services.agency_create(
            auditor=bu_auditor,
            partnership=world.partnership,
            name="  Northdale Community Health  ",
            agency_type=AgencyType.HEALTH_TRUST,
        )

        agency.refresh_from_db()
        assert agency.name == "Northdale Community Health"
        assert agency.partnership == world.partnership
        assert agency.is_active
        event = _events("partnerships.agency.create").get()
        assert event.kind == AuditEvent.Kind.CREATE
        assert event.actor == world.user("business_unit")
        assert event.actor_label == "bu@example.org"
        assert event.partnership_id == world.partnership.pk
        assert event.object_id == str(agency.pk)
        assert event.summary == "Added the agency Northdale Community Health"
        assert event.changes["name"] == [None, "Northdale Community Health"]
        assert event.changes["agency_type"] == [None, "health_trust"]
        assert event.ip_address == "203.0.113.7"

    @pytest.mark.parametrize("name", ["", "   "])
    def test_a_blank_name_is_refused(self, world, bu_auditor, name):
        before = Agency.objects.count()
        with pytest.raises(ValidationError) as exc:
            services.agency_create(
                auditor=bu_auditor,
                partnership=world.partnership,
                name=name,
                agency_type=AgencyType.POLICE,
            )
        assert exc.value.message_dict == {"name": ["Enter the agency's name"]}
        assert Agency.objects.count() == before
        assert not _events("partnerships.agency.create").exists()

    def test_a_name_the_partnership_already_uses_is_refused_whatever_its_case(
        self, world, bu_auditor
    ):
        with pytest.raises(ValidationError) as exc:
            services.agency_create(
                auditor=bu_auditor,
                partnership=world.partnership,
                name="NORTHDALE police",
                agency_type=AgencyType.POLICE,
            )
        assert exc.value.message_dict == {
            "name": ["NDSCP already has an agency named NORTHDALE police"]
        }
        assert Agency.objects.filter(partnership=world.partnership).count() == 1

    def test_another_partnership_may_use_the_same_name(self, world, bu_auditor):
        agency = services.agency_create(
            auditor=bu_auditor,
            partnership=world.partnership,
            name="Eastmoor Police",
            agency_type=AgencyType.POLICE,
        )
        assert Agency.objects.filter(name="Eastmoor Police").count() == 2
        assert agency.partnership == world.partnership

    def test_nothing_is_saved_when_the_audit_event_cannot_be_written(
        self, world, bu_auditor, fail_on_audit
    ):
        failure = fail_on_audit(1)
        before = Agency.objects.count()
        with pytest.raises(failure):
            services.agency_create(
                auditor=bu_auditor,
                partnership=world.partnership,
                name="Northdale Schools",
                agency_type=AgencyType.EDUCATION,
            )
        assert Agency.objects.count() == before

    def test_no_one_can_add_an_agency_anonymously(self, world):
        before = Agency.objects.count()
        with pytest.raises(AnonymousAuditError):
            services.agency_create(
                auditor=Auditor(),
                partnership=world.partnership,
                name="Northdale Schools",
                agency_type=AgencyType.EDUCATION,
            )
        assert Agency.objects.count() == before


class TestAgencyUpdate:
    def test_records_each_change_from_old_to_new(self, world, bu_auditor):
        services.agency_update(
            auditor=bu_auditor,
            agency=world.agency,
            name="Northdale and District Police",
            agency_type=AgencyType.POLICE,
            is_active=True,
        )

        world.agency.refresh_from_db()
        assert world.agency.name == "Northdale and District Police"
        event = _events("partnerships.agency.update").get()
        assert event.kind == AuditEvent.Kind.UPDATE
        assert event.summary == "Changed the agency Northdale and District Police"
        # Only what changed is recorded, so the history reads as the change made.
        assert event.changes == {"name": ["Northdale Police", "Northdale and District Police"]}
        assert event.actor == world.user("business_unit")

    def test_deactivating_keeps_the_agency_but_drops_it_from_active_lists(self, world, bu_auditor):
        services.agency_update(
            auditor=bu_auditor,
            agency=world.agency,
            name="Northdale Police",
            agency_type=AgencyType.POLICE,
            is_active=False,
        )

        world.agency.refresh_from_db()
        assert world.agency.is_active is False
        event = _events("partnerships.agency.update").get()
        assert event.changes == {"is_active": [True, False]}
        assert world.agency not in selectors.agency_list(partnership=world.partnership)
        assert world.agency in selectors.agency_list(
            partnership=world.partnership, include_inactive=True
        )
        # A practitioner can no longer register with an agency that has left.
        assert world.agency not in selectors.agencies_for_registration()

    def test_keeping_its_own_name_is_not_a_clash(self, world, bu_auditor):
        services.agency_update(
            auditor=bu_auditor,
            agency=world.agency,
            name="Northdale Police",
            agency_type=AgencyType.OTHER,
            is_active=True,
        )
        world.agency.refresh_from_db()
        assert world.agency.agency_type == AgencyType.OTHER
        assert _events("partnerships.agency.update").get().changes == {
            "agency_type": ["police", "other"]
        }

    def test_taking_another_agency_s_name_is_refused(self, world, bu_auditor):
        services.agency_create(
            auditor=bu_auditor,
            partnership=world.partnership,
            name="Northdale Schools",
            agency_type=AgencyType.EDUCATION,
        )
        with pytest.raises(ValidationError) as exc:
            services.agency_update(
                auditor=bu_auditor,
                agency=world.agency,
                name="northdale schools",
                agency_type=AgencyType.POLICE,
                is_active=True,
            )
        assert exc.value.message_dict == {
            "name": ["NDSCP already has an agency named northdale schools"]
        }
        world.agency.refresh_from_db()
        assert world.agency.name == "Northdale Police"
        assert not _events("partnerships.agency.update").exists()

    def test_a_blank_name_is_refused(self, world, bu_auditor):
        with pytest.raises(ValidationError) as exc:
            services.agency_update(
                auditor=bu_auditor,
                agency=world.agency,
                name=" ",
                agency_type=AgencyType.POLICE,
                is_active=True,
            )
        assert exc.value.message_dict == {"name": ["Enter the agency's name"]}
        world.agency.refresh_from_db()
        assert world.agency.name == "Northdale Police"

    def test_nothing_is_saved_when_the_audit_event_cannot_be_written(
        self, world, bu_auditor, fail_on_audit
    ):
        failure = fail_on_audit(1)
        with pytest.raises(failure):
            services.agency_update(
                auditor=bu_auditor,
                agency=world.agency,
                name="Renamed Police",
                agency_type=AgencyType.POLICE,
                is_active=False,
            )
        world.agency.refresh_from_db()
        assert world.agency.name == "Northdale Police"
        assert world.agency.is_active is True
