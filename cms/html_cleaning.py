"""Cleaning HTML that a person typed, before it is stored as rich text: THE sanitizer.

Members paste HTML into the text boxes of the site (motions, policy submissions, proposals) and
officers type minutes and texts "carried as amended". Every service that stores such HTML calls
`clean_member_html` first, so what is stored can be shown as it is (the `richtext` filter, the
API's `text`, emails, the Word export) by members and in the admin alike.

It is nh3 (maintained bindings of the ammonia crate, an HTML5 parser plus an allowlist), not
a regular expression or Wagtail's editor whitelister, which passes CDATA sections and
comments through unchanged (`<![CDATA[><script>…` runs in a browser). Only the elements the
rich-text features need survive; an element outside the list is dropped and its text kept,
except the ones whose content is code or a foreign document (script, style, iframe, object,
svg…), which go with their content. Links keep `href` only for http, https, mailto and
relative URLs, and get rel="noopener nofollow"; Wagtail's internal page and document links
(`<a linktype="page" id="3">`) keep their numeric id. No attribute other than these survives:
no event handler, no style, no class, no id.

Cleaning is idempotent: cleaning a cleaned text changes nothing.
"""

from functools import lru_cache

import nh3

# Wagtail rich-text feature → the elements it stores.
FEATURE_ELEMENTS = {
    "h2": {"h2"},
    "h3": {"h3"},
    "h4": {"h4"},
    "bold": {"b", "strong"},
    "italic": {"i", "em"},
    "ol": {"ol", "li"},
    "ul": {"ul", "li"},
    "link": {"a"},
    "document-link": {"a"},
    "blockquote": {"blockquote"},
    "hr": {"hr"},
    "code": {"code"},
    "superscript": {"sup"},
    "subscript": {"sub"},
    "strikethrough": {"s"},
    # Not an editor feature: the marks of a word diff (workflows.lines.diff_html), never stored.
    "diff": {"del", "ins"},
}
# Paragraphs and line breaks are what plain text becomes: always allowed.
ALWAYS_ALLOWED = {"p", "br"}

# Texts of items (motions, policy submissions, proposals, their revisions, texts carried as amended):
# the features of Item.text, with the headings and quotes people paste from elsewhere.
ITEM_TEXT_FEATURES = ("h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "blockquote")
# Longer officers' texts (minutes): headings, lists, quotes and rules as well.
RICH_TEXT_FEATURES = ("h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "blockquote", "hr")

# Removed together with everything inside them: code, or documents of another kind.
DROPPED_WITH_CONTENT = {
    "script", "style", "template", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet",
    "svg", "math", "textarea", "select", "xmp", "noembed", "noframes", "title", "head", "meta", "link", "base",
}
LINK_SCHEMES = {"http", "https", "mailto"}
INTERNAL_LINK_TYPES = {"page", "document"}


def _link_attribute(element, attribute, value):
    """Keep an internal link's type and numeric id (Wagtail expands them when rendering); the
    allowlist has already dropped every other attribute, and nh3 checks href's scheme."""
    if attribute == "linktype":
        return value if value in INTERNAL_LINK_TYPES else None
    if attribute == "id":
        return value if value.isascii() and value.isdigit() else None
    return value


@lru_cache(maxsize=16)
def _cleaner(features):
    tags = set(ALWAYS_ALLOWED)
    for feature in features:
        tags |= FEATURE_ELEMENTS.get(feature, set())
    attributes = {"a": {"href", "linktype", "id"}} if "a" in tags else {}
    return nh3.Cleaner(
        tags=tags,
        clean_content_tags=DROPPED_WITH_CONTENT - tags,
        attributes=attributes,
        attribute_filter=_link_attribute,
        strip_comments=True,
        link_rel="noopener nofollow",
        url_schemes=LINK_SCHEMES,
    )


def clean_member_html(html, features=ITEM_TEXT_FEATURES):
    """`html` (typed or pasted by a member or an officer) with only the elements of the rich-text
    `features` left, and nothing active: call it in the service that stores the text."""
    if not html:
        return ""
    # NUL cannot be stored by PostgreSQL and means nothing in a text.
    return _cleaner(tuple(features)).clean(str(html).replace("\x00", "")).strip()
