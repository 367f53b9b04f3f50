"""axe-core over every page type of the seeded demo, at a desktop's and a phone's width, for an anonymous
visitor and for a signed-in member: no serious or critical violation anywhere, forms in error included.

One test per person: seeding the whole demo takes a while, so each seeds once and sweeps both widths,
then reports every violation it found at once rather than the first. Each page is also saved as a
full-page PNG at each width (into $SCREENSHOTS_DIR, else a temporary folder) for people to look at.
"""

import io
import os
import re
from pathlib import Path

import pytest

from .conftest import signed_in
from .test_accessibility import WIDTHS, serious_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seeded_demo(demo_site):
    """Everything `python manage.py seed_demo` makes: news, events, campaigns, motions at every stage,
    meetings, consultations, elections."""
    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())


def public_pages():
    """One page of each public type, found in the seeded data (name, path)."""
    from cms.models import EventPage, NewsPage
    from workflows.models import Consultation, Item, Meeting

    paris_news = NewsPage.objects.live().filter(url_path__contains="/paris/").first()
    paris_event = EventPage.objects.live().filter(url_path__contains="/paris/").first()
    motion = Item.objects.filter(kind="motion", status="in_progress").first()
    meeting = Meeting.objects.filter(body="branch").order_by("starts_at").last()
    return [
        ("home", "/"),
        ("branches by region", "/branches/"),
        ("a branch", "/branches/paris/"),
        ("a news page", paris_news.url),
        ("an event page", paris_event.url),
        ("the tracker", "/motions/"),
        ("the tracker, filtered", "/motions/?kind=motion&status=in_progress&branch=paris"),
        ("the tracker, searched", "/motions/?q=vote"),
        ("a motion", f"/motions/{motion.reference}/"),
        ("consultations", "/consultations/"),
        ("a consultation", f"/consultations/{Consultation.objects.first().slug}/"),
        ("a meeting", f"/meetings/{meeting.pk}/"),
        ("campaigns", "/campaigns/"),
        ("a campaign site", "/campaigns/votes-for-life/"),
        ("a campaign update", "/campaigns/votes-for-life/update-1/"),
        ("a campaign sign-up form", "/campaigns/votes-for-life/sign-up/"),
        ("steering groups", "/steering-groups/"),
        ("elections", "/elections/"),
        ("an election", "/elections/liec-by-election-2026/"),
        ("an election's results", "/elections/liec-elections-2025/results/"),
        ("sign-in", "/login/"),
        ("password reset", "/accounts/password/reset/"),
    ]


MEMBER_PAGES = [
    ("my motions", "/my-motions/"),
    ("a draft form", "/my-motions/new/motion/"),
    ("my account", "/account/"),
    ("email preferences", "/motions/notifications/"),
    ("nominations", "/elections/liec-by-election-2026/nominate/"),
    ("a ballot", "/elections/liec-by-election-2026/vote/"),
    ("newsletters archive", "/newsletters/"),
]


@pytest.fixture
def screenshots(tmp_path_factory):
    """The folder the sweep writes its screenshots into."""
    folder = Path(os.environ["SCREENSHOTS_DIR"]) if os.environ.get("SCREENSHOTS_DIR") else \
        tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def sweep(page, base, pages, width_name, shots=None, who=""):
    """Visit each page; the list of what axe finds serious or critical, each line naming page and width.
    With `shots` (a folder), each page is saved there as `<who>-<width>-<name>.png`, the whole page."""
    found = []
    for name, path in pages:
        response = page.goto(f"{base}{path}")
        assert response.ok, f"{name} ({path}) answered {response.status}"
        found += [f"{width_name} {name} ({path}): {v}" for v in serious_violations(page)]
        if shots is not None:
            target = shots / f"{who}-{width_name}-{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}.png"
            page.screenshot(path=str(target), full_page=True)
    return found


def assert_screenshots(shots, who, pages):
    """Every page at both widths was written as a real PNG."""
    for width_name in WIDTHS:
        for name, _path in pages:
            target = shots / f"{who}-{width_name}-{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}.png"
            assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"no screenshot of {name} at {width_name}"


def test_every_public_page_type_has_no_serious_violation_for_a_visitor(live_server, browser, seeded_demo,
                                                                        screenshots):
    pages = public_pages()
    found = []
    for width_name, (width, height) in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.set_default_timeout(15_000)
        found += sweep(page, live_server.url, pages, width_name, screenshots, "visitor")
        # A form in error: sign-in with a wrong password.
        page.goto(f"{live_server.url}/login/")
        form = page.locator("form", has=page.get_by_label("Password", exact=True))
        form.get_by_role("textbox", name="Email", exact=True).fill("member@example.org")
        form.get_by_label("Password", exact=True).fill("not the password")
        form.get_by_role("button", name="Log in", exact=True).click()
        page.get_by_role("alert").first.wait_for()
        found += [f"{width_name} sign-in in error: {v}" for v in serious_violations(page)]
        context.close()
    assert not found, "\n".join(found)
    assert_screenshots(screenshots, "visitor", pages)


def test_every_member_page_type_has_no_serious_violation_for_a_member(live_server, browser, seeded_demo,
                                                                       screenshots):
    pages = public_pages() + MEMBER_PAGES
    found = []
    for width_name, (width, height) in WIDTHS.items():
        page = signed_in(browser, live_server.url, "member@example.org", width=width, height=height)
        found += sweep(page, live_server.url, pages, width_name, screenshots, "member")
        # A form in error: a nomination submitted empty.
        page.goto(f"{live_server.url}/elections/liec-by-election-2026/nominate/")
        page.get_by_role("button", name="Submit the nomination").click()
        page.get_by_role("alert").first.wait_for()
        found += [f"{width_name} nomination in error: {v}" for v in serious_violations(page)]
        # A saved draft: the member's own motion page.
        page.goto(f"{live_server.url}/my-motions/new/motion/")
        page.get_by_label("Title", exact=True).fill(f"Votes for life, at {width_name} width")
        page.get_by_label("Text", exact=True).fill("Every overseas citizen keeps the vote for life.")
        page.get_by_role("button", name="Save the draft").click()
        page.wait_for_url(re.compile(r"/my-motions/\d+/$"))
        found += [f"{width_name} my draft motion: {v}" for v in serious_violations(page)]
        page.context.close()
    assert not found, "\n".join(found)
    assert_screenshots(screenshots, "member", pages)
