"""The consultations app's own records: export jobs, each one Word document of what LI sends on.

The NPF consultations, their commissions and the policy submissions themselves are the workflow
engine's (workflows.models: a submission is an item the engine moves, and its draft, submit and
decision rules read the consultation's word limit and deadline).

A job records which items went into the document, how far the worker has got, the file,
which items lost characters a .docx cannot hold, and whether the items were then marked as
sent (through `record_decision`, see `consultations.exports.services.mark_sent`).
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


def export_upload_to(job, filename):
    # Unguessable names: the file is served only through the admin download view.
    return f"exports/{timezone.now():%Y/%m}/{secrets.token_hex(8)}-{filename}"


class ExportJob(models.Model):
    """One Word export: the NPF consultation's ratified submissions, or the motions LI sends to
    Conference. Small exports run in the request; large ones in the django-q2 worker, which
    updates `progress_done` as it goes."""

    class Kind(models.TextChoices):
        NPF = "npf", "NPF consultation"
        CONFERENCE = "conference", "Conference motions"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    consultation = models.ForeignKey(
        "workflows.Consultation", null=True, blank=True, on_delete=models.CASCADE, related_name="export_jobs"
    )
    items = models.ManyToManyField("workflows.Item", related_name="export_jobs")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=export_upload_to, blank=True)
    affected_items = models.JSONField(
        default=list, blank=True,
        help_text="Items that lost characters a .docx cannot hold: [{reference, dropped}].",
    )
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="export_jobs"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "workflows_exportjob"  # made by workflows/0005, before this app existed
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="npf") | models.Q(consultation__isnull=False),
                name="npf_export_has_consultation",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} export #{self.pk} ({self.created_at:%d %b %Y %H:%M} UTC)"

    def get_absolute_url(self):
        return reverse("exports:job", args=[self.pk])

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self):
        if not self.progress_total:
            return 100 if self.status == self.Status.DONE else 0
        return round(100 * self.progress_done / self.progress_total)

    @property
    def filename(self):
        if self.kind == self.Kind.NPF and self.consultation_id:
            return f"LI-NPF-{self.consultation.slug}-{self.created_at:%Y-%m-%d}.docx"
        return f"LI-Conference-motions-{self.created_at:%Y-%m-%d}.docx"
