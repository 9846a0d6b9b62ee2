"""The case review group's meeting pack for a rapid review: the summaries received and still
out, the case's dates in order, and the children by pseudonym."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..models import Case, InformationRequest
from .rapid_review import case_information_requests


@dataclass(frozen=True)
class Event:
    on: date
    what: str  # what happened, as a key: the meeting pack template words it
    detail: str = ""


@dataclass(frozen=True)
class MeetingPack:
    rapid_review: object | None
    received: list[InformationRequest]
    outstanding: list[InformationRequest]
    chronology: list[Event]
    children: list = field(default_factory=list)


def case_chronology(*, case: Case, requests: list[InformationRequest]) -> list[Event]:
    """The case's key dates in order, from the records (never free text): the incident,
    awareness, the notifications, the requests to agencies and their answers, the meeting,
    sign-off, the Panel and the practice review. Same-day events keep the process order."""
    events: list[Event] = []

    def add(on, what, detail=""):
        if on:
            events.append(Event(on, what, detail))

    notification = getattr(case, "notification", None)
    if notification is not None:
        add(notification.incident_date, "incident")
        add(notification.aware_date, "aware")
        add(notification.sent_to_panel_on, "notified_panel")
        add(notification.sent_to_ofsted_on, "notified_ofsted")
        add(notification.sent_to_secretary_of_state_on, "notified_secretary_of_state")
    for asked in requests:
        add(asked.requested_on, "summary_requested", asked.agency.name)
        add(asked.returned_on, "summary_returned", asked.agency.name)
        add(asked.withdrawn_on, "request_withdrawn", asked.agency.name)
    rapid_review = getattr(case, "rapid_review", None)
    if rapid_review is not None:
        add(rapid_review.meeting_date, "meeting")
        add(rapid_review.partners_signed_off_on, "signed_off")
        add(rapid_review.sent_to_panel_on, "rapid_review_sent")
        add(rapid_review.panel_response_on, "panel_response")
    review = getattr(case, "practice_review", None)
    if review is not None:
        add(review.decision_date, "practice_review_decision")
    # sorted() is stable: events on the same day stay in the order the process takes them.
    return sorted(events, key=lambda event: event.on)


def meeting_pack(*, case: Case) -> MeetingPack:
    """Everything the meeting pack shows, in a fixed number of queries."""
    requests = case_information_requests(case=case)
    live = [asked for asked in requests if not asked.withdrawn_on]
    return MeetingPack(
        rapid_review=getattr(case, "rapid_review", None),
        received=[asked for asked in live if asked.returned_on],
        outstanding=[asked for asked in live if not asked.returned_on],
        chronology=case_chronology(case=case, requests=requests),
        children=list(case.children.all()),
    )
