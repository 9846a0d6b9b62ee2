"""Demonstration data is discovered per app (issue 7, item 6).

Before: `partnerships`' seed command imported `reviews.demo`, so the foundation depended on
an app built on it. Now each app's `demo.py` offers `load()`, the core finds them in app
order, and no app imports one above it (the import-linter layers contract).
"""

from __future__ import annotations

import io

from django.core.management import call_command

from learninghub.core.demo import loaders


def test_each_app_s_demo_data_is_found_in_app_order():
    # Partnerships first: the cases are built on its partnership and accounts.
    assert [label for label, _ in loaders()] == ["partnerships", "reviews"]


def test_the_seed_command_prints_what_it_made_then_the_logins(db):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Demo case reviews created: 12"
    assert lines[2].startswith("Demo logins (fictional demonstration data). Password for all: ")
    assert any(line.startswith("Business unit") for line in lines)
    again = io.StringIO()
    call_command("seed_demo", stdout=again)
    assert again.getvalue().splitlines()[0] == "Demo case reviews created: 0"
