"""The stages module: every state, every transition allowed or refused with its reason, the
case list's filter agreeing with `stage_of`, and the pages and the API telling the same stage."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse

from learninghub.partnerships.demo import load_demo_data
from learninghub.partnerships.models import User
from learninghub.reviews import presenters, selectors, services, stages
from learninghub.reviews.demo import load_review_demo_data
from learninghub.reviews.models import Case
from learninghub.reviews.stages import CaseStage
from learninghub.reviews.tests.factories import (
    SYSTEM,
    decided_case,
    notified_case,
    open_case,
    reviewed_case,
)
from learninghub.reviews.tests.milestone_helpers import final_report, sign_off

pytestmark = pytest.mark.django_db

# Every date below is in the first months of 2026; the pages refuse dates in the future, so
# the tests stand on a fixed day after them.
TODAY = datetime(2026, 11, 30, 10, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def fixed_day():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def bu(client_for):
    return client_for("business_unit")


# A case in every state ------------------------------------------------------------------


def _notification_not_sent(partnership, reference):
    case = open_case(partnership, reference=reference)
    services.notification_record(
        auditor=SYSTEM,
        case=case,
        incident_date=date(2025, 12, 1),
        aware_date=date(2025, 12, 3),
        child_died=False,
        seriously_harmed=True,
        abuse_or_neglect_suspected=True,
        care_status="",
        sent_to_panel_on=None,
        sent_to_ofsted_on=None,
        sent_to_secretary_of_state_on=None,
        panel_reference="",
    )
    return case


def _commissioned_by_panel(partnership, reference):
    case = decided_case(partnership, reference=reference, decision="no_further_review")
    services.rapid_review_update(
        auditor=SYSTEM,
        case=case,
        panel_response="national_review",
        panel_response_on=date(2026, 1, 9),
    )
    return case


def _on_hold(partnership, reference):
    case = reviewed_case(partnership, reference=reference)
    services.practice_review_hold(
        auditor=SYSTEM,
        review=case.practice_review,
        reason="The criminal trial is listed for June",
        started_on=date(2026, 2, 2),
        panel_told_on=date(2026, 2, 3),
    )
    return case


def _not_publishing(partnership, reference):
    case = reviewed_case(partnership, reference=reference)
    services.practice_review_not_publishing(
        auditor=SYSTEM,
        review=case.practice_review,
        reasons="Publication would identify the siblings",
        reasons_sent_on=date(2026, 3, 2),
    )
    return case


def _published(partnership, reference):
    case = reviewed_case(partnership, reference=reference)
    sign_off(case.practice_review, date(2026, 3, 2))
    services.practice_review_update(
        auditor=SYSTEM,
        review=case.practice_review,
        sent_to_panel_on=date(2026, 3, 2),
        published_on=date(2026, 3, 16),
        published_document=final_report(case),
    )
    return case


STATES = {
    "opened": lambda p, ref: open_case(p, reference=ref),
    "notification not sent": _notification_not_sent,
    "rapid review started": lambda p, ref: notified_case(p, reference=ref),
    "rapid review sent": lambda p, ref: decided_case(p, reference=ref),
    "no further review": lambda p, ref: decided_case(
        p, reference=ref, decision="no_further_review"
    ),
    "national review commissioned": _commissioned_by_panel,
    "practice review": lambda p, ref: reviewed_case(p, reference=ref),
    "on hold": _on_hold,
    "not publishing": _not_publishing,
    "published": _published,
}


def build(world, state: str) -> Case:
    reference = "STAGE-" + state.upper().replace(" ", "-")
    STATES[state](world.partnership, reference)
    # As the pages and the API read it: the one-to-ones fetched with the case.
    return selectors.case_get(
        user=world.user("business_unit"), pk=Case.objects.get(reference=reference).pk
    )


# (stage, list label) for each state.
STAGE = {
    "opened": ("notification", "Notification"),
    "notification not sent": ("notification", "Notification"),
    "rapid review started": ("rapid_review", "Rapid review"),
    "rapid review sent": ("rapid_review", "Rapid review"),
    "no further review": ("rapid_review", "Rapid review"),
    "national review commissioned": ("rapid_review", "Referred for a national review"),
    "practice review": ("practice_review", "Local child safeguarding practice review"),
    "on hold": ("practice_review", "Local child safeguarding practice review"),
    "not publishing": ("practice_review", "Local child safeguarding practice review"),
    "published": ("published", "Published"),
}

WITHDRAWN = "The rapid review has been sent, so the notification date cannot be removed"
NOT_NOTIFIED = (
    "Record when the notification was sent to the Panel first: the rapid review starts then"
)
NO_DECISION = "Record the decision before sending the rapid review to the Panel"
NOT_SENT = "You cannot record the Panel's response before the rapid review was sent to the Panel"
ALREADY_STARTED = "This case already has a practice review"
NOT_OFFERED = (
    "A practice review follows a rapid review decision to hold one. Record that decision first"
)
NO_REVIEW = "Start the practice review first"
NOT_APPROVED = "You cannot record publication before the partners have approved the final report"
NOT_HELD = "The review is not on hold"
PUBLISHED = "The review is already published"

TRANSITION_NAMES = [
    "withdraw_notification",
    "rapid_review",
    "send_rapid_review",
    "panel_response",
    "start_practice_review",
    "publish",
    "hold",
    "release_hold",
    "not_publishing",
]


def _row(*reasons):
    return dict(zip(TRANSITION_NAMES, reasons, strict=True))


# For each state, what each transition answers: None (allowed) or the reason it is refused.
# fmt: off
EXPECTED = {
    "opened": _row(
        None, NOT_NOTIFIED, NOT_NOTIFIED, NOT_SENT, NOT_OFFERED,
        NO_REVIEW, NO_REVIEW, NOT_HELD, NO_REVIEW,
    ),
    "notification not sent": _row(
        None, NOT_NOTIFIED, NOT_NOTIFIED, NOT_SENT, NOT_OFFERED,
        NO_REVIEW, NO_REVIEW, NOT_HELD, NO_REVIEW,
    ),
    "rapid review started": _row(
        None, None, NO_DECISION, NOT_SENT, NOT_OFFERED,
        NO_REVIEW, NO_REVIEW, NOT_HELD, NO_REVIEW,
    ),
    "rapid review sent": _row(
        WITHDRAWN, None, None, None, None,
        NO_REVIEW, NO_REVIEW, NOT_HELD, NO_REVIEW,
    ),
    "no further review": _row(
        WITHDRAWN, None, None, None, NOT_OFFERED,
        NO_REVIEW, NO_REVIEW, NOT_HELD, NO_REVIEW,
    ),
    "national review commissioned": _row(
        WITHDRAWN, None, None, None, None,
        NO_REVIEW, NO_REVIEW, NOT_HELD, NO_REVIEW,
    ),
    "practice review": _row(
        WITHDRAWN, None, None, None, ALREADY_STARTED,
        NOT_APPROVED, None, NOT_HELD, None,
    ),
    "on hold": _row(
        WITHDRAWN, None, None, None, ALREADY_STARTED,
        NOT_APPROVED, None, None, None,
    ),
    "not publishing": _row(
        WITHDRAWN, None, None, None, ALREADY_STARTED,
        NOT_APPROVED, None, NOT_HELD, None,
    ),
    "published": _row(
        WITHDRAWN, None, None, None, ALREADY_STARTED,
        None, PUBLISHED, NOT_HELD, PUBLISHED,
    ),
}
# fmt: on


def test_the_table_covers_every_stage_and_every_transition():
    assert sorted(EXPECTED) == sorted(STATES) == sorted(STAGE)
    assert sorted(stages.TRANSITIONS) == sorted(TRANSITION_NAMES)
    assert {stage for stage, _ in STAGE.values()} == set(CaseStage.values)


@pytest.mark.parametrize("state", list(STATES))
def test_each_state_s_stage_and_transitions(world, state, django_assert_num_queries):
    case = build(world, state)

    with django_assert_num_queries(0):  # reads only what the case was fetched with
        assert stages.stage_of(case) == STAGE[state][0]
        assert presenters.stage_label(case) == STAGE[state][1]
        answers = {name: stages.can(case, name) for name in TRANSITION_NAMES}

    assert answers == EXPECTED[state]


def test_a_refusal_is_keyed_by_the_form_field_and_raised_by_check(world):
    case = build(world, "opened")

    assert stages.refusals(case, "publish") == {
        "published_on": NO_REVIEW,
        "sent_to_panel_on": "Record when the final report was sent to the Panel and the "
        "Secretary of State before publishing",
    }
    with pytest.raises(ValidationError) as error:
        stages.check(case, "release_hold")
    assert error.value.message_dict == {"confirm": [NOT_HELD]}
    assert stages.check(build(world, "on hold"), "release_hold") is None


def test_publishing_gives_the_reason_the_pages_always_gave_first(world):
    """Not approved before not publishing, not publishing before on hold: the order in which
    the practice review page has always reported them."""
    case = build(world, "on hold")
    review = case.practice_review

    def reason(**changes):
        return stages.refusals(case, "publish", practice_review=stages.proposed(review, changes))[
            "published_on"
        ]

    assert reason() == NOT_APPROVED
    sign_off(review, date(2026, 3, 2))
    assert reason().startswith("The review is on hold for parallel proceedings")
    assert reason(not_publishing=True) == "The partnership decided not to publish this review"


def test_a_proposed_write_is_checked_without_saving_it(world):
    case = build(world, "rapid review started")
    proposed = stages.proposed(case.rapid_review, {"sent_to_panel_on": date(2025, 12, 23)})

    assert stages.refusals(case, "send_rapid_review", rapid_review=proposed) == {
        "decision": NO_DECISION,
        "partners_signed_off_on": (
            "Record the partners' sign-off before sending the rapid review to the Panel"
        ),
    }
    assert stages.can(case, "panel_response", rapid_review=proposed) is None
    case.rapid_review.refresh_from_db()
    assert case.rapid_review.sent_to_panel_on is None


def test_the_practice_review_kind_follows_the_rapid_review(world):
    assert stages.review_kind_for(build(world, "rapid review sent").rapid_review) == "local"
    commissioned = build(world, "national review commissioned").rapid_review
    assert stages.review_kind_for(commissioned) == "national"


# The case list's filter -----------------------------------------------------------------


@pytest.fixture
def demo(db):
    load_demo_data()
    load_review_demo_data()
    return User.objects.get(email="business.unit@demo.learninghub.example")


def test_every_demo_case_is_listed_under_the_stage_it_is_at(demo):
    cases = list(selectors.case_list(user=demo))
    assert len(cases) == Case.objects.filter(recorded_in_error_on__isnull=True).count() >= 9

    listed = {
        stage: set(selectors.case_list(user=demo, stage=stage).values_list("pk", flat=True))
        for stage in CaseStage.values
    }
    in_sql = dict(
        Case.objects.filter(pk__in=[c.pk for c in cases])
        .annotate(stage=stages.stage_annotation())
        .values_list("pk", "stage")
    )

    for case in cases:
        stage = stages.stage_of(case)
        assert [s for s, pks in listed.items() if case.pk in pks] == [stage], case.reference
        assert in_sql[case.pk] == stage, case.reference
    # The demo has a case at every stage.
    assert all(listed.values())


# The pages and the API ------------------------------------------------------------------


def _list_row(bu, reference: str, **query) -> str | None:
    page = BeautifulSoup(bu.get(reverse("reviews:case_list"), query).content, "html.parser")
    for row in page.select("tbody tr"):
        if reference in row.get_text():
            return " ".join(row.get_text(" ").split())
    return None


@pytest.mark.parametrize("state", ["opened", "rapid review sent", "on hold", "published"])
def test_the_api_and_the_pages_tell_the_same_stage(world, bu, state):
    case = build(world, state)
    stage, label = STAGE[state]

    api = bu.get(f"/api/cases/{case.pk}").json()
    listed = bu.get("/api/cases", {"stage": stage}).json()

    assert api["stage"] == stage
    assert case.pk in [c["id"] for c in listed["items"]]
    row = _list_row(bu, case.reference, stage=stage)
    assert row is not None and label in row
    for other in set(CaseStage.values) - {stage}:
        assert _list_row(bu, case.reference, stage=other) is None


SENT = "Sent to the Panel on 8 December 2025"
RAPID_SENT = "Sent to the Panel on 23 December 2025"
LOCAL = "Local child safeguarding practice review"

# What the case page's task list says for each state: (step name, status) in order.
STEPS = {
    "opened": ["Not started", "Cannot start yet", ("Practice review", "Cannot start yet")],
    "notification not sent": [
        "Recorded, not yet sent",
        "Cannot start yet",
        ("Practice review", "Cannot start yet"),
    ],
    "rapid review started": [SENT, "In progress", ("Practice review", "Cannot start yet")],
    "rapid review sent": [SENT, RAPID_SENT, ("Practice review", "Not started")],
    "no further review": [
        SENT,
        RAPID_SENT,
        ("Practice review", "Not needed: the decision was no further review"),
    ],
    "national review commissioned": [
        SENT,
        "No further review. The Panel commissions a national review on 9 January 2026",
        ("National review", "Commissioned by the Panel"),
    ],
    "practice review": [SENT, RAPID_SENT, (LOCAL, "In progress")],
    "on hold": [SENT, RAPID_SENT, (LOCAL, "On hold")],
    "not publishing": [SENT, RAPID_SENT, (LOCAL, "Not publishing")],
    "published": [SENT, RAPID_SENT, (LOCAL, "Published on 16 March 2026")],
}


@pytest.mark.parametrize("state", list(STATES))
def test_the_case_page_task_list_for_each_state(world, bu, state):
    case = build(world, state)
    notification, rapid_review, (name, status) = STEPS[state]

    steps = presenters.case_steps(case)
    page = BeautifulSoup(
        bu.get(reverse("reviews:case_detail", args=[case.pk])).content, "html.parser"
    )
    shown = [" ".join(item.get_text(" ").split()) for item in page.select(".govuk-task-list__item")]

    assert [s.status for s in steps] == [notification, rapid_review, status]
    assert steps[2].name == name
    assert shown == [
        f"Notification {notification}",
        f"Rapid review {rapid_review}",
        f"{name} {status}",
    ]
