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
from dataclasses import dataclass

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Cm, Pt, RGBColor

from cms.xmlsafe import drop_invalid

from .lines import Line, Run, paragraph_runs

NUMBER_COLUMN = Cm(1.1)


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


def _clean(text):
    return drop_invalid(str(text or ""))


class _Writer:
    def __init__(self):
        self.document = docx.Document()
        styles = self.document.styles
        self.line_style = styles.add_style("Numbered Line", WD_STYLE_TYPE.PARAGRAPH)
        self.line_style.base_style = styles["Normal"]
        fmt = self.line_style.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.left_indent = NUMBER_COLUMN
        fmt.first_line_indent = -NUMBER_COLUMN
        fmt.tab_stops.add_tab_stop(NUMBER_COLUMN)
        self.block_style = styles.add_style("Numbered Line, Block Start", WD_STYLE_TYPE.PARAGRAPH)
        self.block_style.base_style = self.line_style
        self.block_style.paragraph_format.space_before = Pt(6)
        self.number_style = styles.add_style("Line Number", WD_STYLE_TYPE.CHARACTER)
        self.number_style.font.size = Pt(8)
        self.number_style.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
        self.amendment_style = styles.add_style("Amendment Text", WD_STYLE_TYPE.PARAGRAPH)
        self.amendment_style.base_style = styles["Normal"]
        self.amendment_style.paragraph_format.left_indent = NUMBER_COLUMN
        self.list_style = styles["List Number"]

    def runs(self, paragraph, runs, bold=False):
        for run in runs:
            text = _clean(run.text)
            if not text:
                continue
            added = paragraph.add_run(text)
            if run.bold or bold:
                added.bold = True
            if run.italic:
                added.italic = True

    def line(self, line: Line):
        paragraph = self.document.add_paragraph(style=self.block_style if line.starts_block else self.line_style)
        paragraph.add_run(f"{line.number}\t", self.number_style)
        if line.marker:
            paragraph.add_run(f"{line.marker} ")
        runs = line.runs or (Run(line.text),)
        self.runs(paragraph, runs, bold=line.tag in ("h1", "h2", "h3", "h4", "h5", "h6"))

    def pack(self, pack: Pack):
        document = self.document
        document.add_heading(_clean(pack.title) or "Agenda pack", 0)
        for text in (pack.body, pack.when, pack.place):
            if _clean(text).strip():
                document.add_paragraph(_clean(text))
        document.add_heading("Agenda", 1)
        if not pack.entries:
            document.add_paragraph("Nothing is on the agenda yet.")
        for entry in pack.entries:
            count = len(entry.amendments)
            amendments = f" ({count} amendment{'s' if count != 1 else ''})" if count else ""
            document.add_paragraph(f"{_clean(entry.reference)}: {_clean(entry.title)}{amendments}", self.list_style)
        for number, entry in enumerate(pack.entries, start=1):
            self.entry(number, entry)

    def entry(self, number, entry: PackEntry):
        document = self.document
        document.add_heading(f"{number}. {_clean(entry.reference)}: {_clean(entry.title)}", 1)
        if _clean(entry.proposer).strip():
            document.add_paragraph().add_run(_clean(entry.proposer)).italic = True
        if not entry.lines:
            document.add_paragraph("(No text.)")
        for line in entry.lines:
            self.line(line)
        if entry.amendments:
            document.add_heading(f"Amendments to {_clean(entry.reference)}", 2)
        for amendment in entry.amendments:
            self.amendment(amendment)

    def amendment(self, amendment: PackAmendment):
        document = self.document
        heading = document.add_paragraph()
        heading.paragraph_format.space_before = Pt(8)
        heading.paragraph_format.keep_with_next = True
        heading.add_run(_clean(amendment.reference)).bold = True
        heading.add_run(f": {_clean(amendment.change)}")
        if _clean(amendment.proposer).strip():
            document.add_paragraph(_clean(amendment.proposer))
        for runs in paragraph_runs(amendment.new_text):
            self.runs(document.add_paragraph(style=self.amendment_style), runs)
        if _clean(amendment.reason).strip():
            reason = document.add_paragraph()
            reason.add_run("Reason: ").bold = True
            reason.add_run(_clean(amendment.reason).strip())


def render_pack(pack: Pack, output=None) -> bytes | None:
    """The .docx of `pack`: written to `output` (a path or a binary file object) if given, else returned as bytes."""
    writer = _Writer()
    writer.pack(pack)
    if output is not None:
        writer.document.save(output)
        return None
    buffer = io.BytesIO()
    writer.document.save(buffer)
    return buffer.getvalue()
