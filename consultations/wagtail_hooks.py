"""Admin registration of the NPF and Conference exports: URLs and a menu item
for the policy officer and the secretary."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .exports import admin_views

app_name = "exports"
urlpatterns = [
    path("", admin_views.index, name="index"),
    path("npf/<slug:slug>/", admin_views.choose_npf, name="npf"),
    path("conference/", admin_views.choose_conference, name="conference"),
    path("jobs/<int:pk>/", admin_views.job_detail, name="job"),
    path("jobs/<int:pk>/status/", admin_views.job_status, name="job_status"),
    path("jobs/<int:pk>/download/", admin_views.download, name="download"),
    path("jobs/<int:pk>/sent/", admin_views.mark_sent, name="mark_sent"),
]


class ExportsMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.may_use_exports(request.user)


@hooks.register("register_admin_urls")
def register_export_urls():
    return [path("exports/", include((urlpatterns, app_name), namespace=app_name))]


@hooks.register("register_admin_menu_item")
def register_exports_menu_item():
    return ExportsMenuItem("NPF & Conference exports", reverse("exports:index"), icon_name="doc-full",
                           order=310, name="exports")
