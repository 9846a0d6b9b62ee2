"""The append-only audit log.

Events are numbered 1, 2, 3… with no gaps (`sequence`), and each is sealed with an HMAC of
the previous event's seal and its own content under a key kept outside the database
(`seal.py`). Altering, removing or re-chaining any row breaks the chain from that point; the
newest events, which have no successor to break, are covered by the anchors that
`manage.py anchor_audit_log` writes outside the database (`manage.py verify_audit_log`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from .seal import seal


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only")

    def delete(self):
        raise PermissionError("The audit log is append-only")


class AuditEvent(models.Model):
    class Kind(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        DELETE = "delete", "Deleted"
        READ = "read", "Read restricted material"
        LOGIN = "login", "Signed in"
        LOGOUT = "logout", "Signed out"
        LOGIN_FAILED = "login_failed", "Failed sign-in"
        LOCKOUT = "lockout", "Account locked"
        DENIED = "denied", "Permission denied"
        ACTION = "action", "Action"

    occurred_at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    action = models.CharField(max_length=100, db_index=True)
    summary = models.CharField(max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    actor_label = models.CharField(max_length=254)
    partnership_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    # The record an event belongs to, for its history: "reviews.case:12" for a case and for
    # its notification, rapid review, documents and the rest.
    scope = models.CharField(max_length=100, blank=True, default="")
    changes = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # Database ids may skip (a PostgreSQL sequence does on every rollback), so a missing event
    # could not be told from a skipped id: this number is the previous event's plus one.
    sequence = models.PositiveBigIntegerField(unique=True)
    previous_hash = models.CharField(max_length=64, unique=True)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "id"], name="audit_object_idx"),
            models.Index(fields=["actor", "id"], name="audit_actor_idx"),
            models.Index(fields=["partnership_id", "id"], name="audit_partnership_idx"),
            # A record's history of changes, newest first, without wading through its reads.
            models.Index(
                fields=["scope", "-id"],
                name="audit_scope_changes_idx",
                condition=~models.Q(kind="read"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label}: {self.summary}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only")

    def content(self) -> dict:
        return {
            "sequence": self.sequence,
            "occurred_at": self.occurred_at.isoformat(),
            "kind": self.kind,
            "action": self.action,
            "summary": self.summary,
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "partnership_id": self.partnership_id,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "changes": self.changes,
            "scope": self.scope,
            "ip_address": self.ip_address,
        }

    def compute_hash(self, *, key: bytes | None = None) -> str:
        """The event's seal under `key` (by default settings.AUDIT_LOG_KEY)."""
        return seal(self.previous_hash, self.content(), key=key)
