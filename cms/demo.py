"""Demo data for the site: regions, the page tree, 20+ real LI branch locations, demo accounts.

Idempotent: every object is looked up by a natural key before it is created.
"""

import zoneinfo
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from .models import BranchIndexPage, BranchOfficer, BranchPage, EventPage, HomePage, Member, NewsPage, Region
from .services import (
    COMMUNICATIONS_OFFICER_GROUP,
    MEMBERSHIP_OFFICER_GROUP,
    ensure_communications_officer_group,
    ensure_membership_officer_group,
)
from .site_url import wagtail_site_address

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
    if root is None:
        # A flushed database (transactional tests) lost what Wagtail's migrations made.
        Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
        root = Page.add_root(instance=Page(title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page)))
    home = HomePage.objects.first()
    if home is None:
        home = root.add_child(instance=HomePage(title="Labour International", slug="home-li", intro=(
            "<p>Labour International is the Labour Party's constituency party for members living "
            "outside the UK: some 3,500 members in branches across three world regions.</p>")))
    site = Site.objects.filter(is_default_site=True).first()
    hostname, port = wagtail_site_address()  # page URLs (the pages API's html_url) on SITE_URL
    if site is None:
        site = Site.objects.create(hostname=hostname, port=port, root_page=home, is_default_site=True,
                                   site_name="Labour International")
    # Both can be needed on a fresh database (Wagtail's welcome site is on localhost:80): the
    # address and the root are set independently.
    if (site.hostname, site.port) != (hostname, port):
        site.hostname, site.port = hostname, port
        site.save(update_fields=["hostname", "port"])
    if site.root_page_id != home.id:
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
            branch = BranchPage(
                first_published_at=timezone.now(), last_published_at=timezone.now(),
                title=name, slug=slug, region=regions[region_number], country=country, time_zone=tz,
                meeting_pattern=pattern, role_email=f"{slug}@example.org",
                intro=f"Labour International's branch for members in and around {name}.",
                body=branch_body(name),
            )
            branch.officers.add(BranchOfficer(role="Chair", name=f"{name} Chair"))
            branch.officers.add(BranchOfficer(role="Secretary", name=f"{name} Secretary"))
            branch = index.add_child(instance=branch)
        branches[slug] = branch
    return branches


def branch_body(name):
    """The blocks a new branch site starts with: a welcome, its events, its news, its motions."""
    return [
        ("heading", f"Welcome to Labour International {name}"),
        ("rich_text", f"<p>We meet regularly, online and in person. Every Labour member living in "
                      f"and around {name} is welcome: come to a meeting, bring a friend.</p>"),
        ("call_to_action", {"title": "Not a member yet?", "text": "Members abroad join Labour International.",
                            "button_label": "How to join", "link": "https://example.org/join", "page": None}),
        ("branch_motions", {"heading": "Motions from this branch", "count": 5}),
    ]


# title, days from today (news) ; the same three stories in every branch, dated differently
NEWS = [
    ("Report from our last branch meeting", -3),
    ("Registering to vote from abroad: a reminder", -17),
    ("Welcome to our new members", -40),
]
# slug, title, days from today, local hour, place, online: one past and two upcoming per branch.
# Branch meetings are not events: they are the Meeting records officers schedule (workflows), shown
# on the branch site and feed from there. The slugs event-1 and event-2 are not reused: older demo
# data gave them to branch-meeting events (FORMER_MEETING_EVENT_SLUGS, removed below).
EVENTS = [
    ("event-4", "Phone bank for the overseas voter campaign", -12, 19, "", "https://meet.example.org/phone-bank"),
    ("event-5", "Policy discussion: our submission to the National Policy Forum", 9, 19,
     "Upstairs room, Café de la Gare", "https://meet.example.org/policy"),
    ("event-3", "Social and new members' welcome", 23, 18, "", "https://meet.example.org/social"),
]
# Event pages older demo data made for branch meetings: the meeting record replaces them.
FORMER_MEETING_EVENT_SLUGS = ("event-1", "event-2")


def seed_branch_content(branches):
    """A few news items and events per branch, relative to today, in the branch's own time zone."""
    today = date.today()
    for offset, branch in enumerate(branches.values()):
        existing = set(Page.objects.child_of(branch).values_list("slug", flat=True))
        zone = zoneinfo.ZoneInfo(branch.time_zone)
        for n, (title, days) in enumerate(NEWS):
            slug = f"news-{n + 1}"
            if slug not in existing:
                branch.add_child(instance=NewsPage(
                    first_published_at=timezone.now(), last_published_at=timezone.now(),
                    title=title, slug=slug, date=today + timedelta(days=days - offset % 5),
                    intro=f"News from {branch.title}: {title.lower()}.",
                    body=[("rich_text", f"<p>{title}. Members of the {branch.title} branch met and "
                                        "discussed the campaign ahead.</p>")],
                ))
        for page in Page.objects.child_of(branch).filter(slug__in=FORMER_MEETING_EVENT_SLUGS,
                                                        title__endswith=": Branch meeting"):
            page.delete()
        for slug, title, days, hour, place, online in EVENTS:
            if slug not in existing:
                day = today + timedelta(days=days + offset % 7)
                starts = timezone.make_aware(datetime.combine(day, time(hour, 0)), zone)
                branch.add_child(instance=EventPage(
                    first_published_at=timezone.now(), last_published_at=timezone.now(),
                    title=f"{branch.title}: {title}", slug=slug, starts_at=starts,
                    ends_at=starts + timedelta(hours=2), time_zone=branch.time_zone,
                    place=place.replace("Café de la Gare", f"{branch.title} Labour café") if place else "",
                    online_link=online, intro=f"{title} of the {branch.title} branch. All members welcome.",
                ))


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
    members["comms@example.org"].groups.add(Group.objects.get(name=COMMUNICATIONS_OFFICER_GROUP))
    members["membership@example.org"].groups.add(Group.objects.get(name=MEMBERSHIP_OFFICER_GROUP))
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


def seed(stdout, content=True):
    """The site's demo data. `content=False` leaves out branch news and events (faster, for tests)."""
    regions = seed_regions()
    _home, index = seed_page_tree()
    ensure_communications_officer_group()
    ensure_membership_officer_group()
    branches = seed_branches(index, regions)
    seed_accounts(branches)
    if content:
        seed_branch_content(branches)
    stdout.write(f"Site: {len(regions)} regions, {len(branches)} branches with news and events, demo accounts.")
