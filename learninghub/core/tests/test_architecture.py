"""Nothing writes outside a service, and views never touch `Model.objects` (design.md).

Each service is one transaction that writes its own audit event; a write anywhere else would
change data with no audit trail. The rule is checked on the source with `ast`:

- `.save(` and `.delete(` calls are flagged wherever they are, whatever the receiver;
- `create`, `bulk_create`, `update`, `bulk_update`, `get_or_create`, `update_or_create` and
  `delete` are flagged when the receiver chain goes through a manager (`.objects`,
  `._default_manager`, `._base_manager`), e.g. `Agency.objects.filter(...).update(...)`;
- raw SQL that writes (`execute("INSERT|UPDATE|DELETE|REPLACE ...")`) is flagged too.

`dict.update` or `set.update` never match the second rule because they do not go through a
manager. Legitimate exceptions are listed, each with the reason, in ALLOWED below.
"""

from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]  # .../learninghub
REPO = PACKAGE.parent

ALWAYS_FLAGGED = {"save", "delete"}
MANAGER_WRITES = {
    "create",
    "bulk_create",
    "update",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "delete",
}
MANAGERS = {"objects", "_default_manager", "_base_manager"}
WRITING_SQL = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|TRUNCATE|DROP|ALTER)\b", re.I)

# (file relative to the repository, enclosing Class.function) -> why it may write.
ALLOWED = {
    # The audit path itself: services call Auditor.record inside their own transaction, and
    # this is the one place an event row is appended (numbered and sealed onto the chain).
    ("learninghub/core/audit/auditor.py", "append_many"): "appends the audit events",
    # The append-only guard: refuses updates, then hands the first insert to Django.
    ("learninghub/core/audit/models.py", "AuditEvent.save"): "append-only guard",
    # A QR code image written to an in-memory buffer: not the database.
    ("learninghub/partnerships/account_views.py", "_qr_svg"): "qrcode image into BytesIO",
    # An exported Excel workbook written to an in-memory buffer: not the database.
    ("learninghub/core/spreadsheets/export.py", "_xlsx_bytes"): "xlsx workbook into BytesIO",
    # django-axes' handler contract: a successful sign-in clears that account's failed-attempt
    # counters from that address (lockout housekeeping, like sessions; the sign-in is audited).
    ("learninghub/core/lockout.py", "LockoutHandler.reset_user_attempts"): "axes housekeeping",
    # Django's own contract for `createsuperuser` and data migrations; people are created
    # by `services.user_create`, which audits.
    ("learninghub/partnerships/models.py", "UserManager.create_user"): "Django manager API",
}


@dataclass(frozen=True)
class Write:
    path: str
    scope: str
    line: int
    code: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} in {self.scope or '<module>'}: {self.code}"


def is_service_module(path: Path) -> bool:
    rel = path.relative_to(PACKAGE)
    return path.name == "services.py" or "services" in rel.parts[:-1]


def is_scanned(path: Path) -> bool:
    rel = path.relative_to(PACKAGE)
    if "migrations" in rel.parts or "tests" in rel.parts:
        return False
    # The demo seeding command builds fictional data; `demo.py`, which it calls, is scanned.
    return not ("commands" in rel.parts and path.name.startswith("seed"))


def python_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if is_scanned(p))


def goes_through_manager(node: ast.AST) -> bool:
    while True:
        if isinstance(node, ast.Attribute):
            if node.attr in MANAGERS:
                return True
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            return False


class WriteFinder(ast.NodeVisitor):
    def __init__(self, path: str):
        self.path = path
        self.scope: list[str] = []
        self.writes: list[Write] = []
        self.manager_reads: list[Write] = []

    def _enter(self, node):
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _enter

    def _found(self, bucket: list[Write], node: ast.AST) -> None:
        bucket.append(Write(self.path, ".".join(self.scope), node.lineno, ast.unparse(node)[:100]))

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in MANAGERS:
            self._found(self.manager_reads, node)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute):
            orm_write = func.attr in ALWAYS_FLAGGED or (
                func.attr in MANAGER_WRITES and goes_through_manager(func.value)
            )
            sql_write = (
                func.attr in {"execute", "executemany", "executescript"}
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and WRITING_SQL.match(node.args[0].value)
            )
            if orm_write or sql_write:
                self._found(self.writes, node)
        self.generic_visit(node)


@functools.cache
def scan(path: Path) -> WriteFinder:
    finder = WriteFinder(str(path.relative_to(REPO)))
    finder.visit(ast.parse(path.read_text(), filename=str(path)))
    return finder


def writes_outside_services() -> list[Write]:
    found = []
    for path in python_files():
        if not is_service_module(path):
            found.extend(scan(path).writes)
    return found


def test_the_scan_covers_the_code():
    scanned = {str(p.relative_to(REPO)) for p in python_files()}
    assert "learninghub/core/views.py" in scanned
    assert "learninghub/partnerships/views.py" in scanned
    assert "learninghub/partnerships/demo.py" in scanned
    assert not any("/migrations/" in p or "/tests/" in p for p in scanned)


def test_nothing_writes_outside_a_service():
    offending = [w for w in writes_outside_services() if (w.path, w.scope) not in ALLOWED]
    assert not offending, "Writes outside services.py (move them into a service):\n" + "\n".join(
        map(str, offending)
    )


def test_every_allowed_exception_is_still_needed():
    found = {(w.path, w.scope) for w in writes_outside_services()}
    stale = sorted(set(ALLOWED) - found)
    assert not stale, f"Remove these from ALLOWED, they no longer write: {stale}"


def test_the_demo_data_goes_through_services():
    demo = scan(PACKAGE / "partnerships" / "demo.py")
    assert demo.writes == []
    calls = {
        node.func.attr
        for node in ast.walk(ast.parse((PACKAGE / "partnerships" / "demo.py").read_text()))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "services"
    }
    assert {"partnership_create", "agency_create", "user_create"} <= calls


def _is_view_module(path: Path) -> bool:
    rel = path.relative_to(PACKAGE)
    return path.name == "views.py" or path.name.endswith("_views.py") or "views" in rel.parts[:-1]


def test_views_never_touch_model_managers():
    offending = []
    for path in python_files():
        if _is_view_module(path):
            offending.extend(scan(path).manager_reads)
    assert not offending, "Views read through selectors:\n" + "\n".join(map(str, offending))


# Forms import no services ------------------------------------------------------------------
# A form turns what was posted into one service's arguments; the view calls the service. A form
# that calls a service itself writes (or decides) from inside validation, where no view sees it.


def _is_form_module(path: Path) -> bool:
    rel = path.relative_to(PACKAGE)
    return path.name == "forms.py" or "forms" in rel.parts[:-1]


def services_imported(source: str) -> list[int]:
    """Lines of `source` that import a `services` module (or a name from one)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        if any("services" in name.split(".") for name in names):
            lines.append(node.lineno)
    return lines


def test_forms_import_no_services():
    offending = [
        f"{path.relative_to(REPO)}:{line}"
        for path in python_files()
        if _is_form_module(path)
        for line in services_imported(path.read_text())
    ]
    assert not offending, "Forms import no services (the view calls them):\n" + "\n".join(offending)


def test_the_forms_rule_catches_every_way_of_importing_a_service():
    sample = """
from .services import upload_limit_label
from .. import services
from learninghub.api.services import DEFAULT_DAYS
import learninghub.reviews.services.cases
from . import models, selectors
from learninghub.core.forms import GovukDateField
"""
    assert services_imported(sample) == [2, 3, 4, 5]


# The finder itself: each rule catches what it should, and only that -----------------------

SAMPLE = """
def writes(agency, data, cursor):
    agency.save()
    agency.delete()
    Agency.objects.create(name="x")
    Agency.objects.filter(pk=1).update(name="y")
    Agency._default_manager.bulk_create([])
    Agency.objects.all().delete()
    Agency.objects.get_or_create(name="z")
    cursor.execute("UPDATE partnerships_agency SET name = 'x'")

def harmless(data, seen, cursor):
    data.update({"a": 1})
    seen.update({1, 2})
    Agency.objects.filter(pk=1).exists()
    cursor.execute("SELECT 1")
    request.session["key"] = 1
"""


def test_the_finder_catches_writes_and_ignores_reads():
    finder = WriteFinder("sample.py")
    finder.visit(ast.parse(SAMPLE))
    assert {w.scope for w in finder.writes} == {"writes"}
    assert [w.line for w in finder.writes] == [3, 4, 5, 6, 7, 8, 9, 10]


@pytest.mark.parametrize(
    ("relative", "is_service"),
    [
        ("partnerships/services.py", True),
        ("reviews/services/notification.py", True),
        ("partnerships/views.py", False),
        ("core/audit/auditor.py", False),
    ],
)
def test_what_counts_as_a_service_module(relative, is_service):
    assert is_service_module(PACKAGE / relative) is is_service
