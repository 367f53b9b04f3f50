"""Hostile input: script tags and event handlers typed by members are escaped or cleaned wherever
they are shown (tracker, search, members' pages, admin, election pages, the account download)."""

import re

from django.test import Client

from elections import services as election_services
from workflows import services

from .conftest import make_member

PAYLOAD = '<script>alert(1)</script><img src=x onerror=alert(1)>'


def assert_harmless(html, where):
    """No script element and no event-handler attribute made from the payload."""
    assert "<script>alert(1)</script>" not in html, where
    assert not re.search(r"<img[^>]*\bonerror\s*=", html, re.I), where


def test_script_in_a_motion_is_shown_as_text_everywhere(people, branches):
    proposer = people["proposer"]
    proposer.first_name = PAYLOAD
    proposer.save()
    author = Client()
    author.force_login(proposer)
    response = author.post("/my-motions/new/motion/", {"title": f"Title {PAYLOAD}", "text": PAYLOAD,
                                                       "seconders": "L2"})
    assert response.status_code == 302, response.content.decode()[:2000]
    item = proposer.proposed_items.get()
    for text in (PAYLOAD, f"Notes\n\n{PAYLOAD}"):
        author.post(f"/my-motions/{item.pk}/", {"title": f"Title {PAYLOAD}", "text": text, "seconders": "L2"})
        assert_harmless(author.get(f"/my-motions/{item.pk}/").content.decode(), "my motion page")
    services.confirm_seconding(item, people["seconder"])
    services.submit_item(item, proposer)
    services.record_decision(item, "carried", people["paris_officer"], votes_for=5, votes_against=1, note=PAYLOAD)

    visitor = Client()
    for url in (f"/motions/{item.reference}/", "/motions/", f"/motions/?q={PAYLOAD}", "/motions/feeds/decisions/",
                "/my-motions/"):
        client = author if url == "/my-motions/" else visitor
        assert_harmless(client.get(url).content.decode(), url)
    officer = Client()
    officer.force_login(people["paris_officer"])
    for url in ("/admin/items/", f"/admin/items/inspect/{item.pk}/"):
        response = officer.get(url)
        assert response.status_code == 200, url
        assert_harmless(response.content.decode(), url)
    assert visitor.get(f"/api/v2/motions/{item.pk}/")["Content-Type"] == "application/json"


def test_script_in_a_nomination_statement_is_shown_as_text(people, branches):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    election = election_services.create_election(
        title="LIEC 2027", slug="liec-2027", by=people["secretary"], nominations_open=now - timedelta(days=1),
        nominations_close=now + timedelta(days=2), ballot_open=now + timedelta(days=3),
        ballot_close=now + timedelta(days=4))
    candidate = make_member("candidate@example.org", "L30", branches["paris"])
    candidate.first_name = PAYLOAD
    candidate.save()
    election_services.submit_nomination(
        position=election.positions.get(key="chair"), submitted_by=candidate, candidate=candidate,
        proposer=people["proposer"], seconder=people["seconder"], statement=f"I stand. {PAYLOAD}")
    secretary = Client()
    secretary.force_login(people["secretary"])
    for url in (f"/elections/{election.slug}/", f"/elections/{election.slug}/manage/"):
        response = secretary.get(url)
        assert response.status_code == 200, url
        assert_harmless(response.content.decode(), url)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()  # the candidate's name, as text
    mine = Client()
    mine.force_login(candidate)
    assert_harmless(mine.get("/account/").content.decode(), "account page")
