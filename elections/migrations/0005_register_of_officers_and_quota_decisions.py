"""The register of LIEC officers (sitting officers for by-elections), the returning officer's
decision on each quota proposal (accepted or rejected, with a reason), the lot's redraw reason,
and what each count included (ballots per position, sitting officers, the decided quota).

Adjustments confirmed before become accepted; the secretary's and returning officer's groups
get their permissions on the register."""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

GRANTS = {
    "Secretary": ["add_officeholder", "change_officeholder", "delete_officeholder", "view_officeholder"],
    "Returning officer": ["view_officeholder"],
}


def confirmed_were_accepted(apps, schema_editor):
    QuotaAdjustment = apps.get_model("elections", "QuotaAdjustment")
    QuotaAdjustment.objects.filter(decided_at__isnull=False).update(accepted=True)
    Count = apps.get_model("elections", "Count")
    for count in Count.objects.all():
        count.final_quota = count.quota
        count.save(update_fields=["final_quota"])


def grant_register(apps, schema_editor):
    """Idempotent; tests call it again with the real app registry after a flush."""
    config = apps.get_app_config("elections")
    if getattr(config, "models_module", None) is None:
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        group.permissions.add(*Permission.objects.filter(content_type__app_label="elections", codename__in=codenames))


class Migration(migrations.Migration):

    dependencies = [
        ('elections', '0004_nomination_consent_withdrawals_post_choice'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(
            model_name='quotaadjustment',
            old_name='confirmed_at',
            new_name='decided_at',
        ),
        migrations.RenameField(
            model_name='quotaadjustment',
            old_name='confirmed_by',
            new_name='decided_by',
        ),
        migrations.AddField(
            model_name='count',
            name='ballot_box',
            field=models.JSONField(default=dict),
        ),
        migrations.AddField(
            model_name='count',
            name='final_quota',
            field=models.JSONField(default=dict),
        ),
        migrations.AddField(
            model_name='count',
            name='redraw_reason',
            field=models.TextField(blank=True, help_text='Why the returning officer had the lot drawn again (a recount otherwise reuses the draw).'),
        ),
        migrations.AddField(
            model_name='count',
            name='sitting',
            field=models.JSONField(default=list),
        ),
        migrations.AddField(
            model_name='quotaadjustment',
            name='accepted',
            field=models.BooleanField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='quotaadjustment',
            name='carried_from',
            field=models.ForeignKey(blank=True, help_text='The same proposal in an earlier count, whose decision this recount kept.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='elections.quotaadjustment'),
        ),
        migrations.AddField(
            model_name='quotaadjustment',
            name='reason',
            field=models.TextField(blank=True, help_text="The returning officer's reason (required to reject)."),
        ),
        migrations.AlterField(
            model_name='count',
            name='seed',
            field=models.BigIntegerField(help_text='The recorded draw of the lot (drawn in the app unless given).'),
        ),
        migrations.CreateModel(
            name='OfficeHolder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('holder_name', models.CharField(blank=True, help_text='Only if the holder has no member record.', max_length=200)),
                ('holder_is_woman', models.BooleanField(default=False, help_text='The holder identifies as a woman (gender quota).')),
                ('partner_name', models.CharField(blank=True, help_text='Only if the partner has no member record.', max_length=200)),
                ('partner_is_woman', models.BooleanField(default=False, help_text='The partner identifies as a woman (gender quota).')),
                ('held_from', models.DateField(help_text='First day in post (e.g. the AGM, or the day the results were published).')),
                ('held_until', models.DateField(blank=True, help_text='Last day in post; blank while in post.', null=True)),
                ('elected_in', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='elections.election')),
                ('holder', models.ForeignKey(blank=True, help_text='The member holding the post.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='offices_held', to=settings.AUTH_USER_MODEL)),
                ('office', models.ForeignKey(limit_choices_to={'officer': True}, on_delete=django.db.models.deletion.PROTECT, related_name='holders', to='elections.office')),
                ('partner', models.ForeignKey(blank=True, help_text='The job-share partner, if any.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='offices_job_shared', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'LIEC officer',
                'verbose_name_plural': 'register of LIEC officers',
                'ordering': ['office__order', '-held_from'],
                'constraints': [models.CheckConstraint(condition=models.Q(('holder__isnull', False), models.Q(('holder_name', ''), _negated=True), _connector='OR'), name='office_holder_named'), models.CheckConstraint(condition=models.Q(('held_until__isnull', True), ('held_until__gte', models.F('held_from')), _connector='OR'), name='office_held_until_after_from')],
            },
        ),
        migrations.RunPython(confirmed_were_accepted, migrations.RunPython.noop),
        migrations.RunPython(grant_register, migrations.RunPython.noop),
    ]
