"""The membership officer invites members: one email each through the outbox, a link that signs the
member in once and expires, no second email while one is on its way, officers' accounts left alone."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from accounts.models import Invitation
from cms.models import Member
from notifications.models import OutboxEmail
from tests.workflows.conftest import make_member

from .conftest import last_email_to, links_in


@pytest.fixture
def paris_members(accounts):
    make_member("berliner@example.org", "B1", accounts["berlin"])
    return [make_member(f"paris{n}@example.org", f"P{n}", accounts["paris"])
            for n in range(3)]


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    """`invite_members` with its arguments, and the outbox sent (the worker's task runs inline in tests)."""
    def run(*args):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("invite_members", *args, stdout=open("/dev/null", "w"))
    return run


def invitation_link(address):
    return next(url for url in links_in(last_email_to(address).body) if "/accounts/invitation/" in url)


def test_invite_members_emails_each_member_of_a_branch_once_through_the_outbox(accounts, paris_members, invite):
    mail.outbox.clear()
    invite("--branch", "paris", "--not-yet-invited")
    invited = set(Invitation.objects.values_list("member__email", flat=True))
    assert {m.email for m in paris_members} <= invited
    assert "berliner@example.org" not in invited
    rows = OutboxEmail.objects.filter(kind="invitation")
    assert rows.count() == len(invited) and set(rows.values_list("status", flat=True)) == {"sent"}
    # The outbox (which officers read) never holds a working link; the email sent does.
    assert all("[[sign-in-url]]" in row.body_text and "/accounts/invitation/" not in row.body_text for row in rows)
    message = last_email_to("paris0@example.org")
    assert message.body.startswith("Dear Paris0,") and "/accounts/invitation/" in message.body
    # Running it again with --not-yet-invited invites nobody twice.
    invite("--branch", "paris", "--not-yet-invited")
    assert Invitation.objects.count() == len(invited)


def test_nobody_gets_a_second_email_while_one_is_on_its_way(accounts, paris_members):
    from accounts import invitations

    member = paris_members[0]
    first = invitations.invite([member])
    OutboxEmail.objects.filter(member=member).update(status=OutboxEmail.Status.FAILED)  # waiting for a retry
    again = invitations.invite([member])
    assert first.invited == [member] and again.invited == [] and again.already_on_its_way == [member]
    assert OutboxEmail.objects.filter(member=member, kind="invitation").count() == 1
    OutboxEmail.objects.filter(member=member).update(status=OutboxEmail.Status.SENT)
    assert invitations.invite([member]).invited == [member]  # sent: a new one may go


def test_the_link_signs_the_member_in_once(accounts, paris_members, invite):
    mail.outbox.clear()
    invite("--branch", "paris")
    path = urlsplit(invitation_link("paris1@example.org")).path
    client = Client()
    welcome = client.get(path)
    assert welcome.status_code == 200 and "Welcome, Paris1" in welcome.content.decode()
    assert "_auth_user_id" not in client.session  # opening the link (a mail scanner) uses nothing up
    response = client.post(path)
    assert response.status_code == 302 and response["Location"] == "/account/"
    assert client.session["_auth_user_id"] == str(paris_members[1].pk)
    assert Invitation.objects.get(member=paris_members[1]).used_at is not None
    again = Client().get(path)
    assert again.status_code == 410 and "already used" in again.content.decode()
    assert "Email me a sign-in code" in again.content.decode()


def test_an_expired_or_tampered_link_signs_nobody_in(accounts, paris_members, invite):
    invite("--branch", "paris")
    path = urlsplit(invitation_link("paris2@example.org")).path
    tampered = path[:-3] + ("x" if path[-3] != "x" else "y") + path[-2:]
    assert Client().post(tampered).status_code == 410
    Invitation.objects.filter(member=paris_members[2]).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = Client().post(path)
    assert response.status_code == 410 and "expired" in response.content.decode()


def test_a_link_stops_working_when_the_members_email_changes(accounts, paris_members, invite):
    invite("--branch", "paris")
    path = urlsplit(invitation_link("paris0@example.org")).path
    Member.objects.filter(pk=paris_members[0].pk).update(email="paris0.new@example.org")
    assert Client().post(path).status_code == 410


def test_an_unknown_branch_is_a_clear_error(accounts):
    with pytest.raises(CommandError, match="no branch “atlantis”.*paris"):
        call_command("invite_members", "--branch", "atlantis")


def test_membership_officer_invites_a_branch_from_the_membership_list(client, accounts, paris_members):
    client.force_login(accounts["membership"])
    listing = client.get("/admin/membership/").content.decode()
    assert "Invite members" in listing and f"membership-invitations/?member={paris_members[0].pk}" in listing
    form = client.get("/admin/membership-invitations/").content.decode()
    assert "Only members never invited" in form
    response = client.post("/admin/membership-invitations/", {"branch": accounts["paris"].pk, "not_yet_invited": "on"})
    assert response.status_code == 302
    invited = set(Invitation.objects.values_list("member__email", flat=True))
    assert {m.email for m in paris_members} <= invited
    # Officers' accounts are not theirs: never invited from here.
    assert "officer.paris@example.org" not in invited and "membership@example.org" not in invited
    assert all(i.invited_by_id == accounts["membership"].pk for i in Invitation.objects.all())
    listing = client.get("/admin/membership/").content.decode()
    assert "Invited" in listing


def test_membership_officer_invites_one_member_from_their_row(client, accounts, paris_members):
    client.force_login(accounts["membership"])
    response = client.post("/admin/membership-invitations/", {"member": paris_members[0].pk})
    assert response.status_code == 302
    assert list(Invitation.objects.values_list("member_id", flat=True)) == [paris_members[0].pk]
    client.post("/admin/membership-invitations/", {"member": accounts["paris_officer"].pk})
    assert not Invitation.objects.filter(member=accounts["paris_officer"]).exists()


def test_only_the_membership_officer_invites(client, accounts):
    client.force_login(accounts["paris_officer"])
    assert client.get("/admin/membership-invitations/").status_code in (302, 403)
    assert client.post("/admin/membership-invitations/", {"branch": ""}).status_code in (302, 403)
    assert not Invitation.objects.exists()
