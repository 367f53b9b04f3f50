"""Meetings decide only what happened: each stage states how it is decided (simple majority,
two-thirds or no vote), agenda entries can be deferred to a later meeting, minutes carry
documents; a meeting's zone is checked by the one zone validator."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import cms.times


def give_each_stage_its_rule(apps, schema_editor):
    """Stages that took votes are decided by a simple majority; the others by no vote (an officer's
    review, an outside body). Two-thirds is for the officers to choose where their rules require it."""
    Stage = apps.get_model("workflows", "Stage")
    Stage.objects.filter(takes_votes=True).update(decision_rule="simple_majority")
    Stage.objects.filter(takes_votes=False).update(decision_rule="no_vote")


class Migration(migrations.Migration):

    dependencies = [
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("workflows", "0005_export_jobs"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="stage",
            name="decision_rule",
            field=models.CharField(
                choices=[("simple_majority", "Simple majority (more for than against)"),
                         ("two_thirds", "Two-thirds majority (at least two thirds of the votes cast for)"),
                         ("no_vote", "No vote (an officer or an outside body decides)")],
                default="simple_majority",
                help_text="The majority the votes must show for “carried”; “no vote” records no vote counts.",
                max_length=20, verbose_name="how it is decided"),
        ),
        migrations.AlterField(
            model_name="stage",
            name="takes_votes",
            field=models.BooleanField(default=True, editable=False,
                                      help_text="Votes for / against / abstentions are recorded."),
        ),
        migrations.RunPython(give_each_stage_its_rule, migrations.RunPython.noop),
        migrations.AddField(
            model_name="agendaentry",
            name="deferred_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="agendaentry",
            name="deferred_by",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="+", to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name="agendaentry",
            name="deferred_to",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+",
                to="workflows.meeting",
                help_text="The later meeting this item was explicitly deferred to (it was not decided here)."),
        ),
        migrations.AddField(
            model_name="meeting",
            name="minutes_documents",
            field=models.ManyToManyField(
                blank=True, related_name="minuted_meetings", to="wagtaildocs.document",
                help_text="Papers attached to the minutes (reports, accounts, the amended texts)."),
        ),
        migrations.AlterField(
            model_name="meeting",
            name="online_link",
            field=models.URLField(blank=True, help_text="Shown to signed-in members only."),
        ),
        migrations.AlterField(
            model_name="meeting",
            name="time_zone",
            field=models.CharField(default="Europe/London", max_length=64,
                                   validators=[cms.times.validate_time_zone],
                                   help_text="The zone the meeting is announced in (the branch's, or UK time)."),
        ),
    ]
