"""The reviews app's services and selectors stay split by stage, and every public name stays
where callers (views, the API, tasks, tests) look for it: on the package."""

from __future__ import annotations

import ast
import inspect
from importlib import import_module
from pathlib import Path

import pytest

from learninghub.reviews import selectors, services

APP = Path(__file__).resolve().parents[1]
REPO = APP.parents[1]

# A stage's module is read in one sitting; the old single files were 915 and 470 lines.
MOST_LINES = 300


@pytest.mark.parametrize("package", ["services", "selectors"])
def test_services_and_selectors_are_packages_of_small_modules(package):
    folder = APP / package
    assert (folder / "__init__.py").is_file()
    assert not (APP / f"{package}.py").exists()
    sizes = {p.name: len(p.read_text().splitlines()) for p in folder.glob("*.py")}
    assert len(sizes) > 5
    assert {name: n for name, n in sizes.items() if n > MOST_LINES} == {}


@pytest.mark.parametrize("package", [services, selectors], ids=["services", "selectors"])
def test_every_public_name_of_a_stage_module_is_on_the_package(package):
    folder = Path(package.__file__).parent
    missing = []
    for path in folder.glob("*.py"):
        if path.stem.startswith("_"):
            continue
        module = import_module(f"{package.__name__}.{path.stem}")
        for name, value in vars(module).items():
            defined_here = getattr(value, "__module__", None) == module.__name__
            is_code = inspect.isfunction(value) or inspect.isclass(value)
            constant = name.isupper() and not callable(value)
            if name.startswith("_") or not ((defined_here and is_code) or constant):
                continue
            if getattr(package, name, None) is not value:
                missing.append(f"{module.__name__}.{name}")
    assert missing == []


def test_a_patched_today_reaches_every_reader_in_the_package(monkeypatch):
    from datetime import date

    from learninghub.reviews.models import Clock

    monkeypatch.setattr(selectors, "today", lambda: date(2026, 1, 5))
    clock = Clock(due_date=date(2026, 1, 2))
    assert str(selectors.clock_status(clock)) == "overdue"


def test_the_duplicates_of_the_core_deadlines_are_gone():
    # The core's deadlines registry (core/deadlines) owns the needs-attention page's figures
    # and the queued-task check; the core's files own the upload limit's label.
    for name in ["needs_attention_dashboard", "NeedsAttention", "task_queued"]:
        assert not hasattr(selectors, name), name
    assert not hasattr(services, "upload_limit_label")
    assert not (APP / "management").exists()


def _imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def test_the_bench_finds_each_apps_builders_without_naming_them():
    from bench import data

    imported = _imported_modules(REPO / "bench" / "data.py")
    assert not [name for name in imported if "reviews" in name]
    assert data.app_modules() == ["data_reviews"]
    # The partnerships come first: the cases are built on their people.
    assert list(data.builder_versions()) == ["partnerships", "reviews"]
