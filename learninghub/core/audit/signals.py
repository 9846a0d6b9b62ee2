"""Sign-ins, sign-outs, failed sign-ins and lockouts go to the audit log."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .auditor import Auditor, client_ip
from .models import AuditEvent


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    Auditor(actor=user, ip_address=client_ip(request)).record(
        AuditEvent.Kind.LOGIN, action="account.login", summary="Signed in", obj=user
    )


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        Auditor(actor=user, ip_address=client_ip(request)).record(
            AuditEvent.Kind.LOGOUT, action="account.logout", summary="Signed out", obj=user
        )


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # Only the address typed is kept, never the password tried.
    username = str(credentials.get("username") or credentials.get("email") or "")[:254]
    Auditor(system="sign-in", ip_address=client_ip(request) if request else None).record(
        AuditEvent.Kind.LOGIN_FAILED,
        action="account.login_failed",
        summary=f"Failed sign-in for {username or 'an unknown address'}",
    )


@receiver(user_locked_out)
def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    Auditor(system="sign-in", ip_address=ip_address).record(
        AuditEvent.Kind.LOCKOUT,
        action="account.lockout",
        summary=f"Account {username or ''} locked after repeated failed sign-ins".replace(
            "  ", " "
        ),
    )
