"""python manage.py import_members FILE.csv: the membership list import, with a line-by-line report."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize

from cms.membership_import import COLUMNS, MalformedMembershipFile, import_members


class Command(BaseCommand):
    help = (f"Import the membership list (CSV with the columns {','.join(COLUMNS)}; dates YYYY-MM-DD, branch "
            "by slug). Creates or updates by membership number, never deletes. Exits 1 if a line was rejected, "
            "2 if the file is not a membership CSV (then nothing is written).")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.", returncode=2) from exc
        try:
            report = import_members(content)
        except MalformedMembershipFile as exc:
            raise CommandError(f"{file}: {exc} Nothing was imported.", returncode=2) from exc
        for line, reason in report.rejected:
            self.stderr.write(f"line {line}: rejected: {reason}")
        self.stdout.write(f"{file}: {report.summary()}")
        if report.rejected:
            raise CommandError(f"{len(report.rejected)} line{pluralize(report.rejected)} rejected; the good lines were imported.",
                               returncode=1)
