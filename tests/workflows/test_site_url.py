"""Links read away from the site (feeds, the API, emails) are on SITE_URL, whatever host the
request came in on (http://localhost behind a proxy, or no request at all in the worker)."""

import io

from cms import demo
from workflows import services

from .conftest import submit_motion

SITE = "https://li.example.net"


def test_feed_links_are_on_site_url(client, people, settings):
    settings.SITE_URL = SITE
    motion = submit_motion(people)
    services.record_decision(motion, "carried", people["paris_officer"], votes_for=5, votes_against=1)
    for url in ("/motions/feeds/decisions/", f"/motions/{motion.reference}/feed/", "/motions/feeds/branches/paris/"):
        feed = client.get(url, HTTP_HOST="localhost").text
        assert f'href="{SITE}/motions/' in feed, url
        assert "localhost" not in feed and "testserver" not in feed, url


def test_motions_api_html_url_is_on_site_url(client, people, settings):
    settings.SITE_URL = SITE
    motion = submit_motion(people)
    listing = client.get("/api/v2/motions/", HTTP_HOST="localhost").json()
    [entry] = listing["items"]
    assert entry["meta"]["html_url"] == f"{SITE}/motions/{motion.reference}/"
    assert entry["meta"]["detail_url"] == f"{SITE}/api/v2/motions/{motion.pk}/"


def test_seed_demo_puts_wagtail_pages_on_site_url(db, settings):
    """The pages API's html_url is the page's full URL, made from the Wagtail Site record."""
    from cms.models import BranchPage

    settings.SITE_URL = SITE
    demo.seed(io.StringIO(), content=False)
    assert BranchPage.objects.get(slug="paris").get_full_url() == f"{SITE}/branches/paris/"
    settings.SITE_URL = "http://127.0.0.1:8103"
    demo.seed(io.StringIO(), content=False)  # seeding again follows a changed SITE_URL
    assert BranchPage.objects.get(slug="paris").get_full_url() == "http://127.0.0.1:8103/branches/paris/"
