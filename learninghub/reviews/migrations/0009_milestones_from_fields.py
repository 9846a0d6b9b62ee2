"""The practice review's four non-statutory dates become its standard milestones (issue 8).

Each existing practice review gets the four standard milestones, in order, with the date
that was recorded as the milestone's actual date (planned dates were never recorded). Going
back copies the actual dates onto the fields again; the milestones stay (0008's own reverse
removes their table), so running forwards again updates them rather than adding a second set.
"""

from django.db import migrations

# (milestone kind, title, old field), in the order the page shows them.
STANDARD = [
    ("terms_agreed", "Terms of reference agreed", "terms_agreed_on"),
    ("practitioner_event", "Practitioner event", "practitioner_event_on"),
    ("draft_to_partners", "Draft to partners", "draft_received_on"),
    ("partners_sign_off", "Partners' sign-off", "partners_approved_on"),
]


def _constraints_now(schema_editor):
    # PostgreSQL refuses to alter a table with deferred foreign-key checks still pending in
    # the transaction: run them now, before the fields are removed (or after they return).
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def forwards(apps, schema_editor):
    PracticeReview = apps.get_model("reviews", "PracticeReview")
    Milestone = apps.get_model("reviews", "Milestone")
    for review in PracticeReview.objects.all().iterator():
        existing = {m.kind: m for m in Milestone.objects.filter(practice_review_id=review.pk)}
        for position, (kind, title, field) in enumerate(STANDARD, start=1):
            actual = getattr(review, field)
            milestone = existing.get(kind)
            if milestone is None:
                Milestone.objects.create(
                    practice_review_id=review.pk,
                    kind=kind,
                    title=title,
                    actual_on=actual,
                    position=position,
                )
            elif actual and milestone.actual_on != actual:
                milestone.actual_on = actual
                milestone.save(update_fields=["actual_on"])
    _constraints_now(schema_editor)


def backwards(apps, schema_editor):
    PracticeReview = apps.get_model("reviews", "PracticeReview")
    Milestone = apps.get_model("reviews", "Milestone")
    fields = {kind: field for kind, _title, field in STANDARD}
    for milestone in Milestone.objects.filter(kind__in=fields, actual_on__isnull=False):
        PracticeReview.objects.filter(pk=milestone.practice_review_id).update(
            **{fields[milestone.kind]: milestone.actual_on}
        )
    _constraints_now(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("reviews", "0008_partnership_runs_reviews")]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="practicereview", name="terms_agreed_on"),
        migrations.RemoveField(model_name="practicereview", name="practitioner_event_on"),
        migrations.RemoveField(model_name="practicereview", name="draft_received_on"),
        migrations.RemoveField(model_name="practicereview", name="partners_approved_on"),
    ]
