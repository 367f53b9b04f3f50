"""Backup and restore of the whole site: the database as a Django-level dump (every app's rows
with their primary keys; keys to content types and permissions by natural key, see
cms/backup_format.py, so it loads into any backend) plus the media files (images, their
renditions, documents), in one .tar.gz archive. The manifest lists the rows per model and the
size and SHA-256 of every media file; a restore checks both.

Left out, because they are rebuilt or have no value elsewhere: content types and permissions
(recreated by `migrate`), sessions, login-attempt records, django-q2's queue and task results
(payloads are signed with the old SECRET_KEY), and the search index (rebuilt after a restore).
Used by `manage.py backup_site` and `manage.py restore_site`.
"""

import hashlib
import io
import json
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Page

from cms.models import Member

from . import backup_format

FORMAT_VERSION = 1
EXCLUDED = [
    "contenttypes", "auth.permission", "sessions", "axes",
    "django_q.ormq", "django_q.task",
    "wagtailsearch",
]
DATA_NAME = "data.json"
MANIFEST_NAME = "manifest.json"
MEDIA_PREFIX = "media/"


class BackupError(Exception):
    """The archive cannot be restored here (a message for the operator)."""


def _excluded_labels():
    installed = {config.label for config in apps.get_app_configs()}
    return [label for label in EXCLUDED if label.split(".")[0] in installed]


def model_counts():
    """Rows per concrete model (what a restore must give back), by model label."""
    counts = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        label = model._meta.label_lower
        if label.split(".")[0] in EXCLUDED or label in EXCLUDED or model._meta.auto_created:
            continue
        if model._meta.db_table not in connection.introspection.table_names():
            continue
        counts[label] = model._base_manager.count()
    return counts


def create_backup(output):
    """Write the archive to `output` (a path). Returns the manifest."""
    output = Path(output)
    with tempfile.TemporaryDirectory() as tmp:
        data_path = Path(tmp) / DATA_NAME
        backup_format.register()
        # One snapshot: the manifest's counts are those of the rows dumped, even while the site runs.
        # Inside a caller's transaction (a test, a larger job) that transaction is the snapshot:
        # PostgreSQL accepts the isolation level only as a transaction's first statement.
        own_transaction = not connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and own_transaction:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            call_command("dumpdata", format=backup_format.FORMAT, exclude=_excluded_labels(),
                         output=str(data_path), verbosity=0)
            counts = model_counts()
        media = media_files()
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "database_vendor": connection.vendor,
            "counts": counts,
            "media": media,
        }
        media_root = Path(settings.MEDIA_ROOT)
        with tarfile.open(output, "w:gz") as archive:
            _add_bytes(archive, MANIFEST_NAME, json.dumps(manifest, indent=1).encode())
            archive.add(data_path, arcname=DATA_NAME)
            for name in media:
                archive.add(media_root / name, arcname=MEDIA_PREFIX + name)
    return manifest


def media_files():
    """{path under MEDIA_ROOT: {"size", "sha256"}} of every file in MEDIA_ROOT."""
    media_root = Path(settings.MEDIA_ROOT)
    files = {}
    if media_root.is_dir():
        for path in sorted(media_root.rglob("*")):
            if path.is_file():
                digest = hashlib.sha256()
                with path.open("rb") as handle:
                    for chunk in iter(lambda: handle.read(1 << 20), b""):
                        digest.update(chunk)
                files[path.relative_to(media_root).as_posix()] = {"size": path.stat().st_size,
                                                                  "sha256": digest.hexdigest()}
    return files


def differences(manifest):
    """What this database and MEDIA_ROOT lack against a backup's manifest: a list of sentences
    (empty when every model's row count and every media file, byte for byte, are there)."""
    problems = []
    counts = model_counts()
    for label, expected in sorted(manifest["counts"].items()):
        if counts.get(label) != expected:
            problems.append(f"{label}: {counts.get(label)} rows, the backup has {expected}")
    present = media_files()
    for name, expected in sorted(manifest.get("media", {}).items()):
        if name not in present:
            problems.append(f"media file {name} is missing")
        elif present[name] != expected:
            problems.append(f"media file {name} differs from the backup's")
    return problems


def _add_bytes(archive, name, content):
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(content))


def database_is_empty():
    """True when no migration has run, or nothing but what migrations create is there."""
    tables = connection.introspection.table_names()
    if "cms_member" not in tables:
        return True
    return not Member.objects.exists() and Page.objects.filter(depth__gt=2).count() == 0


def restore_backup(archive_path, stdout=None):
    """Load an archive into this (empty) database and MEDIA_ROOT. Returns the manifest."""
    archive_path = Path(archive_path)
    if not database_is_empty():
        raise BackupError("The database is not empty: restore into a new, empty database.")
    with tarfile.open(archive_path, "r:gz") as archive, tempfile.TemporaryDirectory() as tmp:
        try:
            manifest = json.load(archive.extractfile(MANIFEST_NAME))
        except KeyError:
            raise BackupError(f"{archive_path} is not a site backup (no {MANIFEST_NAME}).") from None
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
        archive.extract(DATA_NAME, tmp, filter="data")
        call_command("migrate", interactive=False, verbosity=0)
        # Rows that data migrations made (root page, default pipelines, groups) come back from the
        # dump with their own keys: empty every table first, then load.
        call_command("flush", interactive=False, verbosity=0)
        call_command("loaddata", str(Path(tmp) / DATA_NAME), verbosity=0)
        media_root = Path(settings.MEDIA_ROOT)
        media_root.mkdir(parents=True, exist_ok=True)
        for member in archive.getmembers():
            if member.isfile() and member.name.startswith(MEDIA_PREFIX):
                member.name = member.name[len(MEDIA_PREFIX):]
                archive.extract(member, media_root, filter="data")
    _reset_sequences()
    call_command("update_index", verbosity=0)
    return manifest


def _reset_sequences():
    """PostgreSQL: move every id sequence past the loaded rows (SQLite needs nothing)."""
    if connection.vendor != "postgresql":
        return
    models = [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
