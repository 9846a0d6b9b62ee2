"""How a case begins, and who it is about: recording the notification (naming one to four
children), each child's details and identifying details, and the partnership's reference
pattern.

Only the business unit records a notification and names or changes the children; the case
review group sees them. Anyone else gets a 404. Every look at identifying details is logged,
child by child.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from learninghub.core import anonymity
from learninghub.core.audit.auditor import Auditor
from learninghub.core.forms import add_service_errors
from learninghub.core.permissions import can, require
from learninghub.partnerships import selectors as partnership_selectors

from .. import selectors, services
from ..forms.cases import IdentifiersForm, stored_date
from ..forms.intake import MAX_CHILDREN, ChildForm, NotificationOpenForm, ReviewSettingsForm


def _read(request: HttpRequest, obj, *, action: str, summary: str) -> None:
    Auditor.from_request(request).read(obj, action=action, summary=summary)


def _override(form) -> dict:
    if not form.anonymity_override_used:
        return {}
    return {"anonymity_matches": form.anonymity_matches, "anonymity_reason": form.anonymity_reason}


# Record a serious incident notification: how a case begins ------------------------------


def _put_errors(form, errors: dict[str, str], *, only_new: bool) -> None:
    """A service's refusals on the form's own questions; with `only_new`, beside the form's
    own errors (a date error never hides the others), never on top of them."""
    for field, message in errors.items():
        message = message[0] if isinstance(message, list) else message
        field = form.service_fields.get(field, field)
        if field == "children":
            field = "child_1_pseudonym"
        if only_new and field in form.errors:
            continue
        if form.shown == 1:  # one child: the questions say "the child", and so do the errors
            message = message.replace("child 1", "the child")
        form.add_error(field if field in form.fields else None, message)


@login_required
@require_http_methods(["GET", "POST"])
def notification_new(request: HttpRequest) -> HttpResponse:
    require(request, "reviews.open_case")
    partnership = partnership_selectors.managed_partnership(request.user)
    if request.method == "GET":
        suggested = selectors.next_reference(
            partnership=partnership, aware_date=timezone.localdate()
        )
        form = NotificationOpenForm(
            initial={"reference": suggested, "suggested_reference": suggested}
        )
        return _notification_page(request, form, partnership)
    form = NotificationOpenForm(request.POST)
    valid = form.is_valid()
    if form.adding_child:
        # "Add another child" shows one more child's questions, keeping what was typed.
        form._errors = ErrorDict()
        return _notification_page(request, form, partnership)
    data = form.service_data()
    suggested = (form.cleaned_data.get("suggested_reference") or "").strip().upper()
    if data["reference"].strip().upper() == suggested and data["aware_date"]:
        # The suggestion is made again from the year of becoming aware, and taken afresh.
        data["reference"] = selectors.next_reference(
            partnership=partnership, aware_date=data["aware_date"]
        )
    if not valid:
        _put_errors(
            form,
            services.notification_open_errors(partnership=partnership, **data),
            only_new=True,
        )
        return _notification_page(request, form, partnership)
    try:
        case = services.notification_open(
            auditor=Auditor.from_request(request),
            partnership=partnership,
            **data,
            **_override(form),
        )
    except ValidationError as error:
        _put_errors(form, error.message_dict, only_new=False)
        return _notification_page(request, form, partnership)
    messages.success(request, f"The notification was recorded and case {case.reference} opened")
    return redirect("reviews:case_detail", pk=case.pk)


def _notification_page(request, form, partnership) -> HttpResponse:
    return render(
        request,
        "reviews/notification_new.jinja",
        {"form": form, "partnership": partnership, "max_children": MAX_CHILDREN},
    )


# The children named in the notification -------------------------------------------------


def _case_identifiers(case) -> list:
    """Every child's identifiers on the case: a child's pseudonym must not give away any."""
    found = []
    for _child, details in selectors.children_identifiers(case=case):
        if details is not None:
            found += anonymity.identifiers_from(details)
    return found


@login_required
@require_http_methods(["GET", "POST"])
def child_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk, "reviews.change_children")
    if request.method == "GET":
        _read(request, case, action="reviews.case.read", summary=f"Viewed case {case.reference}")
    children = selectors.case_children(case=case)
    form = ChildForm(
        request.POST if request.method == "POST" else None,
        identifiers=_case_identifiers(case),
    )
    if len(children) < MAX_CHILDREN and request.method == "POST" and form.is_valid():
        try:
            child = services.child_add_checked(
                auditor=Auditor.from_request(request),
                case=case,
                **form.service_data(),
                **_override(form),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{child.pseudonym} was added to the case")
            return redirect(reverse("reviews:case_detail", args=[case.pk]) + "#children")
    return render(
        request,
        "reviews/child_form.jinja",
        {"case": case, "form": form, "child": None, "full": len(children) >= MAX_CHILDREN},
    )


@login_required
@require_http_methods(["GET", "POST"])
def child_edit(request: HttpRequest, pk: int, child_pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk, "reviews.change_children")
    child = selectors.child_for(case=case, child_pk=child_pk)
    if request.method == "GET":
        _read(request, case, action="reviews.case.read", summary=f"Viewed case {case.reference}")
    form = ChildForm(
        request.POST if request.method == "POST" else None,
        initial=ChildForm.initial_for(child),
        identifiers=_case_identifiers(case),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.child_change(
                auditor=Auditor.from_request(request),
                child=child,
                **form.service_data(),
                **_override(form),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The child's details were changed")
            return redirect(reverse("reviews:case_detail", args=[case.pk]) + "#children")
    return render(
        request,
        "reviews/child_form.jinja",
        {"case": case, "form": form, "child": child, "full": False},
    )


# Identifying details, child by child -----------------------------------------------------


def _read_identifiers(request, case, child, details) -> None:
    _read(
        request,
        details or child,
        action="reviews.identifiers.read",
        summary=f"Viewed the identifying details of {child.pseudonym} in case {case.reference}",
    )


@login_required
@require_safe
def identifiers(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk, "reviews.view_identifiers")
    children = selectors.children_identifiers(case=case)
    # Every look at a child's identifying details is logged, however often.
    for child, details in children:
        _read_identifiers(request, case, child, details)
    return render(
        request,
        "reviews/identifiers.jinja",
        {
            "case": case,
            "children": [
                (
                    child,
                    details,
                    stored_date(details.date_of_birth) if details else None,
                )
                for child, details in children
            ],
            "can_change": can(request, "reviews.change_case", case),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def identifiers_edit(request: HttpRequest, pk: int, child_pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk, "reviews.view_identifiers")
    require(request, "reviews.change_case", case)
    child = selectors.child_for(case=case, child_pk=child_pk)
    details = getattr(child, "identifiers", None)  # fetched with the child
    form = IdentifiersForm(
        request.POST if request.method == "POST" else None,
        initial=IdentifiersForm.initial_for(details),
    )
    if request.method == "POST" and form.is_valid():
        services.identifiers_update(
            auditor=Auditor.from_request(request), child=child, **form.cleaned_data
        )
        messages.success(request, "The identifying details were saved")
        return redirect("reviews:identifiers", pk=case.pk)
    if request.method == "GET":
        # The form shows the details as they stand: that is a read too.
        _read_identifiers(request, case, child, details)
    return render(
        request, "reviews/identifiers_form.jinja", {"case": case, "child": child, "form": form}
    )


# The partnership's settings for case reviews ----------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def review_settings(request: HttpRequest) -> HttpResponse:
    require(request, "reviews.change_settings")
    partnership = partnership_selectors.managed_partnership(request.user)
    current = selectors.reference_pattern(partnership=partnership)
    form = ReviewSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={"reference_pattern": current},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.review_settings_update(
                auditor=Auditor.from_request(request),
                partnership=partnership,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The case reference pattern was saved")
            return redirect("reviews:review_settings")
    # The preview shows what the pattern on the page would make next, when it can be used.
    shown = (form.data.get("reference_pattern") or "").strip() if form.is_bound else current
    if services.pattern_errors(shown):
        shown = current
    preview = selectors.next_reference(
        partnership=partnership, aware_date=timezone.localdate(), pattern=shown
    )
    return render(
        request,
        "reviews/review_settings.jinja",
        {"form": form, "partnership": partnership, "preview": preview, "pattern": shown},
    )


urlpatterns = [
    path("cases/new/", notification_new, name="case_create"),
    path("cases/<int:pk>/children/new/", child_add, name="child_add"),
    path("cases/<int:pk>/children/<int:child_pk>/edit/", child_edit, name="child_edit"),
    path("cases/<int:pk>/identifiers/", identifiers, name="identifiers"),
    path(
        "cases/<int:pk>/identifiers/<int:child_pk>/edit/",
        identifiers_edit,
        name="identifiers_edit",
    ),
    path("settings/", review_settings, name="review_settings"),
]
