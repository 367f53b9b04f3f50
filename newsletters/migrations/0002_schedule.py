"""The worker's minute sweep that sends newsletters whose UK time has come."""

from django.db import migrations
from django.utils import timezone


def create(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name="Send scheduled newsletters",
        defaults={"func": "newsletters.tasks.send_due_newsletters", "schedule_type": "I", "minutes": 1,
                  "repeats": -1, "next_run": timezone.now()},
    )


def remove(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name="Send scheduled newsletters").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("newsletters", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create, remove)]
