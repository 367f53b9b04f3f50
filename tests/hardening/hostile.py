"""Hostile markup for the hardening tests, and the check that nothing active survives in a page.

Every payload's active part carries the marker `__pwned` (the browser test checks that
`window.__pwned` stays undefined); `assert_inert` parses a response and refuses any element,
attribute or URL through which that marker could run. The same marker shown as text (escaped)
is fine: that is what the person typed.
"""

import re
import warnings

from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning
from hypothesis import strategies as st

MARK = "__pwned"

ACTIVE = [
    "<p>x</p><![CDATA[><script>window.__pwned=1</script>]]>",
    "<![CDATA[><img src=x onerror=window.__pwned=1>]]>",
    "<!--><script>window.__pwned=1</script>-->",
    "<!-- --!><script>window.__pwned=1</script> -->",
    '<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=1">',
    '<iframe src="javascript:window.__pwned=1"></iframe>',
    '<iframe srcdoc="<script>window.__pwned=1</script>"></iframe>',
    '<object data="javascript:window.__pwned=1"><p>fallback</p></object>',
    '<embed src="javascript:window.__pwned=1">',
    '<svg onload="window.__pwned=1"><circle r="1"/></svg>',
    "<svg><script>window.__pwned=1</script></svg>",
    '<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=1">',
    '<img src=x onerror="window.__pwned=1">',
    "<img src=x onerror=window.__pwned=1//",
    '<p onclick="window.__pwned=1" onmouseover="window.__pwned=1">hover</p>',
    '<a href="javascript:window.__pwned=1">click</a>',
    '<a href="JaVaScRiPt:window.__pwned=1">click</a>',
    '<a href=" &#x6A;avascript&#58;window.__pwned=1">click</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;window.__pwned=1">click</a>',
    '<a href="java\tscript:window.__pwned=1">click</a>',
    '<a href="data:text/html,<script>window.__pwned=1</script>">click</a>',
    '<a href="vbscript:window.__pwned=1">click</a>',
    '<p style="background:url(javascript:window.__pwned=1)">styled</p>',
    '<div style="width:expression(window.__pwned=1)">old IE</div>',
    '<form action="javascript:window.__pwned=1"><button formaction="javascript:window.__pwned=1">go</button></form>',
    '<base href="javascript:window.__pwned=1//">',
    '<link rel="stylesheet" href="javascript:window.__pwned=1">',
    '<style>@import "javascript:window.__pwned=1";</style>',
    '<noscript><p title="</noscript><img src=x onerror=window.__pwned=1>"></noscript>',
    "<template><script>window.__pwned=1</script></template>",
    "<scr<script>ipt>window.__pwned=1</script>",
    '<details open ontoggle="window.__pwned=1">details</details>',
    '<input autofocus onfocus="window.__pwned=1">',
    '<video><source onerror="window.__pwned=1"></video>',
    '<body onload="window.__pwned=1">',
    "<xmp><script>window.__pwned=1</script></xmp>",
    '"><script>window.__pwned=1</script>',
    "'><img src=x onerror=window.__pwned=1>",
    '<a href="https://example.org/" onclick="window.__pwned=1">a fine link with a handler</a>',
]
BENIGN = [
    "<p>", "</p>", "<b>bold</b>", "<h3>A heading</h3>", "<ul><li>one</li><li>two</li></ul>",
    '<a href="https://example.org/">a site</a>', "plain words & < > signs", "\n\n", "<br>",
]
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)

# Markup with at least one hostile fragment, mixed with ordinary rich text and any text.
hostile_markup = st.builds(
    lambda first, rest: first + "".join(rest),
    st.sampled_from(ACTIVE),
    st.lists(st.one_of(st.sampled_from(ACTIVE), st.sampled_from(BENIGN), TEXT), max_size=5),
)

# Elements that run or load something by being there. (A form's input may show the payload in its
# value: that is text; its event handlers and form actions are checked as attributes.)
RUNNABLE_ELEMENTS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math", "base",
                     "link", "style", "template", "noscript", "xmp"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "background", "poster", "codebase",
                  "cite", "longdesc", "usemap", "dynsrc", "lowsrc", "srcset"}
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}


def _runs(url):
    bare = re.sub(r"[\x00-\x20]", "", url).lower()
    return bare.startswith(("javascript:", "vbscript:", "data:"))


def assert_inert(html, where):
    """Nothing in `html` through which the hostile marker could run (a script, a frame, an
    event handler, a javascript:/data: URL, a style, a refresh), in any parser's reading."""
    assert "<![CDATA[" not in html, f"{where}: a CDATA section reached the page"
    assert not re.search(r"<script\b[^>]*>[^<]*" + MARK, html, re.I), f"{where}: a script with the payload"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)  # feeds are XML: read the same way
        soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(True):
        name = element.name.lower()
        attrs = {k.lower(): " ".join(v) if isinstance(v, list) else (v or "") for k, v in element.attrs.items()}
        if name == "script" and attrs.get("type", "").lower() in DATA_SCRIPT_TYPES:
            continue
        if name in RUNNABLE_ELEMENTS:
            assert MARK not in str(element), f"{where}: <{name}> made from the payload: {str(element)[:200]}"
        if name == "meta" and "http-equiv" in attrs:
            assert MARK not in attrs.get("content", ""), f"{where}: a refresh made from the payload"
        for attribute, value in attrs.items():
            if MARK not in value:
                continue
            assert not attribute.startswith("on"), f"{where}: <{name} {attribute}> made from the payload"
            assert attribute not in ("style", "srcdoc"), f"{where}: <{name} {attribute}> made from the payload"
            if attribute in URL_ATTRIBUTES:
                assert not _runs(value), f"{where}: <{name} {attribute}={value[:80]!r}>"
