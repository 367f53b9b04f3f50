"""The exported Word document: cover, table of contents, one section per group, footer.

Layout (A4):
- cover: "Labour International", the consultation (or Conference), what the document is, the date;
- contents: a real Word TOC field (levels 1-2, updated by Word on opening: settings.xml
  asks for it) whose cached result is a pre-filled list of every section and item, each a
  link to its heading with a PAGEREF field, so it reads well before any update;
- one Heading 1 per section (policy commission), on a new page; per item: its title
  (Heading 2), reference and branch, its text with its formatting and each line numbered as on
  the site (`workflows.lines`: a rep can say "line 14"), the amendments carried into it, and the
  GC ratification (date, meeting, vote);
- "Page N" in the footer (a PAGE field), not on the cover.
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from cms.html_cleaning import clean_member_html
from cms.xmlsafe import drop_invalid, drop_invalid_html
from workflows.lines import number_lines

from .content import ExportDocument, ExportEntry
from .ooxml import RunFormat, WordWriter
from .richtext import RichTextConverter

_WHITESPACE = re.compile(r"\s+")
BOLD = RunFormat(bold=True)
ITALIC = RunFormat(italic=True)
TOC_INSTRUCTION = 'TOC \\o "1-2" \\h \\z \\u'


@dataclass
class RenderReport:
    """What an export produced: how many items, and which items lost characters (reference → code points)."""

    entries: int = 0
    affected: dict[str, Counter] = field(default_factory=dict)


def format_date(value):
    """'12 November 2026'."""
    return f"{value.day} {value:%B %Y}"


def single_line(text, dropped=None):
    """`text` on one line, without characters a .docx cannot hold (counted in `dropped`)."""
    return _WHITESPACE.sub(" ", drop_invalid(text or "", dropped)).strip()


def item_text(html, dropped=None):
    """An item's text as the site shows and numbers it: through the one sanitizer (`workflows.lines`
    numbers the cleaned text). A stored text is clean already (cleaning it again changes nothing);
    for any other, the words written and the words numbered are the same ones."""
    return clean_member_html(drop_invalid_html(html or "", dropped))


def section_heading(section, dropped=None):
    return single_line(section.heading, dropped) or "(Untitled section)"


def entry_heading(entry: ExportEntry, dropped=None):
    return single_line(entry.title, dropped) or f"{single_line(entry.reference)} (untitled)"


def render_document(document: ExportDocument, output, *, base_url="", resolve_link=None, on_progress=None):
    """Write `document` as a .docx to `output` (a path or a binary file); returns a RenderReport.

    `on_progress(done, total)` is called after each item.
    """
    writer = WordWriter()
    writer.set_properties(document.title, document.subtitle, "Labour International")
    report = RenderReport()

    _cover(writer, document)
    _contents(writer, document)
    writer.reset_dropped()  # anything dropped from the cover and contents is also in an item below

    converter = RichTextConverter(writer, base_url=base_url, resolve_link=resolve_link)
    for section_number, section in enumerate(document.sections, start=1):
        heading = writer.paragraph("Heading1", page_break_before=True)
        writer.text_run(heading, section_heading(section, writer.dropped))
        writer.bookmark(heading, _section_bookmark(section_number))
        writer.reset_dropped()
        for entry_number, entry in enumerate(section.entries, start=1):
            _entry(writer, converter, entry, _entry_bookmark(section_number, entry_number))
            dropped = writer.reset_dropped()
            if dropped:
                report.affected[entry.reference] = dropped
            report.entries += 1
            if on_progress is not None:
                on_progress(report.entries, document.entry_count)

    writer.footer_page_numbers()
    writer.update_fields_on_open()
    writer.save(output)
    return report


def _section_bookmark(section_number):
    return f"_TocLI{section_number:04d}"


def _entry_bookmark(section_number, entry_number):
    return f"_TocLI{section_number:04d}_{entry_number:05d}"


def _cover(writer, document):
    p = writer.paragraph("Title", space_before=3600)
    writer.text_run(p, "Labour International")
    p = writer.paragraph("Subtitle")
    writer.text_run(p, single_line(document.title))
    if document.subtitle:
        p = writer.paragraph(space_before=240)
        writer.text_run(p, single_line(document.subtitle), BOLD)
    p = writer.paragraph(space_before=240)
    writer.text_run(p, single_line(document.description))
    p = writer.paragraph(space_before=240)
    writer.text_run(p, format_date(document.date))


def _contents(writer, document):
    heading = writer.paragraph("TOCHeading", page_break_before=True)
    writer.text_run(heading, "Contents")
    lines = []
    for section_number, section in enumerate(document.sections, start=1):
        lines.append((1, section_heading(section), _section_bookmark(section_number)))
        for entry_number, entry in enumerate(section.entries, start=1):
            lines.append((2, entry_heading(entry), _entry_bookmark(section_number, entry_number)))
    last = len(lines) - 1
    for index, (level, text, bookmark) in enumerate(lines):
        p = writer.paragraph(f"TOC{level}")
        if index == 0:
            writer.field(p, TOC_INSTRUCTION, end=False)
        link = writer.internal_link(p, bookmark)
        writer.text_run(link, text)
        writer.tab(link)
        writer.field(link, f"PAGEREF {bookmark} \\h")
        if index == last:
            writer.field_end(p)


def _entry(writer, converter, entry: ExportEntry, bookmark):
    heading = writer.paragraph("Heading2")
    writer.text_run(heading, entry_heading(entry, writer.dropped))
    writer.bookmark(heading, bookmark)

    details = writer.paragraph("ItemDetails")
    writer.text_run(details, "Reference ")
    writer.text_run(details, entry.reference, BOLD)
    if entry.branch:
        writer.text_run(details, " · Submitted by ")
        writer.text_run(details, single_line(entry.branch), BOLD)

    text = item_text(entry.html, writer.dropped)
    if converter.convert(text, lines=number_lines(text)) == 0:
        writer.text_run(writer.paragraph(), "(No text.)", ITALIC)

    if entry.amendments:
        p = writer.paragraph("ItemDetails")
        writer.text_run(p, "Carried amendments (merged into the text above):", BOLD)
        for line in entry.amendments:
            writer.text_run(writer.paragraph("ItemDetails"), f"• {single_line(line, writer.dropped)}")

    ratification = entry.ratification
    p = writer.paragraph("ItemDetails")
    if ratification is None:
        writer.text_run(p, "Not ratified by the General Committee.", ITALIC)
        return
    writer.text_run(p, "Ratified by the General Committee on ")
    writer.text_run(p, format_date(ratification.decided_on), BOLD)
    if ratification.meeting:
        writer.text_run(p, f" ({single_line(ratification.meeting)})")
    votes = ratification.vote_summary()
    writer.text_run(p, f": {votes}." if votes else " (no count taken).")
