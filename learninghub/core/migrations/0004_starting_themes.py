from django.db import migrations
from django.utils.text import slugify


def add_themes(apps, schema_editor):
    from learninghub.core.taxonomy.models import STARTING_THEMES

    Theme = apps.get_model("core", "Theme")
    for name in STARTING_THEMES:
        Theme.objects.get_or_create(slug=slugify(name), defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("core", "0003_theme")]

    operations = [migrations.RunPython(add_themes, migrations.RunPython.noop)]
