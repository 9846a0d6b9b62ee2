"""Anchors: the chain's head, written from time to time to an append-only file outside the
database.

A keyed chain still cannot show that its newest events were deleted (nothing follows them to
break), nor stop someone holding the key from re-sealing history. An anchor records where the
chain stood, somewhere the database's administrator cannot rewrite (`AUDIT_ANCHOR_FILE` on
append-only storage, and the `learninghub.audit` log shipped elsewhere), so any later
truncation or rewrite of anchored events is found by `verify_audit_log`.

One JSON object a line: {"anchored_at": ISO 8601 UTC, "sequence": n, "hash": seal, "key_id": id}.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .models import AuditEvent
from .seal import key_id
from .verify import FindsProblems, Head, Problems, log_head, missing, short, verify_chain

logger = logging.getLogger("learninghub.audit")

_HASH = re.compile(r"^[0-9a-f]{64}$")
# Enough to find the last anchor however many lines a crash may have left half-written.
_TAIL_BYTES = 64 * 1024
_LOOKUP_BATCH = 500  # under SQLite's oldest limit of 999 query parameters


@dataclass(frozen=True)
class Anchor:
    line: int  # 0 when read from the file's tail, where the line number is not counted
    anchored_at: datetime
    sequence: int
    hash: str
    key_id: str = ""

    @property
    def described(self) -> str:
        """Which anchor, as a person would name it: "the anchor written 2026-11-29 02:00"."""
        when = timezone.localtime(self.anchored_at)
        where = f" (line {self.line})" if self.line else ""
        return f"the anchor written {when:%Y-%m-%d %H:%M}{where}"


@dataclass(frozen=True)
class InvalidLine:
    line: int
    text: str


def parse(raw: bytes | str, line: int = 0) -> Anchor | None:
    try:
        data = json.loads(raw)
        anchored_at = datetime.fromisoformat(data["anchored_at"])
        sequence, hash_ = data["sequence"], data["hash"]
        key = data.get("key_id", "")
    except (ValueError, TypeError, KeyError):
        return None
    if (
        timezone.is_naive(anchored_at)
        or type(sequence) is not int
        or sequence < 1
        or not isinstance(hash_, str)
        or not _HASH.match(hash_)
        or not isinstance(key, str)
    ):
        return None
    return Anchor(line, anchored_at, sequence, hash_, key)


def read_anchors(path: Path) -> Iterator[Anchor | InvalidLine]:
    """Every line of the anchor file, oldest first, one at a time."""
    with open(path, encoding="utf-8", errors="replace") as lines:
        for number, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            yield parse(text, number) or InvalidLine(number, text.strip()[:80])


# Checking ---------------------------------------------------------------------------------


@dataclass
class AnchorReport(FindsProblems):
    path: Path
    exists: bool = True
    checked: int = 0
    newest: Anchor | None = None
    found: Problems = field(default_factory=Problems)


def verify_anchors(path: Path, *, head: Head | None) -> AnchorReport:
    """Every anchored event must still exist with the seal it had; the log must reach the newest."""
    report = AnchorReport(path=path)
    if not path.exists():
        report.exists = False
        return report
    current_key = key_id()
    other_key: Anchor | None = None
    pending: list[Anchor] = []

    def check(anchors: list[Anchor]) -> None:
        wanted = {a.sequence for a in anchors if head is not None and a.sequence <= head.sequence}
        stored = dict(
            AuditEvent.objects.filter(sequence__in=wanted).values_list("sequence", "hash")
        )
        for anchor in anchors:
            if head is None or anchor.sequence > head.sequence:
                continue  # beyond the end of the log: reported once, for the newest anchor
            if anchor.sequence not in stored:
                report.found.add(
                    f"Event {anchor.sequence} is missing: {anchor.described} records it "
                    f"(seal {short(anchor.hash)})"
                )
            elif stored[anchor.sequence] != anchor.hash:
                report.found.add(
                    f"Event {anchor.sequence} was altered: its seal differs from "
                    f"{anchor.described} (anchored {short(anchor.hash)}, "
                    f"now {short(stored[anchor.sequence])})"
                )

    try:
        for item in read_anchors(path):
            if isinstance(item, InvalidLine):
                report.found.add(
                    f"Line {item.line} of the anchor file {path} is not an anchor: {item.text!r}"
                )
                continue
            report.checked += 1
            if report.newest is None or item.sequence >= report.newest.sequence:
                report.newest = item
            if item.key_id and item.key_id != current_key and other_key is None:
                other_key = item
            pending.append(item)
            if len(pending) >= _LOOKUP_BATCH:
                check(pending)
                pending = []
        check(pending)
    except OSError as error:
        report.found.add(f"The anchor file {path} cannot be read: {error.strerror or error}")
        return report

    if other_key is not None:
        report.found.add(
            f"{other_key.described[0].upper()}{other_key.described[1:]} was made with a "
            f"different AUDIT_LOG_KEY (key id {other_key.key_id}) from the one configured "
            f"(key id {current_key}): check AUDIT_LOG_KEY before trusting the other results"
        )
    newest = report.newest
    if newest is not None and (head is None or head.sequence < newest.sequence):
        first = head.sequence + 1 if head else 1
        ends = f"the log ends at event {head.sequence}" if head else "the log is empty"
        report.found.add(
            f"{missing(first, newest.sequence)}: {newest.described} records event "
            f"{newest.sequence} (seal {short(newest.hash)}), but {ends}"
        )
    return report


# Anchoring --------------------------------------------------------------------------------


ADVICE = "Run `manage.py verify_audit_log` to see what changed; nothing was anchored."


class AnchorRefused(Exception):
    """The chain since the last anchor does not verify: anchoring now would seal the damage."""


@dataclass(frozen=True)
class AnchorResult:
    head: Head | None
    written: bool
    line: str = ""


def _last_anchor(file) -> tuple[Anchor | None, bool]:
    """The newest valid anchor at the end of the open file, and whether the file has any text."""
    size = file.seek(0, os.SEEK_END)
    start = max(0, size - _TAIL_BYTES)
    file.seek(start)
    lines = file.read().split(b"\n")
    if start:
        lines = lines[1:]  # the first is probably the end of a line cut in two
    for raw in reversed(lines):
        if raw.strip() and (anchor := parse(raw)) is not None:
            return anchor, True
    return None, size > 0


def _refuse_unless_continued(last: Anchor | None, head: Head, path: Path) -> None:
    if last is None:
        report = verify_chain(until=head.sequence)
    else:
        if last.key_id and last.key_id != key_id():
            raise AnchorRefused(
                f"The last anchor in {path} was made with a different AUDIT_LOG_KEY "
                f"(key id {last.key_id}, not {key_id()}). {ADVICE}"
            )
        if head.sequence < last.sequence:
            raise AnchorRefused(
                f"{missing(head.sequence + 1, last.sequence)}: {last.described} records event "
                f"{last.sequence}, but the log ends at event {head.sequence}. {ADVICE}"
            )
        stored = AuditEvent.objects.filter(sequence=last.sequence).values_list("hash", flat=True)
        if stored.first() != last.hash:
            raise AnchorRefused(
                f"Event {last.sequence} no longer has the seal {last.described} records. {ADVICE}"
            )
        report = verify_chain(after=Head(last.sequence, last.hash), until=head.sequence)
    if not report.ok:
        since = f" since event {last.sequence}" if last else ""
        raise AnchorRefused(
            f"The audit chain{since} does not verify: {'; '.join(report.problems)}. {ADVICE}"
        )


def anchor_head(path: Path | None = None) -> AnchorResult:
    """Append the chain's head to the anchor file, unless the last anchor already records it.

    Before writing, the events since the last anchor (all of them, the first time) are
    checked, so an anchor never vouches for a chain that was already tampered with.
    """
    path = Path(path or settings.AUDIT_ANCHOR_FILE)
    current_key = key_id()  # no key, no anchor: and the file is left untouched
    head = log_head()
    if head is None:
        if path.exists():
            with open(path, "rb") as file:
                last, _ = _last_anchor(file)
            if last is not None:
                raise AnchorRefused(
                    f"{missing(1, last.sequence)}: {last.described} records event "
                    f"{last.sequence}, but the log is empty. {ADVICE}"
                )
        return AnchorResult(head=None, written=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    created = not path.exists()
    # O_APPEND: every write lands at the end, whatever else has the file open.
    descriptor = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o640)
    with os.fdopen(descriptor, "a+b") as file:
        # One anchoring at a time, so two overlapping runs never both append the same head.
        fcntl.flock(file.fileno(), fcntl.LOCK_EX)
        last, has_text = _last_anchor(file)
        if last is not None and (last.sequence, last.hash) == (head.sequence, head.hash):
            return AnchorResult(head=head, written=False)
        if last is None and has_text:
            raise AnchorRefused(
                f"The end of {path} holds no valid anchor, so where the chain stood cannot be "
                f"read. {ADVICE}"
            )
        _refuse_unless_continued(last, head, path)
        line = json.dumps(
            {
                "anchored_at": timezone.now().replace(microsecond=0).isoformat(),
                "sequence": head.sequence,
                "hash": head.hash,
                "key_id": current_key,
            }
        )
        size = file.seek(0, os.SEEK_END)
        unfinished = False
        if size:
            file.seek(size - 1)
            # A line left unfinished (a crash mid-write) must not swallow this one.
            unfinished = file.read(1) != b"\n"
        file.write((("\n" if unfinished else "") + line + "\n").encode())
        file.flush()
        os.fsync(file.fileno())
    if created:
        _fsync_directory(path.parent)
    # The log is the anchor's second copy, for hosts that ship logs somewhere else.
    logger.info("Audit log anchored: %s", line)
    return AnchorResult(head=head, written=True, line=line)


def _fsync_directory(directory: Path) -> None:
    """Make a new file's name as durable as its contents."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
