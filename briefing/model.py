"""The typed model of a briefing: what every later stage reads.

Loaders build these frozen objects from ``content/``; the site, the PDF and the
incremental rebuilds work only on them. Articles refer to registry entries by
id, so that an article can be cached on its own and the build plan can tell
exactly which registry entries a page reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from briefing.frozen import Value
from briefing.geo.project import Box
from briefing.geo.spec import Offset, Overlay, OverlayStatus

if TYPE_CHECKING:
    from briefing.config import Config


class ClaimStatus(StrEnum):
    """How far a claim is verified, strongest first: the curators' rating, shown in words."""

    CONFIRMED = "confirmed"  # on-scene or geolocated
    CORROBORATED = "corroborated"  # independent reports agree
    CLAIMED = "claimed"  # one party says so
    DISPUTED = "disputed"  # a credible counter-assessment exists
    FALSE = "false"

    @property
    def reviewed(self) -> bool:
        """Whether the curators rated the claim (as opposed to only reporting it)."""
        return self is not ClaimStatus.CLAIMED


class Qualifier(StrEnum):
    EXACT = "exact"
    ABOUT = "about"
    MORE_THAN = "more-than"
    LESS_THAN = "less-than"


# --- registries -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Source(Value):
    """An outlet or agency whose reporting the briefing carries or retells."""

    id: str
    name: str
    url: str | None = None
    country: str | None = None
    language: str | None = None
    reliability: str | None = None  # Admiralty source reliability, A-F
    description: str = ""
    alt_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Place(Value):
    id: str
    name: str
    kind: str = "other"
    country: str | None = None
    coordinates: tuple[float, float] | None = None  # latitude, longitude
    within: str | None = None  # id of the enclosing place
    description: str = ""
    alt_names: tuple[str, ...] = ()
    iso_3166_2: str | None = None
    label: Offset | None = None


@dataclass(frozen=True, slots=True)
class MapLayer(Value):
    """A curator's map layer (content/data/layers.yaml) with its geometry, read from ``file``:
    drawn on every map whose frame it reaches into, and credited to ``source``."""

    id: str
    name: str
    file: str  # as the curator sees it: content/maps/....geojson
    source: str  # source id
    as_of: date | None
    status: OverlayStatus
    overlay: Overlay
    box: Box  # around all of its geometry
    description: str = ""


@dataclass(frozen=True, slots=True)
class Actor(Value):
    id: str
    name: str
    kind: str = "other"
    part_of: str | None = None  # id of the actor this one belongs to
    country: str | None = None
    description: str = ""
    alt_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Topic(Value):
    id: str
    name: str
    description: str = ""


RegistryKind = Literal["sources", "places", "actors", "topics"]
REGISTRY_KINDS: tuple[RegistryKind, ...] = ("sources", "places", "actors", "topics")

#: An entry of any registry.
RegistryEntry = Source | Place | Actor | Topic


# --- what the briefing follows across days --------------------------------------


@dataclass(frozen=True, slots=True)
class Series(Value):
    """A number followed across days (content/data/series.yaml): the figures that name
    it are its points."""

    id: str
    name: str
    unit: str = ""  # every point's unit; a figure without one takes it
    place: str | None = None  # place id
    description: str = ""


@dataclass(frozen=True, slots=True)
class Thread(Value):
    """A question followed across days (content/data/threads.yaml): the claims that name
    it are the answers given so far."""

    id: str
    question: str
    places: tuple[str, ...] = ()  # place ids
    actors: tuple[str, ...] = ()  # actor ids
    description: str = ""


FollowedKind = Literal["series", "threads"]
FOLLOWED_KINDS: tuple[FollowedKind, ...] = ("series", "threads")

#: Every kind of data file whose ids other files name: the registries and the followed.
DataKind = RegistryKind | FollowedKind
#: Every data file of content/data/: those, and the map layers (which no file names by id).
DataFile = DataKind | Literal["layers"]
#: An entry of any data file.
DataEntry = RegistryEntry | Series | Thread


def parent_of(entry: RegistryEntry) -> str | None:
    """The id of the entry this one sits in: a place's ``within``, an actor's ``part_of``."""
    if isinstance(entry, Place):
        return entry.within
    if isinstance(entry, Actor):
        return entry.part_of
    return None


# --- article bodies -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Heading(Value):
    """A section heading in an outlet's raw text."""

    text: str
    line: int


@dataclass(frozen=True, slots=True)
class Paragraph(Value):
    text: str
    line: int


Block = Heading | Paragraph


@dataclass(frozen=True, slots=True)
class RawBody(Value):
    """An outlet's text, read into paragraphs and headings; shown as text, never as Markdown."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class MarkdownBody(Value):
    """A curator's own Markdown, rendered later; ``line`` is where it starts in its file."""

    text: str
    line: int


Body = RawBody | MarkdownBody


# --- articles -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SourceLine(Value):
    """Who published an article and whose reporting it retells."""

    outlet: str  # source id
    based_on: str | None = None  # source id
    url: str | None = None
    author: str | None = None
    editor: str | None = None
    dateline: str | None = None


@dataclass(frozen=True, slots=True)
class Figure(Value):
    """A key number. ``value`` None with no range means the number is unknown, never zero."""

    label: str
    value: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    qualifier: Qualifier = Qualifier.EXACT
    unit: str = ""
    place: str | None = None  # place id
    claim: str | None = None  # id of a claim in the same article
    series: str | None = None  # series id; then ``unit`` is the series' when none was given

    @property
    def is_range(self) -> bool:
        return self.minimum is not None or self.maximum is not None


@dataclass(frozen=True, slots=True)
class Claim(Value):
    id: str
    text: str
    status: ClaimStatus
    by_actor: str | None = None  # actor id, when the claimant is in the registry
    by_text: str | None = None  # free text, when the claimant is not
    admiralty: str | None = None  # e.g. "B3"
    evidence: tuple[str, ...] = ()
    disputed_by_actor: str | None = None  # who disputes it, an actor id (status: disputed)
    disputed_by_text: str | None = None  # or in free text
    thread: str | None = None  # id of the thread (the question) it answers


@dataclass(frozen=True, slots=True)
class Image(Value):
    src: str  # path relative to content/, POSIX separators
    alt: str
    credit: str = ""


#: What makes two reads of an article equal (Article.identity): a digest and what was filled in.
Identity = tuple[str, tuple[object, ...]]


@dataclass(frozen=True, slots=True)
class Article(Value):
    id: str  # the file stem, unique in the briefing
    path: str  # the metadata's path relative to the briefing root
    format: Literal["markdown", "raw"]
    title: str
    published: datetime  # aware
    has_time: bool  # False when the metadata gave a bare date
    day: date  # the daily briefing that carries it
    slug: str
    source: SourceLine
    language: str
    summary: str
    body: Body
    topics: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()
    claims: tuple[Claim, ...] = ()
    priority: int | None = None
    draft: bool = False
    image: Image | None = None
    files: tuple[str, ...] = ()  # every file the article was read from
    #: The files under content/ its Markdown body shows, as paths there (found when read).
    images: tuple[str, ...] = ()
    #: A digest of those files' text: within one config, equal digests mean an equal
    #: article (but for source.based_on, which the sources registry can fill in).
    #: The build's fingerprints use it instead of hashing the whole article again.
    digest: str = ""
    #: The same for everything but the body: what lists of articles show (cards,
    #: timelines, feeds, data/articles.json). A body edit leaves it as it was.
    meta_digest: str = ""

    @property
    def identity(self) -> Identity | None:
        """What makes two reads of this article equal: the digest of its files and what
        the data files filled in (so not in the digest, see :meth:`filled`); None when it
        has no digest (an article made in a test)."""
        return (self.digest, self.filled()) if self.digest else None

    @property
    def meta_identity(self) -> Identity | None:
        """The same for everything but the body: what lists of articles show."""
        return (self.meta_digest, self.filled()) if self.meta_digest else None

    def filled(self) -> tuple[object, ...]:
        """What resolving against the data files can fill in: the outlet it retells (from
        sources.yaml) and its figures' units (a figure in a series takes the series' unit)."""
        return self.source.based_on, tuple(f.unit for f in self.figures)

    def metadata(self) -> tuple[object, ...]:
        """Every field but the body (and the images found in it) and the digests: what
        ``meta_digest`` covers."""
        return tuple(getattr(self, name) for name in self.__slots__
                     if name not in ("body", "images", "digest", "meta_digest"))

    def registry_ids(self, kind: RegistryKind) -> tuple[str, ...]:
        """Ids of the entries of one registry that this article refers to."""
        if kind == "sources":
            return tuple(i for i in (self.source.outlet, self.source.based_on) if i)
        if kind == "places":
            extra = tuple(f.place for f in self.figures if f.place and f.place not in self.places)
            return self.places + tuple(dict.fromkeys(extra))
        if kind == "actors":
            extra = tuple(
                c.by_actor for c in self.claims if c.by_actor and c.by_actor not in self.actors
            )
            return self.actors + tuple(dict.fromkeys(extra))
        return self.topics


# --- days -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Day(Value):
    """One daily briefing: the articles it carries, in reading order."""

    date: date
    article_ids: tuple[str, ...]
    headline: str = ""
    as_of: datetime | None = None
    takeaways: tuple[str, ...] = ()
    note: str = ""  # Markdown
    note_line: int = 0
    path: str | None = None  # the curation file, when there is one

    @property
    def curated(self) -> bool:
        return self.path is not None


# --- the whole ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Site(Value):
    """Everything a build renders: config, registries, articles, days, and the series and
    threads that follow figures and claims across days."""

    config: Config
    articles: Mapping[str, Article]  # by id, in (day, reading order)
    days: Mapping[date, Day]  # newest first
    sources: Mapping[str, Source] = field(default_factory=dict)
    places: Mapping[str, Place] = field(default_factory=dict)
    actors: Mapping[str, Actor] = field(default_factory=dict)
    topics: Mapping[str, Topic] = field(default_factory=dict)
    media: tuple[str, ...] = ()  # files under content/ published as they are, relative to it
    series: Mapping[str, Series] = field(default_factory=dict)
    threads: Mapping[str, Thread] = field(default_factory=dict)
    layers: Mapping[str, MapLayer] = field(default_factory=dict)

    def registry(self, kind: RegistryKind) -> Mapping[str, RegistryEntry]:
        registry: Mapping[str, RegistryEntry] = getattr(self, kind)
        return registry
