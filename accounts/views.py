"""Invitation links (the member's side) and the membership officer's invitation run (the admin's)."""

from allauth.account.utils import perform_login
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cms.models import MembershipRecord

from . import invitations
from .forms import InviteMembersForm


@never_cache
@require_http_methods(["GET", "POST"])
def accept_invitation(request, token):
    """GET: "Welcome, sign in" (mail scanners that open links use nothing up). POST: the link is
    used, the member is signed in (through allauth: two-factor still applies) and welcomed."""
    try:
        invitation = invitations.invitation_for(token)
    except invitations.InvitationError as error:
        return TemplateResponse(request, "accounts/invitation_invalid.html", {"reason": str(error)}, status=410)
    if request.method == "GET":
        return TemplateResponse(request, "accounts/invitation.html", {"invitation": invitation,
                                                                       "member": invitation.member})
    try:
        member = invitations.redeem(token)
    except invitations.InvitationError as error:  # used in another tab a moment ago
        return TemplateResponse(request, "accounts/invitation_invalid.html", {"reason": str(error)}, status=410)
    messages.success(request, "Welcome: you are signed in. Next time, sign in with a code we email you, "
                              "or set a password below.")
    return perform_login(request, member, redirect_url=reverse("account:home"))


def _may_invite(user):
    return user.has_perm("accounts.invite_members")


def invite_members(request):
    """Admin › Membership › Invite members: one branch or all, only the never-invited or everyone,
    or one member (?member=<id>); a summary of who was invited and who already had one on its way."""
    if not _may_invite(request.user):
        raise PermissionDenied
    single = None
    if request.GET.get("member") or request.POST.get("member"):
        single = get_object_or_404(MembershipRecord, pk=request.GET.get("member") or request.POST.get("member"))
    form = InviteMembersForm(request.POST or None)
    if request.method == "POST" and (single is not None or form.is_valid()):
        if single is not None:
            members = invitations.invitable_members(by=request.user).filter(pk=single.pk)
            if not members.exists():
                messages.error(request, f"{single} cannot be invited from here (no email, not on the membership "
                                        "list, or an officer's account).")
                return redirect("membership:index")
        else:
            members = invitations.invitable_members(
                branch=form.cleaned_data["branch"], not_yet_invited=form.cleaned_data["not_yet_invited"],
                by=request.user)
        run = invitations.invite(members, by=request.user)
        messages.success(request, run.summary())
        return redirect("membership:index")
    preview = None
    if single is None:
        data = form.cleaned_data if form.is_bound and form.is_valid() else {"branch": None, "not_yet_invited": True}
        preview = invitations.invitable_members(branch=data["branch"], not_yet_invited=data["not_yet_invited"],
                                                by=request.user).count()
    return TemplateResponse(request, "accounts/admin/invite_members.html", {
        "form": form, "single": single, "preview": preview, "page_title": "Invite members",
        "max_age_days": invitations.max_age().days,
    })


def django_admin_sign_in(request):
    """Django's admin signs in through the site's sign-in too, then goes back where it was going."""
    next_url = request.GET.get("next") or "/django-admin/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = "/django-admin/"
    return redirect(f"{reverse('login')}?{urlencode({'next': next_url})}")
