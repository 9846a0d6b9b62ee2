"""Counting requests that send email, and refusing them past the limits in RATE_LIMITS.

Each limited action (registration, password reset, confirmation resend) allows a number of
requests per email address and per client IP address within a window. The address limit
counts whether or not the address has an account, so a refusal reveals nothing about who has
one (OWASP ASVS V2.2.1 and V3.4 on enumeration and anti-automation).

Why a table and not the cache: the limits must hold across every gunicorn worker and every
machine, and Django's DatabaseCache has no atomic increment (its `incr` is a read then a
write, so two workers can both read 2 and both write 3). Here each request inserts its own
row, commits it, and only then counts: of any number of racing requests, the one committed
last counts every row committed before it, so the (limit + 1)-th request is always refused.
A refused request's rows are removed again, so the counters measure what was sent.

Hits are housekeeping, like sessions or django-axes' attempts, and carry no audit event: an
event per refused request would let a flood of requests grow the audit log without bound.
What a request then does (an account created, an email sent) is audited where it happens.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import RateLimitHit

KEY_SALT = "learninghub.ratelimit"


class RateLimited(Exception):
    """Too many requests for this address or from this IP address within the window."""

    def __init__(self, window: timedelta):
        super().__init__(f"Too many requests: wait {window}")
        self.window = window

    @property
    def wait(self) -> str:
        """The window in plain words: "an hour", "2 hours", "30 minutes"."""
        minutes = max(1, int(self.window.total_seconds() // 60))
        if minutes % 60 == 0:
            hours = minutes // 60
            return "an hour" if hours == 1 else f"{hours} hours"
        return "a minute" if minutes == 1 else f"{minutes} minutes"


def key_digest(action: str, kind: str, value: str) -> str:
    # Keyed with SECRET_KEY: a plain SHA-256 of an IPv4 address (or a guessable email
    # address) could be reversed by hashing every candidate.
    return salted_hmac(KEY_SALT, f"{action}:{kind}:{value}", algorithm="sha256").hexdigest()


def _longest_window() -> timedelta:
    return max(limit["window"] for limit in settings.RATE_LIMITS.values())


def rate_limit_hit(*, action: str, address: str, ip_address: str | None) -> None:
    """Count one request for `address` from `ip_address`; raise RateLimited past a limit.

    Call it outside any transaction: the hit must be committed before counting (see the
    module docstring), so that concurrent requests see each other.
    """
    limit = settings.RATE_LIMITS[action]
    now = timezone.now()
    limits = {
        key_digest(action, "address", address.strip().lower()): limit["per_address"],
        # Requests without a client address share one counter rather than escape the limit.
        key_digest(action, "ip", ip_address or "unknown"): limit["per_ip"],
    }
    with transaction.atomic():
        RateLimitHit.objects.filter(occurred_at__lt=now - _longest_window()).delete()
        hits = RateLimitHit.objects.bulk_create(
            RateLimitHit(key_digest=key, occurred_at=now) for key in limits
        )
    counts = (
        RateLimitHit.objects.filter(key_digest__in=limits, occurred_at__gt=now - limit["window"])
        .values("key_digest")
        .annotate(hits=Count("id"))
    )
    if any(row["hits"] > limits[row["key_digest"]] for row in counts):
        with transaction.atomic():
            RateLimitHit.objects.filter(pk__in=[hit.pk for hit in hits]).delete()
        raise RateLimited(limit["window"])
