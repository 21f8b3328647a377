"""Read an outlet's text as a curator pasted it: header, dateline, paragraphs, headings.

The ``.txt`` file is never changed; this only decides how to show it. The shape it
expects, and every pattern below, is described for curators in ``docs/raw-text.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from briefing.model import Block, Heading, Paragraph


@dataclass(frozen=True, slots=True)
class RawHeader:
    """What the outlet's text says about itself; defaults that the YAML overrides."""

    based_on: str | None = None  # "Telegraph" from "Sumber: Telegraph"
    editor: str | None = None
    author: str | None = None
    dateline: str | None = None  # "Jakarta"
    outlet_mark: str | None = None  # "KONTAN.CO.ID" as written in the dateline


@dataclass(frozen=True, slots=True)
class Dropped:
    """A line left out of the text, reported so that curators can check it."""

    line: int  # 1-based line in the file
    text: str
    reason: str  # "teaser" or "boilerplate"


@dataclass(frozen=True, slots=True)
class RawText:
    header: RawHeader
    blocks: tuple[Block, ...]  # Heading/Paragraph with 1-based line numbers of the original file
    dropped: tuple[Dropped, ...]


# --- patterns -------------------------------------------------------------------

# Line breaks as editors count them: CRLF (Windows), LF, and a lone CR (old Mac pastes).
# Not str.splitlines(), which also breaks on \v, \f, U+2028 and others, and so would give
# line numbers that no editor shows.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

# Invisible characters that str.strip() keeps: a BOM (also one left in the middle of a
# file by pasting two files together), zero-width spaces and joiners, word joiner.
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"

# One "key: value" field of the header line, e.g. "Sumber: Telegraph" or "Editor : Handoyo .".
# A key is one to three short words of letters, so that a story sentence with a colon in it
# does not pass for a header. (Bounded repeats here and in the datelines keep a failed match
# cheap on a megabyte-long line.)
_HEADER_FIELD = re.compile(
    r"(?P<key>[^\W\d_]{1,30}(?:[ \t]{1,5}[^\W\d_]{1,30}){0,2})\s*:\s*(?P<value>.*)", re.S
)

# Header keys (compared case-insensitively) and the RawHeader field each one fills.
_HEADER_KEYS: dict[str, str] = {
    "sumber": "based_on",
    "editor": "editor",
    "penulis": "author",
    "reporter": "author",
    "author": "author",
    "wartawan": "author",
}

# Fragments of the dateline patterns (plain strings, compiled once into the patterns below).
# An outlet token looks like a domain: "KONTAN.CO.ID", "Kompas.com", "TEMPO.CO". The parts
# after a dot must be letters, so that numbers such as "20.000" never count as an outlet.
_OUTLET = r"(?P<outlet>[^\W_]{1,40}(?:\.[A-Za-z]{2,10}){1,4})"
# Any of the dashes outlets put after the dateline: --, -, en dash, em dash. A single hyphen
# needs a space on one side at least, so that "Kompas.com-nya ..." is not a dateline.
_DASH = r"(?:\s*(?:--|[\u2013\u2014])\s*|\s+-\s*|-\s+)"
# A city: one to three words, each starting with a capital ("Jakarta", "JAKARTA", "Den Haag").
_CITY_WORD = r"[A-ZÀ-ÖØ-Þ](?:[^\W\d_]|['\u2019](?=[^\W\d_])){0,30}"
_CITY = rf"(?P<city>{_CITY_WORD}(?:[ \t]{{1,5}}{_CITY_WORD}){{0,2}})"
# A city written in capitals only ("JAKARTA", "NEW YORK"), for the Kontan form.
_CAPS_WORD = r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'\u2019]{0,30}"
_CAPS_CITY = rf"(?P<city>{_CAPS_WORD}(?:[ \t]{{1,5}}{_CAPS_WORD}){{0,2}})"

# Dateline "CITY, OUTLET - text", as Kompas writes it: "JAKARTA, KOMPAS.com - ...".
_DATELINE_CITY_OUTLET = re.compile(rf"{_CITY}\s*,\s*{_OUTLET}{_DASH}(?P<rest>.*)", re.S)
# Dateline "OUTLET, CITY - text": "Liputan6.com, Jakarta - ...", "TEMPO.CO, Jakarta - ...",
# "REPUBLIKA.CO.ID, JAKARTA -- ...", "Bisnis.com, JAKARTA — ...".
_DATELINE_OUTLET_CITY = re.compile(rf"{_OUTLET}\s*,\s*{_CITY}{_DASH}(?P<rest>.*)", re.S)
# Dateline "OUTLET - CITY. text", as Kontan writes it: "KONTAN.CO.ID - JAKARTA. ...". The
# city must be in capitals and end with a period; without one ("KONTAN.CO.ID - Rusia ...")
# only the outlet mark is taken and the text after the dash is kept whole.
_DATELINE_OUTLET_DASH = re.compile(
    rf"{_OUTLET}{_DASH}(?:{_CAPS_CITY}\.(?=\s|$))?(?P<rest>.*)", re.S
)

# Teasers for other articles of the outlet: "Baca Juga:", "BACA JUGA:", "Lihat juga:",
# "Simak juga:", "Tonton:", "Tonton juga:" (any letter case, spaces before the colon allowed).
_TEASER = re.compile(r"(?:(?:baca|lihat|simak)\s+juga|tonton(?:\s+juga)?)\s*:", re.I)

# "Video: <title>" links to a video. Story text could start the same way, so it is dropped
# only when what follows looks like a title: short and not ending in a period (checked in
# _drop_reason, with _VIDEO_TITLE_MAX).
_VIDEO_TEASER = re.compile(r"video\s*:\s*(?P<title>.*)", re.I | re.S)
_VIDEO_TITLE_MAX = 100

# Whole lines of page furniture that come along when copying from an outlet's website:
# ad markers, "scroll" prompts, Google News and WhatsApp/Telegram channel promotions.
_BOILERPLATE = re.compile(
    r"(?:advertisement|scroll\s+to\s+continue\s+with\s+content)[\s.]*"
    r"|(?:cek|ikuti|simak)\s+berita\b.{0,120}\bgoogle\s+news\b.*"
    r"|dapatkan\s+update\s+berita\s+pilihan\b.*"
    r"|simak\s+breaking\s+news\s+dan\s+berita\s+pilihan\b.*"
    r"|pilih\s+saluran\s+andalanmu\b.*",
    re.I | re.S,
)

# The heading rule: a short line that does not end like a sentence, a list item, a quote
# or a parenthesis (see _heading_shaped for the rest of the rule).
_HEADING_MAX_CHARS = 80
_HEADING_MAX_WORDS = 10
_NOT_HEADING_END = frozenset(".!?:;,\"'\u201d\u2019\u00bb\u203a)]}\u2026")


# --- reading --------------------------------------------------------------------


def read_raw_text(text: str) -> RawText:
    """Read a pasted article into its header, blocks and the lines left out.

    Pure and total: any string gives a result, the empty string an empty one.
    """
    header = RawHeader()
    dropped: list[Dropped] = []
    body: list[tuple[int, str]] = []  # (line number, text) of every kept line
    looked_for_header = False
    for number, raw_line in enumerate(_LINE_BREAK.split(text), start=1):
        line = _clean(raw_line)
        if not line:
            continue
        reason = _drop_reason(line)
        if reason is not None:
            dropped.append(Dropped(number, line, reason))
            continue
        if not looked_for_header:
            # Only the first line of the text can be the header.
            looked_for_header = True
            found = _read_header(line)
            if found is not None:
                header = found
                continue
        body.append((number, line))

    if body:
        dateline = _read_dateline(body[0][1])
        if dateline is not None:
            outlet, city, rest = dateline
            header = replace(header, dateline=city, outlet_mark=outlet)
            if rest:
                body[0] = (body[0][0], rest)
            else:  # the dateline stood on a line of its own
                del body[0]

    shaped = [_heading_shaped(line) for _, line in body]
    blocks: list[Block] = []
    for index, (number, line) in enumerate(body):
        # A heading stands alone between paragraphs: never first or last, and a run of
        # short lines is a list, not a stack of headings.
        heading = (
            shaped[index]
            and 0 < index < len(body) - 1
            and not shaped[index - 1]
            and not shaped[index + 1]
        )
        blocks.append(Heading(line, number) if heading else Paragraph(line, number))
    return RawText(header, tuple(blocks), tuple(dropped))


def _clean(line: str) -> str:
    """The line without whitespace (non-breaking spaces too) or invisible marks at its ends."""
    return line.strip().strip(_INVISIBLE).strip()


def _drop_reason(line: str) -> str | None:
    """Why the line is left out of the text, or None to keep it."""
    if _BOILERPLATE.fullmatch(line):
        return "boilerplate"
    if _TEASER.match(line):
        return "teaser"
    video = _VIDEO_TEASER.match(line)
    if video is not None:
        title = video["title"]
        if len(title) <= _VIDEO_TITLE_MAX and not title.endswith("."):
            return "teaser"
    return None


def _read_header(line: str) -> RawHeader | None:
    """The header if every ``|``-separated part is ``key: value`` and one key is known."""
    values: dict[str, str | None] = {}
    known = False
    for part in line.split("|"):
        segment = part.strip()
        if not segment:  # "Sumber: X |" with nothing after the bar
            continue
        match = _HEADER_FIELD.fullmatch(segment)
        if match is None:
            return None
        field = _HEADER_KEYS.get(" ".join(match["key"].split()).casefold())
        if field is None:  # an unknown key is allowed but kept nowhere
            continue
        known = True
        if values.get(field) is None:  # the first non-empty value wins
            values[field] = match["value"].rstrip(" \t.") or None
    if not known:
        return None
    return RawHeader(
        based_on=values.get("based_on"),
        editor=values.get("editor"),
        author=values.get("author"),
    )


def _read_dateline(line: str) -> tuple[str, str | None, str] | None:
    """(outlet mark, city in title case or None, the text after it), or None if no dateline."""
    for pattern in (_DATELINE_CITY_OUTLET, _DATELINE_OUTLET_CITY, _DATELINE_OUTLET_DASH):
        match = pattern.match(line)
        if match is not None:
            city = match["city"]
            return match["outlet"], _title_case(city) if city else None, match["rest"].strip()
    return None


def _title_case(city: str) -> str:
    """"JAKARTA" as "Jakarta", "NEW YORK" as "New York"; words not in capitals kept as written."""
    return " ".join(
        word[0] + word[1:].lower() if word.isupper() else word for word in city.split()
    )


def _heading_shaped(line: str) -> bool:
    """Whether the line, on its own, looks like a section heading."""
    return (
        len(line) <= _HEADING_MAX_CHARS
        and (line[0].isupper() or line[0].isdigit())
        and line[-1] not in _NOT_HEADING_END
        and len(line.split()) <= _HEADING_MAX_WORDS
        and any(char.isalpha() for char in line)
    )
