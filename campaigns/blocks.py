"""The blocks campaign volunteers edit with: the site's general blocks, without branch listings."""

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock

from cms.blocks import CallToActionBlock, ImageWithCaptionBlock, QuoteBlock


class CampaignStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(form_classname="title", icon="title", template="cms/blocks/heading.html")
    rich_text = blocks.RichTextBlock(icon="pilcrow")
    image = ImageWithCaptionBlock()
    call_to_action = CallToActionBlock()
    video = EmbedBlock(icon="media", help_text="A YouTube or Vimeo link.")
    quote = QuoteBlock()
