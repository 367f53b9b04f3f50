"""Reading back a produced .docx the way an NPF or Conference reader would get it."""

import io
from datetime import date

import docx
from docx.oxml.ns import qn

from consultations.exports.content import ExportDocument, ExportEntry, ExportSection, Ratification
from consultations.exports.render import render_document


def render(document, **kwargs):
    """Render to memory and open the result with python-docx: (Document, RenderReport)."""
    buffer = io.BytesIO()
    report = render_document(document, buffer, **kwargs)
    buffer.seek(0)
    return docx.Document(buffer), report


def one_submission_document(html, *, title="A submission", reference="P-2026-001", branch="Paris"):
    entry = ExportEntry(reference, title, branch, html, Ratification(date(2026, 11, 10), 20, 1, 0, "GC November"))
    return ExportDocument(
        title="NPF 2026: Test consultation", subtitle="", description="Test.", date=date(2026, 11, 22),
        sections=[ExportSection("Health and Care", [entry])], entry_count=1,
    )


def body_paragraphs_after(doc, heading_text):
    """The paragraphs after the Heading 2 `heading_text`, up to the next Heading 1 or 2."""
    paragraphs = doc.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.style.name == "Heading 2" and p.text == heading_text)
    out = []
    for p in paragraphs[start + 1:]:
        if p.style.name in ("Heading 1", "Heading 2"):
            break
        out.append(p)
    return out


def num_pr(paragraph):
    """(numId, ilvl) of a list paragraph, or None."""
    numpr = paragraph._p.find(qn("w:pPr") + "/" + qn("w:numPr"))
    if numpr is None:
        return None
    return int(numpr.find(qn("w:numId")).get(qn("w:val"))), int(numpr.find(qn("w:ilvl")).get(qn("w:val")))


def abstract_format(doc, num_id, level):
    """The number format ('bullet', 'decimal'…) and start a list instance uses at `level`."""
    numbering = doc.part.numbering_part.element
    num = next(n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == str(num_id))
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(a for a in numbering.findall(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == abstract_id)
    lvl = next(lv for lv in abstract.findall(qn("w:lvl")) if lv.get(qn("w:ilvl")) == str(level))
    start = None
    for override in num.findall(qn("w:lvlOverride")):
        if override.get(qn("w:ilvl")) == str(level):
            start = int(override.find(qn("w:startOverride")).get(qn("w:val")))
    return lvl.find(qn("w:numFmt")).get(qn("w:val")), start


def field_instructions(element):
    """The instructions of every complex field in an element (' PAGE ' → 'PAGE')."""
    return [" ".join(t.text.split()) for t in element.iter(qn("w:instrText"))]


def _run_pieces(paragraph):
    """(is a line number, text) of each run of a paragraph, links' runs included, in order."""
    for r in paragraph._p.iter(qn("w:r")):
        style = r.find(qn("w:rPr") + "/" + qn("w:rStyle"))
        text = "".join(
            child.text or "" if child.tag == qn("w:t") else "\t" if child.tag == qn("w:tab") else "\n"
            for child in r if child.tag in (qn("w:t"), qn("w:tab"), qn("w:br"))
        )
        yield style is not None and style.get(qn("w:val")) == "LineNumber", text


def unnumbered(paragraph):
    """A paragraph's text without its line numbers (nor the line breaks that go with them)."""
    return "".join(text for is_number, text in _run_pieces(paragraph) if not is_number)


def numbered_lines(paragraphs):
    """[(number, text)] of the numbered lines in `paragraphs`, as a reader reads them (each line's text
    without the spaces that end it before the break); paragraphs without numbers are left out."""
    lines = []
    for paragraph in paragraphs:
        line = None
        for is_number, text in _run_pieces(paragraph):
            if is_number:
                line = [int(text.strip()), ""]
                lines.append(line)
            elif line is not None:
                line[1] += text
    return [(number, text.rstrip()) for number, text in lines]
