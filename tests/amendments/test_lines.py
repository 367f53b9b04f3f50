"""Line numbers, amendments to lines and word diffs (workflows.lines): pure, no database."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflows.lines import (
    BadChange,
    Change,
    Overlap,
    apply_changes,
    check_change,
    conflicts,
    diff_html,
    lines_with_changes,
    number_lines,
)

WORDS = ["members", "abroad", "branch", "policy", "votes", "for", "life", "the", "party", "conference"]


def words(n, start=0):
    return " ".join(f"{WORDS[(start + i) % len(WORDS)]}{start + i}" for i in range(n))


MOTION = (
    "<h3>Votes for life</h3>"
    f"<p>{words(30)}</p>"
    f"<p>This branch <b>{words(20, 100)}</b> and calls on the party.</p>"
    "<ul><li>Register every member abroad</li><li>Restore <i>votes for life</i></li></ul>"
    "<h4>Next steps</h4>"
    f"<ol><li>{words(5, 200)}</li><li>{words(3, 300)}</li></ol>"
)


# --------------------------------------------------------------------------- numbering


def test_each_block_is_wrapped_at_the_width_and_numbered_through_the_text():
    lines = number_lines(MOTION)
    assert [line.number for line in lines] == list(range(1, len(lines) + 1))
    assert all(len(line.text) <= 80 for line in lines)
    assert lines[0].tag == "h3" and lines[0].text == "Votes for life" and lines[0].starts_block
    paragraph = [line for line in lines if line.block == 1]
    assert len(paragraph) > 1 and " ".join(line.text for line in paragraph) == words(30)
    assert [line.starts_block for line in paragraph] == [True] + [False] * (len(paragraph) - 1)


def test_a_word_that_does_not_fit_starts_the_next_line():
    lines = number_lines("<p>aaaa bbbb cccc</p>", width=9)
    assert [line.text for line in lines] == ["aaaa bbbb", "cccc"]


def test_a_word_longer_than_a_line_is_cut_at_the_width():
    lines = number_lines("<p>go " + "x" * 25 + " end</p>", width=10)
    assert [line.text for line in lines] == ["go", "x" * 10, "x" * 10, "xxxxx end"]


def test_bold_across_a_wrap_is_closed_and_opened_again():
    lines = number_lines("<p>We <b>call on the party now</b> today</p>", width=13)
    assert [line.html for line in lines] == ["We <b>call on</b>", "<b>the party now</b>", "today"]
    assert [line.text for line in lines] == ["We call on", "the party now", "today"]
    assert [(run.text, run.bold) for run in lines[0].runs] == [("We ", False), ("call on", True)]


def test_lists_and_headings_give_their_tags_and_markers():
    lines = number_lines(MOTION)
    items = [line for line in lines if line.tag == "li"]
    assert [line.marker for line in items] == ["•", "•", "1.", "2."]
    assert items[1].html == "Restore <i>votes for life</i>"
    assert [line.tag for line in lines if line.tag.startswith("h")] == ["h3", "h4"]


def test_empty_blocks_give_no_line_and_the_same_html_gives_the_same_lines():
    assert number_lines("<p></p><p>  </p><ul><li></li></ul>") == []
    assert number_lines("") == []
    assert number_lines(MOTION) == number_lines(MOTION)


def test_a_line_break_ends_a_line():
    assert [line.text for line in number_lines("<p>one<br>two</p>")] == ["one", "two"]


def test_entities_count_as_the_character_they_show():
    lines = number_lines("<p>Fish &amp; chips &lt;3</p>", width=12)
    assert [line.text for line in lines] == ["Fish & chips", "<3"]
    assert lines[0].html == "Fish &amp; chips" and lines[1].html == "&lt;3"


# --------------------------------------------------------------------------- operations

TEXT = "<p>one two three four five six</p><p>seven eight</p><ul><li>nine ten</li><li>eleven</li></ul>"
# width 10: 1 "one two", 2 "three four", 3 "five six", 4 "seven", 5 "eight", 6 "nine ten", 7 "eleven"


def apply(*changes):
    return apply_changes(TEXT, list(changes), width=10)


def test_the_small_text_has_the_lines_the_tests_expect():
    assert [line.text for line in number_lines(TEXT, width=10)] == [
        "one two",
        "three four",
        "five six",
        "seven",
        "eight",
        "nine ten",
        "eleven",
    ]


def test_delete_lines_inside_a_block():
    assert (
        apply(Change.delete(2)) == "<p>one two five six</p><p>seven eight</p><ul><li>nine ten</li><li>eleven</li></ul>"
    )


def test_delete_lines_across_blocks_keeps_what_is_left_of_each_apart():
    assert (
        apply(Change.delete(3, 4)) == "<p>one two three four</p><p>eight</p><ul><li>nine ten</li><li>eleven</li></ul>"
    )


def test_delete_a_whole_list_item_and_a_whole_list():
    assert apply(Change.delete(7)) == "<p>one two three four five six</p><p>seven eight</p><ul><li>nine ten</li></ul>"
    assert apply(Change.delete(6, 7)) == "<p>one two three four five six</p><p>seven eight</p>"


def test_replace_part_of_a_block_joins_that_block():
    assert apply(Change.replace(2, 2, "3 <b>4</b>")).startswith("<p>one two 3 <b>4</b> five six</p>")


def test_replace_across_blocks_with_one_paragraph_joins_them():
    assert apply(Change.replace(3, 4, "FIVE")).startswith("<p>one two three four FIVE</p><p>eight</p>") is False
    assert apply(Change.replace(3, 4, "FIVE")).startswith("<p>one two three four FIVE eight</p><ul>")


def test_replace_with_paragraphs_keeps_the_last_block_for_the_last_paragraph():
    result = apply(Change.replace(3, 4, "FIVE\n\nSIX\n\nSEVEN"))
    assert result.startswith("<p>one two three four FIVE</p><p>SIX</p><p>SEVEN eight</p><ul>")


def test_replace_a_list_item_with_paragraphs_makes_list_items():
    assert apply(Change.replace(7, 7, "a\n\nb")).endswith("<ul><li>nine ten</li><li>a</li><li>b</li></ul>")


def test_insert_inside_a_block_joins_it_and_after_a_block_makes_a_new_one():
    assert apply(Change.insert(1, "and")).startswith("<p>one two and three four five six</p>")
    assert apply(Change.insert(3, "New paragraph.")).startswith(
        "<p>one two three four five six</p><p>New paragraph.</p><p>seven eight</p>"
    )
    assert apply(Change.insert(6, "new item")).endswith("<li>nine ten</li><li>new item</li><li>eleven</li></ul>")


def test_insert_before_line_one():
    assert apply(Change.insert(0, "Preamble.")).startswith("<p>Preamble.</p><p>one two")


def test_no_change_gives_the_same_text():
    assert apply() == TEXT


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "change, message",
    [
        (Change.delete(40), "Line 40 does not exist: the motion has 7 lines."),
        (Change.delete(0), "Line 0 does not exist: the motion has 7 lines."),
        (Change.replace(5, 3, "x"), "The first line (5) comes after the last line (3)."),
        (Change.insert(8, "x"), "Line 8 does not exist: the motion has 7 lines."),
        (Change.insert(-1, "x"), "Line -1 does not exist: the motion has 7 lines."),
        (Change.insert(2, "   "), "Say what to insert."),
        (Change.insert(2, "<script>alert(1)</script>"), "Say what to insert."),
        (Change.replace(2, 3, ""), "Say what should replace lines 2–3."),
        (Change("amend", 1, 1, "x"), "Choose what the amendment does: delete, replace or insert lines."),
        (Change("delete", "1", 1), "Line numbers are whole numbers."),
    ],
)
def test_bad_changes_are_refused_with_a_message_for_the_member(change, message):
    with pytest.raises(BadChange) as error:
        check_change(number_lines(TEXT, width=10), change)
    assert str(error.value) == message
    with pytest.raises(BadChange, match="^" + message.replace("(", r"\(").replace(")", r"\)") + "$"):
        apply_changes(TEXT, [change], width=10)


def test_one_line_is_said_in_the_singular():
    with pytest.raises(BadChange, match="the motion has 1 line.$"):
        check_change(number_lines("<p>short</p>"), Change.delete(2))


def test_two_changes_to_the_same_line_clash_and_both_are_named():
    a, b = Change.replace(2, 3, "x", label="A-2026-001"), Change.delete(3, 5, label="A-2026-002")
    with pytest.raises(Overlap) as error:
        apply(a, b)
    assert (
        str(error.value)
        == "A-2026-001 (replace lines 2–3) and A-2026-002 (delete lines 3–5) both change line 3: settle them together."
    )
    assert error.value.changes == (a, b)


def test_two_insertions_at_the_same_place_clash():
    a, b = Change.insert(2, "x", label="A-1"), Change.insert(2, "y", label="A-2")
    with pytest.raises(Overlap, match="A-1 .* and A-2 .* both insert after line 2"):
        apply(a, b)


def test_an_insertion_inside_replaced_lines_clashes_but_not_one_next_to_them():
    replace = Change.replace(2, 4, "x")
    assert conflicts([replace, Change.insert(3, "y")]) == [(replace, Change.insert(3, "y"))]
    assert conflicts([replace, Change.insert(4, "y"), Change.insert(1, "z"), Change.delete(5)]) == []


def test_conflicts_lists_every_clashing_pair_in_the_given_order():
    a, b, c = Change.delete(1, 3), Change.delete(6), Change.replace(2, 2, "x")
    assert conflicts([a, b, c]) == [(a, c)]


# --------------------------------------------------------------------------- showing changes


def test_diff_marks_deleted_and_inserted_words():
    assert diff_html("<p>one two three</p>", "<p>one 2 three</p>") == "<p>one <del>two</del> <ins>2</ins> three</p>"


def test_lines_with_changes_gives_the_touched_lines_and_the_new_text():
    view = lines_with_changes(TEXT, Change.replace(2, 3, "new words"), width=10)
    assert view.summary == "Replace lines 2–3"
    assert [(line.number, line.text) for line in view.lines] == [(2, "three four"), (3, "five six")]
    assert view.new_html == "<p>new words</p>"
    assert "<del>" in view.diff and "<ins>new words</ins>" in view.diff
    insert = lines_with_changes(TEXT, Change.insert(0, "first"), width=10)
    assert insert.lines == [] and insert.summary == "Insert before line 1"


# --------------------------------------------------------------------------- hostile input

HOSTILE = (
    '<p onclick="steal()">Hello <script>alert(1)</script><a href="javascript:alert(2)">link</a>'
    "<!-- <script>alert(3)</script> --><![CDATA[><script>alert(4)</script>]]>"
    '<meta http-equiv="refresh" content="0;url=https://evil.example">'
    '<img src=x onerror="alert(5)"><b onmouseover="x()">bold</b></p>'
)


def assert_inert(html):
    lowered = html.lower()
    for bad in ("<script", "onclick", "onerror", "onmouseover", "javascript:", "<meta", "<img", "<!--", "cdata"):
        assert bad not in lowered, (bad, html)


def test_hostile_html_never_comes_out_as_markup():
    lines = number_lines(HOSTILE)
    for line in lines:
        assert_inert(line.html)
    assert "Hello" in lines[0].text
    change = Change.replace(1, 1, '<b onclick="x()">new</b> <script>alert(6)</script><a href="javascript:x">y</a>')
    assert_inert(apply_changes(HOSTILE, [change]))
    assert_inert(apply_changes(HOSTILE, []))
    assert_inert(diff_html(HOSTILE, "<p>other <![CDATA[<script>x</script>]]></p>"))
    view = lines_with_changes(HOSTILE, change)
    assert_inert(view.new_html + view.diff + "".join(line.html for line in view.lines))


def test_text_that_looks_like_markup_is_escaped():
    lines = number_lines("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>")
    assert lines[0].text == "<script>alert(1)</script>"
    assert lines[0].html == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert "&lt;b&gt;" in apply_changes("<p>x</p>", [Change.replace(1, 1, "a &lt;b&gt; c")])


# --------------------------------------------------------------------------- properties


@st.composite
def motions(draw):
    """Rich texts of a few blocks: paragraphs, headings, lists, bold and italic words."""
    blocks = []
    counter = iter(range(10_000))

    def inline(n):
        out = []
        for _ in range(n):
            word = f"w{next(counter)}" + "x" * draw(st.integers(0, 12))
            style = draw(st.sampled_from(["", "", "", "b", "i"]))
            out.append(f"<{style}>{word}</{style}>" if style else word)
        return " ".join(out)

    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["p", "p", "h3", "ul", "ol"]))
        if kind in ("ul", "ol"):
            items = "".join(f"<li>{inline(draw(st.integers(1, 12)))}</li>" for _ in range(draw(st.integers(1, 3))))
            blocks.append(f"<{kind}>{items}</{kind}>")
        else:
            blocks.append(f"<{kind}>{inline(draw(st.integers(1, 25)))}</{kind}>")
    return "".join(blocks)


NEW_TEXTS = st.sampled_from(["new", "new <b>bold</b> words", "one\n\ntwo", "a\n\nb\n\nc", "x " * 30])


@st.composite
def change_sets(draw, gap=0):
    """A motion and non-overlapping changes to it, at least `gap` untouched lines apart."""
    html = draw(motions())
    count = len(number_lines(html, width=30))
    changes, line = [], draw(st.integers(0, min(2, count)))
    while line <= count and len(changes) < 6:
        kind = draw(st.sampled_from(["delete", "replace", "insert"]))
        if kind == "insert":
            changes.append(Change.insert(line, draw(NEW_TEXTS)))
            line += 1 + gap
        else:
            if line == 0:
                line = 1
            last = min(count, line + draw(st.integers(0, 3)))
            changes.append(Change(kind, line, last, draw(NEW_TEXTS) if kind == "replace" else ""))
            line = last + 1 + gap
        line += draw(st.integers(0, 4))
    return html, changes


@settings(max_examples=200, deadline=None)
@given(data=change_sets(), seed=st.randoms(use_true_random=False))
def test_non_overlapping_changes_give_the_same_text_in_any_order(data, seed):
    html, changes = data
    expected = apply_changes(html, changes, width=30)
    shuffled = list(changes)
    seed.shuffle(shuffled)
    assert apply_changes(html, shuffled, width=30) == expected


@settings(max_examples=200, deadline=None)
@given(data=change_sets(gap=2))
def test_changes_one_at_a_time_give_the_combined_text(data):
    """Made one by one from the last to the first (each later change leaves the lines before it
    where they were), the changes give the text the combined set gives."""
    html, changes = data
    combined = apply_changes(html, changes, width=30)
    text = html
    for change in sorted(changes, key=lambda c: c.first, reverse=True):
        text = apply_changes(text, [change], width=30)
    assert text == combined
    assert apply_changes(combined, [], width=30) == combined


@settings(max_examples=200, deadline=None)
@given(data=change_sets())
def test_lines_an_amendment_does_not_touch_keep_their_numbers_and_text(data):
    """Lines before the change keep number and text (the one just before it may take up words of
    the new text at its end: wrapping); blocks after the change keep their lines' text."""
    html, changes = data
    change = changes[0]
    before = number_lines(html, width=30)
    after = number_lines(apply_changes(html, [change], width=30), width=30)
    untouched = change.first if change.kind == "insert" else change.first - 1
    for old, new in zip(before[: max(untouched - 1, 0)], after, strict=False):
        assert (old.number, old.text, old.html) == (new.number, new.text, new.html)
    if untouched:
        assert after[untouched - 1].text.startswith(before[untouched - 1].text)
    last_block = before[change.end - 1].block if change.end else -1
    later = [line for line in before if line.block > last_block]
    if later:
        assert [line.text for line in after[-len(later) :]] == [line.text for line in later]


def test_fifty_changes_to_a_long_motion_in_random_order():
    html = "".join(f"<p>{words(40, i * 40)}</p>" for i in range(50))
    lines = number_lines(html)
    changes = [Change.replace(n, n, f"changed {n}") for n in range(1, len(lines) + 1, 3)]
    expected = apply_changes(html, changes)
    random.Random(1).shuffle(changes)
    assert apply_changes(html, changes) == expected
    assert expected.count("changed") == len(changes)
