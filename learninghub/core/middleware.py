"""Session lifetime and the two-factor rule, applied to every request."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

SESSION_STARTED = "_hub_started_at"
SESSION_SEEN = "_hub_seen_at"


def start_session_clock(request) -> None:
    now = time.time()
    request.session[SESSION_STARTED] = now
    request.session[SESSION_SEEN] = now


class SessionTimeoutMiddleware:
    """Ends a session after 30 minutes idle or 12 hours in all (ASVS 3.3)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            started = request.session.get(SESSION_STARTED, now)
            seen = request.session.get(SESSION_SEEN, now)
            idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
            absolute = settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
            if now - seen > idle or now - started > absolute:
                logout(request)
                messages.info(request, "Your session ended, for your security. Sign in again.")
                return redirect(f"{reverse('accounts:login')}?next={request.path}")
            request.session[SESSION_STARTED] = started
            request.session[SESSION_SEEN] = now
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Anyone who can see restricted or partnership material must have passed two-factor.

    Sign-in already asks for the code; this catches a role granted during a session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "requires_two_factor", False)
            and not user.is_verified()
        ):
            logout(request)
            messages.info(request, "Your role needs two-factor authentication. Sign in again.")
            return redirect("accounts:login")
        return self.get_response(request)


class RequestAuditContextMiddleware:
    """Records permission denials (403), and keeps signed-in pages out of caches: they may
    carry restricted material, such as a child's identifying details.

    A signed-in person's denial goes to the audit log under their name. An anonymous one
    goes to the rate-limited security log: anyone can send those, as many as they like, with
    paths of their choosing, and each would otherwise be a permanent audit row."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in:
            response["Cache-Control"] = "private, no-store"
        if response.status_code == 403 and not getattr(request, "_denial_audited", False):
            from .audit.auditor import Auditor, client_ip
            from .audit.models import AuditEvent
            from .security_log import security_log

            reason = getattr(request, "denial_reason", "")
            if not signed_in:
                security_log.warning(
                    "Anonymous request refused (403%s): %s %r from %s",
                    f", {reason}" if reason else "",
                    request.method,
                    request.path[:200],
                    client_ip(request),
                )
                return response
            Auditor(actor=user, ip_address=client_ip(request)).record(
                AuditEvent.Kind.DENIED,
                action="access.denied",
                summary=f"Permission denied: {request.method} {request.path[:200]}",
            )
        return response
