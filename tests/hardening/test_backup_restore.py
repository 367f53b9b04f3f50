"""Backup and restore: the whole site dumped from one database and restored into a new, empty one
has every item, decision, page and election result, its media files, and its pages render."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.management import call_command
from wagtail.documents.models import Document
from wagtail.models import Page

from cms.models import Member, NewsPage
from elections.demo import seed_full_election, seed_roles
from elections.models import PositionResult
from workflows import services
from workflows.models import Decision, Item

from .conftest import make_member, submit_motion

ROOT = Path(__file__).resolve().parents[2]

CHECK = """
import json, django
django.setup()
from django.test import Client
from cms.models import Member
from elections.models import PositionResult
from wagtail.documents.models import Document
from wagtail.models import Page
from workflows.models import Decision, Item
client = Client()
urls = json.loads({urls!r})
print(json.dumps({{
    "items": sorted(Item.objects.values_list("reference", "status", "title")),
    "decisions": sorted(Decision.objects.values_list("item__reference", "outcome", "votes_for", "votes_against")),
    "pages": sorted(Page.objects.live().values_list("url_path", flat=True)),
    "results": sorted(PositionResult.objects.values_list("position__key", "status", "holder__candidate__email")),
    "members": sorted(Member.objects.values_list("email", "membership_number")),
    "document": Document.objects.get().file.read().decode(),
    "status": {{url: client.get(url).status_code for url in urls}},
    "paris": client.get("/branches/paris/").content.decode(),
}}))
"""


def snapshot():
    return {
        "items": sorted(Item.objects.values_list("reference", "status", "title")),
        "decisions": sorted(Decision.objects.values_list("item__reference", "outcome", "votes_for", "votes_against")),
        "pages": sorted(Page.objects.live().values_list("url_path", flat=True)),
        "results": sorted(PositionResult.objects.values_list("position__key", "status", "holder__candidate__email")),
        "members": sorted(Member.objects.values_list("email", "membership_number")),
    }


def test_site_restored_from_a_backup_into_an_empty_database_has_everything(people, branches, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "source-media"
    motion = submit_motion(people)
    services.record_decision(motion, "carried", people["paris_officer"], votes_for=12, votes_against=3)
    branches["paris"].add_child(instance=NewsPage(title="Branch AGM report", slug="agm-report", intro="Our AGM."))
    Document.objects.create(title="Standing orders", file=ContentFile(b"Standing orders of LI", name="so.txt"))
    make_member("returning@example.org", "L9", branches["paris"])
    seed_full_election(*seed_roles())
    assert PositionResult.objects.exists()
    before = json.loads(json.dumps(snapshot()))
    reference = motion.reference

    archive = tmp_path / "li-backup.tar.gz"
    call_command("backup_site", output=str(archive))

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.hardening.restore_settings",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'restored.sqlite3'}", "MEDIA_ROOT": str(tmp_path / "restored-media"),
           "PYTHONPATH": str(ROOT)}
    restored = subprocess.run([sys.executable, "manage.py", "restore_site", str(archive)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=600)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    urls = ["/", "/branches/", "/branches/paris/", "/branches/paris/agm-report/", f"/motions/{reference}/",
            "/motions/", "/elections/liec-elections-2025/results/", "/api/v2/motions/"]
    checked = subprocess.run([sys.executable, "-c", CHECK.format(urls=json.dumps(urls))], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=300)
    assert checked.returncode == 0, checked.stderr[-3000:]
    after = json.loads(checked.stdout.strip().splitlines()[-1])

    for key in ("items", "decisions", "pages", "results", "members"):
        assert after[key] == before[key], key
    assert after["document"] == "Standing orders of LI"
    assert after["status"] == dict.fromkeys(urls, 200)
    assert "Branch AGM report" in after["paris"] or "Paris" in after["paris"]

    # A second restore into the now-filled database is refused: nothing is overwritten.
    again = subprocess.run([sys.executable, "manage.py", "restore_site", str(archive)], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=300)
    assert again.returncode != 0 and "not empty" in again.stderr
