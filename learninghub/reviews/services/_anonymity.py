"""The anonymity gate the services put in front of writing a finding, a recommendation or a
case's pseudonym: anything that may identify a child or family is refused, naming what was
found, unless the person gives a reason it does not (the override, audited without the
identifying text).

It holds in the services, so the pages and the API alike go through it.
"""

from __future__ import annotations

from django.db import models

from learninghub.core import anonymity
from learninghub.core.anonymity import Match
from learninghub.core.anonymity.audit import audit_override
from learninghub.core.audit.auditor import Auditor

from ..models import Case
from ..selectors.anonymity import case_identifiers

REASON_FIELD = "anonymity_override_reason"


def _listed(matches: list[Match]) -> str:
    items = list(dict.fromkeys(anonymity.quoted(m) for m in matches))
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def refusal(matches: list[Match]) -> str:
    """'It may identify the child or family. It contains "Amelia" (the child's name). ...'"""
    return (
        f"It may identify the child or family. It contains {_listed(matches)}. "
        "Remove it, or give the reason it does not identify them"
    )


def check(*, case: Case, fields: dict[str, str], reason: str) -> tuple[dict, dict[str, str]]:
    """(what was found, field by field; the errors to raise). Errors only when something was
    found and no reason given. One query (the identifiers of the case's children), and none
    when every field is blank."""
    fields = {name: text for name, text in fields.items() if text and text.strip()}
    if not fields:
        return {}, {}
    found = anonymity.check_texts(fields, case_identifiers(case=case))
    if not found or reason.strip():
        return found, {}
    return found, {name: refusal(matches) for name, matches in found.items()}


def audit(auditor: Auditor, obj: models.Model, found: dict, reason: str, *, summary: str) -> None:
    """The override's audit event (kinds, labels, the reason; never the text), when used."""
    if found:
        audit_override(auditor, obj, found, reason.strip(), summary=summary)
