"""Every URL × every role. A URL that no app's permission_rows covers fails the suite."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from learninghub.core.tests.matrix import LOGIN, ROLES


def _collect_rows():
    rows = []
    for config in apps.get_app_configs():
        if not config.name.startswith("learninghub."):
            continue
        tests_dir = Path(config.path) / "tests"
        # Each app keeps its rows in tests/permission_rows.py (or permission_rows_*.py).
        for path in sorted(tests_dir.glob("permission_rows*.py")):
            module = importlib.import_module(f"{config.name}.tests.{path.stem}")
            rows.extend(module.ROWS)
    return rows


ROWS = _collect_rows()


def _url_names(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _url_names(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}"


def test_every_url_is_in_the_matrix():
    covered = {row.url_name for row in ROWS}
    # The Django admin is for system administrators; its index row stands for all of it.
    names = {n for n in _url_names() if not n.startswith("admin:")}
    missing = sorted(names - covered)
    assert not missing, f"URLs with no row in any permission_rows.py: {missing}"


def test_every_row_covers_every_role():
    for row in ROWS:
        assert set(row.expected) == set(ROLES), row.id


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_permission_matrix(row, world, client_for):
    url = reverse(row.url_name, kwargs=row.kwargs(world) or None)
    failures = []
    for role in ROLES:
        client = client_for(role)
        data = row.data(world) if row.data else None
        response = getattr(client, row.method)(url, data=data)
        expected = row.expected[role]
        if expected == LOGIN:
            ok = response.status_code == 302 and reverse("accounts:login") in response["Location"]
        else:
            ok = response.status_code == expected
        if not ok:
            failures.append(f"{role}: expected {expected}, got {response.status_code}")
    assert not failures, f"{row.id} ({url}):\n" + "\n".join(failures)
