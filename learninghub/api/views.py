"""The API tokens pages: list your tokens, make one (shown once), revoke one."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from learninghub.core.audit.auditor import Auditor
from learninghub.core.forms import add_service_errors, confirm_then
from learninghub.core.permissions import require

from . import selectors, services
from .forms import ApiTokenForm, RevokeForm


def _check_may_hold_tokens(request: HttpRequest) -> None:
    require(request, "api.hold_token")


@login_required
@require_safe
def token_list(request: HttpRequest) -> HttpResponse:
    _check_may_hold_tokens(request)
    tokens = selectors.api_token_list(user=request.user)
    return render(request, "api/token_list.jinja", {"tokens": tokens})


# never_cache: the response to a successful POST carries the plaintext token.
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_create(request: HttpRequest) -> HttpResponse:
    _check_may_hold_tokens(request)
    form = ApiTokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            token, plaintext = services.api_token_create(
                auditor=Auditor.from_request(request), user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # Rendered, not redirected: the plaintext is never stored, not even in the session,
            # so this response is the only place it ever appears.
            return render(
                request, "api/token_created.jinja", {"token": token, "plaintext": plaintext}
            )
    return render(request, "api/token_form.jinja", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _check_may_hold_tokens(request)
    token = selectors.api_token_get(user=request.user, pk=pk)
    return confirm_then(
        request,
        do=lambda: services.api_token_revoke(auditor=Auditor.from_request(request), token=token),
        success=f"The token {token.name} was revoked",
        next_url=reverse("api_tokens:token_list"),
        template="api/token_revoke.jinja",
        context={"token": token},
        form_class=RevokeForm,
    )
