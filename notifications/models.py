"""What members follow, how they want to hear about it, and every email sent to them.

- `Follow`: a member follows one item, one branch or one consultation.
- `NotificationPreference`: each email at once, or one weekly digest; or nothing at all.
- `NotificationEvent`: something followers hear about (an item put on an agenda, a decision).
- `OutboxEmail`: one email to one person, from queued to sent (or failed and retried, or
  given up by an officer). Nothing is sent except through an outbox row, so none is lost.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Follow(models.Model):
    """A member following one item, one branch (all its items) or one NPF consultation (all its
    submissions). Proposers and seconders follow their own items automatically."""

    class Reason(models.TextChoices):
        CHOSEN = "chosen", "Followed"
        PROPOSER = "proposer", "Proposer"
        SECONDER = "seconder", "Seconder"

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    item = models.ForeignKey("workflows.Item", null=True, blank=True, on_delete=models.CASCADE, related_name="follows")
    branch = models.ForeignKey("cms.BranchPage", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="follows")
    consultation = models.ForeignKey("workflows.Consultation", null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="follows")
    reason = models.CharField(max_length=16, choices=Reason.choices, default=Reason.CHOSEN)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="follow_exactly_one_target",
                condition=(
                    Q(item__isnull=False, branch__isnull=True, consultation__isnull=True)
                    | Q(item__isnull=True, branch__isnull=False, consultation__isnull=True)
                    | Q(item__isnull=True, branch__isnull=True, consultation__isnull=False)
                ),
            ),
            models.UniqueConstraint(fields=["member", "item"], condition=Q(item__isnull=False),
                                    name="follow_item_once"),
            models.UniqueConstraint(fields=["member", "branch"], condition=Q(branch__isnull=False),
                                    name="follow_branch_once"),
            models.UniqueConstraint(fields=["member", "consultation"], condition=Q(consultation__isnull=False),
                                    name="follow_consultation_once"),
        ]

    def __str__(self):
        return f"{self.member} follows {self.target}"

    @property
    def target(self):
        return self.item or self.branch or self.consultation

    @property
    def scope(self):
        """The unsubscribe scope of this follow ("item:12", "branch:5", "consultation:2")."""
        if self.item_id:
            return f"item:{self.item_id}"
        if self.branch_id:
            return f"branch:{self.branch_id}"
        return f"consultation:{self.consultation_id}"


class NotificationPreference(models.Model):
    """How a member hears about what they follow: each email at once, or one weekly digest.
    `stopped_at` set: no tracker email at all (the "stop all emails" unsubscribe)."""

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", "An email for each agenda and decision"
        WEEKLY = "weekly", "One weekly digest"

    member = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notification_preference")
    delivery = models.CharField(max_length=16, choices=Delivery.choices, default=Delivery.IMMEDIATE)
    stopped_at = models.DateTimeField(null=True, blank=True, help_text="Set when the member stopped all emails.")
    last_digest_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.member}: {self.get_delivery_display()}"


class NotificationEvent(models.Model):
    """Something followers hear about: an item put on a meeting's agenda, or a decision on it.
    One row per event (the fan-out task is idempotent on it); weekly digests read these."""

    class Kind(models.TextChoices):
        AGENDA = "agenda", "Put on an agenda"
        DECISION = "decision", "Decision recorded"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    item = models.ForeignKey("workflows.Item", on_delete=models.CASCADE, related_name="notification_events")
    decision = models.OneToOneField("workflows.Decision", null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="notification_event")
    agenda_entry = models.OneToOneField("workflows.AgendaEntry", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="notification_event")
    meeting = models.ForeignKey("workflows.Meeting", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.item_id}"


class OutboxEmailQuerySet(models.QuerySet):
    def due(self, now=None):
        """Emails waiting to be (re)tried now."""
        now = now or timezone.now()
        return self.filter(status__in=[OutboxEmail.Status.QUEUED, OutboxEmail.Status.FAILED], next_attempt_at__lte=now)


class OutboxEmail(models.Model):
    """One email to one person. Built by the fan-out task, sent by the sending task: claimed
    atomically (queued/failed → sending) before the backend is called and marked sent in the
    same flow, so it is never sent twice; a failure is recorded with its error and retried
    with backoff until it is sent or an officer gives up on it."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (will retry)"
        GIVEN_UP = "given_up", "Given up"

    class Kind(models.TextChoices):
        AGENDA = "agenda", "Put on an agenda"
        DECISION = "decision", "Decision"
        DIGEST = "digest", "Weekly digest"
        SECONDING = "seconding", "Invitation to second"
        ELECTION = "election", "Election (nomination consent, withdrawal, one post)"
        NEWSLETTER = "newsletter", "Newsletter (and its test sends)"
        REMINDER = "reminder", "Event reminder"
        MOVED_UP = "moved_up", "Place from an event's waiting list"
        BALLOT = "ballot", "Online ballot on a motion (link, reminder, receipt)"

    key = models.CharField(max_length=120, unique=True, help_text="One email per event and recipient.")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    member = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="outbox_emails")
    event = models.ForeignKey(NotificationEvent, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="emails")
    to_email = models.EmailField("to")
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True, editable=False, db_index=True,
                             help_text="Which sending task holds it (set with the claim, atomically).")
    sent_at = models.DateTimeField(null=True, blank=True)
    given_up_at = models.DateTimeField(null=True, blank=True)
    given_up_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    objects = OutboxEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "outbox email"
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_status_next")]

    def __str__(self):
        return f"{self.subject} → {self.to_email}"
