"""The case's stored statutory clocks, kept in step with its recorded dates."""

from __future__ import annotations

from ..clocks import clocks_for
from ..models import Case, Clock


def sync_clocks(case: Case) -> None:
    """Bring the stored clocks into line with the case's recorded dates."""
    case = (
        Case.objects.select_related("notification", "rapid_review", "practice_review")
        .prefetch_related("rapid_review__information_requests__agency")
        .get(pk=case.pk)
    )
    wanted = {(s.kind, s.information_request_id): s for s in clocks_for(case)}
    existing = {(c.kind, c.information_request_id): c for c in Clock.objects.filter(case=case)}
    for key, clock in existing.items():
        if key not in wanted:
            clock.delete()
    for key, spec in wanted.items():
        values = {
            "rule": spec.rule,
            "start_date": spec.start_date,
            "due_date": spec.due_date,
            "description": spec.description[:200],
            "done_on": spec.done_on,
            "suspended": spec.suspended,
            "suspended_reason": spec.suspended_reason,
        }
        clock = existing.get(key)
        if clock is None:
            Clock.objects.create(
                case=case,
                partnership_id=case.partnership_id,
                kind=spec.kind,
                information_request_id=spec.information_request_id,
                **values,
            )
        elif any(getattr(clock, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(clock, k, v)
            clock.save()
