"""Admin registration of the NPF and Conference exports: URLs and a menu item
for the policy officer and the secretary."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cms import audit

from .exports import admin_views
from .exports.services import may_export
from .models import ExportJob

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


def exports_audited_for(user):
    """The export jobs whose audit entries `user` sees: those of the kinds they may export."""
    return ExportJob.objects.filter(kind__in=[kind for kind in ExportJob.Kind if may_export(user, kind)])


class ExportMade(audit.Message):
    label = "Export made"

    def format_message(self, log_entry):
        data = log_entry.data
        count = data.get("items") or 0
        return f"Exported {count} item{'' if count == 1 else 's'} to Word ({data.get('kind')})"


class ExportSent(audit.Message):
    label = "Export marked sent"

    def format_message(self, log_entry):
        data = log_entry.data
        text = f"Marked sent ({data.get('kind')}): {', '.join(data.get('sent', []))}"
        if data.get("not_sent"):
            text += f" (not sent: {', '.join(data['not_sent'])})"
        return text


@hooks.register("register_log_actions")
def register_export_log_actions(actions):
    """Word exports in the audit log, seen by those who may make them (the policy officer; the
    secretary for Conference). Each item sent is also logged as a decision on it (workflows)."""
    audit.register_audited(actions, ExportJob, exports_audited_for)
    audit.register_actions(actions, {"li.export.made": ExportMade, "li.export.sent": ExportSent})
