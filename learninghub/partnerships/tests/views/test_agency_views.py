"""The business unit's agency pages: list, add, change, and each agency's history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from learninghub.partnerships.models import Agency, AgencyType
from learninghub.partnerships.tests.conftest import error_summary, page_text
from learninghub.partnerships.tests.factories import AgencyFactory


@pytest.fixture
def bu(client_for):
    return client_for("business_unit")


def test_the_list_shows_this_partnership_s_agencies_only(world, bu):
    AgencyFactory(partnership=world.partnership, name="Northdale Schools", is_active=False)

    response = bu.get(reverse("partnerships:agency_list"))

    text = page_text(response)
    assert "Northdale Police" in text
    assert "Northdale Schools" in text
    assert "No longer taking part" in text
    assert "Eastmoor Police" not in text
    assert reverse("partnerships:agency_detail", args=[world.agency.pk]) in text


class TestAgencyCreate:
    url = reverse("partnerships:agency_create")

    def test_a_blank_name_shows_the_error_summary_and_saves_nothing(self, world, bu):
        before = Agency.objects.count()

        response = bu.post(self.url, {"name": "  ", "agency_type": AgencyType.POLICE})

        assert response.status_code == 200
        text = page_text(response)
        assert "There is a problem" in text
        assert error_summary(response) == [("#id_name", "Enter the agency's name")]
        assert 'id="id_name-error"' in text
        assert Agency.objects.count() == before

    def test_a_duplicate_name_is_shown_against_the_name_field(self, world, bu):
        response = bu.post(self.url, {"name": "Northdale Police", "agency_type": "police"})

        assert error_summary(response) == [
            ("#id_name", "NDSCP already has an agency named Northdale Police")
        ]
        assert Agency.objects.filter(partnership=world.partnership).count() == 1

    def test_a_missing_type_links_to_the_first_radio_button(self, world, bu):
        response = bu.post(self.url, {"name": "Northdale Schools"})

        assert error_summary(response) == [("#agency_type", "Select the type of agency")]
        # The link's target exists, so following it moves focus to the question.
        assert 'id="agency_type"' in response.content.decode()
        assert not Agency.objects.filter(name="Northdale Schools").exists()

    def test_adding_an_agency_redirects_to_it_with_a_success_banner(self, world, bu):
        response = bu.post(
            self.url, {"name": "Northdale Schools", "agency_type": AgencyType.EDUCATION}
        )

        agency = Agency.objects.get(partnership=world.partnership, name="Northdale Schools")
        assert response.status_code == 302
        assert response["Location"] == reverse("partnerships:agency_detail", args=[agency.pk])
        page = bu.get(response["Location"])
        text = page_text(page)
        assert "govuk-notification-banner--success" in text
        assert "Northdale Schools was added" in text
        assert "Added the agency Northdale Schools" in text  # the history's first entry


class TestAgencyEdit:
    def url(self, agency):
        return reverse("partnerships:agency_edit", args=[agency.pk])

    def test_the_form_starts_with_the_agency_s_details(self, world, bu):
        text = page_text(bu.get(self.url(world.agency)))
        assert 'value="Northdale Police"' in text
        assert "Change Northdale Police" in text

    def test_a_blank_name_shows_the_error_and_changes_nothing(self, world, bu):
        response = bu.post(
            self.url(world.agency), {"name": "", "agency_type": "police", "is_active": "on"}
        )

        assert "There is a problem" in page_text(response)
        assert error_summary(response) == [("#id_name", "Enter the agency's name")]
        world.agency.refresh_from_db()
        assert world.agency.name == "Northdale Police"

    def test_a_change_shows_in_the_agency_s_history_with_who_made_it(self, world, bu):
        response = bu.post(
            self.url(world.agency),
            {"name": "Northdale and District Police", "agency_type": "police", "is_active": "on"},
        )

        assert response["Location"] == reverse("partnerships:agency_detail", args=[world.agency.pk])
        text = page_text(bu.get(response["Location"]))
        assert "The agency was changed" in text
        assert "History" in text
        assert "Changed the agency Northdale and District Police" in text
        assert "bu@example.org" in text
        assert "Name: Northdale Police → Northdale and District Police" in text

    def test_unticking_active_marks_the_agency_as_no_longer_taking_part(self, world, bu):
        bu.post(self.url(world.agency), {"name": "Northdale Police", "agency_type": "police"})

        world.agency.refresh_from_db()
        assert world.agency.is_active is False
        text = page_text(bu.get(reverse("partnerships:agency_detail", args=[world.agency.pk])))
        assert "No longer taking part" in text
        assert "Is active: Yes →" in text  # the change is in the history

    def test_another_partnership_s_agency_cannot_be_changed(self, world, bu):
        response = bu.post(
            self.url(world.other_agency),
            {"name": "Taken Over", "agency_type": "police", "is_active": "on"},
        )
        assert response.status_code == 404
        world.other_agency.refresh_from_db()
        assert world.other_agency.name == "Eastmoor Police"
