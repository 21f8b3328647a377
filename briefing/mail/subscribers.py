"""private/subscribers.yaml: who gets the daily briefing, read as strictly as every other file.

Each subscriber has an opaque id (the key), which the ledger records instead of
the address: the record of what was sent then holds no more personal data than
it needs (UU PDP No. 27/2022), and an address can change without the history
losing track of whom it was sent to.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, RootModel, WithJsonSchema

from briefing.content.files import MAX_YAML_BYTES, read_text
from briefing.errors import Location, Problems
from briefing.fields import CalendarDay, Id, LanguageCode, Strict, Text, is_id
from briefing.frozen import Value
from briefing.mail.addresses import check_address
from briefing.mail.settings import EmailSettings, PdfMode
from briefing.slugs import slugify
from briefing.validation import validate
from briefing.yamlio import parse_yaml

Status = Literal["active", "unsubscribed"]

EmailAddress = Annotated[
    str,
    AfterValidator(check_address),
    WithJsonSchema({"type": "string", "format": "email", "examples": ["ana@example.org"]}),
]

EXAMPLE = """\
# Subscribers of the daily briefing by e-mail. Private: never commit or publish this file.
# One subscriber per line: an id of your choice (lowercase letters, digits, hyphens)
# and the fields below. Only email is required.
#   name:      used in the greeting and the To: line
#   language:  BCP 47 code (id, en); default: the briefing's
#   pdf:       attach | link (default: email.pdf.mode in briefing.yml)
#   status:    active (default) | unsubscribed (kept, so that a re-import cannot re-add them)
#   since:     the day they subscribed, YYYY-MM-DD
ana: {email: ana@example.org, name: Ana, language: id, pdf: attach, since: 2024-08-01}
budi: {email: budi@example.org, pdf: link, status: unsubscribed}
"""

GITIGNORE_LINE = "private/"


class SubscriberEntry(Strict):
    """One subscriber."""

    email: EmailAddress = Field(description="Where the briefing goes.", examples=["ana@example.org"])
    name: Text | None = Field(None, description="Shown in the To: line and the greeting.",
                              examples=["Ana"])
    language: LanguageCode | None = Field(None, description="Default: the briefing's language.")
    pdf: PdfMode | None = Field(None, description="attach or link; default: email.pdf.mode.")
    status: Status = Field("active", description="active, or unsubscribed: kept, never sent to.")
    since: CalendarDay | None = Field(None, description="The day they subscribed.",
                                      examples=["2024-08-01"])


class SubscribersFile(RootModel[dict[Id, SubscriberEntry]]):
    """private/subscribers.yaml: subscribers by id."""


@dataclass(frozen=True, slots=True)
class Subscriber(Value):
    """One subscriber, with the settings' defaults filled in."""

    id: str
    email: str
    name: str | None
    language: str | None
    pdf: PdfMode
    status: Status
    since: date | None
    location: Location  # where the entry stands, for messages about it

    @property
    def active(self) -> bool:
        return self.status == "active"


def load_subscribers(root: Path, settings: EmailSettings,
                     problems: Problems) -> list[Subscriber] | None:
    """Every subscriber, in id order, or None (with located problems) when the list is
    missing or has any error: a briefing is never sent to half a list."""
    shown = settings.subscribers
    path = settings.subscribers_path(root)
    if not path.is_file():
        problems.error(
            Location(shown), "", f"no subscriber list: {shown} does not exist",
            f"create it with one line per subscriber, like "
            f"'ana: {{email: ana@example.org, name: Ana}}' (`briefing init` puts an example "
            f"in a new briefing), "
            f"and keep it out of git: add '{GITIGNORE_LINE}' to .gitignore",
        )
        return None
    found = Problems()
    text = read_text(path, shown, found, limit=MAX_YAML_BYTES, allow_empty=True)
    subscribers = parse_subscribers(text, shown, settings, found) if text is not None else None
    problems.extend(found)
    return None if found.errors else subscribers


def parse_subscribers(text: str, shown: str, settings: EmailSettings,
                      problems: Problems) -> list[Subscriber]:
    """The subscribers in ``text`` (the file shown as ``shown``); problems go to ``problems``."""
    doc, found = parse_yaml(text, shown)
    problems.extend(found)
    if doc is None:
        return []
    if doc.data is None:
        problems.error(doc.location(()), "", "the subscriber list is empty",
                       "add one line per subscriber, like 'ana: {email: ana@example.org}'")
        return []
    if not isinstance(doc.data, dict):
        problems.error(doc.location(()), "",
                       "expected a mapping of ids to subscribers, like 'ana: {email: ana@example.org}'")
        return []
    subscribers: list[Subscriber] = []
    by_address: dict[str, Subscriber] = {}
    for key, data in doc.data.items():
        if not is_id(key):
            problems.error(doc.location((key,), key=True), key,
                           "expected an id of lowercase letters, digits and hyphens",
                           f"write '{slugify(key) or 'ana'}'")
            continue
        entry, found = validate(SubscriberEntry, doc, data, at=(key,))
        problems.extend(found)
        if entry is None:
            continue
        subscriber = Subscriber(key, entry.email, entry.name, entry.language,
                                entry.pdf or settings.pdf.mode, entry.status, entry.since,
                                doc.location((key,), key=True))
        # Two ids with one address would get two copies of every briefing.
        same = by_address.setdefault(entry.email.casefold(), subscriber)
        if same is not subscriber:
            problems.error(doc.location((key, "email")), f"{key}.email",
                           f"the same address as '{same.id}' on line {same.location.line}",
                           "keep one of the two entries")
            continue
        subscribers.append(subscriber)
    return sorted(subscribers, key=lambda s: s.id)


def write_example(root: Path, settings_path: str = "private/subscribers.yaml") -> Path | None:
    """Write the example list (for ``briefing init``) unless a list is there already;
    returns the path written, or None when it was left alone."""
    path = root / settings_path
    if path.exists():
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    # Readable by its owner only: it holds people's addresses.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(EXAMPLE)
    return path
