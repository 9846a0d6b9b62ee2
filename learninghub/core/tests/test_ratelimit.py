"""The shared rate limits: counted in the database, keyed by digests, refusals leave no trace."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from learninghub.core.ratelimit.models import RateLimitHit
from learninghub.core.ratelimit.services import RateLimited, key_digest, rate_limit_hit

pytestmark = pytest.mark.django_db

ADDRESS = "jo.practitioner@example.org"
IP = "198.51.100.23"


def hit(address=ADDRESS, ip=IP, action="password_reset"):
    rate_limit_hit(action=action, address=address, ip_address=ip)


def test_the_table_holds_no_address_or_ip_in_clear():
    hit()
    digests = list(RateLimitHit.objects.values_list("key_digest", flat=True))
    assert len(digests) == 2
    for digest in digests:
        assert ADDRESS not in digest and IP not in digest
        assert len(digest) == 64
    # Keyed: not the plain SHA-256 anyone could compute for a guessed address.
    import hashlib

    plain = hashlib.sha256(f"password_reset:address:{ADDRESS}".encode()).hexdigest()
    assert plain not in digests
    assert key_digest("password_reset", "address", ADDRESS) in digests


def test_the_address_limit_ignores_case_and_spaces():
    for address in (ADDRESS, ADDRESS.upper(), f"  {ADDRESS} "):
        hit(address=address, ip=None)
    with pytest.raises(RateLimited):
        hit(address="Jo.Practitioner@example.org", ip="203.0.113.1")


def test_a_refused_request_is_not_counted(settings):
    for _ in range(3):
        hit()
    rows = RateLimitHit.objects.count()
    for _ in range(5):
        with pytest.raises(RateLimited):
            hit()
    assert RateLimitHit.objects.count() == rows
    # So another address from the same IP address still has the IP's remaining allowance.
    for i in range(7):
        hit(address=f"person{i}@example.org")
    with pytest.raises(RateLimited):
        hit(address="person8@example.org")


def test_the_window_slides_and_old_hits_are_pruned():
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(3):
            hit()
    with (
        time_machine.travel(start + timedelta(minutes=59), tick=False),
        pytest.raises(RateLimited) as refused,
    ):
        hit()
    assert refused.value.wait == "an hour"
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        hit()
    # The three hits of an hour ago are gone: only the latest request's two remain.
    assert RateLimitHit.objects.count() == 2
    assert not RateLimitHit.objects.filter(occurred_at__lt=start + timedelta(minutes=1)).exists()


def test_the_limits_come_from_settings(settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "password_reset": {"per_address": 1, "per_ip": 5, "window": timedelta(minutes=30)},
    }
    hit()
    with pytest.raises(RateLimited) as refused:
        hit()
    assert refused.value.wait == "30 minutes"
    hit(action="registration")  # each action counts on its own


@pytest.mark.parametrize(
    ("window", "words"),
    [
        (timedelta(hours=1), "an hour"),
        (timedelta(hours=2), "2 hours"),
        (timedelta(minutes=1), "a minute"),
        (timedelta(minutes=15), "15 minutes"),
    ],
)
def test_the_wait_in_plain_words(window, words):
    assert RateLimited(window).wait == words
