"""Invitations: how members from the membership list get their first sign-in."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from notifications.models import OutboxEmail


class InvitationQuerySet(models.QuerySet):
    def open(self, now=None):
        """Not used yet, not expired (its link still signs the member in)."""
        return self.filter(used_at__isnull=True, expires_at__gt=now or timezone.now())

    def on_its_way(self):
        """Its email is not sent yet (queued, being sent, or failed and waiting to be retried)."""
        return self.filter(outbox_email__status__in=[
            OutboxEmail.Status.QUEUED, OutboxEmail.Status.SENDING, OutboxEmail.Status.FAILED])


class Invitation(models.Model):
    """One invitation to sign in, sent by email (through the outbox) to one member: a link that
    signs them in once, before it expires. The link itself is never stored: the outbox row keeps a
    placeholder and the link is made, signed, when the email is sent (accounts.invitations)."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(help_text="The address it was sent to: the link works only while the account "
                                        "still has this address.")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    outbox_email = models.OneToOneField("notifications.OutboxEmail", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="invitation")

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("invite_members", "Can invite members to sign in")]

    def __str__(self):
        return f"Invitation to {self.email} ({self.created_at:%Y-%m-%d})"

    def is_open(self, now=None):
        return self.used_at is None and self.expires_at > (now or timezone.now())
