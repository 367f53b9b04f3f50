"""Demo data for the site: regions, the page tree, 20+ real LI branch locations, demo accounts.

The regions, branches, accounts and the branches' news and events are read from fixtures/ (files
an officer can correct); how they become pages and members is written here. Idempotent: every
object is looked up by a natural key before it is created.
"""

import zoneinfo
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from .fixtures import read_rows, read_toml, yes
from .models import BranchIndexPage, BranchOfficer, BranchPage, EventPage, HomePage, Member, NewsPage, Region
from .services import (
    COMMUNICATIONS_OFFICER_GROUP,
    MEMBERSHIP_OFFICER_GROUP,
    ensure_communications_officer_group,
    ensure_membership_officer_group,
)
from .site_url import wagtail_site_address

DEMO_PASSWORD = "demo"

# The demo's tables are files an officer can read and correct (fixtures/README.md).
REGIONS_FILE = "reference/regions.csv"
BRANCHES_FILE = "demo/branches.csv"
ACCOUNTS_FILE = "demo/accounts.csv"
NEWS_AND_EVENTS_FILE = "demo/branch_news_and_events.toml"


def read_regions():
    """The three regions: (number, name, slug)."""
    return [(int(row["number"]), row["name"], row["slug"])
            for row in read_rows(REGIONS_FILE, ["number", "name", "slug"])]


def read_branches():
    """The demo branches: dicts of slug, name, region (a region's slug), country, time_zone, meeting_pattern."""
    return read_rows(BRANCHES_FILE, ["slug", "name", "region", "country", "time_zone", "meeting_pattern"])


def read_accounts():
    """The demo accounts: (email, first name, last name, staff, superuser)."""
    return [(row["email"], row["first_name"], row["last_name"], yes(row["staff"], where=ACCOUNTS_FILE),
             yes(row["superuser"], where=ACCOUNTS_FILE))
            for row in read_rows(ACCOUNTS_FILE, ["email", "first_name", "last_name", "staff", "superuser"])]


def seed_regions():
    made = {}
    for number, name, slug in read_regions():
        region, _ = Region.objects.update_or_create(number=number, defaults={"name": name, "slug": slug})
        made[slug] = region
    return made


# The home page's "How to join", for visitors (officers edit it in the admin).
HOW_TO_JOIN = (
    "<p>Labour International is the Labour Party's constituency party for members who live outside the UK. "
    "Join the Labour Party with your address abroad and you are a member of Labour International, and of the "
    "branch nearest you: come to its meetings, propose motions, vote in our elections.</p>"
    "<p>Already a Labour member and moving abroad? Give the Party your new address and your membership moves "
    "to Labour International.</p>"
)


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
    if not home.how_to_join:
        home.how_to_join = HOW_TO_JOIN
        home.save(update_fields=["how_to_join"])
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
    made = {}
    for row in read_branches():
        slug, name = row["slug"], row["name"]
        branch = BranchPage.objects.filter(slug=slug).first()
        if branch is None:
            branch = BranchPage(
                first_published_at=timezone.now(), last_published_at=timezone.now(),
                title=name, slug=slug, region=regions[row["region"]], country=row["country"],
                time_zone=row["time_zone"], meeting_pattern=row["meeting_pattern"], role_email=f"{slug}@example.org",
                intro=f"Labour International's branch for members in and around {name}.",
                body=branch_body(name),
            )
            branch.officers.add(BranchOfficer(role="Chair", name=f"{name} Chair"))
            branch.officers.add(BranchOfficer(role="Secretary", name=f"{name} Secretary"))
            branch = index.add_child(instance=branch)
        made[slug] = branch
    return made


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


# Event pages older demo data made for branch meetings: the meeting record replaces them.
FORMER_MEETING_EVENT_SLUGS = ("event-1", "event-2")


def seed_branch_content(branches):
    """A few news items and events per branch, relative to today, in the branch's own time zone."""
    today = date.today()
    content = read_toml(NEWS_AND_EVENTS_FILE)
    for offset, branch in enumerate(branches.values()):
        existing = set(Page.objects.child_of(branch).values_list("slug", flat=True))
        zone = zoneinfo.ZoneInfo(branch.time_zone)
        for n, news in enumerate(content["news"]):
            title, days, slug = news["title"], news["days_from_today"], f"news-{n + 1}"
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
        for event in content["event"]:
            slug, title, days = event["slug"], event["title"], event["days_from_today"]
            if slug not in existing:
                day = today + timedelta(days=days + offset % 7)
                starts = timezone.make_aware(datetime.combine(day, time(event["hour"], 0)), zone)
                branch.add_child(instance=EventPage(
                    first_published_at=timezone.now(), last_published_at=timezone.now(),
                    title=f"{branch.title}: {title}", slug=slug, starts_at=starts,
                    ends_at=starts + timedelta(hours=2), time_zone=branch.time_zone,
                    place=event["place"].replace("{branch}", branch.title), online_link=event["online_link"],
                    intro=f"{title} of the {branch.title} branch. All members welcome.",
                ))


def seed_accounts(branches):
    paid_up = date.today() + timedelta(days=365)
    number = 100000
    members = {}
    for email, first, last, staff, superuser in read_accounts():
        number += 1
        members[email] = upsert_member(email, first, last, f"L{number}", branches["paris"], paid_up,
                                       is_staff=staff, is_superuser=superuser)
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
