"""What the API does when partnerships withdraws a person's access: their tokens go.

Connected in `ApiConfig.ready()`. Partnerships sends the signal inside its own transaction,
so a password reset or a membership's end and the revocation of the tokens commit together.
"""

from __future__ import annotations

from learninghub.core.audit.auditor import Auditor
from learninghub.partnerships import selectors as people
from learninghub.partnerships.signals import ROLE_CHANGED, access_withdrawn

from . import services

SYSTEM_JOB = "access withdrawn"


def revoke_tokens(sender, *, user, reason: str, auditor=None, partnership_id=None, **kwargs):
    # A role change can leave the person a business unit member elsewhere, or a system
    # administrator: then their tokens may stay, as they would still be allowed to make them.
    # A password reset or a membership's end revokes them whatever else the person holds.
    if reason == ROLE_CHANGED:
        # As the next request will see them: the instance sent may hold the memberships it
        # read before the change.
        current = people.user_get(pk=user.pk)
        if current is not None and current.has_perm("api.hold_token"):
            return
    services.api_tokens_revoke_all(
        auditor=auditor or Auditor.for_system(SYSTEM_JOB),
        user=user,
        reason=reason,
        partnership_id=partnership_id,
    )


def connect() -> None:
    access_withdrawn.connect(revoke_tokens, dispatch_uid="api.revoke_tokens_on_access_withdrawn")
