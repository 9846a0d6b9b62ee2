"""The pages the benchmark loads, in the order it loads them.

Later issues append theirs:

    register_page(Page("learning: briefings", "/learning/", as_role=Role.PRACTITIONER))

`path` may name values from the run context (bench/data.py, `register_context`), e.g.
"/manage/agencies/{agency_id}/". `as_role` signs the virtual users in as that role's bench
account (two-factor verified where the role needs it); None means anonymous. A page marked
`optional` is skipped, with a note, while its URL does not resolve yet (a feature still being
built); once it resolves it must answer like any other page.
"""

from __future__ import annotations

from dataclasses import dataclass

from learninghub.core.permissions import Role

FLOOR = "floor"


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    as_role: str | None = None
    optional: bool = False
    status: int = 200

    @property
    def needs_auth(self) -> bool:
        return self.as_role is not None

    def url_path(self, context: dict) -> str:
        return self.path.format(**context)


PAGES: list[Page] = []


def register_page(page: Page) -> Page:
    if any(p.name == page.name for p in PAGES):
        raise ValueError(f"A bench page named {page.name!r} is already registered")
    PAGES.append(page)
    return page


# The floor: the same stack (gunicorn, every middleware) with no database work in the view.
register_page(Page(FLOOR, "/bench/floor"))
BU = Role.BUSINESS_UNIT
# The layout floor: the full signed-in layout (header, service navigation, footer) and no
# database work beyond the session and user. The bar for a rendered page.
LAYOUT_FLOOR = "layout floor"
register_page(Page(LAYOUT_FLOOR, "/bench/layout-floor", as_role=BU))
# Both floors run whatever `--pages` asks for: every ratio needs them.
FLOORS = (FLOOR, LAYOUT_FLOOR)
register_page(Page("healthz", "/healthz"))
register_page(Page("home", "/"))
register_page(Page("sign-in", "/account/sign-in/"))
register_page(Page("api: partnerships", "/api/partnerships?limit=50", optional=True))
register_page(Page("api: agencies", "/api/partnerships/{partnership_id}/agencies", optional=True))

register_page(Page("dashboard", "/dashboard/", as_role=BU))
register_page(Page("manage: agencies", "/manage/agencies/", as_role=BU))
register_page(Page("manage: people", "/manage/people/", as_role=BU))
register_page(Page("manage: people page 5", "/manage/people/?page=5", as_role=BU))
register_page(Page("manage: people search", "/manage/people/?q={people_search}", as_role=BU))
register_page(Page("manage: audit log", "/manage/audit/", as_role=BU))

# Case reviews (issue 3), over the 50 cases of the bench partnership (bench/data_reviews.py).
# The business unit is in its partnership's case team, so it sees every case page.
register_page(Page("reviews: needs attention", "/needs-attention/", as_role=BU, optional=True))
register_page(Page("reviews: cases", "/reviews/cases/", as_role=BU, optional=True))
register_page(Page("reviews: cases page 2", "/reviews/cases/?page=2", as_role=BU, optional=True))
register_page(
    Page("reviews: cases search", "/reviews/cases/?q={case_search}", as_role=BU, optional=True)
)
# The partnership's case with the most clocks, then documents (a published practice review
# with six agency summaries); every view of it adds an audit event, as in production.
register_page(Page("reviews: case", "/reviews/cases/{case_id}/", as_role=BU, optional=True))
register_page(
    Page("reviews: deadline calculator", "/reviews/deadline-calculator/", as_role=BU, optional=True)
)
# A rapid review notified on 19 December 2025: 15 working days across Christmas.
register_page(
    Page(
        "reviews: deadline worked out",
        "/reviews/deadline-calculator/?rule=rapid_review&start_day=19&start_month=12&start_year=2025",
        as_role=BU,
        optional=True,
    )
)
