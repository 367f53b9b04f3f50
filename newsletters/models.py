"""Newsletters and what members chose to receive.

- `Newsletter`: one email an officer writes (StreamField, the blocks of the site's pages) for one
  audience (a branch, a region, all members, a campaign's sign-ups, a consultation's followers),
  sent once, now or at a UK time, through the notifications outbox; then archived on its site.
- `NewsletterOptOut`: a member does not want one kind of newsletter (their branch's, LI-wide,
  campaigns', consultations').
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from wagtail.fields import StreamField
from wagtail.rich_text import RichText

from cms.blocks import BranchStreamBlock
from cms.html_cleaning import RICH_TEXT_FEATURES, clean_member_html

# Wagtail's default rich-text features, as the pages' rich-text blocks have them.
NEWSLETTER_FEATURES = RICH_TEXT_FEATURES + ("code", "superscript", "subscript", "strikethrough")


class Kind(models.TextChoices):
    """What a member chooses to receive (one opt-out per kind)."""

    BRANCH = "branch", "Newsletters of my branch"
    LI = "li", "LI-wide and regional newsletters"
    CAMPAIGN = "campaign", "Newsletters of campaigns I signed up to"
    CONSULTATION = "consultation", "Newsletters about consultations I follow"


class Newsletter(models.Model):
    """An email an officer writes for their own audience, previews, tests and sends once.

    `audience` names who receives it, with exactly the one target it needs (branch, region,
    campaign or consultation). Sending is one conditional UPDATE (draft → scheduled), so a double
    click or two officers at once send it once; the worker then builds one outbox row per
    recipient (unique key per newsletter and member) and sends them in batches."""

    class Audience(models.TextChoices):
        BRANCH = "branch", "A branch's members"
        REGION = "region", "A region's members"
        ALL = "all", "All members"
        CAMPAIGN = "campaign", "A campaign's sign-ups"
        CONSULTATION = "consultation", "A consultation's followers"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"

    KIND_OF_AUDIENCE = {
        Audience.BRANCH: Kind.BRANCH, Audience.REGION: Kind.LI, Audience.ALL: Kind.LI,
        Audience.CAMPAIGN: Kind.CAMPAIGN, Audience.CONSULTATION: Kind.CONSULTATION,
    }

    subject = models.CharField(max_length=200)
    audience = models.CharField(max_length=16, choices=Audience.choices)
    branch = models.ForeignKey("cms.BranchPage", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="newsletters")
    region = models.ForeignKey("cms.Region", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="newsletters")
    campaign = models.ForeignKey("campaigns.CampaignPage", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="newsletters")
    consultation = models.ForeignKey("workflows.Consultation", null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="newsletters")
    intro = models.TextField(blank=True, help_text="A sentence or two shown first (plain text).")
    body = StreamField(BranchStreamBlock(), blank=True, use_json_field=True)

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    send_at = models.DateTimeField(null=True, blank=True, db_index=True,
                                   help_text="When it goes (stored in UTC, chosen in UK time).")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True, help_text="When its emails were handed to the outbox.")
    recipient_count = models.PositiveIntegerField(null=True, blank=True)
    # The bodies as built for sending, with the recipient placeholders: batch sending gives them to
    # the provider with per-recipient merge data.
    template_text = models.TextField(blank=True, editable=False)
    template_html = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="newsletter_audience_has_its_target",
                condition=(
                    Q(audience="branch", branch__isnull=False, region__isnull=True, campaign__isnull=True,
                      consultation__isnull=True)
                    | Q(audience="region", branch__isnull=True, region__isnull=False, campaign__isnull=True,
                        consultation__isnull=True)
                    | Q(audience="all", branch__isnull=True, region__isnull=True, campaign__isnull=True,
                        consultation__isnull=True)
                    | Q(audience="campaign", branch__isnull=True, region__isnull=True, campaign__isnull=False,
                        consultation__isnull=True)
                    | Q(audience="consultation", branch__isnull=True, region__isnull=True, campaign__isnull=True,
                        consultation__isnull=False)
                ),
            ),
        ]

    def __str__(self):
        return self.subject

    def save(self, *args, **kwargs):
        # The subject goes into a mail header: one line.
        self.subject = " ".join((self.subject or "").split())
        clean_rich_text_blocks(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("newsletters:detail", args=[self.pk])

    def archive_url(self):
        """The archive of the site it was sent from (branch, campaign, or LI)."""
        if self.branch_id:
            return reverse("newsletters:branch_archive", args=[self.branch.slug])
        if self.campaign_id:
            return reverse("newsletters:campaign_archive", args=[self.campaign.slug])
        return reverse("newsletters:archive")

    @property
    def kind(self):
        return self.KIND_OF_AUDIENCE[self.audience]

    @property
    def audience_key(self):
        """"branch:5", "region:1", "all", "campaign:9", "consultation:2" (newsletters.audiences)."""
        target_id = self.branch_id or self.region_id or self.campaign_id or self.consultation_id
        return self.audience if self.audience == self.Audience.ALL else f"{self.audience}:{target_id}"

    @property
    def audience_label(self):
        if self.audience == self.Audience.ALL:
            return "All members"
        if self.audience == self.Audience.BRANCH:
            return f"Members of the {self.branch.title} branch"
        if self.audience == self.Audience.REGION:
            return f"Members in {self.region.name}"
        if self.audience == self.Audience.CAMPAIGN:
            return f"Sign-ups of {self.campaign.title}"
        return f"Followers of {self.consultation}"

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT


def clean_rich_text_blocks(stream):
    """Clean every rich-text block's HTML where it is stored (cms.html_cleaning): what an officer
    pasted, or a client sent past the editor, can hold anything."""
    for child in stream:
        if child.block_type == "rich_text":
            child.value = RichText(clean_member_html(child.value.source, NEWSLETTER_FEATURES))


class NewsletterOptOut(models.Model):
    """A member does not receive newsletters of one kind (chosen on their preferences page, or by
    the one-click unsubscribe of such a newsletter)."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="newsletter_opt_outs")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["member", "kind"]
        constraints = [models.UniqueConstraint(fields=["member", "kind"], name="newsletter_opt_out_once")]

    def __str__(self):
        return f"{self.member} does not receive {self.get_kind_display().lower()}"
