"""API tokens for tests, made the one way the service makes them."""

from __future__ import annotations

from learninghub.api import services
from learninghub.core.audit.auditor import Auditor


def make_token(user, name: str = "Test script"):
    """A new token for `user`: returns (token, plaintext)."""
    return services.api_token_create(auditor=Auditor(actor=user), user=user, name=name)


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}
