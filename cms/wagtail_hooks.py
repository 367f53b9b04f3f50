"""Admin registration of the site app: regions as snippets, the membership list as a ModelViewSet.

SnippetViewSet/ModelViewSet rather than wagtail-modeladmin: modeladmin is in maintenance mode
and its own documentation names these as its successors.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper, Max
from django.urls import reverse
from wagtail import hooks
from wagtail.admin.ui.tables import DateColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton, ListingButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from accounts.addresses import replace_sign_in_address
from accounts.policies import may_edit_account, may_manage_user_accounts, privileged_accounts_q

from .models import MembershipRecord, Region


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "site"
    menu_label = "Regions"
    list_display = ["number", "name", "coordinator"]
    ordering = ["number"]


register_snippet(RegionViewSet)


class MembershipPermissionPolicy(ModelPermissionPolicy):
    """The proxy's own permissions (not the users admin's, which it would inherit from Member), and
    one rule per record: officers', staff and superusers' accounts are changed only by those who may
    manage user accounts (accounts.policies), never by keeping the membership list."""

    def user_has_permission_for_instance(self, user, action, instance):
        if action in ("change", "delete") and not may_edit_account(user, instance):
            return False
        return super().user_has_permission_for_instance(user, action, instance)


register_permission_policy(MembershipRecord, MembershipPermissionPolicy(MembershipRecord), exact_class=True)


class MembershipIndexView(ModelViewSet.index_view_class):
    """Officers' accounts are listed (their membership is the membership officer's business) but
    without an edit link for whoever may not manage user accounts; invitations from the header."""

    def get_base_queryset(self):
        queryset = super().get_base_queryset().annotate(last_invited_at=Max("invitations__created_at"))
        if not may_manage_user_accounts(self.request.user):
            queryset = queryset.annotate(
                locked_for_edit=ExpressionWrapper(privileged_accounts_q(), output_field=BooleanField()))
        return queryset

    def get_edit_url(self, instance):
        if getattr(instance, "locked_for_edit", False):
            return None
        return super().get_edit_url(instance)

    def get_list_more_buttons(self, instance):
        buttons = [button for button in super().get_list_more_buttons(instance)
                   if not (getattr(instance, "locked_for_edit", False) and "/edit/" in (button.url or ""))]
        if self.request.user.has_perm("accounts.invite_members") and not getattr(instance, "locked_for_edit", False):
            buttons.append(ListingButton("Invite to sign in", url=reverse("membership_invite") + f"?member={instance.pk}",
                                         icon_name="mail"))
        return buttons

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm("accounts.invite_members"):
            buttons.append(HeaderButton("Invite members", url=reverse("membership_invite"), icon_name="mail"))
        return buttons


class MembershipEditView(ModelViewSet.edit_view_class):
    def get_object(self, queryset=None):
        instance = super().get_object(queryset)
        if not self.user_has_permission_for_instance("change", instance):
            raise PermissionDenied
        return instance

    def save_instance(self):
        email_changed = "email" in self.form.changed_data
        instance = super().save_instance()
        if email_changed:  # only the new address signs in from now on
            replace_sign_in_address(instance)
        return instance


class MembershipDeleteView(ModelViewSet.delete_view_class):
    def get_object(self, queryset=None):
        instance = super().get_object(queryset)
        if not self.user_has_permission_for_instance("delete", instance):
            raise PermissionDenied
        return instance


def invited_column():
    return DateColumn("last_invited_at", label="Invited", sort_key="last_invited_at")


class MembershipViewSet(ModelViewSet):
    """The membership list: only staff with the membership-record permissions (membership officer)."""

    model = MembershipRecord
    icon = "group"
    menu_label = "Membership"
    menu_order = 250
    add_to_admin_menu = True
    index_view_class = MembershipIndexView
    edit_view_class = MembershipEditView
    delete_view_class = MembershipDeleteView
    list_display = ["membership_number", "email", "first_name", "last_name", "branch", "paid_up_until",
                    invited_column()]
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


@hooks.register("before_serve_document")
def keep_unpublished_documents_private(document, request):
    """/documents/<id>/<name> of a branch's document no live page uses and nobody published: only
    its editors get it; anonymous visitors are asked to log in, others are refused."""
    from django.contrib.auth.views import redirect_to_login
    from django.http import HttpResponseForbidden

    from .published_media import may_see

    if may_see(request.user, document):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return HttpResponseForbidden("This document is not published.")
