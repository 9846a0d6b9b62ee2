"""The child's details live on `Child` now (schema, part 2)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reviews", "0006_children_from_cases")]

    operations = [
        # A default first, so that rolling back re-adds the columns to existing cases (0006
        # then fills them in from each case's first child) instead of failing on NOT NULL.
        *[
            migrations.AlterField(
                model_name="case",
                name=name,
                field=models.CharField(default="", max_length=max_length),
            )
            for name, max_length in [("age_band", 10), ("sex", 10), ("ethnicity", 40)]
        ],
        migrations.RemoveField(model_name="case", name="age_band"),
        migrations.RemoveField(model_name="case", name="sex"),
        migrations.RemoveField(model_name="case", name="ethnicity"),
        migrations.RemoveField(model_name="caseidentifiers", name="case"),
        migrations.AlterField(
            model_name="caseidentifiers",
            name="child",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="identifiers",
                to="reviews.child",
            ),
        ),
        migrations.RemoveField(model_name="notification", name="looked_after_or_care_leaver"),
    ]
