"""Demonstration data, contributed by each app.

An app that has demonstration data gives it a `demo.py` with `load() -> DemoLoaded`. The
`seed_demo` command loads every app's in INSTALLED_APPS order, so an app's data can build on
the apps before it (cases on the partnerships' accounts) without any app importing one that
comes after it: the core discovers them, as it does navigation, and names no domain app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule


@dataclass
class DemoLoaded:
    summary: list[str] = field(default_factory=list)  # what was created, a line each
    afterword: list[str] = field(default_factory=list)  # printed last: the demo logins


def loaders() -> list[tuple[str, Callable[[], DemoLoaded]]]:
    """(app label, its `demo.load`) for every app with demonstration data, in app order."""
    found = []
    for app in apps.get_app_configs():
        if app.name.startswith("learninghub.") and module_has_submodule(app.module, "demo"):
            load = getattr(import_module(f"{app.name}.demo"), "load", None)
            if load is not None:
                found.append((app.label, load))
    return found


def load_all() -> DemoLoaded:
    """Load every app's demonstration data; running it again changes nothing."""
    loaded = DemoLoaded()
    for _, load in loaders():
        result = load()
        loaded.summary += result.summary
        loaded.afterword += result.afterword
    return loaded
