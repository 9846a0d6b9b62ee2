"""Six fictional cases in the demo partnership, one at each stage of the statutory process.

Every name here is invented; the identifiers are placeholders that say so. Dates count in
working days from the last working day on or before today, so the demo always shows the same
live clocks (something overdue, something due soon, something on hold) whether it is loaded on
a Monday, a Sunday or a bank holiday. Built through the services as the system job "demo data";
a case whose reference exists is left alone, so loading twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db import transaction
from django.utils import timezone

from learninghub.core import calendar
from learninghub.core.audit.auditor import Auditor
from learninghub.core.demo import DemoLoaded
from learninghub.core.taxonomy.selectors import theme_list
from learninghub.partnerships.demo import DEMO_DOMAIN
from learninghub.partnerships.models import Agency, Partnership, User

from . import services
from .models import Case

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
            pseudonym=pseudonym,
            age_band=age_band,
            sex=sex,
            ethnicity=ethnicity,
            agencies=self.agency_list(*agencies),
            themes=self.theme_list(*themes),
        )
        words = ["One", "Two", "Three", "Four", "Five", "Six"][number - 1]
        services.identifiers_update(
            auditor=self.auditor,
            case=case,
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
            looked_after_or_care_leaver=False,
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
        """Notified 12 working days ago; three agencies asked, one summary back, one
        outstanding, one overdue; the rapid review itself due in 3 working days."""
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
        asks = [
            (POLICE, None, self.wd(4)),  # returned
            (HOSPITALS, None, None),  # due 10 working days after notification: overdue
            (GP, self.ahead(2), None),  # given longer: outstanding
        ]
        for name, due_on, returned_on in asks:
            agency = self.agencies.get(name)
            if agency is None:
                continue
            request = services.information_request_create(
                auditor=self.auditor,
                case=case,
                agency=agency,
                requested_on=calendar.add_working_days(notified, 1),
                due_on=due_on,
            )
            if returned_on:
                services.information_request_return(
                    auditor=self.auditor, request=request, returned_on=returned_on
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
        review = services.practice_review_start(
            auditor=self.auditor,
            case=case,
            kind="local",
            decision_date=calendar.add_working_days(notified, 23),
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
            terms_agreed_on=calendar.add_working_days(decision, 10),
            practitioner_event_on=calendar.add_working_days(decision, 30),
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
            terms_agreed_on=calendar.add_working_days(decision, 10),
            practitioner_event_on=calendar.add_working_days(decision, 35),
            draft_received_on=calendar.subtract_working_days(sent, 25),
            partners_approved_on=calendar.subtract_working_days(sent, 10),
            planned_publication_on=planned,
            sent_to_panel_on=sent,
            published_on=planned,
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
    builders: list[Callable[[], None]] = [
        demo.fresh_notification,
        demo.rapid_review_under_way,
        demo.local_review_decided,
        demo.review_on_hold,
        demo.published_review,
        demo.national_referral,
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
