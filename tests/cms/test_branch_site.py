"""What a member reads: the branch index, a branch site, its calendar feed, the API."""

import re
import zoneinfo
from datetime import datetime, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.models import BranchOfficer, NewsPage
from tests.cms.helpers import add_event, add_news
from workflows.models import Meeting, MeetingBody

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def test_branches_are_listed_grouped_by_the_three_regions(client, demo_site):
    html = client.get("/branches/").content.decode()
    headings = re.findall(r'<h2 id="region-[^"]+">([^<]+)</h2>', html)
    assert headings == ["Europe, Africa and the Middle East", "Asia, Australasia and the Pacific", "The Americas"]
    europe, asia, americas = re.split(r'<h2 id="region-', html)[1:]
    assert "/branches/paris/" in europe and "/branches/sydney/" in asia and "/branches/new-york/" in americas


def test_a_branch_site_shows_officers_meeting_pattern_news_and_upcoming_events(client, demo_site):
    paris = demo_site["paris"]
    add_news(paris, 2)
    add_event(paris, "Winter meeting", timezone.now().astimezone(PARIS).replace(hour=19, minute=0) + timedelta(days=3),
              slug="winter")
    add_event(paris, "Last year's meeting", timezone.now() - timedelta(days=40), slug="old")
    html = client.get("/branches/paris/").content.decode()
    assert "Paris Chair" in html and "Second Tuesday of the month, 19:30" in html
    assert "paris@example.org" in html
    assert "Paris news 0" in html and "Paris news 1" in html
    assert "Winter meeting" in html and "19:00" in html and "UK time" in html
    assert "Last year&#x27;s meeting" not in html
    assert 'href="/branches/paris/events.ics"' in html


def test_an_event_with_a_body_shows_as_an_event_with_its_link_on_the_branch_page(client, demo_site):
    paris = demo_site["paris"]
    add_event(paris, "Summer picnic", timezone.now() + timedelta(days=2), slug="picnic",
              body=[("rich_text", "<p>Bring something to share.</p>")])
    html = client.get("/branches/paris/").content.decode()
    assert re.search(r'<li class="event"><a href="/branches/paris/picnic/">Summer picnic</a>', html), html


def test_the_branch_page_query_count_does_not_grow_with_its_news(client, demo_site):
    paris = demo_site["paris"]
    add_news(paris, 3)
    client.get("/branches/paris/")  # warm the site-root cache
    with CaptureQueriesContext(connection) as few:
        assert client.get("/branches/paris/").status_code == 200
    add_news(paris, 40, start=3)
    with CaptureQueriesContext(connection) as many:
        html = client.get("/branches/paris/").content.decode()
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert "Page 1 of 5" in html
    with CaptureQueriesContext(connection) as index:
        client.get("/branches/")
    assert len(index) <= 10


def test_a_visitor_pages_through_a_branchs_news_newest_first_each_linked_to_its_page(client, demo_site):
    paris = demo_site["paris"]
    add_news(paris, 12)
    items = {item.title: item.url for item in NewsPage.objects.child_of(paris)}

    def listed(query=""):
        html = client.get(f"/branches/paris/{query}").content.decode()
        news = html.split('<h2 id="news">')[1]
        return re.findall(r'<li><a href="([^"]+)">([^<]+)</a>', news), news

    first, html = listed()
    assert [title for _, title in first] == [f"Paris news {n}" for n in range(10)]
    assert all(url == items[title] == f"/branches/paris/news-t{title.split()[-1]}/" for url, title in first)
    assert "Page 1 of 2" in html and 'href="?page=2" rel="next">Older' in html and "Newer" not in html
    second, html = listed("?page=2")
    assert second == [(items[f"Paris news {n}"], f"Paris news {n}") for n in (10, 11)]
    assert "Page 2 of 2" in html and 'href="?page=1" rel="prev">Newer' in html and "Older" not in html
    assert listed("?page=99")[0] == second  # past the last: the last
    assert listed("?page=first")[0] == first


def test_a_branch_page_lists_its_next_meeting_linked_to_its_page_without_its_online_link(client, demo_site):
    paris = demo_site["paris"]
    meeting = Meeting.objects.create(body=MeetingBody.BRANCH, branch=paris, title="Paris spring meeting",
                                     starts_at=timezone.now() + timedelta(days=2), place="Café de la Gare",
                                     online_link="https://meet.invalid/secret-room")
    html = client.get("/branches/paris/").content.decode()
    assert f'<li class="meeting"><a href="/meetings/{meeting.pk}/">Paris spring meeting</a>' in html
    assert "Café de la Gare" in html and "Online too: members see the link once signed in" in html
    assert "secret-room" not in html


def test_a_member_subscribes_to_a_branch_calendar_feed(client, demo_site):
    paris = demo_site["paris"]
    starts = timezone.now().astimezone(PARIS).replace(hour=19, minute=30, second=0, microsecond=0) + timedelta(days=5)
    first = add_event(paris, "Meeting; with, punctuation", starts, slug="m1", place="Café, Paris")
    second = add_event(paris, "Social " + "long title " * 10, starts + timedelta(days=7), slug="m2")
    response = client.get("/branches/paris/events.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode("utf-8")
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert body.endswith("END:VCALENDAR\r\n")
    lines = body.split("\r\n")[:-1]
    assert all(len(line.encode()) <= 75 for line in lines)
    unfolded = body.replace("\r\n ", "").split("\r\n")
    assert unfolded.count("BEGIN:VEVENT") == 2 == unfolded.count("END:VEVENT")
    uids = [line for line in unfolded if line.startswith("UID:")]
    assert len(set(uids)) == 2 and f"UID:event-{first.pk}@" in uids[0] and f"UID:event-{second.pk}@" in uids[1]
    utc = starts.astimezone(zoneinfo.ZoneInfo("UTC")).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{utc}" in unfolded
    assert "SUMMARY:Meeting\\; with\\, punctuation" in unfolded
    assert "LOCATION:Café\\, Paris" in unfolded
    assert client.get("/branches/atlantis/events.ics").status_code == 404


def test_the_api_gives_branch_and_event_fields_with_utc_offsets(client, demo_site):
    paris = demo_site["paris"]
    BranchOfficer.objects.create(branch=paris, role="Treasurer", name="Tess Treasurer")
    add_event(paris, "API meeting", datetime(2026, 12, 1, 19, 0, tzinfo=PARIS), slug="api", place="Town hall",
              online_link="https://meet.example.org/x")
    branch = client.get(f"/api/v2/pages/{paris.pk}/").json()
    assert branch["region"]["name"] == "Europe, Africa and the Middle East"
    assert branch["country"] == "France" and branch["time_zone"] == "Europe/Paris"
    assert branch["meeting_pattern"].startswith("Second Tuesday")
    assert {"role": "Treasurer", "name": "Tess Treasurer"}.items() <= branch["officers"][-1].items()
    events = client.get("/api/v2/pages/", {"type": "cms.EventPage",
                                           "fields": "starts_at,ends_at,starts_at_uk,place"}).json()
    event = events["items"][0]
    assert event["starts_at"] == "2026-12-01T19:00:00+01:00"
    assert event["ends_at"] == "2026-12-01T21:00:00+01:00"
    assert event["starts_at_uk"] == "2026-12-01T18:00:00+00:00"
    assert event["place"] == "Town hall"
    # The online link is for signed-in members on the site: never in the public API, asked for or not.
    for fields in ("online_link", "*"):
        response = client.get("/api/v2/pages/", {"type": "cms.EventPage", "fields": fields})
        assert "meet.example.org/x" not in response.content.decode()
    assert "meet.example.org/x" not in client.get(f"/api/v2/pages/{event['id']}/").content.decode()
    member = client.get("/api/v2/pages/", {"type": "cms.BranchPage", "fields": "*"}).content.decode()
    assert "officer.paris@example.org" not in member and "paid_up" not in member
