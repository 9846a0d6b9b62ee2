"""Recovery codes move from django-otp's static tokens (stored in plain text) to salted hashes.

Each unused static token becomes a RecoveryCode holding only sha256(salt + ":" + code), the
same as `models.recovery_code_hash` (copied here: a migration must not change when the app
code does). The static devices are then deleted, so no plaintext code is left. The
otp_static app stays installed only so this migration can read its tables.

Going back cannot restore the plaintext: people make new codes instead.
"""

import hashlib
import secrets

from django.db import migrations


def _normalise(code):
    return "".join(code.split()).replace("-", "").lower()


def _hash(code, salt):
    return hashlib.sha256(f"{salt}:{_normalise(code)}".encode()).hexdigest()


def hash_static_tokens(apps, schema_editor):
    StaticDevice = apps.get_model("otp_static", "StaticDevice")
    StaticToken = apps.get_model("otp_static", "StaticToken")
    RecoveryCodeDevice = apps.get_model("partnerships", "RecoveryCodeDevice")
    RecoveryCode = apps.get_model("partnerships", "RecoveryCode")

    tokens_by_user = {}
    for token in StaticToken.objects.filter(device__confirmed=True).select_related("device"):
        tokens_by_user.setdefault(token.device.user_id, []).append(token.token)
    for user_id, tokens in tokens_by_user.items():
        device, _ = RecoveryCodeDevice.objects.get_or_create(
            user_id=user_id, defaults={"name": "Recovery codes", "confirmed": True}
        )
        codes = []
        for token in tokens:
            salt = secrets.token_hex(16)
            codes.append(RecoveryCode(device=device, salt=salt, code_hash=_hash(token, salt)))
        RecoveryCode.objects.bulk_create(codes)
    StaticToken.objects.all().delete()
    StaticDevice.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0002_recovery_code_device"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [
        migrations.RunPython(hash_static_tokens, migrations.RunPython.noop, elidable=True),
    ]
