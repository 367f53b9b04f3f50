"""manage.py restore_site FILE.tar.gz: load a backup_site archive into an EMPTY database."""

from django.core.management.base import BaseCommand, CommandError

from cms.backup import BackupError, model_counts, restore_backup


class Command(BaseCommand):
    help = "Restore a backup_site archive into an empty database (migrates it first) and MEDIA_ROOT."

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, *args, archive, **options):
        try:
            manifest = restore_backup(archive)
        except (BackupError, FileNotFoundError) as error:
            raise CommandError(str(error)) from error
        restored = model_counts()
        missing = {label: (n, restored.get(label)) for label, n in manifest["counts"].items()
                   if restored.get(label) != n}
        if missing:
            raise CommandError(f"Restored counts differ from the backup's: {missing}")
        self.stdout.write(f"Restored {sum(restored.values())} rows of {len(restored)} models from {archive}.")
