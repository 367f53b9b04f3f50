"""Attendance, quorum and votes in the Wagtail admin: a menu item for officers, the delegates and
quorum rules as snippets the secretary edits, and their actions in the audit log."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms import audit
from workflows import permissions

from . import admin_views
from .models import BodyRule, Delegate

app_name = "participation_admin"
urlpatterns = [
    path("", admin_views.index, name="index"),
    path("delegates/", admin_views.delegates, name="delegates"),
    path("meetings/<int:pk>/", admin_views.meeting, name="meeting"),
    path("ballots/new/<int:pk>/", admin_views.ballot, name="ballot"),
    path("ballots/<int:pk>/close/", admin_views.close_ballot, name="close_ballot"),
]


class VotesMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.is_workflow_officer(request.user)


@hooks.register("register_admin_urls")
def register_participation_urls():
    return [path("participation/", include((urlpatterns, app_name), namespace=app_name))]


@hooks.register("register_admin_menu_item")
def register_votes_menu_item():
    return VotesMenuItem("Meetings & votes", reverse("participation_admin:index"), icon_name="group",
                         order=306, name="participation")


class DelegateViewSet(SnippetViewSet):
    model = Delegate
    icon = "user"
    menu_label = "GC delegates"
    list_display = ["member", "branch", "role", "since", "until"]
    list_filter = ["branch", "role"]
    add_to_admin_menu = False


class BodyRuleViewSet(SnippetViewSet):
    model = BodyRule
    icon = "tick"
    menu_label = "Quorum rules"
    list_display = ["body", "quorum_number", "quorum_percent", "delegates_per_branch"]
    add_to_admin_menu = False


register_snippet(DelegateViewSet)
register_snippet(BodyRuleViewSet)


@hooks.register("register_log_actions")
def register_participation_log_actions(actions):
    audit.register_actions(actions, {
        "li.poll.opened": ("Vote opened", "Opened a {way} on {reference}"),
        "li.poll.closed": ("Vote closed", "Closed the {way} on {reference}: {result} ({votes_for} for, "
                                          "{votes_against} against, {abstentions} abstentions). {note}"),
        "li.poll.close_failed": ("Ballot not closed", "The ballot could not close: {reason}"),
        "li.meeting.checked_in": ("Checked in", "Checked in to {meeting} ({way})"),
        "li.meeting.register": ("Register taken", "Took the register of {meeting}: {in_room} in the room"),
        "li.meeting.inquorate": ("Inquorate", "Recorded {meeting} as inquorate ({present} present, {needed} needed)"),
    })
