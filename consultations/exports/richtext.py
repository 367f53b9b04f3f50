"""Rich text (Wagtail's stored HTML, or any HTML) to Word paragraphs and runs.

Keeps what the rich text editor can express: headings, paragraphs, bold, italic,
underline, strike-through, super/subscript, line breaks, bulleted and numbered lists
(nested, each list numbered from 1), block quotes, horizontal rules, links (real Word
hyperlinks; Wagtail's internal page and document links are resolved by a callback) and
images (as their alternative text). Whitespace collapses as in a browser. Empty blocks
produce nothing. Anything unknown keeps its text. Nothing in the input can make it fail:
characters a .docx cannot hold are dropped and counted by the writer.

Given the numbered lines of the text (`workflows.lines.number_lines`), it begins each line with
its number, where the site's numbering wraps it: the blocks, runs and links stay as they are,
and a line break and the number go in between two words (a link cut by the wrap becomes two
links to the same address, so the number is not part of it). The lines are found by counting
the characters that are not white space, which the site's numbering and this converter read
alike from the same (cleaned) text.
"""

import re
from dataclasses import dataclass
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from cms.xmlsafe import drop_invalid_html

from .ooxml import RTL_CHARS, W_R, W_T, RunFormat, WordWriter, first_strong_direction

_HTML_WHITESPACE = re.compile("[ \t\n\r\f]+")
_PARSER = lxml.html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True)

_SKIPPED = {"script", "style", "head", "title", "template", "noscript", "iframe", "object"}
_BLOCKS = {
    "p", "div", "section", "article", "aside", "header", "footer", "main", "nav", "figure", "figcaption",
    "pre", "address", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "dl", "dt", "dd",
    "details", "summary", "form", "fieldset", "center", "body", "html",
}
_FORMATS = {
    "b": {"bold": True}, "strong": {"bold": True},
    "i": {"italic": True}, "em": {"italic": True}, "cite": {"italic": True}, "var": {"italic": True},
    "u": {"underline": True}, "ins": {"underline": True},
    "s": {"strike": True}, "strike": {"strike": True}, "del": {"strike": True},
    "sup": {"vert_align": "superscript"}, "sub": {"vert_align": "subscript"},
}
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_LINK_SCHEMES = {"http", "https", "mailto"}
_LIST_INDENT_TWIPS = 720
_LIST_STEP_TWIPS = 360


@dataclass
class _ListItem:
    num_id: int
    level: int
    numbered: bool = False  # the item's first paragraph carries the number; later ones are indented


@dataclass(frozen=True)
class _Block:
    """Where a paragraph created now goes: its style, and the list item it belongs to."""

    style_id: str | None = None
    item: _ListItem | None = None
    list_level: int = -1


class RichTextConverter:
    """Writes HTML into a `WordWriter`, after whatever the writer already holds.

    `heading_styles` maps h1…h6 to Word styles. Items sit under Heading 2 and their text has
    h3 and h4 headings (the editor's features), so h3 stays Heading 3 and anything bigger is
    brought down to it. `resolve_link(linktype, attributes)` turns Wagtail's
    `<a linktype="page" id="3">` into a URL (or None); relative URLs are joined to `base_url`.
    """

    def __init__(self, writer: WordWriter, *, base_url="", resolve_link=None, heading_styles=None):
        self.writer = writer
        self.base_url = base_url
        self.resolve_link = resolve_link
        self.heading_styles = heading_styles or {
            "h1": "Heading3", "h2": "Heading3", "h3": "Heading3", "h4": "Heading4", "h5": "Heading5", "h6": "Heading6",
        }
        self._reset()

    def _reset(self, lines=()):
        self._paragraphs = 0
        self._p = None
        self._ends_with_space = True
        self._has_rtl = False
        self._link_url = None
        self._link_element = None
        self._lines = tuple(lines)
        self._line_starts = _line_starts(self._lines)
        self._next_line = 0  # index in _line_starts of the next line to begin
        self._counted = 0  # characters other than spaces written so far
        self._at_line_start = True  # nothing written on the current line of the paragraph yet

    def convert(self, html, lines=()):
        """Append the paragraphs of `html`; returns how many were written.

        `lines`: the numbered lines of `html` (`workflows.lines.number_lines`), to begin each with its number.
        """
        self._paragraphs = 0
        html = drop_invalid_html(html or "", self.writer.dropped)
        self._reset(lines)
        try:
            root = lxml.html.fragment_fromstring(html, create_parent="div", parser=_PARSER)
        except (etree.ParserError, ValueError):
            # Not HTML at all (lxml gives up on some inputs): keep it as plain text.
            root = lxml.html.Element("div")
            root.text = html
        self._content(root, RunFormat.PLAIN, _Block())
        self._close()
        return self._paragraphs

    # ----- tree walking -----------------------------------------------------------------

    def _content(self, element, fmt, block):
        if element.text:
            self._text(element.text, fmt, block)
        for child in element:
            self._node(child, fmt, block)
            if child.tail:
                self._text(child.tail, fmt, block)

    def _node(self, element, fmt, block):
        tag = element.tag
        if not isinstance(tag, str):
            return
        tag = tag.lower()
        if tag in _FORMATS:
            self._content(element, fmt.with_(**_FORMATS[tag]), block)
        elif tag == "a":
            self._link(element, fmt, block)
        elif tag == "br":
            self._line_break()
        elif tag in ("img", "embed"):
            self._embed(element, fmt, block)
        elif tag in self.heading_styles:
            self._close()
            self._content(element, fmt, _Block(self.heading_styles[tag]))
            self._close()
        elif tag in ("ul", "ol"):
            self._close()
            self._list(element, fmt, block)
        elif tag == "li":
            # A list item outside any list: a bulleted list of its own.
            self._close()
            self._list_items([element], fmt, block, ordered=False, start=1, tails=False)
        elif tag == "blockquote":
            self._close()
            self._content(element, fmt, _Block("Quote", block.item, block.list_level))
            self._close()
        elif tag == "hr":
            self._close()
            self._horizontal_rule()
        elif tag in _BLOCKS:
            self._close()
            self._content(element, fmt, block)
            self._close()
        elif tag in _SKIPPED:
            return
        else:
            self._content(element, fmt, block)

    def _list(self, element, fmt, block):
        ordered = element.tag.lower() == "ol"
        try:
            start = max(1, int(element.get("start", "1")))
        except ValueError:
            start = 1
        self._list_items(element, fmt, block, ordered=ordered, start=start, tails=True)

    def _list_items(self, children, fmt, block, *, ordered, start, tails):
        level = min(block.list_level + 1, 8)
        num_id = None
        for child in children:
            if not isinstance(child.tag, str):
                continue
            if num_id is None:
                num_id = self.writer.new_list(ordered, level, start)
            item_block = _Block(None, _ListItem(num_id, level), level)
            self._close()
            if child.tag.lower() == "li":
                self._content(child, fmt, item_block)
            else:
                self._node(child, fmt, item_block)
            self._close()
            # Text between items (not valid HTML, but it happens) becomes a paragraph of the last item.
            if tails and child.tail and child.tail.strip():
                self._text(child.tail, fmt, item_block)
                self._close()

    def _link(self, element, fmt, block):
        url = self._link_target(element)
        outer_url, outer_element = self._link_url, self._link_element
        if url:
            self._link_url, self._link_element = url, None
            fmt = fmt.with_(style_id="Hyperlink")
        self._content(element, fmt, block)
        self._link_url, self._link_element = outer_url, None if url else outer_element

    def _link_target(self, element):
        linktype = element.get("linktype")
        if linktype:
            if self.resolve_link is None:
                return None
            href = self.resolve_link(linktype, dict(element.attrib))
        else:
            href = element.get("href")
        if not href:
            return None
        href = href.strip()
        if href.startswith("#"):
            return None
        if self.base_url and not _SCHEME.match(href):
            href = urljoin(self.base_url, href)
        # Word follows any scheme it is given (file:, ms-…: protocol handlers): web and mail links only.
        scheme = _SCHEME.match(href)
        if scheme is None or scheme.group(1).lower() not in _LINK_SCHEMES:
            return None
        return href

    def _embed(self, element, fmt, block):
        if element.get("embedtype") == "media" and element.get("url"):
            url = element.get("url")
            self._close()
            outer = self._link_url
            self._link_url, self._link_element = url, None
            self._text(url, fmt.with_(style_id="Hyperlink"), block)
            self._link_url, self._link_element = outer, None
            self._close()
            return
        alt = (element.get("alt") or "").strip()
        self._text(f" [Image: {alt}] " if alt else " [Image] ", fmt.with_(italic=True), block)

    # ----- paragraphs ---------------------------------------------------------------------

    def _open(self, block):
        self._paragraphs += 1
        item = block.item
        if item is not None and not item.numbered:
            self._p = self.writer.paragraph(block.style_id or "ListParagraph", num_id=item.num_id, level=item.level)
            item.numbered = True
        else:
            self._p = self.writer.paragraph(block.style_id)
            if item is not None:
                self.writer.set_paragraph_indent(self._p, _list_indent(item))
        if self._next_line < len(self._line_starts):
            self.writer.set_number_column(self._p, _list_indent(item) if item is not None else 0)
        self._link_element = None
        self._ends_with_space = True
        self._has_rtl = False
        self._at_line_start = True

    def _text(self, text, fmt, block):
        text = _HTML_WHITESPACE.sub(" ", text)
        if self._p is None:
            text = text.lstrip(" ")
            if not text:
                return
            self._open(block)
        elif self._ends_with_space and text.startswith(" "):
            text = text[1:]
        if not text:
            return
        starts, counted = self._line_starts, self._counted
        words = len(text) - text.count(" ")  # the whitespace is collapsed: only spaces are left
        while self._next_line < len(starts) and starts[self._next_line] < counted + words:
            before = starts[self._next_line] - counted  # characters of `text` (not spaces) on the line before
            cut = _index_of_character(text, before)
            fmt = self._run(text[:cut], fmt)
            self.writer.line_number(self._p, self._lines[self._next_line].number, new_line=not self._at_line_start)
            self._link_element = None  # the rest of a link goes on in a link of its own, after the number
            self._next_line += 1
            counted, words, text = counted + before, words - before, text[cut:]
        self._counted = counted + words
        self._run(text, fmt)

    def _run(self, text, fmt):
        """Write `text` in the paragraph (in the open link, if any); returns the format it was written in."""
        if not text:
            return fmt
        container = self._p
        if self._link_url:
            if self._link_element is None:
                self._link_element = self.writer.hyperlink(self._p, self._link_url)
                if self._link_element is None:
                    self._link_url = None
                    fmt = fmt.with_(style_id=None)
            container = self._link_element if self._link_element is not None else self._p
        written = self.writer.text_run(container, text, fmt)
        if written:
            self._ends_with_space = written.endswith(" ")
            self._at_line_start = False
            if not self._has_rtl and RTL_CHARS.search(written):
                self._has_rtl = True
        return fmt

    def _line_break(self):
        if self._p is not None:
            self.writer.line_break(self._link_element if self._link_element is not None else self._p)
            self._ends_with_space = True
            self._at_line_start = True

    def _horizontal_rule(self):
        self._paragraphs += 1
        p = self.writer.paragraph()
        self.writer.bottom_border(p)

    def _close(self):
        p = self._p
        if p is None:
            return
        self._p = None
        self._link_element = None
        texts = list(p.iter(W_T))
        if texts and texts[-1].text.endswith(" "):
            texts[-1].text = texts[-1].text.rstrip(" ")
        if self._has_rtl:
            self._apply_direction(p, texts)

    def _apply_direction(self, p, texts):
        """Right-to-left paragraphs (and runs) where the text starts in a right-to-left script."""
        if first_strong_direction("".join(t.text for t in texts)) == "rtl":
            self.writer.set_right_to_left(p)
        for run in p.iter(W_R):
            t = run.find(W_T)
            if t is not None and RTL_CHARS.search(t.text) and first_strong_direction(t.text) == "rtl":
                self.writer.mark_run_right_to_left(run)


def _list_indent(item):
    return _LIST_INDENT_TWIPS + _LIST_STEP_TWIPS * item.level


def _line_starts(lines):
    """Where each numbered line begins: how many characters other than spaces come before it."""
    starts, counted = [], 0
    for line in lines:
        starts.append(counted)
        counted += len(line.text) - line.text.count(" ")
    return starts


def _index_of_character(text, count):
    """The index in `text` of its character other than a space that has `count` such characters before it."""
    seen = 0
    for index, char in enumerate(text):
        if char != " ":
            if seen == count:
                return index
            seen += 1
    return len(text)
