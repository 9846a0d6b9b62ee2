"""Token authentication for the API.

Writes need `Authorization: Bearer <token>`; a session cookie alone never authorises one.
That keeps the API out of reach of cross-site request forgery (a browser attaches cookies
by itself, never this header), so no CSRF token is needed.

A token that has expired or been revoked answers 401 exactly as an unknown one does, so a
caller holding an old token learns nothing about it. A read-only token may be used for any
read, and a write with it answers 403: the scope is checked on the request's method, not
endpoint by endpoint, so a write endpoint added later is refused to read-only tokens without
anyone having to remember to say so.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.security import HttpBearer

from learninghub.core.permissions import can

from . import selectors, services

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READ_ONLY = (
    "This token can only read. To make changes, create a token that can read and write "
    "on the API tokens page of your account"
)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = selectors.api_token_authenticate(token.strip())
        # A token acts with its person's roles of today: someone who has since left the
        # business unit keeps the token row but can no longer use it.
        if user is None or not can(user, "api.hold_token"):
            return None
        api_token = user.api_token
        services.api_token_touch(token=api_token)
        # The token's person, not whoever the session cookie names, is the one acting (and
        # the one named if the access log records a refusal below).
        request.user = user
        if request.method not in SAFE_METHODS and not api_token.can_write:
            raise PermissionDenied(READ_ONLY)
        return user


token_auth = TokenAuth()
