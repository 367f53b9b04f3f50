"""Elections in the Wagtail admin: the guide's posts (reference data) and each election's
positions, grouped under one menu; the running of an election is on its own pages."""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms import audit

from .models import Election, Office, OfficeHolder
from .policies import is_returning_officer, is_secretary


class OfficeViewSet(SnippetViewSet):
    model = Office
    icon = "list-ol"
    menu_label = "Posts (reference)"
    list_display = ["title", "order", "officer", "job_share_allowed", "restriction"]
    ordering = ["order"]


class ElectionViewSet(SnippetViewSet):
    model = Election
    icon = "tasks"
    menu_label = "Elections"
    list_display = ["title", "phase", "nominations_close", "ballot_close"]
    search_fields = ["title"]


class OfficeHolderViewSet(SnippetViewSet):
    """The register of LIEC officers, kept by the secretary (the returning officer reads it): a
    by-election's count takes the officers in post from here for the posts not up for election."""

    model = OfficeHolder
    icon = "group"
    menu_label = "Register of officers"
    list_display = ["office", Column("display_name", label="Held by"), "held_from", "held_until"]
    list_filter = ["office"]
    search_fields = ["holder_name", "partner_name", "holder__first_name", "holder__last_name",
                     "partner__first_name", "partner__last_name"]
    ordering = ["office__order", "-held_from"]


class ElectionsGroup(SnippetViewSetGroup):
    items = (ElectionViewSet, OfficeHolderViewSet, OfficeViewSet)
    menu_icon = "tasks"
    menu_label = "Elections"
    menu_name = "elections"


register_snippet(ElectionsGroup)


class RunElectionsMenuItem(MenuItem):
    """Shown only to those who run elections: the secretary and the returning officer."""

    def is_shown(self, request):
        return is_secretary(request.user) or is_returning_officer(request.user)


@hooks.register("register_admin_menu_item")
def running_elections_menu_item():
    return RunElectionsMenuItem("Run elections", reverse("elections:list"), icon_name="date", order=900)


class ElectionsToRunPanel(Component):
    """Dashboard panel for the secretary and the returning officer: each election not yet
    published, where it stands, and the page to run it (manage, count, publish)."""

    name = "elections_to_run"
    order = 60
    template_name = "elections/admin/elections_to_run_panel.html"

    def get_context_data(self, parent_context):
        elections = list(Election.objects.filter(published_at__isnull=True).order_by("ballot_close")[:20])
        return {"rows": [(election, election.phase()) for election in elections]}


@hooks.register("construct_homepage_panels")
def add_elections_to_run_panel(request, panels):
    if is_secretary(request.user) or is_returning_officer(request.user):
        panels.append(ElectionsToRunPanel())


def elections_audited_for(user):
    """The elections whose audit entries `user` sees: all of them for those who run elections."""
    if is_secretary(user) or is_returning_officer(user):
        return Election.objects.all()
    return Election.objects.none()


class Counted(audit.Message):
    label = "Ballots counted"

    def format_message(self, log_entry):
        data = log_entry.data
        redraw = f"; lot drawn again: {data['redraw_reason']}" if data.get("redraw_reason") else ""
        return f"Counted {data.get('ballots')} ballots (count #{data.get('count')}){redraw}"


class QuotaDecided(audit.Message):
    label = "Quota replacement decided"

    def format_message(self, log_entry):
        data = log_entry.data
        if data.get("accepted"):
            return f"Accepted the gender-quota replacement at {data.get('position')}"
        return f"Rejected the gender-quota replacement at {data.get('position')}: {data.get('reason')}"


@hooks.register("register_log_actions")
def register_election_log_actions(actions):
    """The elections' actions in the audit log, seen by the secretary and the returning officer."""
    audit.register_audited(actions, Election, elections_audited_for)
    audit.register_actions(actions, {
        "li.election.counted": Counted,
        "li.election.quota_decided": QuotaDecided,
        "li.election.results_published": ("Results published", "Published the results (count #{count})"),
        "li.election.ballot_extended": ("Ballot extended", "Extended the ballot close from {from} to {to} (UK time): {reason}"),
        "li.election.ballots_imported": ("Ballots imported", "Imported {ballots} paper ballots for {position} ({file_name})"),
        "li.election.nomination_withdrawn": ("Nomination withdrawn", "Withdrew nomination #{nomination} ({position})"),
        "li.election.nomination_ruled_invalid": ("Nomination ruled invalid", "Ruled nomination #{nomination} ({position}) invalid: {reason}"),
        "li.election.nominations_closed": ("Nominations closed", "Closed nominations: {valid} valid, {invalid} invalid"),
    })
