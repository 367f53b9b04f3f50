"""An NPF rep reads the exported Word document and says "line 14": each line of an item's text begins
with the number the site shows for it (workflows.lines.number_lines), with the formatting kept."""

import io
import zipfile
from datetime import date

import docx
from docx.oxml.ns import qn

from consultations.exports.content import ExportDocument, ExportEntry, ExportSection, Ratification
from consultations.exports.render import render_document
from workflows.lines import number_lines

from .docx_helpers import body_paragraphs_after, num_pr, numbered_lines, one_submission_document, render, unnumbered

LONG = (
    "Labour International asks the National Policy Forum to commit the next Labour government to votes for "
    "life for every British citizen abroad, to a register that members can join online from anywhere, and to "
    "an overseas constituency so that the millions of citizens who live and work abroad have a voice of their "
    "own in Parliament, as citizens of France, Italy and Portugal already do."
)
MOTION = (
    "<h3>Votes for life</h3>"
    "<p>This branch notes that overseas voters lost their vote after fifteen years.</p>"
    f"<p>{LONG}</p>"
    "<p>This branch resolves:</p>"
    "<ol><li>to campaign for votes for life;</li>"
    "<li>to ask the General Committee to send this motion to Conference, with the evidence from the branch "
    "survey and the letters our members wrote to their former constituencies;</li></ol>"
    "<p>First line of a poem<br>second line of it.</p>"
)


def lines_in(doc, title="A submission"):
    return numbered_lines(body_paragraphs_after(doc, title))


def expected(html):
    return [(line.number, line.text) for line in number_lines(html)]


def test_a_motion_is_numbered_line_by_line_as_on_the_site():
    document = one_submission_document(MOTION)
    document.sections[0].entries[0].amendments = ["A-2026-004 (Replace lines 4–6): carried by the GC on 10 November"]
    doc, _ = render(document)

    lines = lines_in(doc)
    assert lines == expected(MOTION)
    assert lines[:3] == [
        (1, "Votes for life"),
        (2, "This branch notes that overseas voters lost their vote after fifteen years."),
        (3, "Labour International asks the National Policy Forum to commit the next Labour"),
    ]
    assert lines[-2:] == [(13, "First line of a poem"), (14, "second line of it.")]

    section = body_paragraphs_after(doc, "A submission")
    long_paragraph = next(p for p in section if unnumbered(p) == LONG)
    # One paragraph of five lines: a line break and the next number where the site wraps it.
    assert long_paragraph.text.startswith("3\tLabour International asks")
    assert [line.split("\t")[0] for line in long_paragraph.text.split("\n")] == ["3", "4", "5", "6", "7"]
    # The list stays a Word list; each item begins with its first line's number, a wrapped one goes on.
    items = [p for p in section if num_pr(p)]
    assert [[line.split("\t")[0] for line in p.text.split("\n")] for p in items] == [["9"], ["10", "11", "12"]]
    # A <br> ends a line on the site: in Word it is the one break before the next number.
    poem = next(p for p in section if unnumbered(p).startswith("First line of a poem"))
    assert poem.text == "13\tFirst line of a poem\n14\tsecond line of it."
    # The carried amendments are still listed under the text.
    assert any(p.text.startswith("• A-2026-004 (Replace lines 4–6)") for p in section)


def test_the_numbers_look_like_the_agenda_packs():
    doc, _ = render(one_submission_document(f"<p>{LONG}</p>"))
    paragraph = body_paragraphs_after(doc, "A submission")[1]
    numbers = [r for r in paragraph.runs if r.style.name == "Line Number"]
    assert [r.text for r in numbers] == ["1\t", "\n2\t", "\n3\t", "\n4\t", "\n5\t"]
    style = doc.styles["Line Number"]
    assert style.font.size.pt == 8 and str(style.font.color.rgb) == "595959"
    # The text starts one number column (1.1 cm, as in the pack) after the paragraph's left edge.
    tab = paragraph._p.find(qn("w:pPr") + "/" + qn("w:tabs") + "/" + qn("w:tab"))
    assert tab.get(qn("w:pos")) == "624"


def test_links_right_to_left_text_and_nested_lists_keep_their_numbers_and_form():
    html = (
        '<p>Read <b>the report</b> of the <a href="https://example.org/report">International Commission on '
        "Voting Rights of Citizens Living Abroad and the Commonwealth</a> before the meeting.</p>"
        "<p>مرحبا بالعالم، هذه مساهمة من فرع باريس إلى المنتدى الوطني للسياسات حول حقوق التصويت للمواطنين "
        "المقيمين في الخارج.</p>"
        "<ul><li>register once<ul><li>online</li><li>by post</li></ul></li><li>vote from anywhere</li></ul>"
    )
    doc, _ = render(one_submission_document(html))
    assert lines_in(doc) == expected(html)

    section = body_paragraphs_after(doc, "A submission")
    report = section[1]
    assert [r.text for r in report.runs if r.bold] == ["the report"]
    # The wrap falls inside the link: it goes on, to the same address, after the next line's number.
    links = report.hyperlinks
    assert {link.address for link in links} == {"https://example.org/report"}
    assert "".join(link.text for link in links).split() == (
        "International Commission on Voting Rights of Citizens Living Abroad and the Commonwealth".split()
    )
    assert all(run.style.name != "Line Number" for link in links for run in link.runs)

    arabic = section[2]
    assert arabic._p.find(qn("w:pPr") + "/" + qn("w:bidi")) is not None
    assert arabic.runs[1]._r.find(qn("w:rPr") + "/" + qn("w:rtl")) is not None

    items = {unnumbered(p): num_pr(p) for p in section if num_pr(p)}
    assert list(items) == ["register once", "online", "by post", "vote from anywhere"]
    assert items["online"][1] == 1 and items["register once"][1] == items["vote from anywhere"][1] == 0


def test_hostile_text_is_exported_without_any_of_it():
    hostile = (
        '<p onclick="alert(1)">Hello <script>alert("script")</script>'
        '<a href="javascript:alert(2)" onmouseover="alert(5)">click</a> '
        "<![CDATA[ cdata payload ]]> <!-- a secret comment --> "
        '<meta http-equiv="refresh" content="0;url=https://evil.example"><img src=x onerror="alert(4)"> world</p>'
        "<svg><text>vector payload</text></svg><style>p { color: red }</style>"
        '<p>after <iframe src="https://evil.example"></iframe>the <a href="https://example.org/ok">real link</a></p>'
    )
    buffer = io.BytesIO()
    render_document(one_submission_document(hostile), buffer)
    buffer.seek(0)
    doc = docx.Document(buffer)
    # The words the site shows, numbered as it numbers them, and nothing else.
    assert lines_in(doc) == expected(hostile) == [(1, "Hello click world"), (2, "after the real link")]
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as package:
        written = package.read("word/document.xml").decode() + package.read("word/_rels/document.xml.rels").decode()
    for trace in (
        "alert",
        "<script",
        "javascript",
        "onclick",
        "onmouseover",
        "onerror",
        "CDATA",
        "cdata payload",
        "secret comment",
        "http-equiv",
        "evil.example",
        "vector payload",
        "color: red",
    ):
        assert trace not in written, trace
    links = body_paragraphs_after(doc, "A submission")[2].hyperlinks
    assert [(link.text, link.address) for link in links] == [("real link", "https://example.org/ok")]


def test_every_item_of_a_document_is_numbered_from_one():
    gc = Ratification(date(2026, 11, 10), 20, 1, 0, "GC November")
    texts = {"First": f"<p>{LONG}</p>", "Second": "<p>Short.</p><p>Two paragraphs.</p>"}
    document = ExportDocument(
        title="Conference 2026",
        subtitle="",
        description="Motions.",
        date=date(2026, 11, 22),
        sections=[
            ExportSection(
                "Motions",
                [ExportEntry(f"M-{i}", title, "Paris", html, gc) for i, (title, html) in enumerate(texts.items())],
            )
        ],
        entry_count=2,
    )
    doc, _ = render(document)
    for title, html in texts.items():
        assert lines_in(doc, title) == expected(html)
    assert lines_in(doc, "Second") == [(1, "Short."), (2, "Two paragraphs.")]
