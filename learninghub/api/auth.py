"""Token authentication for the API's writes.

Writes need `Authorization: Bearer <token>`; a session cookie alone never authorises one.
That keeps the API out of reach of cross-site request forgery (a browser attaches cookies
by itself, never this header), so no CSRF token is needed.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from . import selectors, services


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = selectors.api_token_authenticate(token.strip())
        # A token acts with its person's roles of today: someone who has since left the
        # business unit keeps the token row but can no longer use it.
        if user is None or not user.has_perm("api.hold_token"):
            return None
        services.api_token_touch(token=user.api_token)
        # The token's person, not whoever the session cookie names, is the one acting.
        request.user = user
        return user


token_auth = TokenAuth()
