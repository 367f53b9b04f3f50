"""Reference data: the 19 posts of the 2023 election guide (14 officers, 3 coordinators, 2 auditors),
read from fixtures/reference/guide_2023_posts.csv (elections.reference)."""

from django.db import migrations


def load(apps, schema_editor):
    from elections.reference import load_offices

    load_offices(apps.get_model("elections", "Office"))


def unload(apps, schema_editor):
    from elections.reference import guide_posts

    apps.get_model("elections", "Office").objects.filter(key__in=[post["key"] for post in guide_posts()]).delete()


class Migration(migrations.Migration):
    dependencies = [("elections", "0001_elections_positions_nominations_ballots")]

    operations = [migrations.RunPython(load, unload)]
