"""How a case begins: the reference from the partnership's pattern, one transaction that opens
the case with its children and records the notification, and the settings page's service."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from learninghub.core.audit.models import AuditEvent
from learninghub.reviews import selectors, services
from learninghub.reviews.models import Case, Child, Clock, Notification, ReviewSettings
from learninghub.reviews.tests.factories import SYSTEM, open_case

pytestmark = pytest.mark.django_db


def _child(name="Child E", **extra):
    return {"pseudonym": name, "age_band": "5_9", "sex": "female", "ethnicity": "not_known"} | extra


def _open(world, *, reference="NDSCP-2025-010", children=None, **extra):
    values = {
        "aware_date": date(2025, 12, 3),
        "child_died": False,
        "seriously_harmed": True,
        "abuse_or_neglect_suspected": True,
        "care_status": "",
    } | extra
    return services.notification_open(
        auditor=SYSTEM,
        partnership=world.partnership,
        reference=reference,
        children=children if children is not None else [_child()],
        **values,
    )


# The reference pattern ---------------------------------------------------------------------


def test_the_first_reference_of_a_year_is_001_from_the_default_pattern(world):
    found = selectors.next_reference(partnership=world.partnership, aware_date=date(2025, 6, 1))
    assert found == "NDSCP-2025-001"


def test_the_next_reference_follows_the_highest_that_year_leaving_gaps_alone(world):
    open_case(world.partnership, reference="NDSCP-2025-001")
    open_case(world.partnership, reference="NDSCP-2025-004", pseudonym="Child B")
    open_case(world.partnership, reference="NDSCP-2024-009", pseudonym="Child C")
    open_case(world.partnership, reference="OLD-REF-77", pseudonym="Child D")
    found = selectors.next_reference(partnership=world.partnership, aware_date=date(2025, 6, 1))
    assert found == "NDSCP-2025-005"


def test_a_new_year_starts_again_at_001(world):
    open_case(world.partnership, reference="NDSCP-2025-007")
    found = selectors.next_reference(partnership=world.partnership, aware_date=date(2026, 1, 2))
    assert found == "NDSCP-2026-001"


def test_another_partnerships_references_do_not_count(world):
    open_case(world.other_partnership, reference="NDSCP-2025-003")
    found = selectors.next_reference(partnership=world.partnership, aware_date=date(2025, 6, 1))
    assert found == "NDSCP-2025-001"


def test_the_partnerships_own_pattern_is_used_and_a_taken_reference_skipped(world):
    services.review_settings_update(
        auditor=SYSTEM, partnership=world.partnership, reference_pattern="CSPR/{year}/{seq}"
    )
    open_case(world.partnership, reference="CSPR/2025/002")
    # A reference typed by hand that the pattern would make next is not made again.
    open_case(world.partnership, reference="cspr/2025/003", pseudonym="Child B")
    found = selectors.next_reference(partnership=world.partnership, aware_date=date(2025, 6, 1))
    assert found == "CSPR/2025/004"


def test_a_pattern_without_the_year_numbers_on_across_years(world):
    services.review_settings_update(
        auditor=SYSTEM, partnership=world.partnership, reference_pattern="{short}-{seq}"
    )
    open_case(world.partnership, reference="NDSCP-012")
    found = selectors.next_reference(partnership=world.partnership, aware_date=date(2026, 1, 5))
    assert found == "NDSCP-013"


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("", "Enter the reference pattern"),
        ("{short}-{year}", "must contain {seq}"),
        ("{short}-{month}-{seq}", "{month} is not a placeholder"),
        ("{short}-{seq:04d}", "without formatting"),
        ("{short-{seq}", "curly brackets"),
        ("{seq}" + "X" * 40, "40 characters or fewer"),
    ],
)
def test_a_pattern_that_cannot_make_references_is_refused(world, pattern, message):
    with pytest.raises(ValidationError) as refused:
        services.review_settings_update(
            auditor=SYSTEM, partnership=world.partnership, reference_pattern=pattern
        )
    assert message in refused.value.message_dict["reference_pattern"][0]
    assert not ReviewSettings.objects.exists()


def test_changing_the_pattern_is_audited(world):
    services.review_settings_update(
        auditor=SYSTEM, partnership=world.partnership, reference_pattern="{short}/{year}/{seq}"
    )
    event = AuditEvent.objects.get(action="reviews.settings.update")
    assert event.partnership_id == world.partnership.pk
    assert event.changes["reference_pattern"][1] == "{short}/{year}/{seq}"
    assert selectors.reference_pattern(partnership=world.partnership) == "{short}/{year}/{seq}"


# Opening a case from its notification ------------------------------------------------------


def test_one_call_opens_the_case_names_its_children_and_starts_the_clock(world):
    case = _open(world, children=[_child("Child E"), _child("Child F", sex="male")])
    assert case.reference == "NDSCP-2025-010"
    assert case.pseudonym == "Child E and Child F"
    assert [c.pseudonym for c in case.children.order_by("position")] == ["Child E", "Child F"]
    assert case.notification.aware_date == date(2025, 12, 3)
    assert case.notification.incident_date is None
    clock = Clock.objects.get(case=case)
    assert (clock.kind, clock.due_date, clock.done_on) == ("notification", date(2025, 12, 10), None)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"reviews.case.open", "reviews.child.add", "reviews.notification.create"} <= actions


def test_a_bad_second_child_refuses_everything_and_saves_nothing(world):
    with pytest.raises(ValidationError) as refused:
        _open(world, children=[_child("Child E"), _child("Child F", sex="")])
    assert set(refused.value.message_dict) == {"child_2_sex"}
    assert "child 2" in refused.value.message_dict["child_2_sex"][0]
    assert not Case.objects.exists()
    assert not Child.objects.exists()
    assert not Notification.objects.exists()


def test_every_refusal_is_given_at_once(world):
    with pytest.raises(ValidationError) as refused:
        _open(
            world,
            reference="",
            aware_date=None,
            seriously_harmed=False,
            children=[_child(""), _child("Child F"), _child("child f")],
        )
    errors = refused.value.message_dict
    assert {"reference", "aware_date", "child_died", "child_1_pseudonym", "child_3_pseudonym"} <= (
        set(errors)
    )


def test_more_than_four_children_is_refused(world):
    names = ["Child E", "Child F", "Child G", "Child H", "Child I"]
    with pytest.raises(ValidationError) as refused:
        _open(world, children=[_child(n) for n in names])
    assert "at most 4" in refused.value.message_dict["children"][0]


def test_serious_harm_without_abuse_or_neglect_is_not_notifiable(world):
    with pytest.raises(ValidationError) as refused:
        _open(world, abuse_or_neglect_suspected=False)
    assert "abuse or neglect" in refused.value.message_dict["abuse_or_neglect_suspected"][0]
    assert not Case.objects.exists()


def test_a_reference_already_used_is_refused(world):
    open_case(world.partnership, reference="NDSCP-2025-010")
    with pytest.raises(ValidationError) as refused:
        _open(world, reference="ndscp-2025-010")
    assert "already exists" in refused.value.message_dict["reference"][0]


# The deaths of looked-after children and care leavers --------------------------------------


def test_a_looked_after_childs_death_without_abuse_has_only_the_ofsted_clock(world):
    # Aware on Friday 19 December 2025: Christmas Day and Boxing Day are not working days.
    case = _open(
        world,
        aware_date=date(2025, 12, 19),
        child_died=True,
        seriously_harmed=False,
        abuse_or_neglect_suspected=False,
        care_status="looked_after",
    )
    clocks = {c.kind: c.due_date for c in Clock.objects.filter(case=case)}
    assert clocks == {"looked_after_death": date(2025, 12, 30)}


def test_a_care_leavers_death_that_is_also_a_serious_incident_has_both_clocks(world):
    case = _open(
        world,
        aware_date=date(2025, 12, 19),
        child_died=True,
        seriously_harmed=False,
        abuse_or_neglect_suspected=True,
        care_status="care_leaver",
        children=[_child("Child G", age_band="18_24")],
    )
    clocks = {c.kind: c.due_date for c in Clock.objects.filter(case=case)}
    assert clocks == {"notification": date(2025, 12, 30), "care_leaver_death": date(2025, 12, 30)}


def test_the_ofsted_clock_is_done_only_when_both_are_told(world):
    case = _open(
        world,
        aware_date=date(2025, 12, 1),
        child_died=True,
        seriously_harmed=False,
        abuse_or_neglect_suspected=False,
        care_status="looked_after",
    )
    base = {
        "aware_date": date(2025, 12, 1),
        "child_died": True,
        "care_status": "looked_after",
        "sent_to_ofsted_on": date(2025, 12, 2),
    }
    services.notification_record(auditor=SYSTEM, case=case, **base)
    assert Clock.objects.get(case=case).done_on is None
    services.notification_record(
        auditor=SYSTEM, case=case, **base, sent_to_secretary_of_state_on=date(2025, 12, 4)
    )
    assert Clock.objects.get(case=case).done_on == date(2025, 12, 4)


@pytest.mark.parametrize("rule", ["looked_after_death", "care_leaver_death"])
def test_the_statutory_deadline_command_knows_the_death_notifications(rule):
    out = StringIO()
    call_command("statutory_deadline", rule, "2025-12-19", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert "Ofsted and the Secretary of State" in lines[0]
    assert lines[-1] == "2025-12-30"


# Children after the case is open -----------------------------------------------------------


def test_a_fifth_child_is_refused(world):
    case = _open(world, children=[_child(n) for n in ("Child E", "Child F", "Child G")])
    services.child_add_checked(auditor=SYSTEM, case=case, **_child("Child H"))
    with pytest.raises(ValidationError) as refused:
        services.child_add_checked(auditor=SYSTEM, case=case, **_child("Child I"))
    assert "at most 4" in refused.value.message_dict["pseudonym"][0]
    assert case.children.count() == 4
