"""The Word document the policy officer sends to the NPF: its structure and content, read back
with python-docx (no database: the renderer works on plain content)."""

from datetime import date

from docx.oxml.ns import qn

from consultations.exports.content import ExportDocument, ExportEntry, ExportSection, Ratification
from consultations.exports.render import render_document

from .docx_helpers import (
    abstract_format,
    body_paragraphs_after,
    field_instructions,
    num_pr,
    one_submission_document,
    render,
    unnumbered,
)

RICH_TEXT = (
    '<h3 data-block-key="a1">Why it matters</h3>'
    '<p data-block-key="a2">The Labour Party needs to <b>become</b> a <i>mass participation</i> '
    'movement: <a href="https://example.org/organising">our plan</a> and <a href="/motions/">the tracker</a>.</p>'
    "<ul><li>empower members<ul><li>with tools</li><li>with <b>resources</b></li></ul></li>"
    "<li>invest authority</li></ul>"
    "<ol><li>First step</li><li>Second step</li></ol>"
    "<ol><li>Another list starts at one</li></ol>"
    "<h4>Detail</h4><p>Closing words.</p>"
)


def npf_document():
    gc = Ratification(date(2026, 11, 10), 23, 2, 1, "General Committee, November 2026")
    return ExportDocument(
        title="National Policy Forum 2026: Building a fairer Britain",
        subtitle="NPF consultation 2026",
        description="Policy submissions from Labour International, ratified by its General Committee.",
        date=date(2026, 11, 22),
        sections=[
            ExportSection("Economy, Business and Trade", [
                ExportEntry("P-2026-001", "Mass participation", "Paris", RICH_TEXT, gc),
                ExportEntry("P-2026-004", "Votes for life", "Sydney", "<p>Overseas voters keep their vote.</p>", gc),
            ]),
            ExportSection("Health and Care", [
                ExportEntry("P-2026-002", "Care abroad", "Berlin", "<p>Care for returning citizens.</p>", gc),
            ]),
        ],
        entry_count=3,
    )


def test_policy_officer_gets_a_cover_a_contents_and_a_section_per_commission():
    doc, report = render(npf_document())
    paragraphs = doc.paragraphs
    assert report.entries == 3 and report.affected == {}

    cover = [p.text for p in paragraphs[:6]]
    assert cover[0] == "Labour International"
    assert paragraphs[0].style.name == "Title"
    assert "National Policy Forum 2026: Building a fairer Britain" in cover
    assert "22 November 2026" in cover

    contents_index = next(i for i, p in enumerate(paragraphs) if p.text == "Contents")
    assert paragraphs[contents_index].style.name == "TOC Heading"
    toc = [p for p in paragraphs if p.style.name.lower() in ("toc 1", "toc 2")]
    assert [(p.style.name.lower(), p.text.strip()) for p in toc] == [
        ("toc 1", "Economy, Business and Trade"),
        ("toc 2", "Mass participation"),
        ("toc 2", "Votes for life"),
        ("toc 1", "Health and Care"),
        ("toc 2", "Care abroad"),
    ]
    # A real TOC field around the pre-filled list, each line linked to its heading's bookmark.
    assert field_instructions(toc[0]._p)[0] == 'TOC \\o "1-2" \\h \\z \\u'
    assert any(t._p.find(qn("w:r") + "/" + qn("w:fldChar")) is not None for t in toc[-1:])
    anchors = [link.get(qn("w:anchor")) for p in toc for link in p._p.findall(qn("w:hyperlink"))]
    bookmarks = {b.get(qn("w:name")) for b in doc.element.body.iter(qn("w:bookmarkStart"))}
    assert len(anchors) == 5 and set(anchors) <= bookmarks

    headings_1 = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    assert headings_1 == ["Economy, Business and Trade", "Health and Care"]
    headings_2 = [p.text for p in paragraphs if p.style.name == "Heading 2"]
    assert headings_2 == ["Mass participation", "Votes for life", "Care abroad"]
    # Every commission starts on a new page.
    for p in paragraphs:
        if p.style.name == "Heading 1":
            assert p.paragraph_format.page_break_before


def test_each_submission_shows_reference_branch_text_and_gc_vote():
    doc, _ = render(npf_document())
    section = body_paragraphs_after(doc, "Votes for life")
    texts = [p.text for p in section]
    assert texts[0] == "Reference P-2026-004 · Submitted by Sydney"
    assert texts[1] == "1\tOverseas voters keep their vote."  # its line number, as on the site
    assert texts[2] == (
        "Ratified by the General Committee on 10 November 2026 (General Committee, November 2026): "
        "23 for, 2 against, 1 abstention."
    )


def test_rich_text_formatting_survives_as_word_formatting():
    doc, _ = render(npf_document(), base_url="http://127.0.0.1:8000")
    section = body_paragraphs_after(doc, "Mass participation")
    by_text = {unnumbered(p): p for p in section}

    assert by_text["Why it matters"].style.name == "Heading 3"
    assert by_text["Detail"].style.name == "Heading 4"

    sentence = by_text["The Labour Party needs to become a mass participation movement: our plan and the tracker."]
    runs = {r.text: r for r in sentence.runs}
    assert runs["become"].bold and not runs["become"].italic
    assert runs["mass participation"].italic and not runs["mass participation"].bold
    links = sentence.hyperlinks
    # The site's numbering wraps that link after "the": it goes on after the next line's number.
    assert [(link.text, link.address) for link in links] == [
        ("our plan", "https://example.org/organising"),
        ("the ", "http://127.0.0.1:8000/motions/"),
        ("tracker", "http://127.0.0.1:8000/motions/"),
    ]
    assert all(link.runs[0].style.name == "Hyperlink" for link in links)


def test_lists_are_real_word_lists_nested_and_renumbered():
    doc, _ = render(npf_document())
    section = body_paragraphs_after(doc, "Mass participation")
    items = {unnumbered(p): num_pr(p) for p in section if num_pr(p)}
    assert list(items) == [
        "empower members", "with tools", "with resources", "invest authority",
        "First step", "Second step", "Another list starts at one",
    ]
    bullets, nested = items["empower members"], items["with tools"]
    assert bullets[1] == 0 and nested[1] == 1
    assert items["invest authority"] == bullets and items["with resources"] == nested
    assert abstract_format(doc, bullets[0], 0)[0] == "bullet"
    assert abstract_format(doc, nested[0], 1)[0] == "bullet"

    first_list, second_list = items["First step"], items["Another list starts at one"]
    assert items["Second step"] == first_list
    assert first_list[0] != second_list[0]
    assert abstract_format(doc, first_list[0], 0) == ("decimal", 1)
    assert abstract_format(doc, second_list[0], 0) == ("decimal", 1)
    assert all(p.style.name == "List Paragraph" for p in section if num_pr(p))


def test_footer_numbers_pages_and_word_updates_the_contents_on_opening():
    doc, _ = render(npf_document())
    section = doc.sections[0]
    assert section.different_first_page_header_footer  # no number on the cover
    footer = section.footer.paragraphs[0]
    assert field_instructions(footer._p) == ["PAGE"]
    assert footer.text.startswith("Page ")
    update = doc.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"
    # A4
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)


def test_written_to_a_file_path_too(tmp_path):
    path = tmp_path / "npf.docx"
    report = render_document(npf_document(), path)
    assert report.entries == 3
    assert path.read_bytes()[:2] == b"PK"


def test_an_empty_submission_text_says_so():
    doc, _ = render(one_submission_document("<p></p><p>   </p><ul><li></li></ul>"))
    texts = [p.text for p in body_paragraphs_after(doc, "A submission")]
    assert texts[1] == "(No text.)"


def test_submission_links_from_wagtail_and_no_images():
    html = (
        '<p>See <a linktype="page" id="7">the branch</a>, <a href="javascript:alert(1)">this</a> '
        'and <a href="#top">that</a>.</p><embed embedtype="image" id="3" format="left" alt="A march"/>'
    )
    doc, _ = render(one_submission_document(html), base_url="http://127.0.0.1:8000",
                    resolve_link=lambda linktype, attrs: f"/branches/b{attrs['id']}/" if linktype == "page" else None)
    section = body_paragraphs_after(doc, "A submission")
    sentence = section[1]
    assert sentence.text == "1\tSee the branch, this and that."
    assert [(h.text, h.address) for h in sentence.hyperlinks] == [("the branch", "http://127.0.0.1:8000/branches/b7/")]
    # An item's text holds no image (Item.text has no image feature, and the sanitizer drops <embed> where
    # the text is stored): the export writes the text the site shows and numbers, so none here either.
    assert [p.text for p in section[2:]] == [
        "Ratified by the General Committee on 10 November 2026 (GC November): 20 for, 1 against, 0 abstentions."
    ]
