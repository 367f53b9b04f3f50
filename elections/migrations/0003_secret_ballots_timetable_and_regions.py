"""Ballots that cannot be linked to voters, the ballot-close extensions, regional posts and the
paper register of imported ballots.

- Preference ids become random (UUID): existing rows are copied to new random ids, written
  back in a shuffled order.
- The voter register keeps the UK day a member voted, never the time.
- Online ballots wait in a pool (PendingBallot) and reach the box in shuffled batches.
- Regional coordinators' positions name their region (only its members vote for them).
"""

import random
import uuid
import zoneinfo
from datetime import datetime, time

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

_held_preferences = []


def hold_preferences(apps, schema_editor):
    """Take the preferences out of their table so that its id can become a UUID."""
    Preference = apps.get_model("elections", "Preference")
    _held_preferences[:] = list(Preference.objects.values("ballot_id", "position_id", "nomination_id", "rank"))
    Preference.objects.all().delete()


def restore_preferences(apps, schema_editor):
    """Write them back under random ids, in a shuffled order."""
    Preference = apps.get_model("elections", "Preference")
    rows = list(_held_preferences)
    random.SystemRandom().shuffle(rows)
    Preference.objects.bulk_create([Preference(id=uuid.uuid4(), **row) for row in rows], batch_size=2000)
    _held_preferences.clear()


def preference_ids_to_uuid(apps, schema_editor):
    """The (emptied) table's id becomes a UUID. PostgreSQL cannot cast a bigint identity column to
    uuid, so there the column drops its identity and takes the new type directly; SQLite rebuilds
    the table as Django's schema editor always does."""
    Preference = apps.get_model("elections", "Preference")
    table = schema_editor.quote_name(Preference._meta.db_table)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN id DROP IDENTITY IF EXISTS")
        schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN id DROP DEFAULT")
        schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN id TYPE uuid USING gen_random_uuid()")
        return
    old = Preference._meta.get_field("id")
    new = models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)
    new.set_attributes_from_name("id")
    new.model = Preference
    schema_editor.alter_field(Preference, old, new)


def voting_day(apps, schema_editor):
    """The register keeps the UK day of each vote, no longer its time."""
    uk = zoneinfo.ZoneInfo(getattr(settings, "UK_TIME_ZONE", "Europe/London"))
    Entry = apps.get_model("elections", "VoterRegisterEntry")
    for entry in Entry.objects.all().only("pk", "voted_at"):
        Entry.objects.filter(pk=entry.pk).update(voted_on=entry.voted_at.astimezone(uk).date())


def voting_time_back(apps, schema_editor):
    uk = zoneinfo.ZoneInfo(getattr(settings, "UK_TIME_ZONE", "Europe/London"))
    Entry = apps.get_model("elections", "VoterRegisterEntry")
    for entry in Entry.objects.all().only("pk", "voted_on"):
        Entry.objects.filter(pk=entry.pk).update(voted_at=datetime.combine(entry.voted_on, time(12), tzinfo=uk))


def regional_positions(apps, schema_editor):
    # The region whose members elect each coordinator: the guide's posts (fixtures/reference/guide_2023_posts.csv).
    from elections.reference import coordinator_regions

    Position = apps.get_model("elections", "Position")
    Region = apps.get_model("cms", "Region")
    for key, slug in coordinator_regions().items():
        region = Region.objects.filter(slug=slug).first()
        if region is not None:
            Position.objects.filter(key=key, region__isnull=True).update(region=region)


class Migration(migrations.Migration):

    dependencies = [
        ("cms", "0001_members_and_regions"),
        ("elections", "0002_offices_of_the_2023_guide"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Preferences under random ids.
        migrations.RunPython(hold_preferences, restore_preferences),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="preference", name="id",
                    field=models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False),
                ),
            ],
            database_operations=[migrations.RunPython(preference_ids_to_uuid, migrations.RunPython.noop)],
        ),
        migrations.RunPython(restore_preferences, hold_preferences),
        # The register: the day, not the time; online or on paper.
        migrations.AddField(
            model_name="voterregisterentry", name="voted_on",
            field=models.DateField(null=True, help_text="The UK day the member voted (never the time)."),
        ),
        migrations.RunPython(voting_day, voting_time_back),
        migrations.AlterField(
            model_name="voterregisterentry", name="voted_on",
            field=models.DateField(help_text="The UK day the member voted (never the time)."),
        ),
        migrations.RemoveField(model_name="voterregisterentry", name="voted_at"),
        migrations.AddField(
            model_name="voterregisterentry", name="channel",
            field=models.CharField(choices=[("online", "Online"), ("paper", "On paper (or by file)")],
                                   default="online", max_length=10),
        ),
        migrations.AlterModelOptions(
            name="voterregisterentry",
            options={"ordering": ["election", "member__membership_number"], "verbose_name": "voter register entry",
                     "verbose_name_plural": "voter register"},
        ),
        # The pool of online ballots waiting for the box.
        migrations.CreateModel(
            name="PendingBallot",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("receipt_digest", models.CharField(max_length=64, unique=True)),
                ("rankings", models.JSONField(default=list)),
                ("election", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                               related_name="pending_ballots", to="elections.election")),
            ],
            options={"ordering": ["id"]},
        ),
        # Paper ballots: who voted on paper, for the reconciliation with the online register.
        migrations.AddField(
            model_name="ballotimport", name="paper_register",
            field=models.JSONField(blank=True, default=list, help_text=(
                "Membership numbers of the members whose paper ballots are in this file (checked against the "
                "online register).")),
        ),
        # The returning officer's extensions of the ballot close.
        migrations.CreateModel(
            name="BallotExtension",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("previous_close", models.DateTimeField()),
                ("new_close", models.DateTimeField()),
                ("reason", models.TextField()),
                ("extended_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("election", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="extensions",
                                               to="elections.election")),
                ("extended_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                                  to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "ordering": ["extended_at", "pk"],
                "constraints": [models.CheckConstraint(condition=models.Q(("new_close__gt", models.F("previous_close"))),
                                                       name="an_extension_moves_the_close_later")],
            },
        ),
        # Regional coordinators: elected by their region's members.
        migrations.AddField(
            model_name="position", name="region",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="cms.region",
                help_text="A regional coordinator's post: only members of branches in this region vote for it."),
        ),
        migrations.RunPython(regional_positions, migrations.RunPython.noop),
    ]
