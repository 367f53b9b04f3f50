"""Demo newsletters (fixtures/demo/newsletters.toml): one already sent to the Paris branch, so the
archive and the admin's listing have something in them. Recorded as sent; seeding sends no email."""

from datetime import timedelta

from django.utils import timezone
from wagtail.rich_text import RichText

from cms.fixtures import read_toml
from cms.models import BranchPage, Member

from . import services
from .models import Newsletter

NEWSLETTERS_FILE = "demo/newsletters.toml"


def seed(stdout):
    made = 0
    for spec in read_toml(NEWSLETTERS_FILE)["newsletter"]:
        branch = BranchPage.objects.get(slug=spec["branch"])
        if Newsletter.objects.filter(branch=branch, subject=spec["subject"]).exists():
            continue
        officer = Member.objects.get(email=spec["sent_by"])
        body = [(block["type"], RichText(block["value"]) if block["type"] == "rich_text" else block["value"])
                for block in spec["block"]]
        sent_at = timezone.now() - timedelta(days=spec["days_ago"])
        newsletter = Newsletter.objects.create(
            subject=spec["subject"], audience=Newsletter.Audience.BRANCH, branch=branch, intro=spec["intro"],
            body=body, created_by=officer, created_at=sent_at - timedelta(hours=2))
        newsletter.recipient_count = services.recipient_count(newsletter)
        newsletter.status, newsletter.send_at, newsletter.sent_at, newsletter.sent_by = (
            Newsletter.Status.SENT, sent_at, sent_at, officer)
        newsletter.save()
        made += 1
    stdout.write(f"Newsletters: {made} sent newsletter(s) added.")
