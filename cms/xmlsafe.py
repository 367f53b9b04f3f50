"""Characters a .docx can hold.

A .docx is XML 1.0, which cannot hold most C0 control characters, lone surrogates or
U+FFFE/U+FFFF. Those are dropped (never replaced by something that looks like text), and
every drop is counted so the export can say which items were affected.
"""

import re
from collections import Counter

# Everything outside the XML 1.0 `Char` production.
INVALID_XML_CHARS = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# A numeric character reference in HTML (`&#1;`, `&#x1F;`) would decode to such a character.
_NUMERIC_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")


def _is_xml_char(code_point):
    return (
        code_point in (0x9, 0xA, 0xD)
        or 0x20 <= code_point <= 0xD7FF
        or 0xE000 <= code_point <= 0xFFFD
        or 0x10000 <= code_point <= 0x10FFFF
    )


def drop_invalid(text, dropped=None):
    """`text` without the characters XML 1.0 cannot hold; each dropped one is counted in `dropped`."""
    if not INVALID_XML_CHARS.search(text):
        return text
    if dropped is not None:
        dropped.update(ord(c) for c in INVALID_XML_CHARS.findall(text))
    return INVALID_XML_CHARS.sub("", text)


def drop_invalid_html(html, dropped=None):
    """Like `drop_invalid`, and also drops numeric character references to such characters."""
    html = drop_invalid(html, dropped)
    if "&#" not in html:
        return html

    def replace(match):
        hex_digits, decimal_digits = match.groups()
        code_point = int(hex_digits, 16) if hex_digits else int(decimal_digits)
        if _is_xml_char(code_point):
            return match.group(0)
        if dropped is not None:
            dropped[code_point] += 1
        return ""

    return _NUMERIC_REFERENCE.sub(replace, html)


def describe_dropped(dropped: Counter) -> str:
    """'3 characters dropped (U+0000 ×2, U+001B)': for a job record, a command's output, a message."""
    total = sum(dropped.values())
    parts = [f"U+{code:04X}" + (f" ×{count}" if count > 1 else "") for code, count in sorted(dropped.items())]
    noun = "character" if total == 1 else "characters"
    return f"{total} {noun} dropped ({', '.join(parts)})"
