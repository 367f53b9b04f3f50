"""What the officers' roles may do with accounts and the admin.

- Returning officer: admin access (the admin's "Run elections" item leads to the elections they
  run) and the count permission its pages check.
- Membership officer: may invite members to sign in (Admin › Membership › Invite members).
Idempotent (looked up by name), so re-running on a database that has them is harmless.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Returning officer": [("wagtailadmin", "access_admin"), ("elections", "run_count")],
    "Membership officer": [("wagtailadmin", "access_admin"), ("accounts", "invite_members")],
}


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations; make these apps' now (in a migration's
    # state; tests call this with the real app registry, where they exist already).
    for label in ("accounts", "elections"):
        config = apps.get_app_config(label)
        if getattr(config, "models_module", None) is None:
            config.models_module = True
            create_permissions(config, apps=apps, verbosity=0)
            config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, permissions in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for app_label, codename in permissions:
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is not None:
                group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_invitations"),
        ("workflows", "0003_default_pipelines_and_roles"),
        ("elections", "0001_elections_positions_nominations_ballots"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
