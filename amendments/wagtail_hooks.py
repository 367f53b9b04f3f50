"""Amendments in the Wagtail admin: a menu item for officers (texts to settle, agenda packs,
compositing) and their actions in the audit log."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cms import audit
from workflows import permissions

from . import admin_views

app_name = "amendments_admin"
urlpatterns = [
    path("", admin_views.index, name="index"),
    path("settle/<int:pk>/", admin_views.settle, name="settle"),
    path("composite/", admin_views.composite, name="composite"),
    path("meetings/<int:pk>/pack.docx", admin_views.pack, name="pack"),
]


class AmendmentsMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.is_workflow_officer(request.user)


@hooks.register("register_admin_urls")
def register_amendment_urls():
    return [path("amendments/", include((urlpatterns, app_name), namespace=app_name))]


@hooks.register("register_admin_menu_item")
def register_amendments_menu_item():
    return AmendmentsMenuItem("Amendments & packs", reverse("amendments_admin:index"), icon_name="edit",
                              order=305, name="amendments")


@hooks.register("register_log_actions")
def register_amendment_log_actions(actions):
    """Logged on the motion (its entries are seen by those who see the motion in the admin)."""
    audit.register_actions(actions, {
        "li.amendment.tabled": ("Amendment tabled", "Tabled {amendment} to {reference}: {change}"),
        "li.amendment.settled": ("Motion text settled", "Settled the text of {reference} after {amendments}"),
        "li.composite.made": ("Composite made", "Composited {sources} into {reference}"),
    })
