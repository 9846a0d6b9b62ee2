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
from django.utils import timezone
from markupsafe import Markup

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
    return _record_type(_value(event, "object_type"))


@lru_cache(maxsize=256)
def _record_type(object_type: str) -> str:
    try:
        model = apps.get_model(object_type) if object_type else None
    except (LookupError, ValueError):
        model = None
    label = str(model._meta.verbose_name) if model else ""
    return label[:1].upper() + label[1:]


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
    return _label(_value(event, "object_type"), name)


@lru_cache(maxsize=1024)
def _label(object_type: str, name: str) -> str:
    field = _model_field(object_type, name)
    label = str(getattr(field, "verbose_name", "") or name.replace("_", " "))
    return label[:1].upper() + label[1:]


def value_label(event, name: str, value) -> str:
    return _shown(_value(event, "object_type"), name, value)


def _shown(object_type: str, name: str, value) -> str:
    if value is None or value == "":
        return "(none)"
    if value == REDACTED:
        return "(not shown)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    choices = _choices(_model_field(object_type, name))
    if value in choices:
        return str(choices[value])
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return value
        return f"{day.day} {day:%B %Y}"
    return str(value)


# The timeline (audit/timeline.jinja) -------------------------------------------------------

_KIND_LABELS: dict | None = None
_TIMELINE_FIELDS = ("kind", "summary", "actor_label", "occurred_at", "changes", "object_type")


def _kind_label(kind: str) -> str:
    global _KIND_LABELS
    if _KIND_LABELS is None:
        from .models import AuditEvent

        _KIND_LABELS = {value: str(label) for value, label in AuditEvent.Kind.choices}
    return _KIND_LABELS.get(kind, kind)


def _value(event, name: str):
    return event[name] if isinstance(event, dict) else getattr(event, name, None)


def _esc(value) -> str:
    """Markupsafe's escape() as a plain string, without a Markup object per value."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return (
        str(value)
        .replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


def timeline_html(events, heading: str = "History") -> Markup:
    """The timeline's markup in Python (audit/timeline.jinja documents it).

    `events` are audit events or `.values()` rows of them (kind, summary, actor_label,
    occurred_at, changes, object_type, and case_material where `hide_case_text` set it).
    At bench scale the macro's per-event and per-change lookups were a tenth of the case
    page's CPU. Each text is escaped as the macro's autoescape did, to the same bytes.
    """
    out = [f'<h2 class="govuk-heading-m">{_esc(heading)}</h2>\n']
    if not events:
        out.append('<p class="govuk-body">No changes have been recorded.</p>\n')
        return Markup("".join(out))  # noqa: S704
    zone = timezone.get_current_timezone()
    out.append('<ol class="hub-timeline" reversed>\n')
    for event in events:
        if isinstance(event, dict):
            row, shown_material = event, event.get("case_material")
        else:
            row = {name: getattr(event, name) for name in _TIMELINE_FIELDS}
            shown_material = getattr(event, "case_material", None)
        kind = row["kind"]
        summary = _esc(row["summary"])
        out.append('<li class="hub-timeline__item">\n')
        if shown_material is False:
            record_type = _record_type(row["object_type"])
            heading_text = _esc(_kind_label(kind))
            if record_type:
                heading_text += f": {_esc(record_type)}"
            out.append(
                f'<h3 class="govuk-heading-s govuk-!-margin-bottom-1">{heading_text}</h3>\n'
                f'<p class="govuk-hint govuk-body-s govuk-!-margin-bottom-1">{summary}</p>\n'
            )
        else:
            out.append(f'<h3 class="govuk-heading-s govuk-!-margin-bottom-1">{summary}</h3>\n')
        when = row["occurred_at"]
        if when is None:
            when = ""
        else:  # as the govuk_datetime filter writes it
            when = when.astimezone(zone)
            when = f"{when:%-d %B %Y} at {when:%-I:%M%p}".replace("AM", "am").replace("PM", "pm")
        out.append(
            f'<p class="govuk-body-s govuk-!-margin-bottom-1">{_esc(row["actor_label"])}, '
            f"{_esc(when)}</p>\n"
        )
        changes = row["changes"]
        if changes:
            object_type = row["object_type"]
            out.append('<ul class="govuk-list govuk-body-s">\n')
            for name, values in changes.items():
                label = _esc(_label(object_type, name))
                if kind == "create":
                    shown = _esc(_shown(object_type, name, values[1]))
                else:
                    before = _esc(_shown(object_type, name, values[0]))
                    shown = f"{before} → {_esc(_shown(object_type, name, values[1]))}"
                out.append(f"<li>{label}: {shown}</li>\n")
            out.append("</ul>\n")
        out.append("</li>\n")
    out.append("</ol>\n")
    # Every value above went through _esc(), as the macro's autoescape did.
    return Markup("".join(out))  # noqa: S704
