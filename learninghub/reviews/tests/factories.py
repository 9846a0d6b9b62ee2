"""Cases at each stage of the statutory process, built through the services."""

from __future__ import annotations

from datetime import date

from learninghub.core.audit.auditor import Auditor
from learninghub.reviews import services
from learninghub.reviews.models import Case

SYSTEM = Auditor.for_system("tests")


def open_case(
    partnership, *, reference: str = "TEST-2025-001", pseudonym: str = "Child A", agencies=()
) -> Case:
    return services.case_open(
        auditor=SYSTEM,
        partnership=partnership,
        reference=reference,
        children=[
            {"pseudonym": pseudonym, "age_band": "1_4", "sex": "female", "ethnicity": "not_known"}
        ],
        agencies=list(agencies),
    )


def notified_case(
    partnership, *, aware=date(2025, 12, 3), sent=date(2025, 12, 8), **kwargs
) -> Case:
    case = open_case(partnership, **kwargs)
    services.notification_record(
        auditor=SYSTEM,
        case=case,
        incident_date=aware,
        aware_date=aware,
        child_died=False,
        seriously_harmed=True,
        abuse_or_neglect_suspected=True,
        care_status="",
        sent_to_panel_on=sent,
        sent_to_ofsted_on=None,
        sent_to_secretary_of_state_on=None,
        panel_reference="",
    )
    return case


def decided_case(partnership, *, decision="local_review", **kwargs) -> Case:
    """Rapid review sent to the Panel with a decision to hold a practice review."""
    case = notified_case(partnership, **kwargs)
    services.rapid_review_update(
        auditor=SYSTEM,
        case=case,
        meeting_date=date(2025, 12, 18),
        partners_signed_off_on=date(2025, 12, 22),
        decision=decision,
        decision_reasons="Significant learning about multi-agency working",
        sent_to_panel_on=date(2025, 12, 23),
    )
    return case


def reviewed_case(partnership, *, reviewer=None, **kwargs) -> Case:
    """A local practice review under way, with an independent reviewer."""
    case = decided_case(partnership, **kwargs)
    review = services.practice_review_start(
        auditor=SYSTEM, case=case, kind="local", decision_date=date(2026, 1, 12)
    )
    if reviewer is not None:
        services.practice_review_update(
            auditor=SYSTEM, review=review, independent_reviewer=reviewer, methodology="silp"
        )
    return case
