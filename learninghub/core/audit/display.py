"""How audit events read to the person looking: field names and values as the pages say
them, and case material only for the case team.

The stored changes keep raw values (stable for machines and for the hash); this turns them
into "Role: Practitioner → Case review group" when shown.

Case material (a finding's text, a recommendation, a child's pseudonym, a document's title)
is restricted to the business unit and case review group of the case's partnership. Its
events carry that text in their summary, record name and changes, so on every page that
shows the log, everyone else (the system administrator included) sees only that the event
happened: when, who, what kind, and to which type of record. The core knows no domain app:
an app names its case material and the `rules` permission that guards it, from its
AppConfig.ready(), with `register_case_material`. Whether a person may see it is asked once
per partnership, never per event, so a page costs no more queries however long it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import rules
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q

from .auditor import REDACTED

CASE_MATERIAL_NOTICE = "Case material — details are shown only to the case team"


@dataclass(frozen=True)
class CaseMaterial:
    scope_prefix: str
    object_type_prefix: str
    permission: str

    def covers(self, event) -> bool:
        return event.scope.startswith(self.scope_prefix) or event.object_type.startswith(
            self.object_type_prefix
        )

    def q(self) -> Q:
        return Q(scope__startswith=self.scope_prefix) | Q(
            object_type__startswith=self.object_type_prefix
        )


@dataclass(frozen=True)
class _PartnershipRecord:
    """Any record of one partnership, as the permission's rule is asked about it."""

    partnership_id: int


_CASE_MATERIAL: list[CaseMaterial] = []


def register_case_material(*, scope_prefix: str, object_type_prefix: str, permission: str):
    """Events whose scope or record type starts so show their text only to people who hold
    `permission` (a `rules` permission) for a record of the event's partnership."""
    material = CaseMaterial(scope_prefix, object_type_prefix, permission)
    if material not in _CASE_MATERIAL:
        _CASE_MATERIAL.append(material)


def _readable_partnerships(viewer, material: CaseMaterial) -> frozenset[int]:
    if viewer is None or not viewer.is_authenticated:
        return frozenset()
    # rules alone, not user.has_perm: Django lets a superuser pass every has_perm, and the
    # system administrator is no member of the case team.
    return frozenset(
        pid
        for pid in viewer.partnership_ids
        if rules.has_perm(material.permission, viewer, _PartnershipRecord(pid))
    )


def hidden_case_material(viewer) -> Q | None:
    """The events whose case text this person may not see (None: there are none to hide)."""
    hidden = None
    for material in _CASE_MATERIAL:
        q = material.q() & ~Q(partnership_id__in=_readable_partnerships(viewer, material))
        hidden = q if hidden is None else hidden | q
    return hidden


def hide_case_text(events: Iterable, *, viewer) -> list:
    """The events, with the case text of any this person may not see replaced by a notice.

    The events are changed in memory only (the audit log refuses to save a changed row).
    Each shown event's `case_material` says whether case text is shown (True), hidden
    (False) or there is none (None), so the page can record a read of what it showed.
    """
    events = list(events)
    readable = {m: _readable_partnerships(viewer, m) for m in _CASE_MATERIAL}
    for event in events:
        event.case_material = None
        for material in _CASE_MATERIAL:
            if not material.covers(event):
                continue
            event.case_material = event.partnership_id in readable[material]
            if not event.case_material:
                event.summary = CASE_MATERIAL_NOTICE
                event.object_repr = ""
                event.changes = {}
            break
    return events


def record_type_label(event) -> str:
    """Which type of record an event is about: "Finding", "Document version"."""
    try:
        model = apps.get_model(event.object_type) if event.object_type else None
    except (LookupError, ValueError):
        model = None
    label = str(model._meta.verbose_name) if model else ""
    return label[:1].upper() + label[1:]


def _field(event, name: str):
    return _model_field(event.object_type, name)


# A history shows dozens of events with a dozen changes each: the model and field behind each
# label are looked up once per process, not per value (models do not change while it runs).
@lru_cache(maxsize=1024)
def _model_field(object_type: str, name: str):
    try:
        model = apps.get_model(object_type) if object_type else None
        return model._meta.get_field(name) if model else None
    except (LookupError, ValueError, FieldDoesNotExist):
        return None


@lru_cache(maxsize=1024)
def _choices(field) -> dict:
    return dict(getattr(field, "flatchoices", None) or [])


def field_label(event, name: str) -> str:
    field = _field(event, name)
    label = str(getattr(field, "verbose_name", "") or name.replace("_", " "))
    return label[:1].upper() + label[1:]


def value_label(event, name: str, value) -> str:
    if value is None or value == "":
        return "(none)"
    if value == REDACTED:
        return "(not shown)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    choices = _choices(_field(event, name))
    if value in choices:
        return str(choices[value])
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return value
        return f"{day.day} {day:%B %Y}"
    return str(value)
