"""What a page shows of following (the tracker's follow buttons): whether the visitor follows a
target, and whether an item is their own. Pages of the apps below (the tracker) load these rather
than their views asking notifications."""

from django import template

from .. import services
from ..models import Follow

register = template.Library()

# The targets a follow button names, as the follow form posts them (kind, key): key is a reference or a slug.
_LOOKUP_OF_KIND = {"item": "item__reference", "branch": "branch__slug", "consultation": "consultation__slug"}


@register.simple_tag(takes_context=True)
def follow_of(context, kind, key):
    """The signed-in visitor's Follow of the item (reference), branch or consultation (slug), or None."""
    user = getattr(context.get("request"), "user", None)
    if not getattr(user, "is_authenticated", False) or kind not in _LOOKUP_OF_KIND:
        return None
    return Follow.objects.filter(member=user, **{_LOOKUP_OF_KIND[kind]: key}).first()


@register.simple_tag(takes_context=True)
def is_own_item(context, item):
    """Is the visitor the item's proposer or a confirmed seconder (they hear about it anyway)?"""
    user = getattr(context.get("request"), "user", None)
    return services.is_own_item(user, item)
