from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from learninghub.api import services
from learninghub.api.models import ApiToken
from learninghub.api.selectors import token_digest
from learninghub.core.audit.auditor import REDACTED, Auditor
from learninghub.core.audit.models import AuditEvent

from .factories import make_token

pytestmark = pytest.mark.django_db


def test_api_token_create_keeps_only_a_hash_and_a_prefix(world):
    user = world.user("business_unit")
    token, plaintext = services.api_token_create(
        auditor=Auditor(actor=user), user=user, name="  Action plan spreadsheet  "
    )
    assert plaintext.startswith("slh_")
    assert len(plaintext) >= 40
    token.refresh_from_db()
    assert token.name == "Action plan spreadsheet"
    assert token.user == user
    assert token.key_prefix == plaintext[:8]
    assert token.key_hash == token_digest(plaintext)
    assert plaintext not in {token.key_prefix, token.key_hash}
    assert token.is_active and token.last_used_at is None


def test_api_token_create_is_audited_without_the_secret(world):
    user = world.user("business_unit")
    token, plaintext = make_token(user, "Reporting")
    event = AuditEvent.objects.get(action="api.token.create")
    assert event.actor == user
    assert event.object_id == str(token.pk)
    assert event.changes == {
        "name": [None, "Reporting"],
        "key_prefix": [None, plaintext[:8]],
        "scope": [None, "write"],
        "expires_at": [None, DjangoJSONEncoder().default(token.expires_at)],
    }
    assert plaintext not in str(event.changes) + event.summary


def test_each_token_is_different(world):
    user = world.user("business_unit")
    assert make_token(user, "One")[1] != make_token(user, "Two")[1]


@pytest.mark.parametrize("name", ["", "   "])
def test_api_token_create_needs_a_name(world, name):
    user = world.user("business_unit")
    with pytest.raises(ValidationError) as error:
        services.api_token_create(auditor=Auditor(actor=user), user=user, name=name)
    assert error.value.message_dict == {"name": ["Enter a name for the token"]}
    assert not ApiToken.objects.exists()


def test_api_token_create_refuses_a_long_name(world):
    user = world.user("business_unit")
    with pytest.raises(ValidationError) as error:
        services.api_token_create(auditor=Auditor(actor=user), user=user, name="x" * 101)
    assert error.value.message_dict == {"name": ["Token name must be 100 characters or fewer"]}


def test_api_token_names_are_unique_among_a_persons_active_tokens(world):
    user = world.user("business_unit")
    token, _ = make_token(user, "Reporting")
    with pytest.raises(ValidationError) as error:
        make_token(user, "reporting")
    assert error.value.message_dict == {"name": ["You already have a token named reporting"]}
    # Someone else may use the name, and so may the same person once the old one is revoked.
    make_token(world.user("system_admin"), "Reporting")
    services.api_token_revoke(auditor=Auditor(actor=user), token=token)
    make_token(user, "Reporting")


def test_a_person_holds_a_limited_number_of_active_tokens(world):
    user = world.user("business_unit")
    for n in range(services.MAX_ACTIVE_TOKENS):
        make_token(user, f"Script {n}")
    with pytest.raises(ValidationError) as error:
        make_token(user, "One too many")
    assert "You can have up to 20 tokens" in error.value.message_dict["name"][0]


def test_api_token_revoke(world):
    user = world.user("business_unit")
    token, _ = make_token(user)
    revoked = services.api_token_revoke(auditor=Auditor(actor=user), token=token)
    assert revoked.revoked_at is not None and not revoked.is_active
    event = AuditEvent.objects.get(action="api.token.revoke")
    assert event.actor == user
    assert event.kind == AuditEvent.Kind.UPDATE
    assert list(event.changes) == ["revoked_at"]


def test_api_token_revoke_twice_is_refused(world):
    user = world.user("business_unit")
    token, _ = make_token(user)
    services.api_token_revoke(auditor=Auditor(actor=user), token=token)
    with pytest.raises(ValidationError) as error:
        services.api_token_revoke(auditor=Auditor(actor=user), token=token)
    assert error.value.message_dict == {"confirm": ["This token has already been revoked"]}


def test_key_hash_is_redacted_whatever_the_event(world):
    user = world.user("business_unit")
    token, _ = make_token(user)
    event = Auditor(actor=user).record(
        AuditEvent.Kind.UPDATE,
        action="test",
        summary="test",
        obj=token,
        changes={"key_hash": ["a", "b"]},
    )
    assert event.changes == {"key_hash": [REDACTED, REDACTED]}


def test_api_token_touch_records_use_at_most_once_a_minute(world):
    token, _ = make_token(world.user("business_unit"))
    services.api_token_touch(token=token)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None

    services.api_token_touch(token=token)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first

    token.last_used_at = timezone.now() - timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=token.last_used_at)
    services.api_token_touch(token=token)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first


def test_api_token_touch_does_not_write_within_the_minute(world, django_assert_num_queries):
    token, _ = make_token(world.user("business_unit"))
    services.api_token_touch(token=token)
    with django_assert_num_queries(0):
        services.api_token_touch(token=token)


def test_api_token_touch_writes_no_audit_event(world):
    token, _ = make_token(world.user("business_unit"))
    before = AuditEvent.objects.count()
    services.api_token_touch(token=token)
    assert AuditEvent.objects.count() == before


def test_token_events_show_in_the_business_units_audit_log(world):
    from learninghub.core.audit.selectors import audit_search

    bu = world.user("business_unit")
    services.api_token_create(auditor=Auditor(actor=bu), user=bu, name="Case system")
    mine = audit_search(partnership_ids=[world.partnership.pk], text="Case system")
    theirs = audit_search(partnership_ids=[world.other_partnership.pk], text="Case system")
    assert mine.exists()
    assert not theirs.exists()


# Scope and expiry (issue 6, finding 7) ------------------------------------------------------

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
def test_a_new_token_reads_only_for_90_days_unless_asked_otherwise(world):
    user = world.user("business_unit")
    token, _ = services.api_token_create(auditor=Auditor(actor=user), user=user, name="Reports")
    assert token.scope == ApiToken.Scope.READ
    assert not token.can_write
    assert token.expires_at == NOW + timedelta(days=90)
    event = AuditEvent.objects.get(action="api.token.create")
    assert event.changes["scope"] == [None, "read"]
    assert event.changes["expires_at"][1].startswith("2027-02-27T12:00:00")


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"scope": "admin"}, "scope"),
        ({"scope": ""}, "scope"),
        ({"days": 0}, "days"),
        ({"days": 366}, "days"),
        ({"days": -1}, "days"),
        ({"days": "90"}, "days"),
        ({"days": True}, "days"),
    ],
)
def test_api_token_create_refuses_a_bad_scope_or_expiry(world, options, field):
    user = world.user("business_unit")
    with pytest.raises(ValidationError) as error:
        services.api_token_create(auditor=Auditor(actor=user), user=user, name="X", **options)
    assert list(error.value.message_dict) == [field]
    assert not ApiToken.objects.exists()


def test_an_expired_token_frees_its_name_and_its_place(world):
    user = world.user("business_unit")
    with time_machine.travel(NOW - timedelta(days=31), tick=False):
        for n in range(services.MAX_ACTIVE_TOKENS):
            make_token(user, f"Script {n}", days=30)
    with time_machine.travel(NOW, tick=False):
        make_token(user, "Script 0")
        make_token(user, "Another")
    assert ApiToken.objects.filter(user=user).count() == services.MAX_ACTIVE_TOKENS + 2


@time_machine.travel(NOW, tick=False)
def test_api_tokens_revoke_all_revokes_only_usable_tokens_each_audited(world):
    user = world.user("business_unit")
    first, _ = make_token(user, "First")
    second, _ = make_token(user, "Second")
    with time_machine.travel(NOW - timedelta(days=40), tick=False):
        expired, _ = make_token(user, "Expired", days=30)
    theirs, _ = make_token(world.user("other_business_unit"), "Theirs")

    count = services.api_tokens_revoke_all(
        auditor=Auditor.for_system("access withdrawn"), user=user, reason="password reset"
    )

    assert count == 2
    revoked = set(ApiToken.objects.filter(revoked_at=NOW).values_list("pk", flat=True))
    assert revoked == {first.pk, second.pk}
    expired.refresh_from_db()
    theirs.refresh_from_db()
    assert expired.revoked_at is None and theirs.revoked_at is None
    events = AuditEvent.objects.filter(action="api.token.revoke").order_by("id")
    assert [e.summary for e in events] == [
        "Revoked the API token First of bu@example.org: password reset",
        "Revoked the API token Second of bu@example.org: password reset",
    ]
    assert {e.actor_label for e in events} == {"system: access withdrawn"}


def test_api_tokens_revoke_all_without_tokens_writes_nothing(world):
    count = services.api_tokens_revoke_all(
        auditor=Auditor.for_system("access withdrawn"),
        user=world.user("practitioner"),
        reason="password reset",
    )
    assert count == 0
    assert not AuditEvent.objects.filter(action="api.token.revoke").exists()
