"""The one StreamField block library all volunteers edit with."""

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


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


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False)

    class Meta:
        icon = "openquote"
        template = "cms/blocks/quote.html"


class UpcomingEventsBlock(blocks.StructBlock):
    """This branch's next events (the branch the page belongs to)."""

    heading = blocks.CharBlock(default="Upcoming events")
    count = blocks.IntegerBlock(default=5, min_value=1, max_value=20)

    class Meta:
        icon = "date"
        template = "cms/blocks/upcoming_events.html"


class LatestNewsBlock(blocks.StructBlock):
    """This branch's latest news items."""

    heading = blocks.CharBlock(default="Latest news")
    count = blocks.IntegerBlock(default=5, min_value=1, max_value=20)

    class Meta:
        icon = "doc-full"
        template = "cms/blocks/latest_news.html"


class BranchMotionsBlock(blocks.StructBlock):
    """The motions of this branch, from the tracker."""

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
