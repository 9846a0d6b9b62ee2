"""Hands the session's chosen partnership to the signed-in person, for the pages.

A person with several memberships chooses which partnership they are working in on the
switcher's page; `User.current_membership` then follows that choice (and falls back to the
newest membership when there is none, or the chosen membership has ended). The API never
reads it: each request there names its partnership.
"""

from __future__ import annotations

from .models import CHOSEN_PARTNERSHIP_SESSION_KEY


class ChosenPartnershipMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        # Only a session that holds a choice loads the person here: every other request
        # (anonymous visitors, API tokens) costs nothing more.
        chosen = session.get(CHOSEN_PARTNERSHIP_SESSION_KEY) if session is not None else None
        if chosen is not None and request.user.is_authenticated:
            request.user.chosen_partnership_id = chosen
        return self.get_response(request)
