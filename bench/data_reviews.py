"""Case reviews at national scale (issue 3): 3,000 fictional cases across the 150 partnerships.

About 20 cases a partnership, 50 in the bench accounts' partnership so its pages show real
volume. Every case is at a stage of the statutory process, with the dates a business unit
would have recorded by today:

- notification only: aware in the last 7 working days, not yet sent to the Panel;
- rapid review under way: notified 1 to 19 working days ago, 3 to 6 agencies asked for their
  summaries (most returned, some late), perhaps the meeting held;
- decided: the rapid review sent (some late, with slippage recorded) and, mostly, no further
  review; a few local reviews decided but not yet started;
- practice review: local or national, decided up to about 3 years ago; in progress, on hold
  for parallel proceedings, published (most older ones, some late) or not being published.

Findings and recommendations (with themes, recommendations addressed to the partnership or
to agencies) come with practice reviews and some rapid reviews; documents with every stage
(notification form, agency summaries, rapid review report, terms of reference, draft and
final reports, several with more than one version). No identifying details are made.
Pseudonyms are "Child 1234" and references "BS12SCP-2025-004": all fictional.

Every date obeys the services' own rules (nothing in the future, nothing out of order, at
least 7 working days between sending a report to the Panel and publishing it). The clocks
are not computed here: once the cases are written they are read back exactly as
`services.sync_clocks` reads a case and `clocks.clocks_for` gives the clocks to store, so
the stored deadlines are the ones the services would store. Each write the services would
audit gets its audit event, dated when it happened, by the partnership's business unit.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count
from django.utils import timezone
from django.utils.text import slugify

from bench.data import (
    BENCH_ACCOUNTS,
    BuildContext,
    bulk_create,
    register_builder,
    register_context,
    register_counts,
)
from learninghub.core import calendar
from learninghub.core.audit.models import AuditEvent
from learninghub.core.files.models import FileVersion, StoredFile
from learninghub.core.permissions import Role
from learninghub.core.taxonomy.models import STARTING_THEMES, Theme
from learninghub.partnerships.models import Agency, Membership, Partnership, User
from learninghub.reviews.clocks import clocks_for
from learninghub.reviews.models import (
    AgeBand,
    Case,
    Child,
    Clock,
    Decision,
    Document,
    Ethnicity,
    Finding,
    InformationRequest,
    Methodology,
    Milestone,
    MilestoneKind,
    Notification,
    PanelResponse,
    PracticeReview,
    RapidReview,
    Recommendation,
    ReviewKind,
    Sex,
    Slippage,
    Stage,
)
from learninghub.reviews.services import (
    CASE_FIELDS,
    INFORMATION_REQUEST_WORKING_DAYS,
    NOTIFICATION_FIELDS,
)

CASES = 3000
# The standard milestones and the name the plan gives each one's date.
MILESTONE_FIELDS = [
    (MilestoneKind.TERMS_AGREED, "terms_agreed_on"),
    (MilestoneKind.PRACTITIONER_EVENT, "practitioner_event_on"),
    (MilestoneKind.DRAFT_TO_PARTNERS, "draft_received_on"),
    (MilestoneKind.PARTNERS_SIGN_OFF, "partners_approved_on"),
]
# The bench accounts' partnership: two and a bit pages of the case list (25 a page).
BENCH_PARTNERSHIP_CASES = 50
# Share of cases at each stage. Skewed towards open work compared with a real year's
# intake, so that the "needs attention" dashboard has a working partnership's load.
STAGES = {"notification": 6, "rapid_review": 14, "decided": 40, "practice_review": 40}

LONDON = ZoneInfo("Europe/London")
# References are numbered once a partnership's cases are all planned (in order of opening):
# audit summaries name the case with this placeholder until then.
REF = "{ref}"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

AGE_BANDS = {
    AgeBand.UNBORN: 1,
    AgeBand.UNDER_1: 28,
    AgeBand.AGE_1_4: 16,
    AgeBand.AGE_5_9: 10,
    AgeBand.AGE_10_15: 24,
    AgeBand.AGE_16_17: 17,
    AgeBand.AGE_18_24: 4,
}
SEXES = {Sex.FEMALE: 46, Sex.MALE: 52, Sex.NOT_KNOWN: 2}
# Roughly the child population of England, with "not known" where it was not recorded.
ETHNICITIES = {
    Ethnicity.WHITE_BRITISH: 62,
    Ethnicity.WHITE_OTHER: 6,
    Ethnicity.WHITE_IRISH: 1,
    Ethnicity.WHITE_GYPSY: 1,
    Ethnicity.WHITE_ROMA: 1,
    Ethnicity.ASIAN_PAKISTANI: 5,
    Ethnicity.ASIAN_INDIAN: 3,
    Ethnicity.ASIAN_BANGLADESHI: 2,
    Ethnicity.ASIAN_CHINESE: 1,
    Ethnicity.ASIAN_OTHER: 2,
    Ethnicity.BLACK_AFRICAN: 4,
    Ethnicity.BLACK_CARIBBEAN: 1,
    Ethnicity.BLACK_OTHER: 1,
    Ethnicity.MIXED_WHITE_BLACK_CARIBBEAN: 2,
    Ethnicity.MIXED_WHITE_BLACK_AFRICAN: 1,
    Ethnicity.MIXED_WHITE_ASIAN: 1,
    Ethnicity.MIXED_OTHER: 2,
    Ethnicity.OTHER_ARAB: 1,
    Ethnicity.OTHER: 1,
    Ethnicity.NOT_KNOWN: 2,
}
METHODOLOGIES = {
    Methodology.SILP: 35,
    Methodology.LEARNING_TOGETHER: 15,
    Methodology.SYSTEMS: 25,
    Methodology.HYBRID: 20,
    Methodology.OTHER: 5,
}

DECISION_REASONS = {
    Decision.NO_FURTHER_REVIEW: (
        "Agencies responded in line with procedures; the learning identified is being taken "
        "forward through single-agency action and does not need a practice review."
    ),
    Decision.LOCAL_REVIEW: (
        "The rapid review identified significant learning about how agencies worked together "
        "that a local child safeguarding practice review should explore."
    ),
    Decision.NATIONAL_REFERRAL: (
        "The case raises issues of national importance that the Panel may wish to consider "
        "in a national review."
    ),
}
PANEL_CHALLENGE = (
    "The Panel asked the partnership to say more about the learning for the early help offer "
    "before it could agree that no further review was needed."
)
HOLD_REASONS = (
    "Awaiting the outcome of a criminal trial",
    "Awaiting the outcome of a criminal trial; the police asked that publication wait",
    "Awaiting the coroner's inquest",
    "Family court proceedings are ongoing",
)
NOT_PUBLISHING_REASONS = (
    "Publication would be likely to identify the child's siblings and harm their welfare. "
    "A summary of the learning will be shared with practitioners instead."
)
SLIPPAGE_REASONS = (
    "The partners' sign-off took longer than planned because an agency's summary came late.",
    "The review meeting moved because key partners could not attend.",
    "Further information was needed from an agency before the partners could sign off.",
)
TERMS_OF_REFERENCE = (
    "How well did agencies recognise and respond to the risks to the child?\n"
    "How was information shared between agencies, and was it acted on?\n"
    "Was the child's voice heard, and did it shape what agencies did?"
)
# (text, themes): fictional learning, nothing that could identify a child.
FINDINGS = (
    (
        "Several agencies recorded concerns about home conditions, but no one brought them "
        "together to see the pattern of neglect.",
        ("Neglect", "Information sharing"),
    ),
    (
        "Domestic abuse was known to the police but not shared with the health visitor.",
        ("Domestic abuse", "Information sharing"),
    ),
    (
        "Practitioners accepted explanations for injuries without professional curiosity.",
        ("Professional curiosity", "Bruising in non-mobile infants"),
    ),
    (
        "The father was not seen or assessed, although he was caring for the baby most days.",
        ("Think family", "Whole-family working"),
    ),
    (
        "The child's own account of how they felt was recorded but never acted on.",
        ("Voice of the child",),
    ),
    ("Concerns were not escalated when a referral was declined.", ("Escalation",)),
    (
        "Parental mental health and substance misuse were assessed separately from the "
        "children's needs.",
        ("Parental mental health", "Parental substance misuse"),
    ),
    (
        "The young person went missing from school repeatedly before anyone asked why.",
        ("Children not in school", "Risks outside the family"),
    ),
    (
        "Exploitation outside the home was treated as the young person's choice.",
        ("Child criminal exploitation", "Risks outside the family"),
    ),
    (
        "Support stopped at the move to adult services, with no named worker for months.",
        ("Transitions", "Children's mental health"),
    ),
    (
        "Safer sleep advice was given once and not revisited when circumstances changed.",
        ("Sudden unexpected death in infancy",),
    ),
    (
        "The family's culture and identity were not considered in the assessment.",
        ("Race, culture and identity",),
    ),
    (
        "Online contact from adults was known to the school but not shared.",
        ("Online harm", "Child sexual exploitation"),
    ),
    ("The child's disability masked signs of harm.", ("Disability",)),
    ("A young carer's needs were not recognised by adult services.", ("Young carers",)),
)
RECOMMENDATIONS = (
    (
        "should make sure concerns recorded by different teams are brought together in one "
        "chronology before a case is closed.",
        ("Information sharing", "Neglect"),
    ),
    (
        "should share domestic abuse notifications with health visitors the same day.",
        ("Domestic abuse", "Information sharing"),
    ),
    (
        "should give practitioners training on professional curiosity about injuries in babies.",
        ("Professional curiosity", "Bruising in non-mobile infants"),
    ),
    (
        "should see and assess every adult caring for a child, including fathers.",
        ("Think family", "Whole-family working"),
    ),
    ("should agree how declined referrals are escalated and recorded.", ("Escalation",)),
    ("should review how the child's voice is recorded and acted on.", ("Voice of the child",)),
    (
        "should make sure every young person moving to adult services has a named worker.",
        ("Transitions", "Children's mental health"),
    ),
    (
        "should refresh its safer sleep guidance and check it is revisited at every visit.",
        ("Sudden unexpected death in infancy",),
    ),
)


@dataclass
class _Event:
    """An audit event to add once every object has its primary key."""

    when: datetime
    kind: str
    action: str
    summary: str
    obj: Any
    changes: dict = field(default_factory=dict)


@dataclass
class _Doc:
    document: Document
    versions: list[tuple[datetime, User, str, int]]  # (uploaded at, by, original name, size)


@dataclass
class _CasePlan:
    case: Case
    children: list[Child]
    agency_ids: list[int]
    theme_ids: list[int]
    notification: Notification | None = None
    rapid_review: RapidReview | None = None
    requests: list[InformationRequest] = field(default_factory=list)
    review: PracticeReview | None = None
    milestones: list[Milestone] = field(default_factory=list)
    findings: list[tuple[Finding, list[int]]] = field(default_factory=list)
    recommendations: list[tuple[Recommendation, list[int], list[int]]] = field(default_factory=list)
    slippages: list[Slippage] = field(default_factory=list)
    documents: list[_Doc] = field(default_factory=list)
    events: list[_Event] = field(default_factory=list)


class _Planner:
    """Plans each case at its stage: every date consistent, nothing after today."""

    def __init__(self, ctx: BuildContext, themes: dict[str, Theme]):
        self.rng = ctx.rng
        self.now = ctx.now
        self.today = timezone.localdate(ctx.now)
        self.themes = themes

    # Dates ------------------------------------------------------------------------------

    def wd_ago(self, n: int) -> date:
        return calendar.subtract_working_days(self.today, n)

    @staticmethod
    def after(d: date, n: int) -> date:
        return calendar.add_working_days(d, n)

    @staticmethod
    def before(d: date, n: int) -> date:
        return calendar.subtract_working_days(d, n)

    def days_ago(self, n: int) -> date:
        """n calendar days ago, moved back to a working day."""
        d = self.today - timedelta(days=n)
        while not calendar.is_working_day(d):
            d -= timedelta(days=1)
        return d

    def at(self, d: date, slot: int = 0) -> datetime:
        """A time during the working day on `d` (later slots later), never after now."""
        when = datetime.combine(d, time(9 + min(slot, 8), self.rng.randrange(60)), tzinfo=LONDON)
        latest = self.now - timedelta(minutes=10 - min(slot, 9))
        return min(when, latest)

    def pick(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def theme_ids(self, names) -> list[int]:
        return [self.themes[n].pk for n in names if n in self.themes]

    # One case ---------------------------------------------------------------------------

    def plan(
        self,
        *,
        partnership: Partnership,
        pseudonym: str,
        stage: str,
        agencies: list[Agency],
        manager: User,
        reviewers: list[User],
        showcase: bool = False,
    ) -> _CasePlan:
        rng = self.rng
        self.partnership, self.manager, self.reviewers = partnership, manager, reviewers
        n_requests = 6 if showcase else rng.randint(3, 6)
        asked = rng.sample(agencies, n_requests)
        involved = asked + rng.sample([a for a in agencies if a not in asked], rng.randint(0, 3))
        theme_names = rng.sample(sorted(self.themes), rng.randint(1, 3))

        if showcase:
            stage = "practice_review"
        if stage == "notification":
            aware = self.wd_ago(rng.randint(0, 7))  # 6 or 7: the notification is overdue
            notified = None
        elif stage == "rapid_review":
            notified = self.wd_ago(rng.randint(1, 19))
            aware = self._aware_before(notified)
        elif stage == "decided":
            # Mostly no further review, long ago; a few local reviews not yet started.
            if rng.random() < 0.1:
                notified = self.wd_ago(rng.randint(20, 40))
            else:
                notified = self.days_ago(rng.randint(35, 1100))
            aware = self._aware_before(notified)
        else:
            decision = self.days_ago(rng.randint(300, 700) if showcase else rng.randint(10, 1000))
            notified = self.before(decision, rng.randint(18, 30))
            aware = self._aware_before(notified)

        case = Case(
            partnership=partnership,
            reference="",  # numbered later
            pseudonym=pseudonym,
            opened_at=self.at(aware, 0),
        )
        child = Child(
            case=case,
            position=1,
            pseudonym=pseudonym,
            age_band=self.pick(AGE_BANDS),
            sex=self.pick(SEXES),
            ethnicity=self.pick(ETHNICITIES),
        )
        plan = _CasePlan(
            case,
            [child],
            agency_ids=[a.pk for a in involved],
            theme_ids=self.theme_ids(theme_names),
        )
        plan.events.append(
            _Event(
                case.opened_at,
                AuditEvent.Kind.CREATE,
                "reviews.case.open",
                f"Opened case {REF}",
                case,  # its changes are the case's fields, once it has its reference
            )
        )
        self._notification(plan, aware, notified)
        if notified is None:
            return plan
        plan.rapid_review = RapidReview(case=case)
        self._requests(plan, notified, asked, finished=stage != "rapid_review")
        if stage == "rapid_review":
            self._rapid_review_under_way(plan, notified)
        elif stage == "decided":
            recent = notified >= self.wd_ago(40)
            decided = Decision.LOCAL_REVIEW if recent else Decision.NO_FURTHER_REVIEW
            self._rapid_review_done(plan, notified, decided, until=None)
            if decided == Decision.NO_FURTHER_REVIEW and rng.random() < 0.4:
                self._findings(plan, plan.rapid_review.sent_to_panel_on, rng.randint(1, 2))
        else:
            national = not showcase and rng.random() < 0.08
            decided = Decision.NATIONAL_REFERRAL if national else Decision.LOCAL_REVIEW
            self._rapid_review_done(plan, notified, decided, until=decision)
            self._practice_review(plan, decision, national, showcase)
        return plan

    # Stages -----------------------------------------------------------------------------

    def _aware_before(self, notified: date) -> date:
        # Most notifications go within the 5 working days; about one in eight is late.
        late = self.rng.random() < 0.12
        return self.before(notified, self.rng.randint(6, 8) if late else self.rng.randint(1, 5))

    def _event(self, plan, when, kind, action, summary, obj, changes=None) -> None:
        plan.events.append(_Event(when, kind, action, summary, obj, changes or {}))

    def _document(self, plan, stage, title, first: date, *, versions=1, request=None, by=None):
        """A document uploaded on `first`; later versions a few working days apart."""
        rng = self.rng
        document = Document(
            case=plan.case,
            stage=stage,
            title=title,
            information_request=request,
            created_at=self.at(first, 5),
        )
        uploads, on = [], first
        for number in range(1, versions + 1):
            if on > self.today:
                break
            extension, size = (".pdf", rng.randint(90_000, 2_500_000))
            if stage in (Stage.PRACTICE_REVIEW, Stage.RAPID_REVIEW) and number < versions:
                extension, size = (".docx", rng.randint(40_000, 400_000))
            name = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
            uploads.append(
                (self.at(on, 5), by or self.manager, f"{name}-v{number}{extension}", size)
            )
            on = self.after(on, rng.randint(2, 8))
        if uploads:
            plan.documents.append(_Doc(document, uploads))

    def _notification(self, plan: _CasePlan, aware: date, notified: date | None) -> None:
        rng = self.rng
        died = rng.random() < 0.45
        looked_after = rng.random() < 0.08
        notification = Notification(
            case=plan.case,
            incident_date=aware - timedelta(days=rng.choice((0, 0, 0, 1, 2, 3, 6))),
            aware_date=aware,
            child_died=died,
            seriously_harmed=not died or rng.random() < 0.1,
            abuse_or_neglect_suspected=True,
            care_status="looked_after" if looked_after and died else "",
            sent_to_panel_on=notified,
            sent_to_ofsted_on=notified if looked_after and died else None,
            sent_to_secretary_of_state_on=notified if looked_after and died else None,
            panel_reference=f"CSPRP-BENCH-{rng.randrange(10**6):06d}" if notified else "",
        )
        plan.notification = notification
        if died and rng.random() < 0.5:
            plan.case.cdop_reference = f"CDOP-BENCH-{rng.randrange(10**5):05d}"
        # Recorded when sent (or, not yet sent, the day after becoming aware).
        recorded = notified or min(self.after(aware, 1), self.today)
        self._event(
            plan,
            self.at(recorded, 1),
            AuditEvent.Kind.CREATE,
            "reviews.notification.create",
            f"Recorded the notification for {REF}",
            notification,
            {f: [None, getattr(notification, f)] for f in NOTIFICATION_FIELDS},
        )
        if notified:
            self._document(plan, Stage.NOTIFICATION, "Serious incident notification", notified)

    def _requests(self, plan, notified: date, agencies, *, finished: bool) -> None:
        """Each agency asked for its summary, due by day 10 (the services' default)."""
        rng = self.rng
        for agency in agencies:
            requested = min(self.after(notified, rng.choice((0, 1, 1, 2))), self.today)
            due = self.after(notified, INFORMATION_REQUEST_WORKING_DAYS)
            if rng.random() < 0.1:
                due = self.after(due, 3)  # given longer
            returned = None
            p_return = 0.98 if finished else (0.85 if due < self.today else 0.35)
            earliest = self.after(requested, 2)
            latest = min(self.today, self.after(due, 5))
            if rng.random() < p_return and earliest <= latest:
                offset = rng.choice((-4, -3, -2, -1, -1, 0, 0, 1, 2, 4))
                returned = min(max(self._shift(due, offset), earliest), latest)
            request = InformationRequest(
                rapid_review=plan.rapid_review,
                agency=agency,
                requested_on=requested,
                due_on=due,
                returned_on=returned,
            )
            plan.requests.append(request)
            self._event(
                plan,
                self.at(requested, 2),
                AuditEvent.Kind.CREATE,
                "reviews.information_request.create",
                f"Asked {agency.name} for its summary on {REF}",
                request,
                {
                    "agency": [None, agency.name],
                    "requested_on": [None, requested],
                    "due_on": [None, due],
                },
            )
            if returned:
                self._document(
                    plan,
                    Stage.AGENCY_SUMMARY,
                    f"Agency summary: {agency.name}",
                    returned,
                    versions=2 if rng.random() < 0.25 else 1,
                    request=request,
                )
                self._event(
                    plan,
                    self.at(returned, 6),
                    AuditEvent.Kind.UPDATE,
                    "reviews.information_request.return",
                    f"Recorded the summary from {agency.name} on {REF}",
                    request,
                    {"returned_on": [None, returned]},
                )

    def _shift(self, d: date, n: int) -> date:
        return self.after(d, n) if n >= 0 else self.before(d, -n)

    def _rapid_review_under_way(self, plan: _CasePlan, notified: date) -> None:
        elapsed = calendar.working_days_between(notified, self.today)
        if elapsed >= 9 and self.rng.random() < 0.6:
            rapid_review = plan.rapid_review
            rapid_review.meeting_date = self.after(notified, self.rng.randint(8, min(12, elapsed)))
            self._event(
                plan,
                self.at(rapid_review.meeting_date, 7),
                AuditEvent.Kind.UPDATE,
                "reviews.rapid_review.update",
                f"Changed the rapid review for {REF}",
                rapid_review,
                {"meeting_date": [None, rapid_review.meeting_date]},
            )

    def _rapid_review_done(self, plan, notified: date, decision: str, until: date | None):
        """Met, signed off and sent (due 15 working days after the notification)."""
        rng = self.rng
        rapid_review = plan.rapid_review
        rapid_review.meeting_date = self.after(notified, rng.randint(7, 11))
        rapid_review.partners_signed_off_on = self.after(
            rapid_review.meeting_date, rng.randint(1, 3)
        )
        rapid_review.sent_to_panel_on = self.after(
            rapid_review.partners_signed_off_on, rng.choice((0, 1, 1, 2, 3))
        )
        rapid_review.decision = decision
        rapid_review.decision_reasons = DECISION_REASONS[decision]
        sent = rapid_review.sent_to_panel_on
        reference = REF
        self._event(
            plan,
            self.at(sent, 7),
            AuditEvent.Kind.UPDATE,
            "reviews.rapid_review.update",
            f"Changed the rapid review for {reference}",
            rapid_review,
            {
                "meeting_date": [None, rapid_review.meeting_date],
                "partners_signed_off_on": [None, rapid_review.partners_signed_off_on],
                "decision": ["", decision],
                "decision_reasons": ["", rapid_review.decision_reasons],
                "sent_to_panel_on": [None, sent],
            },
        )
        self._document(
            plan,
            Stage.RAPID_REVIEW,
            "Rapid review report",
            rapid_review.meeting_date,
            versions=min(3, 1 + calendar.working_days_between(rapid_review.meeting_date, sent)),
        )
        due = calendar.due_date("rapid_review", notified)
        if sent > due and rng.random() < 0.7:
            slippage = Slippage(
                case=plan.case,
                clock_kind="rapid_review",
                reason=rng.choice(SLIPPAGE_REASONS),
                recorded_by=self.manager,
                recorded_at=self.at(due, 4),
            )
            plan.slippages.append(slippage)
            self._event(
                plan,
                slippage.recorded_at,
                AuditEvent.Kind.CREATE,
                "reviews.slippage.create",
                f"Recorded slippage on {reference}",
                slippage,
                {"clock_kind": [None, "rapid_review"], "reason": [None, slippage.reason]},
            )
        # The Panel's answer: before the practice review's decision, or weeks later.
        if until is not None:
            gap = calendar.working_days_between(sent, until)
            responded = self.after(sent, rng.randint(1, max(1, gap)))
        elif self.after(sent, 25) <= self.today and rng.random() < 0.95:
            responded = self.after(sent, rng.randint(8, 25))
        else:
            return
        if decision == Decision.NATIONAL_REFERRAL:
            response = PanelResponse.NATIONAL_REVIEW
        elif decision == Decision.NO_FURTHER_REVIEW and rng.random() < 0.12:
            response = PanelResponse.CHALLENGES
            rapid_review.panel_response_notes = PANEL_CHALLENGE
        else:
            response = PanelResponse.AGREES
        rapid_review.panel_response, rapid_review.panel_response_on = response, responded
        self._event(
            plan,
            self.at(responded, 3),
            AuditEvent.Kind.UPDATE,
            "reviews.rapid_review.update",
            f"Changed the rapid review for {reference}",
            rapid_review,
            {
                "panel_response": ["", response],
                "panel_response_notes": ["", rapid_review.panel_response_notes],
                "panel_response_on": [None, responded],
            },
        )

    def _practice_review(self, plan, decision: date, national: bool, showcase: bool) -> None:
        rng, today = self.rng, self.today
        reference = REF
        review = PracticeReview(
            case=plan.case,
            kind=ReviewKind.NATIONAL if national else ReviewKind.LOCAL,
            decision_date=decision,
        )
        plan.review = review
        self._event(
            plan,
            self.at(decision, 4),
            AuditEvent.Kind.CREATE,
            "reviews.practice_review.start",
            f"Started the {review.get_kind_display().lower()} for {reference}",
            review,
            {"kind": [None, review.kind], "decision_date": [None, decision]},
        )
        latest = calendar.due_date("publication", decision)
        age = (today - decision).days
        roll = rng.random()
        if showcase:
            outcome = "published"
        elif age >= 200:
            outcome = (
                "published"
                if roll < 0.76
                else "hold"
                if roll < 0.88
                else "not_publishing"
                if roll < 0.93
                else "in_progress"
            )
        elif age >= 120:
            outcome = "published" if roll < 0.25 else "hold" if roll < 0.35 else "in_progress"
        else:
            outcome = "hold" if age >= 60 and roll < 0.06 else "in_progress"

        # The milestones, each recorded when it happened (and only if it has).
        milestones: dict[str, date] = {}
        terms = self.after(decision, rng.randint(8, 20))
        event = self.after(terms, rng.randint(15, 30))
        if outcome == "published":
            planned = self.before(latest, rng.randint(1, 25))
            published = planned
            if rng.random() < 0.3:  # published late
                published = self.after(planned, rng.randint(5, 60))
            if showcase:
                published = planned
            if published > today:
                outcome, published = "in_progress", None
        if outcome == "published":
            sent = self.before(published, rng.randint(7, 12))
            approved = self.before(sent, rng.randint(2, 8))
            draft = self.before(approved, rng.randint(10, 25))
            milestones = {
                "terms_agreed_on": terms,
                "practitioner_event_on": min(event, self.before(draft, 5)),
                "draft_received_on": draft,
                "partners_approved_on": approved,
                "planned_publication_on": planned,
                "sent_to_panel_on": sent,
                "published_on": published,
            }
        else:
            draft = self.after(event, rng.randint(20, 45))
            approved = self.after(draft, rng.randint(10, 25))
            milestones = {
                "terms_agreed_on": terms,
                "practitioner_event_on": event,
                "draft_received_on": draft,
                "partners_approved_on": approved,
            }
            if age >= 60:
                milestones["planned_publication_on"] = self.before(latest, rng.randint(1, 20))
                sent = self.before(milestones["planned_publication_on"], rng.randint(7, 10))
                if sent > approved:
                    milestones["sent_to_panel_on"] = sent
            if outcome == "hold":
                # The hold starts some weeks in; what would have come after it has not.
                started = min(self.after(decision, rng.randint(20, 90)), self.wd_ago(2))
                started = max(started, decision)
                milestones = {
                    k: v
                    for k, v in milestones.items()
                    if k == "planned_publication_on" or v < started
                }
            milestones = {
                k: v for k, v in milestones.items() if k == "planned_publication_on" or v <= today
            }
            if outcome == "not_publishing":
                milestones.pop("planned_publication_on", None)
                milestones.pop("sent_to_panel_on", None)

        # The reviewer is commissioned (and the methodology chosen) a week after the decision.
        appointed = self.after(decision, 5)
        if appointed <= today:
            review.independent_reviewer = rng.choice(self.reviewers) if self.reviewers else None
            review.methodology = self.pick(METHODOLOGIES)
            review.terms_of_reference = TERMS_OF_REFERENCE
        # The four standard milestones carry their dates; the statutory ones stay on the review.
        for position, (kind, name) in enumerate(MILESTONE_FIELDS, start=1):
            plan.milestones.append(
                Milestone(
                    practice_review=review,
                    kind=kind,
                    title=kind.label,
                    actual_on=milestones.get(name),
                    position=position,
                )
            )
        for name, value in milestones.items():
            if name not in dict(MILESTONE_FIELDS).values():
                setattr(review, name, value)

        # The audit trail: one change per milestone, as the business unit records them.
        recorded = [
            (appointed, ("independent_reviewer", "methodology", "terms_of_reference")),
            (milestones.get("partners_approved_on"), ("planned_publication_on",)),
            (milestones.get("sent_to_panel_on"), ("sent_to_panel_on",)),
            (milestones.get("published_on"), ("published_on",)),
        ]
        for milestone in plan.milestones:
            if milestone.actual_on and milestone.actual_on <= today:
                self._event(
                    plan,
                    self.at(milestone.actual_on, 5),
                    AuditEvent.Kind.UPDATE,
                    "reviews.milestone.update",
                    f"Recorded the milestone {milestone.title!r} for {reference}",
                    milestone,
                    {"actual_on": [None, milestone.actual_on]},
                )
        for when, fields in recorded:
            if when is None or when > today:
                continue
            changes = {}
            for name in fields:
                value = getattr(review, name)
                if value not in (None, ""):
                    changes[name] = [None, str(value) if isinstance(value, User) else value]
            self._event(
                plan,
                self.at(when, 5),
                AuditEvent.Kind.UPDATE,
                "reviews.practice_review.update",
                f"Changed the practice review for {reference}",
                review,
                changes,
            )
        if outcome == "hold":
            review.on_hold = True
            review.hold_reason = rng.choice(HOLD_REASONS)
            review.hold_started_on = started
            review.hold_panel_told_on = min(self.after(started, rng.randint(0, 5)), today)
            self._event(
                plan,
                self.at(review.hold_panel_told_on, 6),
                AuditEvent.Kind.UPDATE,
                "reviews.practice_review.hold",
                f"Put the practice review for {reference} on hold",
                review,
                {
                    "on_hold": [False, True],
                    "hold_reason": ["", review.hold_reason],
                    "hold_started_on": [None, started],
                    "hold_panel_told_on": [None, review.hold_panel_told_on],
                },
            )
        if outcome == "not_publishing":
            review.not_publishing = True
            review.not_publishing_reasons = NOT_PUBLISHING_REASONS
            review.not_publishing_reasons_sent_on = min(self.after(approved, 10), today)
            self._event(
                plan,
                self.at(review.not_publishing_reasons_sent_on, 6),
                AuditEvent.Kind.UPDATE,
                "reviews.practice_review.not_publishing",
                f"Recorded the decision not to publish {reference}",
                review,
                {
                    "not_publishing": [False, True],
                    "not_publishing_reasons": ["", review.not_publishing_reasons],
                    "not_publishing_reasons_sent_on": [None, review.not_publishing_reasons_sent_on],
                },
            )

        # Documents, findings and recommendations as the review produces them.
        if milestones.get("terms_agreed_on"):
            self._document(plan, Stage.PRACTICE_REVIEW, "Terms of reference", terms)
        if milestones.get("practitioner_event_on"):
            self._document(
                plan,
                Stage.PRACTICE_REVIEW,
                "Practitioner event notes",
                milestones["practitioner_event_on"],
            )
        if milestones.get("draft_received_on"):
            reviewer = review.independent_reviewer
            self._document(
                plan,
                Stage.PRACTICE_REVIEW,
                "Draft report",
                milestones["draft_received_on"],
                versions=3 if showcase else rng.randint(1, 3),
                by=reviewer,
            )
            count = 5 if showcase else rng.randint(2, 5)
            self._findings(plan, milestones["draft_received_on"], count)
        if milestones.get("partners_approved_on"):
            approved_on = milestones["partners_approved_on"]
            self._document(plan, Stage.PRACTICE_REVIEW, "Final report", approved_on)
            count = 6 if showcase else rng.randint(1, 3 if review.not_publishing else 6)
            self._recommendations(plan, approved_on, count)
        if review.not_publishing:
            self._document(
                plan,
                Stage.PRACTICE_REVIEW,
                "Reasons for not publishing",
                review.not_publishing_reasons_sent_on,
            )

    def _findings(self, plan: _CasePlan, on: date, count: int) -> None:
        for text, themes in self.rng.sample(FINDINGS, count):
            finding = Finding(case=plan.case, text=text, created_at=self.at(on, 6))
            plan.findings.append((finding, self.theme_ids(themes)))
            self._event(
                plan,
                finding.created_at,
                AuditEvent.Kind.CREATE,
                "reviews.finding.create",
                f"Added a finding to {REF}",
                finding,
                {"text": [None, text]},
            )

    def _recommendations(self, plan: _CasePlan, on: date, count: int) -> None:
        rng = self.rng
        for text, themes in rng.sample(RECOMMENDATIONS, min(count, len(RECOMMENDATIONS))):
            to_partnership = rng.random() < 0.25
            agency_ids = [] if to_partnership else rng.sample(plan.agency_ids, rng.randint(1, 2))
            whom = "The partnership" if to_partnership else "Each agency named"
            recommendation = Recommendation(
                case=plan.case,
                text=f"{whom} {text}",
                to_partnership=to_partnership,
                created_at=self.at(on, 7),
            )
            plan.recommendations.append((recommendation, self.theme_ids(themes), agency_ids))
            self._event(
                plan,
                recommendation.created_at,
                AuditEvent.Kind.CREATE,
                "reviews.recommendation.create",
                f"Added a recommendation to {REF}",
                recommendation,
                {"text": [None, recommendation.text], "to_partnership": [None, to_partnership]},
            )


def _case_counts(rng: random.Random, partnerships: list[Partnership], bench_id: int) -> dict:
    """Cases per partnership: about 20 each, from 10 to 30; the bench partnership's 50."""
    others = [p for p in partnerships if p.pk != bench_id]
    weights = [0.5 + rng.random() for _ in others]
    left = CASES - BENCH_PARTNERSHIP_CASES
    counts = {
        p.pk: max(5, round(left * w / sum(weights))) for p, w in zip(others, weights, strict=True)
    }
    biggest = max(counts, key=counts.get)
    counts[biggest] += left - sum(counts.values())  # exact total
    counts[bench_id] = BENCH_PARTNERSHIP_CASES
    return counts


def _stages(rng: random.Random, count: int) -> list[str]:
    """A partnership's cases in the STAGES shares, in random order (the fractions drawn)."""
    total = sum(STAGES.values())
    exact = {stage: count * weight / total for stage, weight in STAGES.items()}
    stages = [stage for stage, share in exact.items() for _ in range(int(share))]
    fractions = [share - int(share) for share in exact.values()]
    if len(stages) < count:
        stages += rng.choices(list(STAGES), weights=fractions, k=count - len(stages))
    rng.shuffle(stages)
    return stages


def bench_partnership_id() -> int | None:
    """The partnership the bench accounts belong to (the one with the most members)."""
    return (
        Membership.objects.filter(
            user__email=BENCH_ACCOUNTS[Role.BUSINESS_UNIT], ended_at__isnull=True
        )
        .values_list("partnership_id", flat=True)
        .first()
    )


def ensure_starting_themes() -> None:
    """The themes core's data migration seeds, again: `flush` (the PostgreSQL rebuild) empties
    every table, migrations' data included, and the cases draw their themes from these."""
    for name in STARTING_THEMES:
        Theme.objects.get_or_create(slug=slugify(name), defaults={"name": name})


# Version 2: audit events carry their case's scope, so case pages show their history.
# Version 3: the practice review's standard milestones are Milestone rows (issue 8).
@register_builder("reviews", version=3)
def build_reviews(ctx: BuildContext) -> None:
    rng = ctx.rng
    partnerships = list(Partnership.objects.order_by("pk"))
    bench_id = bench_partnership_id()
    active: dict[int, list[Agency]] = {}
    for agency in Agency.objects.filter(is_active=True).order_by("pk"):
        active.setdefault(agency.partnership_id, []).append(agency)
    managers: dict[int, User] = {}
    reviewers: dict[int, list[User]] = {}
    for membership in (
        Membership.objects.filter(
            role__in=(Role.BUSINESS_UNIT, Role.INDEPENDENT_REVIEWER), ended_at__isnull=True
        )
        .select_related("user")
        .order_by("pk")
    ):
        if membership.role == Role.BUSINESS_UNIT:
            managers.setdefault(membership.partnership_id, membership.user)
        else:
            reviewers.setdefault(membership.partnership_id, []).append(membership.user)
    ensure_starting_themes()
    themes = {t.name: t for t in Theme.objects.filter(is_active=True)}
    planner = _Planner(ctx, themes)

    counts = _case_counts(rng, partnerships, bench_id)
    pseudonyms = iter(rng.sample(range(1000, 10000), CASES))
    plans: list[_CasePlan] = []
    for partnership in partnerships:
        sequence: dict[int, int] = {}
        its_plans = []
        its_stages = _stages(rng, counts[partnership.pk])
        if partnership.pk == bench_id:
            # Its first case is the showcase (a practice review): keep the shares exact.
            its_stages.remove("practice_review")
            its_stages.insert(0, "practice_review")
        for number, stage in enumerate(its_stages):
            plan = planner.plan(
                partnership=partnership,
                pseudonym=f"Child {next(pseudonyms)}",
                stage=stage,
                agencies=active[partnership.pk],
                manager=managers[partnership.pk],
                reviewers=reviewers.get(partnership.pk, []),
                # One case in the bench partnership with everything: 6 agency summaries,
                # a published review, several document versions (the case page's scenario).
                showcase=partnership.pk == bench_id and number == 0,
            )
            its_plans.append(plan)
        # References numbered in order of opening within each year, as a business unit would.
        for plan in sorted(its_plans, key=lambda p: p.case.opened_at):
            year = plan.case.opened_at.year
            sequence[year] = sequence.get(year, 0) + 1
            plan.case.reference = f"{partnership.short_name}-{year}-{sequence[year]:03d}"
        plans.extend(its_plans)

    # Write, parents first.
    bulk_create(Case, (p.case for p in plans))
    for plan in plans:
        for child in plan.children:
            child.case = plan.case  # now that it has its key
    bulk_create(Child, (c for p in plans for c in p.children))
    bulk_create(
        Case.agencies.through,
        (
            Case.agencies.through(case_id=p.case.pk, agency_id=a)
            for p in plans
            for a in p.agency_ids
        ),
    )
    bulk_create(
        Case.themes.through,
        (Case.themes.through(case_id=p.case.pk, theme_id=t) for p in plans for t in p.theme_ids),
    )
    bulk_create(Notification, (p.notification for p in plans if p.notification))
    bulk_create(RapidReview, (p.rapid_review for p in plans if p.rapid_review))
    bulk_create(InformationRequest, (r for p in plans for r in p.requests))
    bulk_create(PracticeReview, (p.review for p in plans if p.review))
    for plan in plans:
        for milestone in plan.milestones:
            milestone.practice_review = plan.review  # now that it has its key
    bulk_create(Milestone, (m for p in plans for m in p.milestones))
    findings = bulk_create(Finding, (f for p in plans for f, _ in p.findings))
    bulk_create(
        Finding.themes.through,
        (
            Finding.themes.through(finding_id=f.pk, theme_id=t)
            for p in plans
            for f, theme_ids in p.findings
            for t in theme_ids
        ),
    )
    recommendations = bulk_create(
        Recommendation, (r for p in plans for r, _, _ in p.recommendations)
    )
    bulk_create(
        Recommendation.themes.through,
        (
            Recommendation.themes.through(recommendation_id=r.pk, theme_id=t)
            for p in plans
            for r, theme_ids, _ in p.recommendations
            for t in theme_ids
        ),
    )
    bulk_create(
        Recommendation.agencies.through,
        (
            Recommendation.agencies.through(recommendation_id=r.pk, agency_id=a)
            for p in plans
            for r, _, agency_ids in p.recommendations
            for a in agency_ids
        ),
    )
    bulk_create(Slippage, (s for p in plans for s in p.slippages))
    documents = bulk_create(Document, (d.document for p in plans for d in p.documents))
    # Each document's file in the core file store (core/files), as document_upload keeps it;
    # the owner is set on each so the audit events reach the case without a query.
    stored_files = {
        id(d): StoredFile(
            owner=d.document,
            title=d.document.title,
            restricted=True,
            created_at=d.document.created_at,
        )
        for p in plans
        for d in p.documents
    }
    bulk_create(StoredFile, stored_files.values())
    versions = []
    for plan in plans:
        for doc in plan.documents:
            for number, (uploaded_at, by, name, size) in enumerate(doc.versions, start=1):
                digest = hashlib.sha256(f"bench {doc.document.pk} {number}".encode()).hexdigest()
                version = FileVersion(
                    stored_file=stored_files[id(doc)],
                    number=number,
                    # Never written to storage: the bench loads pages, not downloads. Marked
                    # encrypted, as every upload now is, so the data migration has nothing to do.
                    file=f"case-documents/{plan.case.pk}/{digest[:32]}",
                    encrypted=True,
                    original_name=name,
                    content_type=PDF if name.endswith(".pdf") else DOCX,
                    size=size,
                    sha256=digest,
                    uploaded_by=by,
                    uploaded_at=uploaded_at,
                )
                versions.append(version)
                plan.events.append(
                    _Event(
                        uploaded_at,
                        AuditEvent.Kind.CREATE,
                        "reviews.document.upload",
                        f"Uploaded {doc.document.title} (version {number}) to {REF}",
                        version,
                        {
                            "original_name": [None, name],
                            "size": [None, size],
                            "sha256": [None, digest],
                        },
                    )
                )
    bulk_create(FileVersion, versions)

    clocks = _store_clocks([p.case.pk for p in plans])

    for plan in plans:
        partnership_id = plan.case.partnership_id
        actor = managers[partnership_id]
        opened = {f: [None, getattr(plan.case, f)] for f in CASE_FIELDS}
        for event in plan.events:
            ctx.audit.add(
                occurred_at=event.when,
                kind=event.kind,
                action=event.action,
                summary=event.summary.replace(REF, plan.case.reference),
                obj=event.obj,
                partnership_id=partnership_id,
                changes=opened if event.obj is plan.case else event.changes,
                actor=actor,
            )
    requests = sum(len(p.requests) for p in plans)
    ctx.log(
        f"  {len(plans)} cases ({counts[bench_id]} in the bench partnership), {requests} "
        f"agency requests, {clocks} clocks, {len(documents)} documents ({len(versions)} "
        f"versions), {len(findings)} findings, {len(recommendations)} recommendations, "
        f"{sum(len(p.events) for p in plans)} audit events"
    )


def _store_clocks(case_ids: list[int], chunk: int = 500) -> int:
    """The clocks each case has, read back exactly as services.sync_clocks reads a case."""
    stored = 0
    for start in range(0, len(case_ids), chunk):
        cases = (
            Case.objects.select_related("notification", "rapid_review", "practice_review")
            .prefetch_related("rapid_review__information_requests__agency")
            .filter(pk__in=case_ids[start : start + chunk])
        )
        clocks = [
            Clock(
                case=case,
                partnership_id=case.partnership_id,
                kind=spec.kind,
                information_request_id=spec.information_request_id,
                rule=spec.rule,
                start_date=spec.start_date,
                due_date=spec.due_date,
                description=spec.description[:200],
                done_on=spec.done_on,
                suspended=spec.suspended,
                suspended_reason=spec.suspended_reason,
            )
            for case in cases
            for spec in clocks_for(case)
        ]
        bulk_create(Clock, clocks)
        stored += len(clocks)
    return stored


@register_context
def reviews_context() -> dict[str, Any]:
    """The bench partnership's case with the most clocks (then documents), and a search."""
    cases = Case.objects.filter(partnership_id=bench_partnership_id())
    busiest = (
        cases.annotate(
            clock_count=Count("clocks", distinct=True),
            document_count=Count("documents", distinct=True),
        )
        .order_by("-clock_count", "-document_count", "pk")
        .first()
    )
    # A pseudonym from the list's second page: the number people type to find a case.
    searched = cases.order_by("-opened_at", "-id").values_list("pseudonym", flat=True)[30:31]
    return {
        "partnership_cases": cases.count(),
        "case_id": busiest.pk if busiest else 0,
        "case_clocks": busiest.clock_count if busiest else 0,
        "case_documents": busiest.document_count if busiest else 0,
        "case_search": searched[0].removeprefix("Child ") if searched else "1234",
    }


@register_counts
def reviews_counts() -> dict[str, int]:
    return {
        "cases": Case.objects.count(),
        "clocks": Clock.objects.count(),
        "case_documents": Document.objects.count(),
    }
