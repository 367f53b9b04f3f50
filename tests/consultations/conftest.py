"""Fixtures of the export tests: a consultation with two commissions, and items taken through their
pipeline by the workflow services (ratified by the GC = waiting at the outside stage)."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Page

from cms.models import BranchIndexPage, BranchPage, Region
from workflows import services
from workflows.models import Consultation, PolicyCommission
from workflows.permissions import branch_officers_group_name

from ..conftest import restore_migration_data
from ..workflows.conftest import make_member  # noqa: F401 (also used by the export tests)

PAID_UP = date.today() + timedelta(days=200)

RICH_SUBMISSION = (
    "<h3>Why it matters</h3>"
    "<p>Members abroad need <b>a vote for life</b> and <i>a voice</i>: "
    '<a href="https://example.org/votes">the evidence</a>.</p>'
    "<ul><li>register once<ul><li>online</li></ul></li><li>vote from anywhere</li></ul>"
    "<ol><li>Legislate</li><li>Fund the registration service</li></ol>"
)


@pytest.fixture
def branches(db):
    restore_migration_data()
    region = Region.objects.create(number=1, name="Europe, Africa and the Middle East", slug="europe")
    index = Page.get_first_root_node().add_child(instance=BranchIndexPage(title="Branches", slug="branches"))
    return {
        slug: index.add_child(instance=BranchPage(title=title, slug=slug, region=region, country="X", time_zone=tz))
        for slug, title, tz in (("paris", "Paris", "Europe/Paris"), ("sydney", "Sydney", "Australia/Sydney"))
    }


def grant_admin_access(*group_names):
    """The Wagtail admin is open to these officers' groups (as the role migration grants it)."""
    from django.contrib.auth.models import Permission

    access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for name in group_names:
        Group.objects.get_or_create(name=name)[0].permissions.add(access)


@pytest.fixture
def people(branches):
    paris, sydney = branches["paris"], branches["sydney"]
    grant_admin_access("Policy officer", "Secretary", branch_officers_group_name(paris))
    return {
        "proposer": make_member("proposer@example.org", "L1", paris),
        "seconder": make_member("seconder@example.org", "L2", paris),
        "sydney_proposer": make_member("sydney@example.org", "L3", sydney),
        "sydney_seconder": make_member("sydney2@example.org", "L4", sydney),
        "paris_officer": make_member("officer.paris@example.org", "L5", paris,
                                     groups=[branch_officers_group_name(paris)], is_staff=True),
        "sydney_officer": make_member("officer.sydney@example.org", "L6", sydney,
                                      groups=[branch_officers_group_name(sydney)], is_staff=True),
        "secretary": make_member("secretary@example.org", "L7", paris, groups=["Secretary"], is_staff=True),
        "policy": make_member("policy@example.org", "L8", paris, groups=["Policy officer"], is_staff=True),
        "member": make_member("member@example.org", "L9", sydney),
    }


@pytest.fixture
def consultation(db):
    consultation = Consultation.objects.create(
        slug="npf-2026", year=2026, title="Building a fairer Britain", word_limit=1000,
        closes_at=timezone.now() + timedelta(days=30),
    )
    for name, slug in (("Health and Care", "health-and-care"), ("Britain in the World", "britain-in-the-world")):
        consultation.commissions.add(PolicyCommission.objects.create(name=name, slug=slug))
    return consultation


def submit(people, kind, title, text, *, consultation=None, commission=None, sydney=False):
    proposer = people["sydney_proposer" if sydney else "proposer"]
    seconder = people["sydney_seconder" if sydney else "seconder"]
    extra = {"consultation": consultation, "commission": commission} if consultation else {}
    item = services.create_draft(kind, proposer, title=title, text=text,
                                 seconder_emails=[seconder.email], **extra)
    services.confirm_seconding(item, seconder)
    services.submit_item(item, proposer)
    return item


def ratify(item, people, *, sydney=False, votes=(23, 2, 1)):
    """Carry the item at every stage up to and including the GC: it then waits at the outside stage."""
    officer = people["sydney_officer" if sydney else "paris_officer"]
    while item.current_stage.deciding_body != "outside":
        body = item.current_stage.deciding_body
        by = {"branch_meeting": officer, "policy_officer": people["policy"]}.get(body, people["secretary"])
        counts = {}
        if item.current_stage.takes_votes:
            counts = {"votes_for": votes[0], "votes_against": votes[1], "abstentions": votes[2]}
        services.record_decision(item, "carried", by, **counts)
        item.refresh_from_db()
    return item


@pytest.fixture
def ratified(people, consultation):
    """Three ratified submissions (two commissions, two branches), one still at the policy officer,
    and a ratified motion."""
    health = consultation.commissions.get(slug="health-and-care")
    world = consultation.commissions.get(slug="britain-in-the-world")
    items = {
        "votes": ratify(submit(people, "policy_submission", "Votes for life", RICH_SUBMISSION,
                               consultation=consultation, commission=world), people),
        "care": ratify(submit(people, "policy_submission", "Care for returning citizens", "<p>Care.</p>",
                              consultation=consultation, commission=health, sydney=True), people, sydney=True,
                       votes=(30, 0, 0)),
        "trade": ratify(submit(people, "policy_submission", "Fair trade", "<p>Trade.</p>",
                               consultation=consultation, commission=world), people, votes=(18, 5, 3)),
    }
    pending = submit(people, "policy_submission", "Not yet", "<p>Waiting.</p>", consultation=consultation,
                     commission=health)
    services.record_decision(pending, "carried", people["paris_officer"], votes_for=5, votes_against=0, abstentions=0)
    items["pending"] = pending
    items["motion"] = ratify(submit(people, "motion", "Votes for Life now", RICH_SUBMISSION), people)
    return items
