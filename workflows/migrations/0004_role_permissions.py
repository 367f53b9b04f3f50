"""What the officers' role groups may do in the Wagtail admin (the workflow parts).

Secretary: meetings, pipelines, steering groups; Policy officer: consultations, commissions,
pipelines. Items are never edited in the admin (decisions go through the workflow service);
who may view them is decided by workflows.permissions, not by these permissions.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Secretary": [
        ("wagtailadmin", "admin", "access_admin"),
        ("workflows", "meeting", "add_meeting"), ("workflows", "meeting", "change_meeting"),
        ("workflows", "meeting", "view_meeting"),
        ("workflows", "pipeline", "add_pipeline"), ("workflows", "pipeline", "change_pipeline"),
        ("workflows", "pipeline", "view_pipeline"),
        ("workflows", "consultation", "view_consultation"),
        ("steering_groups", "steeringgroup", "add_steeringgroup"),
        ("steering_groups", "steeringgroup", "change_steeringgroup"),
        ("steering_groups", "steeringgroup", "view_steeringgroup"),
    ],
    "Policy officer": [
        ("wagtailadmin", "admin", "access_admin"),
        ("workflows", "consultation", "add_consultation"), ("workflows", "consultation", "change_consultation"),
        ("workflows", "consultation", "view_consultation"),
        ("workflows", "policycommission", "add_policycommission"),
        ("workflows", "policycommission", "change_policycommission"),
        ("workflows", "policycommission", "view_policycommission"),
        ("workflows", "pipeline", "change_pipeline"), ("workflows", "pipeline", "view_pipeline"),
        ("workflows", "meeting", "view_meeting"),
    ],
}


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations; make this app's now.
    for label in ("workflows", "steering_groups"):
        config = apps.get_app_config(label)
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, perms in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for app_label, model, codename in perms:
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is not None:
                group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0003_default_pipelines_and_roles"),
        ("steering_groups", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
