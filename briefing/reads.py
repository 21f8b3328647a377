"""The model as outputs read it: every method is one kind of input.

Pages, feeds and the PDF never hold the whole :class:`~briefing.model.Site`:
they get a :class:`Reads`, whose methods each read one input key
(:mod:`briefing.inputs`). :class:`RecordingReads` notes every key read, so a
test can render every output and check that it read nothing it did not
declare: a page that reads more than it declares would go stale after an
incremental build, and that test is what stops it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from briefing import inputs
from briefing.followed import Points, points_of
from briefing.geo.project import Box
from briefing.index import ClaimRef, Index
from briefing.inputs import Input
from briefing.model import (
    Article,
    Body,
    ClaimStatus,
    Day,
    MapLayer,
    RegistryEntry,
    RegistryKind,
    Series,
    Site,
    Thread,
)
from briefing.since import Since

if TYPE_CHECKING:
    from briefing.config import Config
    from briefing.units.base import Output


class Reads:
    """Read access to one site, its index and its plan's pages."""

    def __init__(self, site: Site, index: Index, pages: tuple[Output, ...] = ()) -> None:
        self._site, self._index, self._pages = site, index, pages
        self._days = tuple(site.days)
        self._months = tuple(dict.fromkeys((d.year, d.month) for d in self._days))
        self._article_ids = tuple(site.articles)
        self._media = frozenset(site.media)

    def follow(self, site: Site) -> Reads:
        """The same reads of a site of the same shape (:func:`briefing.plan.same_shape`)."""
        return type(self)(site, self._index, self._pages)

    # --- the whole site --------------------------------------------------------------

    @property
    def config(self) -> Config:
        return self._site.config

    def days(self) -> tuple[date, ...]:
        """The dates with a briefing, newest first."""
        return self._days

    def months(self) -> tuple[tuple[int, int], ...]:
        """The (year, month) pairs with a briefing, newest first."""
        return self._months

    def days_in(self, year: int, month: int | None = None) -> tuple[date, ...]:
        """The dates with a briefing in one year or month, newest first (each one read)."""
        return tuple(on for on in self._days if on.year == year and month in (None, on.month))

    def article_ids(self) -> tuple[str, ...]:
        """Every article's id, newest day first, in reading order within a day."""
        return self._article_ids

    def latest_articles(self, count: int) -> tuple[str, ...]:
        """The ids of the first ``count`` articles in that order (each one read)."""
        return self._article_ids[:count]

    def latest_days(self, count: int) -> tuple[date, ...]:
        """The ``count`` newest dates with a briefing (each one read)."""
        return self._days[:count]

    def published(self, article_id: str) -> datetime:
        """One article's publication time (read across articles: the sitemap's key)."""
        return self._site.articles[article_id].published

    def pages(self) -> tuple[Output, ...]:
        """Every page of the plan, sorted by path."""
        return self._pages

    # --- days and articles -------------------------------------------------------------

    def day(self, on: date) -> Day:
        return self._site.days[on]

    def issue(self, on: date) -> int:
        """The day's edition number."""
        return self._index.issues[on]

    def pdf(self, on: date) -> str | None:
        """The site path of the day's PDF, or None when PDFs are not built."""
        return self._index.pdfs.get(on)

    def since(self, on: date) -> Since:
        """What changed on the day since the last briefing (:mod:`briefing.since`)."""
        return self._index.since[on]

    def article(self, article_id: str) -> Article:
        """An article's metadata. Its body is :meth:`body`: lists never read it."""
        return self._site.articles[article_id]

    def body(self, article_id: str) -> Body:
        return self._site.articles[article_id].body

    def related(self, article_id: str) -> tuple[str, ...]:
        """The ids of an article's related articles, closest first (each one read)."""
        return self._index.related.get(article_id, ())

    def media(self, path: str) -> bool:
        """Whether content/ holds the file ``path`` (relative to content/)."""
        return path in self._media

    # --- registries ----------------------------------------------------------------------

    def entry(self, kind: RegistryKind, entry_id: str) -> RegistryEntry:
        return self._site.registry(kind)[entry_id]

    def entries(self, kind: RegistryKind) -> tuple[str, ...]:
        """The ids of every entry of one registry, in registry order (each one read)."""
        return tuple(self._site.registry(kind))

    def children(self, kind: RegistryKind, entry_id: str) -> tuple[str, ...]:
        """The ids of the entries within one (each one read)."""
        return self._index.children_of(kind, entry_id)

    def within(self, place_id: str) -> tuple[str, ...]:
        """The ids of the places within a place, at any depth (each one read)."""
        return self._index.within(place_id)

    def record(self, actor_id: str) -> tuple[ClaimRef, ...]:
        """Every claim an actor makes, newest first: its track record."""
        return self._index.records.get(actor_id, ())

    def members(self, kind: RegistryKind, entry_id: str) -> tuple[str, ...]:
        """The ids of the articles an entry lists, newest first (for a place, with those of
        the places within it)."""
        return self._index.members_of(kind, entry_id)

    def count(self, kind: RegistryKind, entry_id: str) -> int:
        """How many articles an entry lists."""
        return len(self._index.members_of(kind, entry_id))

    def claims(self, status: ClaimStatus) -> tuple[ClaimRef, ...]:
        return self._index.claims.get(status, ())

    def claim_count(self, status: ClaimStatus) -> int:
        return len(self._index.claims.get(status, ()))

    # --- series and threads --------------------------------------------------------------

    def series(self, series_id: str) -> Series:
        return self._site.series[series_id]

    def thread(self, thread_id: str) -> Thread:
        return self._site.threads[thread_id]

    def layer(self, layer_id: str) -> MapLayer:
        return self._site.layers[layer_id]

    def layers_over(self, box: Box) -> tuple[str, ...]:
        """The ids of the layers whose geometry reaches into ``box`` (each one read)."""
        return tuple(i for i, layer in self._site.layers.items() if layer.box.intersects(box))

    def all_series(self) -> tuple[str, ...]:
        """The ids of every series, in series.yaml's order (each one read)."""
        return tuple(self._site.series)

    def all_threads(self) -> tuple[str, ...]:
        """The ids of every thread, in threads.yaml's order (each one read)."""
        return tuple(self._site.threads)

    def points(self, article_id: str) -> Points:
        """An article's figures in series and claims in threads."""
        return points_of(self._site.articles[article_id])

    def series_articles(self, series_id: str) -> tuple[str, ...]:
        """The ids of the articles with a point in a series, newest first (each one's points read)."""
        return self._index.series_points.get(series_id, ())

    def thread_articles(self, thread_id: str) -> tuple[str, ...]:
        """The ids of the articles with a claim in a thread, newest first (each one's points read)."""
        return self._index.thread_points.get(thread_id, ())

    def series_before(self, series_id: str, day: date) -> tuple[str, ...]:
        """The ids of the articles with a point in a series on a day before ``day`` (each one's
        points read): what an article's figure is told against."""
        articles = self._site.articles
        return tuple(i for i in self.series_articles(series_id) if articles[i].day < day)

    def thread_until(self, thread_id: str, day: date) -> tuple[str, ...]:
        """The ids of the articles with a claim in a thread on ``day`` or before (each one's
        points read): those an article's claim may follow, by time."""
        articles = self._site.articles
        return tuple(i for i in self.thread_articles(thread_id) if articles[i].day <= day)

    def entry_series(self, kind: RegistryKind, entry_id: str) -> tuple[str, ...]:
        """The ids of the series an entry's page lists (each one read)."""
        return self._index.entry_series.get(inputs.entry_name(kind, entry_id), ())

    def entry_threads(self, kind: RegistryKind, entry_id: str) -> tuple[str, ...]:
        """The ids of the threads an entry's page lists (each one read)."""
        return self._index.entry_threads.get(inputs.entry_name(kind, entry_id), ())


class RecordingReads(Reads):
    """Reads that note every input key they read (in ``read``), for the test that checks
    each output against what it declared. An article's body counts as read when any
    code touches it, even through the object :meth:`article` returned."""

    def __init__(self, site: Site, index: Index, pages: tuple[Output, ...] = ()) -> None:
        super().__init__(site, index, pages)
        self.read: set[Input] = set()

    def _note(self, *keys: Input) -> None:
        self.read.update(keys)

    @property
    def config(self) -> Config:
        self._note(inputs.CONFIG)
        return self._site.config

    def days(self) -> tuple[date, ...]:
        self._note(inputs.DAYS)
        return super().days()

    def months(self) -> tuple[tuple[int, int], ...]:
        self._note(inputs.MONTHS)
        return super().months()

    def days_in(self, year: int, month: int | None = None) -> tuple[date, ...]:
        found = super().days_in(year, month)
        self._note(*map(inputs.day, found))
        return found

    def article_ids(self) -> tuple[str, ...]:
        self._note(inputs.ARTICLES)
        return super().article_ids()

    def latest_articles(self, count: int) -> tuple[str, ...]:
        found = super().latest_articles(count)
        self._note(*map(inputs.meta, found))
        return found

    def latest_days(self, count: int) -> tuple[date, ...]:
        found = super().latest_days(count)
        self._note(*map(inputs.day, found))
        return found

    def published(self, article_id: str) -> datetime:
        self._note(inputs.PUBLISHED)
        return super().published(article_id)

    def pages(self) -> tuple[Output, ...]:
        self._note(inputs.PAGES)
        return super().pages()

    def day(self, on: date) -> Day:
        self._note(inputs.day(on))
        return super().day(on)

    def issue(self, on: date) -> int:
        self._note(inputs.issue(on))
        return super().issue(on)

    def pdf(self, on: date) -> str | None:
        self._note(inputs.pdf(on))
        return super().pdf(on)

    def since(self, on: date) -> Since:
        self._note(inputs.since(on))
        return super().since(on)

    def article(self, article_id: str) -> Article:
        self._note(inputs.meta(article_id))
        return _Watched(super().article(article_id), self)  # type: ignore[return-value]

    def body(self, article_id: str) -> Body:
        self._note(inputs.article(article_id))
        return super().body(article_id)

    def related(self, article_id: str) -> tuple[str, ...]:
        found = super().related(article_id)
        self._note(*map(inputs.meta, found))
        return found

    def media(self, path: str) -> bool:
        self._note(inputs.media(path))
        return super().media(path)

    def entry(self, kind: RegistryKind, entry_id: str) -> RegistryEntry:
        self._note(inputs.entry(kind, entry_id))
        return super().entry(kind, entry_id)

    def entries(self, kind: RegistryKind) -> tuple[str, ...]:
        found = super().entries(kind)
        self._note(*(inputs.entry(kind, i) for i in found))
        return found

    def children(self, kind: RegistryKind, entry_id: str) -> tuple[str, ...]:
        found = super().children(kind, entry_id)
        self._note(*(inputs.entry(kind, i) for i in found))
        return found

    def within(self, place_id: str) -> tuple[str, ...]:
        found = super().within(place_id)
        self._note(*(inputs.entry("places", i) for i in found))
        return found

    def record(self, actor_id: str) -> tuple[ClaimRef, ...]:
        self._note(inputs.record(actor_id))
        return super().record(actor_id)

    def members(self, kind: RegistryKind, entry_id: str) -> tuple[str, ...]:
        self._note(inputs.members(kind, entry_id))
        return super().members(kind, entry_id)

    def count(self, kind: RegistryKind, entry_id: str) -> int:
        self._note(inputs.count(kind, entry_id))
        return super().count(kind, entry_id)

    def claims(self, status: ClaimStatus) -> tuple[ClaimRef, ...]:
        self._note(inputs.claims(status))
        return super().claims(status)

    def claim_count(self, status: ClaimStatus) -> int:
        self._note(inputs.claim_count(status))
        return super().claim_count(status)

    def layer(self, layer_id: str) -> MapLayer:
        self._note(inputs.layer(layer_id))
        return super().layer(layer_id)

    def layers_over(self, box: Box) -> tuple[str, ...]:
        found = super().layers_over(box)
        self._note(*map(inputs.layer, found))
        return found

    def series(self, series_id: str) -> Series:
        self._note(inputs.series(series_id))
        return super().series(series_id)

    def thread(self, thread_id: str) -> Thread:
        self._note(inputs.thread(thread_id))
        return super().thread(thread_id)

    def all_series(self) -> tuple[str, ...]:
        found = super().all_series()
        self._note(*map(inputs.series, found))
        return found

    def all_threads(self) -> tuple[str, ...]:
        found = super().all_threads()
        self._note(*map(inputs.thread, found))
        return found

    def points(self, article_id: str) -> Points:
        self._note(inputs.points(article_id))
        return super().points(article_id)

    def series_articles(self, series_id: str) -> tuple[str, ...]:
        found = super().series_articles(series_id)
        self._note(*map(inputs.points, found))
        return found

    def thread_articles(self, thread_id: str) -> tuple[str, ...]:
        found = super().thread_articles(thread_id)
        self._note(*map(inputs.points, found))
        return found

    def series_before(self, series_id: str, day: date) -> tuple[str, ...]:
        found = Reads.series_articles(self, series_id)
        found = tuple(i for i in found if self._site.articles[i].day < day)
        self._note(*map(inputs.points, found))
        return found

    def thread_until(self, thread_id: str, day: date) -> tuple[str, ...]:
        found = Reads.thread_articles(self, thread_id)
        found = tuple(i for i in found if self._site.articles[i].day <= day)
        self._note(*map(inputs.points, found))
        return found

    def entry_series(self, kind: RegistryKind, entry_id: str) -> tuple[str, ...]:
        found = super().entry_series(kind, entry_id)
        self._note(*map(inputs.series, found))
        return found

    def entry_threads(self, kind: RegistryKind, entry_id: str) -> tuple[str, ...]:
        found = super().entry_threads(kind, entry_id)
        self._note(*map(inputs.thread, found))
        return found


#: What of an article is its body, or depends on it: touching these reads the whole article.
_WHOLE = frozenset({"body", "digest", "identity"})


class _Watched:
    """An article that tells its reads apart: the body (and digests of it) or the rest."""

    __slots__ = ("_article", "_reads")

    def __init__(self, article: Article, reads: RecordingReads) -> None:
        self._article, self._reads = article, reads

    @property  # type: ignore[misc]
    def __class__(self) -> type:  # isinstance(x, Article) holds, as for the article itself
        return Article

    def __getattr__(self, name: str) -> Any:
        if name in _WHOLE:
            self._reads._note(inputs.article(self._article.id))
        return getattr(self._article, name)

    def __eq__(self, other: object) -> bool:
        return self._article == (other._article if isinstance(other, _Watched) else other)

    def __hash__(self) -> int:
        return hash(self._article)
