"""A notification names up to four children, each with their own details and identifiers;
the death of a looked-after child or care leaver is recorded as such (schema, part 1)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reviews", "0004_documents_in_core_files")]

    operations = [
        migrations.CreateModel(
            name="Child",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("position", models.PositiveSmallIntegerField()),
                (
                    "pseudonym",
                    models.CharField(help_text='For example "Child A"', max_length=60),
                ),
                (
                    "age_band",
                    models.CharField(
                        choices=[
                            ("unborn", "Unborn"),
                            ("under_1", "Under 1"),
                            ("1_4", "1 to 4"),
                            ("5_9", "5 to 9"),
                            ("10_15", "10 to 15"),
                            ("16_17", "16 to 17"),
                            ("18_24", "18 to 24 (care leaver)"),
                        ],
                        max_length=10,
                    ),
                ),
                ("sex", models.CharField(max_length=10)),
                ("ethnicity", models.CharField(max_length=40)),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="children",
                        to="reviews.case",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="caseidentifiers",
            name="child",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="identifiers",
                to="reviews.child",
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="care_status",
            field=models.CharField(blank=True, default="", max_length=20),
        ),
    ]
