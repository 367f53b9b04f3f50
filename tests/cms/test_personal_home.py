"""The home page is personal: a signed-in member reads what is theirs (their branch's next meeting in
their own time, their motions, what changed in what they follow since their last visit, open ballots
and consultations); a visitor reads LI's news, events and campaigns and how to join, from the cache."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from campaigns.models import CampaignIndexPage, CampaignPage
from cms import times
from cms.models import HomePage, HomeVisit, NewsPage
from elections.models import Election
from notifications import services as notifications
from tests.cms.helpers import add_event, add_news
from tests.hardening.conftest import branches, public_cache  # noqa: F401 (fixtures reused)
from tests.workflows.conftest import make_member, people  # noqa: F401 (fixtures reused)
from workflows import services
from workflows.models import Consultation, Meeting

PARIS_EVENING = datetime(2030, 3, 5, 19, 30, tzinfo=ZoneInfo("Europe/Paris"))  # a Tuesday


def motion(people, title, proposer="proposer", seconder="seconder"):  # noqa: F811
    item = services.create_draft("motion", people[proposer], title=title, text=f"<p>{title}.</p>",
                                 seconder_emails=[people[seconder].email])
    services.confirm_seconding(item, people[seconder])
    services.submit_item(item, people[proposer])
    return item


def home(client, member=None):
    if member is not None:
        client.force_login(member)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def paris_meeting(branches):  # noqa: F811
    return Meeting.objects.create(body="branch", branch=branches["paris"], title="Paris branch meeting",
                                  starts_at=PARIS_EVENING, place="Café de la Paix")


@pytest.fixture
def every_new_visit(monkeypatch):
    """Each opening of the home page is a new visit (no hour to wait in a test)."""
    monkeypatch.setattr("cms.models.SAME_VISIT", timedelta(0))


def test_paris_member_reads_her_branchs_next_meeting_in_her_own_time(client, people, paris_meeting):  # noqa: F811
    page = home(client, people["proposer"])
    assert "Next at Paris" in page and "Paris branch meeting" in page
    assert "Tuesday 5 March 2030, 19:30 (Europe/Paris)" in page and "18:30 Tuesday UK time" in page

    people["proposer"].time_zone = "Australia/Sydney"
    people["proposer"].save()
    page = home(client)
    assert times.your_time_text(PARIS_EVENING, "Europe/Paris", "Australia/Sydney") in page
    assert "05:30 Wednesday your time" in page
    assert "Times are shown in your time zone too (Australia/Sydney)" in page


def test_berlin_member_does_not_see_the_paris_meeting(client, people, paris_meeting):  # noqa: F811
    page = home(client, people["member"])
    assert "Next at Berlin" in page and "No meeting or event is planned at Berlin yet" in page
    assert "Paris branch meeting" not in page


def test_member_sees_her_motion_and_what_she_is_asked_to_second(client, people):  # noqa: F811
    mine = motion(people, "Votes for Life now")
    asked = services.create_draft("motion", people["seconder"], title="Postal votes that arrive",
                                  text="<p>Post.</p>", seconder_emails=[people["proposer"].email])
    page = home(client, people["proposer"])
    assert f"{mine.reference} Votes for Life now" in page and escape(mine.status_sentence) in page
    assert "Postal votes that arrive" in page and "You are asked to second it" in page
    assert f"/my-motions/{asked.pk}/" in page

    page = home(client, people["member"])
    assert "You have no motions yet." in page and "Draft a motion" in page and "/my-motions/new/motion/" in page


def test_a_followed_motions_change_since_the_last_visit_and_not_before(client, people, every_new_visit):  # noqa: F811
    follower = people["member"]
    earlier = motion(people, "Votes for Life now")
    later = motion(people, "Postal votes that arrive")
    notifications.follow(follower, earlier)
    notifications.follow(follower, later)
    services.record_decision(earlier, "carried", people["paris_officer"], votes_for=10, votes_against=2)

    first = home(client, follower)
    assert "from your next visit, what changes in what you follow shows here" in first
    assert HomeVisit.objects.get(member=follower).changes_since is None

    services.record_decision(later, "fell", people["paris_officer"], votes_for=2, votes_against=10)
    page = home(client, follower)
    changes = page[page.index("Since your last visit"):page.index("You follow")]
    assert f"{later.reference} Postal votes that arrive" in changes and "Fell at the branch meeting" in changes
    assert earlier.reference not in changes
    assert f"{earlier.reference} Votes for Life now" in page  # still followed, listed below

    again = home(client, follower)  # nothing new since
    assert "Nothing has changed in what you follow since your last visit." in again


def test_a_reload_within_the_hour_keeps_what_was_new(people):  # noqa: F811
    member, start = people["member"], timezone.now()
    assert HomeVisit.record(member, now=start) is None
    assert HomeVisit.record(member, now=start + timedelta(hours=2)) == start
    assert HomeVisit.record(member, now=start + timedelta(hours=2, minutes=20)) == start  # the same visit
    assert HomeVisit.record(member, now=start + timedelta(hours=4)) == start + timedelta(hours=2, minutes=20)


def test_open_ballot_and_consultation_with_their_deadlines(client, people):  # noqa: F811
    now = timezone.now()
    Election.objects.create(title="LIEC by-election", slug="liec-by-election", nominations_open=now - timedelta(days=20),
                            nominations_close=now - timedelta(days=10), ballot_open=now - timedelta(days=1),
                            ballot_close=now + timedelta(days=3), nominations_decided_at=now - timedelta(days=9))
    Election.objects.create(title="Future election", slug="future", nominations_open=now + timedelta(days=1),
                            nominations_close=now + timedelta(days=10), ballot_open=now + timedelta(days=11),
                            ballot_close=now + timedelta(days=20))
    closes = now + timedelta(days=30)
    Consultation.objects.create(slug="npf-2030", year=2030, title="NPF consultation 2030", closes_at=closes)
    page = home(client, people["member"])
    assert "LIEC by-election" in page and "/elections/liec-by-election/vote/" in page
    assert "Future election" not in page
    assert "NPF consultation 2030" in page and "/consultations/npf-2030/" in page
    assert times.Moment(closes, "Europe/London").local_text in page

    page = home(client, people["lapsed"])
    assert "Only fully paid-up members can vote" in page and "/elections/liec-by-election/vote/" not in page


@pytest.fixture
def public_content(branches):  # noqa: F811
    paris = branches["paris"]
    add_news(paris, 2)
    add_event(paris, "Paris summer social", PARIS_EVENING + timedelta(days=120), place="Café de la Paix")
    index = HomePage.objects.get().add_child(instance=CampaignIndexPage(title="Campaigns", slug="campaigns"))
    index.add_child(instance=CampaignPage(title="Votes for Life", slug="votes-for-life",
                                          summary="Every British citizen abroad keeps the vote."))
    return paris


def test_visitor_reads_news_events_campaigns_and_how_to_join_and_nothing_personal(  # noqa: F811
        client, people, public_content, paris_meeting):  # noqa: F811
    motion(people, "Votes for Life now")
    page = home(client)
    assert "Latest news" in page and "Paris news 0" in page and "Paris · " in page
    assert "Paris summer social" in page and "Votes for Life" in page
    assert "How to join" in page and "Find your branch" in page
    for personal in ("Welcome", 'id="home-your-branch"', 'id="home-your-motions"', 'id="home-following"',
                     'id="home-ballots"', 'id="home-consultations"', "Paris branch meeting", "Votes for Life now"):
        assert personal not in page, personal


def test_member_home_costs_the_same_queries_however_much_she_has(  # noqa: F811
        client, people, paris_meeting, django_assert_max_num_queries, every_new_visit):  # noqa: F811
    member = people["proposer"]

    def more(n):
        """One more motion of hers, and one more she follows, with a decision since her last visit."""
        item = motion(people, f"Motion {n}", proposer="seconder", seconder="paris_officer")
        notifications.follow(member, item)
        services.record_decision(item, "carried", people["paris_officer"], votes_for=5, votes_against=1)
        motion(people, f"Own motion {n}")

    more(0)
    client.force_login(member)
    client.get("/")  # her first visit; the site-root and content-type caches warm, as in a running server

    def counted():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured)

    few = counted()
    for n in range(1, 13):
        more(n)
    assert counted() == few
    with django_assert_max_num_queries(25):
        client.get("/")


def test_member_home_never_comes_from_or_goes_into_the_public_cache(client, people, public_content, public_cache,  # noqa: F811
                                                                     django_capture_on_commit_callbacks):

    member_client = Client()
    member_client.force_login(people["proposer"])
    member_page = member_client.get("/")
    assert "Welcome" in member_page.content.decode() and "X-Public-Cache" not in member_page
    cache_control = member_page["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control

    first = client.get("/")  # the member's page was not kept: the visitor's is made afresh
    assert first["X-Public-Cache"] == "miss" and "Welcome" not in first.content.decode()
    second = client.get("/")
    assert second["X-Public-Cache"] == "hit" and "Latest news" in second.content.decode()

    member_again = member_client.get("/")  # and a member is never served the visitors' page
    assert "Welcome" in member_again.content.decode() and "X-Public-Cache" not in member_again

    with django_capture_on_commit_callbacks(execute=True):  # news published in any branch stales the visitors' home
        news = public_content.add_child(instance=NewsPage(title="Paris news 7", slug="news-7", live=False))
        news.save_revision().publish()
    fresh = client.get("/")
    assert fresh["X-Public-Cache"] == "miss" and "Paris news 7" in fresh.content.decode()
