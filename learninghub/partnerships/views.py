"""The business unit's pages: agencies, people, invitations and the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from learninghub.core.audit.auditor import Auditor
from learninghub.core.audit.display import hide_case_text
from learninghub.core.audit.filters import AuditEventFilter
from learninghub.core.audit.selectors import audit_history_for, audit_search
from learninghub.core.forms import add_service_errors, confirm_then
from learninghub.core.permissions import require

from . import selectors, services
from .filters import MembershipFilter
from .forms import (
    AgencyEditForm,
    AgencyForm,
    InvitationForm,
    MembershipForm,
)

PAGE_SIZE = 50


def _manager_partnership(request):
    require(request, "partnerships.manage_people")
    return selectors.managed_partnership(request.user)


# Agencies -------------------------------------------------------------------------------


@login_required
@require_safe
def agency_list(request: HttpRequest) -> HttpResponse:
    partnership = _manager_partnership(request)
    agencies = selectors.agency_list(partnership=partnership, include_inactive=True)
    return render(
        request,
        "partnerships/agency_list.jinja",
        {"partnership": partnership, "agencies": agencies},
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_create(request: HttpRequest) -> HttpResponse:
    partnership = _manager_partnership(request)
    form = AgencyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            agency = services.agency_create(
                auditor=Auditor.from_request(request), partnership=partnership, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{agency.name} was added")
            return redirect("partnerships:agency_detail", pk=agency.pk)
    return render(request, "partnerships/agency_form.jinja", {"form": form, "agency": None})


@login_required
@require_safe
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _manager_partnership(request)
    agency = selectors.agency_get_for_manager(user=request.user, pk=pk)
    history = audit_history_for(agency)[:50]
    return render(
        request, "partnerships/agency_detail.jinja", {"agency": agency, "history": history}
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _manager_partnership(request)
    agency = selectors.agency_get_for_manager(user=request.user, pk=pk)
    initial = {
        "name": agency.name,
        "agency_type": agency.agency_type,
        "is_active": agency.is_active,
    }
    form = AgencyEditForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_update(
                auditor=Auditor.from_request(request), agency=agency, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The agency was changed")
            return redirect("partnerships:agency_detail", pk=agency.pk)
    return render(request, "partnerships/agency_form.jinja", {"form": form, "agency": agency})


# People and invitations -----------------------------------------------------------------


@login_required
@require_safe
def people_list(request: HttpRequest) -> HttpResponse:
    partnership = _manager_partnership(request)
    found = MembershipFilter.from_query(
        request.GET, queryset=selectors.membership_list(partnership=partnership)
    )
    search = found.search
    page = Paginator(found.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    invitations = selectors.invitation_list(partnership=partnership)[:PAGE_SIZE]
    return render(
        request,
        "partnerships/people_list.jinja",
        {"partnership": partnership, "page": page, "search": search, "invitations": invitations},
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create(request: HttpRequest) -> HttpResponse:
    partnership = _manager_partnership(request)
    agencies = list(selectors.agency_list(partnership=partnership))
    form = InvitationForm(request.POST if request.method == "POST" else None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _ = services.invitation_create(
                auditor=Auditor.from_request(request), partnership=partnership, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"An invitation was sent to {invitation.email}")
            return redirect("partnerships:people_list")
    return render(request, "partnerships/invitation_form.jinja", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def invitation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    _manager_partnership(request)
    invitation = selectors.invitation_get_for_manager(user=request.user, pk=pk)
    return confirm_then(
        request,
        do=lambda: services.invitation_withdraw(
            auditor=Auditor.from_request(request), invitation=invitation
        ),
        success=f"The invitation for {invitation.email} was withdrawn",
        next_url=reverse("partnerships:people_list"),
        template="partnerships/invitation_withdraw.jinja",
        context={"invitation": invitation},
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _manager_partnership(request)
    membership = selectors.membership_get_for_manager(user=request.user, pk=pk)
    agencies = list(selectors.agency_list(partnership=membership.partnership))
    initial = {"role": membership.role, "agency": str(membership.agency_id or "")}
    form = MembershipForm(
        request.POST if request.method == "POST" else None, agencies=agencies, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_change(
                auditor=Auditor.from_request(request), membership=membership, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The role of {membership.user.email} was changed")
            return redirect("partnerships:membership_detail", pk=membership.pk)
    history = audit_history_for(membership)[:50]
    return render(
        request,
        "partnerships/membership_detail.jinja",
        {"membership": membership, "form": form, "history": history},
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    _manager_partnership(request)
    membership = selectors.membership_get_for_manager(user=request.user, pk=pk)
    return confirm_then(
        request,
        do=lambda: services.membership_end(
            auditor=Auditor.from_request(request), membership=membership
        ),
        success=f"The membership of {membership.user.email} has ended",
        next_url=reverse("partnerships:people_list"),
        template="partnerships/membership_end.jinja",
        context={"membership": membership},
    )


# Audit log ------------------------------------------------------------------------------


@login_required
@require_safe
def audit_log(request: HttpRequest) -> HttpResponse:
    require(request, "core.view_audit_log")
    found = AuditEventFilter(
        request.GET or None,
        queryset=audit_search(
            partnership_ids=selectors.audit_partnership_scope(request.user), viewer=request.user
        ),
        viewer=request.user,
    )
    events = None
    if found.is_valid() or not request.GET:
        events = Paginator(found.qs, PAGE_SIZE).get_page(request.GET.get("page"))
        # Case text only for the case team; everyone else sees that the event happened.
        events.object_list = hide_case_text(events.object_list, viewer=request.user)
        shown = {e.partnership_id for e in events.object_list if e.case_material}
        if shown:  # case material shown is restricted material read, so it is logged
            Auditor.from_request(request).read_list(
                action="core.audit_log.read",
                summary="Viewed case material in the audit log",
                partnership_ids=shown,
            )
    return render(request, "partnerships/audit_log.jinja", {"form": found.form, "page": events})


@login_required
@require_http_methods(["GET", "POST"])
def membership_two_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    _manager_partnership(request)
    membership = selectors.membership_get_for_manager(user=request.user, pk=pk)
    return confirm_then(
        request,
        do=lambda: services.two_factor_reset(
            auditor=Auditor.from_request(request), membership=membership
        ),
        success=(
            f"Two-factor authentication was reset for {membership.user.email}. "
            "They will set it up again when they next sign in"
        ),
        next_url=reverse("partnerships:membership_detail", args=[membership.pk]),
        template="partnerships/two_factor_reset.jinja",
        context={"membership": membership},
    )
