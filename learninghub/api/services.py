"""Every write to API tokens.

Each service is one transaction and writes its own audit event; `ValidationError` (keyed by
field) for anything a person can correct. The plaintext of a token exists only in the return
value of `api_token_create`: we keep its SHA-256 and first characters.

Tokens are revoked by their person, and also when the person's access is withdrawn (a
password reset, a membership ended, a role that may no longer hold tokens): see
`api_tokens_revoke_all` and `receivers.py`.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from learninghub.core.audit.auditor import Auditor, snapshot
from learninghub.core.audit.models import AuditEvent

from .models import DEFAULT_DAYS, MAX_DAYS, NAME_MAX_LENGTH, ApiToken
from .selectors import TOKEN_PREFIX, token_digest

# Enough for every script a person runs; a cap keeps forgotten tokens from piling up.
MAX_ACTIVE_TOKENS = 20
# Recording each use would make every API request a write; once a minute tells a person
# whether a token is still in use, which is all they need to decide whether to revoke it.
TOUCH_INTERVAL = timedelta(minutes=1)


def _usable(user):
    return ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )


@transaction.atomic
def api_token_create(
    *,
    auditor: Auditor,
    user,
    name: str,
    scope: str = ApiToken.Scope.READ,
    days: int = DEFAULT_DAYS,
) -> tuple[ApiToken, str]:
    """Make a token for `user`; returns the token and its plaintext, to show once.

    Read only unless asked otherwise: a token should do no more than its script needs.
    """
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter a name for the token"})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError({"name": f"Token name must be {NAME_MAX_LENGTH} characters or fewer"})
    if scope not in ApiToken.Scope.values:
        raise ValidationError(
            {"scope": "Select whether the token can only read, or read and write"}
        )
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise ValidationError(
            {"days": f"A token must expire within 1 to {MAX_DAYS} days of being made"}
        )
    # Only usable tokens count: an expired or revoked one frees its name and its place.
    active = _usable(user)
    if active.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"You already have a token named {name}"})
    if active.count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            {
                "name": f"You can have up to {MAX_ACTIVE_TOKENS} tokens. "
                "Revoke one you no longer use first"
            }
        )
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_prefix=plaintext[:8],
        key_hash=token_digest(plaintext),
        scope=scope,
        created_at=now,
        # Local wall-clock days, so the date is the one the page promised across a change
        # to or from British Summer Time.
        expires_at=timezone.localtime(now) + timedelta(days=days),
    )
    auditor.created(
        token,
        action="api.token.create",
        summary=f"Created the API token {name} for {user.get_username()}",
        fields=["name", "key_prefix", "scope", "expires_at"],
    )
    return token, plaintext


@transaction.atomic
def api_token_revoke(*, auditor: Auditor, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError({"confirm": "This token has already been revoked"})
    before = snapshot(token, ["revoked_at"])
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    auditor.updated(
        token,
        action="api.token.revoke",
        summary=f"Revoked the API token {token.name} of {token.user.get_username()}",
        before=before,
    )
    return token


@transaction.atomic
def api_tokens_revoke_all(
    *, auditor: Auditor, user, reason: str, partnership_id: int | None = None
) -> int:
    """Revoke every token of `user` still usable, because their access was withdrawn.

    Runs inside the transaction that withdrew the access, so the two commit together: there
    is no moment when the password is new but the old tokens still work. One event for each
    token, with the reason, in the log of the partnership whose change caused it (or the
    person's own, for a password reset).
    """
    tokens = list(_usable(user).select_for_update().order_by("pk"))
    now = timezone.now()
    for token in tokens:
        token.user = user  # the person's partnership for the event, without a query per token
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        auditor.record(
            AuditEvent.Kind.UPDATE,
            action="api.token.revoke",
            summary=f"Revoked the API token {token.name} of {user.get_username()}: {reason}",
            obj=token,
            changes={"revoked_at": [None, now]},
            partnership_id=partnership_id,
        )
    return len(tokens)


def api_token_touch(*, token: ApiToken) -> None:
    """Note that a token was used, at most once a minute.

    Not audited: it is bookkeeping, and the writes made with the token are audited themselves.
    One conditional UPDATE, so two requests at once never move the time backwards.
    """
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_INTERVAL:
        return
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - TOUCH_INTERVAL)
    ).update(last_used_at=now)
    token.last_used_at = now
