"""Browser journeys: real Chromium driven by Playwright against pytest-django's live server.

Every page a journey visits is checked with axe-core against WCAG 2.2 AA.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

# Playwright's sync API keeps an asyncio loop in this thread; Django would otherwise refuse
# ORM calls from the test body.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest
from django_otp.oath import totp
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from learninghub.partnerships.models import AgencyType
from learninghub.partnerships.tests.factories import (
    TEST_PASSWORD,
    AgencyFactory,
    PartnershipFactory,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
BROKEN_FONT_URLS = re.compile(r"^https?://[^/]+/assets/fonts/")
AXE_SOURCE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    },
    # Every rule still runs; axe just skips collating passes and inapplicable results.
    "resultTypes": ["violations"],
}
# Runs axe and drops one known false positive only: GOV.UK Frontend's conditional reveal puts
# aria-controls/aria-expanded on a radio or checkbox that controls a
# .govuk-radios__conditional / .govuk-checkboxes__conditional panel, which axe reports as
# aria-allowed-attr. Any other attribute, element or rule still fails.
RUN_AXE = """
async (options) => {
  const revealFalsePositive = (violation, node) => {
    if (violation.id !== "aria-allowed-attr" || node.target.length !== 1) return false;
    const input = document.querySelector(node.target[0]);
    if (!input || input.tagName !== "INPUT" || !["radio", "checkbox"].includes(input.type)) {
      return false;
    }
    const module = input.closest(
      '[data-module="govuk-radios"], [data-module="govuk-checkboxes"]'
    );
    const panelId = input.getAttribute("aria-controls");
    const panel = panelId && document.getElementById(panelId);
    if (!module || !panel || !module.contains(panel)) return false;
    if (!panel.matches(".govuk-radios__conditional, .govuk-checkboxes__conditional")) {
      return false;
    }
    const objected = [...node.any, ...node.all, ...node.none].flatMap((check) =>
      Array.isArray(check.data) ? check.data : []
    );
    return (
      objected.length > 0 &&
      objected.every((attr) => /^aria-(expanded|controls)(=|$)/.test(String(attr)))
    );
  };
  const results = await axe.run(document, options);
  return results.violations
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      helpUrl: violation.helpUrl,
      nodes: violation.nodes
        .filter((node) => !revealFalsePositive(violation, node))
        .map((node) => ({ target: node.target, html: node.html, summary: node.failureSummary })),
    }))
    .filter((violation) => violation.nodes.length > 0);
}
"""


def _format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            if node["summary"]:
                lines.append("      " + node["summary"].replace("\n", "\n      "))
    return "\n".join(lines)


@functools.cache
def _axe_source() -> str:
    return AXE_SOURCE.read_text(encoding="utf-8")


def assert_accessible(page: Page) -> None:
    """Run axe-core on the page as it is now and fail on any WCAG 2.2 A/AA violation."""
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # evaluate() runs through the DevTools protocol, so the site's CSP (which rightly
        # blocks inline scripts) does not stop the injection.
        page.evaluate(_axe_source())
    violations = page.evaluate(RUN_AXE, AXE_OPTIONS)
    assert not violations, _format_violations(page.url, violations)


def current_totp_code(device_or_key) -> str:
    """The code an authenticator app shows now, for a TOTPDevice or a raw key (bytes)."""
    key = device_or_key if isinstance(device_or_key, bytes) else device_or_key.bin_key
    return f"{totp(key):06d}"


# Browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}. The browser journeys need Debian's "
            "Chromium: apt-get install chromium fonts-liberation",
            pytrace=False,
        )
    if not AXE_SOURCE.exists():
        pytest.fail(f"axe-core is missing at {AXE_SOURCE}: run npm ci", pytrace=False)
    # Assertions retry until this timeout: generous, so a busy CI machine is not a failure.
    expect.set_options(timeout=10_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser: Browser, live_server) -> Iterator[Callable[[], Page]]:
    """Open a page in a fresh browser context (its own cookies), as a second person would."""
    contexts: list[BrowserContext] = []
    script_errors: list[str] = []  # uncaught exceptions, CSP refusals, missing static files

    def open_page() -> Page:
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, base_url=live_server.url
        )
        contexts.append(context)
        # The precompiled GOV.UK Frontend CSS asks for GDS Transport at /assets/fonts/, which
        # the service does not serve (a 404, so browsers fall back to Arial). Refusing those
        # requests renders the same page without four extra Django 404 responses per page view.
        context.route(BROKEN_FONT_URLS, lambda route: route.abort())
        page = context.new_page()
        page.on("pageerror", lambda error: script_errors.append(f"{page.url}: {error}"))
        page.on(
            "console",
            lambda message: (
                script_errors.append(f"{page.url}: {message.text}")
                if message.type == "error" and "Content Security Policy" in message.text
                else None
            ),
        )
        page.on(
            "response",
            lambda response: (
                script_errors.append(f"{page.url}: {response.status} for {response.url}")
                if "/static/" in response.url and response.status >= 400
                else None
            ),
        )
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not script_errors, "Errors in the browser:\n" + "\n".join(script_errors)


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


@pytest.fixture(name="check_a11y")
def check_a11y_fixture() -> Callable[[Page], None]:
    return assert_accessible


@pytest.fixture(name="totp_code")
def totp_code_fixture() -> Callable:
    return current_totp_code


@pytest.fixture(autouse=True)
def _links_in_emails_point_at_live_server(settings, live_server) -> None:
    # Emails carry absolute links built from SITE_URL; the locmem outbox is shared with the
    # live server thread, so a test can follow a link exactly as it was sent.
    settings.SITE_URL = live_server.url


# Data ------------------------------------------------------------------------------------


class Hub:
    """Two partnerships with an agency each: the minimum for registration and invitations."""

    def __init__(self) -> None:
        self.partnership = PartnershipFactory(
            name="Northdale Safeguarding Children Partnership", short_name="NDSCP"
        )
        self.other_partnership = PartnershipFactory(
            name="Eastmoor Safeguarding Children Partnership", short_name="EMSCP"
        )
        self.agency = AgencyFactory(
            partnership=self.partnership, name="Northdale Police", agency_type=AgencyType.POLICE
        )
        self.other_agency = AgencyFactory(
            partnership=self.other_partnership,
            name="Eastmoor Police",
            agency_type=AgencyType.POLICE,
        )


@pytest.fixture
def hub(transactional_db) -> Hub:
    return Hub()


# Shared steps ----------------------------------------------------------------------------


def send_password(page: Page, email: str, password: str = TEST_PASSWORD) -> None:
    """Fill in and send the sign-in form on the page that is open."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Continue").click()


@pytest.fixture
def enter_password() -> Callable[..., None]:
    return send_password


@pytest.fixture
def sign_in(check_a11y) -> Callable[..., None]:
    """Sign in from the sign-in page: password, then the current TOTP code if a device is given.

    Ends on the dashboard; checks the accessibility of every page on the way.
    """

    def run(page: Page, user, device=None, password: str = TEST_PASSWORD) -> None:
        page.goto("/account/sign-in/")
        check_a11y(page)
        send_password(page, user.email, password)
        if device is not None:
            expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
            check_a11y(page)
            page.get_by_label("Security code").fill(current_totp_code(device))
            page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
        check_a11y(page)

    return run


@pytest.fixture
def sign_out(check_a11y) -> Callable[[Page], None]:
    def run(page: Page) -> None:
        page.get_by_role("button", name="Sign out").click()
        expect(page).to_have_url(re.compile(r"^https?://[^/]+/$"))  # the home page
        expect(page.locator(".govuk-notification-banner")).to_contain_text("You have signed out")
        check_a11y(page)

    return run
