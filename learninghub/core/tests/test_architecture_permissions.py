"""Views and the API check permissions with `require` (or `can`), never `has_perm`.

Django's `user.has_perm` lets an active superuser pass every check, so a view that asks it
silently lets a system administrator into material no rule gives them. `rules.has_perm` is
refused here too, so that there is one way to check (`learninghub.core.permissions`), which
answers 404 or 403 the same way everywhere. Checked on the source with `ast`.
"""

from __future__ import annotations

import ast
from pathlib import Path

from .test_architecture import PACKAGE, REPO, _is_view_module, python_files


def _checks_permissions_itself(path: Path) -> bool:
    rel = path.relative_to(PACKAGE)
    return _is_view_module(path) or rel.parts[:2] == ("api", "routers")


def has_perm_calls(source: str, filename: str = "<source>") -> list[int]:
    return [
        node.lineno
        for node in ast.walk(ast.parse(source, filename=filename))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "has_perm"
    ]


def test_the_checked_modules_include_every_kind_of_view():
    checked = {str(p.relative_to(REPO)) for p in python_files() if _checks_permissions_itself(p)}
    assert "learninghub/partnerships/views.py" in checked
    assert "learninghub/partnerships/account_views.py" in checked
    assert "learninghub/reviews/views/cases.py" in checked
    assert "learninghub/api/routers/reviews.py" in checked
    assert "learninghub/api/views.py" in checked


def test_no_view_or_api_router_calls_has_perm():
    offending = [
        f"{path.relative_to(REPO)}:{line}"
        for path in python_files()
        if _checks_permissions_itself(path)
        for line in has_perm_calls(path.read_text(), str(path))
    ]
    assert not offending, (
        "Check with learninghub.core.permissions.require (or can), not has_perm, which lets a "
        "superuser through:\n" + "\n".join(offending)
    )


def test_the_finder_catches_every_has_perm():
    sample = """
def view(request, case):
    request.user.has_perm("reviews.view_case", case)
    rules.has_perm("reviews.open_case", request.user)
    require(request, "reviews.view_case", case)
    can(request, "reviews.open_case")
"""
    assert has_perm_calls(sample) == [3, 4]
