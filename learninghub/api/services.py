"""Every write to API tokens.

Each service is one transaction and writes its own audit event; `ValidationError` (keyed by
field) for anything a person can correct. The plaintext of a token exists only in the return
value of `api_token_create`: we keep its SHA-256 and first characters.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from learninghub.core.audit.auditor import Auditor, snapshot

from .models import ApiToken
from .selectors import TOKEN_PREFIX, token_digest

NAME_MAX_LENGTH = 100
# Enough for every script a person runs; a cap keeps forgotten tokens from piling up.
MAX_ACTIVE_TOKENS = 20
# Recording each use would make every API request a write; once a minute tells a person
# whether a token is still in use, which is all they need to decide whether to revoke it.
TOUCH_INTERVAL = timedelta(minutes=1)


@transaction.atomic
def api_token_create(*, auditor: Auditor, user, name: str) -> tuple[ApiToken, str]:
    """Make a token for `user`; returns the token and its plaintext, to show once."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter a name for the token"})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError({"name": f"Token name must be {NAME_MAX_LENGTH} characters or fewer"})
    active = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
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
    token = ApiToken.objects.create(
        user=user, name=name, key_prefix=plaintext[:8], key_hash=token_digest(plaintext)
    )
    auditor.created(
        token,
        action="api.token.create",
        summary=f"Created the API token {name} for {user.get_username()}",
        fields=["name", "key_prefix"],
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
