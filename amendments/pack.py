"""A meeting's agenda pack as one Word document (.docx), from plain data: no Django.

The secretary sends it a week before the meeting: the meeting (body, time in UK time, place),
the agenda as a numbered list, then each motion with its lines numbered as on the site (the
number in a narrow column before the line, one paragraph per line, bold and italic kept) and
the amendments to it under it, each with what it changes, who tabled it, its new text and why.

Characters a .docx (XML 1.0) cannot hold are dropped by the one rule in `cms.xmlsafe`; text that
looks like markup is only text here (runs carry decoded characters, never HTML).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml.etree import SubElement

from cms.xmlsafe import drop_invalid
from workflows.lines import Line, Run, paragraph_runs

NUMBER_COLUMN = Cm(1.1)
_TAB_OR_BREAK = re.compile(r"(\t|\n)")


@dataclass(frozen=True)
class PackAmendment:
    """One amendment as the pack prints it."""

    reference: str  # "A-2026-004"
    proposer: str  # "Tabled by Ana Ruiz (Madrid branch)"
    change: str  # "Delete lines 4–6"
    reason: str = ""
    new_text: str = ""  # plain text or simple inline HTML; a blank line separates paragraphs


@dataclass(frozen=True)
class PackEntry:
    """One motion on the agenda, with its numbered lines (amendments.lines.number_lines)."""

    reference: str
    title: str
    proposer: str  # "Proposed by the Paris branch"
    lines: tuple[Line, ...] | list[Line]
    amendments: tuple[PackAmendment, ...] | list[PackAmendment] = ()


@dataclass(frozen=True)
class Pack:
    """The meeting and what it decides, in agenda order."""

    title: str  # "General Committee, March 2026"
    body: str  # "General Committee"
    when: str  # "Tuesday 3 March 2026, 19:00 UK time"
    place: str  # "Online (Zoom)"
    entries: tuple[PackEntry, ...] | list[PackEntry]


def add_line_number_style(styles):
    """The "Line Number" character style: the look of a line number in every Word document that numbers
    a motion's lines (this pack, the NPF and Conference exports), small and grey so the text reads first.
    The number is followed by a tab to a column NUMBER_COLUMN wide."""
    number = styles.add_style("Line Number", WD_STYLE_TYPE.CHARACTER)
    number.font.size = Pt(8)
    number.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    return number


def _clean(text):
    return drop_invalid(str(text or ""))


W_P, W_PPR, W_PSTYLE, W_R, W_RPR, W_RSTYLE = (
    qn("w:p"),
    qn("w:pPr"),
    qn("w:pStyle"),
    qn("w:r"),
    qn("w:rPr"),
    qn("w:rStyle"),
)
W_B, W_I, W_T, W_TAB, W_BR, W_VAL = qn("w:b"), qn("w:i"), qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:val")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


class _Writer:
    """Paragraphs appended to the body with lxml: python-docx's add_paragraph scans the whole body
    for the section properties on every call and its `style=` looks the default style up in
    styles.xml each time; the styles themselves are made once with python-docx."""

    def __init__(self):
        self.document = docx.Document()
        styles = self.document.styles
        line = styles.add_style("Numbered Line", WD_STYLE_TYPE.PARAGRAPH)
        line.base_style = styles["Normal"]
        fmt = line.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.left_indent = NUMBER_COLUMN
        fmt.first_line_indent = -NUMBER_COLUMN
        fmt.tab_stops.add_tab_stop(NUMBER_COLUMN)
        block = styles.add_style("Numbered Line, Block Start", WD_STYLE_TYPE.PARAGRAPH)
        block.base_style = line
        block.paragraph_format.space_before = Pt(6)
        number = add_line_number_style(styles)
        amendment = styles.add_style("Amendment", WD_STYLE_TYPE.PARAGRAPH)
        amendment.base_style = styles["Normal"]
        amendment.paragraph_format.space_before = Pt(8)
        amendment.paragraph_format.keep_with_next = True
        text = styles.add_style("Amendment Text", WD_STYLE_TYPE.PARAGRAPH)
        text.base_style = styles["Normal"]
        text.paragraph_format.left_indent = NUMBER_COLUMN
        self.ids = {
            style.name: style.style_id
            for style in (line, block, number, amendment, text)
            + tuple(styles[name] for name in ("Title", "Heading 1", "Heading 2", "List Number"))
        }
        self.body = self.document.element.body
        self.section = self.body.sectPr
        self.body.remove(self.section)

    def finish(self):
        self.body.append(self.section)
        return self.document

    def paragraph(self, text="", style=None):
        p = SubElement(self.body, W_P)
        if style is not None:
            SubElement(SubElement(p, W_PPR), W_PSTYLE).set(W_VAL, self.ids[style])
        if text:
            self.run(p, text)
        return p

    def run(self, p, text, *, bold=False, italic=False, style=None):
        text = _clean(text)
        if not text:
            return
        r = SubElement(p, W_R)
        if style or bold or italic:
            properties = SubElement(r, W_RPR)
            if style:
                SubElement(properties, W_RSTYLE).set(W_VAL, self.ids[style])
            if bold:
                SubElement(properties, W_B)
            if italic:
                SubElement(properties, W_I)
        for i, part in enumerate(_TAB_OR_BREAK.split(text)):
            if i % 2:
                SubElement(r, W_TAB if part == "\t" else W_BR)
            elif part:
                t = SubElement(r, W_T)
                t.text = part
                if part[0] == " " or part[-1] == " ":
                    t.set(XML_SPACE, "preserve")

    def runs(self, p, runs, bold=False):
        for run in runs:
            self.run(p, run.text, bold=run.bold or bold, italic=run.italic)

    def line(self, line: Line):
        p = self.paragraph(style="Numbered Line, Block Start" if line.starts_block else "Numbered Line")
        self.run(p, f"{line.number}\t", style="Line Number")
        if line.marker:
            self.run(p, f"{line.marker} ")
        self.runs(p, line.runs or (Run(line.text),), bold=line.tag in HEADING_TAGS)

    def pack(self, pack: Pack):
        self.paragraph(_clean(pack.title) or "Agenda pack", "Title")
        for text in (pack.body, pack.when, pack.place):
            if _clean(text).strip():
                self.paragraph(text)
        self.paragraph("Agenda", "Heading 1")
        if not pack.entries:
            self.paragraph("Nothing is on the agenda yet.")
        for entry in pack.entries:
            count = len(entry.amendments)
            amendments = f" ({count} amendment{'s' if count != 1 else ''})" if count else ""
            self.paragraph(f"{_clean(entry.reference)}: {_clean(entry.title)}{amendments}", "List Number")
        for number, entry in enumerate(pack.entries, start=1):
            self.entry(number, entry)

    def entry(self, number, entry: PackEntry):
        self.paragraph(f"{number}. {_clean(entry.reference)}: {_clean(entry.title)}", "Heading 1")
        if _clean(entry.proposer).strip():
            self.run(self.paragraph(), entry.proposer, italic=True)
        if not entry.lines:
            self.paragraph("(No text.)")
        for line in entry.lines:
            self.line(line)
        if entry.amendments:
            self.paragraph(f"Amendments to {_clean(entry.reference)}", "Heading 2")
        for amendment in entry.amendments:
            self.amendment(amendment)

    def amendment(self, amendment: PackAmendment):
        heading = self.paragraph(style="Amendment")
        self.run(heading, amendment.reference, bold=True)
        self.run(heading, f": {_clean(amendment.change)}")
        if _clean(amendment.proposer).strip():
            self.paragraph(amendment.proposer)
        for runs in paragraph_runs(amendment.new_text):
            self.runs(self.paragraph(style="Amendment Text"), runs)
        if _clean(amendment.reason).strip():
            reason = self.paragraph()
            self.run(reason, "Reason: ", bold=True)
            self.run(reason, _clean(amendment.reason).strip())


def render_pack(pack: Pack, output=None) -> bytes | None:
    """The .docx of `pack`: written to `output` (a path or a binary file object) if given, else returned as bytes."""
    writer = _Writer()
    writer.pack(pack)
    document = writer.finish()
    if output is not None:
        document.save(output)
        return None
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
