"""Encryption at rest for identifying details (child's name, date of birth, address, school).

The key comes from the environment (FIELD_ENCRYPTION_KEY); older keys listed in
FIELD_ENCRYPTION_OLD_KEYS still decrypt, so a key can be rotated without downtime.
"""

from __future__ import annotations

import base64
import hashlib
import os
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


def _fernet_key(secret: str) -> bytes:
    return base64.urlsafe_b64encode(hashlib.sha256(secret.encode()).digest())


@lru_cache(maxsize=4)
def _cipher(primary: str, old: str) -> MultiFernet:
    keys = [primary, *[k for k in old.split(",") if k.strip()]]
    return MultiFernet([Fernet(_fernet_key(k.strip())) for k in keys])


def cipher() -> MultiFernet:
    return _cipher(settings.FIELD_ENCRYPTION_KEY, os.environ.get("FIELD_ENCRYPTION_OLD_KEYS", ""))


def encrypt(value: str) -> str:
    return cipher().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return cipher().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("Encrypted value cannot be read with the configured keys") from exc


class EncryptedTextField(models.TextField):
    """Text stored encrypted; an empty value stays empty so 'not recorded' is visible."""

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)
