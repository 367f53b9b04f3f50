"""What `export_npf` and `export_conference` share: write the file, report what was dropped."""

import time

from django.core.management.base import CommandError

from .services import ExportError, affected_summary, build_document, choose_items, write_export


def export_to_file(command, kind, output, *, consultation=None, references=None):
    """Export the ratified items (all, or `references`) to `output`; CommandError when there is nothing."""
    if not output.lower().endswith(".docx"):
        raise CommandError(f"The output must be a .docx file, not “{output}”.")
    try:
        items = choose_items(kind, consultation, references)
    except ExportError as exc:
        raise CommandError(str(exc)) from exc
    started = time.perf_counter()
    try:
        report = write_export(build_document(kind, items, consultation), output)
    except OSError as exc:
        raise CommandError(f"Cannot write “{output}”: {exc.strerror or exc}.") from exc
    elapsed = time.perf_counter() - started
    command.stdout.write(command.style.SUCCESS(
        f"Wrote {output}: {report.entries} item{'s' if report.entries != 1 else ''} in {elapsed:.1f} s."
    ))
    for entry in affected_summary(report):
        command.stdout.write(command.style.WARNING(
            f"{entry['reference']}: {entry['dropped']} (a .docx cannot hold them)."
        ))
    return report
