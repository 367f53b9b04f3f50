"""The Wagtail admin screens of elections and the officers' pages load for the right people."""

from django.urls import reverse

from elections import services
from elections.models import Election

from .conftest import move_to


def test_admin_lists_and_edits_elections_and_the_guides_posts(client, election, make_member):
    admin = make_member(is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get("/admin/snippets/elections/election/").status_code == 200
    edit = client.get(f"/admin/snippets/elections/election/edit/{election.pk}/")
    assert edit.status_code == 200 and "Women&#x27;s Officer" in edit.content.decode()
    offices = client.get("/admin/snippets/elections/office/")
    assert offices.status_code == 200 and "Trade Union Liaison Officer" in offices.content.decode()


def test_secretary_moves_the_nomination_deadline_in_uk_time(client, election, secretary):
    client.force_login(secretary)
    response = client.post(reverse("elections:manage", args=[election.slug]), {
        "nominations_open": "2026-02-19T00:00", "nominations_close": "2026-07-13T23:59",
        "ballot_open": "2026-07-20T00:00", "ballot_close": "2026-08-10T23:59",
    })
    assert response.status_code == 302
    election.refresh_from_db()
    assert election.nominations_close.isoformat() == "2026-07-13T22:59:00+00:00"  # 23:59 BST
    response = client.post(reverse("elections:manage", args=[election.slug]), {
        "nominations_open": "2026-02-19T00:00", "nominations_close": "2026-08-13T23:59",
        "ballot_open": "2026-07-20T00:00", "ballot_close": "2026-08-10T23:59",
    })
    assert "The timetable must run" in response.content.decode()


def test_returning_officer_count_page_shows_imports_rounds_and_the_publish_button(
        client, election, nominate, secretary, returning_officer, make_member):
    nominate(election, "chair")
    nominate(election, "chair")
    move_to(election, "closed")
    services.close_nominations(election, by=secretary)
    move_to(election, "counting")
    client.force_login(secretary)
    assert client.get(reverse("elections:count", args=[election.slug])).status_code == 403
    client.force_login(returning_officer)
    response = client.post(reverse("elections:count", args=[election.slug]), {"redraw_reason": ""})
    assert response.status_code == 302
    page = client.get(reverse("elections:count", args=[election.slug])).content.decode()
    assert "No tie needed drawing by lot" in page and "seed" not in page
    assert "Publish the results" in page and "No ballots: no result." in page
    assert Election.objects.get(pk=election.pk).counts.count() == 1
