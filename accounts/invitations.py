"""Inviting members to sign in: the membership officer's action and `invite_members`.

One invitation is one email to one member through the notifications outbox (claimed, sent once,
retried with backoff). Its link signs the member in once, until it expires; it is never stored:
the outbox row keeps the placeholder [[sign-in-url]] and `sign_in_link_for_email` makes the
signed link when the email is sent (officers who read the outbox never see a working link).

Inviting again is safe: nobody gets a second email while one is on its way, and an unused older
link stays valid until it expires or one of the member's links is used.
"""

import zoneinfo
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from notifications import emails as outbox_emails
from notifications.models import OutboxEmail
from notifications.services import enqueue_sending

from .addresses import ensure_sign_in_address
from .models import Invitation
from .policies import may_manage_user_accounts, privileged_accounts_q

OUTBOX_KIND = "invitation"
SALT = "accounts.invitation"
NAME = "[[recipient-name]]"


class InvitationError(Exception):
    """An invitation link that cannot sign anyone in, with the reason for the person who opened it."""


@dataclass
class InvitationRun:
    """What one invitation run did."""

    invited: list = field(default_factory=list)
    already_on_its_way: list = field(default_factory=list)

    def summary(self):
        text = f"{len(self.invited)} member{'s' if len(self.invited) != 1 else ''} invited"
        if self.already_on_its_way:
            text += (f"; {len(self.already_on_its_way)} skipped: their invitation is still on its way "
                     "(see the email outbox)")
        return text + "."


def max_age():
    return timedelta(days=getattr(settings, "INVITATION_MAX_AGE_DAYS", 14))


def invitable_members(*, branch=None, not_yet_invited=False, by=None):
    """Members on the membership list who can be invited: active, with an email and a membership
    number; of one branch; optionally only those never invited. Run by an officer (`by`) who may
    not manage user accounts, officers' and staff accounts are left out (they are not theirs)."""
    members = get_user_model().objects.filter(is_active=True, membership_number__isnull=False).exclude(email="")
    if branch is not None:
        members = members.filter(branch=branch)
    if not_yet_invited:
        members = members.exclude(Exists(Invitation.objects.filter(member=OuterRef("pk"))))
    if by is not None and not may_manage_user_accounts(by):
        members = members.exclude(privileged_accounts_q())
    return members.order_by("pk")


def _uk_time(moment):
    local = timezone.localtime(moment, zoneinfo.ZoneInfo(settings.UK_TIME_ZONE))
    return f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M} UK time"


def _email_parts(expires_at):
    context = {
        "name": NAME, "sign_in_url": outbox_emails.SIGN_IN_LINK, "expires": _uk_time(expires_at),
        "site_url": settings.SITE_URL.rstrip("/"), "login_url": outbox_emails.absolute(reverse("login")),
        "code_url": outbox_emails.absolute(reverse("account_request_login_code")),
    }
    return (
        "Your invitation to sign in to Labour International",
        render_to_string("accounts/emails/invitation.txt", context),
        render_to_string("accounts/emails/invitation.html", context),
    )


def invite(members, *, by=None, now=None):
    """Invite `members` (a queryset or list): one invitation and one outbox email each, sent by the
    worker after commit. Members whose invitation email is still on its way are skipped.
    Two officers inviting at once cannot send anyone two emails: the members' rows are locked."""
    Member = get_user_model()
    now = now or timezone.now()
    expires_at = now + max_age()
    subject, text, html = _email_parts(expires_at)
    run = InvitationRun()
    pks = [member.pk for member in members]
    with transaction.atomic():
        locked = list(Member.objects.select_for_update().filter(pk__in=pks, is_active=True).exclude(email="")
                      .order_by("pk"))
        waiting = set(Invitation.objects.filter(member__in=locked).on_its_way().values_list("member_id", flat=True))
        to_invite = []
        for member in locked:
            (run.already_on_its_way if member.pk in waiting else to_invite).append(member)
        invitations = Invitation.objects.bulk_create(
            [Invitation(member=member, email=member.email, invited_by=by, created_at=now, expires_at=expires_at)
             for member in to_invite], batch_size=500)
        domain = outbox_emails.message_id_domain()
        rows = OutboxEmail.objects.bulk_create([
            OutboxEmail(
                key=f"invitation:{invitation.pk}", kind=OUTBOX_KIND, member=invitation.member,
                to_email=invitation.email, subject=subject,
                body_text=text.replace(NAME, invitation.member.first_name or "member"),
                body_html=html.replace(NAME, escape(invitation.member.first_name or "member")),
                headers={"Message-ID": f"<invitation.{invitation.pk}@{domain}>"},
                created_at=now, next_attempt_at=now,
            ) for invitation in invitations], batch_size=500)
        for invitation, row in zip(invitations, rows, strict=True):
            invitation.outbox_email = row
        Invitation.objects.bulk_update(invitations, ["outbox_email"], batch_size=500)
        outbox_pks = [row.pk for row in rows]
        transaction.on_commit(lambda: enqueue_sending(outbox_pks))
    run.invited = to_invite
    return run


# --------------------------------------------------------------------------- the link


def make_token(invitation):
    return signing.Signer(salt=SALT).sign(str(invitation.pk))


def _invitation_pk(token):
    try:
        value = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        raise InvitationError("This invitation link is not valid: it may have been cut short or changed.") from None
    if not value.isdigit():
        raise InvitationError("This invitation link is not valid.")
    return int(value)


def sign_in_link_for_email(outbox_email):
    """The signed link of the invitation an outbox email carries (made when it is sent)."""
    invitation = Invitation.objects.get(outbox_email=outbox_email)
    return outbox_emails.absolute(reverse("invitations:accept", args=[make_token(invitation)]))


def _check(invitation, now):
    if invitation is None:
        raise InvitationError("This invitation link is not valid.")
    if invitation.used_at is not None:
        raise InvitationError("This invitation link was already used: each link signs you in once.")
    if invitation.expires_at <= now:
        raise InvitationError(f"This invitation link expired on {_uk_time(invitation.expires_at)}.")
    member = invitation.member
    if not member.is_active or member.email.lower() != invitation.email.lower():
        raise InvitationError("This invitation link is no longer valid for this account.")
    return member


def invitation_for(token, now=None):
    """The open invitation of a link, without using it (the page that asks to confirm)."""
    pk = _invitation_pk(token)
    invitation = Invitation.objects.select_related("member").filter(pk=pk).first()
    _check(invitation, now or timezone.now())
    return invitation


def redeem(token, now=None):
    """Use an invitation link: returns the member it signs in. Once only (row lock), and every
    other open link of that member is closed with it; their address counts as verified."""
    now = now or timezone.now()
    pk = _invitation_pk(token)
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().select_related("member").filter(pk=pk).first()
        member = _check(invitation, now)
        Invitation.objects.filter(member=member, used_at__isnull=True).update(used_at=now)
        address = ensure_sign_in_address(member)
        if not address.verified:
            address.verified = True
            address.save(update_fields=["verified"])
    return member
