"""Receivers the workflow engine itself needs (the notification helper has its own)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Meeting


@receiver(post_save, sender=Meeting, dispatch_uid="workflows_build_agenda_on_meeting_save")
def build_agenda_of_planned_meeting(sender, instance, raw=False, **kwargs):
    """A meeting planned (or moved) in the future gets the items waiting for its body."""
    from .services import build_agenda, now

    if raw or instance.starts_at < now():
        return
    build_agenda(instance)
