"""The permission matrix: every role against every page, admin view, API endpoint and action.

Each row is one request; each column one role; each cell the answer that role must get
(status code; "login" = redirected to log in). Then, whatever the answer, no response body may
show what the role must not see: drafts, nominations before they are published, other members'
emails and membership numbers. A mismatch anywhere fails the test with the whole list.
"""

import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images import get_image_model
from wagtail.models import Page

from campaigns.models import CampaignIndexPage, CampaignPage
from cms.models import EventPage, Member, MicrositeTeam, NewsPage
from cms.published_media import published_collection
from elections import services as election_services
from events import services as event_services
from events.models import EventCapacity
from newsletters.models import Newsletter
from tests.hardening.conftest import branches, make_member, people, submit_motion  # noqa: F401,F811 (fixtures)
from workflows import services

ROLES = ["anonymous", "member", "paris_officer", "berlin_officer", "campaign_editor", "secretary", "policy",
         "returning", "admin"]
L, D, N, OK, R = "login", 403, 404, 200, 302  # R: redirected elsewhere (the action answered)

# request → expected answer per role, in the order of ROLES
MATRIX = [
    # public pages
    ("GET /", [OK] * 9),
    ("GET /branches/", [OK] * 9),
    ("GET /branches/paris/", [OK] * 9),
    ("GET /campaigns/votes-abroad/", [OK] * 9),
    ("GET /motions/", [OK] * 9),
    ("GET /motions/{motion_ref}/", [OK] * 9),
    ("GET /motions/{draft_ref}/", [N] * 9),
    ("GET /branches/paris/draft-news/", [N] * 9),
    ("GET /elections/", [OK] * 9),
    ("GET /elections/{election}/", [OK] * 9),
    ("GET /elections/{election}/results/", [N] * 9),
    # a Paris upload no live page uses and nobody published: only those who edit Paris's files
    # (the document asks a visitor to log in and refuses others; the image is not found)
    ("GET {private_document}", [L, D, OK, D, D, D, D, D, OK]),
    ("GET {private_image}", [N, N, OK, N, N, N, N, N, OK]),
    ("GET {private_rendition}", [N, N, OK, N, N, N, N, N, OK]),
    ("GET /api/v2/documents/", [OK] * 9),
    ("GET /api/v2/documents/{private_document_pk}/", [N] * 9),
    ("GET /api/v2/images/", [OK] * 9),
    ("GET /api/v2/images/{private_image_pk}/", [N] * 9),
    # what Paris published (its "Published" collection): everybody
    ("GET {published_document}", [OK] * 9),
    # members' own pages
    ("GET /account/", [L] + [OK] * 8),
    ("GET /account/my-data.json", [L] + [OK] * 8),
    ("GET /my-motions/", [L] + [OK] * 8),
    ("GET /my-motions/{draft_pk}/", [L, N, N, N, N, N, N, N, OK]),
    ("GET /motions/notifications/", [L] + [OK] * 8),
    # API
    ("GET /api/v2/pages/", [OK] * 9),
    ("GET /api/v2/pages/{draft_news_pk}/", [N] * 9),
    ("GET /api/v2/motions/", [OK] * 9),
    ("GET /api/v2/motions/{motion_pk}/", [OK] * 9),
    ("GET /api/v2/motions/{draft_pk}/", [N] * 9),
    # admin
    # (the returning officer opens the admin, whose "Run elections" leads to the election pages)
    ("GET /admin/", [L, L, OK, OK, OK, OK, OK, OK, OK]),
    ("GET /admin/pages/{paris_pk}/edit/", [L, L, OK, R, R, R, R, R, OK]),
    ("GET /admin/pages/{berlin_pk}/edit/", [L, L, R, OK, R, R, R, R, OK]),
    ("GET /admin/pages/{draft_news_pk}/edit/", [L, L, OK, R, R, R, R, R, OK]),
    ("GET /admin/pages/{campaign_pk}/edit/", [L, L, R, R, OK, R, R, R, OK]),
    ("GET /admin/items/", [L, L, OK, OK, R, OK, OK, R, OK]),
    ("GET /admin/items/inspect/{motion_pk}/", [L, L, OK, N, N, OK, OK, N, OK]),
    ("GET /admin/membership/", [L, L, R, R, R, R, R, R, OK]),
    # the secretary follows email delivery (notifications' migration gives the Secretary group the outbox)
    ("GET /admin/outbox/", [L, L, R, R, R, OK, R, R, OK]),
    ("GET /admin/users/", [L, L, R, R, R, R, R, R, OK]),
    # Django's own admin (the task queue's records) is for superusers only (cms/admin.py): officers
    # are sent to its sign-in, as visitors are
    ("GET /django-admin/", [L, L, L, L, L, L, L, L, OK]),
    ("GET /elections/{election}/manage/", [L, D, D, D, D, OK, D, OK, OK]),
    # actions
    ("POST /motions/follow/ kind=item&key={motion_ref}", [L, R, R, R, R, R, R, R, R]),
    ("POST /elections/{election}/close-nominations/", [L, D, D, D, D, R, D, D, R]),
    # newsletters: each officer writes to, previews, tests and sends to their own audience only
    ("GET /admin/newsletters/", [L, L, OK, OK, OK, R, R, R, OK]),
    ("GET /admin/newsletters/edit/{paris_newsletter}/", [L, L, OK, R, R, R, R, R, OK]),
    ("GET /admin/newsletters/history/{paris_newsletter}/", [L, L, OK, R, R, R, R, R, OK]),
    ("GET /admin/newsletters/{paris_newsletter}/send/", [L, L, OK, R, R, R, R, R, OK]),
    ("GET /admin/newsletters/{paris_newsletter}/preview/", [L, L, OK, R, R, R, R, R, OK]),
    ("POST /admin/newsletters/{paris_newsletter}/do/test/", [L, L, R, R, R, R, R, R, R]),
    ("POST /admin/newsletters/{berlin_newsletter}/do/send/", [L, L, R, R, R, R, R, R, R]),
    ("GET /newsletters/", [L] + [OK] * 8),
    ("GET /newsletters/branches/paris/", [L] + [OK] * 8),
    # event sign-ups: members answer; the names are for the officers of the event's own branch
    ("POST /events/{paris_event}/answer/ answer=going", [L, R, R, R, R, R, R, R, R]),
    ("GET /admin/event-sign-ups/{paris_event}/", [L, L, OK, R, R, R, R, R, OK]),
    ("GET /admin/event-sign-ups/{paris_event}/export.csv", [L, L, OK, R, R, R, R, R, OK]),
    ("POST /admin/event-sign-ups/{paris_event}/ places=1", [L, L, R, R, R, R, R, R, R]),
]

# What each secret may be seen by (every other role must never find it in any response).
SECRETS = {
    "DRAFT-MOTION-TEXT": {"admin"},
    "DRAFT-NEWS-TITLE": {"paris_officer", "admin"},
    "NOMINATION-STATEMENT": {"member", "secretary", "returning", "admin"},  # member: the candidate
    "PRIVATE-PARIS-DOCUMENT": {"paris_officer", "admin"},  # its title and its bytes
    "PRIVATE-PARIS-IMAGE": {"paris_officer", "admin"},
    "DRAFT-NEWSLETTER-TEXT": {"paris_officer", "admin"},
    "SIGNED-UP-MEMBER-NAME": {"paris_officer", "admin"},  # the list of who comes to a Paris event
}


def paris_uploads(branch):
    """A document and an image the Paris officer uploaded and no live page uses (private), and a
    document they published (moved to the branch's "Published" collection)."""
    collection = MicrositeTeam.objects.get(page=branch).collection
    document = Document.objects.create(title="PRIVATE-PARIS-DOCUMENT", collection=collection,
                                       file=ContentFile(b"PRIVATE-PARIS-DOCUMENT minutes", name="minutes.txt"))
    published = Document.objects.create(title="Paris rule book", collection=published_collection(collection),
                                        file=ContentFile(b"Rules of the Paris branch", name="rules.txt"))
    png = io.BytesIO()
    PILImage.new("RGB", (40, 30), (10, 120, 40)).save(png, "PNG")
    image = get_image_model().objects.create(title="PRIVATE-PARIS-IMAGE", collection=collection,
                                             file=ContentFile(png.getvalue(), name="paris-agm.png"))
    return {"private_document": document.url, "private_document_pk": document.pk, "private_image": image.file.url,
            "private_rendition": image.get_rendition("fill-20x20").url, "private_image_pk": image.pk,
            "published_document": published.url}


def build(people, branches):  # noqa: F811
    """The world the matrix runs in: roles, a campaign, a public and a draft motion, a draft
    page, an election with a nomination not yet published."""
    from django.contrib.auth.models import Group

    home = branches["paris"].get_parent().get_parent()
    index = home.add_child(instance=CampaignIndexPage(title="Campaigns", slug="campaigns"))
    campaign = index.add_child(instance=CampaignPage(title="Votes abroad", slug="votes-abroad", summary="Votes."))
    editor = make_member("editor@example.org", "L20", branches["paris"], is_staff=True)
    editor.groups.add(Group.objects.get(name="Votes abroad campaign editors"))
    returning = make_member("returning@example.org", "L21", branches["paris"], groups=["Returning officer"],
                            is_staff=True)
    paris_newsletter = Newsletter.objects.create(subject="Paris news", audience="branch", branch=branches["paris"],
                                                 intro="DRAFT-NEWSLETTER-TEXT")
    berlin_newsletter = Newsletter.objects.create(subject="Berlin news", audience="branch", branch=branches["berlin"])
    paris_event = branches["paris"].add_child(instance=EventPage(
        title="Paris social", slug="paris-social", starts_at=timezone.now() + timedelta(days=3)))
    comer = make_member("comer@example.org", "L23", branches["paris"])
    comer.first_name = "SIGNED-UP-MEMBER-NAME"
    comer.save()
    event_services.answer(paris_event, comer, "going")
    admin = make_member("admin@example.org", "L22", branches["paris"], is_staff=True, is_superuser=True)
    motion = submit_motion(people)
    draft = services.create_draft("motion", people["proposer"], title="Unsubmitted idea",
                                  text="<p>DRAFT-MOTION-TEXT</p>")
    draft_news = branches["paris"].add_child(instance=NewsPage(title="DRAFT-NEWS-TITLE", slug="draft-news",
                                                               live=False))
    now = timezone.now()
    election = election_services.create_election(
        title="LIEC 2027", slug="liec-2027", by=people["secretary"], nominations_open=now - timedelta(days=1),
        nominations_close=now + timedelta(days=2), ballot_open=now + timedelta(days=3),
        ballot_close=now + timedelta(days=4))
    election_services.submit_nomination(
        position=election.positions.get(key="chair"), submitted_by=people["member"], candidate=people["member"],
        proposer=people["proposer"], seconder=people["seconder"], statement="NOMINATION-STATEMENT for chair.")
    roles = {
        "anonymous": None, "member": people["member"], "paris_officer": people["paris_officer"],
        "berlin_officer": people["berlin_officer"], "campaign_editor": editor, "secretary": people["secretary"],
        "policy": people["policy"], "returning": returning, "admin": admin,
    }
    values = {
        "motion_ref": motion.reference, "motion_pk": motion.pk, "draft_ref": draft.reference, "draft_pk": draft.pk,
        "draft_news_pk": draft_news.pk, "paris_pk": branches["paris"].pk, "berlin_pk": branches["berlin"].pk,
        "campaign_pk": campaign.pk, "election": election.slug, **paris_uploads(branches["paris"]),
        "paris_newsletter": paris_newsletter.pk, "berlin_newsletter": berlin_newsletter.pk,
        "paris_event": paris_event.pk,
    }
    return roles, values


def answer(response):
    if response.status_code in (301, 302) and "/login/" in response.get("Location", ""):
        return L
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(role, people, branches, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "media"
    roles, values = build(people, branches)
    user = roles[role]
    client = Client()
    if user is not None:
        client.force_login(user)
    column = ROLES.index(role)
    others = Member.objects.exclude(pk=getattr(user, "pk", None))
    personal = [(m.email, m.membership_number) for m in others if m.membership_number]
    sees_members = role in {"admin"}
    wrong = []
    for request, expected in MATRIX:
        method, _, rest = request.partition(" ")
        path, _, body = rest.format(**values).partition(" ")
        if method == "GET":
            response = client.get(path)
        else:
            response = client.post(path, dict(pair.split("=") for pair in body.split("&")) if body else {})
        got = answer(response)
        if got != expected[column]:
            wrong.append(f"{request}: expected {expected[column]}, got {got}")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        content = body.decode(errors="replace")
        for secret, allowed in SECRETS.items():
            if role not in allowed and secret in content:
                wrong.append(f"{request}: shows {secret}")
        # The secretary follows email delivery: the outbox names each email's recipient.
        if not sees_members and not (role == "secretary" and path.startswith("/admin/outbox/")):
            for email, number in personal:
                if email in content or f">{number}<" in content or f'"{number}"' in content:
                    wrong.append(f"{request}: shows {email} / {number}")
                    break
    assert Page.objects.filter(slug="draft-news", live=False).exists()
    # refused sends changed nothing: only the Berlin officer (and the admin) may send Berlin's newsletter
    sent = Newsletter.objects.filter(subject="Berlin news").exclude(status="draft").exists()
    assert sent == (role in {"berlin_officer", "admin"})
    places = EventCapacity.objects.filter(event_id=values["paris_event"]).exists()
    assert places == (role in {"paris_officer", "admin"})
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


# The membership officer keeps the membership list, and no more: officers', staff and superusers'
# accounts (email, active flag) are changed only by those who may manage user accounts.
ACCOUNT_TAKEOVER = [
    # (whose account, who edits, expected answer to the edit page, whether a POSTed email change lands)
    ("superuser", "membership_officer", R, False),
    ("secretary", "membership_officer", R, False),
    ("member", "membership_officer", OK, True),
    ("secretary", "admin", OK, True),
]


@pytest.mark.parametrize("whose, who, page, changes", ACCOUNT_TAKEOVER)
def test_membership_officer_cannot_take_over_officers_accounts(whose, who, page, changes, people, branches):  # noqa: F811
    from cms.services import ensure_membership_officer_group

    ensure_membership_officer_group()
    accounts = {
        "superuser": make_member("root@example.org", "L30", branches["paris"], is_staff=True, is_superuser=True),
        "secretary": people["secretary"],
        "member": people["member"],
        "membership_officer": make_member("membership@example.org", "L31", branches["paris"],
                                          groups=["Membership officer"], is_staff=True),
        "admin": make_member("admin@example.org", "L32", branches["paris"], is_staff=True, is_superuser=True),
    }
    target, client = accounts[whose], Client()
    client.force_login(accounts[who])
    listing = client.get("/admin/membership/").content.decode()
    assert (f"/admin/membership/edit/{target.pk}/" in listing) == changes
    assert answer(client.get(f"/admin/membership/edit/{target.pk}/")) == page
    client.post(f"/admin/membership/edit/{target.pk}/", {
        "membership_number": target.membership_number, "email": "attacker@example.net", "first_name": "X",
        "last_name": "Y", "branch": target.branch_id or "", "paid_up_until": "", "is_active": "on"})
    target.refresh_from_db()
    assert (target.email == "attacker@example.net") == changes
    assert Member.objects.filter(email="attacker@example.net").count() == (1 if changes else 0)
