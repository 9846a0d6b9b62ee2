"""The page a refused request gets: plain words and 429 Too Many Requests."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .services import RateLimited


def too_many_requests(request: HttpRequest, error: RateLimited) -> HttpResponse:
    response = render(
        request,
        "core/error.jinja",
        {
            "title": "You have asked for too many emails",
            "message": f"Wait {error.wait}, then try again.",
        },
        status=429,
    )
    response["Retry-After"] = str(int(error.window.total_seconds()))
    return response
