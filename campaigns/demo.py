"""Demo campaigns: Votes for Life and voter registration, each with updates, a resource and a sign-up form.

The campaigns, their updates and their resources' files are read from fixtures/demo/campaigns.toml
and fixtures/demo/documents/; the pages and the form are built here.

Idempotent: everything is looked up by slug or title before it is created.
"""

from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model

from cms.demo import upsert_member
from cms.fixtures import read_text, read_toml
from cms.models import HomePage, MicrositeTeam

from .models import (
    CampaignFormField,
    CampaignFormPage,
    CampaignIndexPage,
    CampaignPage,
    CampaignResource,
    CampaignUpdatePage,
)

CAMPAIGNS_FILE = "demo/campaigns.toml"


def read_campaigns():
    """The demo campaigns: dicts of slug, title, summary, aim, updates (title, days from today,
    text) and resource (title, file name, text of the file in fixtures/demo/documents/)."""
    campaigns = []
    for entry in read_toml(CAMPAIGNS_FILE)["campaign"]:
        resource = entry["resource"]
        campaigns.append({
            "slug": entry["slug"], "title": entry["title"], "summary": entry["summary"], "aim": entry["aim"],
            "updates": [(update["title"], update["days_from_today"], update["text"]) for update in entry["update"]],
            "resource": (resource["title"], resource["file"], read_text(f"demo/documents/{resource['file']}")),
        })
    return campaigns


def seed_index():
    index = CampaignIndexPage.objects.first()
    if index is None:
        home = HomePage.objects.first()
        index = home.add_child(instance=CampaignIndexPage(
            title="Campaigns", slug="campaigns", first_published_at=timezone.now(),
            intro="<p>Labour International campaigns for the rights of Britons abroad. Join one.</p>"))
    return index


def seed_campaign(index, spec):
    campaign = CampaignPage.objects.filter(slug=spec["slug"]).first()
    if campaign is None:
        campaign = index.add_child(instance=CampaignPage(
            title=spec["title"], slug=spec["slug"], summary=spec["summary"], aim=spec["aim"],
            first_published_at=timezone.now(),
            body=[("heading", "Why it matters"),
                  ("rich_text", f"<p>{spec['summary']} Branches lead the work where members live.</p>"),
                  ("quote", {"text": "Every vote abroad counts as much as a vote at home.",
                             "attribution": "A Labour International member"})],
        ))
    existing = set(campaign.get_children().values_list("slug", flat=True))
    for n, (title, days, text) in enumerate(spec["updates"]):
        slug = f"update-{n + 1}"
        if slug not in existing:
            campaign.add_child(instance=_update(title, slug, date.today() + timedelta(days=days), text))
    team = MicrositeTeam.objects.get(page=campaign)
    title, filename, text = spec["resource"]
    document_model = get_document_model()
    document = document_model.objects.filter(title=title, collection=team.collection).first()
    if document is None:
        document = document_model.objects.create(title=title, collection=team.collection,
                                                 file=ContentFile(text.encode(), name=filename))
    if not CampaignResource.objects.filter(page=campaign, document=document).exists():
        CampaignResource.objects.create(page=campaign, document=document, description="Download, print, share.")
    if "sign-up" not in existing:
        form = CampaignFormPage(
            title=f"Sign up: {spec['title']}", slug="sign-up", first_published_at=timezone.now(),
            intro=f"<p>Join the {spec['title']} campaign: we will be in touch.</p>",
            thank_you_text="<p>Thank you for signing up. The campaign team will be in touch.</p>",
            to_address=f"{spec['slug']}@example.org", from_address="noreply@example.org",
            subject=f"New sign-up: {spec['title']}",
        )
        form.form_fields.add(CampaignFormField(label="Your name", field_type="singleline", required=True))
        form.form_fields.add(CampaignFormField(label="Email", field_type="email", required=True))
        form.form_fields.add(CampaignFormField(label="Your branch", field_type="singleline", required=False))
        form.form_fields.add(CampaignFormField(label="How can you help?", field_type="multiline", required=False))
        campaign.add_child(instance=form)
    return campaign, team


def _update(title, slug, day, text):
    return CampaignUpdatePage(title=title, slug=slug, date=day, intro=text, first_published_at=timezone.now(),
                              body=[("rich_text", f"<p>{text}</p>")])


def seed(stdout):
    index = seed_index()
    paid_up = date.today() + timedelta(days=365)
    campaigns = read_campaigns()
    for n, spec in enumerate(campaigns):
        campaign, team = seed_campaign(index, spec)
        volunteer = upsert_member(f"volunteer.{spec['slug']}@example.org", "Campaign", "Volunteer",
                                  f"L{300000 + n}", None, paid_up, is_staff=True)
        volunteer.groups.add(Group.objects.get(pk=team.group_id))
    stdout.write(f"Campaigns: {len(campaigns)} campaigns with updates, a resource and a sign-up form.")
