"""Signals partnerships sends, so other apps can act on its changes without it importing them.

`access_withdrawn` is sent inside the transaction of the change that withdrew some of a
person's access, so whatever a receiver does commits or rolls back with it. Receivers drop
whatever stands in for the person (the api app revokes their API tokens); one that fails
fails the change, rather than leaving a credential the change meant to end.

Arguments: `user` (whose access it was), `reason` (one of the reasons below, plain English for
the audit log), `auditor` (who withdrew it; None when the person did it themselves, as with
a password reset) and `partnership_id` (the partnership whose change it was, if any).
"""

from __future__ import annotations

from django.dispatch import Signal

# Someone may have known the old password: everything that acts as the person must go.
PASSWORD_RESET = "password reset"
# The person left a partnership, which may still run scripts that act as them.
MEMBERSHIP_ENDED = "membership ended"
# A new role may or may not take away what the old one allowed: receivers check.
ROLE_CHANGED = "role changed"

access_withdrawn = Signal()
