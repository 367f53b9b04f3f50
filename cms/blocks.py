"""The one StreamField block library all volunteers edit with."""

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

# `selector(branch, count)`, provided by the app above that holds the motions (workflows).
_branch_motions_selector = None


def provide_branch_motions(selector):
    """The workflow engine (above this app) tells the branch pages' block how to list a branch's
    motions: `selector(branch, count)`, newest first (from WorkflowsConfig.ready)."""
    global _branch_motions_selector
    _branch_motions_selector = selector


def branch_motions(branch, count):
    """The motions of a branch for its site, newest first; none until an app provides them."""
    if branch is None or _branch_motions_selector is None:
        return []
    return list(_branch_motions_selector(branch, count))


class BranchContextBlock(blocks.StructBlock):
    """A block that lists things of the branch the page belongs to."""

    def branch_items(self, branch, value, request):
        raise NotImplementedError

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        # Branch pages, and news, events and pages under a branch, know their branch (`.branch`).
        parent_context = parent_context or {}
        branch = getattr(parent_context.get("page"), "branch", None)
        context["branch"] = branch
        context["items"] = self.branch_items(branch, value, parent_context.get("request")) if branch else []
        return context


class ImageWithCaptionBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False)
    alt_text = blocks.CharBlock(required=False, help_text="Describe the image for screen readers.")

    class Meta:
        icon = "image"
        template = "cms/blocks/image_with_caption.html"


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock()
    text = blocks.TextBlock(required=False)
    button_label = blocks.CharBlock()
    link = blocks.URLBlock(required=False)
    page = blocks.PageChooserBlock(required=False)

    class Meta:
        icon = "pick"
        template = "cms/blocks/call_to_action.html"

    def bulk_to_python(self, values):
        # Most calls to action link a web address, not a page; for none, Wagtail's page chooser would
        # still build a query (in_bulk([None])), a millisecond on every page showing one.
        if any(value.get("page") is not None for value in values):
            return super().bulk_to_python(values)
        return [self.to_python(value) for value in values]


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False)

    class Meta:
        icon = "openquote"
        template = "cms/blocks/quote.html"


class UpcomingEventsBlock(BranchContextBlock):
    """This branch's next meetings and events (the branch the page belongs to)."""

    def branch_items(self, branch, value, request):
        return branch.upcoming_meetings_and_events(value["count"], request)

    heading = blocks.CharBlock(default="Upcoming events")
    count = blocks.IntegerBlock(default=5, min_value=1, max_value=20)

    class Meta:
        icon = "date"
        template = "cms/blocks/upcoming_events.html"


class LatestNewsBlock(BranchContextBlock):
    """This branch's latest news items."""

    def branch_items(self, branch, value, request):
        return list(branch.news()[: value["count"]])

    heading = blocks.CharBlock(default="Latest news")
    count = blocks.IntegerBlock(default=5, min_value=1, max_value=20)

    class Meta:
        icon = "doc-full"
        template = "cms/blocks/latest_news.html"


class BranchMotionsBlock(BranchContextBlock):
    """The motions of this branch, from the tracker."""

    def branch_items(self, branch, value, request):
        return branch_motions(branch, value["count"])

    heading = blocks.CharBlock(default="Motions from this branch")
    count = blocks.IntegerBlock(default=10, min_value=1, max_value=50)

    class Meta:
        icon = "list-ul"
        template = "cms/blocks/branch_motions.html"


class BranchStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(form_classname="title", icon="title", template="cms/blocks/heading.html")
    rich_text = blocks.RichTextBlock(icon="pilcrow")
    image = ImageWithCaptionBlock()
    call_to_action = CallToActionBlock()
    video = EmbedBlock(icon="media", help_text="A YouTube or Vimeo link.")
    quote = QuoteBlock()
    upcoming_events = UpcomingEventsBlock()
    latest_news = LatestNewsBlock()
    branch_motions = BranchMotionsBlock()
