"""Six fictional cases in the demo partnership, one at each stage of the statutory process.

Every name here is invented; the identifiers are placeholders that say so. Dates count in
working days from the last working day on or before today, so the demo always shows the same
live clocks (something overdue, something due soon, something on hold) whether it is loaded on
a Monday, a Sunday or a bank holiday. Built through the services as the system job "demo data";
a case whose reference exists is left alone, so loading twice changes nothing.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from pypdf import PdfWriter
from pypdf.generic import NameObject, TextStringObject

from learninghub.core import calendar
from learninghub.core.audit.auditor import Auditor
from learninghub.core.demo import DemoLoaded
from learninghub.core.taxonomy.selectors import theme_list
from learninghub.partnerships.demo import DEMO_DOMAIN
from learninghub.partnerships.models import Agency, Partnership, User

from . import selectors, services
from .models import DEFAULT_REFERENCE_PATTERN, Case, ReviewSettings

PARTNERSHIP = "NDSCP"
REVIEWER_EMAIL = f"reviewer@{DEMO_DOMAIN}"

CSC = "Northdale Council Children's Social Care"
POLICE = "Northdale and District Police"
ICB = "Northdale Integrated Care Board"
HOSPITALS = "Northdale Hospitals NHS Foundation Trust"
GP = "Northdale GP Federation"
SCHOOLS = "Northdale Schools and Colleges"
HOUSING = "Northdale Housing"
CHARITY = "Northdale Family Support Charity"


class _Demo:
    def __init__(self, partnership: Partnership, today: date):
        self.partnership = partnership
        # Statuses count working days from today, so on a weekend or a bank holiday "2 working
        # days ago" counted from today itself would leave one more working day before each
        # deadline than on a weekday ("due soon" would become "on track"). Counting from the
        # last working day keeps the distance from today to every deadline the same.
        self.anchor = last_working_day(today)
        self.auditor = Auditor.for_system("demo data")
        self.agencies = {a.name: a for a in Agency.objects.filter(partnership=partnership)}
        self.themes = {t.name: t for t in theme_list()}
        self.reviewer = User.objects.filter(email=REVIEWER_EMAIL).first()

    def wd(self, n: int) -> date:
        """The n-th working day before the last working day (``wd(0)`` is that day)."""
        return calendar.subtract_working_days(self.anchor, n)

    def ahead(self, n: int) -> date:
        """The n-th working day after the last working day."""
        return calendar.add_working_days(self.anchor, n)

    def agency_list(self, *names: str) -> list[Agency]:
        return [self.agencies[n] for n in names if n in self.agencies]

    def theme_list(self, *names: str):
        return [self.themes[n] for n in names if n in self.themes]

    def open(self, number: int, pseudonym: str, *, age_band, sex, ethnicity, agencies, themes):
        case = services.case_open(
            auditor=self.auditor,
            partnership=self.partnership,
            reference=reference(number),
            children=[
                {"pseudonym": pseudonym, "age_band": age_band, "sex": sex, "ethnicity": ethnicity}
            ],
            agencies=self.agency_list(*agencies),
            themes=self.theme_list(*themes),
        )
        words = ["One", "Two", "Three", "Four", "Five", "Six"][number - 1]
        services.identifiers_update(
            auditor=self.auditor,
            child=case.children.get(),
            child_name=f"Demo Child {words}",
            family_names=f"Demo Parent {words} (fictional)",
            date_of_birth="Not a real date (demonstration)",
            address=f"{number} Demonstration Street, Northdale (fictional)",
            school="Demonstration Primary School (fictional)",
        )
        return case

    def notify(self, case: Case, *, aware: date, sent: date | None, died=False):
        services.notification_record(
            auditor=self.auditor,
            case=case,
            incident_date=calendar.subtract_working_days(aware, 1),
            aware_date=aware,
            child_died=died,
            seriously_harmed=not died,
            abuse_or_neglect_suspected=True,
            care_status="",
            sent_to_panel_on=sent,
            sent_to_ofsted_on=None,
            sent_to_secretary_of_state_on=None,
            panel_reference=f"CSPRP-DEMO-{case.reference[-3:]}" if sent else "",
        )

    def rapid_review(self, case: Case, *, notified: date, decision: str, reasons: str, **panel):
        """Meeting on day 9, sign-off on day 11, sent to the Panel on day 12: on time."""
        services.rapid_review_update(
            auditor=self.auditor,
            case=case,
            meeting_date=calendar.add_working_days(notified, 9),
            partners_signed_off_on=calendar.add_working_days(notified, 11),
            decision=decision,
            decision_reasons=reasons,
            sent_to_panel_on=calendar.add_working_days(notified, 12),
            **panel,
        )

    def manager(self) -> Auditor:
        """The business unit's demo manager: uploads and revisions name the person."""
        manager = User.objects.filter(email=f"business.unit@{DEMO_DOMAIN}").first()
        return Auditor(actor=manager) if manager else self.auditor

    def happened(self, review, **dates: date):
        """Record when the standard milestones happened (planned on the same day)."""
        for milestone in review.milestones.all():
            if milestone.kind in dates:
                services.milestone_update(
                    auditor=self.auditor,
                    milestone=milestone,
                    planned_on=dates[milestone.kind],
                    actual_on=dates[milestone.kind],
                )

    def recommend(self, case: Case, text: str, *, agencies=(), themes=(), to_partnership=False):
        services.recommendation_add(
            auditor=self.auditor,
            case=case,
            text=text,
            to_partnership=to_partnership,
            agencies=self.agency_list(*agencies),
            themes=self.theme_list(*themes),
        )

    # The six cases -----------------------------------------------------------------------

    def fresh_notification(self):
        """Aware 2 working days ago; not yet notified: due in 3 working days."""
        case = self.open(
            1,
            "Child A",
            age_band="5_9",
            sex="female",
            ethnicity="white_british",
            agencies=[CSC, SCHOOLS, GP],
            themes=["Neglect", "Children not in school"],
        )
        self.notify(case, aware=self.wd(2), sent=None)

    def rapid_review_under_way(self):
        """Notified 12 working days ago; four agencies asked (what is asked recorded), one
        summary uploaded by the police's agency lead, one outstanding, one overdue, one
        withdrawn; the rapid review itself due in 3 working days."""
        case = self.open(
            2,
            "Baby B",
            age_band="under_1",
            sex="male",
            ethnicity="mixed_white_black_caribbean",
            agencies=[CSC, POLICE, HOSPITALS, GP],
            themes=["Non-accidental or abusive head trauma", "Bruising in non-mobile infants"],
        )
        notified = self.wd(12)
        self.notify(case, aware=self.wd(14), sent=notified)
        asked_on = calendar.add_working_days(notified, 1)
        what = (
            "A summary of your agency's involvement with Baby B and the family since the "
            "pregnancy was booked: contacts, concerns noted, decisions and who made them."
        )
        # Police and the GP federation asked together and given longer: the police's own
        # agency lead uploaded its summary (met), the GP's is due soon. The hospitals and
        # children's social care asked together, due on day 10: the hospitals' is overdue;
        # children's social care's was withdrawn (it can be asked again).
        requests = {}
        for names, due_on in (((POLICE, GP), self.ahead(2)), ((HOSPITALS, CSC), None)):
            agencies = self.agency_list(*names)
            if agencies:
                made = services.information_requests_create(
                    auditor=self.auditor,
                    case=case,
                    agencies=agencies,
                    details=what,
                    requested_on=asked_on,
                    due_on=due_on,
                )
                requests.update({r.agency.name: r for r in made})
        if POLICE in requests:
            lead = User.objects.filter(email=f"agency.lead@{DEMO_DOMAIN}").first()
            services.agency_summary_upload(
                auditor=Auditor(actor=lead) if lead else self.manager(),
                request=requests[POLICE],
                file=ContentFile(
                    _report_pdf("Northdale and District Police: summary for Baby B"),
                    name="police-summary-baby-b.pdf",
                ),
            )
        if CSC in requests:
            services.information_request_withdraw(
                auditor=self.auditor,
                request=requests[CSC],
                reason="Children's social care's chronology is coming to the review meeting "
                "instead of a separate summary.",
            )

    def local_review_decided(self):
        """Rapid review sent, the Panel agrees; the practice review has just started."""
        case = self.open(
            3,
            "Child C",
            age_band="10_15",
            sex="female",
            ethnicity="asian_pakistani",
            agencies=[CSC, POLICE, SCHOOLS, ICB],
            themes=["Child sexual exploitation", "Risks outside the family", "Online harm"],
        )
        notified = self.wd(30)
        self.notify(case, aware=self.wd(33), sent=notified)
        self.rapid_review(
            case,
            notified=notified,
            decision="local_review",
            reasons="Significant learning about how agencies shared information about "
            "exploitation outside the family.",
            panel_response="agrees",
            panel_response_on=calendar.add_working_days(notified, 22),
        )
        decision = calendar.add_working_days(notified, 23)
        review = services.practice_review_start(
            auditor=self.auditor, case=case, kind="local", decision_date=decision
        )
        services.practice_review_update(
            auditor=self.auditor,
            review=review,
            independent_reviewer=self.reviewer,
            methodology="silp",
            terms_of_reference=(
                "How did agencies recognise and respond to the risk of exploitation outside "
                "the family?\nHow was information shared between schools, the police and "
                "children's social care?\nWas Child C's voice heard?"
            ),
            planned_publication_on=calendar.subtract_working_days(
                calendar.due_date("publication", decision), 5
            ),
        )
        self.forward_plan(review, decision)
        # Rapid review material shared with the reviewer, and the reviewer's first draft.
        shared = services.document_upload(
            auditor=self.manager(),
            case=case,
            stage="rapid_review",
            title="Rapid review record: Child C",
            file=ContentFile(
                _report_pdf("Rapid review record: Child C"), name="rapid-review-child-c.pdf"
            ),
        ).stored_file.owner
        services.document_share_with_reviewer(auditor=self.auditor, document=shared, shared=True)
        if self.reviewer is not None:
            services.reviewer_document_upload(
                auditor=Auditor(actor=self.reviewer),
                review=review,
                stage="draft_report",
                title="Draft report 1: Child C",
                file=ContentFile(
                    _report_pdf("Child C: first draft (fictional)"), name="child-c-draft-1.pdf"
                ),
            )

    def forward_plan(self, review, decision: date):
        """Planned milestones ahead, one overdue; a short hold, released; a revised
        publication date beyond the 6 months, with its reason and the date the Panel was told."""
        planned = {
            "terms_agreed": self.wd(1),  # planned for yesterday, not recorded: overdue
            "practitioner_event": self.ahead(20),
            "draft_to_partners": self.ahead(60),
            "partners_sign_off": self.ahead(75),
        }
        for milestone in review.milestones.all():
            services.milestone_update(
                auditor=self.auditor, milestone=milestone, planned_on=planned[milestone.kind]
            )
        services.milestone_add(
            auditor=self.auditor,
            review=review,
            title="Meeting with Child C's family",
            planned_on=self.ahead(15),
        )
        started = max(decision, self.wd(6))
        services.practice_review_hold(
            auditor=self.auditor,
            review=review,
            reason="Police advice on a parallel investigation",
            started_on=started,
            panel_told_on=started,
        )
        services.practice_review_release_hold(
            auditor=self.auditor, review=review, released_on=self.wd(3)
        )
        services.publication_revise(
            auditor=self.manager(),
            review=review,
            revised_date=calendar.add_working_days(calendar.due_date("publication", decision), 20),
            reason="The parallel investigation delayed the practitioner event by a month",
            panel_told_on=self.wd(2),
        )

    def review_on_hold(self):
        """A local review held for a criminal trial; the Panel has been told."""
        case = self.open(
            4,
            "Child D",
            age_band="1_4",
            sex="male",
            ethnicity="white_other",
            agencies=[CSC, POLICE, HOUSING, HOSPITALS],
            themes=["Domestic abuse", "Parental substance misuse", "Think family"],
        )
        notified = self.wd(95)
        self.notify(case, aware=self.wd(97), sent=notified)
        self.rapid_review(
            case,
            notified=notified,
            decision="local_review",
            reasons="Learning about domestic abuse and a young child's visibility to services.",
            panel_response="agrees",
            panel_response_on=calendar.add_working_days(notified, 22),
        )
        decision = calendar.add_working_days(notified, 24)
        review = services.practice_review_start(
            auditor=self.auditor, case=case, kind="local", decision_date=decision
        )
        services.practice_review_update(
            auditor=self.auditor,
            review=review,
            methodology="learning_together",
            terms_of_reference="How did agencies respond to domestic abuse in the household?",
        )
        self.happened(
            review,
            terms_agreed=calendar.add_working_days(decision, 10),
            practitioner_event=calendar.add_working_days(decision, 30),
        )
        started = calendar.add_working_days(decision, 40)
        services.practice_review_hold(
            auditor=self.auditor,
            review=review,
            reason="Awaiting the outcome of a criminal trial",
            started_on=started,
            panel_told_on=calendar.add_working_days(started, 2),
        )

    def published_review(self):
        """Published on time, with findings and recommendations addressed to agencies."""
        case = self.open(
            5,
            "Child E",
            age_band="16_17",
            sex="female",
            ethnicity="black_african",
            agencies=[CSC, POLICE, ICB, SCHOOLS, CHARITY],
            themes=["Suicide and self-harm", "Children's mental health", "Transitions"],
        )
        notified = self.wd(210)
        self.notify(case, aware=self.wd(212), sent=notified)
        self.rapid_review(
            case,
            notified=notified,
            decision="local_review",
            reasons="Learning about support for a young person's mental health at transition.",
            panel_response="agrees",
            panel_response_on=calendar.add_working_days(notified, 22),
        )
        decision = calendar.add_working_days(notified, 24)
        review = services.practice_review_start(
            auditor=self.auditor, case=case, kind="local", decision_date=decision
        )
        planned = calendar.subtract_working_days(calendar.due_date("publication", decision), 10)
        sent = calendar.subtract_working_days(planned, 8)
        services.practice_review_update(
            auditor=self.auditor,
            review=review,
            methodology="systems",
            terms_of_reference="How did services support Child E's mental health at 16?",
            planned_publication_on=planned,
            sent_to_panel_on=sent,
        )
        self.happened(
            review,
            terms_agreed=calendar.add_working_days(decision, 10),
            practitioner_event=calendar.add_working_days(decision, 35),
            draft_to_partners=calendar.subtract_working_days(sent, 25),
            partners_sign_off=calendar.subtract_working_days(sent, 10),
        )
        # Uploaded by the business unit's demo manager: a file always has a person behind it.
        services.document_upload(
            auditor=self.manager(),
            case=case,
            stage="final_report",
            title="Final report: Child E",
            file=ContentFile(
                _report_pdf("Child E: a local child safeguarding practice review"),
                name="child-e-final-report.pdf",
            ),
        )
        services.practice_review_update(
            auditor=self.auditor,
            review=review,
            published_on=planned,
            published_document=selectors.published_report_choices(review=review)[0],
        )
        for text, themes in [
            (
                "Child E's own account of how she felt was recorded by several agencies but "
                "never brought together.",
                ["Voice of the child", "Information sharing"],
            ),
            (
                "The move from children's to adult mental health services left a gap of "
                "four months with no named worker.",
                ["Transitions", "Children's mental health"],
            ),
            (
                "Professionals were not confident to escalate when a referral was declined.",
                ["Escalation", "Professional curiosity"],
            ),
        ]:
            services.finding_add(
                auditor=self.auditor, case=case, text=text, themes=self.theme_list(*themes)
            )
        # Saved despite the anonymity check (a phone number), with the reason in the audit log.
        services.finding_add(
            auditor=self.auditor,
            case=case,
            text="The crisis line's number (01632 960001) was not on the discharge letter.",
            themes=self.theme_list("Children's mental health"),
            anonymity_override_reason="The crisis line's public number, not the family's "
            "(a fictional number for the demonstration)",
        )
        self.recommend(
            case,
            "Police officers attending a young person in crisis should share what they learn "
            "with the school's designated safeguarding lead the same day.",
            agencies=[POLICE, SCHOOLS],
            themes=["Information sharing", "Suicide and self-harm"],
        )
        self.recommend(
            case,
            "The integrated care board should make sure every young person moving to adult "
            "mental health services has a named worker throughout.",
            agencies=[ICB],
            themes=["Transitions", "Children's mental health"],
        )
        self.recommend(
            case,
            "Children's social care and the police should agree how a declined referral is "
            "escalated and recorded.",
            agencies=[CSC, POLICE],
            themes=["Escalation"],
        )
        self.recommend(
            case,
            "The partnership should run a Learning Masterclass on hearing the voice of "
            "young people who self-harm.",
            to_partnership=True,
            themes=["Voice of the child", "Suicide and self-harm"],
        )

    def national_referral(self):
        """Referred for a national review; the Panel commissions one."""
        case = self.open(
            6,
            "Child F",
            age_band="10_15",
            sex="male",
            ethnicity="black_caribbean",
            agencies=[CSC, POLICE, SCHOOLS, GP],
            themes=["Child criminal exploitation", "Race, culture and identity"],
        )
        notified = self.wd(35)
        self.notify(case, aware=self.wd(36), sent=notified, died=True)
        self.rapid_review(
            case,
            notified=notified,
            decision="national_referral",
            reasons="The case raises issues of national importance about criminal exploitation "
            "across county lines.",
            panel_response="national_review",
            panel_response_on=calendar.add_working_days(notified, 22),
        )

    # Cases that began with the notification (issue 8) ----------------------------------

    def notification_first(self, number: int, children: list[dict], *, aware: date, **what):
        """A case opened by recording its notification, each child with fictional details."""
        case = services.notification_open(
            auditor=self.auditor,
            partnership=self.partnership,
            reference=reference(number),
            aware_date=aware,
            incident_date=calendar.subtract_working_days(aware, 1),
            children=children,
            **what,
        )
        for child in case.children.order_by("position"):
            services.identifiers_update(
                auditor=self.auditor,
                child=child,
                child_name=f"Demo Child {WORDS[number]}"
                + (" Sibling" if child.position > 1 else ""),
                family_names=f"Demo Parent {number} (fictional)",
                address=f"{number} Demonstration Street, Northdale (fictional)",
            )
        return case

    def siblings_notification(self):
        """Two siblings in one notification, aware 2 working days ago: the Panel clock runs."""
        self.notification_first(
            7,
            [
                {
                    "pseudonym": "Child G",
                    "age_band": "1_4",
                    "sex": "female",
                    "ethnicity": "mixed_other",
                },
                {
                    "pseudonym": "Child H",
                    "age_band": "5_9",
                    "sex": "male",
                    "ethnicity": "mixed_other",
                },
            ],
            aware=self.wd(2),
            seriously_harmed=True,
            abuse_or_neglect_suspected=True,
        )

    def looked_after_death(self):
        """A looked-after child died; no abuse or neglect suspected: only Ofsted and the
        Secretary of State are notified, due in 2 working days."""
        self.notification_first(
            8,
            [
                {
                    "pseudonym": "Child J",
                    "age_band": "10_15",
                    "sex": "male",
                    "ethnicity": "not_known",
                }
            ],
            aware=self.wd(3),
            child_died=True,
            care_status="looked_after",
        )

    def care_leaver_death(self):
        """A care leaver aged 19 died and neglect is suspected: both duties apply. The Panel
        has been told and Ofsted too; the Secretary of State not yet."""
        case = self.notification_first(
            9,
            [
                {
                    "pseudonym": "Child K",
                    "age_band": "18_24",
                    "sex": "female",
                    "ethnicity": "white_british",
                }
            ],
            aware=self.wd(1),
            child_died=True,
            abuse_or_neglect_suspected=True,
            care_status="care_leaver",
        )
        services.notification_record(
            auditor=self.auditor,
            case=case,
            incident_date=case.notification.incident_date,
            aware_date=self.wd(1),
            child_died=True,
            abuse_or_neglect_suspected=True,
            care_status="care_leaver",
            sent_to_panel_on=self.wd(0),
            sent_to_ofsted_on=self.wd(0),
            panel_reference=f"CSPRP-DEMO-{case.reference[-3:]}",
        )

    # The work waiting, the meeting and a mistake put right (issue 8) ----------------------

    def one_child(self, number: int, pseudonym: str, *, aware: date, **details) -> Case:
        child = {"pseudonym": pseudonym, "age_band": "5_9", "sex": "male", "ethnicity": "not_known"}
        return self.notification_first(
            number,
            [{**child, **details}],
            aware=aware,
            seriously_harmed=True,
            abuse_or_neglect_suspected=True,
        )

    def panel_response_awaited(self):
        """The case review group recorded its meeting (who attended, their views, the decision
        with reasons); the rapid review went to the Panel 26 working days ago and the Panel
        has not answered yet: "Panel response awaited" in needs attention."""
        case = self.one_child(10, "Child L", aware=self.wd(40), ethnicity="black_african")
        notified = self.wd(38)
        self.notify(case, aware=self.wd(40), sent=notified)
        case = Case.objects.get(pk=case.pk)  # with its notification as now sent
        services.rapid_review_meeting_record(
            auditor=self.auditor,
            case=case,
            meeting_date=calendar.add_working_days(notified, 9),
            meeting_attendees=(
                "Demo Chair, independent chair of the case review group\n"
                "Demo Officer, detective inspector, Northdale Police\n"
                "Demo Manager, head of service, Northdale Children's Social Care\n"
                "Demo Nurse, designated nurse, Northdale Integrated Care Board"
            ),
            meeting_views=(
                "The police and health agree that information about the family's moves "
                "between areas was not shared. Children's social care notes that a strategy "
                "discussion was held late. All agree there is learning for the partnership."
            ),
            decision="local_review",
            decision_reasons=(
                "Agencies did not share what they knew when the family moved: learning about "
                "multi-agency working that a local review can draw out."
            ),
        )
        services.rapid_review_update(
            auditor=self.auditor,
            case=case,
            partners_signed_off_on=calendar.add_working_days(notified, 11),
            sent_to_panel_on=calendar.add_working_days(notified, 12),
        )

    def reviewer_not_appointed(self):
        """A local review decided 22 working days ago with no independent reviewer yet, and
        held for a criminal trial without the Panel being told: both in needs attention."""
        case = self.one_child(11, "Child M", aware=self.wd(47), sex="female", age_band="1_4")
        notified = self.wd(45)
        self.notify(case, aware=self.wd(47), sent=notified)
        case = Case.objects.get(pk=case.pk)  # with its notification as now sent
        self.rapid_review(
            case,
            notified=notified,
            decision="local_review",
            reasons="Learning about how a young child's injuries were explained and accepted.",
            panel_response="agrees",
            panel_response_on=calendar.add_working_days(notified, 22),
        )
        review = services.practice_review_start(
            auditor=self.auditor,
            case=case,
            kind="local",
            decision_date=calendar.add_working_days(notified, 23),
        )
        services.practice_review_hold(
            auditor=self.auditor,
            review=review,
            reason="A criminal trial is listed; the police have asked for the review to wait",
            started_on=self.wd(5),
            panel_told_on=None,
        )

    def recorded_in_error(self):
        """Opened twice by mistake: closed as recorded in error, with the reason. Out of the
        lists and clocks; listed under "Cases recorded in error"."""
        case = self.one_child(12, "Child A (duplicate)", aware=self.wd(2), sex="female")
        services.case_recorded_in_error(
            auditor=self.auditor,
            case=case,
            reason=f"A duplicate of {reference(1)}: the same notification was recorded twice",
        )


WORDS = {7: "Seven", 8: "Eight", 9: "Nine", 10: "Ten", 11: "Eleven", 12: "Twelve"}


def _report_pdf(title: str) -> bytes:
    """A one-page PDF standing in for a published report (fictional)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({NameObject("/Title"): TextStringObject(title)})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def last_working_day(today: date) -> date:
    """``today`` if it is a working day, otherwise the working day before it."""
    if calendar.is_working_day(today):
        return today
    return calendar.subtract_working_days(today, 1)


def reference(number: int) -> str:
    return f"{PARTNERSHIP}-2025-{number:03d}"


@transaction.atomic
def load_review_demo_data(*, today: date | None = None) -> list[str]:
    """Create the six demo cases that do not exist yet; returns the references created."""
    partnership = Partnership.objects.filter(short_name=PARTNERSHIP).first()
    if partnership is None:
        return []
    demo = _Demo(partnership, today or timezone.localdate())
    if not ReviewSettings.objects.filter(partnership=partnership).exists():
        services.review_settings_update(
            auditor=demo.auditor,
            partnership=partnership,
            reference_pattern=DEFAULT_REFERENCE_PATTERN,
        )
    builders: list[Callable[[], None]] = [
        demo.fresh_notification,
        demo.rapid_review_under_way,
        demo.local_review_decided,
        demo.review_on_hold,
        demo.published_review,
        demo.national_referral,
        demo.siblings_notification,
        demo.looked_after_death,
        demo.care_leaver_death,
        demo.panel_response_awaited,
        demo.reviewer_not_appointed,
        demo.recorded_in_error,
    ]
    existing = set(Case.objects.filter(partnership=partnership).values_list("reference", flat=True))
    created = []
    for number, build in enumerate(builders, start=1):
        if reference(number) not in existing:
            build()
            created.append(reference(number))
    return created


def load() -> DemoLoaded:
    """This app's part of `seed_demo`: the cases, after the partnerships' accounts."""
    return DemoLoaded(summary=[f"Demo case reviews created: {len(load_review_demo_data())}"])
