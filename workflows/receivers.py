"""Receivers the workflow engine itself needs (the notification helper has its own)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from cms import cache

from . import services
from .models import Meeting
from .signals import decision_recorded, item_put_on_agenda, item_submitted, item_withdrawn


def stale_what_shows_the_item(sender, item, **kwargs):
    """What the tracker, the feeds, the API and the item's branch page show changed with it: those
    cached pages go stale (cms.cache.item_keys), not the other branches' nor the campaigns'."""
    cache.invalidate(*cache.item_keys(item))


for _signal in (decision_recorded, item_submitted, item_withdrawn, item_put_on_agenda):
    _signal.connect(stale_what_shows_the_item, dispatch_uid=f"public_cache_item_{id(_signal)}")


@receiver(post_save, sender=Meeting, dispatch_uid="workflows_build_agenda_on_meeting_save")
def build_agenda_of_planned_meeting(sender, instance, raw=False, **kwargs):
    """A meeting planned (or moved) in the future gets the items waiting for its body."""
    if raw or instance.starts_at < services.now():
        return
    services.build_agenda(instance)
