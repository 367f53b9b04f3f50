"""Admin registration of the site app: regions as snippets; documents kept private until published.
(The membership list, with its sign-in invitations and account rules, is accounts.wagtail_hooks'.)

SnippetViewSet/ModelViewSet rather than wagtail-modeladmin: modeladmin is in maintenance mode
and its own documentation names these as its successors.
"""

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseForbidden
from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import audit
from .models import Region
from .published_media import may_see


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "site"
    menu_label = "Regions"
    list_display = ["number", "name", "coordinator"]
    ordering = ["number"]


register_snippet(RegionViewSet)


@hooks.register("before_serve_document")
def keep_unpublished_documents_private(document, request):
    """/documents/<id>/<name> of a branch's document no live page uses and nobody published: only
    its editors get it; anonymous visitors are asked to log in, others are refused."""
    if may_see(request.user, document):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return HttpResponseForbidden("This document is not published.")


@hooks.register("construct_reports_menu")
def site_history_for_every_officer(request, menu_items):
    """Wagtail shows Reports › Site history only to page editors; the report itself shows each
    user the entries they may see (cms.audit), so every officer with admin access gets it: the
    secretary, the returning officer, the membership officer have no page rights."""
    if not any(item.name == "site-history" for item in menu_items):
        menu_items.append(MenuItem("Site history", reverse("wagtailadmin_reports:site_history"),
                                   name="site-history", icon_name="history", order=1000))


class MemberImported(audit.Message):
    label = "Member imported"

    def format_message(self, log_entry):
        data = log_entry.data
        if data.get("created"):
            return f"Created member #{data.get('member')} from the membership list"
        return f"Updated member #{data.get('member')} from the membership list ({', '.join(data.get('fields', []))})"


@hooks.register("register_log_actions")
def register_member_log_actions(actions):
    """Members' data: logged on the member (Wagtail's ModelLogEntry), so the users with a permission
    on members see it (the membership officer: cms.import_members), labelled by id, never by name."""
    audit.register_actions(actions, {"li.member.erased": ("Member erased", "Erased member #{member}: personal details removed, the democratic record kept"), "li.member.imported": MemberImported})
