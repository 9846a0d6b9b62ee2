"""Recovery codes: stored only as salted hashes, each works once, and making new ones needs the
password (issue 6, findings 1 and 9)."""

from __future__ import annotations

import hashlib
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from learninghub.core.audit.models import AuditEvent
from learninghub.partnerships import services
from learninghub.partnerships.models import RecoveryCode, RecoveryCodeDevice
from learninghub.partnerships.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(world):
    return world.user("business_unit")


@pytest.fixture
def codes(person):
    return services.recovery_codes_regenerate(user=person, password=TEST_PASSWORD)


def _unthrottle(device):
    RecoveryCodeDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)


def test_ten_different_codes_are_made(codes):
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(len(code) == 14 and code.count("-") == 2 for code in codes)


def test_the_codes_are_not_stored_in_plain_text(person, codes):
    # django-otp's static tokens kept every code as typed; none may be stored anywhere now.
    assert not StaticToken.objects.exists()
    assert not StaticDevice.objects.exists()
    stored = list(RecoveryCode.objects.filter(device__user=person))
    assert len(stored) == 10
    plain = {code.replace("-", "") for code in codes} | set(codes)
    for row in stored:
        assert row.code_hash not in plain and row.salt not in plain
        assert not any(code in row.code_hash or code in row.salt for code in plain)
        # Salted: the same code would not give the same hash in another account.
        assert all(row.code_hash != hashlib.sha256(code.encode()).hexdigest() for code in plain)
    assert len({row.salt for row in stored}) == 10


def test_a_code_signs_in_once_only(person, codes):
    device = services.second_factor_verify(user=person, token=codes[0])
    assert isinstance(device, RecoveryCodeDevice)
    assert device.user_id == person.pk
    _unthrottle(device)
    assert services.second_factor_verify(user=person, token=codes[0]) is None
    _unthrottle(device)
    # The others still work, through django-otp's own lookup too.
    assert match_token(person, codes[1]) == device
    assert RecoveryCode.objects.filter(device=device, used_at__isnull=False).count() == 2


def test_a_code_is_accepted_without_hyphens_in_capitals_or_with_spaces(person, codes):
    assert match_token(person, codes[0].replace("-", "").upper()) is not None
    assert match_token(person, " " + codes[1].replace("-", " ") + " ") is not None


def test_using_a_code_is_audited_with_how_many_are_left(person, codes):
    match_token(person, codes[0])
    event = AuditEvent.objects.get(action="account.recovery_code_used")
    assert event.actor == person
    assert event.summary == "Used a recovery code to sign in (9 left)"


def test_a_wrong_code_is_throttled(person, codes):
    assert match_token(person, "aaaa-aaaa-aaaa") is None
    device = RecoveryCodeDevice.objects.get(user=person)
    assert device.throttling_failure_count == 1
    # Straight after a wrong code, even a right one waits (django-otp's back-off).
    assert match_token(person, codes[0]) is None
    _unthrottle(device)
    assert match_token(person, codes[0]) is not None


def test_the_device_counts_as_a_second_factor(person, codes):
    assert user_has_device(person)


def test_new_codes_replace_the_old_ones_on_the_same_device(person, codes):
    device = RecoveryCodeDevice.objects.get(user=person)
    new = services.recovery_codes_regenerate(user=person, password=TEST_PASSWORD)
    assert set(new).isdisjoint(codes)
    assert RecoveryCodeDevice.objects.get(user=person).pk == device.pk
    assert RecoveryCode.objects.filter(device=device).count() == 10
    assert match_token(person, codes[0]) is None
    _unthrottle(device)
    assert match_token(person, new[0]) is not None
    assert AuditEvent.objects.filter(action="account.recovery_codes").count() == 2


def test_a_wrong_password_changes_nothing_and_is_audited(person, codes):
    hashes = set(RecoveryCode.objects.values_list("code_hash", flat=True))
    with pytest.raises(ValidationError) as refused:
        services.recovery_codes_regenerate(
            user=person, password="not-my-password", ip_address="203.0.113.9"
        )
    assert refused.value.message_dict == {"password": ["Your password is not correct"]}
    assert set(RecoveryCode.objects.values_list("code_hash", flat=True)) == hashes
    assert AuditEvent.objects.filter(action="account.recovery_codes").count() == 1
    failed = AuditEvent.objects.get(action="account.recovery_codes_password_failed")
    assert failed.kind == AuditEvent.Kind.LOGIN_FAILED
    assert failed.actor == person and failed.ip_address == "203.0.113.9"
    assert match_token(person, codes[0]) is not None


def test_setting_up_the_authenticator_makes_hashed_codes(person):
    from django_otp.oath import totp

    device = services.totp_device_start(user=person)
    codes = services.totp_device_confirm(
        user=person, device=device, token=f"{totp(device.bin_key):06d}"
    )
    assert len(codes) == 10
    assert not StaticToken.objects.exists()
    assert RecoveryCode.objects.filter(device__user=person).count() == 10


def test_the_migration_hashes_existing_plain_text_codes(person, world):
    # Codes made before this change sat in django-otp's static tokens, readable by anyone who
    # could read the database or the admin.
    old = StaticDevice.objects.create(user=person, name="Recovery codes", confirmed=True)
    StaticToken.objects.create(device=old, token="kestrel42x")
    StaticToken.objects.create(device=old, token="heron77ab")
    other = world.user("case_review_group")
    StaticToken.objects.create(
        device=StaticDevice.objects.create(user=other, name="Backup", confirmed=True),
        token="plover99c",
    )
    migration = importlib.import_module(
        "learninghub.partnerships.migrations.0003_recovery_codes_from_static_tokens"
    )
    migration.hash_static_tokens(apps, None)

    assert not StaticToken.objects.exists() and not StaticDevice.objects.exists()
    assert RecoveryCode.objects.filter(device__user=person).count() == 2
    assert not RecoveryCode.objects.filter(code_hash__in=["kestrel42x", "heron77ab"]).exists()
    assert match_token(person, "kestrel42x") is not None
    assert match_token(other, "plover99c") is not None
    _unthrottle(RecoveryCodeDevice.objects.get(user=person))
    assert match_token(person, "kestrel42x") is None
