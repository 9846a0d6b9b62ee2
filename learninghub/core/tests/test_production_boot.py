"""The production path, as a deployer runs it: collectstatic, migrate, gunicorn, the worker.

Everything runs in child processes with `learninghub.settings.production` and freshly
generated keys, against a temporary directory: static files collected by whitenoise's
manifest storage, a new SQLite database, gunicorn on a free loopback port. Pages are fetched
over real HTTP as the reverse proxy would send them (`X-Forwarded-Proto: https`), with the
Secure cookies carried by hand. Then the daily jobs queue the deadline reminders and the
database worker, in batch mode, sends one.

The database is always its own SQLite file, even when the suite runs on PostgreSQL
(DATABASE_URL): the test needs a database it can migrate from nothing and throw away, and
what it proves (settings, static files, WSGI, worker) does not depend on the engine.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

from learninghub.core.tests.html import field_value, soup

BASE_DIR = Path(__file__).resolve().parents[3]
PRACTITIONER = "practitioner@example.org"
PASSWORD = "correct-horse-battery-2026"  # the factories' TEST_PASSWORD
STEP_TIMEOUT = 120  # seconds for one command (collectstatic compresses every file)
HTTP_TIMEOUT = 20

# Run in the production settings (`manage.py shell -c`): the people and the case the pages
# and the worker need, made with the test factories.
SETUP = """
from django.utils import timezone
from learninghub.core import calendar
from learninghub.core.permissions import Role
from learninghub.partnerships.tests.factories import AgencyFactory, PartnershipFactory, member
from learninghub.reviews.tests.factories import notified_case

partnership = PartnershipFactory(name="Northdale Safeguarding Children Partnership")
agency = AgencyFactory(partnership=partnership, name="Northdale Police")
member(partnership, Role.PRACTITIONER, agency, email="practitioner@example.org",
       full_name="Pat Practitioner")
member(partnership, Role.BUSINESS_UNIT, email="bu@example.org")
# A notification due 2 working days from today, whatever day this runs: the reminder
# "due in 2 working days" goes out on the worker's first run.
today = timezone.localdate()
due = calendar.add_working_days(today, 2)
aware = calendar.subtract_working_days(due, 5)
assert calendar.due_date("notification", aware) == due
assert 1 <= calendar.working_days_between(today, due) <= calendar.DUE_SOON_WORKING_DAYS
notified_case(partnership, reference="BOOT-2026-001", aware=aware, sent=None)
print("ready")
"""

TASK_RESULTS = """
from django_tasks_db.models import DBTaskResult
for result in DBTaskResult.objects.order_by("enqueued_at"):
    print(result.task_path.rsplit(".", 1)[1], result.status, result.return_value)
"""


def production_env(tmp_path: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # Nothing from the suite's own configuration, nor anything gunicorn reads by itself.
        if key not in {"DATABASE_URL", "PORT", "GUNICORN_CMD_ARGS", "WEB_CONCURRENCY"}
        and not key.startswith(("DJANGO_", "SECRET_", "FIELD_ENCRYPTION", "AUDIT_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="learninghub.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        FIELD_ENCRYPTION_KEY=secrets.token_urlsafe(50),
        AUDIT_LOG_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        VAR_DIR=str(tmp_path / "var"),
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        AUDIT_ANCHOR_FILE=str(tmp_path / "audit-anchors.log"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        SITE_URL="https://127.0.0.1",
        LOG_LEVEL="WARNING",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
    )
    assert result.returncode == 0, (
        f"manage.py {args[0]} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    )
    return result.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """Just enough of one: HTTPS as the proxy reports it, cookies kept by hand (they are
    Secure, so a client that believes it is on plain HTTP would drop them), no redirects
    followed so each answer is seen."""

    def __init__(self, port: int):
        self.port = port
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, *, form: dict | None = None, https: bool = True
    ) -> tuple[int, dict[str, str], str]:
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if https:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # Django checks a secure POST's origin against the host (CSRF).
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=HTTP_TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            for value in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(value).items():
                    assert "secure" in value.lower(), f"{name} cookie is not Secure"
                    self.cookies[name] = morsel.value
            return response.status, dict(response.headers), content.decode("utf-8", "replace")
        finally:
            connection.close()

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path: str, form: dict):
        return self.request("POST", path, form=form)


def assert_govuk_page(html: str) -> None:
    assert '<html lang="en" class="govuk-template' in html
    assert "govuk-service-navigation" in html
    assert 'class="govuk-footer"' in html
    assert "Safeguarding Learning Hub" in html


@pytest.fixture
def deployment(tmp_path) -> Iterator[tuple[dict[str, str], Browser]]:
    """A deployment, served by gunicorn until the test ends, however it ends."""
    env = production_env(tmp_path)
    manage(env, "collectstatic", "--noinput", "-v", "0")
    manage(env, "migrate", "--noinput", "-v", "0")
    assert "ready" in manage(env, "shell", "-v", "0", "-c", SETUP)

    port = free_port()
    log = (tmp_path / "gunicorn.log").open("w+")
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "learninghub.wsgi"),
            *("--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "30"),
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        # Its own process group, so the workers go with it whatever happens.
        start_new_session=True,
    )
    browser = Browser(port)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, f"gunicorn exited:\n{log_text(log)}"
            try:
                if browser.get("/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, f"gunicorn did not answer:\n{log_text(log)}"
            time.sleep(0.2)
        browser.cookies.clear()
        yield env, browser
    finally:
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=10)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
        log.close()


def log_text(log) -> str:
    log.flush()
    log.seek(0)
    return log.read()[-4000:]


def test_a_production_deployment_serves_its_pages_and_runs_its_background_work(deployment):
    # One test, not two: collecting the static files is most of its time, and a fixture
    # shared by two tests would be built twice when the suite runs on two xdist workers.
    env, browser = deployment
    pages_are_served(browser)
    browser.cookies.clear()
    daily_jobs_and_worker_run(env, browser)


def pages_are_served(browser: Browser) -> None:
    status, headers, html = browser.get("/")
    assert status == 200
    assert_govuk_page(html)
    assert "max-age=63072000" in headers["Strict-Transport-Security"]

    # The layout's static files are the manifest's hashed, compressed copies, and served.
    page = soup(html)
    assets = [
        tag.get("href") or tag.get("src")
        for tag in page.find_all(["link", "script", "img"])
        if (tag.get("href") or tag.get("src") or "").startswith("/static/")
    ]
    assert any(re.search(r"/govuk-frontend\.min\.[0-9a-f]{12}\.css$", a) for a in assets), assets
    assert any(a.endswith(".ico") for a in assets), "the favicon link is in the page"
    for asset in assets:
        status, headers, _ = browser.get(asset)
        assert status == 200, asset
        assert "immutable" in headers.get("Cache-Control", ""), asset

    status, _, html = browser.get("/no-such-page/")
    assert status == 404
    assert_govuk_page(html)
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in html

    status, _, html = browser.get("/account/sign-in/")
    assert status == 200
    assert_govuk_page(html)
    token = field_value(html, "csrfmiddlewaretoken")
    assert token
    assert "hub_csrftoken" in browser.cookies

    status, headers, _ = browser.post(
        "/account/sign-in/",
        {"csrfmiddlewaretoken": token, "email": PRACTITIONER, "password": PASSWORD},
    )
    assert status == 302, "signed in"
    assert headers["Location"] == "/dashboard/"
    assert "hub_session" in browser.cookies

    status, _, html = browser.get("/dashboard/")
    assert status == 200
    assert_govuk_page(html)
    assert "Pat Practitioner" in html
    assert "Sign out" in html

    # Plain HTTP (the proxy did not say HTTPS) is sent to HTTPS, not served.
    status, headers, _ = browser.get("/", https=False)
    assert status == 301
    assert headers["Location"] == f"https://127.0.0.1:{browser.port}/"


def daily_jobs_and_worker_run(env: dict[str, str], browser: Browser) -> None:
    output = manage(env, "run_daily_jobs")
    assert "All 2 daily jobs succeeded" in output
    assert Path(env["AUDIT_ANCHOR_FILE"]).read_text().strip(), "the audit head was anchored"

    # A page that leaves its email to the worker.
    _, _, html = browser.get("/account/password-reset/")
    token = field_value(html, "csrfmiddlewaretoken")
    status, headers, _ = browser.post(
        "/account/password-reset/", {"csrfmiddlewaretoken": token, "email": PRACTITIONER}
    )
    assert status == 302
    assert headers["Location"] == "/account/password-reset/check-your-email/"

    manage(env, "db_worker", "--batch", "-v", "0")

    results = manage(env, "shell", "-v", "0", "-c", TASK_RESULTS).splitlines()
    # The reminders' first run queued the one reminder due (a notice, sent by the same batch),
    # then tomorrow's run; the password reset task queued its notice, which went too. Compared
    # in any order: tasks are stamped by separate processes, whose clocks need not agree.
    assert sorted(results) == sorted(
        [
            "send_deadline_reminders SUCCESSFUL 1",
            "send_password_reset SUCCESSFUL None",
            "send_notice SUCCESSFUL None",
            "send_deadline_reminders READY None",
            "send_notice SUCCESSFUL None",
        ]
    )
    assert "Audit log intact" in manage(env, "verify_audit_log", "--require-anchors")
