"""The three default pipelines of the design, and the officers' role groups.

Pipelines are data: the three come from fixtures/reference/pipelines.toml (what each stage is and
may decide), and officers change them in the Wagtail admin afterwards. Both parts are idempotent
(looked up by slug / name), so re-running on a database that has them is harmless. The role groups
stay here: the code grants and checks rights by these names (workflows.permissions).
"""

from django.db import migrations

ROLE_GROUPS = ["Secretary", "Policy officer", "Membership officer", "Returning officer", "Communications officer"]


def default_pipelines():
    from cms.fixtures import read_toml

    return read_toml("reference/pipelines.toml")["pipeline"]


def create(apps, schema_editor):
    Pipeline = apps.get_model("workflows", "Pipeline")
    Stage = apps.get_model("workflows", "Stage")
    Group = apps.get_model("auth", "Group")
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)
    for spec in default_pipelines():
        slug, kind = spec["slug"], spec["kind"]
        if Pipeline.objects.filter(slug=slug).exists():
            continue
        pipeline = Pipeline.objects.create(
            slug=slug, name=spec["name"], kind=kind,
            is_default=not Pipeline.objects.filter(kind=kind, is_default=True).exists(),
        )
        for position, stage in enumerate(spec["stage"]):
            Stage.objects.create(
                pipeline=pipeline, sort_order=position, name=stage["name"], deciding_body=stage["deciding_body"],
                outside_body=stage.get("outside_body", ""), allowed_outcomes=stage["allowed_outcomes"],
                advancing_outcomes=stage["advancing_outcomes"], takes_votes=stage["takes_votes"],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0002_links"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
