"""Fixtures for election tests: paid-up members, the secretary and returning officer, and an
election in each phase, built with the app's own services."""

import itertools
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from elections import services

_numbers = itertools.count(500000)


@pytest.fixture
def make_member(db):
    from cms.models import Member

    def make(first="Alex", last=None, paid_up=True, **extra):
        number = next(_numbers)
        return Member.objects.create_user(
            email=f"m{number}@example.org", password="demo", first_name=first, last_name=last or f"Member{number}",
            membership_number=f"L{number}",
            paid_up_until=date.today() + timedelta(days=200) if paid_up else date.today() - timedelta(days=30),
            **extra,
        )

    return make


def grant(member, codename):
    member.user_permissions.add(Permission.objects.get(codename=codename, content_type__app_label="elections"))
    return type(member).objects.get(pk=member.pk)  # fresh permission cache


@pytest.fixture
def secretary(make_member):
    return grant(make_member("Sam", "Secretary"), "manage_elections")


@pytest.fixture
def returning_officer(make_member):
    return grant(make_member("Rhys", "Returning"), "run_count")


def timetable(phase):
    """Times so that `phase` is now: nominations, closed (before the ballot), ballot or counting."""
    now = timezone.now()
    day = timedelta(days=1)
    offsets = {
        "nominations": (-1, 1, 2, 3),
        "closed": (-3, -1, 1, 2),
        "ballot": (-4, -3, -1, 1),
        "counting": (-5, -4, -3, -1),
    }[phase]
    names = ("nominations_open", "nominations_close", "ballot_open", "ballot_close")
    return {name: now + offset * day for name, offset in zip(names, offsets, strict=True)}


@pytest.fixture
def election(secretary):
    return services.create_election(title="LIEC elections 2026", by=secretary, **timetable("nominations"))


def move_to(election, phase):
    """Shift the timetable so that `phase` is now (milestones already recorded are kept)."""
    type(election).objects.filter(pk=election.pk).update(**timetable(phase))
    election.refresh_from_db()
    return election


def open_the_demo_by_election_ballot():
    """The seeded demo's by-election with its nominations closed by the secretary and its ballot
    open: (the election, its Youth Officer position, that post's valid nominations by name)."""
    from cms.models import Member
    from elections import demo
    from elections.models import Election, Nomination

    secretary = Member.objects.get(email="secretary@example.org")
    election = move_to(Election.objects.get(slug=demo.BY_ELECTION), "closed")
    services.close_nominations(election, by=secretary)
    move_to(election, "ballot")
    election = Election.objects.get(pk=election.pk)
    youth = election.positions.get(key="youth-officer")
    standing = {n.display_name: n for n in Nomination.objects.filter(position=youth, status=Nomination.VALID)}
    return election, youth, standing


def consent_all(nomination, partner_woman=None, now=None):
    """Everyone the nomination names confirms it, as from the emailed links (a job-share
    partner declaring as the post needs)."""
    for role in ("candidate", "partner", "proposer", "seconder"):
        member = getattr(nomination, role)
        if member is not None and not nomination.consented(role):
            nomination = services.confirm_consent(
                nomination, role, by=member, declares_eligible=bool(nomination.position.restriction),
                is_woman=partner_woman if role == "partner" else None, now=now)
    return nomination


@pytest.fixture
def nominate(make_member, secretary):
    """nominate(position_key, candidate=None, woman=False, consented=True, **extra) -> a nomination the
    candidate submitted, confirmed by everyone it names unless consented=False."""
    def make(election, key, candidate=None, woman=False, consented=True, **extra):
        position = election.positions.get(key=key)
        candidate = candidate or make_member()
        extra.setdefault("candidate_declares_eligible", bool(position.restriction))
        partner_woman = extra.pop("partner_is_woman", None)
        nomination = services.submit_nomination(
            position=position, submitted_by=candidate, candidate=candidate, proposer=make_member(),
            seconder=make_member(), statement="I will serve LI with energy.", candidate_is_woman=woman or None, **extra,
        )
        return consent_all(nomination, partner_woman) if consented else nomination

    return make


@pytest.fixture
def paper_voters(db):
    """paper_voters(n, branch=None) -> n paid-up members (made in bulk), as on a paper register."""
    from cms.models import Member

    def make(n, branch=None):
        first = next(_numbers)
        for _ in range(n):
            next(_numbers)
        members = [Member(email=f"paper{first + i}@example.org", first_name="Paper", last_name=f"Voter{first + i}",
                          membership_number=f"P{first + i}", paid_up_until=date.today() + timedelta(days=200),
                          branch=branch)
                   for i in range(n)]
        Member.objects.bulk_create(members, batch_size=2000)
        return list(Member.objects.filter(membership_number__in=[m.membership_number for m in members]))

    return make
