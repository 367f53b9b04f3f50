"""Receivers the workflow engine itself needs (the notification helper has its own)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from cms.cache import invalidate_public_pages_on

from . import services
from .models import Meeting
from .signals import decision_recorded, item_put_on_agenda, item_submitted, item_withdrawn

# What the public tracker and the branch pages show changes with these: the public cache is emptied.
invalidate_public_pages_on(decision_recorded, item_submitted, item_withdrawn, item_put_on_agenda)


@receiver(post_save, sender=Meeting, dispatch_uid="workflows_build_agenda_on_meeting_save")
def build_agenda_of_planned_meeting(sender, instance, raw=False, **kwargs):
    """A meeting planned (or moved) in the future gets the items waiting for its body."""
    if raw or instance.starts_at < services.now():
        return
    services.build_agenda(instance)
