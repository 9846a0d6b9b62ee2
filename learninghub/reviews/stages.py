"""Where a case stands in the statutory process, and what may happen to it next.

The one owner of a case's stages and transitions (Working Together to Safeguard Children
2023, chapter 5): notification to the Panel → rapid review → a practice review, published
or not. Services ask `refusals` before a write, selectors filter by `stage_filter`, the
presenters and the API read `stage_of` and `step_states`. Nothing else decides these.

A case's stage is not stored: it follows from what has been recorded (the notification,
the rapid review and its decision, the practice review, its hold or publication), so it can
never disagree with the records. Each stage is written once, as Django lookups, and that one
condition is both evaluated in Python (`stage_of`, on records already fetched) and turned into
SQL (`stage_filter`, `stage_annotation`) for the case list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q

from .models import Decision, Milestone, MilestoneKind, PanelResponse, ReviewKind

# States ---------------------------------------------------------------------------------


class CaseStage(models.TextChoices):
    """A case's stage: the API's `stage` values and the case list's filter, with their labels."""

    NOTIFICATION = "notification", "Notification"
    RAPID_REVIEW = "rapid_review", "Rapid review"
    PRACTICE_REVIEW = "practice_review", "Practice review"
    PUBLISHED = "published", "Published"


# Each stage as the records that place a case in it. Only `__isnull` lookups, so that the same
# condition reads the same in SQL (a missing one-to-one is a NULL join) and in Python (None).
STAGE_CONDITIONS: dict[str, dict[str, bool]] = {
    CaseStage.NOTIFICATION: {"rapid_review__isnull": True},
    CaseStage.RAPID_REVIEW: {"rapid_review__isnull": False, "practice_review__isnull": True},
    CaseStage.PRACTICE_REVIEW: {
        "practice_review__isnull": False,
        "practice_review__published_on__isnull": True,
    },
    CaseStage.PUBLISHED: {"practice_review__published_on__isnull": False},
}


def _one_to_one(obj, name: str):
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


def _isnull(case, lookup: str) -> bool:
    value = case
    for part in lookup.removesuffix("__isnull").split("__"):
        value = _one_to_one(value, part)
        if value is None:
            return True
    return False


def _holds(case, condition: dict[str, bool]) -> bool:
    return all(_isnull(case, lookup) == isnull for lookup, isnull in condition.items())


def stage_of(case) -> str:
    """The case's stage. Reads only the notification, rapid review and practice review already
    fetched with it (`case_list` and `case_get` select them): no queries."""
    for stage, condition in STAGE_CONDITIONS.items():
        if _holds(case, condition):
            return stage
    raise AssertionError(f"Case {case.pk} is at no stage")  # the conditions cover every case


def stage_filter(stage: str) -> Q:
    """The cases at this stage, as one filter on the case list's single query."""
    return Q(**STAGE_CONDITIONS[stage])


def stage_annotation() -> models.Case:
    """Each case's stage, worked out by the database from the same conditions."""
    return models.Case(
        *(
            models.When(Q(**condition), then=models.Value(stage))
            for stage, condition in STAGE_CONDITIONS.items()
        ),
        output_field=models.CharField(),
    )


# Where each step of the process stands -------------------------------------------------


def practice_review_offered(rapid_review) -> bool:
    """A practice review follows a rapid review decision to hold one (local, or referred for a
    national review), or the Panel commissioning a national review."""
    return rapid_review is not None and (
        rapid_review.decision in (Decision.LOCAL_REVIEW, Decision.NATIONAL_REFERRAL)
        or rapid_review.panel_response == PanelResponse.NATIONAL_REVIEW
    )


def commissioned_by_panel(rapid_review) -> bool:
    """The Panel commissioned a national review: it runs it, the partnership may follow it."""
    return rapid_review is not None and rapid_review.panel_response == PanelResponse.NATIONAL_REVIEW


def review_kind_for(rapid_review) -> str:
    """The kind of practice review the rapid review's outcome calls for."""
    if commissioned_by_panel(rapid_review):
        return ReviewKind.NATIONAL
    decision = rapid_review.decision if rapid_review is not None else ""
    return ReviewKind.NATIONAL if decision == Decision.NATIONAL_REFERRAL else ReviewKind.LOCAL


@dataclass(frozen=True)
class Steps:
    """Where each of the three steps stands, as codes the presenters put into words.

    notification: not_started, recorded, sent. rapid_review: cannot_start, in_progress, sent,
    answered. practice_review: cannot_start, not_needed, commissioned, offered, in_progress,
    on_hold, not_publishing, published.
    """

    notification: str
    rapid_review: str
    practice_review: str


def step_states(case) -> Steps:
    """Where each step stands, for the case's task list. No queries beyond the case's own."""
    notification = _one_to_one(case, "notification")
    rapid_review = _one_to_one(case, "rapid_review")
    review = _one_to_one(case, "practice_review")

    if notification is None:
        notified = "not_started"
    else:
        notified = "sent" if notification.sent_to_panel_on else "recorded"

    if rapid_review is None:
        rapid = "cannot_start"
    elif rapid_review.panel_response_on:
        rapid = "answered"
    elif rapid_review.sent_to_panel_on:
        rapid = "sent"
    else:
        rapid = "in_progress"

    if review is not None:
        if review.published_on:
            practice = "published"
        elif review.not_publishing:
            practice = "not_publishing"
        elif review.on_hold:
            practice = "on_hold"
        else:
            practice = "in_progress"
    elif commissioned_by_panel(rapid_review):
        practice = "commissioned"
    elif practice_review_offered(rapid_review):
        practice = "offered"
    elif rapid_review is not None and rapid_review.decision == Decision.NO_FURTHER_REVIEW:
        practice = "not_needed"
    else:
        practice = "cannot_start"
    return Steps(notified, rapid, practice)


# Transitions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Guard:
    """A condition a transition needs. `field` is where a refusal shows on the form."""

    field: str
    allows: Callable[[_Records], bool]
    reason: str


@dataclass(frozen=True)
class Transition:
    name: str
    description: str
    # In order: where two guards refuse on the same field, the first one's reason is shown.
    guards: tuple[Guard, ...]


def _notification_sent(r) -> bool:
    return r.notification is not None and bool(r.notification.sent_to_panel_on)


def _rapid_review_has(r, field: str) -> bool:
    return r.rapid_review is not None and bool(getattr(r.rapid_review, field))


def _review_has(r, field: str) -> bool:
    return r.practice_review is not None and bool(getattr(r.practice_review, field))


def _partners_signed_off(r) -> bool:
    """The partners' sign-off milestone has its date: from the milestones fetched with the
    case (`selectors.case_get`), or one query for a proposed write."""
    review = r.practice_review
    fetched = getattr(review, "_prefetched_objects_cache", {}).get("milestones")
    if fetched is not None:
        return any(m.kind == MilestoneKind.PARTNERS_SIGN_OFF and m.actual_on for m in fetched)
    pk = getattr(review, "pk", None) or getattr(review, "id", None)
    return bool(pk) and (
        Milestone.objects.filter(
            practice_review_id=pk, kind=MilestoneKind.PARTNERS_SIGN_OFF, actual_on__isnull=False
        ).exists()
    )


def _rapid_review_sent(r) -> bool:
    return _rapid_review_has(r, "sent_to_panel_on")


def _not_published(r) -> bool:
    return not _review_has(r, "published_on")


def _has_review(r) -> bool:
    return r.practice_review is not None


_ALREADY_PUBLISHED = "The review is already published"
_RAPID_REVIEW_FIRST = (
    "Record when the notification was sent to the Panel first: the rapid review starts then"
)
# Never shown by the pages or the API, which offer these only on a practice review: here so
# that the table answers for a case at every stage.
_REVIEW_FIRST = "Start the practice review first"

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "withdraw_notification",
            "Remove the date the notification was sent to the Panel",
            (
                Guard(
                    "sent_to_panel_on",
                    lambda r: not _rapid_review_sent(r),
                    "The rapid review has been sent, so the notification date cannot be removed",
                ),
            ),
        ),
        Transition(
            "rapid_review",
            "Record the rapid review or ask agencies for their summaries",
            (
                Guard(
                    "meeting_date",
                    _notification_sent,
                    _RAPID_REVIEW_FIRST,
                ),
            ),
        ),
        Transition(
            "send_rapid_review",
            "Send the rapid review to the Panel",
            (
                Guard("meeting_date", lambda r: r.rapid_review is not None, _RAPID_REVIEW_FIRST),
                Guard(
                    "decision",
                    lambda r: _rapid_review_has(r, "decision"),
                    "Record the decision before sending the rapid review to the Panel",
                ),
                Guard(
                    "partners_signed_off_on",
                    lambda r: _rapid_review_has(r, "partners_signed_off_on"),
                    "Record the partners' sign-off before sending the rapid review to the Panel",
                ),
            ),
        ),
        Transition(
            "panel_response",
            "Record the Panel's response to the rapid review",
            (
                Guard(
                    "panel_response",
                    _rapid_review_sent,
                    "You cannot record the Panel's response before the rapid review was sent "
                    "to the Panel",
                ),
            ),
        ),
        Transition(
            "start_practice_review",
            "Start the practice review",
            (
                Guard(
                    "kind",
                    lambda r: r.practice_review is None,
                    "This case already has a practice review",
                ),
                Guard(
                    "kind",
                    lambda r: practice_review_offered(r.rapid_review),
                    "A practice review follows a rapid review decision to hold one. "
                    "Record that decision first",
                ),
            ),
        ),
        Transition(
            "publish",
            "Publish the practice review",
            (
                Guard("published_on", _has_review, _REVIEW_FIRST),
                Guard(
                    "published_on",
                    _partners_signed_off,
                    "You cannot record publication before the partners have approved the "
                    "final report",
                ),
                Guard(
                    "published_on",
                    lambda r: not _review_has(r, "not_publishing"),
                    "The partnership decided not to publish this review",
                ),
                Guard(
                    "published_on",
                    lambda r: not _review_has(r, "on_hold"),
                    "The review is on hold for parallel proceedings. "
                    "Release the hold before publishing",
                ),
                Guard(
                    "sent_to_panel_on",
                    lambda r: _review_has(r, "sent_to_panel_on"),
                    "Record when the final report was sent to the Panel and the Secretary of "
                    "State before publishing",
                ),
            ),
        ),
        Transition(
            "hold",
            "Put the practice review on hold for parallel proceedings",
            (
                Guard("reason", _has_review, _REVIEW_FIRST),
                Guard("reason", _not_published, _ALREADY_PUBLISHED),
            ),
        ),
        Transition(
            "release_hold",
            "Release the hold",
            (
                Guard(
                    "confirm",
                    lambda r: _review_has(r, "on_hold"),
                    "The review is not on hold",
                ),
            ),
        ),
        Transition(
            "not_publishing",
            "Record a decision not to publish",
            (
                Guard("reasons", _has_review, _REVIEW_FIRST),
                Guard("reasons", _not_published, _ALREADY_PUBLISHED),
            ),
        ),
    ]
}


def proposed(record, changes: dict):
    """A record as it would be with `changes` made: for the guards on a write not yet saved."""
    # attname: a foreign key's id, never a query for the object it names.
    values = {f.attname: getattr(record, f.attname) for f in record._meta.concrete_fields}
    values.update(changes)
    return SimpleNamespace(**values)


class _Records:
    """The case's notification, rapid review and practice review, each read only when a guard
    asks for it (so a check costs no query beyond what the guard needs)."""

    def __init__(self, case, overrides: dict):
        self._case = case
        self.__dict__.update(overrides)

    def __getattr__(self, name: str):
        if name not in ("notification", "rapid_review", "practice_review"):
            raise AttributeError(name)
        value = _one_to_one(self._case, name)
        setattr(self, name, value)
        return value


def refusals(case, transition: str, **records) -> dict[str, str]:
    """Why the transition may not happen now, by form field; empty when it may.

    `records` stands in for the case's notification, rapid_review or practice_review, for a
    write checked before it is saved (see `proposed`).
    """
    found: dict[str, str] = {}
    state = _Records(case, records)
    for guard in TRANSITIONS[transition].guards:
        if not guard.allows(state):
            found.setdefault(guard.field, guard.reason)
    return found


def can(case, transition: str, **records) -> str | None:
    """None when the transition may happen, or the first reason it may not."""
    found = refusals(case, transition, **records)
    return next(iter(found.values()), None)


def check(case, transition: str, **records) -> None:
    """Raise the refusals as a ValidationError keyed by form field."""
    found = refusals(case, transition, **records)
    if found:
        raise ValidationError(found)
