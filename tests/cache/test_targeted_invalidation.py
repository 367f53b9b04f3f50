"""A change stales, at once, every cached page that shows it, and nothing else: the keys of cms.cache."""

from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.models import CampaignIndexPage, CampaignPage
from cms import cache as public_cache_module
from cms.models import NewsPage, StandardPage
from tests.workflows.conftest import submit_motion
from workflows import services
from workflows.models import Meeting


@pytest.fixture
def site(branches, people, django_capture_on_commit_callbacks):
    """Paris with a motion block, Berlin, a Paris news page and a page listing the news, a Berlin
    page whose call to action points at the Paris news, a campaign, and a submitted Paris motion."""
    paris, berlin = branches["paris"], branches["berlin"]
    with django_capture_on_commit_callbacks(execute=True):
        paris.body = [("branch_motions", {"heading": "Our motions", "count": 5})]
        paris.save_revision().publish()
        news = paris.add_child(instance=NewsPage(title="Paris picnic", slug="picnic"))
        listing = paris.add_child(instance=StandardPage(
            title="Paris news digest", slug="digest", body=[("latest_news", {"heading": "Latest", "count": 5})]))
        pointer = berlin.add_child(instance=StandardPage(
            title="Berlin visits Paris", slug="visit", body=[("call_to_action", {
                "title": "Go to Paris", "text": "", "button_label": "Read", "link": "", "page": news})]))
        home = paris.get_parent().get_parent()
        campaigns = home.add_child(instance=CampaignIndexPage(title="Campaigns", slug="campaigns"))
        campaigns.add_child(instance=CampaignPage(title="Votes for Life", slug="votes-for-life", summary="Votes."))
        motion = submit_motion(people)
    return {"paris": paris, "berlin": berlin, "news": news, "listing": listing, "pointer": pointer,
            "motion": motion}


def warm(client, urls):
    """Fetch each URL until it is served from the cache."""
    for url in urls:
        assert client.get(url).status_code == 200, url
        assert client.get(url)["X-Public-Cache"] == "hit", url


def served(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response["X-Public-Cache"], response.content.decode()


OTHER_SITES = ["/branches/berlin/", "/branches/berlin/visit/", "/campaigns/", "/campaigns/votes-for-life/"]


def test_a_decision_on_a_paris_motion_shows_at_once_wherever_the_motion_shows_and_nowhere_else(
    client, site, people, public_cache, django_capture_on_commit_callbacks
):
    motion = site["motion"]
    showing_it = ["/branches/paris/", "/motions/", "/motions/?branch=paris", f"/motions/{motion.reference}/",
                  "/motions/feeds/decisions/", "/motions/feeds/branches/paris/", f"/motions/{motion.reference}/feed/",
                  "/api/v2/motions/", f"/api/v2/motions/{motion.pk}/"]
    warm(client, showing_it + OTHER_SITES + ["/branches/paris/picnic/"])

    with django_capture_on_commit_callbacks(execute=True):
        services.record_decision(motion, "fell", people["paris_officer"], votes_for=2, votes_against=9)

    for url in showing_it:
        state, body = served(client, url)
        assert state == "miss", url
        assert "Fell" in body or "fell" in body, url
    for url in OTHER_SITES + ["/branches/paris/picnic/"]:
        assert served(client, url)[0] == "hit", url


def test_publishing_a_news_page_stales_it_its_branch_listings_and_the_pages_whose_blocks_show_it(
    client, site, public_cache, django_capture_on_commit_callbacks
):
    news = site["news"]
    showing_it = ["/branches/paris/picnic/", "/branches/paris/", "/branches/paris/digest/",
                  "/branches/berlin/visit/", "/api/v2/pages/", f"/api/v2/pages/{news.pk}/"]
    untouched = ["/branches/berlin/", "/campaigns/", "/campaigns/votes-for-life/", "/motions/",
                 f"/motions/{site['motion'].reference}/", "/api/v2/motions/"]
    warm(client, showing_it + untouched)

    news.title = "Paris summer picnic"
    with django_capture_on_commit_callbacks(execute=True):
        news.save_revision().publish()

    for url in showing_it:
        state, body = served(client, url)
        assert state == "miss", url
    for url in ["/branches/paris/picnic/", "/branches/paris/", "/branches/paris/digest/", "/api/v2/pages/"]:
        assert "Paris summer picnic" in served(client, url)[1], url
    for url in untouched:
        assert served(client, url)[0] == "hit", url


def test_a_paris_meeting_planned_shows_on_the_paris_site_not_on_berlins(
    client, site, public_cache, django_capture_on_commit_callbacks
):
    warm(client, ["/branches/paris/", "/branches/berlin/", "/campaigns/votes-for-life/"])
    with django_capture_on_commit_callbacks(execute=True):
        Meeting.objects.create(body="branch", branch=site["paris"], title="Paris spring meeting",
                               starts_at=timezone.now() + timedelta(days=3))
    state, body = served(client, "/branches/paris/")
    assert state == "miss" and "Paris spring meeting" in body
    assert served(client, "/branches/berlin/")[0] == "hit"
    assert served(client, "/campaigns/votes-for-life/")[0] == "hit"


def test_unpublishing_a_page_removes_it_and_its_listing_entry(client, site, public_cache,
                                                            django_capture_on_commit_callbacks):
    warm(client, ["/branches/paris/picnic/", "/branches/paris/", "/branches/berlin/"])
    with django_capture_on_commit_callbacks(execute=True):
        site["news"].unpublish()
    assert client.get("/branches/paris/picnic/").status_code == 404
    state, body = served(client, "/branches/paris/")
    assert state == "miss" and "Paris picnic" not in body
    assert served(client, "/branches/berlin/")[0] == "hit"


def test_public_pages_tell_the_front_cache_their_keys_and_members_get_private_pages(
    client, site, people, public_cache
):
    response = client.get("/branches/paris/")
    keys = response["xkey"].split()
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert cache_control == {"public", "max-age=0", f"s-maxage={public_cache_module._timeout()}"}
    assert {"all", f"page-{site['paris'].pk}", f"children-{site['paris'].pk}",
            f"branch-items-{site['paris'].pk}", f"branch-meetings-{site['paris'].pk}"} <= set(keys)
    assert f"branch-items-{site['berlin'].pk}" not in keys
    api = client.get(f"/api/v2/motions/{site['motion'].pk}/")
    assert f"item-{site['motion'].pk}" in api["xkey"].split()

    client.force_login(people["member"])
    member_page = client.get("/branches/paris/")
    assert "xkey" not in member_page and "X-Public-Cache" not in member_page
    assert "private" in member_page["Cache-Control"]


def test_a_page_rendered_while_a_change_committed_is_not_kept(client, site, public_cache, monkeypatch):
    """A change committed during the render: the page may show the old state; it is served, not kept."""
    real = public_cache_module.response_keys

    def keys_while_someone_decides(request):
        public_cache_module._invalidate_now(["items"])
        return real(request)

    monkeypatch.setattr(public_cache_module, "response_keys", keys_while_someone_decides)
    first = client.get("/motions/")
    assert "X-Public-Cache" not in first and "no-cache" in first["Cache-Control"]
    monkeypatch.setattr(public_cache_module, "response_keys", real)
    assert client.get("/motions/")["X-Public-Cache"] == "miss"
    assert client.get("/motions/")["X-Public-Cache"] == "hit"


def test_a_change_to_something_else_while_a_page_renders_does_not_stop_it_being_kept(
    client, site, public_cache, monkeypatch
):
    """A decision committed while Berlin's page renders: Berlin's page does not show it, so it is kept
    (every change is logged with its keys), and a meeting night's writes do not leave every page uncached."""
    real = public_cache_module.response_keys

    def keys_while_someone_decides(request):
        public_cache_module._invalidate_now(public_cache_module.item_keys(site["motion"]))
        return real(request)

    monkeypatch.setattr(public_cache_module, "response_keys", keys_while_someone_decides)
    first = client.get("/branches/berlin/")
    assert first["X-Public-Cache"] == "miss" and "public" in first["Cache-Control"]
    motions = client.get("/motions/")  # the tracker shows the decided item: served, not kept
    assert "X-Public-Cache" not in motions and "no-cache" in motions["Cache-Control"]
    monkeypatch.setattr(public_cache_module, "response_keys", real)
    assert client.get("/branches/berlin/")["X-Public-Cache"] == "hit"


def test_a_draft_withdrawn_before_it_had_a_reference_stales_nothing_public_and_does_not_fail(
        client, site, public_cache, people, django_capture_on_commit_callbacks):
    draft = services.create_draft("motion", people["proposer"], title="Not yet", text="<p>A draft.</p>")
    assert draft.reference is None
    warm(client, ["/motions/"])
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_item(draft, people["proposer"])
    draft.refresh_from_db()
    assert draft.status == "withdrawn"
    assert client.get("/motions/").status_code == 200
