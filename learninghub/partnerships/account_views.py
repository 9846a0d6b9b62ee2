"""Signing in (password, then two-factor where the role needs it), registration and invitations."""

from __future__ import annotations

import base64
import io
import time

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_otp import login as otp_login

from learninghub.core.audit.auditor import Auditor, client_ip
from learninghub.core.forms import add_service_errors
from learninghub.core.middleware import start_session_clock
from learninghub.core.ratelimit.services import RateLimited
from learninghub.core.ratelimit.views import too_many_requests

from . import selectors, services
from .forms import (
    ConfirmationResendForm,
    ConfirmEmailForm,
    InvitationAcceptForm,
    LoginForm,
    PartnershipChoiceForm,
    PasswordFields,
    PasswordResetRequestForm,
    RecoveryCodesForm,
    RegistrationForm,
    SetupTokenForm,
    TokenForm,
)

PENDING_USER = "_hub_pending_user"
PENDING_AT = "_hub_pending_at"
PENDING_NEXT = "_hub_pending_next"
SETUP_DEVICE = "_hub_setup_device"
RECOVERY_PASSWORD_FAILURES = "_hub_recovery_password_failures"
# Wrong passwords allowed when making new recovery codes before the session is ended: someone
# who finds a signed-in screen cannot guess the password here without limit; sign-in has the
# lockout.
RECOVERY_PASSWORD_TRIES = 3
# The password step is good for 10 minutes while the person finds their code.
PENDING_FOR_SECONDS = 600


def _safe_next(request, candidate: str | None) -> str | None:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def _finish_login(request, user, device=None) -> HttpResponse:
    next_url = request.session.get(PENDING_NEXT)
    # A new session id: no fixation. The two-factor step reloads the user by id, so the
    # backend that checked the password is named here.
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if device is not None:
        otp_login(request, device)
    start_session_clock(request)
    return redirect(_safe_next(request, next_url) or "core:dashboard")


def _pending_user(request):
    pk = request.session.get(PENDING_USER)
    started = request.session.get(PENDING_AT, 0)
    if not pk or time.time() - started > PENDING_FOR_SECONDS:
        return None
    return selectors.user_get(pk=pk)


@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    form = LoginForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["email"].lower(),
            password=form.cleaned_data["password"],
        )
        if getattr(request, "axes_locked_out", False):
            return redirect("accounts:login")  # AxesMiddleware answers with the lockout page
        if user is None:
            form.add_error("email", "Enter a correct email address and password")
        elif user.email_confirmed_at is None:
            form.add_error(
                "email",
                "Confirm your email address first: use the link we sent you when you registered",
            )
        else:
            request.session.cycle_key()
            request.session[PENDING_NEXT] = _safe_next(request, request.GET.get("next"))
            if not user.requires_two_factor:
                return _finish_login(request, user)
            request.session[PENDING_USER] = user.pk
            request.session[PENDING_AT] = time.time()
            has_device = selectors.has_confirmed_authenticator(user)
            return redirect("accounts:two_factor" if has_device else "accounts:two_factor_setup")
    return render(request, "accounts/login.jinja", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        messages.info(request, "Sign in again to continue.")
        return redirect("accounts:login")
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        device = services.second_factor_verify(
            user=user, token=form.cleaned_data["token"].replace(" ", "")
        )
        if device is None:
            Auditor(system="sign-in", ip_address=client_ip(request)).sign_in_failed(
                user,
                action="account.two_factor_failed",
                summary=f"Wrong security code for {user.email}",
            )
            form.add_error("token", "The security code is not correct, or has already been used")
        else:
            for key in (PENDING_USER, PENDING_AT):
                request.session.pop(key, None)
            return _finish_login(request, user, device)
    return render(request, "accounts/two_factor.jinja", {"form": form})


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        messages.info(request, "Sign in again to continue.")
        return redirect("accounts:login")
    if selectors.has_confirmed_authenticator(user):
        # Set-up is for a first sign-in only: with a password alone, nobody may enrol a
        # second authenticator on an account that already has one.
        return redirect("accounts:two_factor")
    device = selectors.unconfirmed_authenticator(user=user, pk=request.session.get(SETUP_DEVICE))
    if device is None:
        device = services.totp_device_start(user=user)
        request.session[SETUP_DEVICE] = device.pk
    form = SetupTokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.totp_device_confirm(
                user=user, device=device, token=form.cleaned_data["token"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            for key in (PENDING_USER, PENDING_AT, SETUP_DEVICE):
                request.session.pop(key, None)
            device.refresh_from_db()
            response = _finish_login(request, user, device)
            return _show_recovery_codes(request, codes, continue_url=response["Location"])
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/two_factor_setup.jinja",
        {"form": form, "secret": secret, "qr_svg": _qr_svg(device.config_url)},
    )


def _show_recovery_codes(request, codes: list[str], continue_url: str) -> HttpResponse:
    # The codes are in this response only (never_cache: no-store), never in the session or
    # the database, so nothing kept anywhere can show them again.
    return render(
        request, "accounts/recovery_codes.jinja", {"codes": codes, "continue_url": continue_url}
    )


@never_cache
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated or not request.user.is_verified():
        return redirect("accounts:login")
    form = RecoveryCodesForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.recovery_codes_regenerate(
                user=request.user,
                password=form.cleaned_data["password"],
                ip_address=client_ip(request),
            )
        except ValidationError as error:
            failures = request.session.get(RECOVERY_PASSWORD_FAILURES, 0) + 1
            if failures >= RECOVERY_PASSWORD_TRIES:
                logout(request)
                messages.info(request, "You entered a wrong password too many times. Sign in again")
                return redirect("accounts:login")
            request.session[RECOVERY_PASSWORD_FAILURES] = failures
            add_service_errors(form, error)
        else:
            request.session.pop(RECOVERY_PASSWORD_FAILURES, None)
            return _show_recovery_codes(request, codes, continue_url=reverse("core:dashboard"))
    unused = selectors.recovery_codes_unused(user=request.user)
    return render(request, "accounts/recovery_codes.jinja", {"form": form, "unused": unused})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)  # flushes the session server-side
    messages.success(request, "You have signed out")
    return redirect("core:home")


@login_required
@require_http_methods(["GET", "POST"])
def partnership_switch(request: HttpRequest) -> HttpResponse:
    """Choose which of one's partnerships the pages work in (the header links here when a
    person has more than one). Someone with no membership has nothing to choose: 404."""
    memberships = selectors.memberships_to_choose_from(request.user)
    if not memberships:
        raise Http404
    current = request.user.current_membership
    form = PartnershipChoiceForm(
        request.POST if request.method == "POST" else None,
        memberships=memberships,
        initial={"partnership": str(current.partnership_id)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            partnership = services.partnership_choose(
                auditor=Auditor.from_request(request),
                user=request.user,
                session=request.session,
                partnership_id=form.cleaned_data["partnership"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"You are now working in {partnership.name}")
            return redirect("core:dashboard")
    return render(
        request,
        "accounts/partnership_switch.jinja",
        {"form": form, "memberships": memberships, "current": current},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    agencies = list(selectors.agencies_for_registration())
    form = RegistrationForm(
        request.POST if request.method == "POST" else None,
        partnerships=selectors.partnerships_for_registration(),
        agencies=agencies,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.practitioner_registration_request(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password"],
                agency=form.cleaned_data["agency"],
                ip_address=client_ip(request),
            )
        except RateLimited as error:
            return too_many_requests(request, error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session["_hub_registered_email"] = form.cleaned_data["email"]
            return redirect("accounts:register_sent")
    return render(request, "accounts/register.jinja", {"form": form})


@require_safe
def register_sent(request: HttpRequest) -> HttpResponse:
    email = request.session.get("_hub_registered_email")
    return render(request, "accounts/register_sent.jinja", {"email": email})


@never_cache
@require_http_methods(["GET", "POST"])
def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    # Opening the link only shows the form: mail scanners and link previews follow links,
    # and must not confirm a registration on the owner's behalf.
    user = services.confirmation_user(token=token)
    if user is None:
        return render(request, "accounts/confirm_failed.jinja", status=400)
    if user.email_confirmed_at is not None:
        messages.info(request, "Your email address is already confirmed. Sign in")
        return redirect("accounts:login")
    form = ConfirmEmailForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.registration_confirm(
                token=token, password=form.cleaned_data["password"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if user is None:
                return render(request, "accounts/confirm_failed.jinja", status=400)
            messages.success(request, "Your email address is confirmed. You can now sign in")
            return redirect("accounts:login")
    return render(request, "accounts/confirm_email.jinja", {"form": form, "email": user.email})


@never_cache
@require_http_methods(["GET", "POST"])
def confirmation_resend(request: HttpRequest) -> HttpResponse:
    form = ConfirmationResendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.confirmation_resend_request(
                email=form.cleaned_data["email"], ip_address=client_ip(request)
            )
        except RateLimited as error:
            return too_many_requests(request, error)
        return redirect("accounts:confirmation_resend_sent")
    return render(request, "accounts/confirmation_resend.jinja", {"form": form})


@require_safe
def confirmation_resend_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/confirmation_resend_sent.jinja")


@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    invite = selectors.invitation_get_by_token(token=token)
    if invite is None:
        return render(request, "accounts/invitation_invalid.jinja", status=404)
    existing = selectors.user_get_by_email(email=invite.email)
    signed_in_as_invitee = (
        request.user.is_authenticated and request.user.email.lower() == invite.email.lower()
    )
    form = (
        None
        if existing
        else InvitationAcceptForm(request.POST if request.method == "POST" else None)
    )
    if request.method == "POST":
        try:
            if existing and signed_in_as_invitee:
                services.invitation_accept(invitation=invite, user=request.user)
            elif form is not None and form.is_valid():
                services.invitation_accept(
                    invitation=invite,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password"],
                )
            else:
                raise ValidationError({})
        except ValidationError as error:
            if form is not None and error.message_dict:
                add_service_errors(form, error)
        else:
            if signed_in_as_invitee:
                logout(request)  # the new role may need two-factor: sign in again
                messages.success(
                    request, f"You have joined {invite.partnership.name}. Sign in again"
                )
            else:
                messages.success(
                    request, f"Your account is ready. Sign in to {invite.partnership.name}"
                )
            return redirect("accounts:login")
    return render(
        request,
        "accounts/invitation.jinja",
        {
            "invitation": invite,
            "form": form,
            "existing": existing is not None,
            "signed_in_as_invitee": signed_in_as_invitee,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_reset_request(
                email=form.cleaned_data["email"], ip_address=client_ip(request)
            )
        except RateLimited as error:
            return too_many_requests(request, error)
        return redirect("accounts:password_reset_sent")
    return render(request, "accounts/password_reset.jinja", {"form": form})


@require_safe
def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_sent.jinja")


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    if services.password_reset_user(uidb64=uidb64, token=token) is None:
        return render(request, "accounts/password_reset_invalid.jinja", status=404)
    form = PasswordFields(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_reset_complete(
                uidb64=uidb64,
                token=token,
                password=form.cleaned_data["password"],
                ip_address=client_ip(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your password has been changed. Sign in with it")
            return redirect("accounts:login")
    return render(request, "accounts/password_reset_confirm.jinja", {"form": form})
