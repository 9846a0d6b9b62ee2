"""Every write in the statutory case review process.

Each service is one transaction, writes its audit event, keeps the case's clocks in step,
and refuses what the guidance does not allow with a message a business unit can act on.

One module per stage of the process (cases, notification, rapid review, practice review,
learning, documents, slippage, reminders); every public name is re-exported here, so callers
keep writing `services.notification_record(...)`.
"""

from __future__ import annotations

from .cases import (
    CASE_FIELDS,
    CHILD_FIELDS,
    IDENTIFIER_FIELDS,
    MAX_CHILDREN,
    case_name,
    case_open,
    case_update,
    child_add,
    child_update,
    identifiers_update,
)
from .clocks import sync_clocks
from .corrections import case_recorded_in_error, case_reopen, review_kind_change
from .documents import document_upload, document_upload_checked
from .intake import (
    child_add_checked,
    child_change,
    children_errors,
    notification_open,
    notification_open_errors,
)
from .learning import finding_add, recommendation_add
from .meeting import MEETING_FIELDS, rapid_review_meeting_record
from .milestones import (
    STANDARD_MILESTONES,
    milestone_add,
    milestone_remove,
    milestone_update,
    partners_signed_off_on,
    publication_revise,
    standard_milestones_create,
)
from .notification import NOTIFICATION_FIELDS, notification_record
from .practice_review import (
    PRACTICE_REVIEW_FIELDS,
    practice_review_hold,
    practice_review_release_hold,
    practice_review_start,
    practice_review_update,
)
from .publication import (
    PUBLISHED_NOTICE,
    REPORT_STAGES,
    practice_review_not_publishing,
    published_until,
)
from .rapid_review import (
    INFORMATION_REQUEST_WORKING_DAYS,
    RAPID_REVIEW_FIELDS,
    information_request_return,
    rapid_review_update,
)
from .reminders import reminder_record
from .requests import (
    DEFAULT_DETAILS,
    REQUEST_MADE_NOTICE,
    REQUEST_WITHDRAWN_NOTICE,
    SUMMARY_RETURNED_NOTICE,
    agency_summary_upload,
    default_due_on,
    information_request_create,
    information_request_withdraw,
    information_requests_create,
)
from .reviewer_documents import (
    REVIEWER_STAGES,
    REVIEWER_UPLOAD_NOTICE,
    document_share_with_reviewer,
    reviewer_document_upload,
)
from .settings import (
    PATTERN_MAX,
    PLACEHOLDERS,
    REFERENCE_MAX,
    pattern_errors,
    review_settings_update,
)
from .slippage import slippage_record

__all__ = [
    "CASE_FIELDS",
    "CHILD_FIELDS",
    "DEFAULT_DETAILS",
    "IDENTIFIER_FIELDS",
    "INFORMATION_REQUEST_WORKING_DAYS",
    "MAX_CHILDREN",
    "MEETING_FIELDS",
    "NOTIFICATION_FIELDS",
    "PATTERN_MAX",
    "PLACEHOLDERS",
    "PRACTICE_REVIEW_FIELDS",
    "PUBLISHED_NOTICE",
    "RAPID_REVIEW_FIELDS",
    "REFERENCE_MAX",
    "REPORT_STAGES",
    "REQUEST_MADE_NOTICE",
    "REQUEST_WITHDRAWN_NOTICE",
    "REVIEWER_STAGES",
    "REVIEWER_UPLOAD_NOTICE",
    "STANDARD_MILESTONES",
    "SUMMARY_RETURNED_NOTICE",
    "agency_summary_upload",
    "case_name",
    "case_open",
    "case_recorded_in_error",
    "case_reopen",
    "case_update",
    "child_add",
    "child_add_checked",
    "child_change",
    "child_update",
    "children_errors",
    "default_due_on",
    "document_share_with_reviewer",
    "document_upload",
    "document_upload_checked",
    "finding_add",
    "identifiers_update",
    "information_request_create",
    "information_request_return",
    "information_request_withdraw",
    "information_requests_create",
    "milestone_add",
    "milestone_remove",
    "milestone_update",
    "notification_open",
    "notification_open_errors",
    "notification_record",
    "partners_signed_off_on",
    "pattern_errors",
    "practice_review_hold",
    "practice_review_not_publishing",
    "practice_review_release_hold",
    "practice_review_start",
    "practice_review_update",
    "publication_revise",
    "published_until",
    "rapid_review_meeting_record",
    "rapid_review_update",
    "recommendation_add",
    "reminder_record",
    "review_kind_change",
    "review_settings_update",
    "reviewer_document_upload",
    "slippage_record",
    "standard_milestones_create",
    "sync_clocks",
]
