"""The permission matrix: every URL name × every role → what that person gets.

Each app lists its rows in `<app>/tests/permission_rows.py` as `ROWS`; the matrix test
collects them all and fails when a URL exists that no row covers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = (
    "anonymous",
    "practitioner",
    "agency_lead",
    "independent_reviewer",
    "case_review_group",
    "business_unit",
    "other_business_unit",
    "system_admin",
)
LOGIN = "login"  # a redirect to the sign-in page


def expect(default, **overrides) -> dict:
    unknown = set(overrides) - set(ROLES)
    if unknown:
        raise ValueError(f"Unknown roles in matrix row: {unknown}")
    return {role: overrides.get(role, default) for role in ROLES}


def signed_in(default, anonymous=LOGIN, **overrides) -> dict:
    """Expectations for a page that needs a signed-in person."""
    return expect(default, anonymous=anonymous, **overrides)


@dataclass(frozen=True)
class Row:
    url_name: str
    expected: dict
    kwargs: Callable = field(default=lambda world: {})
    method: str = "get"
    data: Callable | None = None
    note: str = ""

    @property
    def id(self) -> str:
        return f"{self.url_name}:{self.method}{'-' + self.note if self.note else ''}"
