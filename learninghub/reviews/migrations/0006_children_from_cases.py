"""Each existing case's child becomes its first `Child`, keeping its identifiers; the old
"looked-after child or care leaver" box becomes the care status (a care leaver when the
child was 18 to 24)."""

from django.db import migrations


def forwards(apps, schema_editor):
    Case = apps.get_model("reviews", "Case")
    Child = apps.get_model("reviews", "Child")
    CaseIdentifiers = apps.get_model("reviews", "CaseIdentifiers")
    Notification = apps.get_model("reviews", "Notification")
    for case in Case.objects.all().iterator():
        child = Child.objects.create(
            case_id=case.pk,
            position=1,
            pseudonym=case.pseudonym,
            age_band=case.age_band,
            sex=case.sex,
            ethnicity=case.ethnicity,
        )
        CaseIdentifiers.objects.filter(case_id=case.pk).update(child=child)
    for notification in Notification.objects.filter(looked_after_or_care_leaver=True).iterator():
        adult = Child.objects.filter(case_id=notification.case_id, age_band="18_24").exists()
        notification.care_status = "care_leaver" if adult else "looked_after"
        notification.save(update_fields=["care_status"])


def backwards(apps, schema_editor):
    Case = apps.get_model("reviews", "Case")
    Child = apps.get_model("reviews", "Child")
    CaseIdentifiers = apps.get_model("reviews", "CaseIdentifiers")
    Notification = apps.get_model("reviews", "Notification")
    for child in Child.objects.filter(position=1).iterator():
        Case.objects.filter(pk=child.case_id).update(
            age_band=child.age_band, sex=child.sex, ethnicity=child.ethnicity
        )
        CaseIdentifiers.objects.filter(child=child).update(case_id=child.case_id)
    Notification.objects.exclude(care_status="").update(looked_after_or_care_leaver=True)


class Migration(migrations.Migration):
    dependencies = [("reviews", "0005_children_and_care_status")]

    operations = [migrations.RunPython(forwards, backwards)]
