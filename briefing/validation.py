"""Validate a YAML document against a schema model, reporting located problems.

pydantic knows what is wrong; the YAML document knows where it stands and how
the curator typed it. This module joins the two into messages of the form
``path:line:col: error: figures[1].value: expected a number, found 'dua puluh'``.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from briefing.errors import Level, Problem, Problems, did_you_mean
from briefing.fields import ID_PATTERN
from briefing.slugs import slugify
from briefing.yamlio import FieldPath, Mark, YamlDoc, format_path

M = TypeVar("M", bound=BaseModel)

_PATTERN_WORDS = {
    ID_PATTERN: "an id of lowercase letters, digits and hyphens, like 'kursk-oblast'",
    r"^[A-Z]{2}$": "a two-letter country code in capitals, like RU or UA",
    r"^[A-F][1-6]$": "an Admiralty code: a letter A-F and a digit 1-6, like B3",
}


def validate(model: type[M], doc: YamlDoc, data: Any = None,
             at: FieldPath = ()) -> tuple[M | None, Problems]:
    """The validated model, or None with every problem found.

    By default the whole document is validated; pass ``data`` and its path ``at``
    to validate one part of it (one registry entry, say) on its own.
    """
    problems = Problems()
    if not at:
        data = doc.data
    try:
        return model.model_validate({} if data is None else data), problems
    except ValidationError as exc:
        for error in exc.errors():
            problems.add(_problem(model, doc, error, at))
    return None, problems


def _problem(model: type[BaseModel], doc: YamlDoc, error: ErrorDetails,
             at: FieldPath) -> Problem:
    inner: FieldPath = tuple(error["loc"])
    loc: FieldPath = at + inner
    on_key = bool(loc) and loc[-1] == "[key]"
    if on_key:
        loc = loc[:-1]
    kind = error["type"]
    field = format_path(loc)
    if kind == "missing":
        name = str(loc[-1]) if loc else "value"
        return Problem(Level.ERROR, doc.location(loc[:-1]), field, "required field is missing",
                       f"add '{name}:' here")
    if kind == "extra_forbidden":
        name = str(loc[-1])
        known = _fields_at(model, inner[:-1])
        hint = did_you_mean(name, known) or ("known fields: " + ", ".join(known) if known else "")
        return Problem(Level.ERROR, doc.location(loc, key=True), field, f"unknown field '{name}'", hint)
    mark = doc.mark(loc)
    value = error.get("input")
    failure = _Failure(kind, dict(error.get("ctx") or {}), value, mark, _describe(value, mark), error["msg"])
    words = _WORDS.get(kind, _other)
    message, hint = words(failure)
    return Problem(Level.ERROR, doc.location(loc, key=on_key), field, message,
                   hint or _what_goes(model, inner))


@dataclass(frozen=True, slots=True)
class _Failure:
    """One of pydantic's errors, with how the curator typed the value."""

    kind: str
    ctx: dict[str, Any]
    value: Any
    mark: Mark | None
    found: str  # the value in words (_describe)
    msg: str  # pydantic's own message


def _own(f: _Failure) -> tuple[str, str]:
    """A check of briefing's own: its message and hint are in the context."""
    return str(f.ctx.get("message", f.msg)), str(f.ctx.get("hint", ""))


def _text(f: _Failure) -> tuple[str, str]:
    hint = ""
    if f.mark is not None and f.mark.text is not None and not isinstance(f.value, list | dict):
        hint = f"quote it: \"{f.mark.text}\""
    return f"expected text, found {f.found}", hint


def _number(f: _Failure) -> tuple[str, str]:
    whole = f.kind.startswith("int")
    hint = "write digits only, without thousands separators: 20000" if isinstance(f.value, str) else ""
    return f"expected {'a whole number' if whole else 'a number'}, found {f.found}", hint


def _choice(f: _Failure) -> tuple[str, str]:
    expected = str(f.ctx.get("expected", ""))
    choices = [c.strip(" '") for c in expected.replace(" or ", ",").split(",")]
    hint = did_you_mean(str(f.value), choices) if isinstance(f.value, str) else ""
    return f"expected one of {expected}, found {f.found}", hint


def _pattern(f: _Failure) -> tuple[str, str]:
    pattern = str(f.ctx.get("pattern", ""))
    hint = ""
    if pattern == ID_PATTERN and isinstance(f.value, str) and slugify(f.value):
        hint = f"write '{slugify(f.value)}'"
    return f"expected {_PATTERN_WORDS.get(pattern, 'text matching ' + pattern)}, found {f.found}", hint


_LIMITS = {"greater_than_equal": "at least", "greater_than": "more than",
           "less_than_equal": "at most", "less_than": "less than"}


def _limit(f: _Failure) -> tuple[str, str]:
    return f"expected a number {_LIMITS[f.kind]} {next(iter(f.ctx.values()), '')}, found {f.found}", ""


def _other(f: _Failure) -> tuple[str, str]:
    return f"{f.msg}, found {f.found}", ""


#: What each kind of pydantic error says to a curator: (message, hint).
_WORDS: dict[str, Callable[[_Failure], tuple[str, str]]] = {
    "briefing": _own,
    "string_type": _text,
    **dict.fromkeys(("float_type", "float_parsing", "int_type", "int_parsing", "int_from_float"), _number),
    **dict.fromkeys(("bool_type", "bool_parsing"),
                    lambda f: (f"expected true or false, found {f.found}", "")),
    **dict.fromkeys(("list_type", "tuple_type", "set_type"),
                    lambda f: (f"expected a list, found {f.found}", "write [a, b] or one '- item' per line")),
    **dict.fromkeys(("dict_type", "model_type", "model_attributes_type"),
                    lambda f: (f"expected a mapping of 'key: value' lines, found {f.found}", "")),
    **dict.fromkeys(("literal_error", "enum"), _choice),
    "string_pattern_mismatch": _pattern,
    "string_too_short": lambda _f: ("must not be empty", ""),
    "string_too_long": lambda f: (f"too long: at most {f.ctx.get('max_length')} characters", ""),
    **dict.fromkeys(("too_short", "too_long"),
                    lambda f: (f"expected {f.msg.lower().removeprefix('list should have ')}", "")),
    **dict.fromkeys(_LIMITS, _limit),
}


def _describe(value: Any, mark: Mark | None) -> str:
    """How the curator typed a value, and what YAML made of it when that differs."""
    typed = mark.text if mark is not None and mark.text is not None else None
    if isinstance(value, bool):
        shown = str(value).lower()
        misread = typed is not None and typed.lower() not in ("true", "false")
        return f"{typed} (YAML 1.1 reads it as {shown})" if misread else shown
    if value is None:
        return typed or "nothing"
    if isinstance(value, int | float):
        return f"the number {typed if typed is not None else value}"
    if isinstance(value, str):
        return f"'{value if len(value) <= 60 else value[:57] + '...'}'"
    return "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else repr(value)


def _what_goes(model: type[BaseModel], path: FieldPath) -> str:
    """'what goes here: ...', from the description of the field at ``path`` (the one the
    JSON schemas give editors), or nothing when the field has none."""
    parent = _model_at(model, path[:-1]) if path else None
    field = parent.model_fields.get(str(path[-1])) if parent is not None else None
    if field is None or not field.description or field.description.startswith("Default"):
        return ""  # "Default: ..." says what happens without the field, not what goes in it
    return f"what goes here: {field.description}"


def _fields_at(model: type[BaseModel], path: FieldPath) -> list[str]:
    """Names of the fields the model accepts at ``path``, for 'did you mean' hints."""
    found = _model_at(model, path)
    return list(found.model_fields) if found is not None else []


def _model_at(model: type[BaseModel], path: FieldPath) -> type[BaseModel] | None:
    """The model of the mapping at ``path``, or None where it is not a mapping of fields."""
    current: Any = model
    for part in path:
        current = _element(current, part)
        if current is None:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _element(tp: Any, part: str | int) -> Any:
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        if "root" in tp.model_fields and tp.model_fields["root"].annotation is not None:
            return _element(tp.model_fields["root"].annotation, part)
        field = tp.model_fields.get(str(part))
        return field.annotation if field else None
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (list, tuple) and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    return None


def _unwrap(tp: Any) -> Any:
    """Strip Optional/Annotated wrappers down to the model or container type."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp
