"""A change to an amendment shows on its motion's page: stale that page too (cms.cache)."""

from cms import cache
from workflows import kinds
from workflows.models import Item
from workflows.signals import decision_recorded, item_put_on_agenda, item_submitted, item_withdrawn, items_joined


def stale_the_amended_item(sender, item, **kwargs):
    amended_id = kinds.amended_item_id(item)
    if amended_id is None:
        return
    amended = Item.objects.filter(pk=amended_id).only("pk", "reference", "branch_id").first()
    if amended is not None:
        cache.invalidate(*cache.item_keys(amended))


def stale_the_sources(sender, item, sources, **kwargs):
    cache.invalidate(*cache.item_keys(item), *[key for source in sources for key in cache.item_keys(source)])


for _signal in (decision_recorded, item_submitted, item_withdrawn, item_put_on_agenda):
    _signal.connect(stale_the_amended_item, dispatch_uid=f"amendments_stale_motion_{id(_signal)}")
items_joined.connect(stale_the_sources, dispatch_uid="amendments_stale_sources")
