"""The anonymity gate on what a case review writes down: findings, recommendations and the
name the case goes by. Anything from any of the case's children's identifying details, or a
pattern that identifies anyone (a full date, an NHS number, a postcode, a phone number, an
email address), is refused naming it, unless overridden with a reason; the override is
audited without the identifying text.

All the details here are fictional.
"""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learninghub.core.anonymity.audit import ACTION as OVERRIDE_ACTION
from learninghub.core.audit.models import AuditEvent
from learninghub.core.tests.html import error_summary, soup, visible_text
from learninghub.reviews import services
from learninghub.reviews.models import Case, Finding, Recommendation
from learninghub.reviews.tests.factories import SYSTEM, open_case

pytestmark = pytest.mark.django_db

FIRST_NAME = "Zebedee"
CHILD_NAME = "Zebedee Quartermaine"
DATE_OF_BIRTH = "2015-03-04"
NHS_NUMBER = "943 476 5919"  # the NHS's own test number: valid check digit, no one's
SIBLING_NAME = "Ottoline Quartermaine"
REASON = "Zebedee is the name of the social worker's team, not the child"


def _identify(case: Case, *, child=None, **values) -> None:
    values = {"child_name": CHILD_NAME, "date_of_birth": DATE_OF_BIRTH, **values}
    services.identifiers_update(
        auditor=SYSTEM, child=child or case.children.order_by("position")[0], **values
    )


@pytest.fixture
def case(world) -> Case:
    case = open_case(world.partnership)
    _identify(case, school="Pretend Valley Primary School")
    return case


@pytest.fixture
def bu(client_for):
    return client_for("business_unit")


@pytest.fixture
def crg(client_for):
    return client_for("case_review_group")


def _messages(error: ValidationError, field: str = "text") -> list[str]:
    return error.value.message_dict[field]


def _audit_log_text() -> str:
    """Everything the audit log holds, as one string, to look for what must not be there."""
    rows = AuditEvent.objects.values("summary", "changes", "object_repr")
    return json.dumps(list(rows), default=str)


# The services: the page and the API both go through them --------------------------------


class TestFindingService:
    def test_the_child_s_first_name_is_refused_naming_it(self, case):
        with pytest.raises(ValidationError) as error:
            services.finding_add(
                auditor=SYSTEM, case=case, text="Zebedee's school did not share the bruising"
            )

        [message] = _messages(error)
        assert message.startswith("It may identify the child or family.")
        assert '"Zebedee" (the child\'s name)' in message
        assert not Finding.objects.exists()

    def test_the_date_of_birth_written_another_way_is_refused(self, case):
        with pytest.raises(ValidationError) as error:
            services.finding_add(
                auditor=SYSTEM, case=case, text="The child, born 4th March 2015, was seen twice"
            )

        assert '"4th March 2015" (the child\'s date of birth)' in _messages(error)[0]

    def test_an_nhs_number_is_refused_whatever_the_identifiers_say(self, case):
        with pytest.raises(ValidationError) as error:
            services.finding_add(
                auditor=SYSTEM, case=case, text=f"The GP record ({NHS_NUMBER}) was not checked"
            )

        assert f'"{NHS_NUMBER}" (an NHS number)' in _messages(error)[0]

    def test_every_match_is_listed_once(self, case):
        with pytest.raises(ValidationError) as error:
            services.finding_add(
                auditor=SYSTEM,
                case=case,
                text="Zebedee Quartermaine went to Pretend Valley Primary School. Zebedee "
                "Quartermaine was absent often.",
            )

        [message] = _messages(error)
        assert message.count('"Zebedee Quartermaine" (the child\'s name)') == 1
        assert '"Pretend Valley Primary School" (the child\'s school)' in message

    def test_an_override_without_a_reason_is_still_refused(self, case):
        with pytest.raises(ValidationError):
            services.finding_add(
                auditor=SYSTEM, case=case, text="Zebedee was seen", anonymity_override_reason="  "
            )
        assert not Finding.objects.exists()

    def test_with_a_reason_it_is_saved_and_audited_without_the_identifying_text(self, case):
        finding = services.finding_add(
            auditor=SYSTEM,
            case=case,
            text="The Zebedee team did not share the referral",
            anonymity_override_reason="Zebedee is the name of a team, not the child",
        )

        assert finding.text == "The Zebedee team did not share the referral"
        override = AuditEvent.objects.get(action=OVERRIDE_ACTION)
        assert override.object_id == str(finding.pk)
        assert override.changes["anonymity_found"] == [None, "the child's name"]
        assert override.changes["anonymity_kinds"] == [None, "child_name"]
        assert override.changes["anonymity_fields"] == [None, "text"]
        assert override.changes["anonymity_override_reason"][1] == (
            "Zebedee is the name of a team, not the child"
        )
        assert "the child's name" in override.summary
        # The finding's own create event keeps its text out of the log too.
        created = AuditEvent.objects.get(action="reviews.finding.create")
        assert "Zebedee team" not in json.dumps(created.changes)
        # Only the reason, which the person wrote to explain it, says the word.
        without_reason = _audit_log_text().replace(
            "Zebedee is the name of a team, not the child", ""
        )
        assert FIRST_NAME not in without_reason

    def test_nothing_identifying_needs_no_reason_and_writes_no_override(self, case):
        services.finding_add(
            auditor=SYSTEM,
            case=case,
            text="Agencies did not share information",
            anonymity_override_reason="Not needed",
        )

        assert not AuditEvent.objects.filter(action=OVERRIDE_ACTION).exists()
        created = AuditEvent.objects.get(action="reviews.finding.create")
        assert created.changes["text"] == [None, "Agencies did not share information"]

    def test_every_child_s_identifiers_are_checked(self, case):
        sibling = services.child_add(
            auditor=SYSTEM,
            case=case,
            pseudonym="Child B",
            age_band="5_9",
            sex="male",
            ethnicity="not_known",
        )
        _identify(case, child=sibling, child_name=SIBLING_NAME, date_of_birth="2018-01-02")

        with pytest.raises(ValidationError) as error:
            services.finding_add(auditor=SYSTEM, case=case, text="Ottoline was not seen alone")

        assert '"Ottoline" (Child B\'s name)' in _messages(error)[0]

    def test_another_case_s_identifiers_are_not_this_case_s(self, world, case):
        other = open_case(world.partnership, reference="TEST-2025-002", pseudonym="Child Q")

        finding = services.finding_add(
            auditor=SYSTEM, case=other, text="Zebedee Quartermaine's case is a different one"
        )

        assert finding.pk


class TestRecommendationService:
    def test_refused_with_the_other_errors_at_once(self, case):
        with pytest.raises(ValidationError) as error:
            services.recommendation_add(
                auditor=SYSTEM,
                case=case,
                text="Schools should call 0113 496 0000 about Zebedee",
                to_partnership=False,
            )

        found = error.value.message_dict
        assert '"Zebedee" (the child\'s name)' in found["text"][0]
        assert '"0113 496 0000" (a phone number)' in found["text"][0]
        assert "agencies" in found
        assert not Recommendation.objects.exists()

    def test_with_a_reason_it_is_saved_and_audited(self, case):
        recommendation = services.recommendation_add(
            auditor=SYSTEM,
            case=case,
            text="Write to info@example.org with every referral",
            to_partnership=True,
            anonymity_override_reason="A shared inbox, not a person",
        )

        override = AuditEvent.objects.get(action=OVERRIDE_ACTION)
        assert override.object_id == str(recommendation.pk)
        assert override.changes["anonymity_kinds"] == [None, "email"]
        assert "info@example.org" not in _audit_log_text()


class TestCasePseudonym:
    def _update(self, case, **fields):
        return services.case_update(
            auditor=SYSTEM, case=case, agencies=[], themes=[], reference=case.reference, **fields
        )

    def test_a_pseudonym_with_the_child_s_name_is_refused(self, case):
        with pytest.raises(ValidationError) as error:
            self._update(case, pseudonym="Baby Zebedee")

        assert '"Zebedee" (the child\'s name)' in _messages(error, "pseudonym")[0]
        case.refresh_from_db()
        assert case.pseudonym == "Child A"

    def test_a_pseudonym_with_a_full_date_is_refused(self, case):
        with pytest.raises(ValidationError) as error:
            self._update(case, pseudonym="Child A (12/05/2019)")

        assert "a full date" in _messages(error, "pseudonym")[0]

    def test_a_pseudonym_kept_as_it_was_is_not_asked_about_again(self, case):
        self._update(case, pseudonym="Baby Zebedee", anonymity_override_reason="Agreed by the CRG")

        self._update(case, pseudonym="Baby Zebedee", cdop_reference="CDOP-1")

        case.refresh_from_db()
        assert case.cdop_reference == "CDOP-1"
        assert AuditEvent.objects.filter(action=OVERRIDE_ACTION).count() == 1

    def test_with_a_reason_it_is_saved_and_the_name_kept_out_of_the_log(self, case):
        self._update(case, pseudonym="Baby Zebedee", anonymity_override_reason="Agreed by the CRG")

        case.refresh_from_db()
        assert case.pseudonym == "Baby Zebedee"
        override = AuditEvent.objects.get(action=OVERRIDE_ACTION)
        assert override.object_id == str(case.pk)
        assert override.changes["anonymity_fields"] == [None, "pseudonym"]
        assert FIRST_NAME not in _audit_log_text()


# Who sees the matched text ----------------------------------------------------------------


def test_whoever_may_add_findings_may_see_the_identifiers(world, case):
    """The pages repeat the matched text: that is only right while everyone who may change a
    case (and so add a finding or recommendation) may see its identifying details."""
    for role, user in world.users.items():
        if user.has_perm("reviews.change_case", case):
            assert user.has_perm("reviews.view_identifiers", case), role


# The pages ---------------------------------------------------------------------------------


class TestFindingPage:
    def url(self, case):
        return reverse("reviews:finding_create", args=[case.pk])

    def test_refused_naming_the_match_with_the_override_offered(self, case, crg):
        response = crg.post(self.url(case), {"text": "Zebedee was not seen alone"})

        assert response.status_code == 200
        [(href, message)] = error_summary(response)
        assert href == "#id_text"
        assert '"Zebedee" (the child\'s name)' in message
        page = soup(response)
        assert page.find("input", attrs={"name": "anonymity_override"}) is not None
        assert page.find("textarea", attrs={"name": "anonymity_override_reason"}) is not None
        assert 'We found: "Zebedee" (the child\'s name)' in visible_text(response)
        assert not Finding.objects.exists()

    def test_the_override_is_not_offered_before_anything_is_found(self, case, crg):
        response = crg.get(self.url(case))

        assert soup(response).find("input", attrs={"name": "anonymity_override"}) is None

    def test_ticked_without_a_reason_asks_for_one(self, case, crg):
        response = crg.post(
            self.url(case), {"text": "Zebedee was not seen alone", "anonymity_override": "on"}
        )

        assert error_summary(response) == [
            (
                "#id_anonymity_override_reason",
                "Enter why this can be published as it is, in the reason box, or remove what "
                "may identify the child or family",
            )
        ]
        assert not Finding.objects.exists()

    def test_ticked_with_a_reason_it_is_saved_and_audited(self, world, case, crg):
        response = crg.post(
            self.url(case),
            {
                "text": "The Zebedee team did not share the referral",
                "anonymity_override": "on",
                "anonymity_override_reason": REASON,
            },
        )

        assert response.status_code == 302
        finding = Finding.objects.get()
        override = AuditEvent.objects.get(action=OVERRIDE_ACTION)
        assert override.object_id == str(finding.pk)
        assert override.actor == world.user("case_review_group")
        assert override.changes["anonymity_override_reason"] == [None, REASON]

    def test_the_check_is_one_query_whatever_the_number_of_children(
        self, case, crg, django_assert_max_num_queries
    ):
        def refused_queries(for_case) -> int:
            with CaptureQueriesContext(connection) as queries:
                response = crg.post(self.url(for_case), {"text": "Zebedee was not seen alone"})
            assert response.status_code == 200
            return len(queries.captured_queries)

        # The page's own queries and one for all the children's identifiers.
        with django_assert_max_num_queries(13):
            one_child = refused_queries(case)
        for n, pseudonym in enumerate(["Child B", "Child C", "Child D"]):
            child = services.child_add(
                auditor=SYSTEM,
                case=case,
                pseudonym=pseudonym,
                age_band="5_9",
                sex="male",
                ethnicity="not_known",
            )
            _identify(case, child=child, child_name=f"Sibling{n} Quartermaine")
        assert refused_queries(case) == one_child


class TestRecommendationPage:
    def test_refused_then_saved_with_a_reason(self, case, bu):
        url = reverse("reviews:recommendation_create", args=[case.pk])
        data = {"text": "Phone 0113 496 0000 for advice", "agencies": ["partnership"]}

        refused = bu.post(url, data)

        assert error_summary(refused)[0][0] == "#id_text"
        assert '"0113 496 0000" (a phone number)' in error_summary(refused)[0][1]
        assert not Recommendation.objects.exists()

        saved = bu.post(
            url,
            {
                **data,
                "anonymity_override": "on",
                "anonymity_override_reason": "The partnership's advice line",
            },
        )

        assert saved.status_code == 302
        assert Recommendation.objects.get().to_partnership is True
        assert AuditEvent.objects.filter(action=OVERRIDE_ACTION).count() == 1


class TestCaseEditPage:
    def _data(self, case, **changes):
        return {"reference": case.reference, "pseudonym": case.pseudonym, **changes}

    def test_a_new_pseudonym_with_the_child_s_name_is_refused(self, case, bu):
        url = reverse("reviews:case_edit", args=[case.pk])

        response = bu.post(url, self._data(case, pseudonym="Baby Zebedee"))

        assert response.status_code == 200
        [(href, message)] = error_summary(response)
        assert href == "#id_pseudonym"
        assert '"Zebedee" (the child\'s name)' in message
        case.refresh_from_db()
        assert case.pseudonym == "Child A"

    def test_saved_with_a_reason(self, case, bu):
        url = reverse("reviews:case_edit", args=[case.pk])

        response = bu.post(
            url,
            self._data(
                case,
                pseudonym="Baby Zebedee",
                anonymity_override="on",
                anonymity_override_reason="Agreed by the case review group",
            ),
        )

        assert response.status_code == 302
        case.refresh_from_db()
        assert case.pseudonym == "Baby Zebedee"
        assert AuditEvent.objects.filter(action=OVERRIDE_ACTION).count() == 1
