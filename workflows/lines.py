"""Line numbers of a motion's text, amendments to those lines, and word diffs: pure Python.

A motion's text is Wagtail rich text (HTML): blocks (<p>, <h2>–<h4>, <li> inside <ul>/<ol>)
holding inline text (bold, italic, links, line breaks). As OpenSlides does, every block is
word-wrapped at `width` characters of visible text and the wrapped lines are numbered from 1
through the whole text, so "line 14" means the same words for everyone who reads the same text.
A word longer than a line is cut at the width. `<br>` ends a line.

An amendment (`Change`) deletes or replaces lines first..last, or inserts after line `first`
(0: before line 1). Every change of a set refers to the lines of the ORIGINAL text, so a set
of changes that do not touch the same lines gives one text whatever their order. How text joins:
- replaced lines: the new text takes their place in the flow of words; its first paragraph joins
  what is left of the first block before the lines, its last paragraph what is left of the last
  block after them (one paragraph replacing lines across two blocks joins them into one);
  paragraphs in between become blocks of their own (<li> in a list, else <p>);
- deleted lines: gone; what is left of the first and of the last block stays apart;
- an insertion between two lines of one block joins that block; after the last line of a block
  (or before line 1) each paragraph of the text becomes a new block after (before) it.
Blocks left empty, and lists left empty, go.

Characters no text means and a .docx cannot hold (most C0 controls) are dropped on the way in
(`cms.xmlsafe`). Everything returned is built from escaped text and then passed through the project's one
sanitizer (`cms.html_cleaning.clean_member_html`), which the input goes through first too: no
script, event handler, javascript: link, comment or CDATA section comes out as markup.

No Django here (cms.html_cleaning is nh3 only), so the rules can be tested and reused alone.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from html.parser import HTMLParser

from cms.html_cleaning import ITEM_TEXT_FEATURES, clean_member_html
from cms.xmlsafe import drop_invalid_html

WIDTH = 80
BLOCK_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li"})
CONTAINER_TAGS = frozenset({"ul", "ol", "blockquote"})
INLINE_TAGS = frozenset({"b", "strong", "i", "em", "a", "code", "s", "sup", "sub"})
LINK_ATTRIBUTES = ("href", "linktype", "id")
# What an amendment's new text may hold: paragraphs of inline text.
INLINE_FEATURES = ("bold", "italic", "link")
DIFF_FEATURES = (*ITEM_TEXT_FEATURES, "diff")
KINDS = ("delete", "replace", "insert")

_HTML_SPACE = re.compile(r"[ \t\n\r\f]+|[^ \t\n\r\f]+")
_BLANK_LINE = re.compile(r"\n[ \t\r\f]*\n")


# --------------------------------------------------------------------------- what callers get


@dataclass(frozen=True)
class Run:
    """A stretch of a line with one formatting: for a Word document."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str = ""


@dataclass(frozen=True)
class Line:
    """One numbered line: `html` is its inline HTML, balanced (a bold stretch cut by the wrap is
    closed at the end of the line and opened again on the next), `text` its visible text."""

    number: int
    block: int  # index of its block (paragraph, heading, list item) in the text, from 0
    tag: str  # "p", "h3", "h4", "li"…
    html: str
    text: str
    starts_block: bool = False
    marker: str = ""  # "•" or "3." on the first line of a list item
    runs: tuple[Run, ...] = field(default=(), repr=False, compare=False)


@dataclass(frozen=True)
class Change:
    """One amendment's operation on the lines of the original text.

    kind "delete": lines first..last go; "replace": lines first..last become `text`; "insert":
    `text` goes after line `first` (0: before line 1; `last` is ignored). `text` is plain text or
    simple inline HTML; a blank line separates paragraphs. `label` (an amendment's reference)
    only names it in messages."""

    kind: str
    first: int
    last: int | None = None
    text: str = ""
    label: str = field(default="", compare=False)

    @classmethod
    def delete(cls, first, last=None, label=""):
        return cls("delete", first, first if last is None else last, "", label)

    @classmethod
    def replace(cls, first, last, text, label=""):
        return cls("replace", first, last, text, label)

    @classmethod
    def insert(cls, after, text, label=""):
        return cls("insert", after, after, text, label)

    @property
    def end(self):
        """The last line it changes (for an insertion: the line it goes after)."""
        if self.kind == "insert" or self.last is None:
            return self.first
        return self.last

    def describe(self):
        """ "Delete lines 4–6", "Replace line 3", "Insert after line 12", "Insert before line 1"."""
        if self.kind == "insert":
            return "Insert before line 1" if self.first == 0 else f"Insert after line {self.first}"
        verb = "Delete" if self.kind == "delete" else "Replace"
        if self.first == self.end:
            return f"{verb} line {self.first}"
        return f"{verb} lines {self.first}–{self.end}"

    def name(self):
        return f"{self.label} ({self.describe().lower()})" if self.label else self.describe()


class BadChange(ValueError):
    """A change that cannot be made; the message is for the member who asked for it."""


class Overlap(BadChange):
    """Two changes touch the same line, or insert at the same place: an officer settles them."""

    def __init__(self, first: Change, second: Change):
        self.changes = (first, second)
        super().__init__(_overlap_message(first, second))


@dataclass(frozen=True)
class ChangeView:
    """What the motion page shows for one amendment."""

    change: Change
    summary: str  # "Replace lines 4–6"
    lines: list[Line]  # the original lines it touches (for an insertion: the line it goes after)
    new_html: str  # its new text as paragraphs, cleaned ("" for a deletion)
    diff: str  # the touched lines against what replaces them (<del>, <ins>), cleaned


# --------------------------------------------------------------------------- the text as tokens


class _Word:
    """A run of non-space characters; its pieces may carry different marks (bo<b>ld</b>)."""

    __slots__ = ("pieces", "length")

    def __init__(self, pieces):
        self.pieces = pieces  # [(text, marks)]
        self.length = sum(len(text) for text, _ in pieces)


class _Gap:
    """What separates two words: a space, a line break ("br"), or nothing ("", a cut long word)."""

    __slots__ = ("kind", "marks")
    STRENGTH = {"": 0, " ": 1, "br": 2}

    def __init__(self, kind, marks=()):
        self.kind = kind
        self.marks = marks


_SPACE = _Gap(" ")


class _Node:
    """A structural element (container or block) of the text; children are nodes or block indexes."""

    __slots__ = ("tag", "children", "implicit", "marker")

    def __init__(self, tag, implicit=False, marker=""):
        self.tag = tag
        self.children = []
        self.implicit = implicit
        self.marker = marker


class _Block:
    __slots__ = ("index", "tag", "node", "marker", "tokens")

    def __init__(self, index, node, marker):
        self.index = index
        self.tag = node.tag
        self.node = node
        self.marker = marker
        self.tokens = []  # _Word, _Gap, _Word… (starts and ends with a word once closed)


class _Parser(HTMLParser):
    """Cleaned HTML → a tree of nodes whose blocks hold words and gaps."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Node("")
        self.stack = [self.root]
        self.marks = ()  # the open inline elements, outermost first
        self.blocks = []
        self.block = None
        self.word = None
        self.gap = None

    # words
    def _end_word(self):
        if self.word:
            self.block.tokens.append(_Word(self.word))
        self.word = None

    def _end_block(self):
        self._end_word()
        self.block = self.gap = None

    def _want_gap(self, gap):
        self._end_word()
        if self.gap is None or _Gap.STRENGTH[gap.kind] > _Gap.STRENGTH[self.gap.kind]:
            self.gap = gap

    def _ensure_block(self):
        if self.block is not None:
            return
        top = self.stack[-1]
        if top.tag not in BLOCK_TAGS:
            node = _Node("li" if top.tag in ("ul", "ol") else "p", implicit=True, marker=self._marker("li", top))
            top.children.append(node)
            self.stack.append(node)
            top = node
        first = not any(isinstance(child, int) for child in top.children)
        self.block = _Block(len(self.blocks), top, top.marker if first else "")
        self.blocks.append(self.block)
        top.children.append(self.block.index)

    @staticmethod
    def _marker(tag, parent):
        if tag != "li":
            return ""
        if parent.tag == "ol":
            return f"{sum(1 for c in parent.children if isinstance(c, _Node) and c.tag == 'li') + 1}."
        return "•" if parent.tag == "ul" else ""

    def _pop_implicit(self):
        while self.stack[-1].implicit:
            self.stack.pop()

    # parser events
    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS or tag in CONTAINER_TAGS:
            self._end_block()
            self._pop_implicit()
            parent = self.stack[-1]
            node = _Node(tag, marker=self._marker(tag, parent))
            parent.children.append(node)
            self.stack.append(node)
        elif tag == "br":
            if self.block is not None:
                self._want_gap(_Gap("br", self.marks))
        elif tag in INLINE_TAGS:
            kept = tuple((name, value or "") for name, value in attrs if tag == "a" and name in LINK_ATTRIBUTES)
            self.marks = (*self.marks, (tag, kept))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in INLINE_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS or tag in CONTAINER_TAGS:
            self._end_block()
            self._pop_implicit()
            if any(node.tag == tag for node in self.stack[1:]):
                while self.stack.pop().tag != tag:
                    pass
        elif tag in INLINE_TAGS:
            for i in range(len(self.marks) - 1, -1, -1):
                if self.marks[i][0] == tag:
                    self.marks = self.marks[:i] + self.marks[i + 1 :]
                    break

    def handle_data(self, data):
        for match in _HTML_SPACE.finditer(data):
            chunk = match.group()
            if chunk[0] in " \t\n\r\f":
                if self.block is not None and (self.word or self.block.tokens):
                    self._end_word()
                    if self.gap is None:
                        self.gap = _Gap(" ", self.marks)
                continue
            self._ensure_block()
            if self.word is None:
                if self.gap is not None and self.block.tokens:
                    self.block.tokens.append(self.gap)
                self.gap = None
                self.word = []
            self.word.append((chunk, self.marks))

    def close(self):
        super().close()
        self._end_block()


def _clean(html, features=ITEM_TEXT_FEATURES):
    """The sanitizer's output, without the control characters no text means (nor a .docx holds)."""
    return clean_member_html(drop_invalid_html(str(html or "")), features)


def _parse(clean_html):
    parser = _Parser()
    parser.feed(clean_html)
    parser.close()
    return parser


# --------------------------------------------------------------------------- writing tokens out


def _open_tag(mark):
    tag, attrs = mark
    return "<" + tag + "".join(f' {name}="{escape(value)}"' for name, value in attrs) + ">"


def _render(tokens):
    """Inline HTML of tokens; marks are opened and closed as the pieces need them, all closed at the end."""
    out = []
    open_marks = ()

    def switch(marks):
        nonlocal open_marks
        if marks == open_marks:
            return
        keep = 0
        for a, b in zip(open_marks, marks, strict=False):
            if a != b:
                break
            keep += 1
        for mark in reversed(open_marks[keep:]):
            out.append(f"</{mark[0]}>")
        for mark in marks[keep:]:
            out.append(_open_tag(mark))
        open_marks = marks

    for token in tokens:
        if isinstance(token, _Word):
            for text, marks in token.pieces:
                switch(marks)
                out.append(escape(text, quote=False))
        elif token.kind:
            switch(token.marks)
            out.append(" " if token.kind == " " else "<br>")
    switch(())
    return "".join(out)


def _plain(tokens):
    return "".join(
        "".join(text for text, _ in t.pieces) if isinstance(t, _Word) else (" " if t.kind else "") for t in tokens
    )


def _formatting(marks, known={}):  # noqa: B006 (a cache: marks are hashable tuples)
    found = known.get(marks)
    if found is None:
        bold = any(tag in ("b", "strong") for tag, _ in marks)
        italic = any(tag in ("i", "em") for tag, _ in marks)
        link = next((dict(attrs).get("href", "") for tag, attrs in marks if tag == "a"), "")
        found = known[marks] = (bold, italic, link)
    return found


def _runs(tokens):
    runs = []  # [[text pieces], formatting]

    def add(text, marks):
        formatting = _formatting(marks)
        if runs and runs[-1][1] == formatting:
            runs[-1][0].append(text)
        else:
            runs.append([[text], formatting])

    for token in tokens:
        if isinstance(token, _Word):
            for text, marks in token.pieces:
                add(text, marks)
        elif token.kind:
            add(" " if token.kind == " " else "\n", token.marks)
    return tuple(Run("".join(texts), *formatting) for texts, formatting in runs)


# --------------------------------------------------------------------------- wrapping


class _LineRecord:
    """A line as the merge needs it: its tokens and the gap that separates it from the line before."""

    __slots__ = ("block", "tokens", "gap_before")

    def __init__(self, block, tokens, gap_before):
        self.block = block
        self.tokens = tokens
        self.gap_before = gap_before  # None on the first line of a block


def _cut(word, width):
    """A word longer than a line as words of `width` characters (joined by empty gaps)."""
    parts, current, room = [], [], width
    for text, marks in word.pieces:
        while text:
            take = text[:room]
            current.append((take, marks))
            text = text[room:]
            room -= len(take)
            if room == 0:
                parts.append(_Word(current))
                current, room = [], width
    if current:
        parts.append(_Word(current))
    return parts


def _wrap(block, width):
    records = []
    tokens = block.tokens
    line, length, gap_before = [], 0, None
    pending_gap = None
    for token in tokens:
        if isinstance(token, _Gap):
            pending_gap = token
            continue
        words = _cut(token, width) if token.length > width else [token]
        for i, word in enumerate(words):
            gap = pending_gap if i == 0 else _Gap("")
            if not line:
                line, length = [word], word.length
                continue
            extra = 1 if gap.kind == " " else 0
            if gap.kind == "br" or i > 0 or (i == 0 and len(words) > 1) or length + extra + word.length > width:
                records.append(_LineRecord(block.index, line, gap_before))
                line, length, gap_before = [word], word.length, gap
            else:
                line += [gap, word]
                length += extra + word.length
        pending_gap = None
    if line:
        records.append(_LineRecord(block.index, line, gap_before))
    return records


class _Layout:
    def __init__(self, html, width):
        if width < 1:
            raise ValueError("A line holds at least one character.")
        parsed = _parse(_clean(html))
        self.root = parsed.root
        self.blocks = parsed.blocks
        self.records = [record for block in self.blocks for record in _wrap(block, width)]


def number_lines(html, width=WIDTH) -> list[Line]:
    """The numbered lines of `html` (Wagtail rich text), wrapped at `width` characters.

    The same text always gives the same lines, so the last texts numbered are kept (a motion page numbers
    its text, its original and each amendment's base text: mostly the same few texts)."""
    return list(_numbered(html or "", width))


@lru_cache(maxsize=128)
def _numbered(html, width):
    return tuple(_lines(_Layout(html, width)))


def _lines(layout):
    lines = []
    for number, record in enumerate(layout.records, start=1):
        block = layout.blocks[record.block]
        starts = record.gap_before is None
        lines.append(
            Line(
                number=number,
                block=record.block,
                tag=block.tag,
                html=clean_member_html(_render(record.tokens)),
                text=_plain(record.tokens),
                starts_block=starts,
                marker=block.marker if starts else "",
                runs=_runs(record.tokens),
            )
        )
    return lines


# --------------------------------------------------------------------------- checking changes


def _lines_word(count):
    return "1 line" if count == 1 else f"{count} lines"


def _paragraphs(text):
    """The paragraphs of an amendment's new text, as token lists (blank lines and <p>s separate them)."""
    paragraphs = []
    for part in _BLANK_LINE.split((text or "").replace("\r\n", "\n").strip()):
        for block in _parse(_clean(part, INLINE_FEATURES)).blocks:
            if block.tokens:
                paragraphs.append(block.tokens)
    return paragraphs


def check_change(lines, change):
    """Raise BadChange (a message for the member) unless `change` can be made to the text of `lines`."""
    _check(len(lines), change)


def _check(count, change, paragraphs=None):
    if change.kind not in KINDS:
        raise BadChange("Choose what the amendment does: delete, replace or insert lines.")
    for number in (change.first, change.last):
        if number is not None and (not isinstance(number, int) or isinstance(number, bool)):
            raise BadChange("Line numbers are whole numbers.")
    if change.kind == "insert":
        if change.first < 0 or change.first > count:
            if count == 0 and change.first > 0:
                raise BadChange("The motion has no text yet: insert before line 1 (line 0).")
            raise BadChange(f"Line {change.first} does not exist: the motion has {_lines_word(count)}.")
    else:
        if count == 0:
            raise BadChange("The motion has no lines to change.")
        for number in (change.first, change.end):
            if number < 1 or number > count:
                raise BadChange(f"Line {number} does not exist: the motion has {_lines_word(count)}.")
        if change.first > change.end:
            raise BadChange(f"The first line ({change.first}) comes after the last line ({change.end}).")
    if change.kind != "delete":
        if paragraphs is None:
            paragraphs = _paragraphs(change.text)
        if not paragraphs:
            if change.kind == "insert":
                raise BadChange("Say what to insert.")
            raise BadChange(f"Say what should replace {change.describe()[len('Replace ') :]}.")
    return paragraphs


def _span(change):
    """(low, high) in half-lines: line n is 2n; the place after line n is 2n + 1."""
    if change.kind == "insert":
        return 2 * change.first + 1, 2 * change.first + 1
    return 2 * change.first, 2 * change.end


def conflicts(changes):
    """Pairs (a, b) of the changes (a before b in `changes`) that touch the same line or insert at
    the same place; an insertion right after or before lines another change replaces does not clash."""
    spans = [(_span(c), i, c) for i, c in enumerate(changes)]
    spans.sort(key=lambda s: (s[0], s[1]))
    pairs = []
    for n, ((_, high), i, a) in enumerate(spans):
        for (other_low, _), j, b in spans[n + 1 :]:
            if other_low > high:
                break
            pairs.append((a, b) if i < j else (b, a))
    order = {id(c): i for i, c in enumerate(changes)}
    pairs.sort(key=lambda pair: (order[id(pair[0])], order[id(pair[1])]))
    return pairs


def _overlap_message(a, b):
    (low_a, high_a), (low_b, high_b) = _span(a), _span(b)
    if a.kind == "insert" and b.kind == "insert":
        where = "before line 1" if a.first == 0 else f"after line {a.first}"
        return f"{a.name()} and {b.name()} both insert {where}: settle them together."
    if a.kind == "insert" or b.kind == "insert":
        inserting, other = (a, b) if a.kind == "insert" else (b, a)
        return f"{inserting.name()} inserts inside the lines {other.name()} changes: settle them together."
    shared = max(low_a, low_b) // 2, min(high_a, high_b) // 2
    where = f"line {shared[0]}" if shared[0] == shared[1] else f"lines {shared[0]}–{shared[1]}"
    return f"{a.name()} and {b.name()} both change {where}: settle them together."


# --------------------------------------------------------------------------- applying changes


class _Start:
    __slots__ = ("block",)

    def __init__(self, block):
        self.block = block


class _New:
    """A new block, placed after (before) the node holding block `anchor` of the original text."""

    __slots__ = ("anchor", "before")

    def __init__(self, anchor, before=False):
        self.anchor = anchor
        self.before = before


def apply_changes(html, changes, width=WIDTH) -> str:
    """`html` with `changes` made (each refers to the lines of `html` itself), as cleaned HTML.
    Raises BadChange for a change that cannot be made, Overlap for two that clash."""
    layout = _Layout(html, width)
    records = layout.records
    count = len(records)
    changes = list(changes)
    texts = {}
    for change in changes:
        texts[id(change)] = _check(count, change)
    pairs = conflicts(changes)
    if pairs:
        raise Overlap(*pairs[0])
    if not changes:
        return _render_tree(layout, {b.index: b.tokens for b in layout.blocks}, {}, {})

    starting = {c.first: c for c in changes if c.kind != "insert"}
    inserting = {c.first: c for c in changes if c.kind == "insert"}
    flow = []

    def insert_after(k):
        change = inserting.get(k)
        if change is None:
            return
        paragraphs = texts[id(change)]
        if k == 0:
            anchor, before = (records[0].block, True) if records else (None, False)
        else:
            anchor, before = records[k - 1].block, False
        if 0 < k < count and records[k].block == records[k - 1].block:  # between two lines of a block
            flow.append(_SPACE)
            flow.extend(paragraphs[0])
            paragraphs = paragraphs[1:]
        for paragraph in paragraphs:
            flow.append(_New(anchor, before))
            flow.extend(paragraph)

    insert_after(0)
    k = 1
    while k <= count:
        record = records[k - 1]
        flow.append(_Start(record.block) if record.gap_before is None else record.gap_before)
        change = starting.get(k)
        if change is None:
            flow.extend(record.tokens)
        else:
            paragraphs = texts[id(change)] or []
            first_block, last_block = record.block, records[change.end - 1].block
            if paragraphs:
                flow.extend(paragraphs[0])
                for paragraph in paragraphs[1:-1]:
                    flow.append(_New(first_block))
                    flow.extend(paragraph)
                if len(paragraphs) > 1:
                    flow.append(_Start(last_block) if last_block != first_block else _New(first_block))
                    flow.extend(paragraphs[-1])
            elif last_block != first_block:
                flow.append(_Start(last_block))
            k = change.end
        insert_after(k)
        k += 1

    contents, after, before, loose = {}, {}, {}, []
    current = None
    for item in flow:
        if isinstance(item, _Start):
            current = contents[item.block] = []
        elif isinstance(item, _New):
            current = []
            if item.anchor is None:  # inserted into a text with no lines
                loose.append(current)
            else:
                (before if item.before else after).setdefault(item.anchor, []).append(current)
        else:
            current.append(item)
    return _render_tree(layout, contents, after, before, loose)


def _tidy(tokens):
    """No gap at either end, one gap (the strongest) between two words."""
    out = []
    gap = None
    for token in tokens:
        if isinstance(token, _Gap):
            if out and (gap is None or _Gap.STRENGTH[token.kind] > _Gap.STRENGTH[gap.kind]):
                gap = token
        else:
            if gap is not None:
                out.append(gap)
                gap = None
            out.append(token)
    return out


def _render_tree(layout, contents, after, before, loose=()):
    """The text's structure with each block's new words; new blocks go after (before) the node that
    holds the block they are anchored to; empty blocks and containers go."""
    owner = {block.index: block.node for block in layout.blocks}
    after_node, before_node = {}, {}
    for index, extras in after.items():
        after_node.setdefault(id(owner[index]), []).extend(extras)
    for index, extras in before.items():
        before_node.setdefault(id(owner[index]), []).extend(extras)

    def new_blocks(node, extras):
        tag = "li" if node.tag == "li" else "p"
        return "".join(f"<{tag}>{_render(tidy)}</{tag}>" for tidy in map(_tidy, extras) if tidy)

    def render(node):
        inner = []
        for child in node.children:
            if isinstance(child, int):
                tokens = _tidy(contents.get(child, ()))
                if tokens:
                    inner.append(_render(tokens))
            else:
                if id(child) in before_node:
                    inner.append(new_blocks(child, before_node[id(child)]))
                inner.append(render(child))
                if id(child) in after_node:
                    inner.append(new_blocks(child, after_node[id(child)]))
        body = "".join(inner)
        if node is layout.root:
            return body + new_blocks(node, loose)
        if not body:
            return body
        return f"<{node.tag}>{body}</{node.tag}>"

    return clean_member_html(render(layout.root))


# --------------------------------------------------------------------------- showing changes


def lines_with_changes(html, change, width=WIDTH) -> ChangeView:
    """What the motion page shows for one amendment: the original lines it touches, numbered, and
    its new text (with a word diff of the one against the other)."""
    lines = number_lines(html, width)
    paragraphs = _check(len(lines), change)
    if change.kind == "insert":
        touched = [lines[change.first - 1]] if change.first else []
    else:
        touched = lines[change.first - 1 : change.end]
    new_html = "".join(f"<p>{_render(p)}</p>" for p in paragraphs or ())
    new_html = clean_member_html(new_html)
    if change.kind == "insert":
        diff = _diff_html("", new_html)
    else:
        old_html = "".join(f"<p>{line.html}</p>" for line in touched)
        diff = _diff_html(old_html, new_html)
    return ChangeView(change, change.describe(), touched, new_html, diff)


class _Break:
    __slots__ = ("tag", "container", "key")

    def __init__(self, tag, container):
        self.tag = tag
        self.container = container
        self.key = ("¶", tag, container)


class _DiffWord:
    __slots__ = ("word", "gap", "key")

    def __init__(self, word, gap):
        self.word = word
        self.gap = gap
        self.key = _render([word])


def _diff_stream(clean_html):
    parsed = _parse(clean_html)
    containers = {}

    def walk(node, container):
        for child in node.children:
            if isinstance(child, int):
                containers[child] = container
            else:
                walk(child, child.tag if child.tag in ("ul", "ol") else container)

    walk(parsed.root, "")
    stream = []
    for block in parsed.blocks:
        if not block.tokens:
            continue
        stream.append(_Break(block.tag, containers.get(block.index, "")))
        gap = None
        for token in block.tokens:
            if isinstance(token, _Gap):
                gap = token
            else:
                stream.append(_DiffWord(token, gap))
                gap = None
    return stream


def diff_html(old_html, new_html) -> str:
    """A word diff of two rich texts: removed words in <del>, added ones in <ins>; cleaned, so it
    can be marked safe. A paragraph break that only one side has starts a paragraph."""
    return _diff_html(_clean(old_html), _clean(new_html))


def _diff_html(old_clean, new_clean):
    old, new = _diff_stream(old_clean), _diff_stream(new_clean)
    matcher = difflib.SequenceMatcher(None, [t.key for t in old], [t.key for t in new], autojunk=False)
    blocks = []  # [container, tag, [(kind, gap, word)]]

    def take(items, kind):
        for item in items:
            if isinstance(item, _Break):
                blocks.append([item.container, item.tag, []])
            else:
                if not blocks:
                    blocks.append(["", "p", []])
                blocks[-1][2].append((kind, item.gap, item.word))

    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            take(new[b1:b2], "")
        else:
            take(old[a1:a2], "del")
            take(new[b1:b2], "ins")

    out, open_container = [], ""
    for container, tag, words in blocks:
        if not words:
            continue
        if container != open_container:
            if open_container:
                out.append(f"</{open_container}>")
            if container:
                out.append(f"<{container}>")
            open_container = container
        if container and tag != "li":
            tag = "li"
        out.append(f"<{tag}>{_render_diff_block(words)}</{tag}>")
    if open_container:
        out.append(f"</{open_container}>")
    return clean_member_html("".join(out), DIFF_FEATURES)


def _render_diff_block(words):
    out = []
    run, run_kind = [], None

    def flush():
        if run:
            html = _render(run)
            out.append(f"<{run_kind}>{html}</{run_kind}>" if run_kind else html)

    for i, (kind, gap, word) in enumerate(words):
        if i and (kind != run_kind):
            flush()
            run = []
            out.append("<br>" if gap is not None and gap.kind == "br" else " ")
        elif i:
            run.append(gap if gap is not None else _SPACE)
        run_kind = kind
        run.append(word)
    flush()
    return "".join(out)


def paragraph_runs(text) -> list[tuple[Run, ...]]:
    """An amendment's new text (plain or simple inline HTML) as paragraphs of runs: for a Word document."""
    return [_runs(paragraph) for paragraph in _paragraphs(text)]
