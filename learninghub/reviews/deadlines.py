"""The reviews app's deadlines for the core registry: its case clocks (`reviews.Clock`, the
app's stored statutory deadlines) and their reminders to each business unit."""

from __future__ import annotations

from datetime import date

import rules
from django.urls import reverse

from learninghub.core import deadlines
from learninghub.core.deadlines import Deadline

from . import selectors


def _title(clock) -> str:
    if clock.information_request_id:
        return f"{clock.get_kind_display()}: {clock.information_request.agency.name}"
    return clock.get_kind_display()


class CaseClocks:
    name = "reviews"

    def applies_to(self, user) -> bool:
        # The rules themselves, not Django's superuser shortcut: a system administrator holds
        # no partnership role, so sees no case material (deny by default, design.md).
        return rules.has_perm("reviews.view_dashboard", user)

    def open_deadlines(self, user, *, today: date) -> list[Deadline]:
        # Two queries whatever the number of clocks: the running ones and those on hold.
        clocks = [
            *selectors.needs_attention(user=user, limit=None),
            *selectors.suspended_clocks(user=user).select_related("information_request__agency"),
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
        ]

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
