"""The worker closes the ballots whose window has ended and sends the reminders every 5 minutes."""

from django.db import migrations
from django.utils import timezone


def create(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.update_or_create(
        name="Close ballots and send ballot reminders",
        defaults={"func": "participation.tasks.close_ballots_and_remind", "schedule_type": "I", "minutes": 5,
                  "repeats": -1, "next_run": timezone.now()},
    )


def remove(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name="Close ballots and send ballot reminders").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0001_attendance_quorum_polls"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create, remove)]
