"""Work out a statutory deadline from the command line.

Lets analysts and business managers check a date against the same rules the hub uses
(Working Together to Safeguard Children 2023, chapter 5) without opening the application,
and gives support staff a quick way to explain a date shown on screen.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from learninghub.core.calendar import RULES, describe, due_date, get_rule

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _parse_start(value: str) -> date:
    # Only the unambiguous YYYY-MM-DD form is accepted: a mistyped day/month order on a
    # statutory date is exactly the error this command exists to prevent.
    if _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise CommandError(f"Invalid start date {value!r}: expected a real date as YYYY-MM-DD.")


class Command(BaseCommand):
    help = (
        "Print the statutory due date for a rule, counted from a start date. "
        "The last line of output is the due date as YYYY-MM-DD."
    )
    # Pure date arithmetic: nothing here depends on the database or project checks.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("rule", help=f"One of: {', '.join(sorted(RULES))}.")
        parser.add_argument("start", help="Start date as YYYY-MM-DD.")

    def handle(self, *args: Any, **options: Any) -> None:
        rule_code: str = options["rule"]
        try:
            rule = get_rule(rule_code)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        start = _parse_start(options["start"])
        due = due_date(rule_code, start)
        self.stdout.write(f"{rule.label}: {describe(rule_code, start)}")
        self.stdout.write(due.isoformat())
