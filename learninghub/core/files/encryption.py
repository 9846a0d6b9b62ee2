"""Files encrypted at rest with the same Fernet key, and the same rotation, as identifying
details (FIELD_ENCRYPTION_KEY, FIELD_ENCRYPTION_OLD_KEYS; see core/crypto.py).

The whole file is sealed in one Fernet token, in memory. Uploads are capped by
MAX_UPLOAD_SIZE (20MB), so one request holds at most the plaintext, the token (a third larger,
being base64) and the working copy: well under 100MB, which a worker handles comfortably. A
much larger limit would need a streaming cipher instead.
"""

from __future__ import annotations

from cryptography.fernet import InvalidToken

from learninghub.core.crypto import cipher


def encrypt_bytes(data: bytes) -> bytes:
    return cipher().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    """The plaintext; ValueError when no configured key opens it or it was altered (Fernet
    authenticates the token, so a changed byte is detected, not silently served)."""
    try:
        return cipher().decrypt(token)
    except InvalidToken as exc:
        raise ValueError("The stored file cannot be read with the configured keys") from exc
