"""Media that can carry script: refused, never published as they are.

Everything under content/ is published on the site's own origin, so a file that
a browser runs (an HTML page, or an SVG opened directly) would run there, with
the reader's trust in the site. HTML and XML files are refused by their name;
an SVG is read with expat (no entities, no DTD) and refused at the first thing
that can run script or fetch from elsewhere: <script>, <foreignObject>, an on*
event handler, a javascript: address, or any reference that is not to a part
of the same file (#id), in attributes, style sheets and processing instructions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn
from xml.parsers import expat

from briefing.content.files import read_bytes
from briefing.errors import Location, Problems

#: Files a browser opens as a page of the site: refused by their suffix.
PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".xht", ".shtml", ".xml", ".svgz")
#: Largest SVG read (a map traced in detail stays well below).
MAX_SVG_BYTES = 10 * 1024 * 1024

_HINT = ("publish a picture, not a program: export it as PNG, or save the SVG without scripts, "
         "event handlers or links to other files")
_PAGE_HINT = "a briefing publishes articles and pictures, not pages of its own: convert it, or link to it"

#: Elements that run script or embed a document of another kind.
_ELEMENTS = frozenset({"script", "foreignobject", "handler", "listener", "iframe", "embed", "object"})
#: What an href may be: a part of the same file, or a picture written out in it.
_SAFE_HREF = re.compile(r"#|data:image/(?:png|jpeg|gif|webp);", re.I)
#: url(...) in a style or an attribute, and @import.
_URL = re.compile(r"url\(\s*(['\"]?)\s*([^)'\"]*)", re.I)
_IMPORT = re.compile(r"@import", re.I)
#: A scheme that runs what follows, however spaced or cased ("java\tscript:"), anywhere in a
#: value: <animate values="x;javascript:..."> sets one in turn.
_SCRIPT_SCHEME = re.compile(r"(?:java|vb)script:")
_SPACE = re.compile(r"\s+")

_Refuser = Callable[[str], NoReturn]


class _Refused(Exception):
    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


def page_problem(shown: str, problems: Problems) -> bool:
    """Whether the file is a page (HTML, XML, compressed SVG), refused with an error."""
    if not shown.lower().endswith(PAGE_SUFFIXES):
        return False
    problems.error(Location(shown), "", "a page of its own, which would run on the site's address: "
                   "it is not published", _PAGE_HINT)
    return True


def svg_problem(path: Path, shown: str, problems: Problems) -> bool:
    """Whether the SVG at ``path`` is refused (an error located at what can run or fetch)."""
    data = read_bytes(path, shown, problems, limit=MAX_SVG_BYTES)
    if data is None:
        return True
    try:
        _check(data)
    except _Refused as refused:
        problems.error(Location(shown, refused.line, refused.column), "",
                       f"{refused.message}: the SVG is not published", _HINT)
        return True
    except expat.ExpatError as exc:
        problems.error(Location(shown, exc.lineno, exc.offset + 1), "",
                       f"not a well-formed SVG: {expat.ErrorString(exc.code)}",
                       "open it in an editor and save it again, or export it as PNG")
        return True
    return False


def _check(data: bytes) -> None:
    """Raise _Refused at the first thing that can run or fetch."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    style: list[str] | None = None  # the text of the <style> being read, in the pieces expat gives

    def refuse(message: str) -> NoReturn:
        raise _Refused(parser.CurrentLineNumber, parser.CurrentColumnNumber + 1, message)

    def doctype(_name: str, _system: str | None, _public: str | None, internal: bool) -> None:
        if internal:  # called before the declarations are read: none of them expands
            refuse("a DOCTYPE with declarations of its own")

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal style
        local = name.rpartition(" ")[2]
        if local.lower() in _ELEMENTS:
            refuse(f"a <{local}> element")
        style = [] if local.lower() == "style" else None
        for key, value in attributes.items():
            _check_attribute(key.rpartition(" ")[2], value, refuse)

    def text(content: str) -> None:
        if style is not None:
            style.append(content)

    def end(_name: str) -> None:
        nonlocal style
        if style is not None:
            _check_style("".join(style), refuse)
        style = None

    def instruction(target: str, _content: str) -> None:
        if target.lower() == "xml-stylesheet":
            refuse("a style sheet of another file (<?xml-stylesheet?>)")

    def external(*_args: object) -> int:
        refuse("a reference to another file's entities")

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = lambda *_args: refuse("an entity declaration")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.ProcessingInstructionHandler = instruction
    parser.ExternalEntityRefHandler = external
    parser.Parse(data, True)


def _check_attribute(name: str, value: str, refuse: _Refuser) -> None:
    lowered = name.lower()
    if lowered.startswith("on"):
        refuse(f"an event handler ({name}=)")
    if _SCRIPT_SCHEME.search(_SPACE.sub("", value).lower()):
        refuse(f"a javascript: address in {name}=")
    if lowered in ("href", "src") and not _SAFE_HREF.match(value.strip()):
        refuse(f"a reference to another file ({name}=\"{value[:60]}\")")
    if lowered == "attributename" and value.rpartition(":")[2].strip().lower() == "href":
        refuse("an animation that changes a link")
    if lowered == "style" or "url(" in value.lower():
        _check_style(value, refuse)


def _check_style(css: str, refuse: _Refuser) -> None:
    if _IMPORT.search(css):
        refuse("a style sheet of another file (@import)")
    for found in _URL.finditer(css):
        if not found.group(2).strip().startswith("#"):
            refuse(f"a reference to another file (url({found.group(2)[:60]}))")
