"""The reviews app's deadlines for the core registry: its case clocks (`reviews.Clock`, the
app's stored statutory deadlines) and their reminders to each business unit."""

from __future__ import annotations

from datetime import date

import rules
from django.urls import reverse

from learninghub.core import calendar, deadlines
from learninghub.core.deadlines import Deadline

from . import selectors
from .models import ClockKind

# A clock's kind as the page says it: get_kind_display() makes a dict of the choices per call.
_KINDS = {kind: str(label) for kind, label in ClockKind.choices}


def _title(clock) -> str:
    kind = _KINDS.get(clock.kind, clock.kind)
    if clock.information_request_id:
        return f"{kind}: {clock.information_request.agency.name}"
    return kind


# Local guidance: the Panel usually answers a rapid review within 10 working days, and the
# independent reviewer is appointed within 10 working days of the decision to review.
PANEL_RESPONSE_WORKING_DAYS = 10
REVIEWER_APPOINTMENT_WORKING_DAYS = 10


def _case_url(name: str):
    """One reverse() per kind of page: the URL differs only by the case's pk."""
    head, tail = reverse(name, args=[0]).rsplit("/0/", 1)
    return lambda pk: f"{head}/{pk}/{tail}"


def work_deadlines(user, *, today: date, source: str) -> list[Deadline]:
    """The work waiting beside the statutory clocks (selectors.work_waiting): four queries."""
    work = selectors.work_waiting(user=user, today=today)
    fmt = calendar.format_date
    rapid_review_url = _case_url("reviews:rapid_review")
    practice_review_url = _case_url("reviews:practice_review")
    found: list[Deadline] = []

    def add(case, *, title, url, due, rule, kind, status=None):
        found.append(
            Deadline(
                title=title,
                record_label=case.reference,
                record_detail=case.pseudonym,
                record_url=url(case.pk),
                due=due,
                rule=rule,
                status=status or deadlines.status_for(due, today=today),
                source=source,
                kind=kind,
                partnership_id=case.partnership_id,
            )
        )

    for rapid_review in work.panel_response_awaited:
        sent = rapid_review.sent_to_panel_on
        waited = calendar.working_days_between(sent, today) if today > sent else 0
        add(
            rapid_review.case,
            title=f"Panel response awaited: {waited} working day{'s' if waited != 1 else ''}",
            url=rapid_review_url,
            due=calendar.add_working_days(sent, PANEL_RESPONSE_WORKING_DAYS),
            rule=(
                f"Rapid review sent to the Panel on {fmt(sent)}; the Panel usually answers "
                f"within {PANEL_RESPONSE_WORKING_DAYS} working days"
            ),
            kind="panel_response",
        )
    for review in work.practice_reviews:
        if review.independent_reviewer_id is None:
            add(
                review.case,
                title="Independent reviewer not yet appointed",
                url=practice_review_url,
                due=calendar.add_working_days(
                    review.decision_date, REVIEWER_APPOINTMENT_WORKING_DAYS
                ),
                rule=(
                    f"Appoint within {REVIEWER_APPOINTMENT_WORKING_DAYS} working days of the "
                    f"decision to review on {fmt(review.decision_date)}"
                ),
                kind="reviewer_appointment",
            )
        if review.on_hold and review.hold_panel_told_on is None:
            started = review.hold_started_on or today
            add(
                review.case,
                title="Hold not told to the Panel",
                url=practice_review_url,
                due=started,
                rule=f"On hold since {fmt(started)}: tell the Panel when a review is held up",
                kind="hold_panel_told",
                status=deadlines.Status.OVERDUE,
            )
    by_case: dict[int, list] = {}
    for asked in work.summaries_outstanding:
        by_case.setdefault(asked.rapid_review.case_id, []).append(asked)
    for requests in by_case.values():
        rapid_review = requests[0].rapid_review
        names = ", ".join(asked.agency.name for asked in requests)
        add(
            rapid_review.case,
            title=f"Agency summaries outstanding after the rapid review was sent: {names}",
            url=rapid_review_url,
            # Wanted before the rapid review went: outstanding since that day, whatever the
            # request's own due date (which its own deadline row shows).
            due=rapid_review.sent_to_panel_on,
            rule=(
                f"The rapid review went to the Panel on {fmt(rapid_review.sent_to_panel_on)} "
                "without them"
            ),
            kind="summaries_after_rapid_review",
            status=deadlines.Status.OVERDUE,
        )
    for milestone in work.milestones_overdue:
        add(
            milestone.practice_review.case,
            title=f"Milestone overdue: {milestone.title}",
            url=practice_review_url,
            due=milestone.planned_on,
            rule=f"Planned for {fmt(milestone.planned_on)}, with no date it was done",
            kind="milestone",
            status=deadlines.Status.OVERDUE,
        )
    return found


# What a clock's Deadline row reads (`_title` and `CaseClocks.open_deadlines`).
_CLOCK_COLUMNS = (
    "case_id",
    "kind",
    "information_request_id",
    "due_date",
    "description",
    "suspended",
    "suspended_reason",
    "partnership_id",
    "case__reference",
    "case__pseudonym",
    "information_request__agency__name",
)


class CaseClocks:
    name = "reviews"

    def applies_to(self, user) -> bool:
        # The rules themselves, not Django's superuser shortcut: a system administrator holds
        # no partnership role, so sees no case material (deny by default, design.md).
        return rules.has_perm("reviews.view_dashboard", user)

    def open_deadlines(self, user, *, today: date) -> list[Deadline]:
        # Two queries whatever the number of clocks: the running ones and those on hold, with
        # only the columns the rows below read.
        clocks = [
            *selectors.needs_attention(user=user, limit=None).only(*_CLOCK_COLUMNS),
            *selectors.suspended_clocks(user=user)
            .select_related("information_request__agency")
            .only(*_CLOCK_COLUMNS),
        ]
        # One reverse() for the whole list: the case page's URL differs only by its pk.
        url = reverse("reviews:case_detail", args=[0])
        head, tail = url.rsplit("/0/", 1)
        return [
            Deadline(
                title=_title(clock),
                record_label=clock.case.reference,
                record_detail=clock.case.pseudonym,
                record_url=f"{head}/{clock.case_id}/{tail}",
                due=clock.due_date,
                rule=clock.description,
                status=deadlines.status_for(clock.due_date, today=today, on_hold=clock.suspended),
                source=self.name,
                kind=clock.kind,
                partnership_id=clock.partnership_id,
                hold_reason=clock.suspended_reason if clock.suspended else "",
            )
            for clock in clocks
        ] + work_deadlines(user, today=today, source=self.name)

    def send_reminders(self, today: date) -> int:
        from .tasks import send_reminders

        return send_reminders(today=today)

    def links(self, user) -> list[tuple[str, str]]:
        links = []
        if rules.has_perm("reviews.use_calculator", user):
            links.append(("Work out a statutory deadline", reverse("reviews:calculator")))
        links.append(("Timeliness figures", reverse("reviews:timeliness")))
        return links


deadlines.register(CaseClocks())
