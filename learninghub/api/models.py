"""API tokens: how a script or spreadsheet acts as a person through the JSON API.

Only a SHA-256 of each token is kept. The plaintext is shown once, when the token is made;
the first characters (`key_prefix`) stay visible so a person can tell their tokens apart.

Every token expires (90 days unless its person chose otherwise) and has a scope: a token
that only reads cannot change anything, so a leaked reporting script's token cannot be used
to alter records (least privilege and short-lived credentials, as the NCSC's guidance on
securing HTTP-based APIs advises).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

# Here, beside the token, so that the form and the service share them without the form
# importing the service.
NAME_MAX_LENGTH = 100
# A token that is never revoked should still stop working one day: a forgotten script's
# token, or one copied somewhere it should not be, is then only good for a while.
DEFAULT_DAYS = 90
MAX_DAYS = 365


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", "Read only"
        WRITE = "write", "Read and write"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=NAME_MAX_LENGTH)
    key_prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=5, choices=Scope.choices)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
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
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        """Usable: neither revoked nor expired."""
        return self.revoked_at is None and not self.is_expired

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.WRITE

    @property
    def audit_partnership_id(self) -> int | None:
        """Token events belong to the holder's partnership, so its business unit sees them."""
        partnership = self.user.current_partnership
        return partnership.pk if partnership else None
