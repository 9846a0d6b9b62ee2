"""Sign-ins, sign-outs, failed sign-ins and lockouts go to the audit log.

A failed sign-in or a lockout goes to the audit log only for an address that has an account:
those name someone, and lockout bounds how many there can be. For an address with no account,
and for each attempt refused while a lock already holds, anyone could add rows without limit,
so they go to the rate-limited security log instead (issue 6, finding 5).
"""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from ..lockout import ACCOUNT, ADDRESS, LOCKED_BY, REFUSED_WHILE_LOCKED
from ..security_log import security_log
from .auditor import Auditor, client_ip
from .models import AuditEvent


def _typed_address(credentials) -> str:
    # Only the address typed is kept, never the password tried.
    return str(credentials.get("username") or credentials.get("email") or "")[:254]


def _has_account(username: str) -> bool:
    if not username:
        return False
    User = get_user_model()
    return User._default_manager.filter(**{f"{User.USERNAME_FIELD}__iexact": username}).exists()


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
    username = _typed_address(credentials)
    ip_address = client_ip(request)
    if getattr(request, REFUSED_WHILE_LOCKED, False):
        security_log.warning("Sign-in refused while locked for %r from %s", username, ip_address)
        return
    if not _has_account(username):
        security_log.warning(
            "Failed sign-in for an address with no account, %r, from %s", username, ip_address
        )
        return
    Auditor(system="sign-in", ip_address=ip_address).record(
        AuditEvent.Kind.LOGIN_FAILED,
        action="account.login_failed",
        summary=f"Failed sign-in for {username}",
    )


@receiver(user_locked_out)
def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    username = str(username or "")[:254]
    if getattr(request, REFUSED_WHILE_LOCKED, False):
        return  # the lock was recorded when it began; this attempt is in the security log
    if not _has_account(username):
        security_log.warning(
            "Sign-in locked for an address with no account, %r, from %s", username, ip_address
        )
        return
    summary = {
        ACCOUNT: f"Account {username} locked everywhere after repeated failed sign-ins",
        ADDRESS: f"Sign-in from {ip_address} paused after repeated failed sign-ins, the last "
        f"for {username}",
    }.get(
        getattr(request, LOCKED_BY, None),
        f"Account {username} locked from {ip_address} after repeated failed sign-ins",
    )
    Auditor(system="sign-in", ip_address=ip_address).record(
        AuditEvent.Kind.LOCKOUT, action="account.lockout", summary=summary
    )
