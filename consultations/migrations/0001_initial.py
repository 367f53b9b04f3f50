"""ExportJob comes here from the workflows app (workflows/0005 made its table; workflows/0011 lets go
of it). Only Django's picture of the models changes: the table, its rows and their files stay. The
content type follows, so permissions and log entries naming it stay attached."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import consultations.models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    old = ContentType.objects.filter(app_label="workflows", model="exportjob").first()
    if old is None:
        return
    if ContentType.objects.filter(app_label="consultations", model="exportjob").exists():
        old.delete()  # nothing can point at it: the model has no permissions given to anyone
    else:
        old.app_label = "consultations"
        old.save(update_fields=["app_label"])


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="workflows", model="exportjob").exists():
        ContentType.objects.filter(app_label="consultations", model="exportjob").update(app_label="workflows")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("workflows", "0010_meeting_ends_at"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
                migrations.CreateModel(
                    name='ExportJob',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('npf', 'NPF consultation'), ('conference', 'Conference motions')], max_length=16)),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Failed')], default='queued', max_length=16)),
                        ('progress_done', models.PositiveIntegerField(default=0)),
                        ('progress_total', models.PositiveIntegerField(default=0)),
                        ('file', models.FileField(blank=True, upload_to=consultations.models.export_upload_to)),
                        ('affected_items', models.JSONField(blank=True, default=list, help_text='Items that lost characters a .docx cannot hold: [{reference, dropped}].')),
                        ('error', models.TextField(blank=True)),
                        ('task_id', models.CharField(blank=True, max_length=64)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('started_at', models.DateTimeField(blank=True, null=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('consultation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='export_jobs', to='workflows.consultation')),
                        ('items', models.ManyToManyField(related_name='export_jobs', to='workflows.item')),
                        ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='export_jobs', to=settings.AUTH_USER_MODEL)),
                        ('sent_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'workflows_exportjob',
                        'ordering': ['-created_at', '-pk'],
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('kind', 'npf'), _negated=True), ('consultation__isnull', False), _connector='OR'), name='npf_export_has_consultation')],
                    },
                ),
        ]),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
