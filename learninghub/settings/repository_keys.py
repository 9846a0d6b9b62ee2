"""The keys written in this repository, so production can refuse to run with one of them.

The development, test and benchmark settings carry default keys so that `make run` and
`make test` work on a fresh machine. Those values are public (they are in the source), so a
deployment that copied one would sign its sessions, encrypt its identifying details and key
its audit chain with a secret everybody has. Production refuses them at start-up.

The defaults are read from the settings files' source rather than by importing them: those
modules take the environment's value first, so importing them would report the production
key itself as a "default".
"""

from __future__ import annotations

import ast
from pathlib import Path

# Every default in the repository says what it is for; a value starting like this is one of
# them, or was made by editing one, and is just as public.
REPOSITORY_PREFIXES = ("dev-only", "test-only", "bench-only")
SETTINGS_WITH_DEFAULTS = ("dev.py", "test.py", "bench.py")
KEY_NAMES = ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "AUDIT_LOG_KEY")
GENERATE_KEY = 'python -c "import secrets; print(secrets.token_urlsafe(50))"'


def _constant_string(node: ast.expr) -> str | None:
    """A string the expression always evaluates to ("a" + "x" * 40 included), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.Add):
            left, right = _constant_string(node.left), _constant_string(node.right)
            if left is not None and right is not None:
                return left + right
        if isinstance(node.op, ast.Mult):
            for text, count in ((node.left, node.right), (node.right, node.left)):
                value = _constant_string(text)
                if (
                    value is not None
                    and isinstance(count, ast.Constant)
                    and type(count.value) is int
                ):
                    return value * count.value
    return None


def _defaults_in(source: str, name: str) -> set[str]:
    """Values `name` is given in a settings file: `NAME = "..."` or `NAME = env("NAME", "...")`."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Assign) or not any(
            isinstance(target, ast.Name) and target.id == name for target in node.targets
        ):
            continue
        value = node.value
        if isinstance(value, ast.Call):
            candidates = [*value.args[1:], *(keyword.value for keyword in value.keywords)]
        else:
            candidates = [value]
        found.update(text for text in map(_constant_string, candidates) if text)
    return found


def repository_defaults(settings_dir: Path | None = None) -> set[str]:
    """Every default key in the repository's settings (one key's default is no better as
    another's)."""
    settings_dir = settings_dir or Path(__file__).resolve().parent
    defaults: set[str] = set()
    for filename in SETTINGS_WITH_DEFAULTS:
        path = settings_dir / filename
        if path.exists():
            source = path.read_text(encoding="utf-8")
            for name in KEY_NAMES:
                defaults |= _defaults_in(source, name)
    return defaults


def refusal(name: str, value: str | None) -> str | None:
    """Why `value` cannot be production's `name`, or None when it can."""
    how = f"Generate one with: {GENERATE_KEY}"
    if not value or not value.strip():
        return f"{name} must be set in the environment. {how}"
    if value.startswith(REPOSITORY_PREFIXES) or value in repository_defaults():
        return (
            f"{name} is a key published in this repository's development, test or benchmark "
            f"settings, so anyone could know it. Set a new secret value. {how}"
        )
    return None
