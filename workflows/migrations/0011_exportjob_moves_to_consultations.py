"""ExportJob moved to the consultations app (consultations/0001); its table stays where it is."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("workflows", "0010_meeting_ends_at"),
        ("consultations", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="ExportJob")]),
    ]
