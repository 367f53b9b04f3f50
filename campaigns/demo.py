"""Demo campaigns: Votes for Life and voter registration, each with updates, a resource and a sign-up form.

Idempotent: everything is looked up by slug or title before it is created.
"""

from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model

from cms.demo import upsert_member
from cms.models import HomePage, MicrositeTeam

from .models import (
    CampaignFormField,
    CampaignFormPage,
    CampaignIndexPage,
    CampaignPage,
    CampaignResource,
    CampaignUpdatePage,
)

CAMPAIGNS = [
    {
        "slug": "votes-for-life",
        "title": "Votes for Life",
        "summary": "British citizens abroad kept the vote for life: now make sure every one of them can use it.",
        "aim": "Every British citizen abroad registered, with a ballot that arrives in time.",
        "updates": [
            ("The 15-year rule is gone", -30, "The Elections Act 2022 ended the 15-year limit on overseas votes."),
            ("Postal ballots arrived too late: tell us", -6, "We are collecting members' stories of late ballots."),
        ],
        "resource": ("Votes for Life briefing", "votes-for-life-briefing.txt",
                     "Votes for Life: a briefing for branches.\n\nWho can register, how, and how to vote by proxy.\n"),
    },
    {
        "slug": "register-to-vote",
        "title": "Register to vote from abroad",
        "summary": "A registration drive in every branch before the next general election.",
        "aim": "Ten thousand overseas voters registered through LI branches.",
        "updates": [
            ("Branch registration stalls: a how-to", -20, "How to run a registration stall at a community event."),
            ("First results from the registration drive", -2, "Branches report their first registrations."),
        ],
        "resource": ("Registration stall kit", "registration-stall-kit.txt",
                     "Registration stall kit.\n\nChecklist, leaflet text and a sign-up sheet template.\n"),
    },
]


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
    for n, spec in enumerate(CAMPAIGNS):
        campaign, team = seed_campaign(index, spec)
        volunteer = upsert_member(f"volunteer.{spec['slug']}@example.org", "Campaign", "Volunteer",
                                  f"L{300000 + n}", None, paid_up, is_staff=True)
        volunteer.groups.add(Group.objects.get(pk=team.group_id))
    stdout.write(f"Campaigns: {len(CAMPAIGNS)} campaigns with updates, a resource and a sign-up form.")
