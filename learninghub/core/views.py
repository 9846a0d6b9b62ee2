"""Pages every visitor shares: home, information pages, dashboard, health and errors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import lockout
from .navigation import items_for


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.jinja")


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.jinja")


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.jinja")


@require_safe
def cookies(request: HttpRequest) -> HttpResponse:
    return render(request, "core/cookies.jinja")


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "core/dashboard.jinja", {"links": items_for(request.user)})


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means unhealthy
        return JsonResponse(
            {"status": "unavailable", "database": str(type(exc).__name__)}, status=503
        )
    return JsonResponse({"status": "ok", "database": "ok"})


@require_safe
def floor(request: HttpRequest) -> HttpResponse:
    """Does no database work: the benchmark's baseline for the same stack."""
    return HttpResponse("ok", content_type="text/plain")


@login_required
@require_safe
def layout_floor(request: HttpRequest) -> HttpResponse:
    """The signed-in layout and nothing else: the benchmark's baseline for a rendered page.

    Only routed under the bench settings (`BENCH_FLOOR_PAGE`), so production gains no page.
    """
    return render(request, "core/layout_floor.jinja")


def _error(request, status: int, title: str, message: str) -> HttpResponse:
    return render(request, "core/error.jinja", {"title": title, "message": message}, status=status)


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        return _error(
            request,
            413,
            "What you sent is too large",
            "The form or file you sent is larger than this service accepts. "
            "Send a smaller file, or split it into parts.",
        )
    if isinstance(exception, TooManyFieldsSent):
        return _error(
            request, 413, "What you sent is too large", "The form you sent has too many fields."
        )
    return _error(
        request, 400, "Sorry, there is a problem", "The service could not understand the request."
    )


def permission_denied(request, exception=None):
    return _error(
        request,
        403,
        "You do not have permission to see this page",
        "If you think you should, contact your partnership's business unit.",
    )


def page_not_found(request, exception=None):
    return _error(
        request,
        404,
        "Page not found",
        "If you typed the web address, check it is correct. "
        "If you pasted the web address, check you copied the entire address.",
    )


def server_error(request):
    return _error(
        request,
        500,
        "Sorry, there is a problem with the service",
        "Try again later. Nothing you entered has been saved.",
    )


def csrf_failure(request, reason=""):
    # Named in the denial the middleware records (audit log, or the security log for
    # someone not signed in).
    request.denial_reason = f"CSRF check failed: {reason}"[:120]
    return _error(
        request,
        403,
        "Your form has expired",
        "For your security, forms expire. Go back, refresh the page and try again.",
    )


# Each says which lock holds (learninghub/core/lockout.py), in the same words whether or not
# the address typed has an account, so the page tells nobody who has one.
_LOCKED_OUT = {
    lockout.ACCOUNT_AND_ADDRESS: (
        "Your account is locked here for 5 minutes",
        "There were too many failed attempts to sign in to this account from your device or "
        "network. Wait 5 minutes and try again.",
    ),
    lockout.ACCOUNT: (
        "Your account is locked for 5 minutes",
        "There were too many failed attempts to sign in to this account, from more than one "
        "place. To protect it, nobody can sign in to it for 5 minutes, wherever they are. "
        "Wait 5 minutes and try again. If you did not make these attempts, tell your "
        "partnership's business unit.",
    ),
    lockout.ADDRESS: (
        "Signing in from here is paused for 5 minutes",
        "There were too many failed attempts to sign in from your device or network. "
        "Wait 5 minutes and try again.",
    ),
}


def locked_out(request, response, credentials):
    title, message = _LOCKED_OUT[
        getattr(request, lockout.LOCKED_BY, None) or lockout.ACCOUNT_AND_ADDRESS
    ]
    return _error(
        request,
        429,
        title,
        f"{message} If you have forgotten your password, reset it from the sign-in page.",
    )
