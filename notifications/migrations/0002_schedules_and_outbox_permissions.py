"""The worker's schedules (weekly digests; the retry sweep every minute) and the Secretary's
permission to see and act on the email outbox in the admin."""

from datetime import datetime, time, timedelta

from django.db import migrations
from django.utils import timezone


def next_monday_morning():
    now = timezone.now()
    days = (7 - now.weekday()) % 7 or 7
    return datetime.combine((now + timedelta(days=days)).date(), time(7, 0), tzinfo=timezone.get_current_timezone())


def create(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name="Weekly notification digests",
        defaults={"func": "notifications.tasks.send_weekly_digests", "schedule_type": "W", "repeats": -1,
                  "next_run": next_monday_morning()},
    )
    Schedule.objects.update_or_create(
        name="Retry failed emails",
        defaults={"func": "notifications.tasks.retry_due_emails", "schedule_type": "I", "minutes": 1,
                  "repeats": -1, "next_run": timezone.now()},
    )
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="notifications", model="outboxemail")
    secretary, _ = Group.objects.get_or_create(name="Secretary")
    for codename, name in (("view_outboxemail", "Can view outbox email"),
                           ("change_outboxemail", "Can change outbox email")):
        permission, _ = Permission.objects.get_or_create(content_type=content_type, codename=codename,
                                                         defaults={"name": name})
        secretary.permissions.add(permission)


def remove(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(
        name__in=["Weekly notification digests", "Retry failed emails"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create, remove)]
