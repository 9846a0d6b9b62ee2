"""Needs attention: every open deadline a person has, across every app, soonest first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from learninghub.core.audit.auditor import Auditor

from . import selectors


@login_required
@require_safe
def needs_attention(request: HttpRequest) -> HttpResponse:
    # Deny by default: someone with no app's deadlines (a practitioner, a system
    # administrator) has nothing here, and the page answers as if it did not exist.
    if not selectors.can_see_needs_attention(request.user):
        raise Http404
    attention = selectors.needs_attention(user=request.user)
    Auditor.from_request(request).read_list(
        action="core.needs_attention.read",
        summary="Viewed the deadlines needing attention",
        partnership_ids={d.partnership_id for d in attention.deadlines + attention.on_hold},
    )
    return render(request, "core/needs_attention.jinja", {"attention": attention})
