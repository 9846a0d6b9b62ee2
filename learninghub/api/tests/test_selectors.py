from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.http import Http404

from learninghub.api import selectors, services
from learninghub.core.audit.auditor import Auditor

from .factories import make_token

pytestmark = pytest.mark.django_db


def test_api_token_list_is_the_persons_own_newest_first(world):
    user = world.user("business_unit")
    first, _ = make_token(user, "First")
    second, _ = make_token(user, "Second")
    make_token(world.user("system_admin"), "Someone else's")
    services.api_token_revoke(auditor=Auditor(actor=user), token=first)
    assert list(selectors.api_token_list(user=user)) == [second, first]


def test_api_token_get_finds_only_the_persons_own(world):
    token, _ = make_token(world.user("business_unit"))
    assert selectors.api_token_get(user=world.user("business_unit"), pk=token.pk) == token
    with pytest.raises(Http404):
        selectors.api_token_get(user=world.user("other_business_unit"), pk=token.pk)
    with pytest.raises(Http404):
        selectors.api_token_get(user=world.user("business_unit"), pk=999999)


def test_api_token_authenticate_returns_the_tokens_person(world):
    user = world.user("business_unit")
    token, plaintext = make_token(user)
    found = selectors.api_token_authenticate(plaintext)
    assert found == user
    assert found.api_token == token


@pytest.mark.parametrize(
    "key",
    ["", "slh_", "slh_not-a-token", "not-our-format", "slh_" + "x" * 200, "Bearer slh_x"],
)
def test_api_token_authenticate_refuses_unknown_keys(world, key):
    make_token(world.user("business_unit"))
    assert selectors.api_token_authenticate(key) is None


def test_api_token_authenticate_refuses_a_revoked_token(world):
    user = world.user("business_unit")
    token, plaintext = make_token(user)
    services.api_token_revoke(auditor=Auditor(actor=user), token=token)
    assert selectors.api_token_authenticate(plaintext) is None


def test_api_token_authenticate_refuses_a_deactivated_person(world):
    user = world.user("business_unit")
    _, plaintext = make_token(user)
    user.is_active = False
    user.save()
    assert selectors.api_token_authenticate(plaintext) is None


def test_api_token_authenticate_is_one_query(world, django_assert_num_queries):
    _, plaintext = make_token(world.user("business_unit"))
    with django_assert_num_queries(1):
        selectors.api_token_authenticate(plaintext)
    with django_assert_num_queries(0):
        selectors.api_token_authenticate("not-ours")


def test_api_token_authenticate_refuses_an_expired_token(world):
    start = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        _, plaintext = make_token(world.user("business_unit"), days=30)
    with time_machine.travel(start + timedelta(days=30) - timedelta(seconds=1), tick=False):
        assert selectors.api_token_authenticate(plaintext) == world.user("business_unit")
    with time_machine.travel(start + timedelta(days=30), tick=False):
        assert selectors.api_token_authenticate(plaintext) is None
