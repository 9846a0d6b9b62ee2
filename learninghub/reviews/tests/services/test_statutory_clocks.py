"""The clocks a case shows come from the statutory rules, on real (fictional) cases."""

from datetime import date

import pytest

from learninghub.core.audit.auditor import Auditor
from learninghub.reviews import services
from learninghub.reviews.models import Clock, ClockKind
from learninghub.reviews.tests.factories import decided_case, notified_case, open_case

pytestmark = pytest.mark.django_db
SYSTEM = Auditor.for_system("tests")


def _clock(case, kind):
    return Clock.objects.get(case=case, kind=kind, information_request__isnull=True)


# Acceptance cases (GOV.UK bank holiday data) carried into the case workflow itself.
@pytest.mark.parametrize(
    ("aware", "due"),
    [
        (date(2018, 12, 24), date(2019, 1, 3)),
        (date(2021, 4, 1), date(2021, 4, 12)),
        (date(2023, 4, 28), date(2023, 5, 9)),
    ],
)
def test_notification_clock_is_five_working_days_from_becoming_aware(world, aware, due):
    case = notified_case(world.partnership, aware=aware, sent=None)
    clock = _clock(case, ClockKind.NOTIFICATION)
    assert clock.due_date == due
    assert clock.description == f"5 working days from becoming aware on {aware.day} {aware:%B %Y}"
    assert clock.done_on is None


@pytest.mark.parametrize(
    ("notified", "due"),
    [
        (date(2018, 12, 26), date(2019, 1, 17)),
        (date(2019, 4, 16), date(2019, 5, 10)),
        (date(2024, 12, 22), date(2025, 1, 15)),
    ],
)
def test_rapid_review_clock_is_fifteen_working_days_from_notification(world, notified, due):
    case = notified_case(world.partnership, aware=notified, sent=notified)
    assert _clock(case, ClockKind.NOTIFICATION).done_on == notified
    clock = _clock(case, ClockKind.RAPID_REVIEW)
    assert clock.due_date == due
    assert "15 working days from notification on" in clock.description


def test_no_rapid_review_clock_before_the_notification_is_sent(world):
    case = notified_case(world.partnership, sent=None)
    assert not Clock.objects.filter(case=case, kind=ClockKind.RAPID_REVIEW).exists()


def test_publication_and_send_to_panel_clocks(world):
    case = decided_case(world.partnership)
    review = services.practice_review_start(
        auditor=SYSTEM, case=case, kind="local", decision_date=date(2026, 1, 12)
    )
    assert _clock(case, ClockKind.PUBLICATION).due_date == date(2026, 7, 12)
    services.practice_review_update(
        auditor=SYSTEM, review=review, planned_publication_on=date(2026, 7, 10)
    )
    send = _clock(case, ClockKind.SEND_TO_PANEL)
    # 7 working days before Friday 10 July 2026 is Wednesday 1 July 2026.
    assert send.due_date == date(2026, 7, 1)
    assert send.description == "7 working days before planned publication on 10 July 2026"


def test_a_hold_suspends_the_publication_clocks_and_release_resumes_them(world):
    case = decided_case(world.partnership)
    review = services.practice_review_start(
        auditor=SYSTEM, case=case, kind="local", decision_date=date(2026, 1, 12)
    )
    services.practice_review_hold(
        auditor=SYSTEM,
        review=review,
        reason="Awaiting a criminal trial",
        started_on=date(2026, 2, 1),
        panel_told_on=date(2026, 2, 2),
    )
    clock = _clock(case, ClockKind.PUBLICATION)
    assert clock.suspended and clock.suspended_reason == "Awaiting a criminal trial"
    services.practice_review_release_hold(
        auditor=SYSTEM, review=review, released_on=date(2026, 3, 2)
    )
    assert not _clock(case, ClockKind.PUBLICATION).suspended


def test_information_request_defaults_to_day_ten_and_has_its_own_clock(world):
    case = notified_case(world.partnership, aware=date(2025, 12, 3), sent=date(2025, 12, 8))
    request = services.information_request_create(
        auditor=SYSTEM, case=case, agency=world.agency, requested_on=date(2025, 12, 8)
    )
    # 10 working days after Monday 8 December 2025 is Monday 22 December 2025.
    assert request.due_on == date(2025, 12, 22)
    assert Clock.objects.get(information_request=request).due_date == date(2025, 12, 22)
    services.information_request_return(
        auditor=SYSTEM, request=request, returned_on=date(2025, 12, 19)
    )
    assert Clock.objects.get(information_request=request).done_on == date(2025, 12, 19)


def test_a_case_without_notification_has_no_clocks(world):
    case = open_case(world.partnership)
    assert not Clock.objects.filter(case=case).exists()
