"""A partnership's existing case tracker, imported from a spreadsheet (core/spreadsheets).

One row per case, found by its reference. A new reference opens the case from its
notification (`services.notification_open`, so its clocks start at once), then records what
the row says of the notification, the rapid review and the practice review, each through its
service: every rule and every audit event applies, as if typed into the pages. A reference the
partnership already has is brought up to date where the row differs, and left alone where it
does not, so importing the same file twice changes nothing. An empty cell leaves what the hub
holds: an import never clears a date.

Anything a service refuses stops the whole import (the core's one transaction rolls back), with
every row's refusals listed, each naming the row's case reference and the column.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.urls import reverse

from learninghub.core import anonymity, spreadsheets
from learninghub.core.spreadsheets import ImportField, RowError

from . import services, stages
from .models import AgeBand, CareStatus, Case, Decision, Ethnicity, ReviewKind, Sex

IMPORTER_NAME = "case-tracker"


def _choice_with(choices, extra: dict[str, str]):
    """`choice_of(choices)`, also accepting the words trackers often use (`extra`)."""
    parse = spreadsheets.choice_of(choices)
    lookup = {k.casefold(): choices(v) for k, v in extra.items()}

    def parsed(text: str):
        found = lookup.get(text.strip().casefold())
        return found if found is not None else parse(text)

    return parsed


parse_care_status = _choice_with(
    CareStatus,
    {
        "no": CareStatus.NEITHER,
        "none": CareStatus.NEITHER,
        "looked after": CareStatus.LOOKED_AFTER,
        "lac": CareStatus.LOOKED_AFTER,
        "cla": CareStatus.LOOKED_AFTER,
        "child looked after": CareStatus.LOOKED_AFTER,
        "care leaver": CareStatus.CARE_LEAVER,
    },
)
parse_decision = _choice_with(
    Decision,
    {
        "none": Decision.NO_FURTHER_REVIEW,
        "nfa": Decision.NO_FURTHER_REVIEW,
        "no review": Decision.NO_FURTHER_REVIEW,
        "lcspr": Decision.LOCAL_REVIEW,
        "local review": Decision.LOCAL_REVIEW,
        "national review": Decision.NATIONAL_REFERRAL,
        "national referral": Decision.NATIONAL_REFERRAL,
    },
)
parse_review_kind = _choice_with(
    ReviewKind,
    {"lcspr": ReviewKind.LOCAL, "local": ReviewKind.LOCAL, "national": ReviewKind.NATIONAL},
)
parse_age_band = _choice_with(
    AgeBand, {"under 1 year": AgeBand.UNDER_1, "18 to 24": AgeBand.AGE_18_24}
)


def parse_pseudonym(text: str) -> str:
    """A pseudonym that identifies nobody: the anonymity check's patterns (full dates, NHS
    numbers, postcodes, phone numbers, email addresses) refuse it, as on the pages. There is
    no override here: correct the tracker, or open the case on the pages to give a reason."""
    value = spreadsheets.text_up_to(60)(text)
    matches = anonymity.find_identifying(value)
    if matches:
        raise ValueError(f"{anonymity.describe(matches[0])}. Give a pseudonym, like Child A")
    return value


_date = spreadsheets.parse_date
_bool = spreadsheets.parse_bool

FIELDS = [
    ImportField(
        "reference",
        "Case reference",
        required=True,
        parse=spreadsheets.text_up_to(40),
        aliases=("Reference", "Case ref", "Ref", "Case number", "Case ID"),
        hint="One row per case: the reference finds the case when you import again",
    ),
    ImportField(
        "pseudonym",
        "Child pseudonym",
        required=True,
        parse=parse_pseudonym,
        aliases=("Child", "Pseudonym", "Name", "Known as", "Child's pseudonym"),
    ),
    ImportField("age_band", "Age band", parse=parse_age_band, aliases=("Age", "Age group")),
    ImportField("sex", "Sex", parse=spreadsheets.choice_of(Sex), aliases=("Gender",)),
    ImportField(
        "ethnicity",
        "Ethnicity",
        parse=spreadsheets.choice_of(Ethnicity),
        aliases=("Ethnic group", "Ethnic origin"),
    ),
    ImportField(
        "aware_date",
        "Date aware",
        required=True,
        parse=_date,
        aliases=(
            "Date LA aware",
            "Aware date",
            "Date became aware",
            "Date local authority became aware",
            "LA aware",
        ),
    ),
    ImportField("incident_date", "Incident date", parse=_date, aliases=("Date of incident",)),
    ImportField("child_died", "Child died", parse=_bool, aliases=("Died", "Death")),
    ImportField(
        "seriously_harmed", "Seriously harmed", parse=_bool, aliases=("Serious harm", "Harmed")
    ),
    ImportField(
        "abuse_or_neglect_suspected",
        "Abuse or neglect suspected",
        parse=_bool,
        aliases=("Abuse or neglect", "Abuse or neglect known or suspected", "Abuse/neglect"),
    ),
    ImportField(
        "care_status",
        "Looked after or care leaver",
        parse=parse_care_status,
        aliases=("Care status", "Looked after", "Looked-after or care leaver", "LAC"),
    ),
    ImportField(
        "notified_on",
        "Date notified to Panel",
        parse=_date,
        aliases=(
            "Notified to Panel",
            "Date notified",
            "Notification sent",
            "Panel notification date",
            "Notification date",
        ),
    ),
    ImportField(
        "meeting_date",
        "Rapid review meeting date",
        parse=_date,
        aliases=("Rapid review meeting", "RR meeting", "RR meeting date"),
    ),
    ImportField(
        "partners_signed_off_on",
        "Partners' sign-off date",
        parse=_date,
        aliases=("Partners signed off", "Sign-off date", "Rapid review signed off"),
    ),
    ImportField(
        "rapid_review_sent_on",
        "Rapid review sent date",
        parse=_date,
        aliases=("Rapid review sent", "Rapid review sent to Panel", "RR sent", "RR sent date"),
    ),
    ImportField("decision", "Decision", parse=parse_decision, aliases=("Rapid review decision",)),
    ImportField(
        "decision_reasons",
        "Reasons for the decision",
        parse=spreadsheets.parse_text,
        aliases=("Decision reasons", "Reasons", "Rationale"),
    ),
    ImportField(
        "decision_date",
        "Decision date",
        parse=_date,
        aliases=("Practice review start", "Date of decision", "LCSPR start date", "Review start"),
    ),
    ImportField(
        "review_kind",
        "Practice review kind",
        parse=parse_review_kind,
        aliases=("Review type", "Type of review", "Practice review", "Kind of review"),
    ),
    ImportField(
        "planned_publication_on",
        "Planned publication date",
        parse=_date,
        aliases=("Planned publication", "Publication due", "Planned publication on"),
    ),
    ImportField(
        "late_publication_reason",
        "Reason for publishing after 6 months",
        parse=spreadsheets.parse_text,
        aliases=("Late publication reason", "Reason for delay"),
    ),
    ImportField(
        "review_sent_on",
        "Sent to Panel and SoS date",
        parse=_date,
        aliases=(
            "Sent to Panel and SoS",
            "Sent to Panel and Secretary of State",
            "Report sent to Panel",
            "Final report sent",
        ),
    ),
    ImportField(
        "published_on",
        "Published date",
        parse=_date,
        aliases=("Published", "Publication date", "Date published"),
    ),
]

# Service form fields → the import's fields, to name the column of a refusal.
_SERVICE_FIELDS = {
    "reference": "reference",
    "children": "pseudonym",
    "child_1_pseudonym": "pseudonym",
    "child_1_age_band": "age_band",
    "child_1_sex": "sex",
    "child_1_ethnicity": "ethnicity",
    "aware_date": "aware_date",
    "incident_date": "incident_date",
    "child_died": "child_died",
    "seriously_harmed": "seriously_harmed",
    "abuse_or_neglect_suspected": "abuse_or_neglect_suspected",
    "care_status": "care_status",
    "meeting_date": "meeting_date",
    "partners_signed_off_on": "partners_signed_off_on",
    "decision": "decision",
    "decision_reasons": "decision_reasons",
    "kind": "review_kind",
    "decision_date": "decision_date",
    "planned_publication_on": "planned_publication_on",
    "late_publication_reason": "late_publication_reason",
    "published_on": "published_on",
    "published_document": "published_on",
    "publication_override_reason": "published_on",
}
# Fields whose service name is shared by several stages: which import field, by stage.
_SENT = {
    "notification": "notified_on",
    "rapid_review": "rapid_review_sent_on",
    "practice_review": "review_sent_on",
}

NOTIFICATION_KEYS = (
    "aware_date",
    "incident_date",
    "child_died",
    "seriously_harmed",
    "abuse_or_neglect_suspected",
    "care_status",
)
CHILD_KEYS = ("pseudonym", "age_band", "sex", "ethnicity")
# Where a tracker does not say, "Not known" is the truth.
CHILD_DEFAULTS = {"sex": Sex.NOT_KNOWN, "ethnicity": Ethnicity.NOT_KNOWN}


class _RowRefused(Exception):
    def __init__(self, field: str, message: str):
        self.field, self.message = field, message
        super().__init__(message)


def _one(obj, name: str):
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:  # a missing one-to-one
        return None


class CaseTrackerImporter(spreadsheets.Importer):
    name = IMPORTER_NAME
    title = "Case tracker"
    permission = "reviews.import_cases"
    description = (
        "One row per case from your existing case tracker: the child's pseudonym and details, "
        "the notification, the rapid review and the practice review. Each row is recorded as "
        "if typed into the case's pages, so the same rules apply and the deadlines start. "
        "An empty cell leaves what the hub already holds."
    )
    fields = FIELDS
    key_fields = ("reference",)

    @property
    def done_url(self) -> str:  # type: ignore[override]
        return reverse("reviews:case_list")

    def key(self, row: dict):
        return row["reference"].strip().casefold()

    def apply(self, rows: list[dict], *, auditor, partnership) -> spreadsheets.ImportResult:
        existing = {
            case.reference.casefold(): case
            for case in Case.objects.filter(partnership=partnership)
            .select_related("notification", "rapid_review", "practice_review")
            .prefetch_related("children")
        }
        created = updated = unchanged = 0
        errors: list[RowError] = []
        for row in rows:
            case = existing.get(self.key(row))
            try:
                with transaction.atomic():
                    if case is None:
                        _open(row, auditor=auditor, partnership=partnership)
                        created += 1
                    elif _bring_up_to_date(case, row, auditor=auditor):
                        updated += 1
                    else:
                        unchanged += 1
            except _RowRefused as refused:
                errors.append(self._error(row, refused.field, refused.message))
            except ValidationError as error:
                errors.extend(self._errors(row, error))
        if errors:
            raise spreadsheets.ImportRefused(errors)
        return spreadsheets.ImportResult(created=created, updated=updated, unchanged=unchanged)

    # Refusals as the check page lists them --------------------------------------------------

    def _error(self, row: dict, field: str, message: str) -> RowError:
        label = self.field(field).label if field in {f.name for f in self.fields} else field
        number = getattr(row, "number", None)  # core spreadsheets.Row
        return RowError(number, label, f"Case {row['reference'].strip().upper()}: {message}")

    def _errors(self, row: dict, error: ValidationError) -> list[RowError]:
        stage = getattr(error, "import_stage", "")
        found = []
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                field = _SENT.get(stage) if name == "sent_to_panel_on" else None
                field = field or _SERVICE_FIELDS.get(name, "reference")
                found.extend(self._error(row, field, m) for m in messages)
        else:
            found.extend(self._error(row, "reference", m) for m in error.messages)
        return found


# Writing one row -------------------------------------------------------------------------


def _staged(stage: str, call, **kwargs):
    """Call a service; a refusal remembers which stage refused (to name its column)."""
    try:
        return call(**kwargs)
    except ValidationError as error:
        error.import_stage = stage
        raise


def _child_values(row: dict, current=None) -> dict:
    values = {}
    for key in CHILD_KEYS:
        value = row.get(key)
        if value is None:
            value = getattr(current, key) if current is not None else CHILD_DEFAULTS.get(key, "")
        values[key] = value
    return values


def _open(row: dict, *, auditor, partnership) -> Case:
    """Open the case from its notification, then record the rest of the row."""
    flags = {k: bool(row.get(k)) for k in ("child_died", "seriously_harmed")}
    case = _staged(
        "notification",
        services.notification_open,
        auditor=auditor,
        partnership=partnership,
        reference=row["reference"],
        aware_date=row["aware_date"],
        children=[_child_values(row)],
        abuse_or_neglect_suspected=bool(row.get("abuse_or_neglect_suspected")),
        care_status=row.get("care_status") or CareStatus.NEITHER,
        incident_date=row.get("incident_date"),
        **flags,
    )
    case = (
        Case.objects.select_related("notification", "rapid_review", "practice_review")
        .prefetch_related("children")
        .get(pk=case.pk)
    )
    _bring_up_to_date(case, row, auditor=auditor)
    return case


def _bring_up_to_date(case: Case, row: dict, *, auditor) -> bool:
    """Record what differs between the row and the case; whether anything did."""
    changed = _child(case, row, auditor=auditor)
    changed |= _notification(case, row, auditor=auditor)
    changed |= _rapid_review(case, row, auditor=auditor)
    changed |= _practice_review(case, row, auditor=auditor)
    return changed


def _differs(current, wanted: dict) -> dict:
    return {k: v for k, v in wanted.items() if v is not None and getattr(current, k, None) != v}


def _child(case: Case, row: dict, *, auditor) -> bool:
    children = sorted(case.children.all(), key=lambda c: c.position)
    child = children[0]
    wanted = {k: row.get(k) for k in CHILD_KEYS}
    wanted["pseudonym"] = (wanted["pseudonym"] or "").strip() or None
    changes = _differs(child, wanted)
    if not changes:
        return False
    old_name = child.pseudonym
    _staged("child", services.child_update, auditor=auditor, child=child, **changes)
    if len(children) == 1 and "pseudonym" in changes and case.pseudonym == old_name:
        # A case with one child goes by the child's pseudonym.
        _staged(
            "case",
            services.case_update,
            auditor=auditor,
            case=case,
            agencies=list(case.agencies.all()),
            themes=list(case.themes.all()),
            pseudonym=changes["pseudonym"],
        )
    return True


def _notification(case: Case, row: dict, *, auditor) -> bool:
    current = _one(case, "notification")
    wanted = {k: row.get(k) for k in NOTIFICATION_KEYS}
    wanted["sent_to_panel_on"] = row.get("notified_on")
    if current is not None and not _differs(current, wanted):
        return False
    data = {
        "sent_to_ofsted_on": getattr(current, "sent_to_ofsted_on", None),
        "sent_to_secretary_of_state_on": getattr(current, "sent_to_secretary_of_state_on", None),
        "panel_reference": getattr(current, "panel_reference", ""),
    }
    for key, value in wanted.items():
        data[key] = value if value is not None else getattr(current, key, None)
    for flag in ("child_died", "seriously_harmed", "abuse_or_neglect_suspected"):
        data[flag] = bool(data[flag])
    data["care_status"] = data["care_status"] or CareStatus.NEITHER
    _staged("notification", services.notification_record, auditor=auditor, case=case, **data)
    case.refresh_from_db()
    return True


_RAPID_REVIEW_KEYS = {
    "meeting_date": "meeting_date",
    "partners_signed_off_on": "partners_signed_off_on",
    "decision": "decision",
    "decision_reasons": "decision_reasons",
    "sent_to_panel_on": "rapid_review_sent_on",
}


def _rapid_review(case: Case, row: dict, *, auditor) -> bool:
    wanted = {field: row.get(key) for field, key in _RAPID_REVIEW_KEYS.items()}
    if all(v is None for v in wanted.values()):
        return False
    current = _one(case, "rapid_review")
    changes = (
        _differs(current, wanted)
        if current is not None
        else {k: v for k, v in wanted.items() if v is not None}
    )
    if not changes:
        return False
    _staged("rapid_review", services.rapid_review_update, auditor=auditor, case=case, **changes)
    case.refresh_from_db()
    return True


_PRACTICE_REVIEW_KEYS = {
    "decision_date": "decision_date",
    "planned_publication_on": "planned_publication_on",
    "late_publication_reason": "late_publication_reason",
    "sent_to_panel_on": "review_sent_on",
    "published_on": "published_on",
}


def _practice_review(case: Case, row: dict, *, auditor) -> bool:
    wanted = {field: row.get(key) for field, key in _PRACTICE_REVIEW_KEYS.items()}
    kind = row.get("review_kind")
    if kind is None and all(v is None for v in wanted.values()):
        return False
    review = _one(case, "practice_review")
    changed = False
    if review is None:
        if wanted["decision_date"] is None:
            raise _RowRefused(
                "decision_date", "Enter the decision date: the practice review starts then"
            )
        kind = kind or stages.review_kind_for(_one(case, "rapid_review"))
        review = _staged(
            "practice_review",
            services.practice_review_start,
            auditor=auditor,
            case=case,
            kind=kind,
            decision_date=wanted["decision_date"],
        )
        changed = True
    elif kind is not None and review.kind != kind:
        raise _RowRefused(
            "review_kind",
            "The type of review is changed on the case's practice review page, with the reason",
        )
    changes = _differs(review, wanted)
    if "published_on" in changes and review.published_report_id is None:
        raise _RowRefused(
            "published_on",
            "Publication is recorded on the case's practice review page, with the published "
            "report and the partners' sign-off. Leave this cell empty to import the rest",
        )
    if changes:
        _staged(
            "practice_review",
            services.practice_review_update,
            auditor=auditor,
            review=review,
            **changes,
        )
        changed = True
    return changed
