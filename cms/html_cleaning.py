"""Cleaning HTML that members type, before it is stored as rich text.

Members may paste HTML into the plain-text boxes of the site (motions, submissions). It is kept
only as far as the rich-text features of the field allow, through Wagtail's own allowlist (the
converter the admin's editor uses): no script, no iframe, no event-handler or style attribute,
no javascript: link. Templates can then show stored rich text as it is.
"""

from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter

ITEM_TEXT_FEATURES = ("bold", "italic", "ol", "ul", "link", "h3", "h4")


def clean_member_html(html, features=ITEM_TEXT_FEATURES):
    """`html` with only the elements and attributes of `features` left (text content is kept)."""
    return EditorHTMLConverter(features=list(features)).to_database_format(html or "")
