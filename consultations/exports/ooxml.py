"""A thin, fast writer of WordprocessingML on top of python-docx.

python-docx opens the package (styles, numbering, settings, footers, saving) and is used
for everything done once per document. Paragraphs and runs, written tens of thousands of
times in a large export, are built directly as lxml elements: the same XML python-docx would
write, without its per-call style lookups. Child elements are written in the order the
OOXML schema requires (Word refuses files that break it; LibreOffice is more lenient).

Every piece of text goes through `WordWriter.text_run`, the one place where characters a
.docx cannot hold are dropped and counted (see `cms.xmlsafe`).
"""

import re
import unicodedata
from collections import Counter
from urllib.parse import quote

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Cm, Pt
from lxml import etree

from amendments.pack import NUMBER_COLUMN, add_line_number_style
from cms.xmlsafe import drop_invalid

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def w(tag):
    return f"{{{W_NS}}}{tag}"


W_P, W_PPR, W_R, W_RPR, W_T, W_VAL = w("p"), w("pPr"), w("r"), w("rPr"), w("t"), w("val")
W_PSTYLE, W_RSTYLE, W_B, W_I, W_U, W_STRIKE, W_VERTALIGN, W_RTL = (
    w("pStyle"), w("rStyle"), w("b"), w("i"), w("u"), w("strike"), w("vertAlign"), w("rtl"),
)
W_NUMPR, W_ILVL, W_NUMID, W_BIDI, W_BR, W_HYPERLINK, W_TAB = (
    w("numPr"), w("ilvl"), w("numId"), w("bidi"), w("br"), w("hyperlink"), w("tab"),
)
SubElement = etree.SubElement

# Right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic, presentation forms…).
RTL_CHARS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]")
_STRONG_LTR_CLASSES = {"L"}
_STRONG_RTL_CLASSES = {"R", "AL"}

# A4 with 2.54 cm margins: the text is 9026 twips wide (used for the TOC's right tab).
TEXT_WIDTH_TWIPS = 11906 - 2 * 1440
BULLETS = ["\u2022", "\u25e6", "\u25aa"]  # • ◦ ▪
NUMBER_FORMATS = [("decimal", "%{n}."), ("lowerLetter", "%{n}."), ("lowerRoman", "%{n}.")]
URL_SCHEMES = ("http://", "https://", "mailto:", "tel:")
NUMBER_COLUMN_TWIPS = NUMBER_COLUMN.twips


def first_strong_direction(text):
    """'rtl' or 'ltr' after the first strongly directional character, None if there is none."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in _STRONG_RTL_CLASSES:
            return "rtl"
        if direction in _STRONG_LTR_CLASSES:
            return "ltr"
    return None


class RunFormat(tuple):
    """Character formatting of a run: (bold, italic, underline, strike, vert_align, style_id)."""

    __slots__ = ()
    PLAIN = None

    def __new__(cls, bold=False, italic=False, underline=False, strike=False, vert_align=None, style_id=None):
        return super().__new__(cls, (bold, italic, underline, strike, vert_align, style_id))

    bold = property(lambda self: self[0])
    italic = property(lambda self: self[1])
    underline = property(lambda self: self[2])
    strike = property(lambda self: self[3])
    vert_align = property(lambda self: self[4])
    style_id = property(lambda self: self[5])

    def with_(self, **changes):
        values = dict(zip(("bold", "italic", "underline", "strike", "vert_align", "style_id"), self, strict=True))
        values.update(changes)
        return RunFormat(**values)


RunFormat.PLAIN = RunFormat()


class WordWriter:
    """Builds one .docx: styles, numbering and settings once, then paragraphs as fast as lxml allows."""

    def __init__(self):
        self.document = docx.Document()
        self.body = self.document.element.body
        self.section = self.document.sections[0]  # keeps working while its sectPr is out of the body
        self._sect_pr = self.body.sectPr
        self.body.remove(self._sect_pr)  # put back last in `save`
        self._numbering = self.document.part.numbering_part.element
        self._next_num_id = 1 + max((int(n.get(w("numId"))) for n in self._numbering.findall(w("num"))), default=0)
        abstract_ids = [int(a.get(w("abstractNumId"))) for a in self._numbering.findall(w("abstractNum"))]
        self._bullet_abstract_id = max(abstract_ids, default=0) + 1
        self._number_abstract_id = self._bullet_abstract_id + 1
        self._hyperlink_rids = {}
        self._bookmark_id = 0
        self._rels = self.document.part.rels
        self.dropped = Counter()  # code points dropped from the text written since the last reset
        self._set_up_page()
        self._set_up_styles()
        self._set_up_numbering()

    # ----- once per document -------------------------------------------------------------

    def _set_up_page(self):
        section = self.section
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.54)
        section.top_margin = section.bottom_margin = Cm(2.54)

    def _set_up_styles(self):
        styles = self.document.styles
        self._line_number_style = add_line_number_style(styles).style_id
        normal = styles["Normal"]
        normal.font.name = "Calibri"
        normal.font.size = Pt(11)
        normal.paragraph_format.space_after = Pt(6)
        styles_element = styles.element
        styles_element.append(etree.fromstring(
            f'<w:style xmlns:w="{W_NS}" w:type="character" w:styleId="Hyperlink">'
            '<w:name w:val="Hyperlink"/><w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/>'
            '<w:unhideWhenUsed/><w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr></w:style>'
        ))
        for level, indent in ((1, 0), (2, 220)):
            styles_element.append(etree.fromstring(
                f'<w:style xmlns:w="{W_NS}" w:type="paragraph" w:styleId="TOC{level}">'
                f'<w:name w:val="toc {level}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>'
                '<w:uiPriority w:val="39"/><w:unhideWhenUsed/>'
                f'<w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH_TWIPS}"/></w:tabs>'
                f'<w:spacing w:after="{100 if level == 1 else 60}"/><w:ind w:left="{indent}"/></w:pPr>'
                + ("<w:rPr><w:b/></w:rPr>" if level == 1 else "")
                + "</w:style>"
            ))
        styles_element.append(etree.fromstring(
            f'<w:style xmlns:w="{W_NS}" w:type="paragraph" w:customStyle="1" w:styleId="ItemDetails">'
            '<w:name w:val="Item Details"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>'
            '<w:pPr><w:spacing w:after="120"/></w:pPr>'
            '<w:rPr><w:color w:val="595959"/><w:sz w:val="20"/></w:rPr></w:style>'
        ))

    def _set_up_numbering(self):
        """One abstract list for bullets and one for numbers; each HTML list gets its own instance."""
        bullet_levels = "".join(
            f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
            f'<w:lvlText w:val="{BULLETS[level % 3]}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{720 + 360 * level}" w:hanging="360"/></w:pPr></w:lvl>'
            for level in range(9)
        )
        number_levels = "".join(
            f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{NUMBER_FORMATS[level % 3][0]}"/>'
            f'<w:lvlText w:val="{NUMBER_FORMATS[level % 3][1].format(n=level + 1)}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{720 + 360 * level}" w:hanging="360"/></w:pPr></w:lvl>'
            for level in range(9)
        )
        first_num = self._numbering.find(w("num"))
        for abstract_id, levels in ((self._bullet_abstract_id, bullet_levels),
                                    (self._number_abstract_id, number_levels)):
            abstract = etree.fromstring(
                f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="{abstract_id}">'
                f'<w:multiLevelType w:val="hybridMultilevel"/>{levels}</w:abstractNum>'
            )
            if first_num is not None:
                first_num.addprevious(abstract)
            else:
                self._numbering.append(abstract)

    def new_list(self, ordered, level, start=1):
        """A new list instance (numbering restarts at `start`) for a list nested `level` deep; its numId."""
        num_id = self._next_num_id
        self._next_num_id += 1
        num = SubElement(self._numbering, w("num"))
        num.set(w("numId"), str(num_id))
        SubElement(num, w("abstractNumId")).set(
            W_VAL, str(self._number_abstract_id if ordered else self._bullet_abstract_id))
        override = SubElement(num, w("lvlOverride"))
        override.set(w("ilvl"), str(level))
        SubElement(override, w("startOverride")).set(W_VAL, str(start))
        return num_id

    # ----- paragraphs and runs -----------------------------------------------------------

    def paragraph(self, style_id=None, *, num_id=None, level=0, page_break_before=False, align=None,
                  space_before=None):
        """A new paragraph at the end of the body (`space_before` in twips)."""
        p = SubElement(self.body, W_P)
        if style_id or num_id is not None or page_break_before or align or space_before:
            ppr = SubElement(p, W_PPR)
            if style_id:
                SubElement(ppr, W_PSTYLE).set(W_VAL, style_id)
            if page_break_before:
                SubElement(ppr, w("pageBreakBefore"))
            if num_id is not None:
                numpr = SubElement(ppr, W_NUMPR)
                SubElement(numpr, W_ILVL).set(W_VAL, str(level))
                SubElement(numpr, W_NUMID).set(W_VAL, str(num_id))
            if space_before:
                SubElement(ppr, w("spacing")).set(w("before"), str(space_before))
            if align:
                SubElement(ppr, w("jc")).set(W_VAL, align)
        return p

    def set_paragraph_indent(self, p, left):
        """Indent a paragraph (continuation paragraphs of a list item)."""
        ppr = self._ppr(p)
        SubElement(ppr, w("ind")).set(w("left"), str(left))

    def bottom_border(self, p):
        """A thin rule under a paragraph (for <hr>)."""
        ppr = self._ppr(p)
        border = SubElement(SubElement(ppr, w("pBdr")), w("bottom"))
        for name, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "auto")):
            border.set(w(name), value)

    def set_right_to_left(self, p):
        """Mark a paragraph right-to-left (its first strong character is Hebrew, Arabic…)."""
        # bidi comes after pStyle, keepNext, pageBreakBefore, numPr, pBdr, tabs and before spacing, ind, jc.
        self._insert_property(p, etree.Element(W_BIDI), (w("spacing"), w("ind"), w("jc")))

    def set_number_column(self, p, left=0):
        """A tab stop one number column (the agenda pack's) after the paragraph's left indent (`left`, in
        twips): every line of a numbered paragraph starts at its left edge, the number, a tab, the text."""
        tabs = etree.Element(w("tabs"))
        tab = SubElement(tabs, W_TAB)
        tab.set(W_VAL, "left")
        tab.set(w("pos"), str(left + NUMBER_COLUMN_TWIPS))
        # tabs comes after pStyle, keepNext, pageBreakBefore, numPr, pBdr and before bidi, spacing, ind, jc.
        self._insert_property(p, tabs, (W_BIDI, w("spacing"), w("ind"), w("jc")))

    def _insert_property(self, p, element, followers):
        ppr = self._ppr(p)
        later = [child for child in ppr if child.tag in followers]
        if later:
            later[0].addprevious(element)
        else:
            ppr.append(element)

    def _ppr(self, p):
        ppr = p.find(W_PPR)
        if ppr is None:
            ppr = etree.Element(W_PPR)
            p.insert(0, ppr)
        return ppr

    def text_run(self, parent, text, fmt=RunFormat.PLAIN):
        """A run of text (already whitespace-normalised) in a paragraph or hyperlink; '' if all was dropped."""
        text = drop_invalid(text, self.dropped)
        if not text:
            return ""
        r = SubElement(parent, W_R)
        if fmt is not RunFormat.PLAIN and any(fmt):
            self._run_properties(r, fmt)
        t = SubElement(r, W_T)
        t.text = text
        t.set(XML_SPACE, "preserve")
        return text

    def mark_run_right_to_left(self, r):
        rpr = r.find(W_RPR)
        if rpr is None:
            rpr = etree.Element(W_RPR)
            r.insert(0, rpr)
        rpr.append(etree.Element(W_RTL))  # rtl is after every property this writer sets

    def _run_properties(self, r, fmt):
        rpr = SubElement(r, W_RPR)
        if fmt.style_id:
            SubElement(rpr, W_RSTYLE).set(W_VAL, fmt.style_id)
        if fmt.bold:
            SubElement(rpr, W_B)
        if fmt.italic:
            SubElement(rpr, W_I)
        if fmt.strike:
            SubElement(rpr, W_STRIKE)
        if fmt.underline:
            SubElement(rpr, W_U).set(W_VAL, "single")
        if fmt.vert_align:
            SubElement(rpr, W_VERTALIGN).set(W_VAL, fmt.vert_align)

    def line_break(self, parent):
        SubElement(SubElement(parent, W_R), W_BR)

    def line_number(self, p, number, *, new_line):
        """The number that begins a line of a numbered text: one run (the "Line Number" style) holding the
        line break before it when the line does not begin the paragraph, the number and a tab."""
        r = SubElement(p, W_R)
        SubElement(SubElement(r, W_RPR), W_RSTYLE).set(W_VAL, self._line_number_style)
        if new_line:
            SubElement(r, W_BR)
        SubElement(r, W_T).text = str(number)
        SubElement(r, W_TAB)

    def page_break(self):
        br = SubElement(SubElement(SubElement(self.body, W_P), W_R), W_BR)
        br.set(w("type"), "page")

    def hyperlink(self, p, url):
        """A hyperlink element in `p` to an absolute URL (runs go inside it), or None for an unusable URL."""
        url = safe_url(url)
        if url is None:
            return None
        rid = self._hyperlink_rids.get(url)
        if rid is None:
            # Own ids: python-docx's get_or_add_ext_rel scans every relationship, quadratic in links.
            rid = f"rIdLink{len(self._hyperlink_rids) + 1}"
            self._rels.add_relationship(RT.HYPERLINK, url, rid, is_external=True)
            self._hyperlink_rids[url] = rid
        link = SubElement(p, W_HYPERLINK)
        link.set(f"{{{R_NS}}}id", rid)
        link.set(w("history"), "1")
        return link

    def internal_link(self, p, bookmark):
        link = SubElement(p, W_HYPERLINK)
        link.set(w("anchor"), bookmark)
        link.set(w("history"), "1")
        return link

    def bookmark(self, p, name):
        """Wrap the content of `p` in a bookmark called `name` (a TOC or PAGEREF target)."""
        self._bookmark_id += 1
        start = etree.Element(w("bookmarkStart"))
        start.set(w("id"), str(self._bookmark_id))
        start.set(w("name"), name)
        ppr = p.find(W_PPR)
        if ppr is not None:
            ppr.addnext(start)
        else:
            p.insert(0, start)
        end = SubElement(p, w("bookmarkEnd"))
        end.set(w("id"), str(self._bookmark_id))

    def field(self, parent, instruction, cached_result="", *, begin=True, end=True):
        """A complex field (PAGE, PAGEREF, TOC…) with the result shown until Word updates it."""
        if begin:
            SubElement(SubElement(parent, W_R), w("fldChar")).set(w("fldCharType"), "begin")
            instr = SubElement(SubElement(parent, W_R), w("instrText"))
            instr.text = f" {instruction} "
            instr.set(XML_SPACE, "preserve")
            SubElement(SubElement(parent, W_R), w("fldChar")).set(w("fldCharType"), "separate")
        if cached_result:
            self.text_run(parent, cached_result)
        if end:
            self.field_end(parent)

    def field_end(self, parent):
        SubElement(SubElement(parent, W_R), w("fldChar")).set(w("fldCharType"), "end")

    def tab(self, parent):
        SubElement(SubElement(parent, W_R), W_TAB)

    def reset_dropped(self):
        """The code points dropped since the last reset (a Counter), and start counting afresh."""
        dropped, self.dropped = self.dropped, Counter()
        return dropped

    # ----- finishing ----------------------------------------------------------------------

    def footer_page_numbers(self):
        """'Page N' centred in the footer of every page but the cover (a PAGE field)."""
        section = self.section
        section.different_first_page_header_footer = True
        p = section.footer.paragraphs[0]._p
        ppr = self._ppr(p)
        SubElement(ppr, w("jc")).set(W_VAL, "center")
        self.text_run(p, "Page ")
        self.field(p, "PAGE", "1")

    def update_fields_on_open(self):
        """Ask Word to update fields (the TOC's page numbers) when the file is opened."""
        settings = self.document.settings.element
        update = etree.Element(w("updateFields"))
        update.set(W_VAL, "true")
        # Schema order: updateFields comes before hdrShapeDefaults, footnotePr, endnotePr, compat…
        followers = {w(t) for t in ("hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids")}
        for child in settings:
            if child.tag in followers:
                child.addprevious(update)
                break
        else:
            settings.append(update)

    def set_properties(self, title, subject, author):
        props = self.document.core_properties
        props.title = drop_invalid(title)[:255]
        props.subject = drop_invalid(subject)[:255]
        props.author = author
        props.comments = ""

    def save(self, output):
        self.body.append(self._sect_pr)
        self.document.save(output)


def safe_url(url):
    """An absolute http(s)/mailto/tel URL a Word relationship can hold, or None."""
    url = drop_invalid(url or "").strip()
    if not url.lower().startswith(URL_SCHEMES):
        return None
    # Percent-encode what is not allowed in a URI (spaces, non-ASCII) but keep existing escapes.
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~")
