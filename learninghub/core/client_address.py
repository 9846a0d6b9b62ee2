"""The one reading of the client's address: for the audit log and for sign-in lockout alike.

`TRUSTED_PROXY_COUNT` is how many reverse proxies of our own stand in front of the app. Each
appends the address it was connected from to X-Forwarded-For, so the client is that many
entries from the right; entries further left were written by the client and may be forged,
so they never count. With 0 (the app answers the internet itself) X-Forwarded-For is ignored
entirely and REMOTE_ADDR is the client. Behind a proxy with the count left at 0, everyone
would share the proxy's address, and one person's failed sign-ins would lock out everyone.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from ipware.ip import get_client_ip


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        # python-ipware counts the proxies *between* the entries of the header, so the
        # right-most entry (added by the proxy nearest us) is its proxy_count 0. Not strict:
        # a client's own forged entries make the chain longer, never move the client.
        address, _routable = get_client_ip(
            request,
            proxy_order="left-most",
            proxy_count=proxies - 1,
            request_header_order=("HTTP_X_FORWARDED_FOR",),
            strict=False,
        )
        if address:
            return address
    return _valid(request.META.get("REMOTE_ADDR"))


def _valid(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address(value)) if value else None
    except ValueError:
        return None
