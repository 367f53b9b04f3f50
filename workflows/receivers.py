"""Receivers the workflow engine itself needs (the notification helper has its own)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from cms import cache

from . import services
from .models import ItemStatus, Meeting
from .signals import decision_recorded, item_put_on_agenda, item_submitted, item_withdrawn


def stale_what_lists_the_item(sender, item, **kwargs):
    """An item submitted or withdrawn: every listing of items, the feeds, the API and the item's
    branch page changed with it (cms.cache.item_keys), not the other branches' sites nor the campaigns."""
    cache.invalidate(*cache.item_keys(item))


def stale_what_shows_the_decided_item(sender, item, decision=None, **kwargs):
    """An item decided: it keeps its place in the listings, so only what shows it goes stale
    (cms.cache.item_state_keys): its page, the listing pages it is on, those chosen by its stage or
    by the status it left or took (a decision is recorded only on an item in progress), the feeds,
    its branch's pages; not the rest of the tracker, nor other branches. Carried as amended, its
    words changed too: every listing (searches find it or not)."""
    if decision is None or decision.amended_revision_id:
        cache.invalidate(*cache.item_keys(item))
    else:
        cache.invalidate(*cache.item_state_keys(item, left_status=ItemStatus.IN_PROGRESS))


def stale_what_shows_the_item(sender, item, **kwargs):
    """An item put on an agenda: its page and what shows its next meeting (cms.cache.item_state_keys)."""
    cache.invalidate(*cache.item_state_keys(item))


for _signal in (item_submitted, item_withdrawn):
    _signal.connect(stale_what_lists_the_item, dispatch_uid=f"public_cache_item_{id(_signal)}")
decision_recorded.connect(stale_what_shows_the_decided_item, dispatch_uid=f"public_cache_item_{id(decision_recorded)}")
item_put_on_agenda.connect(stale_what_shows_the_item, dispatch_uid=f"public_cache_item_{id(item_put_on_agenda)}")


@receiver(post_save, sender=Meeting, dispatch_uid="workflows_build_agenda_on_meeting_save")
def build_agenda_of_planned_meeting(sender, instance, raw=False, **kwargs):
    """A meeting planned (or moved) in the future gets the items waiting for its body."""
    if raw or instance.starts_at < services.now():
        return
    services.build_agenda(instance)
