"""Every read of case review material, scoped to what the person may see.

A case the person may not see is never returned; its URL answers 404.

One module per part of the process (cases, rapid review, clocks, timeliness, documents, the
independent reviewer's and the agency lead's pages); every public name is re-exported here,
so callers keep writing `selectors.case_for(...)`.
"""

from __future__ import annotations

from .agency import recommendations_for_agency_lead
from .cases import (
    CaseOverview,
    active_agencies_by_ids,
    active_themes_by_keys,
    case_findings,
    case_for,
    case_get,
    case_history,
    case_list,
    case_list_with_next_deadline,
    case_overview,
    case_recommendations,
    case_slippages,
    cases_visible_to,
    identifiers_get,
)
from .clocks import (
    case_clocks,
    clock_status,
    clocks_for_reminders,
    needs_attention,
    suspended_clocks,
    today,
)
from .documents import case_documents, document_get, practice_review_documents, with_versions
from .rapid_review import (
    agencies_to_ask,
    case_information_request_list,
    case_information_requests,
    information_request_get,
)
from .reviewer import (
    independent_reviewer_choices,
    independent_reviewer_get,
    review_for_reviewer,
    reviewer_review_clocks,
    reviewer_review_list,
    reviews_for_reviewer,
)
from .scope import business_unit_partnerships, case_team_partnership_ids
from .timeliness import Share, timeliness

__all__ = [
    "CaseOverview",
    "Share",
    "active_agencies_by_ids",
    "active_themes_by_keys",
    "agencies_to_ask",
    "business_unit_partnerships",
    "case_clocks",
    "case_documents",
    "case_findings",
    "case_for",
    "case_get",
    "case_history",
    "case_information_request_list",
    "case_information_requests",
    "case_list",
    "case_list_with_next_deadline",
    "case_overview",
    "case_recommendations",
    "case_slippages",
    "case_team_partnership_ids",
    "cases_visible_to",
    "clock_status",
    "clocks_for_reminders",
    "document_get",
    "identifiers_get",
    "independent_reviewer_choices",
    "independent_reviewer_get",
    "information_request_get",
    "needs_attention",
    "practice_review_documents",
    "recommendations_for_agency_lead",
    "review_for_reviewer",
    "reviewer_review_clocks",
    "reviewer_review_list",
    "reviews_for_reviewer",
    "suspended_clocks",
    "timeliness",
    "today",
    "with_versions",
]
