"""Demo data for the site: regions, the page tree, 20+ real LI branch locations, demo accounts.

Idempotent: every object is looked up by a natural key before it is created.
"""

from datetime import date, timedelta

from django.contrib.auth.models import Group
from wagtail.models import Page, Site

from .models import BranchIndexPage, BranchPage, HomePage, Member, Region

DEMO_PASSWORD = "demo"

REGIONS = [
    (1, "Europe, Africa and the Middle East", "europe-africa-middle-east"),
    (2, "Asia, Australasia and the Pacific", "asia-australasia-pacific"),
    (3, "The Americas", "americas"),
]

# slug, name, region number, country, time zone, meeting pattern
BRANCHES = [
    ("paris", "Paris", 1, "France", "Europe/Paris", "Second Tuesday of the month, 19:30"),
    ("berlin", "Berlin", 1, "Germany", "Europe/Berlin", "First Wednesday of the month, 19:00"),
    ("brussels", "Brussels", 1, "Belgium", "Europe/Brussels", "Third Thursday of the month, 19:00"),
    ("netherlands", "Netherlands", 1, "Netherlands", "Europe/Amsterdam", "Last Monday of the month, 20:00"),
    ("madrid", "Madrid", 1, "Spain", "Europe/Madrid", "First Thursday of the month, 20:00"),
    ("costa-del-sol", "Costa del Sol", 1, "Spain", "Europe/Madrid", "Second Saturday of the month, 11:00"),
    ("lisbon", "Lisbon", 1, "Portugal", "Europe/Lisbon", "Third Tuesday of the month, 19:00"),
    ("italy", "Italy", 1, "Italy", "Europe/Rome", "Fourth Wednesday of the month, 19:00"),
    ("geneva", "Geneva", 1, "Switzerland", "Europe/Zurich", "Second Monday of the month, 19:00"),
    ("zurich", "Zurich", 1, "Switzerland", "Europe/Zurich", "Third Monday of the month, 19:00"),
    ("nordic", "Nordic", 1, "Sweden", "Europe/Stockholm", "First Sunday of the month, 17:00 (online)"),
    ("ireland", "Ireland", 1, "Ireland", "Europe/Dublin", "Second Wednesday of the month, 19:30"),
    ("luxembourg", "Luxembourg", 1, "Luxembourg", "Europe/Luxembourg", "Last Thursday of the month, 19:00"),
    ("vienna", "Vienna", 1, "Austria", "Europe/Vienna", "First Tuesday of the month, 19:00"),
    ("east-africa", "East Africa", 1, "Kenya", "Africa/Nairobi", "Last Saturday of the month, 15:00 (online)"),
    ("sydney", "Sydney", 2, "Australia", "Australia/Sydney", "Second Sunday of the month, 14:00"),
    ("melbourne", "Melbourne", 2, "Australia", "Australia/Melbourne", "Third Sunday of the month, 14:00"),
    ("new-zealand", "New Zealand", 2, "New Zealand", "Pacific/Auckland", "First Saturday of the month, 10:00"),
    ("hong-kong", "Hong Kong", 2, "Hong Kong", "Asia/Hong_Kong", "Last Friday of the month, 19:30"),
    ("singapore", "Singapore", 2, "Singapore", "Asia/Singapore", "Second Thursday of the month, 19:30"),
    ("new-york", "New York", 3, "United States", "America/New_York", "Third Wednesday of the month, 19:00"),
    ("washington-dc", "Washington DC", 3, "United States", "America/New_York", "Second Tuesday of the month, 19:00"),
    ("california", "California", 3, "United States", "America/Los_Angeles", "First Sunday of the month, 11:00"),
    ("toronto", "Toronto", 3, "Canada", "America/Toronto", "Last Tuesday of the month, 19:00"),
]

# email, first name, last name, role, staff
ACCOUNTS = [
    ("admin@example.org", "Ada", "Admin", None, True),
    ("secretary@example.org", "Sam", "Secretary", "Secretary", True),
    ("policy@example.org", "Priya", "Policy", "Policy officer", True),
    ("membership@example.org", "Morgan", "Membership", "Membership officer", True),
    ("returning@example.org", "Rhys", "Returning", "Returning officer", True),
    ("comms@example.org", "Chris", "Comms", "Communications officer", True),
    ("member@example.org", "Mo", "Member", None, False),
]


def seed_regions():
    regions = {}
    for number, name, slug in REGIONS:
        region, _ = Region.objects.update_or_create(number=number, defaults={"name": name, "slug": slug})
        regions[number] = region
    return regions


def seed_page_tree():
    """Make the HomePage the site root and put a BranchIndexPage at /branches/."""
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        home = root.add_child(instance=HomePage(title="Labour International", slug="home-li", intro=(
            "<p>Labour International is the Labour Party's constituency party for members living "
            "outside the UK: some 3,500 members in branches across three world regions.</p>")))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True,
                            site_name="Labour International")
    elif site.root_page_id != home.id:
        old_root = site.root_page
        site.root_page = home
        site.site_name = "Labour International"
        site.save()
        if old_root.specific_class is Page and old_root.depth == 2:
            old_root.delete()
    index = BranchIndexPage.objects.first()
    if index is None:
        index = home.add_child(instance=BranchIndexPage(title="Branches", slug="branches", intro=(
            "<p>Every LI member belongs to a branch. Find yours below.</p>")))
    return home, index


def seed_branches(index, regions):
    branches = {}
    for slug, name, region_number, country, tz, pattern in BRANCHES:
        branch = BranchPage.objects.filter(slug=slug).first()
        if branch is None:
            branch = index.add_child(instance=BranchPage(
                title=name, slug=slug, region=regions[region_number], country=country, time_zone=tz,
                meeting_pattern=pattern, role_email=f"{slug}@example.org",
                intro=f"Labour International's branch for members in and around {name}.",
            ))
        branches[slug] = branch
    return branches


def seed_accounts(branches):
    paid_up = date.today() + timedelta(days=365)
    number = 100000
    members = {}
    for email, first, last, _role, staff in ACCOUNTS:
        number += 1
        members[email] = upsert_member(email, first, last, f"L{number}", branches["paris"], paid_up,
                                       is_staff=staff, is_superuser=email == "admin@example.org")
    for i, slug in enumerate(branches):
        email = f"officer.{slug}@example.org"
        members[email] = upsert_member(email, branches[slug].title, "Officer", f"L{200000 + i}",
                                       branches[slug], paid_up, is_staff=True)
        group = Group.objects.filter(name=f"{branches[slug].title} branch officers").first()
        if group:
            members[email].groups.add(group)
    return members


def upsert_member(email, first, last, number, branch, paid_up, is_staff=False, is_superuser=False):
    member = Member.objects.filter(email=email).first()
    if member is None:
        member = Member(email=email)
        member.set_password(DEMO_PASSWORD)
    member.first_name, member.last_name = first, last
    member.membership_number = number
    member.branch = branch
    member.paid_up_until = paid_up
    member.is_staff = is_staff
    member.is_superuser = is_superuser
    member.save()
    return member


def seed(stdout):
    regions = seed_regions()
    _home, index = seed_page_tree()
    branches = seed_branches(index, regions)
    seed_accounts(branches)
    stdout.write(f"Site: {len(regions)} regions, {len(branches)} branches, demo accounts.")
