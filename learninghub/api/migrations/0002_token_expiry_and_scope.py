"""Tokens expire and have a scope (issue 6, finding 7).

Tokens made before this keep working as they did, so no integration breaks on the day of the
upgrade: they may write (every token could until now, and writes were what tokens were for),
and they expire 90 days after they were made, as a new token does by default. One made more
than 90 days ago stops working at once; its person makes a new one, with an expiry and scope.
"""

from datetime import timedelta

from django.db import migrations, models
from django.db.models import F

DEFAULT_DAYS = 90


def expire_existing_tokens(apps, schema_editor):
    ApiToken = apps.get_model("api", "ApiToken")
    ApiToken.objects.update(expires_at=F("created_at") + timedelta(days=DEFAULT_DAYS))


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[("read", "Read only"), ("write", "Read and write")],
                default="write",
                max_length=5,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(expire_existing_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(),
        ),
    ]
