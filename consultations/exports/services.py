"""Export actions: start an export job, run it (in the request or the worker), write an export
to a file (the commands), and mark the exported items as sent.

Marking as sent records one decision per item through `workflows.services.record_decision`,
the one place a transition is checked and written.
"""

import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task
from wagtail.log_actions import log

from cms.xmlsafe import describe_dropped
from workflows import permissions
from workflows.exceptions import DecisionError, WorkflowError
from workflows.models import Consultation, DecidingBody, Item, ItemStatus, PolicySubmission
from workflows.services import record_decision

from ..models import ExportJob
from . import selectors
from .render import render_document

logger = logging.getLogger(__name__)

# Exports of more items than this run in the django-q2 worker; smaller ones in the request.
INLINE_LIMIT = getattr(settings, "EXPORT_INLINE_LIMIT", 25)
# Progress is written to the job at most every this many items (and at the end).
PROGRESS_EVERY = 10


class ExportError(WorkflowError):
    """An export cannot be made as asked (nothing ratified, unknown items, not allowed)."""


# --------------------------------------------------------------------------- choosing items


def exportable_items(kind, consultation=None):
    """The items an export of `kind` may contain: ratified and not yet sent."""
    if kind == ExportJob.Kind.NPF:
        return selectors.ratified_submissions(consultation)
    return selectors.motions_for_conference()


def choose_items(kind, consultation=None, references=None):
    """The ratified items to export: all, or those of `references` (all of which must be ratified)."""
    available = list(exportable_items(kind, consultation))
    where = f"“{consultation.title}” ({consultation.year})" if consultation else "Conference"
    if not available:
        raise ExportError(
            f"Nothing to export for {where}: no {'submission' if consultation else 'motion'} has been "
            "ratified by the General Committee and is waiting to be sent."
        )
    if references is None:
        return available
    wanted = [r.strip().upper() for r in references if r and r.strip()]
    if not wanted:
        raise ExportError("Choose at least one item to export.")
    by_reference = {item.reference.upper(): item for item in available}
    unknown = [r for r in wanted if r not in by_reference]
    if unknown:
        raise ExportError(
            f"Not ratified and waiting to be sent for {where}: {', '.join(unknown)}. "
            f"Ratified: {', '.join(sorted(by_reference)) or 'none'}."
        )
    return [item for item in available if item.reference.upper() in set(wanted)]


def build_document(kind, items, consultation=None):
    if kind == ExportJob.Kind.NPF:
        return selectors.npf_document(consultation, items)
    return selectors.conference_document(items)


def write_export(document, output, on_progress=None):
    """Render `document` to `output` (a path: written to a temporary file, then moved in place, so a
    failure never leaves half a file; or a binary file object). Returns the RenderReport."""
    options = {"base_url": selectors.site_base_url(), "resolve_link": selectors.resolve_rich_text_link,
               "on_progress": on_progress}
    if hasattr(output, "write"):
        return render_document(document, output, **options)
    target = Path(output)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".export-", suffix=".docx", dir=target.parent)
    os.close(handle)
    try:
        report = render_document(document, temporary, **options)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return report


def affected_summary(report):
    """[{reference, dropped}] for a job record, a command's output or an admin message."""
    return [{"reference": reference, "dropped": describe_dropped(dropped)}
            for reference, dropped in report.affected.items()]


# --------------------------------------------------------------------------- jobs


def may_export(user, kind):
    """NPF exports are the policy officer's; Conference ones also the secretary's (both may send)."""
    if kind == ExportJob.Kind.NPF:
        return permissions.is_policy_officer(user)
    return permissions.is_policy_officer(user) or permissions.is_secretary(user)


def start_export(kind, by, *, consultation=None, references=None):
    """Create an export job for the chosen ratified items and run it: in this request when it is
    small, else in the django-q2 worker (the job shows progress). Raises ExportError."""
    kind = ExportJob.Kind(kind)
    if not may_export(by, kind):
        raise ExportError("Only the policy officer (or, for Conference, the secretary) can export.")
    if kind == ExportJob.Kind.NPF and consultation is None:
        raise ExportError("Choose the NPF consultation to export.")
    items = choose_items(kind, consultation, references)
    with transaction.atomic():
        job = ExportJob.objects.create(
            kind=kind, consultation=consultation if kind == ExportJob.Kind.NPF else None,
            requested_by=by, progress_total=len(items),
        )
        job.items.set(items)
        log(job, "li.export.made", user=by, data={"kind": job.get_kind_display(), "items": len(items), "references": [i.reference for i in items]})
    if len(items) > INLINE_LIMIT:
        task_id = async_task("consultations.exports.tasks.run_export_job_task", job.pk, task_name=f"export-{job.pk}")
        ExportJob.objects.filter(pk=job.pk).update(task_id=str(task_id or ""))
    else:
        run_export_job(job.pk)
    job.refresh_from_db()
    return job


def _job_items(job):
    ids = list(job.items.values_list("pk", flat=True))
    if job.kind == ExportJob.Kind.NPF:
        return list(PolicySubmission.objects.filter(pk__in=ids).select_related("branch", "commission"))
    return list(selectors.conference_motions().filter(pk__in=ids).select_related("branch"))


def run_export_job(job_id):
    """Render a job's document into its file, recording progress, affected items and any error.
    The worker's entry point (and the request's, for small exports)."""
    job = ExportJob.objects.select_related("consultation").get(pk=job_id)
    if job.status == ExportJob.Status.DONE:
        return job
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, started_at=timezone.now(),
                                               progress_done=0, error="")

    def progress(done, total):
        if done % PROGRESS_EVERY == 0 or done == total:
            ExportJob.objects.filter(pk=job.pk).update(progress_done=done, progress_total=total)

    try:
        items = _job_items(job)
        document = build_document(job.kind, items, job.consultation)
        with tempfile.TemporaryFile() as buffer:
            report = write_export(document, buffer, on_progress=progress)
            buffer.seek(0)
            job.file.save(job.filename, File(buffer), save=False)
    except Exception as exc:  # noqa: BLE001 (recorded on the job for the officer; logged with its traceback)
        logger.exception("Export job %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, finished_at=timezone.now(), error=f"{type(exc).__name__}: {exc}"
        )
        return ExportJob.objects.get(pk=job.pk)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.DONE, file=job.file.name, affected_items=affected_summary(report),
        progress_done=report.entries, progress_total=report.entries, finished_at=timezone.now(),
    )
    return ExportJob.objects.get(pk=job.pk)


# --------------------------------------------------------------------------- sending


def mark_sent(job, by):
    """Record that the job's items were sent: at each item's outside stage ("Exported to the NPF",
    "Sent to Conference"), that stage's advancing outcome, through record_decision. Items already
    sent (or withdrawn) since the export are skipped. Returns (sent references, {reference: why not})."""
    if job.status != ExportJob.Status.DONE:
        raise ExportError("Only a finished export can be marked as sent.")
    sent, not_sent = [], {}
    for item in Item.objects.filter(export_jobs=job).select_related("current_stage", "branch").order_by("pk"):
        stage = item.current_stage
        if item.status != ItemStatus.IN_PROGRESS or stage is None or stage.deciding_body != DecidingBody.OUTSIDE:
            not_sent[item.reference] = f"no longer waiting to be sent ({item.get_status_display().lower()})"
            continue
        outcome = _sending_outcome(stage)
        if outcome is None:
            not_sent[item.reference] = f"“{stage.name}” has no outcome that sends an item on"
            continue
        try:
            record_decision(item, outcome, by, stage=stage, note=f"In Word export #{job.pk}.")
        except DecisionError as exc:
            not_sent[item.reference] = str(exc)
            continue
        sent.append(item.reference)
    if sent:
        ExportJob.objects.filter(pk=job.pk).update(sent_at=timezone.now(), sent_by=by)
        job.refresh_from_db()
        log(job, "li.export.sent", user=by, data={"kind": job.get_kind_display(), "sent": sent, "not_sent": sorted(not_sent)})
    return sent, not_sent


def _sending_outcome(stage):
    advancing = list(stage.advancing_outcomes or [])
    for preferred in ("exported", "sent"):
        if preferred in advancing:
            return preferred
    return advancing[0] if advancing else None


def consultation_by_slug(slug):
    """The consultation, or ExportError naming the known slugs."""
    consultation = Consultation.objects.filter(slug=slug).first()
    if consultation is None:
        known = ", ".join(Consultation.objects.order_by("-year", "slug").values_list("slug", flat=True)) or "none"
        raise ExportError(f"No NPF consultation “{slug}”. Known consultations: {known}.")
    return consultation
