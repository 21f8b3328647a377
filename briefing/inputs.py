"""What an output can read: typed input keys.

Every output of the site names the parts of the model it reads as
:class:`Input` values (``Input(Need.META, "2024-08-15-evakuasi")``: that
article's metadata). The build's fingerprints digest each key's value
(:mod:`briefing.fingerprint`), the watch mode asks which outputs read a changed
key, and pages reach the model only through :class:`briefing.reads.Reads`,
whose every method is one kind of key, so that a test can check that a page
reads nothing it did not declare.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import NamedTuple

from briefing.model import REGISTRY_KINDS, ClaimStatus, RegistryKind


class Need(StrEnum):
    """The kinds of input. The name of a key says which one of its kind."""

    CONFIG = "config"  # briefing.yml as validated
    DAYS = "days"  # the dates that have a briefing, newest first
    MONTHS = "months"  # the (year, month) pairs that have one
    ARTICLES = "articles"  # every article's id, in order (the data export)
    PUBLISHED = "published"  # every article's publication time, in order (the sitemap)
    PAGES = "pages"  # the path of every page, sorted (the sitemap)
    DAY = "day"  # one day: its curation and its articles in reading order (name: ISO date)
    ISSUE = "issue"  # a day's edition number (name: ISO date)
    PDF = "pdf"  # a day's PDF path, or none (name: ISO date)
    ARTICLE = "article"  # one article, body included (name: its id)
    META = "meta"  # one article but its body
    CARD = "card"  # an article as lists show it: its metadata and the registry entries shown
    RELATED = "related"  # the ids of an article's related articles
    ENTRY = "entry"  # one registry entry (name: "places/kursk-oblast")
    MEMBERS = "members"  # the ids of the articles an entry lists, newest first (name as ENTRY)
    COUNT = "count"  # how many articles an entry lists, or claims a status has ("claims/false")
    CLAIMS = "claims"  # the claims with one status: (article, claim) ids (name: the status)
    MEDIA = "media"  # a file under content/ (name: its path there), or its absence
    FILE = "file"  # a static file of the theme (name: its theme path)
    TEMPLATE = "template"  # a template and everything it pulls in
    THEME = "theme"  # another file of the theme: the PDF's stylesheet


class Input(NamedTuple):
    """One thing an output reads: a kind and which one (empty for the whole-site kinds)."""

    need: Need
    name: str = ""

    def __str__(self) -> str:
        return f"{self.need.value}:{self.name}" if self.name else self.need.value


# Constructors: one per kind that names something, so that a name is always built one way.
# They call tuple.__new__ themselves: a year's plan makes ~400,000 keys, and the named
# tuple's own __new__ is a Python function.
_new = tuple.__new__

CONFIG = Input(Need.CONFIG)
DAYS = Input(Need.DAYS)
MONTHS = Input(Need.MONTHS)
ARTICLES = Input(Need.ARTICLES)
PUBLISHED = Input(Need.PUBLISHED)
PAGES = Input(Need.PAGES)


def day(on: date) -> Input:
    return _new(Input, (Need.DAY, on.isoformat()))


def issue(on: date) -> Input:
    return _new(Input, (Need.ISSUE, on.isoformat()))


def pdf(on: date) -> Input:
    return _new(Input, (Need.PDF, on.isoformat()))


def article(article_id: str) -> Input:
    return _new(Input, (Need.ARTICLE, article_id))


def meta(article_id: str) -> Input:
    return _new(Input, (Need.META, article_id))


def card(article_id: str) -> Input:
    return _new(Input, (Need.CARD, article_id))


def related(article_id: str) -> Input:
    return _new(Input, (Need.RELATED, article_id))


def entry_name(kind: RegistryKind, entry_id: str) -> str:
    """'places/kursk-oblast': how an entry is named in keys, and in Index.members."""
    return f"{kind}/{entry_id}"


def parse_entry_name(name: str) -> tuple[RegistryKind, str]:
    """The registry and the id an entry name ('places/kursk-oblast') names."""
    kind, _, entry_id = name.partition("/")
    if not entry_id:
        raise ValueError(f"not an entry name: {name!r}")
    return parse_registry_kind(kind), entry_id


def parse_registry_kind(name: str) -> RegistryKind:
    if name not in REGISTRY_KINDS:
        raise ValueError(f"not a registry: {name!r}")
    return name


def entry(kind: RegistryKind, entry_id: str) -> Input:
    return _new(Input, (Need.ENTRY, entry_name(kind, entry_id)))


def members(kind: RegistryKind, entry_id: str) -> Input:
    return _new(Input, (Need.MEMBERS, entry_name(kind, entry_id)))


def count(kind: RegistryKind, entry_id: str) -> Input:
    return _new(Input, (Need.COUNT, entry_name(kind, entry_id)))


def claim_count(status: ClaimStatus) -> Input:
    return Input(Need.COUNT, f"claims/{status.value}")


def claims(status: ClaimStatus) -> Input:
    return Input(Need.CLAIMS, status.value)


def media(path: str) -> Input:
    return Input(Need.MEDIA, path)


def file(theme_path: str) -> Input:
    return Input(Need.FILE, theme_path)


def template(name: str) -> Input:
    return Input(Need.TEMPLATE, name)


def theme(name: str) -> Input:
    return Input(Need.THEME, name)


def cards(ids: tuple[str, ...] | list[str]) -> list[Input]:
    """A list of articles' inputs: each one's card."""
    need = Need.CARD
    return [_new(Input, (need, i)) for i in ids]


#: The kinds whose value is one field of each article, and that field: such a key changes
#: only when that field of an edited article does (a title edit leaves "published" as it was).
ACROSS_ARTICLES: dict[Need, str] = {Need.PUBLISHED: "published"}

#: What changes when an article's body alone changed, and when its metadata did too.
BODY_EDIT: tuple[Need, ...] = (Need.ARTICLE,)
META_EDIT: tuple[Need, ...] = (Need.ARTICLE, Need.META, Need.CARD)
