"""Backup and restore: the whole site dumped from one database and restored into a new, empty one
has every item, decision, page and election result, its media files, and its pages render.

The drill runs on a small site with images (and their renditions) and documents, on the FULL
seeded demo after pages were deleted (Wagtail keeps the deleted pages' log entries: the audit
record must survive the round trip), and on PostgreSQL: the portable archive PostgreSQL →
PostgreSQL, and `pg_dump -Fc` + media tar restored with `pg_restore` into an empty database.
"""

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from wagtail.actions.delete_page import DeletePageAction
from wagtail.documents.models import Document
from wagtail.images import get_image_model
from wagtail.models import Page, PageLogEntry

from campaigns.models import CampaignPage
from cms.backup import MANIFEST_NAME, media_files, model_counts
from cms.models import EventPage, Member, NewsPage
from elections.demo import seed_full_election, seed_roles
from elections.models import Election, PositionResult
from workflows import services
from workflows.models import Decision, Item

from ..conftest import restore_migration_data
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

# What a restored site holds, against the backup's manifest: rows per model, media files (size and
# SHA-256), the audit log of deleted pages.
CONTENTS = """
import json, django
django.setup()
from cms.backup import media_files, model_counts
from wagtail.models import PageLogEntry
print(json.dumps({"counts": model_counts(), "media": media_files(),
                  "deleted": sorted(PageLogEntry.objects.filter(action="wagtail.delete").values_list("page_id", "label"))}))
"""


def make_image(title, collection=None):
    """An uploaded PNG and one rendition of it (the file a page shows)."""
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "PNG")
    extra = {"collection": collection} if collection is not None else {}
    image = get_image_model().objects.create(title=title, file=ContentFile(buffer.getvalue(), name=f"{title}.png"),
                                             **extra)
    image.get_rendition("fill-32x32")
    return image


def delete_page(page):
    """Delete a page as an editor does in the admin (Wagtail logs it; the log entry outlives the page)."""
    DeletePageAction(page.specific, user=None).execute(skip_permission_checks=True)


def read_manifest(archive):
    with tarfile.open(archive, "r:gz") as tar:
        return json.load(tar.extractfile(MANIFEST_NAME))


def restore(archive, env, timeout=900):
    return subprocess.run([sys.executable, "manage.py", "restore_site", str(archive)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def contents(env):
    done = subprocess.run([sys.executable, "-c", CONTENTS], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def sqlite_env(tmp_path, name="restored"):
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.hardening.restore_settings",
            "DATABASE_URL": f"sqlite:///{tmp_path / (name + '.sqlite3')}", "MEDIA_ROOT": str(tmp_path / f"{name}-media"),
            "PYTHONPATH": str(ROOT)}


def assert_restored_like(archive, after, deleted_before):
    """Every model's rows, every media file byte for byte, and the deleted pages' audit record."""
    manifest = read_manifest(archive)
    assert after["counts"] == manifest["counts"]
    assert after["media"] == manifest["media"]
    assert [tuple(entry) for entry in after["deleted"]] == deleted_before


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
    make_image("agm-photo")
    gone = branches["paris"].add_child(instance=NewsPage(title="Posted by mistake", slug="mistake", intro="Oops."))
    delete_page(gone)
    deleted_before = sorted(PageLogEntry.objects.filter(action="wagtail.delete").values_list("page_id", "label"))
    assert (gone.pk, "Posted by mistake") in deleted_before
    make_member("returning@example.org", "L9", branches["paris"])
    seed_full_election(*seed_roles())
    assert PositionResult.objects.exists()
    before = json.loads(json.dumps(snapshot()))
    reference = motion.reference

    archive = tmp_path / "li-backup.tar.gz"
    call_command("backup_site", output=str(archive))

    manifest = read_manifest(archive)
    assert manifest["counts"] == model_counts()
    assert manifest["media"] == media_files()
    assert any(name.startswith("original_images/") for name in manifest["media"])
    assert any(name.startswith("images/") for name in manifest["media"])  # the rendition
    assert any(name.startswith("documents/") for name in manifest["media"])

    env = sqlite_env(tmp_path)
    restored = restore(archive, env)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "every count and file checked" in restored.stdout
    assert_restored_like(archive, contents(env), deleted_before)
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
    again = restore(archive, env)
    assert again.returncode != 0 and "not empty" in again.stderr


def seed_demo_with_deletions():
    """The full demo (`seed_demo`: branches' news and events, campaigns, 60+ items at every stage,
    meetings, elections), an uploaded image with its rendition, then pages deleted in the admin.
    Returns the deleted pages' log entries (page id, title)."""
    restore_migration_data()  # a transactional test run before may have flushed what migrations made
    call_command("seed_demo", stdout=io.StringIO())
    assert Item.objects.count() > 50 and Election.objects.exists() and CampaignPage.objects.live().exists()
    make_image("branch-banner")
    delete_page(NewsPage.objects.child_of(Page.objects.get(slug="paris")).first())
    delete_page(EventPage.objects.child_of(Page.objects.get(slug="berlin")).first())
    deleted = sorted(PageLogEntry.objects.filter(action="wagtail.delete").values_list("page_id", "label"))
    assert len(deleted) >= 2
    return deleted


def test_the_seeded_demo_after_page_deletions_restores_every_row_and_file(db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "source-media"
    deleted_before = seed_demo_with_deletions()
    archive = tmp_path / "demo-backup.tar.gz"
    call_command("backup_site", output=str(archive), stdout=io.StringIO())
    manifest = read_manifest(archive)
    assert manifest["counts"] == model_counts()
    assert manifest["counts"]["wagtailcore.pagelogentry"] == PageLogEntry.objects.count()
    assert {name.split("/")[0] for name in manifest["media"]} >= {"documents", "original_images", "images"}

    env = sqlite_env(tmp_path)
    restored = restore(archive, env)
    assert restored.returncode == 0, restored.stdout + restored.stderr[-3000:]
    assert_restored_like(archive, contents(env), deleted_before)


def _postgres_bin(name):
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    assert found, f"Debian's {name} is not installed (apt-get install postgresql)"
    return str(found[-1])


class EmptyPostgresDatabase:
    """A new, empty database on the test's PostgreSQL server, dropped afterwards."""

    def __init__(self):
        self.server = connection.settings_dict
        self.name = f"li_restore_{uuid.uuid4().hex[:10]}"

    def url(self, name=None):
        s = self.server
        password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
        return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name or self.name}"

    def _admin(self, sql):
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as admin:
            admin.execute(sql)

    def __enter__(self):
        self._admin(f'CREATE DATABASE "{self.name}"')
        return self

    def __exit__(self, *exc):
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.mark.postgres
def test_portable_archive_of_the_seeded_demo_restores_from_postgresql_into_an_empty_postgresql(db, tmp_path,
                                                                                               settings):
    assert connection.vendor == "postgresql"
    settings.MEDIA_ROOT = tmp_path / "source-media"
    deleted_before = seed_demo_with_deletions()
    archive = tmp_path / "demo-backup.tar.gz"
    call_command("backup_site", output=str(archive), stdout=io.StringIO())
    assert read_manifest(archive)["database_vendor"] == "postgresql"
    with EmptyPostgresDatabase() as target:
        env = {**sqlite_env(tmp_path), "DATABASE_URL": target.url()}
        restored = restore(archive, env)
        assert restored.returncode == 0, restored.stdout + restored.stderr[-3000:]
        assert_restored_like(archive, contents(env), deleted_before)
        # Sequences were moved past the loaded rows: the restored site takes new rows.
        added = subprocess.run([sys.executable, "-c", (
            "import django; django.setup()\n"
            "from wagtail.models import PageLogEntry, Page\n"
            "PageLogEntry.objects.log_action(Page.objects.get(slug='paris'), 'wagtail.edit')\n")],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert added.returncode == 0, added.stderr[-2000:]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_pg_dump_and_media_tar_of_the_seeded_demo_restore_with_pg_restore_into_an_empty_database(tmp_path,
                                                                                                  settings):
    """The README's PostgreSQL backup: `pg_dump -Fc` and a tar of MEDIA_ROOT; `pg_restore` into an
    empty database and the tar unpacked: every table's rows and every media file come back."""
    assert connection.vendor == "postgresql"
    settings.MEDIA_ROOT = tmp_path / "source-media"
    deleted_before = seed_demo_with_deletions()  # committed: pg_dump reads from another session
    source = EmptyPostgresDatabase()
    dump, media_tar = tmp_path / "li.dump", tmp_path / "li-media.tar.gz"
    subprocess.run([_postgres_bin("pg_dump"), "-Fc", "--no-owner", "-f", str(dump),
                    source.url(connection.settings_dict["NAME"])], check=True, timeout=600)
    subprocess.run(["tar", "-czf", str(media_tar), "-C", str(settings.MEDIA_ROOT), "."], check=True)
    expected = {"counts": model_counts(), "media": media_files()}

    with EmptyPostgresDatabase() as target:
        subprocess.run([_postgres_bin("pg_restore"), "--no-owner", "--exit-on-error", "-d", target.url(),
                        str(dump)], check=True, timeout=600)
        restored_media = tmp_path / "restored-media"
        restored_media.mkdir()
        subprocess.run(["tar", "-xzf", str(media_tar), "-C", str(restored_media)], check=True)
        env = {**sqlite_env(tmp_path), "DATABASE_URL": target.url(), "MEDIA_ROOT": str(restored_media)}
        after = contents(env)
    assert after["counts"] == expected["counts"]
    assert after["media"] == expected["media"] and any(n.startswith("images/") for n in after["media"])
    assert [tuple(entry) for entry in after["deleted"]] == deleted_before
    shutil.rmtree(restored_media)
