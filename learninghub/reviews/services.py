"""Every write in the statutory case review process.

Each service is one transaction, writes its audit event, keeps the case's clocks in step,
and refuses what the guidance does not allow with a message a business unit can act on.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from learninghub.core import calendar
from learninghub.core.audit.auditor import Auditor, snapshot
from learninghub.core.audit.models import AuditEvent
from learninghub.core.files import checks as file_checks
from learninghub.core.files.models import FileVersion
from learninghub.core.files.services import file_upload

from . import stages
from .clocks import clocks_for
from .models import (
    Case,
    CaseIdentifiers,
    Clock,
    Document,
    Finding,
    InformationRequest,
    Notification,
    PanelResponse,
    PracticeReview,
    RapidReview,
    Recommendation,
    Slippage,
    Stage,
)

# Agencies' summaries are typically due by day 10 of the rapid review's 15 working days.
INFORMATION_REQUEST_WORKING_DAYS = 10


def _fmt(d: date) -> str:
    return calendar.format_date(d)


def _not_future(errors: dict, field: str, value: date | None, label: str) -> None:
    if value and value > timezone.localdate():
        errors.setdefault(field, f"{label} must be today or in the past")


def _not_before(errors: dict, field: str, value: date | None, earlier: date | None, message: str):
    if value and earlier and value < earlier:
        errors.setdefault(field, message)


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


# Clocks ---------------------------------------------------------------------------------


def sync_clocks(case: Case) -> None:
    """Bring the stored clocks into line with the case's recorded dates."""
    case = (
        Case.objects.select_related("notification", "rapid_review", "practice_review")
        .prefetch_related("rapid_review__information_requests__agency")
        .get(pk=case.pk)
    )
    wanted = {(s.kind, s.information_request_id): s for s in clocks_for(case)}
    existing = {(c.kind, c.information_request_id): c for c in Clock.objects.filter(case=case)}
    for key, clock in existing.items():
        if key not in wanted:
            clock.delete()
    for key, spec in wanted.items():
        values = {
            "rule": spec.rule,
            "start_date": spec.start_date,
            "due_date": spec.due_date,
            "description": spec.description[:200],
            "done_on": spec.done_on,
            "suspended": spec.suspended,
            "suspended_reason": spec.suspended_reason,
        }
        clock = existing.get(key)
        if clock is None:
            Clock.objects.create(
                case=case,
                partnership_id=case.partnership_id,
                kind=spec.kind,
                information_request_id=spec.information_request_id,
                **values,
            )
        elif any(getattr(clock, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(clock, k, v)
            clock.save()


# Case -----------------------------------------------------------------------------------

CASE_FIELDS = ["reference", "pseudonym", "age_band", "sex", "ethnicity", "cdop_reference"]


@transaction.atomic
def case_open(
    *,
    auditor: Auditor,
    partnership,
    reference: str,
    pseudonym: str,
    age_band: str,
    sex: str,
    ethnicity: str,
    agencies: Iterable = (),
    themes: Iterable = (),
    cdop_reference: str = "",
) -> Case:
    reference = reference.strip().upper()
    if Case.objects.filter(partnership=partnership, reference__iexact=reference).exists():
        raise ValidationError(
            {"reference": f"A case with the reference {reference} already exists"}
        )
    agencies = list(agencies)
    if any(a.partnership_id != partnership.pk for a in agencies):
        raise ValidationError({"agencies": "Choose agencies in this partnership"})
    case = Case.objects.create(
        partnership=partnership,
        reference=reference,
        pseudonym=pseudonym.strip(),
        age_band=age_band,
        sex=sex,
        ethnicity=ethnicity,
        cdop_reference=cdop_reference.strip(),
    )
    case.agencies.set(agencies)
    case.themes.set(themes)
    auditor.created(
        case, action="reviews.case.open", summary=f"Opened case {reference}", fields=CASE_FIELDS
    )
    return case


@transaction.atomic
def case_update(
    *, auditor: Auditor, case: Case, agencies: Iterable, themes: Iterable, **fields
) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    before = snapshot(case, CASE_FIELDS)
    before["agencies"] = ", ".join(sorted(a.name for a in case.agencies.all()))
    before["themes"] = ", ".join(sorted(t.name for t in case.themes.all()))
    reference = fields.get("reference", case.reference).strip().upper()
    clash = Case.objects.filter(partnership_id=case.partnership_id, reference__iexact=reference)
    if clash.exclude(pk=case.pk).exists():
        raise ValidationError(
            {"reference": f"A case with the reference {reference} already exists"}
        )
    agencies = list(agencies)
    if any(a.partnership_id != case.partnership_id for a in agencies):
        raise ValidationError({"agencies": "Choose agencies in this partnership"})
    for name in CASE_FIELDS:
        if name in fields:
            setattr(
                case, name, fields[name].strip() if isinstance(fields[name], str) else fields[name]
            )
    case.reference = reference
    case.save()
    case.agencies.set(agencies)
    case.themes.set(themes)
    case.agencies_label = ", ".join(sorted(a.name for a in agencies))
    case.themes_label = ", ".join(sorted(t.name for t in themes))
    after_lists = {"agencies": case.agencies_label, "themes": case.themes_label}
    event_before = {k: before[k] for k in CASE_FIELDS}
    auditor.updated(
        case,
        action="reviews.case.update",
        summary=f"Changed case {case.reference}",
        before=event_before,
    )
    changed = {k: [before[k], v] for k, v in after_lists.items() if before[k] != v}
    if changed:
        auditor.record(
            AuditEvent.Kind.UPDATE,
            action="reviews.case.update_links",
            summary=f"Changed the agencies or themes of case {case.reference}",
            obj=case,
            changes=changed,
        )
    return case


IDENTIFIER_FIELDS = ["child_name", "family_names", "date_of_birth", "address", "school"]


@transaction.atomic
def identifiers_update(*, auditor: Auditor, case: Case, **values: str) -> CaseIdentifiers:
    identifiers, _ = CaseIdentifiers.objects.select_for_update().get_or_create(case=case)
    changed = [
        f for f in IDENTIFIER_FIELDS if f in values and getattr(identifiers, f) != values[f].strip()
    ]
    for name in IDENTIFIER_FIELDS:
        if name in values:
            setattr(identifiers, name, values[name].strip())
    identifiers.save()
    # Which details changed is recorded; their values never are.
    auditor.record(
        AuditEvent.Kind.UPDATE,
        action="reviews.identifiers.update",
        summary=f"Changed identifying details of case {case.reference}",
        obj=identifiers,
        changes={name: ["", ""] for name in changed},
        secret_fields=IDENTIFIER_FIELDS,
        partnership_id=case.partnership_id,
    )
    return identifiers


# Notification ---------------------------------------------------------------------------

NOTIFICATION_FIELDS = [
    "incident_date",
    "aware_date",
    "child_died",
    "seriously_harmed",
    "abuse_or_neglect_suspected",
    "looked_after_or_care_leaver",
    "sent_to_panel_on",
    "sent_to_ofsted_on",
    "sent_to_secretary_of_state_on",
    "panel_reference",
]


def _validate_notification(data: dict) -> None:
    errors: dict[str, str] = {}
    # A serious child safeguarding case needs both limbs (Children Act 2004 s16C).
    if not (data.get("child_died") or data.get("seriously_harmed")):
        errors["child_died"] = (
            "A notifiable incident is one where the child died or was seriously harmed. "
            "Select at least one"
        )
    if not data.get("abuse_or_neglect_suspected"):
        errors["abuse_or_neglect_suspected"] = (
            "A notifiable incident is one where abuse or neglect is known or suspected"
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
    if not data.get("looked_after_or_care_leaver"):
        for field in ("sent_to_ofsted_on", "sent_to_secretary_of_state_on"):
            if data.get(field):
                errors.setdefault(
                    field,
                    "Ofsted and the Secretary of State are notified only for looked-after "
                    "children and care leavers",
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


# Rapid review ---------------------------------------------------------------------------

RAPID_REVIEW_FIELDS = [
    "meeting_date",
    "partners_signed_off_on",
    "decision",
    "decision_reasons",
    "sent_to_panel_on",
    "panel_response",
    "panel_response_notes",
    "panel_response_on",
]


def _rapid_review_for(case: Case) -> RapidReview:
    stages.check(case, "rapid_review", notification=Notification.objects.filter(case=case).first())
    return RapidReview.objects.select_for_update().get_or_create(case=case)[0]


@transaction.atomic
def rapid_review_update(*, auditor: Auditor, case: Case, **data) -> RapidReview:
    """Record the rapid review's meeting, sign-off, decision, submission and the Panel's answer."""
    rapid_review = _rapid_review_for(case)
    notified = case.notification.sent_to_panel_on
    merged = {f: data.get(f, getattr(rapid_review, f)) for f in RAPID_REVIEW_FIELDS}
    errors: dict[str, str] = {}
    for field, label in [
        ("meeting_date", "The review meeting date"),
        ("partners_signed_off_on", "The partners' sign-off date"),
        ("sent_to_panel_on", "The date sent to the Panel"),
        ("panel_response_on", "The date of the Panel's response"),
    ]:
        _not_future(errors, field, merged[field], label)
        _not_before(
            errors,
            field,
            merged[field],
            notified,
            f"{label} must be on or after the notification on {_fmt(notified)}",
        )
    _not_before(
        errors,
        "partners_signed_off_on",
        merged["partners_signed_off_on"],
        merged["meeting_date"],
        "The partners sign off after the review meeting",
    )
    if merged["decision"] and not (merged["decision_reasons"] or "").strip():
        errors["decision_reasons"] = "Give the reasons for the decision"
    proposed = stages.proposed(rapid_review, merged)
    if merged["sent_to_panel_on"]:
        errors.update(stages.refusals(case, "send_rapid_review", rapid_review=proposed))
        _not_before(
            errors,
            "sent_to_panel_on",
            merged["sent_to_panel_on"],
            merged["partners_signed_off_on"],
            "The rapid review is sent after the partners sign it off",
        )
    if merged["panel_response"] or merged["panel_response_on"]:
        errors.update(stages.refusals(case, "panel_response", rapid_review=proposed))
    if merged["panel_response"] and not merged["panel_response_on"]:
        errors["panel_response_on"] = "Enter the date of the Panel's response"
    if merged["panel_response_on"] and not merged["panel_response"]:
        errors["panel_response"] = "Select the Panel's response"
    _not_before(
        errors,
        "panel_response_on",
        merged["panel_response_on"],
        merged["sent_to_panel_on"],
        "The Panel responds after the rapid review was sent",
    )
    if (
        merged["panel_response"] == PanelResponse.CHALLENGES
        and not (merged["panel_response_notes"] or "").strip()
    ):
        errors["panel_response_notes"] = "Note the Panel's challenge"
    _raise(errors)
    before = snapshot(rapid_review, RAPID_REVIEW_FIELDS)
    for field, value in merged.items():
        setattr(
            rapid_review,
            field,
            value if value is not None else (None if field.endswith(("_on", "_date")) else ""),
        )
    rapid_review.save()
    auditor.updated(
        rapid_review,
        action="reviews.rapid_review.update",
        summary=f"Changed the rapid review for {case.reference}",
        before=before,
    )
    sync_clocks(case)
    return rapid_review


@transaction.atomic
def information_request_create(
    *, auditor: Auditor, case: Case, agency, requested_on: date, due_on: date | None = None
) -> InformationRequest:
    rapid_review = _rapid_review_for(case)
    errors: dict[str, str] = {}
    if agency.partnership_id != case.partnership_id:
        errors["agency"] = "Choose an agency in this partnership"
    elif InformationRequest.objects.filter(rapid_review=rapid_review, agency=agency).exists():
        errors["agency"] = f"{agency.name} has already been asked for its summary"
    _not_future(errors, "requested_on", requested_on, "The request date")
    notified = case.notification.sent_to_panel_on
    _not_before(
        errors,
        "requested_on",
        requested_on,
        notified,
        f"The request date must be on or after the notification on {_fmt(notified)}",
    )
    if due_on is None:
        due_on = calendar.add_working_days(notified, INFORMATION_REQUEST_WORKING_DAYS)
    _not_before(
        errors, "due_on", due_on, requested_on, "The due date must be after the request date"
    )
    _raise(errors)
    request = InformationRequest.objects.create(
        rapid_review=rapid_review, agency=agency, requested_on=requested_on, due_on=due_on
    )
    auditor.created(
        request,
        action="reviews.information_request.create",
        summary=f"Asked {agency.name} for its summary on {case.reference}",
        fields=["agency", "requested_on", "due_on"],
    )
    sync_clocks(case)
    return request


@transaction.atomic
def information_request_return(
    *, auditor: Auditor, request: InformationRequest, returned_on: date, file=None
) -> InformationRequest:
    request = (
        InformationRequest.objects.select_for_update()
        .select_related("rapid_review__case", "agency")
        .get(pk=request.pk)
    )
    case = request.rapid_review.case
    errors: dict[str, str] = {}
    _not_future(errors, "returned_on", returned_on, "The date returned")
    _not_before(
        errors,
        "returned_on",
        returned_on,
        request.requested_on,
        "The summary cannot be returned before it was requested",
    )
    _raise(errors)
    before = snapshot(request, ["returned_on"])
    request.returned_on = returned_on
    request.save()
    if file is not None:
        document = Document.objects.filter(information_request=request).first()
        document_upload(
            auditor=auditor,
            case=case,
            stage=Stage.AGENCY_SUMMARY,
            title=f"Agency summary: {request.agency.name}",
            file=file,
            document=document,
            information_request=request,
        )
    auditor.updated(
        request,
        action="reviews.information_request.return",
        summary=f"Recorded the summary from {request.agency.name} on {case.reference}",
        before=before,
    )
    sync_clocks(case)
    return request


# Practice review ------------------------------------------------------------------------

PRACTICE_REVIEW_FIELDS = [
    "kind",
    "decision_date",
    "independent_reviewer",
    "methodology",
    "terms_of_reference",
    "terms_agreed_on",
    "practitioner_event_on",
    "draft_received_on",
    "partners_approved_on",
    "planned_publication_on",
    "sent_to_panel_on",
    "published_on",
    "publication_override_reason",
]


@transaction.atomic
def practice_review_start(
    *, auditor: Auditor, case: Case, kind: str, decision_date: date
) -> PracticeReview:
    rapid_review = RapidReview.objects.filter(case=case).first()
    errors = stages.refusals(
        case,
        "start_practice_review",
        rapid_review=rapid_review,
        practice_review=PracticeReview.objects.filter(case=case).first(),
    )
    _not_future(errors, "decision_date", decision_date, "The decision date")
    if rapid_review is not None and rapid_review.meeting_date:
        _not_before(
            errors,
            "decision_date",
            decision_date,
            rapid_review.meeting_date,
            "The decision cannot come before the rapid review meeting",
        )
    _raise(errors)
    review = PracticeReview.objects.create(case=case, kind=kind, decision_date=decision_date)
    auditor.created(
        review,
        action="reviews.practice_review.start",
        summary=f"Started the {review.get_kind_display().lower()} for {case.reference}",
        fields=["kind", "decision_date"],
    )
    sync_clocks(case)
    return review


def _validate_practice_review(review: PracticeReview, merged: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    decision = merged["decision_date"]
    labels = {
        "terms_agreed_on": "The date the terms of reference were agreed",
        "practitioner_event_on": "The practitioner event date",
        "draft_received_on": "The date the draft was received",
        "partners_approved_on": "The partners' approval date",
        "sent_to_panel_on": "The date sent to the Panel and the Secretary of State",
        "published_on": "The publication date",
    }
    _not_future(errors, "decision_date", decision, "The decision date")
    for field, label in labels.items():
        _not_future(errors, field, merged[field], label)
        _not_before(
            errors,
            field,
            merged[field],
            decision,
            f"{label} must be on or after the decision on {_fmt(decision)}",
        )
    _not_before(
        errors,
        "partners_approved_on",
        merged["partners_approved_on"],
        merged["draft_received_on"],
        "The partners approve the report after the draft is received",
    )
    planned = merged["planned_publication_on"]
    latest = calendar.due_date("publication", decision)
    if planned and planned > latest and not review.on_hold:
        errors["planned_publication_on"] = (
            f"The planned publication date must be no later than {_fmt(latest)}, "
            f"6 months from the decision on {_fmt(decision)}"
        )
    _not_before(
        errors,
        "planned_publication_on",
        planned,
        decision,
        "The planned publication date must be after the decision",
    )
    reviewer = merged["independent_reviewer"]
    if reviewer is not None and not reviewer.is_active:
        errors["independent_reviewer"] = "Choose an active independent reviewer"
    published = merged["published_on"]
    if published:
        errors.update(
            stages.refusals(review.case, "publish", practice_review=stages.proposed(review, merged))
        )
        sent = merged["sent_to_panel_on"]  # when it is missing, the guards refused above
        if sent and published < sent:
            errors["published_on"] = "Publication comes after sending the report to the Panel"
        elif (
            sent
            and calendar.add_working_days(sent, 7) > published
            and not (merged["publication_override_reason"] or "").strip()
        ):
            # The report goes to the Panel and the Secretary of State at least 7 working
            # days before publication; publishing sooner needs a recorded reason.
            errors["publication_override_reason"] = (
                "The report was sent to the Panel less than 7 working days before publication "
                f"(on {_fmt(sent)}; the earliest date is "
                f"{_fmt(calendar.add_working_days(sent, 7))}). "
                "Give the reason for publishing sooner"
            )
    return errors


@transaction.atomic
def practice_review_update(*, auditor: Auditor, review: PracticeReview, **data) -> PracticeReview:
    review = PracticeReview.objects.select_for_update().select_related("case").get(pk=review.pk)
    merged = {f: data.get(f, getattr(review, f)) for f in PRACTICE_REVIEW_FIELDS}
    if "publication_override_reason" in data:
        merged["publication_override_reason"] = (data["publication_override_reason"] or "").strip()
    _raise(_validate_practice_review(review, merged))
    before = snapshot(review, PRACTICE_REVIEW_FIELDS)
    for field, value in merged.items():
        if (
            value is None
            and not field.endswith(("_on", "_date"))
            and field != "independent_reviewer"
        ):
            value = ""
        setattr(review, field, value)
    review.save()
    auditor.updated(
        review,
        action="reviews.practice_review.update",
        summary=f"Changed the practice review for {review.case.reference}",
        before=before,
    )
    if (
        review.published_on
        and review.publication_override_reason
        and review.published_on < calendar.add_working_days(review.sent_to_panel_on, 7)
        and before["published_on"] != review.published_on
    ):
        auditor.record(
            AuditEvent.Kind.ACTION,
            action="reviews.practice_review.publication_override",
            summary=(
                f"Published {review.case.reference} less than 7 working days "
                "after sending to the Panel"
            ),
            obj=review,
            changes={"publication_override_reason": [None, review.publication_override_reason]},
        )
    sync_clocks(review.case)
    return review


@transaction.atomic
def practice_review_hold(
    *,
    auditor: Auditor,
    review: PracticeReview,
    reason: str,
    started_on: date,
    panel_told_on: date | None,
) -> PracticeReview:
    review = PracticeReview.objects.select_for_update().select_related("case").get(pk=review.pk)
    errors = stages.refusals(review.case, "hold", practice_review=review)
    if not reason.strip():
        errors["reason"] = (
            "Give the reason for the hold, for example the criminal trial it waits for"
        )
    _not_future(errors, "started_on", started_on, "The date the hold started")
    _not_before(
        errors,
        "started_on",
        started_on,
        review.decision_date,
        "The hold starts on or after the decision to review",
    )
    _not_future(errors, "panel_told_on", panel_told_on, "The date the Panel was told")
    _not_before(
        errors,
        "panel_told_on",
        panel_told_on,
        started_on,
        "The Panel is told on or after the hold starts",
    )
    _raise(errors)
    before = snapshot(review, ["on_hold", "hold_reason", "hold_started_on", "hold_panel_told_on"])
    review.on_hold = True
    review.hold_reason = reason.strip()
    review.hold_started_on = started_on
    review.hold_panel_told_on = panel_told_on
    review.save()
    auditor.updated(
        review,
        action="reviews.practice_review.hold",
        summary=f"Put the practice review for {review.case.reference} on hold",
        before=before,
    )
    sync_clocks(review.case)
    return review


@transaction.atomic
def practice_review_release_hold(*, auditor: Auditor, review: PracticeReview) -> PracticeReview:
    review = PracticeReview.objects.select_for_update().select_related("case").get(pk=review.pk)
    stages.check(review.case, "release_hold", practice_review=review)
    before = snapshot(review, ["on_hold"])
    review.on_hold = False
    review.save()
    auditor.updated(
        review,
        action="reviews.practice_review.release_hold",
        summary=f"Released the hold on {review.case.reference}",
        before=before,
    )
    sync_clocks(review.case)
    return review


@transaction.atomic
def practice_review_not_publishing(
    *, auditor: Auditor, review: PracticeReview, reasons: str, reasons_sent_on: date | None
) -> PracticeReview:
    """A partnership that decides not to publish sends its reasons to the Panel and the SoS."""
    review = PracticeReview.objects.select_for_update().select_related("case").get(pk=review.pk)
    errors = stages.refusals(review.case, "not_publishing", practice_review=review)
    if not reasons.strip():
        errors["reasons"] = "Give the reasons for not publishing"
    _not_future(errors, "reasons_sent_on", reasons_sent_on, "The date the reasons were sent")
    _not_before(
        errors,
        "reasons_sent_on",
        reasons_sent_on,
        review.decision_date,
        "The reasons are sent after the decision to review",
    )
    _raise(errors)
    before = snapshot(
        review, ["not_publishing", "not_publishing_reasons", "not_publishing_reasons_sent_on"]
    )
    review.not_publishing = True
    review.not_publishing_reasons = reasons.strip()
    review.not_publishing_reasons_sent_on = reasons_sent_on
    review.save()
    auditor.updated(
        review,
        action="reviews.practice_review.not_publishing",
        summary=f"Recorded the decision not to publish {review.case.reference}",
        before=before,
    )
    sync_clocks(review.case)
    return review


# Findings and recommendations -----------------------------------------------------------


@transaction.atomic
def finding_add(*, auditor: Auditor, case: Case, text: str, themes: Iterable = ()) -> Finding:
    if not text.strip():
        raise ValidationError({"text": "Enter the finding"})
    finding = Finding.objects.create(case=case, text=text.strip())
    finding.themes.set(themes)
    auditor.created(
        finding,
        action="reviews.finding.create",
        summary=f"Added a finding to {case.reference}",
        fields=["text"],
    )
    return finding


@transaction.atomic
def recommendation_add(
    *,
    auditor: Auditor,
    case: Case,
    text: str,
    to_partnership: bool,
    agencies: Iterable = (),
    themes: Iterable = (),
) -> Recommendation:
    agencies = list(agencies)
    errors: dict[str, str] = {}
    if not text.strip():
        errors["text"] = "Enter the recommendation"
    if not to_partnership and not agencies:
        errors["agencies"] = (
            "Choose the agencies the recommendation is addressed to, "
            "or address it to the partnership"
        )
    if any(a.partnership_id != case.partnership_id for a in agencies):
        errors["agencies"] = "Choose agencies in this partnership"
    _raise(errors)
    recommendation = Recommendation.objects.create(
        case=case, text=text.strip(), to_partnership=to_partnership
    )
    recommendation.agencies.set(agencies)
    recommendation.themes.set(themes)
    auditor.created(
        recommendation,
        action="reviews.recommendation.create",
        summary=f"Added a recommendation to {case.reference}",
        fields=["text", "to_partnership"],
    )
    return recommendation


# Documents ------------------------------------------------------------------------------


def upload_limit_label() -> str:
    """The upload size limit as people read it: "20MB" (or "500KB" where set lower)."""
    return file_checks.size_label(settings.MAX_UPLOAD_SIZE)


@transaction.atomic
def document_upload(
    *,
    auditor: Auditor,
    case: Case,
    stage: str,
    title: str,
    file,
    document: Document | None = None,
    information_request: InformationRequest | None = None,
) -> FileVersion:
    """Upload a document, or a new version of one, into the core file store (core/files).

    Restricted like all case material: sealed at rest, and every download audited.
    """
    if document is None and not title.strip():
        raise ValidationError({"title": "Enter a title for the document"})
    # The core opens the file for real (a PDF parser, the Word package's content types, the
    # OLE2 Word header) and refuses a renamed, damaged, fake or password-protected one; the
    # refusal rolls back the new Document with it (one transaction).
    if document is None:
        document = Document.objects.create(
            case=case,
            stage=stage,
            title=title.strip()[:200],
            information_request=information_request,
        )
    elif document.case_id != case.pk:
        raise ValidationError({"file": "That document belongs to another case"})
    return file_upload(
        auditor=auditor,
        owner=document,
        title=document.title,
        upload=file,
        restricted=True,
        file=document.stored_file,
    )


# Slippage -------------------------------------------------------------------------------


@transaction.atomic
def slippage_record(*, auditor: Auditor, case: Case, clock_kind: str, reason: str) -> Slippage:
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for the slippage"})
    if not Clock.objects.filter(case=case, kind=clock_kind).exists():
        raise ValidationError({"clock_kind": "Choose a deadline this case has"})
    slippage = Slippage.objects.create(
        case=case, clock_kind=clock_kind, reason=reason.strip(), recorded_by=auditor.actor
    )
    auditor.created(
        slippage,
        action="reviews.slippage.create",
        summary=f"Recorded slippage on {case.reference}",
        fields=["clock_kind", "reason"],
    )
    return slippage


# Reminders ------------------------------------------------------------------------------


@transaction.atomic
def reminder_record(*, auditor: Auditor, clock: Clock, kind: str):
    """Record that a deadline reminder went out, so it never goes out twice.

    Returns None when this reminder was already recorded for this due date.
    """
    from .models import ReminderSent

    if ReminderSent.objects.filter(clock=clock, due_date=clock.due_date, kind=kind).exists():
        return None
    reminder = ReminderSent.objects.create(clock=clock, due_date=clock.due_date, kind=kind)
    when = "due today" if kind == "due" else "due in 3 working days or fewer"
    auditor.record(
        AuditEvent.Kind.CREATE,
        action="reviews.reminder.sent",
        summary=(
            f"Sent a reminder: {clock.get_kind_display()} for {clock.case.reference} is {when} "
            f"({_fmt(clock.due_date)})"
        ),
        obj=reminder,
        changes={"kind": [None, kind], "due_date": [None, clock.due_date]},
        partnership_id=clock.partnership_id,
    )
    return reminder
