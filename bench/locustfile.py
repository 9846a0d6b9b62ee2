"""One page under load: bench/run.py starts `locust --headless` with this file once per page.

Everything comes from the environment, so this file imports nothing from the app:
  BENCH_PAGE_NAME, BENCH_PAGE_PATH  the page
  BENCH_EXPECT_STATUS               the only status that counts as success (default 200)
  BENCH_COOKIE_NAME, BENCH_SESSIONS session cookie name and comma-separated session keys
                                    (each virtual user takes the next one); empty: anonymous
  BENCH_SAMPLES_FILE                where to write every response time (ms, float) measured
                                    after all users are spawned, with the measuring window
                                    and the count of every request made

Virtual users wait for nothing between requests: a closed loop at a fixed concurrency.
Redirects are not followed, so a lost session (a 302 to sign-in) counts as a failure.
"""

from __future__ import annotations

import itertools
import json
import os
import time
from collections import Counter

from locust import constant, events, task
from locust.contrib.fasthttp import FastHttpUser

PAGE_NAME = os.environ["BENCH_PAGE_NAME"]
PAGE_PATH = os.environ["BENCH_PAGE_PATH"]
EXPECT = int(os.environ.get("BENCH_EXPECT_STATUS", "200"))
COOKIE_NAME = os.environ.get("BENCH_COOKIE_NAME", "hub_session")
SESSIONS = [key for key in os.environ.get("BENCH_SESSIONS", "").split(",") if key]
SAMPLES_FILE = os.environ["BENCH_SAMPLES_FILE"]

_user_numbers = itertools.count()
_measure = {"started": None, "stopped": None, "times": [], "statuses": Counter(), "errors": []}
_served = {"requests": 0}  # every request, ramp-up included (for server CPU per request)


@events.spawning_complete.add_listener
def _start_measuring(user_count, **kwargs):
    _measure.update(started=time.time(), times=[], statuses=Counter(), errors=[])


@events.request.add_listener
def _record(request_type, name, response_time, response, exception, **kwargs):
    _served["requests"] += 1
    if _measure["started"] is None or _measure["stopped"] is not None:
        return
    _measure["times"].append(response_time)
    status = getattr(response, "status_code", 0) or 0
    _measure["statuses"][str(status)] += 1
    if exception is not None and len(_measure["errors"]) < 5:
        error = f"{type(exception).__name__}: {exception}"[:300]
        if error not in _measure["errors"]:
            _measure["errors"].append(error)


@events.test_stop.add_listener
def _stop_measuring(**kwargs):
    if _measure["stopped"] is None:
        _measure["stopped"] = time.time()


@events.quitting.add_listener
def _write_samples(**kwargs):
    stopped = _measure["stopped"] or time.time()
    with open(SAMPLES_FILE, "w") as out:
        json.dump(
            {
                "page": PAGE_NAME,
                "seconds": stopped - (_measure["started"] or stopped),
                "times_ms": _measure["times"],
                "statuses": _measure["statuses"],
                "errors": _measure["errors"],
                "requests_total": _served["requests"],
            },
            out,
        )


class PageUser(FastHttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        self.headers = {"Accept": "text/html,application/json"}
        if SESSIONS:
            key = SESSIONS[next(_user_numbers) % len(SESSIONS)]
            self.headers["Cookie"] = f"{COOKIE_NAME}={key}"

    @task
    def page(self) -> None:
        with self.client.get(
            PAGE_PATH,
            name=PAGE_NAME,
            headers=self.headers,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != EXPECT:
                where = response.headers.get("Location", "") if response.headers else ""
                response.failure(f"status {response.status_code} {where}".strip())
