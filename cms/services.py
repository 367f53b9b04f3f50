"""Business actions of the site app: delegated editing of microsites, the staff role groups.

Wagtail's own permission model does the enforcing (page permissions on a subtree, collection
permissions on a collection); these functions only set the permissions up, in one place.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from .models import MicrositeTeam
from .published_media import published_collection

# What a microsite's team may do on its own subtree (Wagtail page permissions).
MICROSITE_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]
# What it may do with images and documents of its own collection.
MICROSITE_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"), ("wagtailimages", "change_image"), ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"), ("wagtaildocs", "change_document"), ("wagtaildocs", "choose_document"),
]
ALL_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page"]

COMMUNICATIONS_OFFICER_GROUP = "Communications officer"
MEMBERSHIP_OFFICER_GROUP = "Membership officer"


def _permissions(app_label, codenames):
    permissions = list(Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
    if len(permissions) != len(set(codenames)):
        missing = set(codenames) - {p.codename for p in permissions}
        raise LookupError(f"Permissions missing (run migrate): {sorted(missing)}")
    return permissions


def admin_access_permission():
    return _permissions("wagtailadmin", ["access_admin"])[0]


def _collections_root():
    root = Collection.get_first_root_node()
    if root is None:
        root = Collection.add_root(name="Root")
    return root


def _microsites_collection(name):
    """The parent collection of one kind of microsite ("Branches", "Campaigns")."""
    root = _collections_root()
    parent = root.get_children().filter(name=name).first()
    return parent or root.add_child(name=name)


@transaction.atomic
def create_microsite_team(page, group_name, collections_parent):
    """Make the group and collection that edit one microsite, with permissions on it only.

    The group gets Wagtail admin access; add, change and publish on the page and its
    descendants (which also gives it the submissions of form pages there); and add,
    change and choose on images and documents of the microsite's own collection.
    Idempotent: returns the existing team if the page already has one.
    """
    existing = MicrositeTeam.objects.filter(page_id=page.pk).select_related("group", "collection").first()
    if existing:
        return existing
    if Group.objects.filter(name=group_name, microsite_team__isnull=False).exists():
        # Another microsite has the same title (a copied page, a namesake): keep the teams apart.
        group_name = f"{group_name} ({page.slug})"
    group, _ = Group.objects.get_or_create(name=group_name)
    group.permissions.add(admin_access_permission())
    GroupPagePermission.objects.bulk_create(
        [GroupPagePermission(group=group, page_id=page.pk, permission=permission)
         for permission in _permissions("wagtailcore", MICROSITE_PAGE_PERMISSIONS)],
        ignore_conflicts=True,
    )
    parent = _microsites_collection(collections_parent)
    collection = parent.get_children().filter(name=page.title, microsite_team__isnull=True).first()
    if collection is None:
        taken = parent.get_children().filter(name=page.title).exists()
        collection = parent.add_child(name=f"{page.title} ({page.slug})" if taken else page.title)
    GroupCollectionPermission.objects.bulk_create(
        [GroupCollectionPermission(group=group, collection=collection, permission=permission)
         for permission in _collection_permissions(MICROSITE_COLLECTION_PERMISSIONS)],
        ignore_conflicts=True,
    )
    # The team's uploads are private until used by a live page or moved to "Published" (cms/published_media.py).
    published_collection(collection)
    return MicrositeTeam.objects.create(page_id=page.pk, group=group, collection=collection)


def _collection_permissions(pairs):
    permissions = []
    for app_label in {app for app, _ in pairs}:
        permissions += _permissions(app_label, [codename for app, codename in pairs if app == app_label])
    return permissions


def create_branch_team(branch):
    """"<Branch> branch officers": edit the branch's pages, images, documents, nothing else."""
    return create_microsite_team(branch, f"{branch.title} branch officers", "Branches")


def ensure_communications_officer_group():
    """The communications officer edits the whole site: every page, image and document."""
    group, _ = Group.objects.get_or_create(name=COMMUNICATIONS_OFFICER_GROUP)
    group.permissions.add(admin_access_permission())
    root_page = Page.get_first_root_node()
    for permission in _permissions("wagtailcore", ALL_PAGE_PERMISSIONS):
        GroupPagePermission.objects.get_or_create(group=group, page=root_page, permission=permission)
    root_collection = _collections_root()
    pairs = MICROSITE_COLLECTION_PERMISSIONS + [("wagtailimages", "delete_image"), ("wagtaildocs", "delete_document")]
    for permission in _collection_permissions(pairs):
        GroupCollectionPermission.objects.get_or_create(group=group, collection=root_collection, permission=permission)
    group.permissions.add(*_permissions("cms", ["add_region", "change_region", "view_region"]))
    return group


def ensure_membership_officer_group():
    """The membership officer keeps the membership list (and nothing else of the admin)."""
    group, _ = Group.objects.get_or_create(name=MEMBERSHIP_OFFICER_GROUP)
    group.permissions.add(
        admin_access_permission(),
        *_permissions("cms", ["view_membershiprecord", "add_membershiprecord", "change_membershiprecord",
                              "import_members"]),
    )
    return group
