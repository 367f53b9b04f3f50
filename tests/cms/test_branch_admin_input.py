"""Bad input in the Wagtail admin: a form error where the editor acted, nothing saved."""

import zoneinfo
from datetime import datetime

import pytest

from cms.models import BranchPage, EventPage, Member
from tests.cms.helpers import add_event, admin_form_data

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture
def admin_client(client, demo_site):
    client.force_login(Member.objects.get(email="admin@example.org"))
    return client


def test_an_unknown_time_zone_is_a_form_error_and_the_branch_keeps_its_zone(admin_client, demo_site):
    paris = demo_site["paris"]
    url = f"/admin/pages/{paris.pk}/edit/"
    response = admin_client.post(url, admin_form_data(admin_client, url, time_zone="Mars/Olympus_Mons"))
    assert response.status_code == 200
    assert "is not a known time zone" in response.content.decode()
    paris.refresh_from_db()
    assert paris.time_zone == "Europe/Paris"
    assert paris.revisions.count() == 0


def test_a_second_branch_with_the_slug_berlin_is_refused(admin_client, demo_site):
    index = demo_site["paris"].get_parent()
    url = f"/admin/pages/add/cms/branchpage/{index.pk}/"
    data = admin_form_data(admin_client, url, title="Berlin again", slug="berlin", country="Germany",
                           time_zone="Europe/Berlin", region=str(demo_site["berlin"].region_id))
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "The slug &#x27;berlin&#x27; is already in use" in response.content.decode()
    assert BranchPage.objects.filter(slug="berlin").count() == 1
    assert not BranchPage.objects.filter(title="Berlin again").exists()


def test_an_event_that_ends_before_it_starts_is_refused(admin_client, demo_site):
    url = f"/admin/pages/add/cms/eventpage/{demo_site['paris'].pk}/"
    data = admin_form_data(admin_client, url, title="Backwards meeting", slug="backwards",
                           starts_at="2026-12-01 19:00", ends_at="2026-12-01 18:00")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "The event cannot end before it starts." in response.content.decode()
    assert not EventPage.objects.filter(slug="backwards").exists()


def test_event_times_are_typed_and_shown_in_the_branch_time_zone(admin_client, demo_site):
    paris = demo_site["paris"]
    url = f"/admin/pages/add/cms/eventpage/{paris.pk}/"
    data = admin_form_data(admin_client, url, title="Summer meeting", slug="summer",
                           starts_at="2026-07-01 19:00", ends_at="2026-07-01 21:00")
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:500]
    event = EventPage.objects.get(slug="summer")
    # 19:00 in Paris in July is 17:00 UTC (CEST, UTC+2), whatever the server's zone.
    assert event.starts_at == datetime(2026, 7, 1, 19, 0, tzinfo=PARIS)
    assert event.starts_at.utcoffset() is not None
    assert event.time_zone == "Europe/Paris"
    edit = admin_client.get(f"/admin/pages/{event.pk}/edit/").content.decode()
    assert 'value="2026-07-01 19:00"' in edit


def test_the_public_event_page_shows_branch_time_and_uk_time(client, demo_site):
    sydney = demo_site["sydney"]
    add_event(sydney, "Harbour picnic", datetime(2026, 12, 6, 14, 0, tzinfo=zoneinfo.ZoneInfo("Australia/Sydney")),
              slug="picnic")
    html = client.get("/branches/sydney/picnic/").content.decode()
    assert "Sunday 6 December 2026, 14:00–16:00 (Australia/Sydney)" in html  # Sydney, AEDT (UTC+11)
    assert "03:00–05:00 Sunday UK time" in html


def test_an_officer_picks_the_branch_time_zone_from_a_list(admin_client, demo_site):
    paris = demo_site["paris"]
    url = f"/admin/pages/{paris.pk}/edit/"
    html = admin_client.get(url).content.decode()
    select = html[html.index('name="time_zone"') - 200: html.index('name="time_zone"') + 200]
    assert "<select" in select
    assert '<option value="Europe/Paris" selected>Europe/Paris</option>' in html
    assert '<option value="Australia/Sydney">Australia/Sydney</option>' in html
    data = admin_form_data(admin_client, url, time_zone="America/New_York")
    data["action-publish"] = "action-publish"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    paris.refresh_from_db()
    assert paris.time_zone == "America/New_York"
