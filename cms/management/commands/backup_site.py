"""manage.py backup_site --output FILE.tar.gz: the database (Django-level dump) and media files in one archive."""

from django.core.management.base import BaseCommand

from cms.backup import create_backup


class Command(BaseCommand):
    help = "Dump the whole site (database rows and media files) into one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="the archive to write, e.g. li-2026-11-22.tar.gz")

    def handle(self, *args, output, **options):
        manifest = create_backup(output)
        rows = sum(manifest["counts"].values())
        self.stdout.write(f"Backup written to {output}: {rows} rows of {len(manifest['counts'])} models, and media.")
