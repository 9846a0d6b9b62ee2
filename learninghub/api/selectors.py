"""Every read of API tokens. A person only ever sees their own."""

from __future__ import annotations

import hashlib

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from .models import ApiToken

TOKEN_PREFIX = "slh_"
# Longer than any token we issue (4 + 43 characters): anything longer is not ours.
TOKEN_MAX_LENGTH = 100


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_list(*, user) -> QuerySet[ApiToken]:
    """The person's tokens, newest first, revoked ones included (they show as revoked)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def api_token_get(*, user, pk: int) -> ApiToken:
    """One of the person's own tokens; anyone else's answers 404."""
    try:
        return api_token_list(user=user).get(pk=pk)
    except ApiToken.DoesNotExist as exc:
        raise Http404 from exc


def api_token_authenticate(key: str):
    """The active person a token belongs to, or None (unknown, revoked, expired or
    deactivated alike: the caller learns nothing about which, nor whether the token existed).

    The returned user carries the token it authenticated with as `user.api_token`, as Django's
    `user.backend` records how someone signed in, so callers can note its use without
    another query.
    """
    if not key.startswith(TOKEN_PREFIX) or len(key) > TOKEN_MAX_LENGTH:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(
            key_hash=token_digest(key),
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )
    if token is None:
        return None
    user = token.user
    user.api_token = token
    return user
