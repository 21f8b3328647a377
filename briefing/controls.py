"""Characters that XML 1.0 cannot carry, nor JSON as UTF-8: found, named and placed.

A title with a vertical tab (U+000B) makes every feed not well-formed; a NUL or
an escape from a pasted text ends up in the HTML. Such characters are invisible
in most editors, so the loaders refuse them with their line and column (or,
in an outlet's text kept as received, leave them out with a warning there).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

#: The C0 controls but tab, line feed and carriage return; the noncharacters U+FFFE and
#: U+FFFF; surrogates, which only a YAML escape can produce (UTF-8 cannot encode them).
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

# Line breaks as editors count them (as content.rawtext does): CRLF, LF, a lone CR.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

_NAMES = {0x00: "NUL", 0x07: "bell", 0x08: "backspace", 0x0B: "vertical tab", 0x0C: "form feed",
          0x1B: "escape", 0x1F: "unit separator"}


def describe(char: str) -> str:
    """'a control character U+000B (vertical tab)', 'the noncharacter U+FFFE', …"""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return f"a lone surrogate U+{code:04X}"
    if code >= 0xFFFE:
        return f"the noncharacter U+{code:04X}"
    name = _NAMES.get(code)
    return f"a control character U+{code:04X}" + (f" ({name})" if name else "")


def position(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of ``text[index]``."""
    line, start = 1, 0
    for found in _LINE_BREAK.finditer(text, 0, index):
        line, start = line + 1, found.end()
    return line, index - start + 1


def find(text: str) -> Iterator[tuple[int, str]]:
    """Where each forbidden character stands in ``text``, and which it is."""
    for found in FORBIDDEN.finditer(text):
        yield found.start(), found.group()


#: What a curator can do about one.
HINT = "delete it: most editors show it as nothing or as a box (search for U+{code:04X})"
