"""What a branch page reads on every view (its news page, next meetings and events, officers), read
as parametrised SQL (cms.models.BranchPage): the same rows, pages and limits as the ORM's queries."""

import re
from datetime import UTC, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.models import MEETING_SHOWN_AFTER_START, NEWS_PER_PAGE, BranchOfficer, EventPage, NewsPage, StandardPage
from tests.cms.helpers import add_event, add_news
from workflows.models import Meeting, MeetingBody

HOSTILE = ('<script>alert(1)</script>', '<img src=x onerror=alert(2)>', ']]>', '<!-- x')


def section(html, heading_id):
    """The HTML of the page's section under the <h2> of `heading_id`."""
    return html.split(f'<h2 id="{heading_id}">')[1].split("</section>")[0]


def news_titles(client, query=""):
    news = section(client.get(f"/branches/paris/{query}").content.decode(), "news")
    return re.findall(r'<li><a href="[^"]+">([^<]+)</a>', news), news


def iso(moment):
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_news_pages_past_the_end_below_one_or_not_numbers_read_as_django_pages_them(client, demo_site):
    paris = demo_site["paris"]
    add_news(paris, NEWS_PER_PAGE + 2)
    first = [f"Paris news {n}" for n in range(NEWS_PER_PAGE)]
    last = [f"Paris news {n}" for n in range(NEWS_PER_PAGE, NEWS_PER_PAGE + 2)]
    for query, titles, label in [
        ("", first, "Page 1 of 2"), ("?page=1", first, "Page 1 of 2"), ("?page=2", last, "Page 2 of 2"),
        ("?page=3", last, "Page 2 of 2"), ("?page=999999", last, "Page 2 of 2"),  # past the end: the last
        ("?page=0", last, "Page 2 of 2"), ("?page=-4", last, "Page 2 of 2"),  # below one: the last (get_page)
        ("?page=x", first, "Page 1 of 2"), ("?page=", first, "Page 1 of 2"), ("?page=1.5", first, "Page 1 of 2"),
    ]:
        listed, html = news_titles(client, query)
        assert listed == titles, query
        assert label in html, query


def test_a_branch_with_exactly_one_page_of_news_or_none_shows_no_pagination(client, demo_site):
    paris = demo_site["paris"]
    assert "No news yet." in news_titles(client, "?page=4")[1]
    assert news_titles(client, "?page=0")[0] == []
    add_news(paris, NEWS_PER_PAGE)
    for query in ("", "?page=2", "?page=0"):
        listed, html = news_titles(client, query)
        assert len(listed) == NEWS_PER_PAGE and "Page 1 of 1" not in html and "pagination" not in html, query


def test_the_page_after_the_last_costs_a_bounded_number_of_queries(client, demo_site):
    paris = demo_site["paris"]
    add_news(paris, 3)
    client.get("/branches/paris/")
    with CaptureQueriesContext(connection) as first:
        client.get("/branches/paris/")
    add_news(paris, 30, start=3)
    with CaptureQueriesContext(connection) as past:
        html = client.get("/branches/paris/?page=50").content.decode()
    assert "Page 4 of 4" in html
    assert len(past) == len(first) + 2  # its count, then the last page


def test_an_event_that_ended_is_not_shown_one_going_on_is(client, demo_site):
    paris = demo_site["paris"]
    now = timezone.now()
    add_event(paris, "Ended an hour ago", now - timedelta(hours=3), hours=2, slug="ended")
    add_event(paris, "Still going on", now - timedelta(hours=3), hours=4, slug="going-on")
    for title, started, slug in [("Open-ended, started 2 hours ago", 2, "open"),
                                 ("Open-ended, started 13 hours ago", 13, "stale")]:
        paris.add_child(instance=EventPage(title=title, slug=slug, starts_at=now - timedelta(hours=started)))
    upcoming = section(client.get("/branches/paris/").content.decode(), "upcoming")
    assert "Still going on" in upcoming and "Open-ended, started 2 hours ago" in upcoming
    assert "Ended an hour ago" not in upcoming and "13 hours" not in upcoming


def test_a_meeting_is_shown_until_some_time_after_its_start(client, demo_site):
    paris = demo_site["paris"]
    now = timezone.now()
    for title, started in [("Still on", MEETING_SHOWN_AFTER_START - timedelta(minutes=2)),
                           ("Long over", MEETING_SHOWN_AFTER_START + timedelta(minutes=2))]:
        Meeting.objects.create(body=MeetingBody.BRANCH, branch=paris, title=title, starts_at=now - started)
    upcoming = section(client.get("/branches/paris/").content.decode(), "upcoming")
    assert "Still on" in upcoming and "Long over" not in upcoming


def test_draft_news_and_events_and_other_branches_are_never_shown(client, demo_site):
    paris, berlin = demo_site["paris"], demo_site["berlin"]
    soon = timezone.now() + timedelta(days=1)
    paris.add_child(instance=NewsPage(title="Draft news", slug="draft-news", live=False))
    add_event(paris, "Draft event", soon, slug="draft-event", live=False)
    add_news(berlin, 2)
    add_event(berlin, "Berlin event", soon, slug="berlin-event")
    Meeting.objects.create(body=MeetingBody.BRANCH, branch=berlin, title="Berlin meeting", starts_at=soon)
    # A news item and an event deeper in Paris's tree (under one of its pages) are not its own either.
    about = paris.add_child(instance=StandardPage(title="About", slug="about"))
    about.add_child(instance=NewsPage(title="Nested news", slug="nested-news"))
    add_event(about, "Nested event", soon, slug="nested-event")
    html = client.get("/branches/paris/").content.decode()
    for title in ("Draft news", "Draft event", "Berlin news", "Berlin event", "Berlin meeting", "Nested news",
                  "Nested event"):
        assert title not in html, title
    assert "No news yet." in html and "No upcoming meetings or events yet." in html
    berlin_html = client.get("/branches/berlin/").content.decode()
    assert "Berlin news 0" in berlin_html and "Berlin event" in berlin_html and "Berlin meeting" in berlin_html


def test_hostile_text_in_news_events_meetings_and_officers_reads_as_text(client, demo_site):
    paris = demo_site["paris"]
    soon = timezone.now() + timedelta(days=1)
    text = " ".join(HOSTILE)
    paris.add_child(instance=NewsPage(title=text, slug="hostile", intro=text))
    add_event(paris, text, soon, slug="hostile-event", place=text)
    Meeting.objects.create(body=MeetingBody.BRANCH, branch=paris, title=text, starts_at=soon, place=text)
    BranchOfficer.objects.create(branch=paris, role=text, name=text)
    html = client.get("/branches/paris/").content.decode()
    shown = section(html, "upcoming") + section(html, "news") + html.split('class="officers"')[1]
    for hostile in HOSTILE:
        assert hostile not in shown, hostile
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt; ]]&gt; &lt;!-- x"
    assert shown.count(escaped) >= 6  # news title and intro, event title and place, meeting title and place


def check_a_branch_page_shows_its_news_meetings_and_events(client, paris):
    """What the branch page shows, on whichever database the test runs."""
    now = timezone.now().replace(microsecond=0)
    add_news(paris, NEWS_PER_PAGE + 1)
    event = add_event(paris, "Picnic", now + timedelta(days=2), slug="picnic", place="Parc Monceau")
    meeting = Meeting.objects.create(body=MeetingBody.BRANCH, branch=paris, title="Branch meeting",
                                     starts_at=now + timedelta(days=1), place="Café",
                                     online_link="https://meet.invalid/room")
    BranchOfficer.objects.create(branch=paris, role="Treasurer", name="Tess Treasurer")
    meetings, events = paris.upcoming_meetings(5), paris.upcoming_events(5, "/branches/paris/")
    assert [(m.title, m.starts_at, m.url, m.online) for m in meetings] == [
        ("Branch meeting", meeting.starts_at, f"/meetings/{meeting.pk}/", True)]
    assert [(e.title, e.starts_at, e.ends_at, e.url, e.place) for e in events] == [
        ("Picnic", event.starts_at, event.ends_at, "/branches/paris/picnic/", "Parc Monceau")]
    assert all(timezone.is_aware(h.starts_at) for h in meetings + events)
    html = client.get("/branches/paris/").content.decode()
    upcoming = section(html, "upcoming")
    assert upcoming.index("Branch meeting") < upcoming.index("Picnic")
    assert f'datetime="{iso(meeting.starts_at)}"' in upcoming and f'datetime="{iso(event.starts_at)}"' in upcoming
    assert "Parc Monceau" in upcoming and "room" not in upcoming
    assert "<strong>Treasurer</strong> Tess Treasurer" in html
    listed, news = news_titles(client)
    assert listed == [f"Paris news {n}" for n in range(NEWS_PER_PAGE)] and "Page 1 of 2" in news
    assert f'datetime="{paris.news_page(1, None)[0]["date"]:%Y-%m-%d}"' in news
    assert news_titles(client, "?page=7") == news_titles(client, "?page=2")
    assert news_titles(client, "?page=7")[0] == [f"Paris news {NEWS_PER_PAGE}"]


def test_a_branch_page_shows_its_news_meetings_and_events(client, demo_site):
    check_a_branch_page_shows_its_news_meetings_and_events(client, demo_site["paris"])


@pytest.mark.postgres
def test_a_branch_page_shows_its_news_meetings_and_events_on_postgresql(client, demo_site):
    check_a_branch_page_shows_its_news_meetings_and_events(client, demo_site["paris"])
