"""What an output can read: typed input keys.

Every output of the site names the parts of the model it reads as
:class:`Input` values (``inputs.meta("2024-08-15-evakuasi")``, the key ``"meta:2024-08-15-evakuasi"``: that
article's metadata). The build's fingerprints digest each key's value
(:mod:`briefing.fingerprint`), the watch mode asks which outputs read a changed
key, and pages reach the model only through :class:`briefing.reads.Reads`,
whose every method is one kind of key, so that a test can check that a page
reads nothing it did not declare.

A key is a string, ``"meta:2024-08-15-evakuasi"``, of a type of its own for the
type checker (a plain string is not an Input): a year's plan holds ~300,000 of
them, and plain strings keep their hash, cost no copy to make and are no work for
the garbage collector (named tuples, then a str subclass, made a one-edit build at
10,000 articles a tenth slower). Only the constructors below make keys, and
:func:`need_of` and :func:`name_of` take them apart with one table lookup.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import NewType, cast

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
    SINCE = "since"  # what changed on a day since the last briefing (name: ISO date)
    ARTICLE = "article"  # one article, body included (name: its id)
    META = "meta"  # one article but its body
    CARD = "card"  # an article as lists show it: its metadata and the registry entries shown
    ENTRY = "entry"  # one registry entry (name: "places/kursk-oblast")
    MEMBERS = "members"  # the ids of the articles an entry lists, newest first (name as ENTRY)
    COUNT = "count"  # how many articles an entry lists, or claims a status has ("claims/false")
    CLAIMS = "claims"  # the claims with one status: (article, claim) ids (name: the status)
    RECORD = "record"  # the claims one actor makes: (article, claim) ids (name: the actor's id)
    SERIES = "series"  # one series of series.yaml (name: its id)
    THREAD = "thread"  # one thread of threads.yaml (name: its id)
    LAYER = "layer"  # a curator's map layer, its geometry included (name: its id)
    POINTS = "points"  # an article's figures in series and claims in threads (name: its id)
    MEDIA = "media"  # a file under content/ (name: its path there), or its absence
    FILE = "file"  # a static file of the theme (name: its theme path)
    TEMPLATE = "template"  # a template and everything it pulls in
    THEME = "theme"  # another file of the theme: the PDF's stylesheet


#: One thing an output reads: a kind and which one (no name for the whole-site kinds).
Input = NewType("Input", str)

_NEEDS = {need.value: need for need in Need}


def need_of(key: Input) -> Need:
    return _NEEDS[key.partition(":")[0]]


def name_of(key: Input) -> str:
    return key.partition(":")[2]


def key(need: Need, name: str = "") -> Input:
    """The key of one thing of a kind (what the constructors below make, one kind each)."""
    return Input(f"{need.value}:{name}" if name else need.value)


# Constructors: one per kind that names something, so that a name is always built one way.
# The kinds a plan names by the hundred thousand are joined to their prefix directly.
_ARTICLE, _META, _CARD, _ENTRY = (f"{n.value}:" for n in (Need.ARTICLE, Need.META, Need.CARD, Need.ENTRY))

CONFIG = key(Need.CONFIG)
DAYS = key(Need.DAYS)
MONTHS = key(Need.MONTHS)
ARTICLES = key(Need.ARTICLES)
PUBLISHED = key(Need.PUBLISHED)
PAGES = key(Need.PAGES)


def day(on: date) -> Input:
    return key(Need.DAY, on.isoformat())


def issue(on: date) -> Input:
    return key(Need.ISSUE, on.isoformat())


def pdf(on: date) -> Input:
    return key(Need.PDF, on.isoformat())


def since(on: date) -> Input:
    return key(Need.SINCE, on.isoformat())


def article(article_id: str) -> Input:
    return Input(_ARTICLE + article_id)


def meta(article_id: str) -> Input:
    return Input(_META + article_id)


def card(article_id: str) -> Input:
    return Input(_CARD + article_id)


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
    return Input(_ENTRY + entry_name(kind, entry_id))


def members(kind: RegistryKind, entry_id: str) -> Input:
    return key(Need.MEMBERS, entry_name(kind, entry_id))


def count(kind: RegistryKind, entry_id: str) -> Input:
    return key(Need.COUNT, entry_name(kind, entry_id))


def claim_count(status: ClaimStatus) -> Input:
    return key(Need.COUNT, f"claims/{status.value}")


def claims(status: ClaimStatus) -> Input:
    return key(Need.CLAIMS, status.value)


def record(actor_id: str) -> Input:
    return key(Need.RECORD, actor_id)


def series(series_id: str) -> Input:
    return key(Need.SERIES, series_id)


def thread(thread_id: str) -> Input:
    return key(Need.THREAD, thread_id)


def layer(layer_id: str) -> Input:
    return key(Need.LAYER, layer_id)


def points(article_id: str) -> Input:
    return key(Need.POINTS, article_id)


def media(path: str) -> Input:
    return key(Need.MEDIA, path)


def file(theme_path: str) -> Input:
    return key(Need.FILE, theme_path)


def template(name: str) -> Input:
    return key(Need.TEMPLATE, name)


def theme(name: str) -> Input:
    return key(Need.THEME, name)


def cards(ids: tuple[str, ...] | list[str]) -> list[Input]:
    """A list of articles' inputs: each one's card."""
    return cast(list[Input], [_CARD + i for i in ids])  # one cast, not one call per key


#: The kinds whose value is one field of each article, and that field: such a key changes
#: only when that field of an edited article does (a title edit leaves "published" as it was).
ACROSS_ARTICLES: dict[Need, str] = {Need.PUBLISHED: "published"}

#: What changes when an article's body alone changed, and when its metadata did too.
BODY_EDIT: tuple[Need, ...] = (Need.ARTICLE,)
META_EDIT: tuple[Need, ...] = (Need.ARTICLE, Need.META, Need.CARD, Need.POINTS)
