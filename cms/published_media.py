"""Which uploaded documents and images the public may see: ONE rule, used by the document
download view (a `before_serve_document` hook), the media file view (original images and their
renditions, cms/media_views.py) and the API's /api/v2/documents/ and /api/v2/images/.

A file in a branch's or campaign's own collection (`MicrositeTeam.collection`: where an officer's
uploads go) is private until
- a live page uses it (Wagtail's reference index: an image in a news story, a document in a
  campaign's resources; a page's draft does not count), or
- an editor publishes it: moves it into that collection's "Published" sub-collection (the
  collection field of the image's or document's edit form).
Files in any other collection (the communications officer's site-wide ones) are public. A private
file is seen only by those who may edit it (the microsite's team, the communications officer,
superusers): Wagtail's collection permissions.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast
from wagtail.models import Page, ReferenceIndex
from wagtail.permissions import policy_registry

from cms.models import MicrositeTeam

PUBLISHED_COLLECTION_NAME = "Published"


def private_collections():
    """The collections whose files are private until used or published (a queryset of ids)."""
    return MicrositeTeam.objects.values("collection_id")


def _used_by_a_live_page(model):
    live_pages = Page.objects.filter(live=True).annotate(key=Cast("pk", CharField())).values("key")
    return ReferenceIndex.objects.filter(
        to_content_type=ContentType.objects.get_for_model(model),
        to_object_id=Cast(OuterRef("pk"), CharField()),
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id__in=live_pages,
    )


def public(queryset):
    """The documents or images of `queryset` that everybody may see."""
    return queryset.filter(~Q(collection_id__in=private_collections()) | Exists(_used_by_a_live_page(queryset.model)))


def is_public(obj):
    return public(type(obj).objects.filter(pk=obj.pk)).exists()


def may_see(user, obj):
    """Everybody sees a public file; a private one only those who may edit it."""
    return is_public(obj) or may_edit(user, obj)


def may_edit(user, obj):
    """Whether `user` may change this document or image: its microsite's team, the communications
    officer, superusers (and an uploader who may still add to its collection).

    Choosing is not enough to see a private file: Wagtail's own migrations give every group with
    admin access the right to choose files from the root collection (so the secretary, the policy
    officer and the returning officer may choose any file), which says nothing about a branch's
    unpublished uploads."""
    if user is None or not user.is_authenticated:
        return False
    return _permission_policy(obj).user_has_permission_for_instance(user, "change", obj)


def _permission_policy(obj):
    return policy_registry.get_by_type(type(obj))


def published_collection(team_collection):
    """The "Published" sub-collection of a microsite's collection (made when missing)."""
    child = team_collection.get_children().filter(name=PUBLISHED_COLLECTION_NAME).first()
    if child is None:
        child = team_collection.add_child(name=PUBLISHED_COLLECTION_NAME)
    return child


def ensure_published_collections(**kwargs):
    """Every microsite collection has its "Published" sub-collection (after `migrate`: for sites
    made before the rule; new microsites get theirs from cms.services)."""
    if MicrositeTeam._meta.db_table not in connection.introspection.table_names():
        return
    for team in MicrositeTeam.objects.select_related("collection"):
        published_collection(team.collection)
