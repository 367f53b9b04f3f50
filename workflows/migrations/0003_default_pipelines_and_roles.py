"""The three default pipelines of the design, and the officers' role groups.

Pipelines are data: officers change them in the Wagtail admin afterwards. Both parts are
idempotent (looked up by slug / name), so re-running on a database that has them is harmless.
"""

from django.db import migrations

ROLE_GROUPS = ["Secretary", "Policy officer", "Membership officer", "Returning officer", "Communications officer"]

BRANCH_OUTCOMES = ["carried", "carried_as_amended", "fell", "referred_back", "withdrawn", "ruled_out_of_order"]
COMMITTEE_OUTCOMES = [
    "carried", "carried_as_amended", "fell", "referred_back", "remitted", "withdrawn", "ruled_out_of_order",
]
ADVANCING = ["carried", "carried_as_amended"]

# slug, name, kind, stages: (name, deciding body, outside body, allowed, advancing, takes votes)
PIPELINES = [
    ("motion", "Motion", "motion", [
        ("Branch meeting", "branch_meeting", "", BRANCH_OUTCOMES, ADVANCING, True),
        ("GC ratification", "gc", "", COMMITTEE_OUTCOMES, ADVANCING, True),
        ("Sent to Conference", "outside", "Labour Party Conference", ["sent", "withdrawn", "ruled_out_of_order"],
         ["sent"], False),
    ]),
    ("policy-submission", "Policy submission", "policy_submission", [
        ("Branch meeting", "branch_meeting", "", BRANCH_OUTCOMES, ADVANCING, True),
        ("Policy officer review", "policy_officer", "",
         ["carried", "carried_as_amended", "referred_back", "withdrawn", "ruled_out_of_order"], ADVANCING, False),
        ("GC ratification", "gc", "", COMMITTEE_OUTCOMES, ADVANCING, True),
        ("Exported to the NPF", "outside", "National Policy Forum", ["exported", "withdrawn"], ["exported"], False),
    ]),
    ("steering-group-proposal", "Steering-group proposal", "proposal", [
        ("Steering group", "steering_group", "", BRANCH_OUTCOMES, ADVANCING, True),
        ("LIEC", "liec", "", COMMITTEE_OUTCOMES, ADVANCING, True),
        ("GC ratification", "gc", "", COMMITTEE_OUTCOMES, ADVANCING, True),
    ]),
]


def create(apps, schema_editor):
    Pipeline = apps.get_model("workflows", "Pipeline")
    Stage = apps.get_model("workflows", "Stage")
    Group = apps.get_model("auth", "Group")
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)
    for slug, name, kind, stages in PIPELINES:
        if Pipeline.objects.filter(slug=slug).exists():
            continue
        pipeline = Pipeline.objects.create(
            slug=slug, name=name, kind=kind, is_default=not Pipeline.objects.filter(kind=kind, is_default=True).exists()
        )
        for position, (stage_name, body, outside, allowed, advancing, votes) in enumerate(stages):
            Stage.objects.create(
                pipeline=pipeline, sort_order=position, name=stage_name, deciding_body=body, outside_body=outside,
                allowed_outcomes=allowed, advancing_outcomes=advancing, takes_votes=votes,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0002_links"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
