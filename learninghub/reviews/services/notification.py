"""The serious incident notification to the national Panel (5 working days)."""

from __future__ import annotations

from django.db import transaction

from learninghub.core.audit.auditor import Auditor, snapshot

from .. import stages
from ..models import CareStatus, Case, Notification, RapidReview
from ._checks import _not_before, _not_future, _raise
from .clocks import sync_clocks

NOTIFICATION_FIELDS = [
    "incident_date",
    "aware_date",
    "child_died",
    "seriously_harmed",
    "abuse_or_neglect_suspected",
    "care_status",
    "sent_to_panel_on",
    "sent_to_ofsted_on",
    "sent_to_secretary_of_state_on",
    "panel_reference",
]


def _validate_notification(data: dict) -> None:
    errors: dict[str, str] = {}
    proposed = Notification(
        child_died=bool(data.get("child_died")),
        seriously_harmed=bool(data.get("seriously_harmed")),
        abuse_or_neglect_suspected=bool(data.get("abuse_or_neglect_suspected")),
        care_status=data.get("care_status") or CareStatus.NEITHER,
    )
    # A serious child safeguarding case needs both limbs (Children Act 2004 s16C); the death
    # of a looked-after child or care leaver is notified whatever the cause.
    if not (proposed.is_serious_incident or proposed.needs_ofsted_and_secretary_of_state):
        if not (proposed.child_died or proposed.seriously_harmed):
            errors["child_died"] = (
                "A notifiable incident is one where the child died or was seriously harmed. "
                "Select at least one"
            )
        elif proposed.care_status and not proposed.child_died:
            errors["abuse_or_neglect_suspected"] = (
                "Serious harm is notified to the Panel when abuse or neglect is known or "
                "suspected. Select it, or record the child's death if they died"
            )
        else:
            errors["abuse_or_neglect_suspected"] = (
                "A notifiable incident is one where abuse or neglect is known or suspected, "
                "unless a looked-after child or a care leaver died: select which applies"
            )
    if data.get("sent_to_panel_on") and not proposed.is_serious_incident:
        errors.setdefault(
            "sent_to_panel_on",
            "The Panel is notified of serious incidents only (abuse or neglect known or "
            "suspected, and the child died or was seriously harmed)",
        )
    incident, aware = data.get("incident_date"), data.get("aware_date")
    _not_future(errors, "incident_date", incident, "The incident date")
    _not_future(errors, "aware_date", aware, "The date the local authority became aware")
    _not_before(
        errors,
        "aware_date",
        aware,
        incident,
        "The date of becoming aware must be the same as or after the incident date",
    )
    for field, label in [
        ("sent_to_panel_on", "The date sent to the Panel"),
        ("sent_to_ofsted_on", "The date sent to Ofsted"),
        ("sent_to_secretary_of_state_on", "The date sent to the Secretary of State"),
    ]:
        _not_future(errors, field, data.get(field), label)
        _not_before(
            errors,
            field,
            data.get(field),
            aware,
            f"{label} must be the same as or after the date of becoming aware",
        )
    if not proposed.needs_ofsted_and_secretary_of_state:
        for field in ("sent_to_ofsted_on", "sent_to_secretary_of_state_on"):
            if data.get(field):
                errors.setdefault(
                    field,
                    "Ofsted and the Secretary of State are notified of the deaths of "
                    "looked-after children and care leavers only",
                )
    _raise(errors)


@transaction.atomic
def notification_record(*, auditor: Auditor, case: Case, **data) -> Notification:
    """Record or correct the serious incident notification (due 5 working days after aware)."""
    _validate_notification(data)
    notification = Notification.objects.select_for_update().filter(case=case).first()
    if notification and notification.sent_to_panel_on and not data.get("sent_to_panel_on"):
        stages.check(
            case,
            "withdraw_notification",
            rapid_review=RapidReview.objects.filter(case=case).first(),
        )
    if notification is None:
        notification = Notification(case=case)
        before = None
    else:
        before = snapshot(notification, NOTIFICATION_FIELDS)
    for name in NOTIFICATION_FIELDS:
        if name in data:
            setattr(notification, name, data[name])
    notification.panel_reference = (data.get("panel_reference") or "").strip()
    notification.care_status = data.get("care_status") or CareStatus.NEITHER
    notification.save()
    if notification.sent_to_panel_on:
        RapidReview.objects.get_or_create(case=case)
    if before is None:
        auditor.created(
            notification,
            action="reviews.notification.create",
            summary=f"Recorded the notification for {case.reference}",
            fields=NOTIFICATION_FIELDS,
        )
    else:
        auditor.updated(
            notification,
            action="reviews.notification.update",
            summary=f"Changed the notification for {case.reference}",
            before=before,
        )
    sync_clocks(case)
    return notification
