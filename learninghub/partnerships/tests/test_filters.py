"""The people list's search as a django-filter FilterSet (issue 7, item 8)."""

from __future__ import annotations

from django.http import QueryDict

from learninghub.partnerships import selectors
from learninghub.partnerships.filters import MembershipFilter


def emails(found: MembershipFilter) -> set[str]:
    return {membership.user.email for membership in found.qs}


def test_search_finds_people_by_name_or_email_in_any_case(world):
    people = selectors.membership_list(partnership=world.partnership)
    lead = world.user("agency_lead")
    by_email = MembershipFilter.from_query(QueryDict("q=LEAD@example"), queryset=people)
    assert emails(by_email) == {lead.email}
    by_name = MembershipFilter.from_query(
        QueryDict(f"q={lead.full_name.split()[-1].lower()}"), queryset=people
    )
    assert lead.email in emails(by_name)
    assert by_email.search == "LEAD@example"


def test_a_long_search_is_cut_not_refused(world):
    people = selectors.membership_list(partnership=world.partnership)
    found = MembershipFilter.from_query(QueryDict("q=" + "lead" + "x" * 200), queryset=people)
    assert found.is_valid()
    assert len(found.search) == 100
    assert emails(found) == set()


def test_no_search_lists_everyone_in_the_partnership(world):
    people = selectors.membership_list(partnership=world.partnership)
    found = MembershipFilter.from_query(QueryDict(""), queryset=people)
    assert found.search == ""
    assert emails(found) == {m.user.email for m in people}
