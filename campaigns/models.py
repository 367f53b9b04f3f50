"""Campaign microsites: a campaign's page, its updates, its resources and its sign-up forms.

Each campaign is edited by its own volunteers ("<Campaign> campaign editors"), who see only
their campaign's pages, documents and form submissions (see cms.services.create_microsite_team).
"""

from datetime import date

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page

from .blocks import CampaignStreamBlock

UPDATES_ON_CAMPAIGN_PAGE = 10


class CampaignIndexPage(Page):
    """/campaigns/: every live campaign."""

    intro = RichTextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["campaigns.CampaignPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["campaigns"] = CampaignPage.objects.live().child_of(self).order_by("title")
        return context


class CampaignPage(Page):
    """A campaign's microsite: what it is for, its updates, resources and sign-up form."""

    summary = models.TextField(help_text="One or two sentences: what the campaign wants.")
    aim = models.CharField(max_length=255, blank=True, help_text="The change the campaign is fighting for.")
    body = StreamField(CampaignStreamBlock(), blank=True, use_json_field=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"), FieldPanel("aim"), FieldPanel("body"),
        InlinePanel("resources", label="Resources (documents)"),
    ]
    parent_page_types = ["campaigns.CampaignIndexPage"]
    subpage_types = ["campaigns.CampaignUpdatePage", "campaigns.CampaignFormPage"]

    api_fields = [APIField("summary"), APIField("aim"), APIField("body"), APIField("resources")]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["updates"] = (CampaignUpdatePage.objects.live().child_of(self)
                              .order_by("-date", "-pk")[:UPDATES_ON_CAMPAIGN_PAGE])
        context["resources"] = self.resources.select_related("document")
        context["forms"] = CampaignFormPage.objects.live().child_of(self)
        return context


class CampaignResource(Orderable):
    """A document a campaign offers (leaflet, briefing, template letter), kept in Wagtail's documents."""

    page = ParentalKey(CampaignPage, on_delete=models.CASCADE, related_name="resources")
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.CASCADE, related_name="+")
    description = models.CharField(max_length=255, blank=True)

    panels = [FieldPanel("document"), FieldPanel("description")]
    api_fields = [APIField("document"), APIField("description")]

    def __str__(self):
        return self.document.title


class CampaignUpdatePage(Page):
    """News of a campaign."""

    date = models.DateField(default=date.today)
    intro = models.TextField(blank=True)
    body = StreamField(CampaignStreamBlock(), blank=True, use_json_field=True)

    content_panels = Page.content_panels + [FieldPanel("date"), FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["campaigns.CampaignPage"]
    subpage_types = []
    api_fields = [APIField("date"), APIField("intro"), APIField("body")]

    class Meta:
        verbose_name = "campaign update"


class CampaignFormField(AbstractFormField):
    """One field of a campaign's sign-up form, built by its volunteers in the admin."""

    page = ParentalKey("CampaignFormPage", on_delete=models.CASCADE, related_name="form_fields")


class CampaignFormPage(AbstractEmailForm):
    """A sign-up form of a campaign; submissions are seen by that campaign's editors only."""

    intro = RichTextField(blank=True)
    thank_you_text = RichTextField(blank=True)

    content_panels = AbstractEmailForm.content_panels + [
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label="Form fields"),
        FieldPanel("thank_you_text"),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
            FieldPanel("subject"),
        ], heading="Email the campaign on each sign-up"),
    ]
    parent_page_types = ["campaigns.CampaignPage"]
    subpage_types = []
    api_fields = [APIField("intro")]

    class Meta:
        verbose_name = "campaign sign-up form"

    def get_submissions_list_view_class(self):
        # The admin's views load after the models (as in Wagtail's own method).
        from .admin_views import SignUpsListView

        return SignUpsListView
