"""Wagtail admin screens of the exports: choose what to export, follow a job, download, mark as sent.

Thin: reads come from `selectors`, actions from `services`; `services.may_export` says who may.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from workflows.models import Consultation

from ..models import ExportJob
from . import selectors, services


def _require(request, kind):
    if not services.may_export(request.user, kind):
        raise PermissionDenied


def may_use_exports(user):
    return services.may_export(user, ExportJob.Kind.CONFERENCE)


def index(request):
    """Every consultation with how many submissions are ready, Conference, and the recent jobs."""
    if not may_use_exports(request.user):
        raise PermissionDenied
    may_npf = services.may_export(request.user, ExportJob.Kind.NPF)
    return TemplateResponse(request, "consultations/exports/index.html", {
        "consultations": selectors.consultations_with_ratified_counts() if may_npf else [],
        "may_npf": may_npf,
        "motion_count": selectors.motions_for_conference().count(),
        "jobs": ExportJob.objects.select_related("consultation", "requested_by")[:20],
    })


def _choose(request, kind, items, consultation=None):
    """GET: the ratified items, all ticked. POST: start the export of all, or of the ticked ones."""
    if request.method == "POST":
        references = None if "export_all" in request.POST else request.POST.getlist("reference")
        try:
            job = services.start_export(kind, request.user, consultation=consultation, references=references)
        except services.ExportError as exc:
            messages.error(request, str(exc))
        else:
            _report(request, job)
            return redirect(job.get_absolute_url())
    return TemplateResponse(request, "consultations/exports/choose.html", {
        "kind": kind,
        "consultation": consultation,
        "items": items,
        "title": (f"Export to the NPF: {consultation.title} ({consultation.year})" if consultation
                  else "Export motions to Conference"),
    })


def choose_npf(request, slug):
    _require(request, ExportJob.Kind.NPF)
    consultation = get_object_or_404(Consultation, slug=slug)
    return _choose(request, ExportJob.Kind.NPF, selectors.ratified_submissions(consultation), consultation)


def choose_conference(request):
    _require(request, ExportJob.Kind.CONFERENCE)
    return _choose(request, ExportJob.Kind.CONFERENCE, selectors.motions_for_conference())


def _report(request, job):
    if job.status == ExportJob.Status.DONE:
        messages.success(request, f"The export of {job.progress_total} items is ready to download.")
    elif job.status == ExportJob.Status.FAILED:
        messages.error(request, f"The export failed: {job.error}")
    else:
        messages.info(request, f"{job.progress_total} items: the export runs in the background. This page follows it.")
    if job.affected_items:
        messages.warning(request, "Characters a Word document cannot hold were dropped from: " + "; ".join(
            f"{a['reference']} ({a['dropped']})" for a in job.affected_items
        ))


def _job(request, pk):
    job = get_object_or_404(ExportJob.objects.select_related("consultation", "requested_by", "sent_by"), pk=pk)
    _require(request, job.kind)
    return job


def job_detail(request, pk):
    """A job: its progress (the page refreshes itself while it runs), affected items, download, sending."""
    job = _job(request, pk)
    items = job.items.select_related("branch", "current_stage").order_by("pk")
    return TemplateResponse(request, "consultations/exports/job.html", {
        "job": job,
        "items": items,
        "waiting": [item for item in items if item.current_stage and item.current_stage.deciding_body == "outside"],
        "status_url": reverse("exports:job_status", args=[job.pk]),
    })


def job_status(request, pk):
    """The job's progress as JSON (polled by the job page)."""
    job = _job(request, pk)
    return JsonResponse({
        "status": job.status, "done": job.progress_done, "total": job.progress_total, "percent": job.percent,
        "finished": job.is_finished, "error": job.error,
    })


def download(request, pk):
    job = _job(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404("This export has no file (yet).")
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file of this export is gone.") from None
    return FileResponse(handle, as_attachment=True, filename=job.filename,
                        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


@require_POST
def mark_sent(request, pk):
    job = _job(request, pk)
    try:
        sent, not_sent = services.mark_sent(job, request.user)
    except services.ExportError as exc:
        messages.error(request, str(exc))
        return redirect(job.get_absolute_url())
    where = "the NPF" if job.kind == ExportJob.Kind.NPF else "Conference"
    if sent:
        messages.success(request, f"Recorded as sent to {where}: {', '.join(sent)}.")
    for reference, why in not_sent.items():
        messages.warning(request, f"{reference} not marked as sent: {why}")
    return redirect(job.get_absolute_url())
