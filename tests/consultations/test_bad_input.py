"""Whatever members typed, the export opens in Word: characters a .docx cannot hold are dropped
and the items they came from are named; everything else is there."""

import html as html_lib
import re
from collections import Counter
from datetime import date

from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cms.xmlsafe import describe_dropped, drop_invalid
from consultations.exports.content import ExportDocument, ExportEntry, ExportSection
from workflows.lines import number_lines

from .docx_helpers import body_paragraphs_after, numbered_lines, one_submission_document, render, unnumbered

HTML_WHITESPACE = re.compile("[ \t\n\r\f]+")


def text_of(doc, title):
    """The item's text as a reader sees it, without its line numbers: its paragraphs between the details and
    the ratification."""
    return " ".join(unnumbered(p) for p in body_paragraphs_after(doc, title)[1:-1])


def test_control_characters_are_dropped_and_the_item_is_named():
    doc, report = render(one_submission_document(
        "<p>Before\x00\x01\x1b after &#1; &#x0B; end \ud800.</p>", title="Bell\x07 title",
    ))
    assert text_of(doc, "Bell title") == "Before after end ."
    assert report.affected == {"P-2026-001": Counter({0x0: 1, 0x1: 2, 0x1B: 1, 0xB: 1, 0x7: 1, 0xD800: 1})}
    assert describe_dropped(report.affected["P-2026-001"]) == (
        "7 characters dropped (U+0000, U+0001 ×2, U+0007, U+000B, U+001B, U+D800)"
    )


def test_emoji_right_to_left_scripts_and_very_long_words_survive():
    long_word = "Donaudampfschifffahrt" * 1000
    html = f"<p>مرحبا بالعالم، هذه مساهمة.</p><p>שלום עולם</p><p>Votes for life 🗳️🇬🇧👩🏽‍⚖️</p><p>{long_word}</p>"
    doc, report = render(one_submission_document(html))
    paragraphs = body_paragraphs_after(doc, "A submission")[1:-1]
    assert [unnumbered(p) for p in paragraphs] == [
        "مرحبا بالعالم، هذه مساهمة.", "שלום עולם", "Votes for life 🗳️🇬🇧👩🏽‍⚖️", long_word,
    ]
    assert report.affected == {}
    # Numbered as on the site: the long word cut every 80 characters.
    assert numbered_lines(paragraphs) == [(line.number, line.text) for line in number_lines(html)]
    assert len(numbered_lines(paragraphs)) == 3 + 21_000 // 80 + 1
    # Arabic and Hebrew paragraphs are right-to-left in Word; the English one is not.
    bidi = [p._p.find(qn("w:pPr") + "/" + qn("w:bidi")) is not None for p in paragraphs]
    assert bidi == [True, True, False, False]
    arabic_run = paragraphs[0].runs[1]._r  # after the line number
    assert arabic_run.find(qn("w:rPr") + "/" + qn("w:rtl")) is not None


def test_a_ten_thousand_word_submission_is_exported_whole():
    words = [f"word{i}" for i in range(10_000)]
    paragraphs = ["<p>" + " ".join(words[i:i + 100]) + "</p>" for i in range(0, 10_000, 100)]
    doc, _ = render(one_submission_document("".join(paragraphs)))
    assert text_of(doc, "A submission").split() == words


def test_broken_html_and_stray_angle_brackets_keep_their_text():
    doc, _ = render(one_submission_document("<p><b>unclosed <i>nest</p></b><ul><li>item<li>two</ul> 3 < 4 & 5 > 2"))
    assert text_of(doc, "A submission") == "unclosed nest item two 3 < 4 & 5 > 2"


def test_empty_sections_and_untitled_items_do_not_break_the_document():
    document = ExportDocument(
        title="", subtitle="", description="", date=date(2026, 1, 1), entry_count=1,
        sections=[ExportSection("", []), ExportSection("\x00", [ExportEntry("P-2026-009", "", "", "")])],
    )
    doc, report = render(document)
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name in ("Heading 1", "Heading 2")]
    assert headings == [
        ("Heading 1", "(Untitled section)"), ("Heading 1", "(Untitled section)"),
        ("Heading 2", "P-2026-009 (untitled)"),
    ]
    assert text_of(doc, "P-2026-009 (untitled)") == "(No text.)"
    assert report.entries == 1


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(), title=st.text(max_size=80))
def test_any_text_typed_by_a_member_is_exported_minus_what_xml_cannot_hold(text, title):
    doc, report = render(one_submission_document("<p>" + html_lib.escape(text) + "</p>", title=title))

    expected_title = " ".join(drop_invalid(title).split()) or "P-2026-001 (untitled)"
    heading = next(p for p in doc.paragraphs if p.style.name == "Heading 2")
    assert heading.text == expected_title
    expected_text = HTML_WHITESPACE.sub(" ", drop_invalid(text)).strip(" ") or "(No text.)"
    assert text_of(doc, expected_title) == expected_text
    lost = drop_invalid(text + title) != text + title
    assert ("P-2026-001" in report.affected) == lost


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markup=st.lists(st.sampled_from(
    list("<>/&;#xab \n\x00\x0bpulio") + ["<p>", "</li>", "<ol>", "<ul>", "&#1;", "<a href='", "<b>", "🗳", "ש"]
)).map("".join))
def test_any_markup_gives_a_document_that_opens(markup):
    doc, report = render(one_submission_document(markup))
    assert report.entries == 1
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 2"] == ["A submission"]
