"""Sign-in lockout that a stranger cannot turn against an account's owner.

Failed sign-ins within `AXES_COOLOFF_TIME` are counted three ways, each with its own limit:

- one account from one address: `AXES_FAILURE_LIMIT` (10). The everyday lock: it stops
  guessing from one place and leaves the owner, signing in from their own address, alone;
- one account from every address together: `LOCKOUT_ACCOUNT_FAILURE_LIMIT` (50), for
  guessing spread across many addresses. A stranger needs several addresses to reach it,
  since attempts refused while a lock holds are not counted
  (`AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False`);
- one address across every account: `LOCKOUT_ADDRESS_FAILURE_LIMIT` (100), for one
  password tried against many accounts (password spraying).

django-axes compares one number with one limit, so `get_failures` reports, for whichever
count is nearest its own limit, that count shifted onto the scale of `AXES_FAILURE_LIMIT`:
the lock holds exactly when some count has reached its own limit.

A successful sign-in clears only that account's failures from that address. Axes would clear
everything matching each way of counting, so a sprayer with one account of their own could
sign in to it between guesses and wipe their address's count, and every failure against
other accounts from it.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum

ACCOUNT_AND_ADDRESS = "account_and_address"
ACCOUNT = "account"
ADDRESS = "address"
# Set on a request that axes refused because a lock already held, before Django sends
# user_login_failed: such attempts are not audited one by one (see audit/signals.py).
REFUSED_WHILE_LOCKED = "hub_refused_while_locked"
# Which count locked the request, for the locked-out page's wording.
LOCKED_BY = "hub_locked_by"

_WAYS = {
    ("ip_address", "username"): ACCOUNT_AND_ADDRESS,
    ("username",): ACCOUNT,
    ("ip_address",): ADDRESS,
}


def _limit(way: str, request, credentials) -> int:
    if way == ACCOUNT:
        return settings.LOCKOUT_ACCOUNT_FAILURE_LIMIT
    if way == ADDRESS:
        return settings.LOCKOUT_ADDRESS_FAILURE_LIMIT
    return get_failure_limit(request, credentials)


class LockoutHandler(AxesDatabaseHandler):
    def is_allowed(self, request, credentials: dict | None = None) -> bool:
        allowed = super().is_allowed(request, credentials)
        if not allowed:
            setattr(request, REFUSED_WHILE_LOCKED, True)
        return allowed

    def get_failures(self, request, credentials: dict | None = None) -> int:
        scale = get_failure_limit(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        nearest = 0
        locked_by = None
        for parameter, attempts in zip(
            parameters, self.get_user_attempts(request, credentials), strict=True
        ):
            names = (parameter,) if isinstance(parameter, str) else parameter
            way = _WAYS[tuple(sorted(names))]
            limit = _limit(way, request, credentials)
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            nearest = max(nearest, count - limit + scale)
            if count >= limit and locked_by is None:
                locked_by = way
        if request is not None and locked_by is not None:
            setattr(request, LOCKED_BY, locked_by)
        return nearest

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        count, _ = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
        ).delete()
        return count
