"""Texts stored before every service cleaned what people type (nh3): clean them once, in place,
with the same sanitizer and features the services use now. Idempotent: a clean text is left
untouched, so running it again writes nothing."""

from django.db import migrations

from cms.html_cleaning import ITEM_TEXT_FEATURES, RICH_TEXT_FEATURES, clean_member_html

FIELDS = [("Item", "text", ITEM_TEXT_FEATURES), ("ItemRevision", "text", ITEM_TEXT_FEATURES),
          ("Meeting", "minutes", RICH_TEXT_FEATURES)]


def clean_stored_texts(apps, schema_editor):
    for model_name, field, features in FIELDS:
        model = apps.get_model("workflows", model_name)
        for pk, html in model.objects.values_list("pk", field).iterator(chunk_size=500):
            cleaned = clean_member_html(html, features)
            if cleaned != (html or ""):
                model.objects.filter(pk=pk).update(**{field: cleaned})


class Migration(migrations.Migration):
    dependencies = [("workflows", "0008_meeting_time_zone_from_branch")]

    operations = [migrations.RunPython(clean_stored_texts, migrations.RunPython.noop, elidable=True)]
