"""One row per counted request. The key is a keyed SHA-256 digest, never the email address or
IP address itself, so the table holds nobody's details in clear."""

from __future__ import annotations

from django.db import models


class RateLimitHit(models.Model):
    key_digest = models.CharField(max_length=64)
    occurred_at = models.DateTimeField()

    class Meta:
        indexes = [
            # Counting one key's recent hits reads only that key's rows.
            models.Index(fields=["key_digest", "occurred_at"], name="ratelimit_key_time_idx"),
            # Pruning old rows is a range scan, whatever the keys.
            models.Index(fields=["occurred_at"], name="ratelimit_time_idx"),
        ]

    def __str__(self) -> str:
        return f"Rate limit hit at {self.occurred_at:%Y-%m-%d %H:%M}"
