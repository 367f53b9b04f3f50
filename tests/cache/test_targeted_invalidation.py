"""A change stales, at once, every cached page that shows it, and nothing else: the keys of cms.cache."""

from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.models import CampaignIndexPage, CampaignPage
from cms import cache as public_cache_module
from cms.models import NewsPage, StandardPage
from tests.workflows.conftest import submit_motion
from tracker import selectors as tracker_selectors
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


def test_a_decision_stales_the_listing_pages_that_show_the_item_or_may_gain_or_lose_it_and_no_other(
    client, site, people, public_cache, django_capture_on_commit_callbacks, monkeypatch
):
    """A decision never moves an item in the listings (newest submitted first): the page that shows
    it changes, and the listings chosen by status, stage or words (it may enter or leave them); the
    other pages, other branches' listings and listings it is not in stay cached."""
    monkeypatch.setattr(tracker_selectors, "PER_PAGE", 1)  # one item a page: the older motion is on page 2
    older = site["motion"]
    with django_capture_on_commit_callbacks(execute=True):
        submit_motion(people, title="Housing for all", text="<p>Homes.</p>")
    showing_it = ["/motions/?page=2", "/api/v2/motions/?offset=1", "/motions/?branch=paris&page=2",
                  "/api/v2/motions/?branch=paris&limit=5", "/motions/feeds/decisions/"]
    entering = ["/motions/?status=fell", "/api/v2/motions/?status=fell", "/motions/?q=votes&status=fell"]
    leaving = ["/motions/?status=in_progress", f"/motions/?stage={older.current_stage_id}",
               "/api/v2/motions/?status=in_progress&q=life"]
    not_showing_it = ["/motions/", "/motions/?page=1", "/api/v2/motions/?limit=1", "/motions/?kind=proposal",
                      "/motions/?branch=berlin", "/api/v2/motions/?branch=berlin", "/motions/?year=2001"]
    warm(client, showing_it + entering + leaving + not_showing_it + ["/motions/?branch=paris"])
    assert older.reference not in served(client, "/motions/?status=fell")[1]

    with django_capture_on_commit_callbacks(execute=True):
        services.record_decision(older, "fell", people["paris_officer"], votes_for=2, votes_against=9)

    for url in showing_it + entering:
        state, body = served(client, url)
        assert state == "miss", url
        assert older.reference in body and ("Fell" in body or "fell" in body), url
    for url in leaving:
        state, body = served(client, url)
        assert state == "miss" and older.reference not in body, url
    assert served(client, "/motions/?branch=paris")[0] == "miss"  # any page of its branch's listings (one key)
    for url in not_showing_it:
        assert served(client, url)[0] == "hit", url


def test_a_decision_that_keeps_an_item_in_progress_leaves_other_statuses_and_searches_cached(
    client, site, people, public_cache, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(tracker_selectors, "PER_PAGE", 1)
    older = site["motion"]
    with django_capture_on_commit_callbacks(execute=True):
        submit_motion(people, title="Housing for all", text="<p>Homes.</p>")
    showing_it = ["/motions/?status=in_progress&page=2", "/motions/?q=votes", "/api/v2/motions/?q=life",
                  f"/motions/?stage={older.current_stage_id}"]
    not_showing_it = ["/motions/?status=in_progress", "/motions/?status=fell", "/api/v2/motions/?status=fell",
                      "/motions/?q=homes", "/api/v2/motions/?q=homes"]
    warm(client, showing_it + not_showing_it)
    stage_before = older.current_stage.name

    with django_capture_on_commit_callbacks(execute=True):
        services.record_decision(older, "carried", people["paris_officer"], votes_for=10, votes_against=1)

    older.refresh_from_db()
    assert older.status == "in_progress" and older.current_stage.name != stage_before
    for url in showing_it:
        state, body = served(client, url)
        assert state == "miss", url
    assert older.current_stage.name in served(client, "/motions/?status=in_progress&page=2")[1]
    assert older.reference not in served(client, f"/motions/?stage={older.decisions.get().stage_id}")[1]
    for url in not_showing_it:
        assert served(client, url)[0] == "hit", url


def test_a_submission_moves_every_page_of_the_listings_along_but_not_another_branchs(
    client, site, people, public_cache, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(tracker_selectors, "PER_PAGE", 1)
    first = site["motion"]
    moved = ["/motions/", "/motions/?page=2", "/api/v2/motions/?limit=1", "/api/v2/motions/?offset=1",
             "/motions/?kind=motion", "/motions/?branch=paris", "/motions/?status=in_progress"]
    warm(client, moved + ["/motions/?branch=berlin", "/api/v2/motions/?branch=berlin"])

    with django_capture_on_commit_callbacks(execute=True):
        newer = submit_motion(people, title="Housing for all", text="<p>Homes.</p>")

    for url in moved:
        assert served(client, url)[0] == "miss", url
    assert newer.reference in served(client, "/motions/")[1]
    assert first.reference in served(client, "/motions/?page=2")[1]
    assert served(client, "/motions/?branch=berlin")[0] == "hit"
    assert served(client, "/api/v2/motions/?branch=berlin")[0] == "hit"


def test_publishing_a_news_page_leaves_its_sibling_pages_cached(client, site, public_cache,
                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        site["paris"].add_child(instance=NewsPage(title="Paris AGM", slug="agm"))
    warm(client, ["/branches/paris/", "/branches/paris/picnic/", "/branches/paris/agm/"])
    site["news"].title = "Paris summer picnic"
    with django_capture_on_commit_callbacks(execute=True):
        site["news"].save_revision().publish()
    assert served(client, "/branches/paris/agm/")[0] == "hit"
    state, body = served(client, "/branches/paris/")
    assert state == "miss" and "Paris summer picnic" in body


def test_a_signed_in_member_is_never_served_a_cached_listing(client, site, people, public_cache):
    warm(client, ["/motions/", "/motions/?branch=paris", "/api/v2/motions/"])
    client.force_login(people["member"])
    for url in ["/motions/", "/motions/?branch=paris"]:
        response = client.get(url)
        assert "X-Public-Cache" not in response and "xkey" not in response, url
        assert "private" in response["Cache-Control"], url


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
