"""Pages anyone can see, before signing in."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

# (path, page title before " – Safeguarding Learning Hub", main heading)
PUBLIC_PAGES = [
    ("/", "Multi-agency learning and development", "Multi-agency learning and development"),
    (
        "/accessibility/",
        "Accessibility statement",
        "Accessibility statement for Safeguarding Learning Hub",
    ),
    ("/privacy/", "Privacy notice", "Privacy notice"),
    ("/cookies/", "Cookies", "Cookies"),
    ("/account/sign-in/", "Sign in", "Sign in"),
    ("/account/register/", "Register as a practitioner", "Register as a practitioner"),
]


@pytest.mark.e2e
def test_public_pages_are_accessible(page, check_a11y, hub):
    for path, title, heading in PUBLIC_PAGES:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        expect(page).to_have_title(f"{title} – Safeguarding Learning Hub")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        check_a11y(page)


@pytest.mark.e2e
def test_missing_page_is_an_accessible_404(page, check_a11y):
    response = page.goto("/no-such-page/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_role("link", name="Go to the home page")).to_be_visible()
    check_a11y(page)


@pytest.mark.e2e
def test_skip_link_moves_focus_to_main_content(page, check_a11y):
    page.goto("/")
    check_a11y(page)
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    box = skip_link.bounding_box()
    assert box and box["width"] > 1 and box["height"] > 1  # no longer visually hidden
    page.keyboard.press("Enter")
    expect(page.locator("main#main-content")).to_be_focused()
