"""API tokens for tests, made the one way the service makes them."""

from __future__ import annotations

from learninghub.api import services
from learninghub.core.audit.auditor import Auditor


def make_token(user, name: str = "Test script", *, scope: str = "write", days: int = 90):
    """A new token for `user` (one that may write, unless asked otherwise): returns
    (token, plaintext)."""
    return services.api_token_create(
        auditor=Auditor(actor=user), user=user, name=name, scope=scope, days=days
    )


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}
