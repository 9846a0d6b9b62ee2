"""No page scrolls sideways on a small phone (320 px wide), for each person who may see it.

WCAG 2.2 1.4.10 (Reflow): content must fit 320 CSS pixels without scrolling in two
directions. Tables stack into one block per row below GOV.UK's tablet breakpoint, so their
status and action columns are not cut off. The pages are the page tour's own lists
(test_page_tour.py), so a page added to the tour is checked here too. Each list is visited as
every role, not only the one the tour signs in as: a page another role may see (the case
page for the case review group, the dashboard for everyone) is checked as that role, and a
page that role may not see shows the refusal page, which must fit as well.
"""

from __future__ import annotations

import pytest
import test_page_tour
from django.urls import reverse
from playwright.sync_api import Page, expect
from test_page_tour import (
    agency_lead_paths,
    business_unit_paths,
    public_paths,
    reviewer_paths,
    system_admin_paths,
)
from test_public_pages import PUBLIC_PAGES

from learninghub.core.permissions import Role
from learninghub.partnerships.tests.factories import UserFactory, confirmed_totp, member

pytestmark = pytest.mark.e2e

# The page tour's people, case and records, as a fixture here too.
tour = test_page_tour.tour

PHONE = {"width": 320, "height": 640}

# The page's width, and each element reaching past the right or left edge of the viewport
# (outermost only: an offender's children overflow with it), named so a failure says where.
MEASURE = """
() => {
  const limit = document.documentElement.clientWidth;
  const name = (el) => {
    let text = el.tagName.toLowerCase();
    if (el.id) text += "#" + el.id;
    if (el.classList.length) text += "." + [...el.classList].join(".");
    const words = (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 60);
    return words ? `${text} ("${words}")` : text;
  };
  // Visually hidden text (for screen readers) is clipped to a pixel: it widens nothing.
  const clipped = (node) => {
    for (let el = node.parentElement; el; el = el.parentElement) {
      const style = getComputedStyle(el);
      if (style.clipPath !== "none" || (style.clip && style.clip !== "auto")) return true;
    }
    return false;
  };
  const offenders = [];
  const over = new Set();
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.right > limit + 0.5 || box.left < -0.5) {
      over.add(el);
      if (!over.has(el.parentElement)) {
        offenders.push(`${name(el)}: ${Math.round(box.left)} to ${Math.round(box.right)} px`);
      }
    }
  }
  // Text overflowing its box (a long word, address or token) widens the page too.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim() || over.has(node.parentElement) || clipped(node)) continue;
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (box.width > 0 && (box.right > limit + 0.5 || box.left < -0.5)) {
      over.add(node.parentElement);
      const where = `${Math.round(box.left)} to ${Math.round(box.right)} px`;
      offenders.push(`text in ${name(node.parentElement)}: ${where}`);
    }
  }
  return { scrollWidth: document.documentElement.scrollWidth, limit, offenders };
}
"""


def too_wide(page: Page) -> list[str]:
    """What on the page as it is now reaches past a 320 px screen (nothing, if it fits)."""
    page.wait_for_load_state("load")
    found = page.evaluate(MEASURE)
    if found["scrollWidth"] <= PHONE["width"] and not found["offenders"]:
        return []
    path = page.url.split("/", 3)[-1]
    return [f"/{path} is {found['scrollWidth']} px wide:"] + [
        f"  {offender}" for offender in found["offenders"][:10]
    ]


def assert_fits(page: Page) -> None:
    problems = too_wide(page)
    assert not problems, "\n".join(problems)


def phone_page(new_page) -> Page:
    page = new_page()
    page.set_viewport_size(PHONE)
    return page


def sign_in_on_phone(page: Page, user, enter_password, totp_code, device=None) -> None:
    page.goto(reverse("accounts:login"))
    assert_fits(page)
    enter_password(page, user.email)
    if device is not None:
        expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
        assert_fits(page)
        page.get_by_label("Security code").fill(totp_code(device))
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    assert_fits(page)


def test_no_signed_in_page_scrolls_sideways_at_320_px(
    new_page, tour, hub, enter_password, totp_code, check_a11y
):
    case_review = member(hub.partnership, Role.CASE_REVIEW_GROUP, email="crg.tour@example.org")
    admin = UserFactory(email="admin.tour@example.org", is_superuser=True, is_staff=True)
    pages = {
        "business unit": business_unit_paths(tour, hub),
        "independent reviewer": reviewer_paths(tour),
        "agency lead": agency_lead_paths(tour),
        "system administrator": system_admin_paths(tour),
    }
    people = [
        ("business unit", tour["bu"], tour["bu_device"]),
        ("case review group", case_review, confirmed_totp(case_review)),
        ("agency lead", tour["lead"], None),
        ("independent reviewer", tour["reviewer"], tour["reviewer_device"]),
        ("practitioner", tour["practitioner"], None),
        ("system administrator", admin, confirmed_totp(admin)),
    ]
    every_path = list(dict.fromkeys(path for paths in pages.values() for path in paths))
    problems: list[str] = []  # every page at once, not only the first, to fix them together
    for role, user, device in people:
        page = phone_page(new_page)
        sign_in_on_phone(page, user, enter_password, totp_code, device)
        check_a11y(page)
        own = set(pages.get(role, []))
        for path in every_path:
            response = page.goto(path)
            assert response is not None, path
            if path in own:
                # The tour's own person: the page itself, accessible at this width too.
                assert response.status == 200, f"{role}: {path} answered {response.status}"
                check_a11y(page)
            problems += [f"As the {role}: {line}" for line in too_wide(page)]
    assert not problems, "Wider than a 320 px screen:\n" + "\n".join(problems)


def test_no_public_page_scrolls_sideways_at_320_px(new_page, hub, check_a11y):
    page = phone_page(new_page)
    for path in [path for path, _title, _heading in PUBLIC_PAGES] + public_paths():
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        check_a11y(page)
        assert_fits(page)
    response = page.goto("/no-such-page/")
    assert response is not None and response.status == 404
    assert_fits(page)


def test_the_api_documentation_fits_320_px(new_page, hub, check_a11y):
    # Swagger UI's own layout is wider than a phone: long schema names and the parameters
    # and responses tables. Closed, and with a GET and a POST endpoint opened as in the tour.
    page = phone_page(new_page)
    response = page.goto("/api/docs")
    assert response is not None and response.status == 200
    # Swagger UI draws the endpoints from the OpenAPI document after the page loads.
    expect(page.locator(".opblock").first).to_be_visible()
    check_a11y(page)
    assert_fits(page)
    page.locator(".opblock-get .opblock-summary-control").first.click()
    page.locator(".opblock-post .opblock-summary-control").first.click()
    expect(page.locator(".opblock-body")).to_have_count(2)
    check_a11y(page)
    assert_fits(page)
    page.get_by_role("button", name="Try it out").first.click()
    expect(page.get_by_role("button", name="Execute").first).to_be_visible()
    check_a11y(page)
    assert_fits(page)
