"""Deadlines, one registry: every app's open deadlines for a person, and its reminders.

Each app registers a `DeadlineSource` (from its AppConfig.ready(), as it registers its
navigation items): the core gathers the sources' deadlines into one "Needs attention" page and
runs their reminders once a day (`learninghub.core.deadlines.tasks`). The core knows no app:
what a deadline is, who may see it and who is reminded is each source's own business.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol, runtime_checkable

from learninghub.core import calendar

__all__ = [
    "Deadline",
    "DeadlineSource",
    "Status",
    "register",
    "sources",
    "status_for",
    "unregister",
]


class Status(enum.StrEnum):
    """Where an open deadline stands today (calendar.deadline_status), or that it is held."""

    OVERDUE = "overdue"
    DUE_SOON = "due soon"
    ON_TRACK = "on track"
    ON_HOLD = "on hold"

    @property
    def tag_colour(self) -> str:
        return _TAG_COLOURS[self]


_TAG_COLOURS = {
    Status.OVERDUE: "govuk-tag--red",
    Status.DUE_SOON: "govuk-tag--yellow",
    Status.ON_TRACK: "govuk-tag--green",
    Status.ON_HOLD: "govuk-tag--grey",
}


def status_for(due: date, *, today: date, on_hold: bool = False) -> Status:
    """An open deadline's status, by the statutory calendar's rule for "due soon"."""
    if on_hold:
        return Status.ON_HOLD
    return Status(str(calendar.deadline_status(due, done_on=None, today=today)))


@dataclass(frozen=True)
class Deadline:
    """One open deadline, as every app describes it to the core."""

    title: str  # what is due: "Notification to the Panel"
    record_label: str  # which record: "ND-2025-007"
    record_url: str
    due: date
    rule: str  # "5 working days from becoming aware on 2 June 2025"
    status: Status
    source: str  # the registering source's name: "reviews"
    kind: str  # the source's own kind of deadline: "notification"
    partnership_id: int
    record_detail: str = ""  # a second line under the record: a case's pseudonym
    hold_reason: str = ""


@runtime_checkable
class DeadlineSource(Protocol):
    """What an app registers. `name` is stable: the daily reminders are recorded under it."""

    name: str

    def applies_to(self, user) -> bool:
        """Whether this person has this app's deadlines at all (who sees "Needs attention")."""

    def open_deadlines(self, user, *, today: date) -> list[Deadline]:
        """Every open deadline the person may see, held ones included, in a constant number of
        queries whatever the volume."""

    def send_reminders(self, today: date) -> int:
        """Send the reminders due today, each once (recorded by the app, so a second call
        sends nothing); return how many went."""

    def links(self, user) -> Iterable[tuple[str, str]]:
        """Tools shown under the list: (text, URL) pairs."""


_SOURCES: dict[str, DeadlineSource] = {}


def register(source: DeadlineSource) -> None:
    _SOURCES[source.name] = source


def unregister(name: str) -> None:
    _SOURCES.pop(name, None)


def sources() -> list[DeadlineSource]:
    return [_SOURCES[name] for name in sorted(_SOURCES)]
