"""What the case review endpoints accept and return.

Only what is listed here ever leaves the API: a case's identifying details (CaseIdentifiers)
have no schema, so no endpoint can return them. Dates go both ways as YYYY-MM-DD.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import (
    AfterValidator,
    BeforeValidator,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from learninghub.reviews import selectors as review_selectors
from learninghub.reviews.models import (
    AgeBand,
    Decision,
    Ethnicity,
    Methodology,
    PanelResponse,
    ReviewKind,
    Sex,
)
from learninghub.reviews.stages import CaseStage, stage_of

from .schemas import InputSchema, Text

# The same limits as the models and the pages' forms.
REFERENCE_MAX_LENGTH = 40
PSEUDONYM_MAX_LENGTH = 60
CDOP_REFERENCE_MAX_LENGTH = 60
PANEL_REFERENCE_MAX_LENGTH = 60
FINDING_MAX_LENGTH = 5000
# Reasons, notes and terms of reference: long prose, but not unbounded.
LONG_TEXT_MAX_LENGTH = 20_000
SEARCH_MAX_LENGTH = 100
# More than any partnership has; a cap keeps a request from naming millions.
MAX_LINKED = 200
# Largest primary key the databases hold; a bigger number can name nothing.
MAX_ID = 2**63 - 1

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DATE_FORMAT_MESSAGE = "Enter the date as YYYY-MM-DD, for example 2025-12-03"
DATE_INVALID_MESSAGE = "The date must be a real date"


def _iso_date(value):
    """YYYY-MM-DD only: no timestamps, no times, no week dates. The pages' year limit."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise PydanticCustomError("date_format", DATE_FORMAT_MESSAGE)
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("date_invalid", DATE_INVALID_MESSAGE) from None
    if parsed.year < 1900:
        raise PydanticCustomError("date_invalid", DATE_INVALID_MESSAGE)
    return parsed


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def _required(message: str):
    def check(value: str) -> str:
        if not value.strip():
            raise PydanticCustomError("blank", message)
        return value

    return AfterValidator(check)


def _bounded(max_length: int, *checks):
    """Text (no null characters) of at most `max_length` characters. The limit comes first,
    so its message says "characters", nullable or not."""
    return Annotated[str, StringConstraints(max_length=max_length), *Text.__metadata__, *checks]


LongText = _bounded(LONG_TEXT_MAX_LENGTH)
SearchText = _bounded(SEARCH_MAX_LENGTH)
Reference = _bounded(REFERENCE_MAX_LENGTH, _required("Enter the case reference"))
Pseudonym = _bounded(PSEUDONYM_MAX_LENGTH, _required("Enter a pseudonym for the child"))
CdopReference = _bounded(CDOP_REFERENCE_MAX_LENGTH)
PanelReference = _bounded(PANEL_REFERENCE_MAX_LENGTH)
# Blank text is the services' to refuse, with the pages' message.
FindingText = _bounded(FINDING_MAX_LENGTH)


RuleCode = Literal[
    "notification",
    "looked_after_death",
    "care_leaver_death",
    "rapid_review",
    "publication",
    "send_to_panel",
]
CareStatusCode = Literal["", "looked_after", "care_leaver"]
# The stages module's values, so the API's `stage` is always one a case can be at.
StageCode = Literal[tuple(CaseStage.values)]


# Reading --------------------------------------------------------------------------------


class AgencyRef(Schema):
    id: int
    name: str


class ThemeRef(Schema):
    id: int
    slug: str
    name: str


class PartnershipRef(Schema):
    id: int
    name: str
    short_name: str


class PersonRef(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.full_name or obj.email


class ClockOut(Schema):
    kind: str
    kind_label: str
    rule: str = Field(description="The statutory rule: the calculator's rule, or the request's")
    start_date: date
    due_date: date
    description: str = Field(description='The rule in words, e.g. "5 working days from ..."')
    status: Literal["on track", "due soon", "overdue", "met", "met late"]
    done_on: date | None
    suspended: bool = Field(description="On hold for parallel proceedings: the clock is paused")
    suspended_reason: str
    information_request_id: int | None

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_status(obj) -> str:
        return str(review_selectors.clock_status(obj))


class CaseSummaryOut(Schema):
    id: int
    partnership_id: int
    reference: str
    pseudonym: str
    cdop_reference: str
    opened_at: datetime
    stage: StageCode
    open_clocks: int = Field(description="Deadlines still running (not met, not on hold)")
    next_deadline: ClockOut | None = Field(description="The soonest open deadline, if any")

    @staticmethod
    def resolve_stage(obj) -> str:
        return stage_of(obj)

    @staticmethod
    def resolve_next_deadline(obj):
        # `case_list_with_next_deadline` fetched the open clocks, running ones soonest first.
        return obj.open_clock_list[0] if obj.open_clock_list else None


class ChildOut(Schema):
    id: int
    position: int
    pseudonym: str
    age_band: AgeBand
    age_band_label: str
    sex: Sex
    sex_label: str
    ethnicity: Ethnicity
    ethnicity_label: str

    @staticmethod
    def resolve_age_band_label(obj) -> str:
        return obj.get_age_band_display()

    @staticmethod
    def resolve_sex_label(obj) -> str:
        return obj.get_sex_display()

    @staticmethod
    def resolve_ethnicity_label(obj) -> str:
        return obj.get_ethnicity_display()


class NotificationOut(Schema):
    incident_date: date | None
    aware_date: date
    child_died: bool
    seriously_harmed: bool
    abuse_or_neglect_suspected: bool
    care_status: CareStatusCode = Field(
        description="looked_after or care_leaver when that child died; empty when neither"
    )
    sent_to_panel_on: date | None
    sent_to_ofsted_on: date | None
    sent_to_secretary_of_state_on: date | None
    panel_reference: str


class InformationRequestOut(Schema):
    id: int
    agency: AgencyRef
    requested_on: date
    due_on: date
    returned_on: date | None


class RapidReviewOut(Schema):
    meeting_date: date | None
    partners_signed_off_on: date | None
    decision: Decision | None
    decision_label: str | None
    decision_reasons: str
    sent_to_panel_on: date | None
    panel_response: PanelResponse | None
    panel_response_label: str | None
    panel_response_notes: str
    panel_response_on: date | None
    information_requests: list[InformationRequestOut]


class MilestoneOut(Schema):
    id: int
    kind: str
    title: str
    planned_on: date | None
    actual_on: date | None


class PracticeReviewOut(Schema):
    kind: ReviewKind
    kind_label: str
    decision_date: date
    independent_reviewer: PersonRef | None
    methodology: Methodology | None
    methodology_label: str | None
    terms_of_reference: str
    milestones: list[MilestoneOut] = Field(
        description="Terms of reference agreed, practitioner event, draft to partners, "
        "partners' sign-off, and the partnership's own, each with planned and actual dates"
    )
    planned_publication_on: date | None
    late_publication_reason: str
    sent_to_panel_on: date | None
    published_on: date | None
    publication_override_reason: str
    on_hold: bool
    hold_reason: str
    hold_started_on: date | None
    hold_panel_told_on: date | None
    hold_released_on: date | None
    not_publishing: bool
    not_publishing_reasons: str
    not_publishing_reasons_sent_on: date | None

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_milestones(obj) -> list:
        return list(obj.milestones.all())

    @staticmethod
    def resolve_methodology(obj) -> str | None:
        return obj.methodology or None

    @staticmethod
    def resolve_methodology_label(obj) -> str | None:
        return obj.get_methodology_display() if obj.methodology else None


class FindingOut(Schema):
    id: int
    text: str
    themes: list[ThemeRef]
    created_at: datetime


class RecommendationOut(Schema):
    id: int
    text: str
    to_partnership: bool
    agencies: list[AgencyRef]
    themes: list[ThemeRef]
    created_at: datetime


class CaseOut(Schema):
    id: int
    partnership: PartnershipRef
    reference: str
    pseudonym: str = Field(description="The name the case goes by")
    children: list[ChildOut]
    cdop_reference: str
    opened_at: datetime
    stage: StageCode
    agencies: list[AgencyRef]
    themes: list[ThemeRef]
    notification: NotificationOut | None
    rapid_review: RapidReviewOut | None
    practice_review: PracticeReviewOut | None
    findings: list[FindingOut]
    recommendations: list[RecommendationOut]
    clocks: list[ClockOut]


class CaseFilters(Schema):
    q: SearchText = Field("", description="Reference or pseudonym")
    stage: StageCode | None = None


class DeadlineQuery(Schema):
    rule: RuleCode
    start: IsoDate = Field(description="The date the deadline counts from, as YYYY-MM-DD")


class DeadlineOut(Schema):
    rule: RuleCode
    label: str
    start: date
    due_date: date
    description: str


# Writing --------------------------------------------------------------------------------


THEME_KEY_MESSAGE = "Give each theme as its id or its slug"


def _theme_key(value):
    """A theme's id (a whole number) or slug; one message for anything else."""
    if isinstance(value, bool):
        raise PydanticCustomError("theme_key", THEME_KEY_MESSAGE)
    if isinstance(value, int) and 1 <= value <= MAX_ID:
        return value
    if isinstance(value, str) and 0 < len(value) <= 100:
        return value
    raise PydanticCustomError("theme_key", THEME_KEY_MESSAGE)


ThemeKey = Annotated[
    int | str,
    PlainValidator(_theme_key),
    WithJsonSchema(
        {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "string", "maxLength": 100}]}
    ),
]
Themes = list[ThemeKey]


class ChildIn(InputSchema):
    pseudonym: Pseudonym = Field(description='Never the child\'s real name. For example "Child A"')
    age_band: AgeBand
    sex: Sex
    ethnicity: Ethnicity


class NotificationStartIn(InputSchema):
    """How the case begins: what the local authority became aware of, and when. The clocks
    start at once; the dates the notifications were sent follow (PUT the notification)."""

    aware_date: IsoDate = Field(description="The 5 working day clocks start here")
    incident_date: IsoDate | None = None
    child_died: bool = False
    seriously_harmed: bool = False
    abuse_or_neglect_suspected: bool = False
    care_status: CareStatusCode = ""


class CaseOpenIn(InputSchema):
    partnership_id: Id | None = Field(
        None, description="Needed only if you are in more than one partnership's business unit"
    )
    reference: Reference
    pseudonym: Pseudonym = Field(
        "", description="The name the case goes by; by default its children's pseudonyms"
    )
    children: list[ChildIn] = Field(
        min_length=1, max_length=4, description="The children the notification names (1 to 4)"
    )
    agency_ids: list[Id] = Field([], max_length=MAX_LINKED)
    themes: Themes = Field([], max_length=MAX_LINKED, description="Theme ids or slugs")
    cdop_reference: CdopReference = ""
    notification: NotificationStartIn | None = Field(
        None,
        description="Record the notification in the same call (one transaction), so the "
        "case's clocks start at once",
    )


class NotificationIn(InputSchema):
    """The whole notification: what is left out is recorded as not done (false or null)."""

    incident_date: IsoDate | None = None
    aware_date: IsoDate = Field(description="The 5 working day clock starts here")
    child_died: bool = False
    seriously_harmed: bool = False
    abuse_or_neglect_suspected: bool = False
    care_status: CareStatusCode = ""
    sent_to_panel_on: IsoDate | None = None
    sent_to_ofsted_on: IsoDate | None = None
    sent_to_secretary_of_state_on: IsoDate | None = None
    panel_reference: PanelReference = ""


class RapidReviewIn(InputSchema):
    """Send only what changes; `null` clears a date, a choice or a note."""

    meeting_date: IsoDate | None = None
    partners_signed_off_on: IsoDate | None = None
    decision: Decision | None = None
    decision_reasons: LongText | None = None
    sent_to_panel_on: IsoDate | None = None
    panel_response: PanelResponse | None = None
    panel_response_notes: LongText | None = None
    panel_response_on: IsoDate | None = None


class InformationRequestIn(InputSchema):
    agency_id: Id
    requested_on: IsoDate
    due_on: IsoDate | None = Field(None, description="Left out: day 10 after the notification")


class PracticeReviewStartIn(InputSchema):
    kind: ReviewKind
    decision_date: IsoDate = Field(description="The 6 month publication clock starts here")


class PracticeReviewIn(InputSchema):
    """Send only what changes; `null` clears a date, a choice or a note."""

    independent_reviewer_id: Id | None = Field(
        None, description="A person with the independent reviewer role in the partnership"
    )
    methodology: Methodology | None = None
    terms_of_reference: LongText | None = None
    planned_publication_on: IsoDate | None = None
    late_publication_reason: LongText | None = Field(
        None, description="Needed when the planned publication is more than 6 months away"
    )
    sent_to_panel_on: IsoDate | None = None
    published_on: IsoDate | None = None
    published_document_id: Id | None = Field(
        None,
        description="The case document (a final report) that was published: its current "
        "version is kept as the published report. Needed with `published_on`",
    )
    publication_override_reason: LongText | None = Field(
        None, description="Needed to publish less than 7 working days after sending to the Panel"
    )


class InformationRequestReturnIn(InputSchema):
    returned_on: IsoDate = Field(description="The day the agency's summary came back")


class PracticeReviewHoldIn(InputSchema):
    reason: LongText = Field(
        description="For example, the criminal trial the review waits for. Shown with the "
        "publication deadline"
    )
    started_on: IsoDate
    panel_told_on: IsoDate | None = None


class PracticeReviewNotPublishingIn(InputSchema):
    reasons: LongText
    reasons_sent_on: IsoDate | None = Field(
        None, description="When the reasons went to the Panel and the Secretary of State"
    )


ANONYMITY_OVERRIDE = Field(
    None,
    description="Text that may identify a child or family (a name, date of birth, address or "
    "school from the case's identifying details, or a full date, NHS number, postcode, phone "
    "number or email address) is refused with 422, naming it. To save it all the same, give "
    "the reason it does not identify them here: the reason is audited",
)


class FindingIn(InputSchema):
    text: FindingText
    themes: Themes = Field([], max_length=MAX_LINKED, description="Theme ids or slugs")
    anonymity_override_reason: LongText | None = ANONYMITY_OVERRIDE


class RecommendationIn(InputSchema):
    text: FindingText
    to_partnership: bool = Field(False, description="Addressed to the partnership as a whole")
    agency_ids: list[Id] = Field([], max_length=MAX_LINKED)
    themes: Themes = Field([], max_length=MAX_LINKED, description="Theme ids or slugs")
    anonymity_override_reason: LongText | None = ANONYMITY_OVERRIDE
