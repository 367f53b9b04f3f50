"""Hostile input: markup typed by members and officers is cleaned where it is stored (nh3, one
allowlist) and escaped where it is plain text, so nothing active reaches any page that shows it:
the tracker, the API, the member's own pages, the admin, the meeting page, the emails, the Word
export, the sign-ups, the election pages."""

import io
import json
from datetime import timedelta

import docx
import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cms.html_cleaning import RICH_TEXT_FEATURES, clean_member_html
from cms.models import Member
from consultations.exports.render import render_document
from elections import services as election_services
from notifications import services as notification_services
from workflows import services
from workflows.models import Item, Meeting, MeetingBody, Outcome

from ..consultations.docx_helpers import one_submission_document
from ..notifications.conftest import on_commit_runs_when_the_services_transaction_closes  # noqa: F401
from .conftest import make_member
from .hostile import ACTIVE, MARK, assert_inert, hostile_markup

E2E = settings(max_examples=8, deadline=None, derandomize=True,
               suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


# ----------------------------------------------------------------------------- the sanitizer itself


@settings(max_examples=400, deadline=None, derandomize=True)
@given(hostile_markup, st.sampled_from([None, RICH_TEXT_FEATURES]))
def test_the_sanitizer_leaves_nothing_active_and_cleans_once_for_all(markup, features):
    cleaned = clean_member_html(markup) if features is None else clean_member_html(markup, features)
    assert_inert(cleaned, repr(markup))
    again = clean_member_html(cleaned) if features is None else clean_member_html(cleaned, features)
    assert again == cleaned


@pytest.mark.parametrize("payload", ACTIVE)
def test_each_known_attack_is_cleaned_to_inert_text(payload):
    cleaned = clean_member_html(payload, RICH_TEXT_FEATURES)
    assert_inert(cleaned, payload)
    for word in ("<script", "<iframe", "<object", "<embed", "<svg", "<meta", "<style", "<math", "<base", "<form",
                 " on", "javascript:", "style=", "<![CDATA["):
        assert word not in cleaned.lower(), (payload, cleaned)


def test_the_sanitizer_keeps_what_rich_text_needs():
    html = ('<h3>Why</h3><p>We <b>call</b> for <i>votes</i> &amp; <strong>more</strong>.<br>Next line</p>'
            '<ul><li>one</li></ul><ol><li>two</li></ol><blockquote>Quoted</blockquote>'
            '<p><a href="https://example.org/plan">our plan</a>, <a href="mailto:sec@example.org">write</a>, '
            '<a href="/motions/">the tracker</a>, <a linktype="page" id="3">a page</a></p>')
    cleaned = clean_member_html(html)
    for kept in ("<h3>Why</h3>", "<b>call</b>", "<i>votes</i>", "&amp;", "<strong>more</strong>", "<br>",
                 "<ul><li>one</li></ul>", "<ol><li>two</li></ol>", "<blockquote>Quoted</blockquote>",
                 '<a href="https://example.org/plan" rel="noopener nofollow">our plan</a>',
                 '<a href="mailto:sec@example.org" rel="noopener nofollow">', '<a href="/motions/" rel="noopener nofollow">',
                 '<a linktype="page" id="3" rel="noopener nofollow">a page</a>'):
        assert kept in cleaned, kept
    # Pasted from a word processor: styles, classes, spans and ids go, the words stay.
    pasted = '<p class="MsoNormal" style="margin:0" id="x"><span style="font-size:12pt">Hello</span></p>'
    assert clean_member_html(pasted) == "<p>Hello</p>"
    # An internal link's id is a page number, nothing else (an id could shadow a global in the page).
    assert clean_member_html('<a linktype="page" id="__pwned">x</a>') == '<a linktype="page" rel="noopener nofollow">x</a>'


# ----------------------------------------------------------------------------- through the site


def hostile_motion(people, payload):
    """A Paris member drafts a motion with `payload` in its title and text through the site's
    form, a seconder confirms, the member submits it: returns (item, the member's client)."""
    n = Member.objects.count()  # a new member each time (a member may invite only so many seconders a day)
    proposer = make_member(f"proposer{n}@example.org", f"LP{n}", people["proposer"].branch)
    author = Client()
    author.force_login(proposer)
    response = author.post("/my-motions/new/motion/", {"title": f"Title {payload}"[:255],
                                                       "text": f"Our motion. {payload}",
                                                       "seconders": people["seconder"].email})
    assert response.status_code == 302, response.content.decode()[:3000]
    item = Item.objects.filter(proposer=proposer).latest("pk")
    services.confirm_seconding(item, people["seconder"])
    services.submit_item(item, proposer)
    item.refresh_from_db()
    return item, author


@pytest.mark.django_db
@E2E
@given(payload=hostile_markup, officers_payload=hostile_markup)
def test_hostile_markup_in_every_workflow_text_is_inert_wherever_it_is_shown(people, branches, payload,
                                                                           officers_payload):
    item, author = hostile_motion(people, payload)
    follower = people["member"]
    notification_services.follow(follower, item)
    mail.outbox.clear()

    # The branch carries it as amended, with a hostile amended text and note; the GC's minutes too.
    stage = item.current_stage
    outcome = Outcome.CARRIED_AS_AMENDED if Outcome.CARRIED_AS_AMENDED in stage.allowed_outcomes else Outcome.CARRIED
    votes = {"votes_for": 7, "votes_against": 1} if stage.takes_votes else {}
    services.record_decision(item, outcome, people["paris_officer"], note=f"Note {officers_payload}",
                             amended_text=(f"Amended. {officers_payload}" if outcome == Outcome.CARRIED_AS_AMENDED
                                           else None), **votes)
    meeting = Meeting.objects.create(body=MeetingBody.GC, title=f"GC {officers_payload}"[:200],
                                     starts_at=timezone.now() - timedelta(hours=2))
    services.approve_minutes(meeting, people["secretary"], minutes=f"<p>Minutes.</p>{officers_payload}")
    item.refresh_from_db()
    meeting.refresh_from_db()

    # What is stored is already clean.
    for stored in [item.text, meeting.minutes, *item.revisions.values_list("text", flat=True)]:
        assert_inert(stored, "stored text")
        assert stored == clean_member_html(stored, RICH_TEXT_FEATURES) or stored == clean_member_html(stored)

    visitor, officer, secretary = Client(), Client(), Client()
    officer.force_login(people["paris_officer"])
    secretary.force_login(people["secretary"])
    pages = [
        (visitor, f"/motions/{item.reference}/"), (visitor, "/motions/"), (visitor, "/motions/?q=Title"),
        (visitor, "/motions/feeds/decisions/"), (visitor, f"/meetings/{meeting.pk}/"),
        (secretary, f"/meetings/{meeting.pk}/"), (author, f"/my-motions/{item.pk}/"), (author, "/my-motions/"),
        (officer, "/admin/items/"), (officer, f"/admin/items/inspect/{item.pk}/"),
        (secretary, f"/admin/items/inspect/{item.pk}/"), (secretary, reverse("workflows_admin:meeting_decisions", args=[meeting.pk])),
    ]
    for client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode(), url)

    api = visitor.get(f"/api/v2/motions/{item.pk}/")
    assert api.status_code == 200 and api["Content-Type"].startswith("application/json")
    data = json.loads(api.content)
    assert_inert(data["text"], "API text")
    for decision in data.get("history", []):
        assert_inert(json.dumps(decision), "API history")

    emails = [m for m in mail.outbox if m.to == [follower.email]]
    assert emails, "the follower heard of the decision"
    for message in emails:
        for body, _type in getattr(message, "alternatives", []):
            assert_inert(body, "email HTML part")

    # The Word export of the text: a valid document whose only hyperlinks are web or mail links.
    buffer = io.BytesIO()
    render_document(one_submission_document(item.text, title=item.title), buffer, base_url="https://li.example.org")
    buffer.seek(0)
    document = docx.Document(buffer)
    targets = [rel.target_ref for rel in document.part.rels.values() if rel.reltype.endswith("/hyperlink")]
    assert all(t.startswith(("https://", "http://", "mailto:")) for t in targets), targets
    assert all(MARK not in t for t in targets)


@pytest.mark.django_db
@E2E
@given(payload=hostile_markup)
def test_hostile_markup_in_a_campaign_sign_up_is_inert_in_the_admin_and_the_email(demo_site, payload):
    from campaigns import demo as campaign_demo
    from campaigns.models import CampaignFormPage

    campaign_demo.seed(io.StringIO())
    form_page = CampaignFormPage.objects.filter(slug="sign-up").first()
    mail.outbox.clear()
    response = Client().post(form_page.url, {"your_name": f"Jo {payload}"[:255], "email": "jo@example.net",
                                             "your_branch": payload[:255], "how_can_you_help": payload})
    assert response.status_code == 200
    assert_inert(response.content.decode(), "thank-you page")
    for message in mail.outbox:
        for body, _type in getattr(message, "alternatives", []):
            assert_inert(body, "sign-up email HTML part")
    admin = Client()
    root = Member.objects.filter(email="root@example.org").first() or make_member(
        "root@example.org", "R1", is_superuser=True, is_staff=True)
    admin.force_login(root)
    listing = admin.get(f"/admin/forms/submissions/{form_page.pk}/")
    assert listing.status_code == 200
    assert_inert(listing.content.decode(), "sign-ups in the admin")


def test_script_in_a_nomination_statement_is_shown_as_text(people, branches):
    payload = ACTIVE[0] + ACTIVE[12]
    now = timezone.now()
    election = election_services.create_election(
        title="LIEC 2027", slug="liec-2027", by=people["secretary"], nominations_open=now - timedelta(days=1),
        nominations_close=now + timedelta(days=2), ballot_open=now + timedelta(days=3),
        ballot_close=now + timedelta(days=4))
    candidate = make_member("candidate@example.org", "L30", branches["paris"])
    candidate.first_name = payload
    candidate.save()
    election_services.submit_nomination(
        position=election.positions.get(key="chair"), submitted_by=candidate, candidate=candidate,
        proposer=people["proposer"], seconder=people["seconder"], statement=f"I stand. {payload}")
    secretary = Client()
    secretary.force_login(people["secretary"])
    for url in (f"/elections/{election.slug}/", f"/elections/{election.slug}/manage/"):
        response = secretary.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode(), url)
    assert "&lt;img src=x onerror=" in response.content.decode()  # the candidate's name, as text
    mine = Client()
    mine.force_login(candidate)
    assert_inert(mine.get("/account/").content.decode(), "account page")


def test_texts_stored_before_the_sanitizer_are_cleaned_once_by_the_data_migration(people, branches):
    """A motion, its revisions and a meeting's minutes written raw by the first version are
    cleaned in place by workflows' migration 0009; running it again writes nothing."""
    from importlib import import_module

    from django.apps import apps

    from workflows.models import ItemRevision

    migration = import_module("workflows.migrations.0009_clean_texts_stored_before_the_sanitizer")
    motion = services.create_draft("motion", people["proposer"], title="Old", text="<p>Old text.</p>")
    meeting = Meeting.objects.create(body=MeetingBody.BRANCH, branch=branches["paris"], title="Old meeting",
                                     starts_at=timezone.now())
    for payload in ACTIVE[:6]:
        raw = f"<p>Kept words</p>{payload}"
        Item.objects.filter(pk=motion.pk).update(text=raw)  # as the first version stored it
        ItemRevision.objects.filter(item=motion).update(text=raw)
        Meeting.objects.filter(pk=meeting.pk).update(minutes=raw)
        migration.clean_stored_texts(apps, None)
        stored = [Item.objects.get(pk=motion.pk).text, Meeting.objects.get(pk=meeting.pk).minutes,
                  *ItemRevision.objects.filter(item=motion).values_list("text", flat=True)]
        for text in stored:
            assert_inert(text, payload)
            assert "Kept words" in text
        before = Item.objects.get(pk=motion.pk).updated_at
        migration.clean_stored_texts(apps, None)
        assert Item.objects.get(pk=motion.pk).text == stored[0] and Item.objects.get(pk=motion.pk).updated_at == before
