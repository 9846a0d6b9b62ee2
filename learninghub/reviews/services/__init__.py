"""Every write in the statutory case review process.

Each service is one transaction, writes its audit event, keeps the case's clocks in step,
and refuses what the guidance does not allow with a message a business unit can act on.

One module per stage of the process (cases, notification, rapid review, practice review,
learning, documents, slippage, reminders); every public name is re-exported here, so callers
keep writing `services.notification_record(...)`.
"""

from __future__ import annotations

from .cases import CASE_FIELDS, IDENTIFIER_FIELDS, case_open, case_update, identifiers_update
from .clocks import sync_clocks
from .documents import document_upload
from .learning import finding_add, recommendation_add
from .notification import NOTIFICATION_FIELDS, notification_record
from .practice_review import (
    PRACTICE_REVIEW_FIELDS,
    practice_review_hold,
    practice_review_not_publishing,
    practice_review_release_hold,
    practice_review_start,
    practice_review_update,
)
from .rapid_review import (
    INFORMATION_REQUEST_WORKING_DAYS,
    RAPID_REVIEW_FIELDS,
    information_request_create,
    information_request_return,
    rapid_review_update,
)
from .reminders import reminder_record
from .slippage import slippage_record

__all__ = [
    "CASE_FIELDS",
    "IDENTIFIER_FIELDS",
    "INFORMATION_REQUEST_WORKING_DAYS",
    "NOTIFICATION_FIELDS",
    "PRACTICE_REVIEW_FIELDS",
    "RAPID_REVIEW_FIELDS",
    "case_open",
    "case_update",
    "document_upload",
    "finding_add",
    "identifiers_update",
    "information_request_create",
    "information_request_return",
    "notification_record",
    "practice_review_hold",
    "practice_review_not_publishing",
    "practice_review_release_hold",
    "practice_review_start",
    "practice_review_update",
    "rapid_review_update",
    "recommendation_add",
    "reminder_record",
    "slippage_record",
    "sync_clocks",
]
