"""Strict YAML for hand-written metadata.

PyYAML follows YAML 1.1 and forgives too much for files that curators type all
day: duplicate keys silently keep the last value, ``NO`` becomes ``False``,
``1:20`` becomes ``80`` and aliases can expand without bound. This module
composes the document with libyaml (when present) and builds plain Python
values itself, so it can

* refuse duplicate keys, naming both lines;
* keep mapping keys as the text the curator typed (``on:`` stays ``"on"``);
* keep dates and times as the text typed, for the schema to parse with a
  time zone (a bare ``2024-02-30`` then gets a located error, not a crash);
* refuse numbers YAML 1.1 reads surprisingly (``012`` octal, ``1:20`` base 60,
  ``20.000`` meant as twenty thousand);
* bound alias expansion and refuse recursive aliases and unknown tags;
* refuse the characters XML and JSON cannot carry, typed or written as escapes
  ("\\x0b" in double quotes), at their line and column;
* bound how deep lists and mappings nest, while composing (PyYAML's composer
  recurses once per level, libyaml's too, in C: 600 levels were a traceback,
  100,000 crash the process) and while building (aliases can deepen a document);
* remember where every value and key stands, so that any later check can
  point at the exact line and column.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from briefing import controls
from briefing.errors import Location, Problems

#: How many nodes one document may expand to, aliases included.
MAX_NODES = 100_000
#: How deep lists and mappings may nest. An article's claims' evidence is four levels
#: deep; fifty leaves room for any real file and none for a bracket typed in a loop.
MAX_DEPTH = 50
_DEPTH_HINT = ("a briefing's files need a few levels at most: look for brackets [ { that are "
               "never closed, or repeated, from this point")

_OPENS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)


class _TooDeep(yaml.YAMLError):
    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__(f"nested more than {MAX_DEPTH} levels deep")
        self.mark = mark


class _BoundedComposer(Composer):
    """PyYAML's composer, counting levels: it stops at the first list or mapping deeper
    than MAX_DEPTH, before its own recursion (three frames a level) can run out of stack."""

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        parser: Any = self  # the events come from the parser it is mixed with
        # Each class on its own: libyaml's check_event compares classes, not instances.
        if not parser.check_event(*_OPENS):
            return super().compose_node(parent, index)
        if self.depth >= MAX_DEPTH:
            raise _TooDeep(parser.peek_event().start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _shallow(text: str) -> bool:
    """Whether ``text`` cannot nest deeper than MAX_DEPTH, by a cheap bound that nearly
    every file meets: then libyaml's own composer, in C, does the work (a third faster).

    A flow list or mapping opens with its own [ or {, and a list's entry can be a
    one-pair mapping ([a: b]): at most two levels a [, one a {. A block list or mapping
    opens at a column further right than the one around it (a list under a key: at
    the key's column), so at most two levels a column; it opens at a line's first
    token, after the indicators before it ("- - ? key:"; after an anchor or a tag
    libyaml allows none). str.splitlines breaks at every YAML line break and at
    control characters, which YAML refuses anyway."""
    flow = 2 * text.count("[") + text.count("{")
    if flow > MAX_DEPTH:
        return False
    lines = text.splitlines()
    widest = max(len(line) - len(line.lstrip(" \t-?:")) for line in lines) if lines else 0
    return flow + 2 * (widest + 1) <= MAX_DEPTH


def _flow_too_deep(text: str, upto: int) -> tuple[int, int]:
    """Where, before ``upto``, a bracket [ or { outside quotes opens level MAX_DEPTH + 1
    (line and column from 1); ``upto``'s own place when none does."""
    depth, quote, line, start = 0, "", 1, 0
    for index, char in enumerate(text[:upto]):
        if char == "\n":
            line, start, quote = line + 1, index + 1, ""
        elif quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line, index - start + 1
        elif char in "]}":
            depth -= 1
    before = text[:upto]
    return before.count("\n") + 1, upto - (before.rfind("\n") + 1) + 1


try:  # libyaml's parser is several times faster; the pure one reads the same.
    from yaml._yaml import CParser

    _Fast: Any = yaml.CSafeLoader

    class _Loader(_BoundedComposer, CParser, SafeConstructor, Resolver):
        """libyaml's events, composed in Python: its own composer cannot be bounded."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _BoundedComposer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

except ImportError:  # pragma: no cover - depends on how PyYAML was built

    _Fast = yaml.SafeLoader

    class _Loader(_BoundedComposer, yaml.SafeLoader):  # type: ignore[no-redef]
        """The pure parser; its composer (the same class) counting levels."""


FieldPath = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_TRUE_WORDS = {"true", "yes", "y", "on"}
_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$")
_OCTAL = re.compile(r"^[-+]?0[0-9_]+$")
_SPECIAL_FLOATS = {".inf": "inf", "+.inf": "inf", "-.inf": "-inf", ".nan": "nan"}
_THOUSANDS = re.compile(r"^[-+]?[1-9][0-9]{0,2}(\.[0-9]{3})+$")


@dataclass(frozen=True, slots=True)
class Mark:
    """Where a node starts, and how the curator wrote it."""

    line: int
    column: int
    text: str | None = None  # the scalar as typed, for messages
    quoted: bool = False  # written in quotes or as a block scalar


@dataclass(slots=True)
class YamlDoc:
    """A loaded document: its Python value and where each part of it stands.

    The composed nodes are kept, not marks made from them: most documents are
    valid, and a location is only worked out for a value that needs a message.
    """

    path: str
    data: Any
    offset: int = 0  # lines before the document (front matter starts on line 2)
    values: dict[FieldPath, yaml.Node] = field(default_factory=dict)
    keys: dict[FieldPath, yaml.Node] = field(default_factory=dict)

    def location(self, path: FieldPath, *, key: bool = False) -> Location:
        """The location of a value (or its key), else of its nearest ancestor."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while True:
            node = table.get(probe) or self.values.get(probe)
            if node is not None:
                start = node.start_mark
                return Location(self.path, start.line + 1 + self.offset, start.column + 1)
            if not probe:
                return Location(self.path, 1 + self.offset, 1)
            probe = probe[:-1]

    def mark(self, path: FieldPath) -> Mark | None:
        node = self.values.get(tuple(path))
        if node is None:
            return None
        start = node.start_mark
        if isinstance(node, yaml.ScalarNode):
            return Mark(start.line + 1 + self.offset, start.column + 1, node.value, bool(node.style))
        return Mark(start.line + 1 + self.offset, start.column + 1)

    def is_quoted(self, path: FieldPath) -> bool:
        node = self.values.get(tuple(path))
        return isinstance(node, yaml.ScalarNode) and bool(node.style)


def format_path(path: FieldPath) -> str:
    """``('figures', 1, 'value')`` -> ``figures[1].value``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


class _Builder:
    def __init__(self, path: str, line_offset: int) -> None:
        self.doc = YamlDoc(path=path, data=None, offset=line_offset)
        self.problems = Problems()
        self.offset = line_offset
        self.nodes = 0
        self.active: set[int] = set()
        self.exhausted = False
        self.depth = 0  # lists and mappings being built around the current node
        self.too_deep = False

    def location(self, node: yaml.Node) -> Location:
        start = node.start_mark
        return Location(self.doc.path, start.line + 1 + self.offset, start.column + 1)

    def build(self, node: yaml.Node, path: FieldPath) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            if not self.exhausted:
                self.exhausted = True
                self.problems.error(
                    self.location(node),
                    format_path(path),
                    f"the document expands to more than {MAX_NODES} values",
                    "aliases (*name) repeat whole sections; write the values out instead",
                )
            return None
        if id(node) in self.active:
            self.problems.error(
                self.location(node), format_path(path), "an alias refers to the section it is in"
            )
            return None
        self.doc.values[path] = node
        if isinstance(node, yaml.ScalarNode):
            if self.escaped_control(node, path):  # refused; the rest of the checks go on without it
                return controls.FORBIDDEN.sub("", node.value)
            return self.scalar(node, path)
        return self.collection(node, path)

    def collection(self, node: yaml.Node, path: FieldPath) -> Any:
        if self.depth >= MAX_DEPTH:  # composed within the bound, but aliases nest sections in sections
            if not self.too_deep:
                self.too_deep = True
                self.problems.error(self.location(node), format_path(path[:1]),  # the rest is [0][0]…
                                    f"nested more than {MAX_DEPTH} levels deep", _DEPTH_HINT)
            return None
        self.active.add(id(node))
        self.depth += 1
        try:
            if isinstance(node, yaml.SequenceNode) and node.tag == _TAG + "seq":
                return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
            if isinstance(node, yaml.MappingNode) and node.tag == _TAG + "map":
                return self.mapping(node, path)
        finally:
            self.active.discard(id(node))
            self.depth -= 1
        self.problems.error(
            self.location(node),
            format_path(path),
            f"the YAML tag {node.tag} is not supported here",
            "use plain mappings, lists and values",
        )
        return None

    def mapping(self, node: yaml.MappingNode, path: FieldPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.error(
                    self.location(key_node),
                    format_path(path),
                    "a key must be a plain word, not a list or mapping",
                )
                continue
            if key_node.tag == _TAG + "merge":
                self.problems.error(
                    self.location(key_node),
                    format_path(path),
                    "merge keys (<<) are not supported",
                    "write the keys out in full",
                )
                continue
            key = key_node.value  # the text typed: `on:` stays "on", `1:` stays "1"
            if self.escaped_control(key_node, path):  # the key itself would print it
                continue
            if key in first_seen:
                first = self.location(first_seen[key])
                self.problems.error(
                    self.location(key_node),
                    format_path((*path, key)),
                    f"duplicate key '{key}': it is already set on line {first.line}",
                    "keep one of the two; YAML would silently keep only the last",
                )
                continue
            first_seen[key] = key_node
            self.doc.keys[(*path, key)] = key_node
            result[key] = self.build(value_node, (*path, key))
        return result

    def escaped_control(self, node: yaml.ScalarNode, path: FieldPath) -> bool:
        """Whether a double-quoted scalar's escapes make a character XML and JSON cannot
        carry (the reader refuses them typed as they are; only escapes get past it)."""
        found = controls.FORBIDDEN.search(node.value) if node.style == '"' else None
        if found is None:
            return False
        char = found.group()
        message = f"{controls.describe(char)}, written as an escape: feeds and pages cannot carry it"
        self.problems.error(self.location(node), format_path(path), message,
                            f"delete the escape that writes it (\\u{ord(char):04x}, \\x.., \\0, \\b, \\v…)")
        return True

    def scalar(self, node: yaml.ScalarNode, path: FieldPath) -> Any:
        tag, text = node.tag, node.value
        if tag == _TAG + "str" or tag == _TAG + "timestamp":
            # Timestamps stay text: the schema parses them with the site's time zone.
            return text
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            # yes/no/on/off are booleans to YAML 1.1. Where a boolean is expected
            # that is what the curator meant; where text is expected the schema
            # refuses the boolean and the message quotes the word as typed.
            return text.lower() in _TRUE_WORDS
        if tag == _TAG + "int":
            return self.integer(node, path)
        if tag == _TAG + "float":
            return self.real(node, path)
        self.problems.error(
            self.location(node),
            format_path(path),
            f"the YAML tag {tag} is not supported here",
            "remove the tag and write a plain value",
        )
        return None

    def integer(self, node: yaml.ScalarNode, path: FieldPath) -> int | None:
        text = node.value
        if _SEXAGESIMAL.match(text):
            why, hint = "YAML 1.1 reads it as a base-60 number", f"quote it: '{text}'"
        elif _OCTAL.match(text):
            why = "YAML 1.1 reads a leading zero as an octal number"
            hint = f"quote it ('{text}') for text, or drop the zero for a number"
        else:
            try:
                return int(text.replace("_", ""), 0)
            except ValueError:
                why, hint = "it is not a number YAML can read", ""
        self.ambiguous(node, path, why, hint)
        return None

    def real(self, node: yaml.ScalarNode, path: FieldPath) -> float | None:
        text = node.value
        if _THOUSANDS.match(text):
            why = "YAML reads the dot as a decimal point, not a thousands separator"
            hint = f"write {text.replace('.', '')} for the whole number, or quote it for text"
        elif _SEXAGESIMAL.match(text):
            why, hint = "YAML 1.1 reads it as a base-60 number", f"quote it: '{text}'"
        else:
            value = float(_SPECIAL_FLOATS.get(text.lower(), text.replace("_", "")))
            if math.isfinite(value):
                return value
            why, hint = "it is not a finite number", ""
        self.ambiguous(node, path, why, hint)
        return None

    def ambiguous(self, node: yaml.ScalarNode, path: FieldPath, why: str, hint: str) -> None:
        self.problems.error(
            self.location(node),
            format_path(path),
            f"ambiguous value {node.value}: {why}",
            hint,
        )


def parse_yaml(text: str, path: str, *, line_offset: int = 0) -> tuple[YamlDoc | None, Problems]:
    """Compose and build one YAML document; never raises on bad input."""
    problems = Problems()
    typed = controls.FORBIDDEN.search(text)
    if typed is not None:  # libyaml refuses it too, but names neither the line nor the character
        line, column = controls.position(text, typed.start())
        char = typed.group()
        problems.error(Location(path, line + line_offset, column), "",
                       f"{controls.describe(char)}: feeds and pages cannot carry it",
                       controls.HINT.format(code=ord(char)))
        return None, problems
    try:
        loader: Any = _Fast if _shallow(text) else _Loader
        node = yaml.compose(text, Loader=loader)
    except _TooDeep as exc:
        problems.error(Location(path, exc.mark.line + 1 + line_offset, exc.mark.column + 1), "",
                       str(exc), _DEPTH_HINT)
        return None, problems
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark is not None and "maximum nesting depth" in str(exc.problem):
            # libyaml's scanner (0.2.5, as PyYAML 6.0.4's wheels bundle it) stops at 1,000
            # flow levels while looking ahead, before the composer reaches its bound.
            line, column = _flow_too_deep(text, mark.index)
            problems.error(Location(path, line + line_offset, column), "",
                           f"nested more than {MAX_DEPTH} levels deep", _DEPTH_HINT)
            return None, problems
        line = mark.line + 1 + line_offset if mark else 1
        column = mark.column + 1 if mark else 1
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        problems.error(
            Location(path, line, column),
            "",
            f"not valid YAML: {what}",
            "check indentation, and quote values that contain ': ' or start with a special character",
        )
        return None, problems
    except yaml.YAMLError as exc:
        problems.error(Location(path, 1 + line_offset, 1), "", f"not valid YAML: {exc}")
        return None, problems
    builder = _Builder(path, line_offset)
    if node is None:
        builder.doc.data = None
    else:
        builder.doc.data = builder.build(node, ())
    problems.extend(builder.problems)
    return builder.doc, problems

