"""python manage.py export_conference --output FILE.docx [--motion REF ...]"""

from django.core.management.base import BaseCommand

from consultations.exports.command import export_to_file
from consultations.models import ExportJob


class Command(BaseCommand):
    help = (
        "Export the motions ratified by the GC and waiting to be sent to Conference (all, or those named "
        "with --motion) to one Word document."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="The .docx file to write.")
        parser.add_argument("--motion", action="append", dest="references", metavar="REFERENCE",
                            help="Only this motion (e.g. M-2026-007); repeat for several.")

    def handle(self, *args, output, references, **options):
        export_to_file(self, ExportJob.Kind.CONFERENCE, output, references=references)
