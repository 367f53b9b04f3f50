"""Admin registration of the site app: regions as snippets, the membership list as a ModelViewSet.

SnippetViewSet/ModelViewSet rather than wagtail-modeladmin: modeladmin is in maintenance mode
and its own documentation names these as its successors.
"""

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import MembershipRecord, Region


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "site"
    menu_label = "Regions"
    list_display = ["number", "name", "coordinator"]
    ordering = ["number"]


register_snippet(RegionViewSet)


# The proxy's own permissions (not the users admin's, which it would inherit from Member).
register_permission_policy(MembershipRecord, ModelPermissionPolicy(MembershipRecord), exact_class=True)


class MembershipViewSet(ModelViewSet):
    """The membership list: only staff with the membership-record permissions (membership officer)."""

    model = MembershipRecord
    icon = "group"
    menu_label = "Membership"
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["membership_number", "email", "first_name", "last_name", "branch", "paid_up_until"]
    list_filter = ["branch", "paid_up_until"]
    search_fields = ["membership_number", "email", "first_name", "last_name"]
    form_fields = ["membership_number", "email", "first_name", "last_name", "branch", "paid_up_until", "is_active"]
    ordering = ["membership_number"]
    list_per_page = 50

    def get_queryset(self, request):
        return MembershipRecord.objects.select_related("branch")


@hooks.register("register_admin_viewset")
def register_membership_viewset():
    return MembershipViewSet("membership")
