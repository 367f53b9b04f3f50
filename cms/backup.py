"""Backup and restore of the whole site: the database as a Django-level dump (every app's rows,
foreign keys to content types and users by natural key, so it loads into any backend) plus the
media files (images, documents), in one .tar.gz archive.

Left out, because they are rebuilt or have no value elsewhere: content types and permissions
(recreated by `migrate`), sessions, login-attempt records, django-q2's queue and task results
(payloads are signed with the old SECRET_KEY), and the search index (rebuilt after a restore).
Used by `manage.py backup_site` and `manage.py restore_site`.
"""

import io
import json
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

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
        call_command("dumpdata", natural_foreign=True, exclude=_excluded_labels(), output=str(data_path),
                     verbosity=0)
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "database_vendor": connection.vendor,
            "counts": model_counts(),
        }
        media_root = Path(settings.MEDIA_ROOT)
        with tarfile.open(output, "w:gz") as archive:
            _add_bytes(archive, MANIFEST_NAME, json.dumps(manifest, indent=1).encode())
            archive.add(data_path, arcname=DATA_NAME)
            if media_root.is_dir():
                for path in sorted(media_root.rglob("*")):
                    if path.is_file():
                        archive.add(path, arcname=MEDIA_PREFIX + path.relative_to(media_root).as_posix())
    return manifest


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
    from wagtail.models import Page

    from cms.models import Member

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
    from django.core.management.color import no_style

    models = [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
