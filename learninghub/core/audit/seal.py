"""The audit chain's seal: HMAC-SHA256 with a key that is not in the database.

A plain hash chain can be rebuilt by anyone who can write to the table: delete a row, then
recompute every later hash with the same public function and the chain verifies again. With
a keyed seal, only someone holding `AUDIT_LOG_KEY` (kept in the environment, never in the
database or its backups) can produce a hash that verifies.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder

GENESIS_HASH = "0" * 64
# A fixed message sealed with the key: names the key in anchors without revealing it, so a
# verify run with the wrong key says so instead of calling every event altered.
_KEY_ID_MESSAGE = b"learninghub audit log key id"


def audit_key() -> bytes:
    key = getattr(settings, "AUDIT_LOG_KEY", None)
    if not key:
        raise ImproperlyConfigured(
            "AUDIT_LOG_KEY is not set: the audit log cannot be sealed or verified without it. "
            'Generate one with: python -c "import secrets; print(secrets.token_urlsafe(50))"'
        )
    return key.encode() if isinstance(key, str) else bytes(key)


def canonical(content: Mapping[str, Any]) -> str:
    return json.dumps(content, sort_keys=True, cls=DjangoJSONEncoder, separators=(",", ":"))


def seal(previous_hash: str, content: Mapping[str, Any], *, key: bytes | None = None) -> str:
    """HMAC-SHA256 of the previous event's hash and this event's canonical content."""
    message = (previous_hash + canonical(content)).encode()
    return hmac.new(key if key is not None else audit_key(), message, hashlib.sha256).hexdigest()


def key_id(key: bytes | None = None) -> str:
    digest = hmac.new(key if key is not None else audit_key(), _KEY_ID_MESSAGE, hashlib.sha256)
    return digest.hexdigest()[:16]
