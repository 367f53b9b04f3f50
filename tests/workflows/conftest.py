"""Fixtures of the workflow tests: two branches, their officers, the officers of LI, members."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page

from cms.models import BranchIndexPage, BranchPage, Member, Region
from workflows import services
from workflows.models import Consultation, PolicyCommission
from workflows.permissions import branch_officers_group_name

from ..conftest import restore_migration_data

PAID_UP = date.today() + timedelta(days=200)


def make_member(email, number, branch=None, paid_up=PAID_UP, groups=(), **extra):
    member = Member.objects.create_user(
        email=email, password="demo", membership_number=number, branch=branch, paid_up_until=paid_up,
        first_name=email.split("@")[0].split(".")[0].title(), last_name="Tester", **extra,
    )
    for name in groups:
        member.groups.add(Group.objects.get_or_create(name=name)[0])
    return member


@pytest.fixture
def branches(db):
    restore_migration_data()  # a transactional test run before may have flushed what migrations made
    region = Region.objects.create(number=1, name="Europe, Africa and the Middle East", slug="europe")
    root = Page.get_first_root_node()
    index = root.add_child(instance=BranchIndexPage(title="Branches", slug="branches"))
    made = {}
    for slug, title, tz in (("paris", "Paris", "Europe/Paris"), ("berlin", "Berlin", "Europe/Berlin")):
        made[slug] = index.add_child(instance=BranchPage(title=title, slug=slug, region=region, country="X",
                                                         time_zone=tz))
    return made


@pytest.fixture
def people(branches):
    paris, berlin = branches["paris"], branches["berlin"]
    return {
        "proposer": make_member("proposer@example.org", "L1", paris),
        "seconder": make_member("seconder@example.org", "L2", paris),
        "lapsed": make_member("lapsed@example.org", "L3", paris, paid_up=date.today() - timedelta(days=1)),
        "paris_officer": make_member("officer.paris@example.org", "L4", paris,
                                     groups=[branch_officers_group_name(paris)], is_staff=True),
        "berlin_officer": make_member("officer.berlin@example.org", "L5", berlin,
                                      groups=[branch_officers_group_name(berlin)], is_staff=True),
        "secretary": make_member("secretary@example.org", "L6", paris, groups=["Secretary"], is_staff=True),
        "policy": make_member("policy@example.org", "L7", paris, groups=["Policy officer"], is_staff=True),
        "member": make_member("member@example.org", "L8", berlin),
    }


@pytest.fixture
def submitted_motion(people):
    """A Paris motion, seconded and submitted: waiting at the branch meeting stage."""
    return submit_motion(people)


def submit_motion(people, title="Votes for Life now", text="<p>This branch calls for Votes for Life.</p>"):
    motion = services.create_draft("motion", people["proposer"], title=title, text=text,
                                   seconder_emails=[people["seconder"].email])
    services.confirm_seconding(motion, people["seconder"])
    services.submit_item(motion, people["proposer"])
    return motion


@pytest.fixture
def consultation(db):
    from django.utils import timezone

    health = PolicyCommission.objects.create(name="Health and Care", slug="health-and-care")
    consultation = Consultation.objects.create(
        slug="npf-2026", year=2026, title="NPF consultation 2026", word_limit=20,
        closes_at=timezone.now() + timedelta(days=30),
    )
    consultation.commissions.add(health)
    return consultation
