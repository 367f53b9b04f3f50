"""The meeting's agenda pack (.docx) built from plain data (amendments.pack): no database."""

import io

import docx

from amendments.pack import Pack, PackAmendment, PackEntry, render_pack
from workflows.lines import number_lines

VOTES = "<h3>Votes for life</h3><p>This branch calls on the party to <b>restore votes for life</b> for every citizen abroad, now.</p><ul><li>Register members</li></ul>"
HOUSING = "<p>Housing is a right.</p>"


def pack(**overrides):
    entries = [
        PackEntry(
            "M-2026-001",
            "Votes for life",
            "Proposed by the Paris branch",
            number_lines(VOTES, width=40),
            [
                PackAmendment(
                    "A-2026-001",
                    "Tabled by Ana Ruiz (Madrid branch)",
                    "Replace line 3",
                    "Clearer.",
                    "the party to <b>bring back</b> votes",
                ),
                PackAmendment("A-2026-002", "Tabled by Berlin branch", "Delete line 5", "Not needed."),
            ],
        ),
        PackEntry("M-2026-002", "Housing", "Proposed by the Berlin branch", number_lines(HOUSING)),
    ]
    fields = {
        "title": "General Committee, March 2026",
        "body": "General Committee",
        "when": "Tuesday 3 March 2026, 19:00 UK time",
        "place": "Online",
        "entries": entries,
    }
    fields.update(overrides)
    return Pack(**fields)


def open_docx(data):
    return docx.Document(io.BytesIO(data))


def paragraphs(document):
    return [(p.style.name, p.text) for p in document.paragraphs]


def test_the_pack_has_the_meeting_and_the_agenda_as_a_numbered_list():
    document = open_docx(render_pack(pack()))
    found = paragraphs(document)
    assert found[0] == ("Title", "General Committee, March 2026")
    assert ("Normal", "Tuesday 3 March 2026, 19:00 UK time") in found
    agenda = [text for style, text in found if style == "List Number"]
    assert agenda == ["M-2026-001: Votes for life (2 amendments)", "M-2026-002: Housing"]


def test_each_motion_has_its_lines_numbered_and_formatted():
    document = open_docx(render_pack(pack()))
    lines = [p for p in document.paragraphs if p.style.name.startswith("Numbered Line")]
    expected = number_lines(VOTES, width=40) + number_lines(HOUSING)
    assert [p.text for p in lines] == [
        f"{line.number}\t{line.marker + ' ' if line.marker else ''}{line.text}" for line in expected
    ]
    assert lines[0].runs[0].style.name == "Line Number"
    bold = [run.text for p in lines for run in p.runs if run.bold]
    assert "Votes for life" in bold and any("restore" in text for text in bold)
    headings = [text for style, text in paragraphs(document) if style == "Heading 1"]
    assert headings == ["Agenda", "1. M-2026-001: Votes for life", "2. M-2026-002: Housing"]


def test_amendments_come_under_their_motion():
    found = [text for _, text in paragraphs(open_docx(render_pack(pack())))]
    start = found.index("Amendments to M-2026-001")
    assert found.index("1. M-2026-001: Votes for life") < start < found.index("2. M-2026-002: Housing")
    assert found[start + 1 : start + 4] == [
        "A-2026-001: Replace line 3",
        "Tabled by Ana Ruiz (Madrid branch)",
        "the party to bring back votes",
    ]
    assert "Reason: Clearer." in found and "A-2026-002: Delete line 5" in found
    assert "Amendments to M-2026-002" not in found


def test_the_pack_can_be_written_to_a_file_object():
    buffer = io.BytesIO()
    assert render_pack(pack(), buffer) is None
    assert open_docx(buffer.getvalue()).paragraphs[0].text == "General Committee, March 2026"


def test_characters_a_docx_cannot_hold_are_dropped_and_markup_stays_text():
    hostile = number_lines("<p>Bell\x07 &lt;script&gt;alert(1)&lt;/script&gt; <script>gone()</script>end &#1;</p>")
    data = render_pack(
        pack(
            title="GC\x00 March\ud800",
            entries=[
                PackEntry(
                    "M-2026-009\x0b",
                    "Title\x1b",
                    "Proposed\x0c by",
                    hostile,
                    [
                        PackAmendment(
                            "A-1\x00", "By\x01", "Replace line 1", "Why\x02", "<b onclick=x>new\x03</b><img src=x>"
                        ),
                    ],
                )
            ],
        )
    )
    found = [text for _, text in paragraphs(open_docx(data))]
    assert found[0] == "GC March"
    assert "M-2026-009: Title (1 amendment)" in found and "1. M-2026-009: Title" in found
    assert "1\tBell <script>alert(1)</script> end" in found
    assert "new" in found and "Reason: Why" in found and "A-1: Replace line 1" in found
    assert "gone()" not in "".join(found)


def test_an_empty_meeting_still_gives_a_document():
    found = [text for _, text in paragraphs(open_docx(render_pack(pack(entries=[], title=""))))]
    assert found[0] == "Agenda pack" and "Nothing is on the agenda yet." in found
