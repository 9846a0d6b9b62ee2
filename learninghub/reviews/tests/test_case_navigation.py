"""Every page about one case shows its sections from the one record-navigation macro."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from learninghub.reviews.tests.factories import decided_case

SECTIONS = ["Overview", "Notification", "Rapid review", "Practice review"]
SECTIONS += ["Identifying details", "Documents"]


@pytest.mark.parametrize(
    ("url_name", "current"),
    [
        ("reviews:case_detail", "Overview"),
        ("reviews:notification", "Notification"),
        ("reviews:rapid_review", "Rapid review"),
        ("reviews:practice_review_start", "Practice review"),
        ("reviews:identifiers", "Identifying details"),
    ],
)
def test_each_case_page_marks_its_own_section(world, client_for, url_name, current):
    case = decided_case(world.partnership)
    response = client_for("business_unit").get(reverse(url_name, args=[case.pk]))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    nav = soup.find("nav", attrs={"aria-label": f"Case {case.reference}"})
    assert nav is not None
    assert [a.get_text(strip=True) for a in nav.find_all("a")] == SECTIONS
    marked = [a.get_text(strip=True) for a in nav.find_all("a", attrs={"aria-current": "page"})]
    assert marked == [current]
    # Drawn by components/navigation.jinja: it wraps on a phone, with no menu button to open.
    container = nav.find_parent(class_="govuk-service-navigation")
    assert "hub-sub-navigation" in container["class"]
    assert container.find("button") is None
