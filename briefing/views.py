"""What templates see: articles and days with their registry entries resolved.

The model refers to registry entries by id; templates want names, labels
("Korenevo, Oblast Kursk") and paths. These small frozen views are built from
the renderer's :class:`~briefing.reads.Reads`, so that everything a view holds
was read as an input, and templates stay free of lookups and logic.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from briefing import urls
from briefing.charts.move import describe_move, move_mark
from briefing.charts.words import ChartWords, MoveWords
from briefing.model import (
    Article,
    Claim,
    ClaimStatus,
    Day,
    Figure,
    Place,
    Qualifier,
    RegistryEntry,
    RegistryKind,
    Series,
    Thread,
)
from briefing.reads import Reads
from briefing.render.i18n import Dates, Strings
from briefing.since import Reading, Since


@dataclass(frozen=True, slots=True)
class EntryRef:
    """A registry entry as a link: its name, a fuller label, and its page."""

    kind: RegistryKind
    id: str
    name: str
    label: str  # "Korenevo, Oblast Kursk" for a place within another
    path: str
    entry: RegistryEntry


@dataclass(frozen=True, slots=True)
class FigureView:
    """A key figure as it reads: the number and what it counts, then where, how far it is
    verified and who reports it (OCHA's order)."""

    figure: Figure
    text: str  # "sekitar 20.000 warga", "400–500 warga", "jumlah prajurit tidak diketahui"
    number: str  # "20.000", "400–500", or the word for unknown
    place: EntryRef | None
    claim: Claim | None
    status: str  # the status of its claim in words, or ""


@dataclass(frozen=True, slots=True)
class ClaimView:
    """A claim as readers must see it: who makes it, apart from how the curators rated it
    and on what basis."""

    claim: Claim
    status: str  # the status in words, in the site's language
    status_path: str  # the page listing every claim with this status
    by: EntryRef | None  # the claimant, when an actor of the registry
    by_text: str | None  # the claimant in free text
    claimant: str  # "Alexei Smirnov", "Blogger militer", or the words for nobody named
    admiralty: str  # "B3: biasanya andal; kemungkinan benar", or ""
    disputed_by: EntryRef | None = None  # who disputes it, when an actor of the registry
    disputer: str = ""  # who disputes it, in words, or "" when nobody is named


class StatusCount(NamedTuple):
    """How many of a list's claims have one status, in words: "2 diklaim"."""

    status: ClaimStatus
    total: int
    words: str


@dataclass(frozen=True, slots=True)
class ArticleView:
    article: Article
    path: str
    outlet: EntryRef
    based_on: EntryRef | None
    places: tuple[EntryRef, ...]
    actors: tuple[EntryRef, ...]
    topics: tuple[EntryRef, ...]
    figures: tuple[FigureView, ...]
    claims: tuple[ClaimView, ...]
    claim_counts: tuple[StatusCount, ...]  # its claims counted by status, strongest first


class DayFigure(NamedTuple):
    """A key figure of a day, with the article that reports it (a tuple too, for
    templates that unpack it: ``{% for f, art in figures %}``)."""

    figure: FigureView
    article: ArticleView


@dataclass(frozen=True, slots=True)
class DayLink:
    """A day as listed in archives: enough to link to it."""

    day: Day
    path: str
    headline: str  # the curated headline, else the lead article's title
    count: int


@dataclass(frozen=True, slots=True)
class SinceItem:
    """One line of "since the last briefing": which thread or series, what changed, in words,
    and the day's article that brought it."""

    kind: str  # opened, changed (threads); moved, updated, started (series)
    label: str  # "Utas baru", "Status berubah", "Angka bergerak", "Angka diperbarui", "Angka baru"
    name: str  # the thread's question or the series' name
    path: str  # the thread's or the series' page
    mark: str  # "▲ 8 permukiman", "▼ 20", "=" for a move; "" otherwise
    text: str  # "klaim → terkonfirmasi", "naik dari 74 permukiman (13 Agustus 2024) menjadi 82 permukiman"
    status: ClaimStatus | None  # a series point's rating (threads say theirs in ``text``)
    status_text: str  # that rating in words, or ""
    article: ArticleView


@dataclass(frozen=True, slots=True)
class SinceView:
    """The section "since the last briefing" of one day: its lines, or the one line that
    says nothing changed."""

    previous: date  # the last briefing before the day
    against: str  # that day in words, "14 Agustus"
    items: tuple[SinceItem, ...]
    line: str  # "" when there are items


@dataclass(frozen=True, slots=True)
class MonthGroup:
    month: date  # the first of the month
    path: str
    days: tuple[DayLink, ...]


@dataclass(frozen=True, slots=True)
class YearGroup:
    year: int
    path: str
    months: tuple[MonthGroup, ...]


class Views:
    """Builds views for one renderer from its reads, with the strings and date formats."""

    def __init__(self, reads: Reads, strings: Strings, dates: Dates) -> None:
        self.reads, self.t, self.dates = reads, strings, dates
        # Views are frozen and the site does not change during a build: an article
        # listed on a hundred pages is resolved once.
        self._articles: dict[str, ArticleView] = {}
        self._entries: dict[tuple[str, str], EntryRef] = {}

    def follow(self, reads: Reads, changed: Iterable[str]) -> None:
        """Go on with reads of a site of the same shape whose articles ``changed`` (the
        registries are the same): their views are made again when asked for."""
        self.reads = reads
        for article_id in changed:
            self._articles.pop(article_id, None)

    def entry(self, kind: RegistryKind, entry_id: str) -> EntryRef:
        found = self._entries.get((kind, entry_id))
        if found is None:
            found = self._entries[(kind, entry_id)] = self._entry(kind, entry_id)
        return found

    def _entry(self, kind: RegistryKind, entry_id: str) -> EntryRef:
        entry = self.reads.entry(kind, entry_id)
        label = entry.name
        if isinstance(entry, Place) and entry.within:
            label = f"{entry.name}, {self.reads.entry('places', entry.within).name}"
        return EntryRef(kind, entry_id, entry.name, label, urls.registry_path(kind, entry_id), entry)

    def entries(self, kind: RegistryKind, ids: Sequence[str]) -> tuple[EntryRef, ...]:
        return tuple(self.entry(kind, i) for i in ids)

    def article(self, article_id: str) -> ArticleView:
        """An article as its card shows it (never its body)."""
        found = self._articles.get(article_id)
        if found is None:
            found = self._articles[article_id] = self._article(self.reads.article(article_id))
        return found

    def _article(self, article: Article) -> ArticleView:
        claims = {c.id: c for c in article.claims}
        return ArticleView(
            article=article,
            path=urls.article_path(article),
            outlet=self.entry("sources", article.source.outlet),
            based_on=(self.entry("sources", article.source.based_on)
                      if article.source.based_on else None),
            places=self.entries("places", article.places),
            actors=self.entries("actors", article.actors),
            topics=self.entries("topics", article.topics),
            figures=tuple(self.figure(f, claims.get(f.claim or "")) for f in article.figures),
            claims=tuple(self.claim(c) for c in article.claims),
            claim_counts=self.claim_counts(c.status for c in article.claims),
        )

    def articles(self, ids: Sequence[str]) -> list[ArticleView]:
        return [self.article(i) for i in ids]

    def figure(self, figure: Figure, claim: Claim | None) -> FigureView:
        place = self.entry("places", figure.place) if figure.place else None
        return FigureView(figure, self.figure_text(figure), self.figure_number(figure), place, claim,
                          self.status(claim.status) if claim else "")

    def figure_text(self, figure: Figure) -> str:
        """'sekitar 20.000 warga', '400–500 warga', 'jumlah prajurit tidak diketahui'."""
        number = self.figure_number(figure)
        if figure.value is None and not figure.is_range:  # unknown: "jumlah prajurit tidak diketahui"
            return self.t("figure.unknown_of", unit=figure.unit) if figure.unit else number
        qualifier = "" if figure.qualifier is Qualifier.EXACT or figure.is_range else \
            self.t(f"qualifier.{figure.qualifier.value}") + " "
        return f"{qualifier}{number} {figure.unit}".strip()

    def figure_number(self, figure: Figure) -> str:
        if figure.is_range:
            low = self.dates.number(figure.minimum) if figure.minimum is not None else None
            high = self.dates.number(figure.maximum) if figure.maximum is not None else None
            if low and high:
                return f"{low}–{high}"
            return self.t("figure.at_least", value=low) if low else self.t("figure.at_most", value=high)
        if figure.value is None:
            return self.t("figure.unknown")
        return self.dates.number(figure.value)

    def claim(self, claim: Claim) -> ClaimView:
        by = self.entry("actors", claim.by_actor) if claim.by_actor else None
        claimant = by.name if by else claim.by_text or ""
        against = self.entry("actors", claim.disputed_by_actor) if claim.disputed_by_actor else None
        return ClaimView(claim, self.status(claim.status), urls.claims_path(claim.status), by,
                         claim.by_text, claimant, self.admiralty(claim.admiralty), against,
                         against.name if against else claim.disputed_by_text or "")

    def status(self, status: ClaimStatus) -> str:
        return self.t(f"status.{status.value}")

    def admiralty(self, code: str | None) -> str:
        """An Admiralty code in words: 'B3: biasanya andal; kemungkinan benar'."""
        if not code:
            return ""
        return self.t("admiralty.words", code=code, reliability=self.t(f"admiralty.{code[0]}"),
                      credibility=self.t(f"admiralty.{code[1]}"))

    def claim_counts(self, statuses: Iterable[ClaimStatus]) -> tuple[StatusCount, ...]:
        """Claims counted by status, in words, strongest status first: for a card's
        'Klaim: 2 diklaim, 1 diperdebatkan'."""
        counts = Counter(statuses)
        return tuple(StatusCount(s, counts[s], self.t(f"status.{s.value}.count", count=counts[s]))
                     for s in ClaimStatus if counts[s])

    def day_link(self, on: date) -> DayLink:
        day = self.reads.day(on)
        return DayLink(day, urls.day_path(day.date), self.headline(day), len(day.article_ids))

    def headline(self, day: Day) -> str:
        """A day's headline: the curators', else its lead article's title (not the date again)."""
        if day.headline or not day.article_ids:
            return day.headline
        return self.reads.article(day.article_ids[0]).title

    def archive(self, days: Sequence[date]) -> list[YearGroup]:
        """Days grouped by year and month, in the order given (newest first)."""
        years: dict[int, dict[int, list[DayLink]]] = {}
        for on in days:
            years.setdefault(on.year, {}).setdefault(on.month, []).append(self.day_link(on))
        return [
            YearGroup(year, urls.year_path(year), tuple(
                MonthGroup(date(year, month, 1), urls.month_path(year, month), tuple(links))
                for month, links in months.items()))
            for year, months in years.items()
        ]

    def day_figures(self, articles: Sequence[ArticleView]) -> list[DayFigure]:
        """The key figures of a day, each with the article that reports it."""
        return [DayFigure(figure, view) for view in articles for figure in view.figures]

    def cut_off(self, day: Day) -> datetime:
        """The day's data cut-off: the curators' ``as_of``, else its latest article's time."""
        return day.as_of or max(self.reads.article(i).published for i in day.article_ids)

    def takeaways(self, day: Day) -> list[str]:
        """The curated takeaways, or else the summaries of the day's articles."""
        if day.takeaways:
            return list(day.takeaways)
        return [summary for i in day.article_ids if (summary := self.reads.article(i).summary)]

    def since(self, on: date) -> SinceView | None:
        """What changed on the day since the last briefing, in words (:mod:`briefing.since`);
        None on the first day, which has no briefing before it to compare with (a section
        saying so would tell a reader nothing, and take room on the PDF's front page)."""
        found = self.reads.since(on)
        if found.previous is None:
            return None
        items = tuple(self._since_items(found))
        against = self.dates.day_month(found.previous)
        line = "" if items else self.t("since.nothing", date=against)
        return SinceView(found.previous, against, items, line)

    def _since_items(self, found: Since) -> Iterator[SinceItem]:
        t = self.t
        words = self.chart_words(MoveWords(t("since.up"), t("since.down"), t("since.same")))
        for opened in found.opened:
            text = t("since.opened", status=self.status(opened.status))
            yield self._thread_item("opened", opened.thread, text, opened.article_id)
        for change in found.changed:
            text = t("since.changed", before=self.status(change.before), after=self.status(change.after))
            yield self._thread_item("changed", change.thread, text, change.article_id)
        for moved in found.moved:
            if moved.move is not None:
                kind = "updated" if moved.move.by == 0 else "moved"
                mark, text = move_mark(moved.move, words), describe_move(moved.move, words)
            else:
                kind, mark = "updated", ""
                text = t("since.incomparable", after=self.figure_text(moved.after.figure),
                         before=self.figure_text(moved.before.figure),
                         before_date=self.dates.day_month(moved.before.day))
            yield self._series_item(kind, moved.series, mark, text, moved.after)
        for started in found.started:
            text = t("since.started", after=self.figure_text(started.reading.figure))
            yield self._series_item("started", started.series, "", text, started.reading)

    def _thread_item(self, kind: str, thread: Thread, text: str, article_id: str) -> SinceItem:
        return SinceItem(kind, self.t(f"since.kind.{kind}"), thread.question, urls.thread_path(thread.id), "",
                         text, None, "", self.article(article_id))

    def _series_item(self, kind: str, series: Series, mark: str, text: str, reading: Reading) -> SinceItem:
        status = reading.status
        words = self.status(status) if status else ""
        return SinceItem(kind, self.t(f"since.kind.{kind}"), series.name, urls.series_path(series.id), mark,
                         text, status, words, self.article(reading.article_id))

    def chart_words(self, moves: MoveWords, *, format_date: Callable[[date], str] | None = None,
                    summary: str = "", empty: str = "") -> ChartWords:
        """The words of :mod:`briefing.charts` in the site's language (ratings, the unknown,
        qualifiers), with the caller's sentences for a move and its date format ('12 Agustus'
        unless told); a caller that draws no chart has no summary to give."""
        return ChartWords(
            format_date=format_date or self.dates.day_month, format_number=self.dates.number,
            statuses={s: self.status(s) for s in ClaimStatus}, unknown=self.t("figure.unknown"),
            moves=moves, summary=summary, empty=empty,
            qualifiers={q: self.t(f"qualifier.{q.value}") + " {}" for q in Qualifier
                        if q is not Qualifier.EXACT})
