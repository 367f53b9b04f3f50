"""Who holds which power over accounts: the one place for these rules.

- An account with *admin access* (staff, superuser, or any group or permission that opens the
  Wagtail admin) is an officer's account: in production it needs two-factor authentication.
- A *privileged* account has admin access or belongs to any group (every group on this site is
  an officer role or a microsite team). Only those who may manage user accounts (Wagtail's user
  management permission) change it; the membership officer keeps everybody else's record.
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q


def has_admin_access(user):
    """Can open the Wagtail admin or Django's admin."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or user.is_staff or user.has_perm("wagtailadmin.access_admin")


def user_management_permission():
    """Wagtail's permission to manage users ("cms.change_member" for this project's Member)."""
    opts = get_user_model()._meta
    return f"{opts.app_label}.change_{opts.model_name}"


def may_manage_user_accounts(user):
    return getattr(user, "is_authenticated", False) and user.has_perm(user_management_permission())


def privileged_accounts_q():
    """A filter (on the member model) of privileged accounts, in one query."""
    Member = get_user_model()
    in_a_group = Exists(Member.groups.through.objects.filter(**{f"{Member._meta.model_name}_id": OuterRef("pk")}))
    own_permission = Exists(
        Member.user_permissions.through.objects.filter(**{f"{Member._meta.model_name}_id": OuterRef("pk")})
    )
    return Q(is_staff=True) | Q(is_superuser=True) | Q(in_a_group) | Q(own_permission)


def is_privileged_account(member):
    if member.is_staff or member.is_superuser:
        return True
    if member.pk is None:
        return False
    return member.groups.exists() or member.user_permissions.exists()


def may_edit_account(user, member):
    """May `user` change `member`'s record (email, active flag…)? Privileged accounts only by
    those who may manage user accounts; others by whoever holds the record's change permission
    (checked by the caller's permission policy)."""
    if not is_privileged_account(member):
        return True
    return may_manage_user_accounts(user)

