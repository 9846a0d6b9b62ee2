"""API tokens: how a script or spreadsheet acts as a person through the JSON API.

Only a SHA-256 of each token is kept. The plaintext is shown once, when the token is made;
the first characters (`key_prefix`) stay visible so a person can tell their tokens apart.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    key_prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    audit_redact = ("key_hash",)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"
        indexes = [models.Index(fields=["user", "revoked_at"], name="api_token_user_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def audit_partnership_id(self) -> int | None:
        """Token events belong to the holder's partnership, so its business unit sees them."""
        partnership = self.user.current_partnership
        return partnership.pk if partnership else None
