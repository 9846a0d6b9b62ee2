"""How audit events read to a business manager: field names and values as the pages say them.

The stored changes keep raw values (stable for machines and for the hash); this turns them
into "Role: Practitioner → Case review group" when shown.
"""

from __future__ import annotations

from datetime import date

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from .auditor import REDACTED


def _field(event, name: str):
    try:
        model = apps.get_model(event.object_type) if event.object_type else None
        return model._meta.get_field(name) if model else None
    except (LookupError, ValueError, FieldDoesNotExist):
        return None


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
    field = _field(event, name)
    choices = dict(getattr(field, "flatchoices", None) or [])
    if value in choices:
        return str(choices[value])
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return value
        return f"{day.day} {day:%B %Y}"
    return str(value)
