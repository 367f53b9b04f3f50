"""manage.py restore_site FILE.tar.gz: load a backup_site archive into an EMPTY database."""

from django.core.management.base import BaseCommand, CommandError

from cms.backup import BackupError, differences, model_counts, restore_backup


class Command(BaseCommand):
    help = "Restore a backup_site archive into an empty database (migrates it first) and MEDIA_ROOT."

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, *args, archive, **options):
        try:
            manifest = restore_backup(archive)
        except (BackupError, FileNotFoundError) as error:
            raise CommandError(str(error)) from error
        problems = differences(manifest)
        if problems:
            raise CommandError("The restored site differs from the backup: " + "; ".join(problems))
        restored = model_counts()
        self.stdout.write(f"Restored {sum(restored.values())} rows of {len(restored)} models and "
                          f"{len(manifest.get('media', {}))} media files from {archive}; every count and file checked.")
