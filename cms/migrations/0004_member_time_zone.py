"""Each member may choose the zone they read times in (empty: their branch's); an event's online
link is for signed-in members only (help text)."""

from django.db import migrations, models

import cms.times


class Migration(migrations.Migration):

    dependencies = [
        ("cms", "0003_microsite_teams_event_zone"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="time_zone",
            field=models.CharField(
                blank=True, max_length=64, validators=[cms.times.validate_time_zone], verbose_name="your time zone",
                help_text="Times on the site and in emails are also shown in this zone. Empty: your branch's zone."),
        ),
        migrations.AlterField(
            model_name="eventpage",
            name="online_link",
            field=models.URLField(
                blank=True,
                help_text="Shown to signed-in members only (never in the API or the public calendar feed)."),
        ),
    ]
