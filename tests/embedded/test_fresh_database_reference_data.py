"""`manage.py migrate` on an empty SQLite file (as `make run` does on a fresh checkout) makes the
reference data from the files of fixtures/reference/: the guide's posts and the default pipelines."""

import json
import sqlite3

from cms.fixtures import read_toml
from elections.reference import guide_posts


def test_a_fresh_database_gets_the_guides_posts_and_the_default_pipelines_from_the_files(migrated_sqlite_file):
    with sqlite3.connect(migrated_sqlite_file) as connection:
        offices = connection.execute('SELECT key, title, "order", officer, job_share_allowed, restriction '
                                     "FROM elections_office ORDER BY \"order\"").fetchall()
        stages = connection.execute(
            "SELECT p.slug, p.name, p.kind, p.is_default, s.name, s.deciding_body, s.outside_body, "
            "s.allowed_outcomes, s.advancing_outcomes, s.takes_votes FROM workflows_stage s "
            "JOIN workflows_pipeline p ON p.id = s.pipeline_id ORDER BY p.id, s.sort_order").fetchall()

    assert offices == [(p["key"], p["title"], order, p["officer"], p["job_share_allowed"], p["restriction"])
                       for order, p in enumerate(guide_posts(), start=1)]
    assert [(slug, name, kind, bool(default), stage, body, outside, json.loads(allowed), json.loads(advancing),
             bool(votes)) for slug, name, kind, default, stage, body, outside, allowed, advancing, votes in stages] == [
        (p["slug"], p["name"], p["kind"], True, s["name"], s["deciding_body"], s.get("outside_body", ""),
         s["allowed_outcomes"], s["advancing_outcomes"], s["takes_votes"])
        for p in read_toml("reference/pipelines.toml")["pipeline"] for s in p["stage"]]
