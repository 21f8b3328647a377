"""Field types shared by the file schemas and the config.

Each type validates one kind of value a curator types and carries its JSON
Schema, so that editors with a YAML language server check the same rules.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_ID = re.compile(ID_PATTERN)


class Strict(BaseModel):
    """Base of every file schema: unknown keys are errors, no silent coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def custom_error(message: str, hint: str = "") -> PydanticCustomError:
    """A validation error whose message and hint reach the user unchanged."""
    return PydanticCustomError("briefing", "{message}", {"message": message, "hint": hint})


def _check_web_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise custom_error(
            f"expected a web address starting with https:// or http://, found '{value}'",
            "copy the full address from the browser's address bar",
        )
    if any(ch.isspace() for ch in value):
        raise custom_error(f"a web address cannot contain spaces, found '{value}'",
                           "replace spaces with %20")
    return value


def _check_language(value: str) -> str:
    try:
        Locale.parse(value.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        raise custom_error(
            f"expected a language code such as 'id' or 'en', found '{value}'",
            "use a BCP 47 code: id, en, uk, ru, en-GB",
        ) from None
    return value


def _parse_when(value: Any) -> datetime | date:
    """ISO 8601 date or date-time; the loader places a bare date in the site time zone."""
    if isinstance(value, datetime | date):
        return value
    if not isinstance(value, str):
        raise custom_error(
            f"expected a date like 2024-08-15 or 2024-08-15T09:30:00+07:00, found {value!r}"
        )
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError as exc:
        reason = str(exc)
        if "day is out of range" in reason or "must be in" in reason:
            why = f"there is no such day or time: {reason}"
        else:
            why = "expected ISO 8601: 2024-08-15 or 2024-08-15T09:30:00+07:00"
        raise custom_error(f"not a valid date '{text}': {why}",
                           "write the date as YYYY-MM-DD, a time as THH:MM:SS+07:00") from None


Id = Annotated[
    str,
    Field(pattern=ID_PATTERN, min_length=1, max_length=120,
          examples=["kursk-oblast"],
          description="An id: lowercase letters, digits and hyphens."),
]
WebUrl = Annotated[
    str,
    AfterValidator(_check_web_url),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"}),
]
LanguageCode = Annotated[
    str,
    AfterValidator(_check_language),
    WithJsonSchema({"type": "string", "pattern": "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
                    "examples": ["id", "en"]}),
]
CountryCode = Annotated[
    str,
    Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 code in capitals; quote NO, ON, Y.",
          examples=["RU", "UA", "ID"]),
]
When = Annotated[
    datetime | date,
    PlainValidator(_parse_when),
    WithJsonSchema({"type": "string",
                    "anyOf": [{"format": "date-time"}, {"format": "date"}],
                    "examples": ["2024-08-15T09:30:00+07:00", "2024-08-15"]}),
]
CalendarDay = Annotated[
    date,
    PlainValidator(lambda v: _as_date(_parse_when(v))),
    WithJsonSchema({"type": "string", "format": "date", "examples": ["2024-08-16"]}),
]
Text = Annotated[str, Field(min_length=1)]


def _as_date(value: datetime | date) -> date:
    if isinstance(value, datetime):
        raise custom_error("expected a day like 2024-08-16 without a time",
                           "remove the time part")
    return value


def is_id(value: str) -> bool:
    return bool(_ID.match(value))
