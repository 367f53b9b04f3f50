"""The membership list in the Wagtail admin (a ModelViewSet of cms.MembershipRecord) with the account
rules it follows (accounts.policies) and the sign-in invitations it starts; the admin URL of the
membership officer's invitation run (its button is on the membership list)."""

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper, Max
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.ui.tables import DateColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton, ListingButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from cms.models import MembershipRecord

from . import views
from .addresses import replace_sign_in_address
from .policies import may_edit_account, may_manage_user_accounts, privileged_accounts_q


@hooks.register("register_admin_urls")
def register_invitation_urls():
    return [path("membership-invitations/", views.invite_members, name="membership_invite")]


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
