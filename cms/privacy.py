"""Data protection: what we hold about a member (their download) and erasure.

`member_data(member)` is everything the site holds about one member, as JSON-ready data: their
profile, the items they proposed or seconded, what they follow, how they hear about it, the
emails sent to them, the nominations they made or are named in, and the campaign sign-ups made
with their email address. Never how they voted: ballots are not linked to voters (the voter
register only says that they voted).

This module holds the profile; each app above it adds what it holds from its AppConfig.ready()
(its `privacy` module): a section of the download with `@member_data_section(name)`, its part of
the erasure with `@on_erasure` (workflows, elections, notifications, campaigns, accounts).

`erase_member(member)` removes the person and keeps the democratic record. Decisions, election
results, items and their texts stay as they are; wherever they named the person they now say
"Former member". Their email, membership number, branch and login go, and so do their address
and name in the campaign sign-ups made with that address; their follows, notification
preferences and the emails queued or sent to them are deleted; every session
ends (the password is made unusable). Members erase themselves from their account page after
confirming with their password; the membership officer runs `manage.py erase_member EMAIL` for
a request made another way.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from wagtail.log_actions import log
from wagtail.users.models import UserProfile

ERASED_FIRST_NAME = "Former"
ERASED_LAST_NAME = "member"

# Registered by the apps above this one: section name -> collect(member); name -> erase(member, email).
_sections = {}
_erasures = {}


def member_data_section(name):
    """Register `collect(member)` as the section `name` of a member's download (JSON-ready data)."""

    def register(collect):
        _sections[name] = collect
        return collect

    return register


def on_erasure(erase):
    """Register `erase(member, email)`: what an app removes of a member when they are erased. It
    runs inside `erase_member`'s transaction, before the member's own details are wiped; `email`
    is the address they had."""
    _erasures[f"{erase.__module__}.{erase.__qualname__}"] = erase
    return erase


def iso(value):
    """A date or time as the download writes it (None stays None)."""
    return value.isoformat() if value else None


def member_data(member):
    """Everything held about `member` (see the module docstring), ready for json.dumps."""
    return {
        "profile": {
            "email": member.email,
            "first_name": member.first_name,
            "last_name": member.last_name,
            "membership_number": member.membership_number,
            "branch": member.branch.title if member.branch_id else None,
            "paid_up_until": iso(member.paid_up_until),
            "date_joined": iso(member.date_joined),
            "last_login": iso(member.last_login),
            "roles": sorted(member.groups.values_list("name", flat=True)),
            "last_home_visit": iso(getattr(_home_visit(member), "seen_at", None)),
        },
        **{name: collect(member) for name, collect in _sections.items()},
    }


def _home_visit(member):
    from .models import HomeVisit

    return HomeVisit.objects.filter(member=member).first()


def erased_email(member):
    return f"former-member-{member.pk}@erased.invalid"


@transaction.atomic
def erase_member(member):
    """Remove the person, keep the record (see the module docstring). Idempotent."""
    Member = get_user_model()
    member = Member.objects.select_for_update().get(pk=member.pk)
    old_email = member.email
    for erase in _erasures.values():
        erase(member, old_email)
    UserProfile.objects.filter(user=member).delete()
    from .models import HomeVisit

    HomeVisit.objects.filter(member=member).delete()
    member.groups.clear()
    member.user_permissions.clear()
    member.first_name, member.last_name = ERASED_FIRST_NAME, ERASED_LAST_NAME
    member.email = erased_email(member)
    member.membership_number = None
    member.branch = None
    member.paid_up_until = None
    member.is_active = member.is_staff = member.is_superuser = False
    member.set_unusable_password()  # also ends every session (their auth hash no longer matches)
    member.save()
    log(member, "li.member.erased", title=f"Member #{member.pk}", data={"member": member.pk})
    return member


def is_erased(member):
    return member.email == erased_email(member)
