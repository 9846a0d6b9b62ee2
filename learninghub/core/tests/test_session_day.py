"""HUB_TEST_TODAY moves the whole test session to another day, in every xdist worker, with the
clock ticking; `frozen_clock` stops it. `make test-calendar` relies on both to show that every
test passes on a weekend, a bank holiday and a month's last day."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[3]
CHOSEN = os.environ.get("HUB_TEST_TODAY", "")

only_on_a_chosen_day = pytest.mark.skipif(not CHOSEN, reason="HUB_TEST_TODAY is not set")


@only_on_a_chosen_day
def test_the_session_runs_on_the_chosen_day_in_london():
    chosen = date.fromisoformat(CHOSEN)
    assert timezone.localdate() == chosen
    assert date.today() == chosen
    assert timezone.localtime().hour >= 10


@only_on_a_chosen_day
def test_the_clock_still_ticks_on_the_chosen_day():
    before = timezone.now()
    time.sleep(0.01)
    assert timezone.now() > before


def test_a_frozen_clock_stands_still(frozen_clock):
    before = timezone.now()
    time.sleep(0.01)
    assert timezone.now() == before


def test_every_worker_travels_to_the_chosen_day():
    """Christmas Day 2026, a Friday bank holiday, whatever today really is."""
    # The inner run touches no database, and must not pass for an xdist worker of this run.
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("PYTEST_", "DATABASE_URL"))
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-n",
            "2",
            f"{__file__}::test_the_session_runs_on_the_chosen_day_in_london",
            f"{__file__}::test_the_clock_still_ticks_on_the_chosen_day",
        ],
        cwd=ROOT,
        env={**env, "HUB_TEST_TODAY": "2026-12-25"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
