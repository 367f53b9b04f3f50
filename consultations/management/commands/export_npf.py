"""python manage.py export_npf --consultation SLUG --output FILE.docx [--submission REF ...]"""

from django.core.management.base import BaseCommand, CommandError

from consultations.exports.command import export_to_file
from consultations.exports.services import ExportError, consultation_by_slug
from consultations.models import ExportJob


class Command(BaseCommand):
    help = (
        "Export the policy submissions of an NPF consultation ratified by the GC (all, or those named "
        "with --submission) to one Word document: cover, contents, one section per policy commission."
    )

    def add_arguments(self, parser):
        parser.add_argument("--consultation", required=True, help="The consultation's slug.")
        parser.add_argument("--output", required=True, help="The .docx file to write.")
        parser.add_argument("--submission", action="append", dest="references", metavar="REFERENCE",
                            help="Only this submission (e.g. P-2026-003); repeat for several.")

    def handle(self, *args, consultation, output, references, **options):
        try:
            consultation = consultation_by_slug(consultation)
        except ExportError as exc:
            raise CommandError(str(exc)) from exc
        export_to_file(self, ExportJob.Kind.NPF, output, consultation=consultation, references=references)
