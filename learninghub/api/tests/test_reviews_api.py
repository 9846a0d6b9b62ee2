"""The case review endpoints: restricted reads, token writes through the services, the pages'
messages for what the guidance refuses, and a child's identifying details never leaving."""

import json
import logging
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learninghub.api.errors import UNAUTHORISED
from learninghub.core import calendar
from learninghub.core.audit.auditor import Auditor
from learninghub.core.audit.models import AuditEvent
from learninghub.core.permissions import Role
from learninghub.core.taxonomy.models import Theme
from learninghub.partnerships.tests.factories import AgencyFactory, MembershipFactory, member
from learninghub.reviews import selectors as review_selectors
from learninghub.reviews import services
from learninghub.reviews.models import Case, Clock, InformationRequest, PracticeReview
from learninghub.reviews.tests.factories import (
    SYSTEM,
    decided_case,
    notified_case,
    open_case,
    reviewed_case,
)
from learninghub.reviews.tests.milestone_helpers import final_report, sign_off

from .factories import bearer, make_token

pytestmark = pytest.mark.django_db

# "Today" for the clocks' statuses, so they do not drift with the calendar.
TODAY = date(2026, 2, 2)

CHILD_C = {"pseudonym": "Child C", "age_band": "1_4", "sex": "male", "ethnicity": "white_british"}
NEW_CASE = {
    "reference": "ndscp-2025-003",
    "children": [CHILD_C],
    "cdop_reference": "NCMD-123",
}


def child_c(**change) -> dict:
    """NEW_CASE's one child, changed."""
    return {"children": [{**CHILD_C, **change}]}


NOTIFICATION = {
    "incident_date": "2025-12-01",
    "aware_date": "2025-12-03",
    "seriously_harmed": True,
    "abuse_or_neglect_suspected": True,
    "sent_to_panel_on": "2025-12-08",
    "panel_reference": "P-2025-77",
}


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(review_selectors, "today", lambda: TODAY)


@pytest.fixture
def bu_key(token_for):
    return token_for("business_unit")


def send(client, method, url, data=None, key=None, **extra):
    if key is not None:
        extra.update(bearer(key))
    if method == "get":
        return client.get(url, data or {}, **extra)
    body = json.dumps(data) if data is not None else ""
    return getattr(client, method)(url, body, content_type="application/json", **extra)


def case_url(case, rest: str = "") -> str:
    return f"/api/cases/{case.pk}{rest}"


def errors(response) -> list[tuple]:
    assert response.status_code == 422, response.content
    return [(e["field"], e["message"]) for e in response.json()["detail"]]


def events(action: str):
    return AuditEvent.objects.filter(action=action)


def neglect() -> Theme:
    return Theme.objects.get(slug="neglect")


def full_case(world):
    """A case at every stage: rapid review with two agencies asked, a practice review with
    its reviewer, findings and recommendations."""
    case = reviewed_case(
        world.partnership, reviewer=world.user("independent_reviewer"), agencies=[world.agency]
    )
    school = AgencyFactory(partnership=world.partnership, name="Ashby School")
    for agency in (world.agency, school):
        services.information_request_create(
            auditor=SYSTEM, case=case, agency=agency, requested_on=date(2025, 12, 9)
        )
    services.finding_add(
        auditor=SYSTEM, case=case, text="Nobody saw the whole picture", themes=[neglect()]
    )
    services.recommendation_add(
        auditor=SYSTEM,
        case=case,
        text="Share chronologies",
        to_partnership=True,
        agencies=[world.agency],
        themes=[neglect()],
    )
    return case


# Reading: the case list -------------------------------------------------------------------


def test_the_case_list_shows_the_partnerships_cases_newest_first(world, client, bu_key):
    fresh = open_case(world.partnership, reference="NDSCP-2025-001", pseudonym="Child A")
    notified = notified_case(world.partnership, reference="NDSCP-2025-002", pseudonym="Child B")
    open_case(world.other_partnership, reference="EMSCP-2025-001")
    response = send(client, "get", "/api/cases", key=bu_key)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [c["reference"] for c in body["items"]] == ["NDSCP-2025-002", "NDSCP-2025-001"]
    first, second = body["items"]
    assert second == {
        "id": fresh.pk,
        "partnership_id": world.partnership.pk,
        "reference": "NDSCP-2025-001",
        "pseudonym": "Child A",
        "cdop_reference": "",
        "opened_at": second["opened_at"],
        "stage": "notification",
        "open_clocks": 0,
        "next_deadline": None,
    }
    assert first["id"] == notified.pk
    # Notified on 8 December 2025: the rapid review is the deadline still running.
    assert first["stage"] == "rapid_review"
    assert first["open_clocks"] == 1
    assert first["next_deadline"]["kind"] == "rapid_review"
    assert first["next_deadline"]["due_date"] == "2025-12-31"
    assert first["next_deadline"]["status"] == "overdue"


def test_the_case_review_group_reads_with_its_session(world, client_for):
    open_case(world.partnership)
    response = client_for("case_review_group").get("/api/cases")
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_the_case_list_filters_by_stage_and_search(world, client, bu_key):
    open_case(world.partnership, reference="NDSCP-2025-001", pseudonym="Child A")
    notified_case(world.partnership, reference="NDSCP-2025-002", pseudonym="Child B")
    reviewed_case(world.partnership, reference="NDSCP-2025-003", pseudonym="Baby C")

    def references(query):
        response = send(client, "get", "/api/cases", query, key=bu_key)
        assert response.status_code == 200
        return [c["reference"] for c in response.json()["items"]]

    assert references({"stage": "notification"}) == ["NDSCP-2025-001"]
    assert references({"stage": "rapid_review"}) == ["NDSCP-2025-002"]
    assert references({"stage": "practice_review"}) == ["NDSCP-2025-003"]
    assert references({"stage": "published"}) == []
    assert references({"q": "baby"}) == ["NDSCP-2025-003"]
    assert references({"q": "2025-00"}) == ["NDSCP-2025-003", "NDSCP-2025-002", "NDSCP-2025-001"]
    assert references({"q": "  child  ", "stage": "rapid_review"}) == ["NDSCP-2025-002"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"stage": "closed"}, "stage"),
        ({"q": "x" * 101}, "q"),
        ({"q": "a\x00b"}, "q"),
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
    ],
)
def test_the_case_list_refuses_bad_filters(world, client, bu_key, query, field):
    response = send(client, "get", "/api/cases", query, key=bu_key)
    assert [f for f, _ in errors(response)] == [field]


def test_the_case_list_pages(world, client, bu_key):
    for n in range(5):
        open_case(world.partnership, reference=f"NDSCP-2025-{n:03}")
    body = send(client, "get", "/api/cases", {"limit": 2, "offset": 2}, key=bu_key).json()
    assert body["count"] == 5
    assert len(body["items"]) == 2


@pytest.mark.parametrize(
    "role", ["practitioner", "agency_lead", "independent_reviewer", "system_admin"]
)
def test_the_case_list_is_404_outside_a_case_team(world, client_for, role):
    open_case(world.partnership)
    response = client_for(role).get("/api/cases")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found"}


def test_a_system_administrators_token_reads_no_cases(world, client, token_for):
    case = open_case(world.partnership)
    key = token_for("system_admin")
    assert send(client, "get", "/api/cases", key=key).status_code == 404
    assert send(client, "get", case_url(case), key=key).status_code == 404


# Reading: one case ------------------------------------------------------------------------


def test_a_case_in_full(world, client, bu_key):
    case = full_case(world)
    response = send(client, "get", case_url(case), key=bu_key)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "id",
        "partnership",
        "reference",
        "pseudonym",
        "children",
        "cdop_reference",
        "opened_at",
        "stage",
        "agencies",
        "themes",
        "notification",
        "rapid_review",
        "practice_review",
        "findings",
        "recommendations",
        "clocks",
    }
    assert body["partnership"] == {
        "id": world.partnership.pk,
        "name": "Northdale Safeguarding Children Partnership",
        "short_name": "NDSCP",
    }
    assert body["reference"] == "TEST-2025-001"
    (child,) = body["children"]
    assert child == {
        "id": case.children.get().pk,
        "position": 1,
        "pseudonym": "Child A",
        "age_band": "1_4",
        "age_band_label": "1 to 4",
        "sex": "female",
        "sex_label": "Female",
        "ethnicity": "not_known",
        "ethnicity_label": child["ethnicity_label"],
    }
    assert body["stage"] == "practice_review"
    assert body["agencies"] == [{"id": world.agency.pk, "name": "Northdale Police"}]
    assert body["notification"] == {
        "incident_date": "2025-12-03",
        "aware_date": "2025-12-03",
        "child_died": False,
        "seriously_harmed": True,
        "abuse_or_neglect_suspected": True,
        "care_status": "",
        "sent_to_panel_on": "2025-12-08",
        "sent_to_ofsted_on": None,
        "sent_to_secretary_of_state_on": None,
        "panel_reference": "",
    }
    rapid = body["rapid_review"]
    assert rapid["decision"] == "local_review"
    assert rapid["decision_label"] == "Local child safeguarding practice review"
    assert rapid["sent_to_panel_on"] == "2025-12-23"
    assert rapid["panel_response"] is None and rapid["panel_response_label"] is None
    assert [r["agency"]["name"] for r in rapid["information_requests"]] == [
        "Ashby School",
        "Northdale Police",
    ]
    assert rapid["information_requests"][0]["due_on"] == "2025-12-22"  # day 10
    review = body["practice_review"]
    assert review["kind"] == "local"
    assert review["decision_date"] == "2026-01-12"
    assert review["methodology"] == "silp"
    assert review["independent_reviewer"] == {
        "id": world.user("independent_reviewer").pk,
        "name": world.user("independent_reviewer").full_name,
    }
    assert [f["text"] for f in body["findings"]] == ["Nobody saw the whole picture"]
    assert body["findings"][0]["themes"] == [
        {"id": neglect().pk, "slug": "neglect", "name": "Neglect"}
    ]
    (recommendation,) = body["recommendations"]
    assert recommendation["to_partnership"] is True
    assert recommendation["agencies"] == [{"id": world.agency.pk, "name": "Northdale Police"}]
    kinds = [c["kind"] for c in body["clocks"]]
    assert sorted(kinds) == [
        "information_request",
        "information_request",
        "notification",
        "publication",
        "rapid_review",
    ]


def test_clocks_name_their_rule_and_status(world, client, bu_key):
    case = reviewed_case(world.partnership)
    services.information_request_create(
        auditor=SYSTEM,
        case=case,
        agency=world.agency,
        requested_on=date(2025, 12, 9),
        due_on=date(2026, 2, 4),
    )
    response = send(client, "get", case_url(case, "/clocks"), key=bu_key)
    assert response.status_code == 200
    clocks = {c["kind"]: c for c in response.json()}
    assert clocks["notification"] == {
        "kind": "notification",
        "kind_label": "Notification to the Panel",
        "rule": "notification",
        "start_date": "2025-12-03",
        "due_date": "2025-12-10",
        "description": "5 working days from becoming aware on 3 December 2025",
        "status": "met",
        "done_on": "2025-12-08",
        "suspended": False,
        "suspended_reason": "",
        "information_request_id": None,
    }
    assert clocks["rapid_review"]["description"] == (
        "15 working days from notification on 8 December 2025"
    )
    assert clocks["rapid_review"]["status"] == "met"
    # Due on Wednesday 4 February; "today" is Monday 2 February.
    request = clocks["information_request"]
    assert request["status"] == "due soon"
    assert request["information_request_id"] == InformationRequest.objects.get().pk
    assert request["description"] == "Summary from Northdale Police, requested on 9 December 2025"
    assert clocks["publication"]["status"] == "on track"
    assert clocks["publication"]["due_date"] == "2026-07-12"
    assert clocks["publication"]["description"] == "6 months from the decision on 12 January 2026"


def test_statuses_come_from_the_calendar(world, client, bu_key):
    case = notified_case(world.partnership, aware=date(2025, 12, 3), sent=date(2025, 12, 12))
    clocks = {
        c["kind"]: c for c in send(client, "get", case_url(case, "/clocks"), key=bu_key).json()
    }
    assert clocks["notification"]["status"] == "met late"
    assert clocks["rapid_review"]["status"] == "overdue"
    for clock in Clock.objects.filter(case=case):
        assert clocks[clock.kind]["status"] == str(
            calendar.deadline_status(clock.due_date, done_on=clock.done_on, today=TODAY)
        )


def test_a_clock_on_hold_says_so_with_its_reason(world, client, bu_key):
    case = reviewed_case(world.partnership)
    services.practice_review_hold(
        auditor=SYSTEM,
        review=PracticeReview.objects.get(case=case),
        reason="Criminal trial listed for March",
        started_on=date(2026, 1, 20),
        panel_told_on=None,
    )
    clocks = {
        c["kind"]: c for c in send(client, "get", case_url(case, "/clocks"), key=bu_key).json()
    }
    assert clocks["publication"]["suspended"] is True
    assert clocks["publication"]["suspended_reason"] == "Criminal trial listed for March"
    review = send(client, "get", case_url(case), key=bu_key).json()["practice_review"]
    assert review["on_hold"] is True and review["hold_started_on"] == "2026-01-20"


def test_reading_a_case_is_in_the_access_log(world, client):
    case = open_case(world.partnership)
    _, key = make_token(world.user("business_unit"))
    send(client, "get", case_url(case), key=key, REMOTE_ADDR="203.0.113.7")
    send(client, "get", case_url(case, "/clocks"), key=key)
    reads = events("reviews.case.read").filter(kind=AuditEvent.Kind.READ)
    assert reads.count() == 2
    event = reads.order_by("id").first()
    assert event.actor == world.user("business_unit")
    assert event.object_id == str(case.pk)
    assert event.partnership_id == world.partnership.pk
    assert event.ip_address == "203.0.113.7"


def test_the_case_review_group_reads_a_case_with_its_session(world, client_for):
    case = open_case(world.partnership)
    response = client_for("case_review_group").get(case_url(case))
    assert response.status_code == 200
    assert events("reviews.case.read").get().actor == world.user("case_review_group")


@pytest.mark.parametrize(
    "role",
    ["other_business_unit", "practitioner", "agency_lead", "independent_reviewer", "system_admin"],
)
@pytest.mark.parametrize("rest", ["", "/clocks"])
def test_a_case_outside_the_persons_case_team_is_404(world, client_for, role, rest):
    # The independent reviewer is the review's own: they still never see the case.
    case = reviewed_case(world.partnership, reviewer=world.user("independent_reviewer"))
    response = client_for(role).get(case_url(case, rest))
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found"}
    assert not events("reviews.case.read").exists()


def test_another_business_units_token_gets_404(world, client, token_for):
    case = open_case(world.partnership)
    key = token_for("other_business_unit")
    assert send(client, "get", case_url(case), key=key).status_code == 404
    assert send(client, "get", case_url(case, "/clocks"), key=key).status_code == 404


def test_a_member_who_has_left_the_business_unit_no_longer_reads(world, client):
    case = open_case(world.partnership)
    user = world.user("business_unit")
    _, key = make_token(user)
    user.memberships.update(role=Role.PRACTITIONER)
    assert send(client, "get", case_url(case), key=key).status_code == 401


@pytest.mark.parametrize("case_id", ["999999", str(2**63 - 1), str(10**30)])
def test_a_missing_case_is_404(world, client, bu_key, case_id):
    assert send(client, "get", f"/api/cases/{case_id}", key=bu_key).status_code == 404


@pytest.mark.parametrize("url", ["/api/cases", "/api/cases/1", "/api/cases/1/clocks"])
def test_reads_without_credentials_are_401(world, client, url):
    open_case(world.partnership)
    response = client.get(url)
    assert response.status_code == 401
    assert response.json() == {"detail": UNAUTHORISED}
    response = client.get(url, HTTP_AUTHORIZATION="Bearer slh_not-a-token")
    assert response.status_code == 401


def test_a_token_reads_as_its_person_whatever_the_session(world, client_for, bu_key):
    case = open_case(world.partnership)
    browser = client_for("other_business_unit")
    assert browser.get(case_url(case)).status_code == 404
    assert send(browser, "get", case_url(case), key=bu_key).status_code == 200
    assert events("reviews.case.read").get().actor == world.user("business_unit")


# Writing: who may ------------------------------------------------------------------------


def test_a_session_cookie_alone_cannot_write(world, client_for):
    case = notified_case(world.partnership)
    browser = client_for("business_unit")
    browser.get("/account/api-tokens/")
    csrf = browser.cookies.get("hub_csrftoken")
    extra = {"HTTP_X_CSRFTOKEN": csrf.value} if csrf else {}
    attempts = [
        ("post", "/api/cases", NEW_CASE),
        ("put", case_url(case, "/notification"), NOTIFICATION),
        ("patch", case_url(case, "/rapid-review"), {"meeting_date": "2025-12-18"}),
        ("post", case_url(case, "/findings"), {"text": "A finding"}),
    ]
    for method, url, data in attempts:
        response = send(browser, method, url, data, **extra)
        assert response.status_code == 401, url
    assert Case.objects.count() == 1
    assert not events("reviews.rapid_review.update").exists()


@pytest.mark.parametrize("role", ["other_business_unit", "system_admin"])
def test_token_holders_outside_the_case_team_get_404_on_its_writes(world, client, token_for, role):
    case = decided_case(world.partnership)
    key = token_for(role)
    attempts = [
        ("put", "/notification", NOTIFICATION),
        ("patch", "/rapid-review", {"meeting_date": "2025-12-18"}),
        (
            "post",
            "/information-requests",
            {"agency_id": world.agency.pk, "requested_on": "2025-12-09"},
        ),
        ("post", "/practice-review", {"kind": "local", "decision_date": "2026-01-12"}),
        ("patch", "/practice-review", {"methodology": "silp"}),
        ("post", "/practice-review/hold", {"reason": "Trial", "started_on": "2026-01-20"}),
        ("delete", "/practice-review/hold", None),
        ("post", "/practice-review/not-publishing", {"reasons": "Siblings"}),
        ("post", "/findings", {"text": "A finding"}),
        ("post", "/recommendations", {"text": "A recommendation", "to_partnership": True}),
    ]
    for method, rest, data in attempts:
        response = send(client, method, case_url(case, rest), data, key)
        assert response.status_code == 404, rest
        assert response.json() == {"detail": "Not found"}
    assert not PracticeReview.objects.exists()
    assert not InformationRequest.objects.exists()


def test_only_a_business_unit_opens_a_case(world, client, token_for):
    response = send(client, "post", "/api/cases", NEW_CASE, token_for("system_admin"))
    assert response.status_code == 404
    assert not Case.objects.exists()


# Opening a case ---------------------------------------------------------------------------


def test_the_business_unit_opens_a_case(world, client):
    _, key = make_token(world.user("business_unit"))
    data = {
        **NEW_CASE,
        "agency_ids": [world.agency.pk],
        "themes": ["domestic-abuse", neglect().pk],
    }
    response = send(client, "post", "/api/cases", data, key, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 201, response.content
    case = Case.objects.get()
    assert case.partnership == world.partnership
    body = response.json()
    assert body["id"] == case.pk
    assert body["reference"] == "NDSCP-2025-003"  # as the service keeps it
    assert body["pseudonym"] == "Child C"
    (child,) = body["children"]
    assert child["pseudonym"] == "Child C" and child["position"] == 1
    assert child["ethnicity_label"] == (
        "White: English, Welsh, Scottish, Northern Irish or British"
    )
    assert body["cdop_reference"] == "NCMD-123"
    assert body["agencies"] == [{"id": world.agency.pk, "name": "Northdale Police"}]
    assert [t["slug"] for t in body["themes"]] == ["domestic-abuse", "neglect"]
    assert body["notification"] is None and body["rapid_review"] is None
    assert body["clocks"] == [] and body["stage"] == "notification"
    event = events("reviews.case.open").get()
    assert event.actor == world.user("business_unit")
    assert event.ip_address == "203.0.113.9"
    assert event.partnership_id == world.partnership.pk


def test_a_business_unit_of_two_partnerships_names_one(world, client):
    user = world.user("business_unit")
    MembershipFactory(user=user, partnership=world.other_partnership, role=Role.BUSINESS_UNIT)
    _, key = make_token(user)
    response = send(client, "post", "/api/cases", NEW_CASE, key)
    assert errors(response) == [
        (
            "partnership_id",
            "You are in the business unit of more than one partnership. "
            "Give the partnership_id of the one to open the case in",
        )
    ]
    data = {**NEW_CASE, "partnership_id": world.other_partnership.pk}
    assert send(client, "post", "/api/cases", data, key).status_code == 201
    assert Case.objects.get().partnership == world.other_partnership


def test_a_case_cannot_be_opened_in_another_partnership(world, client, bu_key):
    data = {**NEW_CASE, "partnership_id": world.other_partnership.pk}
    assert errors(send(client, "post", "/api/cases", data, bu_key)) == [
        ("partnership_id", "Choose a partnership whose business unit you are in")
    ]
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"reference": "  "}, [("reference", "Enter the case reference")]),
        (child_c(pseudonym=""), [("children.0.pseudonym", "Enter a pseudonym for the child")]),
        ({"reference": "x" * 41}, [("reference", "String should have at most 40 characters")]),
        (child_c(sex="unknown"), [("children.0.sex", None)]),
        (child_c(age_band=None), [("children.0.age_band", None)]),
        ({"children": []}, [("children", None)]),
        ({"children": [CHILD_C] * 5}, [("children", None)]),
        ({"agency_ids": [999999]}, [("agency_ids", "Choose agencies in this partnership")]),
        ({"agency_ids": [0]}, [("agency_ids.0", None)]),
        ({"themes": ["not-a-theme"]}, [("themes", "Choose themes from the list")]),
        ({"themes": [999999]}, [("themes", "Choose themes from the list")]),
        ({"themes": [0]}, [("themes.0", "Give each theme as its id or its slug")]),
        ({"themes": [True]}, [("themes.0", "Give each theme as its id or its slug")]),
        ({"themes": ["neglect", None]}, [("themes.1", "Give each theme as its id or its slug")]),
        ({"themes": "neglect"}, [("themes", None)]),
        ({"pseudonym": "Child\x00A"}, [("pseudonym", "Null characters are not allowed")]),
        (
            child_c(pseudonym="Child\x00A"),
            [("children.0.pseudonym", "Null characters are not allowed")],
        ),
        # Identifying details are never taken here: they have their own page.
        ({"child_name": "Someone Real"}, [("child_name", "Extra inputs are not permitted")]),
        (
            child_c(child_name="Someone Real"),
            [("children.0.child_name", "Extra inputs are not permitted")],
        ),
    ],
)
def test_opening_a_case_validates_input(world, client, bu_key, change, expected):
    response = send(client, "post", "/api/cases", {**NEW_CASE, **change}, bu_key)
    found = errors(response)
    assert [f for f, _ in found] == [f for f, _ in expected]
    for (_, message), (_, wanted) in zip(found, expected, strict=True):
        if wanted:
            assert message == wanted
    assert not Case.objects.exists()


def test_another_partnerships_agency_is_refused(world, client, bu_key):
    data = {**NEW_CASE, "agency_ids": [world.other_agency.pk]}
    assert errors(send(client, "post", "/api/cases", data, bu_key)) == [
        ("agency_ids", "Choose agencies in this partnership")
    ]


def test_a_duplicate_reference_gives_the_pages_message(world, client, bu_key):
    open_case(world.partnership, reference="NDSCP-2025-003")
    assert errors(send(client, "post", "/api/cases", NEW_CASE, bu_key)) == [
        ("reference", "A case with the reference NDSCP-2025-003 already exists")
    ]


# Notification -----------------------------------------------------------------------------


def test_recording_the_notification_starts_the_rapid_review_clock(world, client, bu_key):
    case = open_case(world.partnership)
    response = send(client, "put", case_url(case, "/notification"), NOTIFICATION, bu_key)
    assert response.status_code == 200, response.content
    assert response.json() == {
        "incident_date": "2025-12-01",
        "aware_date": "2025-12-03",
        "child_died": False,
        "seriously_harmed": True,
        "abuse_or_neglect_suspected": True,
        "care_status": "",
        "sent_to_panel_on": "2025-12-08",
        "sent_to_ofsted_on": None,
        "sent_to_secretary_of_state_on": None,
        "panel_reference": "P-2025-77",
    }
    event = events("reviews.notification.create").get()
    assert event.actor == world.user("business_unit")
    kinds = {
        c["kind"]: c["due_date"]
        for c in send(client, "get", case_url(case, "/clocks"), key=bu_key).json()
    }
    assert kinds == {"notification": "2025-12-10", "rapid_review": "2025-12-31"}


def test_a_put_replaces_the_notification(world, client, bu_key):
    case = open_case(world.partnership)
    send(client, "put", case_url(case, "/notification"), NOTIFICATION, bu_key)
    data = {k: v for k, v in NOTIFICATION.items() if k != "panel_reference"}
    response = send(client, "put", case_url(case, "/notification"), data, bu_key)
    assert response.json()["panel_reference"] == ""
    assert events("reviews.notification.update").get().changes == {
        "panel_reference": ["P-2025-77", ""]
    }


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"seriously_harmed": False},
            [
                (
                    "child_died",
                    "A notifiable incident is one where the child died or was seriously "
                    "harmed. Select at least one",
                ),
                (
                    "sent_to_panel_on",
                    "The Panel is notified of serious incidents only (abuse or neglect known or "
                    "suspected, and the child died or was seriously harmed)",
                ),
            ],
        ),
        (
            {"abuse_or_neglect_suspected": False},
            [
                (
                    "abuse_or_neglect_suspected",
                    "A notifiable incident is one where abuse or neglect is known or suspected, "
                    "unless a looked-after child or a care leaver died: select which applies",
                ),
                (
                    "sent_to_panel_on",
                    "The Panel is notified of serious incidents only (abuse or neglect known or "
                    "suspected, and the child died or was seriously harmed)",
                ),
            ],
        ),
        (
            {"aware_date": "2025-11-30"},
            [
                (
                    "aware_date",
                    "The date of becoming aware must be the same as or after the incident date",
                )
            ],
        ),
        (
            {"incident_date": "2099-01-01", "aware_date": "2099-01-01", "sent_to_panel_on": None},
            [
                ("incident_date", "The incident date must be today or in the past"),
                (
                    "aware_date",
                    "The date the local authority became aware must be today or in the past",
                ),
            ],
        ),
        (
            {"sent_to_ofsted_on": "2025-12-08"},
            [
                (
                    "sent_to_ofsted_on",
                    "Ofsted and the Secretary of State are notified of the deaths of "
                    "looked-after children and care leavers only",
                )
            ],
        ),
    ],
)
def test_the_notification_gives_the_pages_messages(world, client, bu_key, change, expected):
    case = open_case(world.partnership)
    response = send(
        client, "put", case_url(case, "/notification"), {**NOTIFICATION, **change}, bu_key
    )
    assert errors(response) == expected
    assert not Clock.objects.exists()
    assert not events("reviews.notification.create").exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2025-13-01", "The date must be a real date"),
        ("2025-02-30", "The date must be a real date"),
        ("1899-12-31", "The date must be a real date"),
        ("03/12/2025", "Enter the date as YYYY-MM-DD, for example 2025-12-03"),
        ("2025-12-3", "Enter the date as YYYY-MM-DD, for example 2025-12-03"),
        ("20251203", "Enter the date as YYYY-MM-DD, for example 2025-12-03"),
        ("2025-12-03T00:00:00", "Enter the date as YYYY-MM-DD, for example 2025-12-03"),
        ("2025-W49-3", "Enter the date as YYYY-MM-DD, for example 2025-12-03"),
        ("", "Enter the date as YYYY-MM-DD, for example 2025-12-03"),
        (1764720000, "Enter the date as YYYY-MM-DD, for example 2025-12-03"),
        ("٢٠٢٥-١٢-٠٣", "Enter the date as YYYY-MM-DD, for example 2025-12-03"),
    ],
)
def test_dates_are_iso_and_real(world, client, bu_key, value, message):
    case = open_case(world.partnership)
    data = {**NOTIFICATION, "incident_date": value}
    response = send(client, "put", case_url(case, "/notification"), data, bu_key)
    assert errors(response) == [("incident_date", message)]


def test_the_notification_needs_its_dates(world, client, bu_key):
    case = open_case(world.partnership)
    response = send(client, "put", case_url(case, "/notification"), {"child_died": True}, bu_key)
    # The incident date may not be known (yet); the date of becoming aware starts the clock.
    assert [f for f, _ in errors(response)] == ["aware_date"]


# Rapid review -----------------------------------------------------------------------------


def test_the_rapid_review_changes_only_what_is_sent(world, client, bu_key):
    case = notified_case(world.partnership)
    url = case_url(case, "/rapid-review")
    response = send(client, "patch", url, {"meeting_date": "2025-12-18"}, bu_key)
    assert response.status_code == 200, response.content
    assert response.json()["meeting_date"] == "2025-12-18"
    response = send(
        client,
        "patch",
        url,
        {
            "partners_signed_off_on": "2025-12-22",
            "decision": "national_referral",
            "decision_reasons": "Learning of national importance",
        },
        bu_key,
    )
    body = response.json()
    assert body["meeting_date"] == "2025-12-18"
    assert body["decision"] == "national_referral"
    assert body["decision_label"] == "Referral for a national review"
    event = events("reviews.rapid_review.update").order_by("-id").first()
    assert event.actor == world.user("business_unit")
    assert set(event.changes) == {"partners_signed_off_on", "decision", "decision_reasons"}


def test_null_clears_a_rapid_review_date(world, client, bu_key):
    case = notified_case(world.partnership)
    url = case_url(case, "/rapid-review")
    send(client, "patch", url, {"meeting_date": "2025-12-18"}, bu_key)
    assert send(client, "patch", url, {"meeting_date": None}, bu_key).json()["meeting_date"] is None


def test_an_empty_rapid_review_change_writes_nothing(world, client, bu_key):
    case = notified_case(world.partnership)
    response = send(client, "patch", case_url(case, "/rapid-review"), {}, bu_key)
    assert response.status_code == 200
    assert response.json()["information_requests"] == []
    assert not events("reviews.rapid_review.update").exists()


def test_no_panel_response_before_the_rapid_review_was_sent(world, client, bu_key):
    case = notified_case(world.partnership)
    data = {"panel_response": "agrees", "panel_response_on": "2026-01-05"}
    response = send(client, "patch", case_url(case, "/rapid-review"), data, bu_key)
    assert errors(response) == [
        (
            "panel_response",
            "You cannot record the Panel's response before the rapid review was sent to the Panel",
        )
    ]
    assert not events("reviews.rapid_review.update").exists()


def test_no_rapid_review_before_the_notification_was_sent(world, client, bu_key):
    case = open_case(world.partnership)
    response = send(
        client, "patch", case_url(case, "/rapid-review"), {"meeting_date": "2025-12-18"}, bu_key
    )
    assert errors(response) == [
        (
            "meeting_date",
            "Record when the notification was sent to the Panel first: the rapid review "
            "starts then",
        )
    ]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"decision": "maybe"}, "decision"),
        ({"decision": ""}, "decision"),
        ({"meeting_date": "18/12/2025"}, "meeting_date"),
        ({"meeting_dat": "2025-12-18"}, "meeting_dat"),
        ({"decision_reasons": "x" * 20_001}, "decision_reasons"),
    ],
)
def test_the_rapid_review_validates_input(world, client, bu_key, data, field):
    case = notified_case(world.partnership)
    response = send(client, "patch", case_url(case, "/rapid-review"), data, bu_key)
    assert [f for f, _ in errors(response)] == [field]


# Information requests ---------------------------------------------------------------------


def test_asking_an_agency_for_its_summary(world, client, bu_key):
    case = notified_case(world.partnership)
    data = {"agency_id": world.agency.pk, "requested_on": "2025-12-09"}
    response = send(client, "post", case_url(case, "/information-requests"), data, bu_key)
    assert response.status_code == 201, response.content
    request = InformationRequest.objects.get()
    assert response.json() == {
        "id": request.pk,
        "agency": {"id": world.agency.pk, "name": "Northdale Police"},
        "requested_on": "2025-12-09",
        "due_on": "2025-12-22",  # day 10 after the notification on 8 December
        "returned_on": None,
    }
    assert events("reviews.information_request.create").get().actor == world.user("business_unit")
    assert Clock.objects.filter(information_request=request, due_date=date(2025, 12, 22)).exists()


@pytest.mark.parametrize(
    ("agency", "message"),
    [
        (lambda w: w.other_agency.pk, "Choose an agency in this partnership"),
        (lambda w: 999999, "Choose an agency in this partnership"),
        (
            lambda w: AgencyFactory(partnership=w.partnership, is_active=False).pk,
            "Choose an agency in this partnership",
        ),
    ],
)
def test_only_the_partnerships_agencies_are_asked(world, client, bu_key, agency, message):
    case = notified_case(world.partnership)
    data = {"agency_id": agency(world), "requested_on": "2025-12-09"}
    response = send(client, "post", case_url(case, "/information-requests"), data, bu_key)
    assert errors(response) == [("agency_id", message)]
    assert not InformationRequest.objects.exists()


def test_an_agency_is_asked_once(world, client, bu_key):
    case = notified_case(world.partnership)
    data = {"agency_id": world.agency.pk, "requested_on": "2025-12-09"}
    send(client, "post", case_url(case, "/information-requests"), data, bu_key)
    response = send(client, "post", case_url(case, "/information-requests"), data, bu_key)
    assert errors(response) == [
        ("agency_id", "Northdale Police has already been asked for its summary")
    ]


def test_a_due_date_before_the_request_is_refused(world, client, bu_key):
    case = notified_case(world.partnership)
    data = {"agency_id": world.agency.pk, "requested_on": "2025-12-09", "due_on": "2025-12-01"}
    response = send(client, "post", case_url(case, "/information-requests"), data, bu_key)
    assert errors(response) == [("due_on", "The due date must be after the request date")]


def test_recording_a_summary_as_returned(world, client, bu_key):
    case = notified_case(world.partnership)
    asked = services.information_request_create(
        auditor=SYSTEM, case=case, agency=world.agency, requested_on=date(2025, 12, 9)
    )
    url = case_url(case, f"/information-requests/{asked.pk}/return")
    response = send(client, "post", url, {"returned_on": "2025-12-19"}, bu_key)
    assert response.status_code == 200, response.content
    assert response.json()["returned_on"] == "2025-12-19"
    assert Clock.objects.get(information_request=asked).done_on == date(2025, 12, 19)
    event = events("reviews.information_request.return").get()
    assert event.actor == world.user("business_unit")
    response = send(client, "post", url, {"returned_on": "2025-12-01"}, bu_key)
    assert errors(response) == [
        ("returned_on", "The summary cannot be returned before it was requested")
    ]


def test_another_cases_request_is_404(world, client, bu_key):
    case = notified_case(world.partnership)
    other = notified_case(world.partnership, reference="TEST-2025-002")
    asked = services.information_request_create(
        auditor=SYSTEM, case=other, agency=world.agency, requested_on=date(2025, 12, 9)
    )
    url = case_url(case, f"/information-requests/{asked.pk}/return")
    assert send(client, "post", url, {"returned_on": "2025-12-19"}, bu_key).status_code == 404
    assert InformationRequest.objects.get().returned_on is None


# Practice review --------------------------------------------------------------------------


def test_starting_the_practice_review(world, client, bu_key):
    case = decided_case(world.partnership)
    data = {"kind": "local", "decision_date": "2026-01-12"}
    response = send(client, "post", case_url(case, "/practice-review"), data, bu_key)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "local"
    assert body["kind_label"] == "Local child safeguarding practice review"
    assert body["independent_reviewer"] is None and body["methodology"] is None
    assert events("reviews.practice_review.start").get().actor == world.user("business_unit")
    clock = Clock.objects.get(case=case, kind="publication")
    assert clock.due_date == date(2026, 7, 12)
    response = send(client, "post", case_url(case, "/practice-review"), data, bu_key)
    assert errors(response) == [("kind", "This case already has a practice review")]


def test_no_practice_review_without_a_decision_to_hold_one(world, client, bu_key):
    case = notified_case(world.partnership)
    data = {"kind": "local", "decision_date": "2026-01-12"}
    response = send(client, "post", case_url(case, "/practice-review"), data, bu_key)
    assert errors(response) == [
        (
            "kind",
            "A practice review follows a rapid review decision to hold one. "
            "Record that decision first",
        )
    ]


def test_changing_a_practice_review_that_has_not_started_is_404(world, client, bu_key):
    case = decided_case(world.partnership)
    response = send(client, "patch", case_url(case, "/practice-review"), {}, bu_key)
    assert response.status_code == 404
    assert response.json() == {"detail": "This case has no practice review. Start one first"}


def test_appointing_the_independent_reviewer(world, client, bu_key):
    case = reviewed_case(world.partnership)
    reviewer = world.user("independent_reviewer")
    data = {"independent_reviewer_id": reviewer.pk, "methodology": "learning_together"}
    response = send(client, "patch", case_url(case, "/practice-review"), data, bu_key)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["independent_reviewer"] == {"id": reviewer.pk, "name": reviewer.full_name}
    assert body["methodology_label"] == "Learning Together"
    assert PracticeReview.objects.get().independent_reviewer == reviewer
    # Unchanged when left out; cleared with null.
    body = send(
        client, "patch", case_url(case, "/practice-review"), {"terms_of_reference": "ToR"}, bu_key
    ).json()
    assert body["independent_reviewer"]["id"] == reviewer.pk
    body = send(
        client,
        "patch",
        case_url(case, "/practice-review"),
        {"independent_reviewer_id": None},
        bu_key,
    ).json()
    assert body["independent_reviewer"] is None


@pytest.mark.parametrize(
    "person",
    [
        lambda w: w.user("practitioner"),
        lambda w: w.user("business_unit"),
        lambda w: member(w.other_partnership, Role.INDEPENDENT_REVIEWER),
        lambda w: type("Nobody", (), {"pk": 999999})(),
    ],
)
def test_only_the_partnerships_independent_reviewers_are_appointed(world, client, bu_key, person):
    case = reviewed_case(world.partnership)
    data = {"independent_reviewer_id": person(world).pk}
    response = send(client, "patch", case_url(case, "/practice-review"), data, bu_key)
    assert errors(response) == [
        ("independent_reviewer_id", "Choose an independent reviewer from the list")
    ]
    assert PracticeReview.objects.get().independent_reviewer is None


def test_the_appointed_reviewer_stays_after_leaving_the_role(world, client, bu_key):
    reviewer = world.user("independent_reviewer")
    case = reviewed_case(world.partnership, reviewer=reviewer)
    reviewer.memberships.update(role=Role.PRACTITIONER)
    data = {"independent_reviewer_id": reviewer.pk, "terms_of_reference": "Agreed terms"}
    response = send(client, "patch", case_url(case, "/practice-review"), data, bu_key)
    assert response.status_code == 200
    assert response.json()["independent_reviewer"]["id"] == reviewer.pk


def test_no_publication_before_the_partners_approve(world, client, bu_key):
    case = reviewed_case(world.partnership)
    data = {
        "sent_to_panel_on": "2026-03-02",
        "published_on": "2026-03-16",
        "published_document_id": final_report(case).pk,
    }
    response = send(client, "patch", case_url(case, "/practice-review"), data, bu_key)
    assert errors(response) == [
        (
            "published_on",
            "You cannot record publication before the partners have approved the final report",
        )
    ]
    assert PracticeReview.objects.get().published_on is None


def test_publishing_soon_after_sending_to_the_panel_needs_a_reason_and_is_audited(
    world, client, bu_key
):
    case = reviewed_case(world.partnership)
    url = case_url(case, "/practice-review")
    sign_off(case.practice_review, date(2026, 2, 23))
    data = {
        "sent_to_panel_on": "2026-03-02",
        "published_on": "2026-03-04",
        "published_document_id": final_report(case).pk,
    }
    ((field, message),) = errors(send(client, "patch", url, data, bu_key))
    assert field == "publication_override_reason"
    assert message.startswith("The report was sent to the Panel less than 7 working days")
    data["publication_override_reason"] = "The Panel agreed to early publication"
    response = send(client, "patch", url, data, bu_key)
    assert response.status_code == 200
    assert response.json()["published_on"] == "2026-03-04"
    override = events("reviews.practice_review.publication_override").get()
    assert override.actor == world.user("business_unit")
    listed = send(client, "get", "/api/cases", {"stage": "published"}, key=bu_key).json()
    assert [c["id"] for c in listed["items"]] == [case.pk]


def test_an_empty_practice_review_change_writes_nothing(world, client, bu_key):
    case = reviewed_case(world.partnership)
    before = events("reviews.practice_review.update").count()
    response = send(client, "patch", case_url(case, "/practice-review"), {}, bu_key)
    assert response.status_code == 200
    assert events("reviews.practice_review.update").count() == before


def test_a_hold_suspends_the_publication_clock_until_released(world, client, bu_key):
    case = reviewed_case(world.partnership)
    url = case_url(case, "/practice-review/hold")
    data = {"reason": "Criminal trial", "started_on": "2026-01-20", "panel_told_on": "2026-01-21"}
    response = send(client, "post", url, data, bu_key)
    assert response.status_code == 200, response.content
    assert response.json()["on_hold"] is True
    assert response.json()["hold_panel_told_on"] == "2026-01-21"
    assert Clock.objects.get(case=case, kind="publication").suspended
    assert events("reviews.practice_review.hold").get().actor == world.user("business_unit")
    response = send(client, "delete", url, key=bu_key)
    assert response.status_code == 200
    assert response.json()["on_hold"] is False
    assert not Clock.objects.get(case=case, kind="publication").suspended
    assert events("reviews.practice_review.release_hold").get().actor == world.user("business_unit")
    # Released already: the page's message, about the request as a whole.
    assert errors(send(client, "delete", url, key=bu_key)) == [(None, "The review is not on hold")]


def test_a_hold_needs_its_reason(world, client, bu_key):
    case = reviewed_case(world.partnership)
    data = {"reason": " ", "started_on": "2026-01-20"}
    response = send(client, "post", case_url(case, "/practice-review/hold"), data, bu_key)
    assert errors(response) == [
        ("reason", "Give the reason for the hold, for example the criminal trial it waits for")
    ]


def test_a_decision_not_to_publish_closes_the_publication_clock(world, client, bu_key):
    case = reviewed_case(world.partnership)
    url = case_url(case, "/practice-review/not-publishing")
    data = {"reasons": "Publication would identify the siblings", "reasons_sent_on": "2026-02-02"}
    response = send(client, "post", url, data, bu_key)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["not_publishing"] is True
    assert body["not_publishing_reasons_sent_on"] == "2026-02-02"
    assert Clock.objects.get(case=case, kind="publication").done_on == date(2026, 2, 2)
    assert events("reviews.practice_review.not_publishing").get().actor == world.user(
        "business_unit"
    )


@pytest.mark.parametrize(
    ("method", "rest", "data"),
    [
        ("post", "/practice-review/hold", {"reason": "Trial", "started_on": "2026-01-20"}),
        ("delete", "/practice-review/hold", None),
        ("post", "/practice-review/not-publishing", {"reasons": "Siblings"}),
    ],
)
def test_holds_and_not_publishing_need_a_practice_review(world, client, bu_key, method, rest, data):
    case = decided_case(world.partnership)
    response = send(client, method, case_url(case, rest), data, bu_key)
    assert response.status_code == 404
    assert response.json() == {"detail": "This case has no practice review. Start one first"}


# Findings and recommendations -------------------------------------------------------------


def test_adding_a_finding(world, client, bu_key):
    case = reviewed_case(world.partnership)
    data = {"text": "  Agencies did not share what they knew  ", "themes": ["information-sharing"]}
    response = send(client, "post", case_url(case, "/findings"), data, bu_key)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["text"] == "Agencies did not share what they knew"
    assert [t["slug"] for t in body["themes"]] == ["information-sharing"]
    assert events("reviews.finding.create").get().actor == world.user("business_unit")


def test_a_finding_needs_text(world, client, bu_key):
    case = reviewed_case(world.partnership)
    response = send(client, "post", case_url(case, "/findings"), {"text": "   "}, bu_key)
    assert errors(response) == [("text", "Enter the finding")]


def test_adding_a_recommendation_to_named_agencies(world, client, bu_key):
    case = reviewed_case(world.partnership)
    data = {"text": "Train staff on bruising", "agency_ids": [world.agency.pk]}
    response = send(client, "post", case_url(case, "/recommendations"), data, bu_key)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["to_partnership"] is False
    assert body["agencies"] == [{"id": world.agency.pk, "name": "Northdale Police"}]
    assert events("reviews.recommendation.create").get().actor == world.user("business_unit")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {"text": "Do better"},
            [
                (
                    "agency_ids",
                    "Choose the agencies the recommendation is addressed to, "
                    "or address it to the partnership",
                )
            ],
        ),
        ({"text": " ", "to_partnership": True}, [("text", "Enter the recommendation")]),
        (
            {"text": "Do better", "agency_ids": ["other"]},
            [
                (
                    "agency_ids.0",
                    "Input should be a valid integer, unable to parse string as an integer",
                )
            ],
        ),
    ],
)
def test_a_recommendation_gives_the_pages_messages(world, client, bu_key, data, expected):
    case = reviewed_case(world.partnership)
    response = send(client, "post", case_url(case, "/recommendations"), data, bu_key)
    assert errors(response) == expected


def test_a_recommendation_to_another_partnerships_agency_is_refused(world, client, bu_key):
    case = reviewed_case(world.partnership)
    data = {"text": "Do better", "agency_ids": [world.other_agency.pk]}
    response = send(client, "post", case_url(case, "/recommendations"), data, bu_key)
    assert errors(response) == [("agency_ids", "Choose agencies in this partnership")]


# The deadline calculator ------------------------------------------------------------------


def test_the_calculator(world, client, bu_key):
    query = {"rule": "rapid_review", "start": "2025-12-19"}
    response = send(client, "get", "/api/deadlines", query, key=bu_key)
    assert response.status_code == 200
    assert response.json() == {
        "rule": "rapid_review",
        "label": "Rapid review to the Panel",
        "start": "2025-12-19",
        # Christmas, Boxing Day and New Year's Day are not working days.
        "due_date": "2026-01-14",
        "description": "15 working days from notification on 19 December 2025",
    }


@pytest.mark.parametrize("rule", sorted(calendar.RULES))
def test_the_calculator_agrees_with_the_calendar(world, client_for, rule):
    start = date(2025, 8, 29)
    response = client_for("business_unit").get(
        "/api/deadlines", {"rule": rule, "start": start.isoformat()}
    )
    assert response.json()["due_date"] == calendar.due_date(rule, start).isoformat()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"rule": "panel", "start": "2025-12-19"}, "rule"),
        ({"start": "2025-12-19"}, "rule"),
        ({"rule": "notification"}, "start"),
        ({"rule": "notification", "start": "19/12/2025"}, "start"),
        ({"rule": "notification", "start": "2025-02-30"}, "start"),
        ({"rule": "publication", "start": "9999-12-01"}, "start"),
        ({"rule": "notification", "start": "9999-12-31"}, "start"),
    ],
)
def test_the_calculator_refuses_bad_input(world, client, bu_key, query, field):
    response = send(client, "get", "/api/deadlines", query, key=bu_key)
    assert [f for f, _ in errors(response)] == [field]


@pytest.mark.parametrize(
    "role",
    ["practitioner", "agency_lead", "independent_reviewer", "case_review_group", "system_admin"],
)
def test_the_calculator_is_for_the_business_unit(world, client_for, role):
    query = {"rule": "notification", "start": "2025-12-03"}
    assert client_for(role).get("/api/deadlines", query).status_code == 404


# Identifying details never leave --------------------------------------------------------

CHILD_NAME = "Perpetua Wintersgill-Fictional"
FAMILY = "Father: Barnabas Wintersgill-Fictional"
ADDRESS = "7 Makebelieve Mews, Nowhereshire"
SCHOOL = "Invented Hollow Infant School"
BIRTH = "2022-07-19"
SECRETS = [CHILD_NAME, "Wintersgill", FAMILY, ADDRESS, SCHOOL, BIRTH, "19 July 2022"]


def test_identifying_details_appear_in_no_api_response_or_log(world, client, bu_key, caplog):
    caplog.set_level(logging.DEBUG)
    case = full_case(world)
    services.identifiers_update(
        auditor=Auditor(actor=world.user("business_unit")),
        child=case.children.get(),
        child_name=CHILD_NAME,
        family_names=FAMILY,
        date_of_birth=BIRTH,
        address=ADDRESS,
        school=SCHOOL,
    )
    responses = {
        "case list": send(client, "get", "/api/cases", key=bu_key),
        "case list searched": send(client, "get", "/api/cases", {"q": "Wintersgill"}, key=bu_key),
        "case detail": send(client, "get", case_url(case), key=bu_key),
        "clocks": send(client, "get", case_url(case, "/clocks"), key=bu_key),
        "notification": send(
            client,
            "put",
            case_url(case, "/notification"),
            {**NOTIFICATION, "incident_date": "2025-12-03", "sent_to_panel_on": "2025-12-08"},
            bu_key,
        ),
        "rapid review": send(
            client, "patch", case_url(case, "/rapid-review"), {"meeting_date": "2025-12-18"}, bu_key
        ),
        "information request": send(
            client,
            "post",
            case_url(case, "/information-requests"),
            {
                "agency_id": AgencyFactory(partnership=world.partnership).pk,
                "requested_on": "2025-12-09",
            },
            bu_key,
        ),
        "practice review": send(
            client, "patch", case_url(case, "/practice-review"), {"methodology": "systems"}, bu_key
        ),
        "summary returned": send(
            client,
            "post",
            case_url(case, f"/information-requests/{InformationRequest.objects.first().pk}/return"),
            {"returned_on": "2025-12-19"},
            bu_key,
        ),
        "hold": send(
            client,
            "post",
            case_url(case, "/practice-review/hold"),
            {"reason": "Trial", "started_on": "2026-01-20"},
            bu_key,
        ),
        "release": send(client, "delete", case_url(case, "/practice-review/hold"), key=bu_key),
        "not publishing": send(
            client,
            "post",
            case_url(case, "/practice-review/not-publishing"),
            {"reasons": "Siblings"},
            bu_key,
        ),
        "finding": send(client, "post", case_url(case, "/findings"), {"text": "F"}, bu_key),
        "recommendation": send(
            client,
            "post",
            case_url(case, "/recommendations"),
            {"text": "R", "to_partnership": True},
            bu_key,
        ),
        "new case": send(client, "post", "/api/cases", NEW_CASE, bu_key),
        "refused write": send(
            client, "patch", case_url(case, "/rapid-review"), {"panel_response": "agrees"}, bu_key
        ),
        "calculator": send(
            client,
            "get",
            "/api/deadlines",
            {"rule": "notification", "start": "2025-12-03"},
            key=bu_key,
        ),
        "OpenAPI document": client.get("/api/openapi.json"),
    }
    for name, response in responses.items():
        assert response.status_code < 500, name
        text = response.content.decode()
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} appears in the {name} response"
    assert all(
        responses[name].status_code in {200, 201} for name in responses if name != "refused write"
    ), {name: r.status_code for name, r in responses.items()}
    assert responses["case list searched"].json()["count"] == 0
    # Nor in the access log or the application's own log.
    for event in AuditEvent.objects.all():
        logged = json.dumps(event.content(), default=str)
        for secret in SECRETS:
            assert secret not in logged, f"{secret!r} is in the audit event {event.action}"
    for secret in SECRETS:
        assert secret not in caplog.text


# The OpenAPI document ---------------------------------------------------------------------


def test_the_openapi_document_describes_the_case_endpoints(db, client):
    spec = client.get("/api/openapi.json").json()
    paths = spec["paths"]
    operations = {
        ("/api/cases", "get"): "case_list",
        ("/api/cases", "post"): "case_open",
        ("/api/cases/{case_id}", "get"): "case_detail",
        ("/api/cases/{case_id}/clocks", "get"): "case_clocks",
        ("/api/cases/{case_id}/notification", "put"): "notification_record",
        ("/api/cases/{case_id}/rapid-review", "patch"): "rapid_review_update",
        ("/api/cases/{case_id}/information-requests", "post"): "information_request_create",
        ("/api/cases/{case_id}/practice-review", "post"): "practice_review_start",
        ("/api/cases/{case_id}/practice-review", "patch"): "practice_review_update",
        ("/api/cases/{case_id}/information-requests/{request_id}/return", "post"): (
            "information_request_return"
        ),
        ("/api/cases/{case_id}/practice-review/hold", "post"): "practice_review_hold",
        ("/api/cases/{case_id}/practice-review/hold", "delete"): "practice_review_release_hold",
        ("/api/cases/{case_id}/practice-review/not-publishing", "post"): (
            "practice_review_not_publishing"
        ),
        ("/api/cases/{case_id}/findings", "post"): "finding_create",
        ("/api/cases/{case_id}/recommendations", "post"): "recommendation_create",
        ("/api/deadlines", "get"): "deadline_calculate",
    }
    for (path, method), operation_id in operations.items():
        operation = paths[path][method]
        assert operation["operationId"] == operation_id
        assert operation["tags"] == ["case reviews"]
        # Every one needs credentials; the document offers the token.
        assert operation["security"] == [{"TokenAuth": []}], operation_id
        assert {"401", "404", "422"} <= set(operation["responses"]), operation_id
    # 403: a read-only token's write.
    assert set(paths["/api/cases"]["post"]["responses"]) == {"201", "401", "403", "404", "422"}
    # The token scheme stays the only one offered.
    assert spec["components"]["securitySchemes"] == {
        "TokenAuth": {"type": "http", "scheme": "bearer"}
    }
    # Dates are ISO dates both ways.
    schemas = spec["components"]["schemas"]
    assert schemas["ClockOut"]["properties"]["due_date"]["format"] == "date"
    assert schemas["NotificationIn"]["properties"]["aware_date"]["format"] == "date"
    # Nothing in the document can carry a child's identifying details: no schema has a
    # property, and no operation a parameter, for them (descriptions may mention them).
    names = {name for schema in schemas.values() for name in schema.get("properties", {})}
    names |= {
        parameter["name"]
        for path in paths.values()
        for operation in path.values()
        for parameter in operation.get("parameters", [])
    }
    assert "pseudonym" in names  # the check sees the properties
    for name in ("child_name", "family_names", "date_of_birth", "identifiers", "address"):
        assert name not in names
        assert not any(name in schema_name.lower() for schema_name in schemas)


# Query counts -----------------------------------------------------------------------------


def count_queries(client, url, **extra) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, **extra).status_code == 200
    return len(queries)


def test_case_list_queries_stay_constant(world, client_for, django_assert_max_num_queries):
    browser = client_for("business_unit")
    for n in range(3):
        notified_case(world.partnership, reference=f"NDSCP-2025-{n:03}")
    few = count_queries(browser, "/api/cases")
    for n in range(3, 30):
        notified_case(world.partnership, reference=f"NDSCP-2025-{n:03}")
    # Session, person, authenticator, memberships; the page's count, the page and its open
    # clocks; the session's save (in a savepoint).
    with django_assert_max_num_queries(14):  # includes writing the read event
        response = browser.get("/api/cases?limit=100")
    assert response.json()["count"] == 30
    assert all(c["next_deadline"] for c in response.json()["items"])
    assert count_queries(browser, "/api/cases?limit=100") == few


def test_case_list_queries_with_a_token(world, client, django_assert_max_num_queries):
    _, key = make_token(world.user("business_unit"))
    for n in range(30):
        open_case(world.partnership, reference=f"NDSCP-2025-{n:03}")
    client.get("/api/cases", **bearer(key))  # the token's first use is noted once a minute
    # Token and person, memberships; the page, its count and the page's open clocks.
    with django_assert_max_num_queries(9):  # includes writing the read event
        assert client.get("/api/cases?limit=100", **bearer(key)).status_code == 200


def test_case_detail_queries_stay_constant(world, client_for, django_assert_max_num_queries):
    browser = client_for("business_unit")
    case = full_case(world)
    url = case_url(case)
    few = count_queries(browser, url)
    for n in range(20):
        agency = AgencyFactory(partnership=world.partnership, name=f"Agency {n:03}")
        services.information_request_create(
            auditor=SYSTEM, case=case, agency=agency, requested_on=date(2025, 12, 9)
        )
        services.finding_add(auditor=SYSTEM, case=case, text=f"Finding {n}", themes=[neglect()])
        services.recommendation_add(
            auditor=SYSTEM,
            case=case,
            text=f"Recommendation {n}",
            to_partnership=False,
            agencies=[agency, world.agency],
            themes=[neglect()],
        )
    # Session, person, authenticator, memberships (4); the case, its agencies, themes and
    # children (4); the practice review's milestones; the access log entry (4, in a
    # savepoint); information requests; findings and their themes (2); recommendations, their
    # themes and agencies (3); clocks; the session's save (3, in a savepoint).
    with django_assert_max_num_queries(23):
        response = browser.get(url)
    body = response.json()
    assert len(body["rapid_review"]["information_requests"]) == 22
    assert len(body["recommendations"]) == 21
    assert len(body["clocks"]) == 25
    assert count_queries(browser, url) == few


def test_clocks_queries_stay_constant(world, client_for, django_assert_max_num_queries):
    browser = client_for("business_unit")
    case = notified_case(world.partnership)
    url = case_url(case, "/clocks")
    few = count_queries(browser, url)
    for n in range(20):
        agency = AgencyFactory(partnership=world.partnership, name=f"Agency {n:03}")
        services.information_request_create(
            auditor=SYSTEM, case=case, agency=agency, requested_on=date(2025, 12, 9)
        )
    with django_assert_max_num_queries(few):
        assert len(browser.get(url).json()) == 22
