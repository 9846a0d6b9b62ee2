"""Walks the audit chain by sequence number and says exactly which events are missing or altered.

Four things can be wrong with an event, and each is named separately: numbers skipped (events
deleted), a seal that does not match the content (a row edited, or re-sealed by someone
without the key), a link that does not match the event before (rows re-chained), and, when no
event at all matches its seal, a key that is not the one the log was sealed with. What this
walk cannot see is the newest events being deleted, since nothing follows them: the anchors
kept outside the database (`anchors.py`) cover that.

Memory stays constant however long the log: events are read in batches, and only the first
`MAX_PROBLEMS` problems are kept (the rest are counted).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import AuditEvent
from .seal import GENESIS_HASH, audit_key

MAX_PROBLEMS = 25
_SEAL, _OTHER = "seal", "other"


@dataclass(frozen=True)
class Head:
    """One point of the chain: an event's sequence number and its seal."""

    sequence: int
    hash: str


def log_head() -> Head | None:
    row = AuditEvent.objects.order_by("-sequence").values_list("sequence", "hash").first()
    return Head(*row) if row else None


def short(hash_: str) -> str:
    return f"{hash_[:12]}…"


def events_range(first: int, last: int) -> str:
    return f"Event {first}" if first == last else f"Events {first} to {last}"


def missing(first: int, last: int) -> str:
    return f"{events_range(first, last)} {'is' if first == last else 'are'} missing"


@dataclass
class Problems:
    """The problems found, in the order met, at most MAX_PROBLEMS of them kept."""

    items: list[tuple[str, str]] = field(default_factory=list)
    more: int = 0

    def add(self, message: str, *, kind: str = _OTHER) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append((kind, message))
        else:
            self.more += 1

    @property
    def messages(self) -> list[str]:
        listed = [message for _, message in self.items]
        if self.more:
            listed.append(f"…and {self.more} more problems not listed")
        return listed

    def __bool__(self) -> bool:
        return bool(self.items)


class FindsProblems:
    """A check's report: `found` holds its problems; it is ok when there are none."""

    found: Problems

    @property
    def ok(self) -> bool:
        return not self.found

    @property
    def problems(self) -> list[str]:
        return self.found.messages


@dataclass
class ChainReport(FindsProblems):
    checked: int = 0
    sealed: int = 0  # events whose seal matched
    head: Head | None = None  # the last event checked
    found: Problems = field(default_factory=Problems)


def verify_chain(
    batch_size: int = 2000, *, after: Head | None = None, until: int | None = None
) -> ChainReport:
    """Check the chain from its start (or from `after`, already trusted) up to `until`."""
    key = audit_key()
    report = ChainReport()
    previous = after.hash if after else GENESIS_HASH
    expected = after.sequence + 1 if after else 1
    # The current run of consecutive events failing their seal: [first, last], or empty.
    altered: list[int] = []

    def end_altered_run() -> None:
        if altered:
            first, last = altered
            one = first == last
            report.found.add(
                f"{events_range(first, last)} {'was' if one else 'were'} altered: "
                f"{'its' if one else 'their'} content no longer matches "
                f"{'its' if one else 'their'} HMAC seal",
                kind=_SEAL,
            )
            altered.clear()

    events = AuditEvent.objects.filter(sequence__gte=expected).order_by("sequence")
    if until is not None:
        events = events.filter(sequence__lte=until)
    while True:
        batch = list(events.filter(sequence__gte=expected)[:batch_size])
        if not batch:
            break
        for event in batch:
            if event.sequence != expected:
                end_altered_run()
                report.found.add(missing(expected, event.sequence - 1))
            elif event.previous_hash != previous:
                end_altered_run()
                before = (
                    "start the log" if event.sequence == 1 else f"follow event {event.sequence - 1}"
                )
                report.found.add(
                    f"Event {event.sequence} does not {before}: it names a different previous "
                    f"seal ({short(event.previous_hash)}, not {short(previous)}), so events "
                    "were removed, replaced or re-chained here"
                )
            if event.compute_hash(key=key) == event.hash:
                report.sealed += 1
                end_altered_run()
            else:
                if altered and altered[1] != event.sequence - 1:
                    end_altered_run()
                altered[:] = [altered[0] if altered else event.sequence, event.sequence]
            previous = event.hash
            expected = event.sequence + 1
            report.checked += 1
            report.head = Head(event.sequence, event.hash)
    end_altered_run()

    if after is None and report.checked and not report.sealed:
        # Every event failing its seal is what a wrong key looks like; rewriting every single
        # event is the only other explanation, and the anchors tell the two apart.
        rest = report.found.items
        report.found = Problems(more=report.found.more)
        report.found.add(
            f"No event matches its HMAC seal under the configured AUDIT_LOG_KEY "
            f"({report.checked} checked): AUDIT_LOG_KEY is not the key this log was sealed "
            "with, or every event was rewritten",
            kind=_SEAL,
        )
        for kind, message in rest:
            if kind != _SEAL:
                report.found.add(message, kind=kind)
    return report
