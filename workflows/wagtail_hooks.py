"""The workflow engine in the Wagtail admin: items (read-only, with their history and the
decision form), pipelines (editable, no code), meetings (with the decision screen),
consultations and commissions; and the "Waiting for your decision" dashboard panel."""

from datetime import timedelta

from django.urls import include, path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from cms import audit
from cms.spreadsheets import FormulaSafeSpreadsheetMixin

from . import admin_views, permissions
from .filters import ItemAdminFilterSet
from .forms import PipelineAdminForm
from .models import Consultation, Item, Meeting, Pipeline, PolicyCommission


class ItemAdminPermissionPolicy(ModelPermissionPolicy):
    """Items are never added, edited or deleted in the admin (members draft them on the site;
    decisions go through the service). Any officer may view the items they have a say on."""

    def user_has_permission(self, user, action):
        return action == "view" and permissions.is_workflow_officer(user)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and permissions.is_workflow_officer(user)


register_permission_policy(Item, ItemAdminPermissionPolicy(Item), exact_class=True)


class ItemIndexView(FormulaSafeSpreadsheetMixin, ModelViewSet.index_view_class):
    def get_base_queryset(self):
        return permissions.items_visible_in_admin(self.request.user).for_listing()


class ItemViewSet(ModelViewSet):
    model = Item
    icon = "tasks"
    menu_label = "Items"
    add_to_admin_menu = False
    name = "items"
    index_view_class = ItemIndexView
    inspect_view_enabled = True
    inspect_view_class = admin_views.ItemInspectView
    copy_view_enabled = False
    # The tracker's and the API's filters (workflows.filters), their word search included: no second search box.
    filterset_class = ItemAdminFilterSet
    list_display = ["__str__", "kind", "status", "current_stage", "branch", "submitted_at"]
    list_export = ["reference", "get_kind_display", "title", "get_status_display", "current_stage", "branch",
                   "proposer", "submitted_at", "updated_at"]
    export_headings = {"get_kind_display": "Kind", "get_status_display": "Status", "current_stage": "Stage"}
    export_filename = "items"
    list_per_page = 50
    # Never offered (the permission policy refuses add/change), but the viewset builds its views.
    form_fields = ["title"]


class PipelineViewSet(ModelViewSet):
    model = Pipeline
    icon = "list-ol"
    add_to_admin_menu = False
    copy_view_enabled = False
    edit_handler = ObjectList(Pipeline.panels, base_form_class=PipelineAdminForm)
    list_display = ["name", "kind", "is_default"]
    search_fields = ["name"]
    search_backend_name = None


class MeetingIndexView(FormulaSafeSpreadsheetMixin, ModelViewSet.index_view_class):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("branch", "steering_group")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if permissions.can_run_meeting(self.request.user, instance):
            buttons.append(Button("Record decisions", url=reverse("workflows_admin:meeting_decisions",
                                                                  args=[instance.pk]), icon_name="tasks"))
        return buttons


class MeetingViewSet(ModelViewSet):
    model = Meeting
    icon = "date"
    add_to_admin_menu = False
    copy_view_enabled = False
    index_view_class = MeetingIndexView
    list_display = ["title", "body", "branch", "when", "minutes_status"]
    list_filter = ["body", "minutes_status"]
    search_fields = ["title"]
    search_backend_name = None
    list_export = ["title", "get_body_display", "branch", "steering_group", "when", "time_zone",
                   "get_minutes_status_display"]
    export_headings = {"when": "When (UK time, and the place's time)", "time_zone": "Time zone of the place"}
    export_filename = "meetings"


class ConsultationViewSet(ModelViewSet):
    model = Consultation
    icon = "doc-full"
    add_to_admin_menu = False
    copy_view_enabled = False
    list_display = ["title", "year", "closes_at", "word_limit", "status"]
    search_fields = ["title"]
    search_backend_name = None


class PolicyCommissionViewSet(ModelViewSet):
    model = PolicyCommission
    icon = "folder-open-inverse"
    add_to_admin_menu = False
    copy_view_enabled = False
    list_display = ["name", "slug"]


class WorkflowViewSetGroup(ViewSetGroup):
    menu_label = "Workflow"
    menu_icon = "tasks"
    menu_order = 250
    items = (ItemViewSet, MeetingViewSet, PipelineViewSet, ConsultationViewSet, PolicyCommissionViewSet)


@hooks.register("register_admin_viewset")
def register_workflow_viewsets():
    return WorkflowViewSetGroup()


@hooks.register("register_admin_urls")
def register_workflow_admin_urls():
    urls = [
        path("meetings/<int:pk>/decisions/", admin_views.meeting_decisions, name="meeting_decisions"),
        path("branch-meetings/", admin_views.branch_meetings, name="branch_meetings"),
        path("branch-meetings/new/", admin_views.branch_meeting_form, name="branch_meeting_add"),
        path("branch-meetings/<int:pk>/edit/", admin_views.branch_meeting_form, name="branch_meeting_edit"),
        path("branch-meetings/<int:pk>/cancel/", admin_views.cancel_branch_meeting, name="branch_meeting_cancel"),
    ]
    return [path("workflow/", include((urls, "workflows_admin"), namespace="workflows_admin"))]


class BranchMeetingsMenuItem(MenuItem):
    """"Branch meetings" in the menu, for branch officers only."""

    def is_shown(self, request):
        return bool(permissions.officer_branch_ids(request.user))


@hooks.register("register_admin_menu_item")
def register_branch_meetings_menu_item():
    return BranchMeetingsMenuItem("Branch meetings", reverse("workflows_admin:branch_meetings"),
                                  icon_name="date", order=251)


class WaitingForDecisionPanel(Component):
    """Dashboard panel: the items waiting for a decision this officer may record."""

    name = "waiting_for_decision"
    order = 50
    template_name = "workflows/admin/waiting_for_decision_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        items = list(
            permissions.deciding_items_for(self.user).select_related("current_stage", "branch")
            .order_by("submitted_at", "pk")[:50]
        )
        recent = timezone.now() - timedelta(days=14)
        meetings = list(
            permissions.meetings_run_by(self.user).filter(starts_at__gte=recent)
            .select_related("branch", "steering_group").order_by("starts_at")[:8]
        )
        return {"items": items, "count": len(items), "meetings": meetings, "request": parent_context.get("request"),
                "schedules_branch_meetings": bool(permissions.officer_branch_ids(self.user))}


@hooks.register("construct_homepage_panels")
def add_waiting_for_decision_panel(request, panels):
    if permissions.is_workflow_officer(request.user):
        panels.append(WaitingForDecisionPanel(request.user))



class DecisionRecorded(audit.Message):
    label = "Decision recorded"

    def format_message(self, log_entry):
        data = log_entry.data
        meeting = f" ({data['meeting']})" if data.get("meeting") else ""
        return (f"Recorded “{data.get('outcome')}” for {data.get('reference')} at {data.get('where')}"
                f"{audit.votes_text(data)}{meeting}")


@hooks.register("register_log_actions")
def register_workflow_log_actions(actions):
    """The engine's actions in the audit log: an item's entries are seen by the officers who see
    the item in the admin, a meeting's by those who run it (workflows.permissions)."""
    audit.register_audited(actions, Item, permissions.items_visible_in_admin)
    audit.register_audited(actions, Meeting, permissions.meetings_run_by)
    audit.register_actions(actions, {
        "li.decision.recorded": DecisionRecorded,
        "li.item.submitted": ("Item submitted", "Submitted {reference} ({status})"),
        "li.item.withdrawn": ("Item withdrawn", "Withdrew {reference} (its proposer)"),
        "li.seconding.confirmed": ("Seconding confirmed", "Confirmed seconding {reference}"),
        "li.seconding.declined": ("Seconding declined", "Declined to second {reference}"),
        "li.agenda.deferred": ("Agenda item deferred", "Deferred {reference} from “{from}” to “{to}”"),
        "li.meeting.minutes_approved": ("Minutes approved", "Approved and published the minutes of “{meeting}”"),
    })
