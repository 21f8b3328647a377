"""What changed on a day since the last briefing: the threads and series the site follows.

ISW repeats claimed against assessed day after day, CrisisWatch gives a trend arrow with its
reason, OCHA prints each key figure with its change since the last report: a daily briefing is
read for what changed. :func:`since_all` works that out for every day from the model alone, so
the same site always gives the same answer (the day's page, its PDF, its e-mail and its feed
entry all show it, and the build fingerprints it as the key ``since:DAY``).

The rules, each a decision a reader may ask about:

- **The last briefing** is the previous day in the site's days (the next older one that has
  a briefing). The first day has none: its :class:`Since` has ``previous`` None and nothing
  else, and no section is shown (calling everything new would repeat the day, and a line
  saying so would take room on the PDF's front page for nothing).
- **A thread's status on a day** is the status of its latest claim up to that day, by article
  time (``published``; then the day, the article id and the claim's place break ties).
- **A thread opened** on a day when its first claim is on that day (none on an earlier one).
- **A thread's status changed** when its status on the day differs from its status on the last
  briefing; the article that changed it is the one with the day's latest claim of it (always
  an article of the day: a claim of the day older than the last one before leaves it as it was).
- **A series moved** when it has a point on the day and one up to the last briefing: the latest
  of each (a point's date is its briefing day; within a day, the latest article time, then
  article id and figure order). The move (▲/▼ and by how much) is told only between comparable
  points (:func:`briefing.charts.move.comparable`: single values, exact or about); otherwise
  both points are still given, with ``move`` None, and no difference is made up.
- **A new figure** is a point of a series that had none before the day: the series' first
  (the day's latest, when it has several). A figure in no series is no news of a series, so
  it is not one: the day's key figures already show it.
- A figure whose claim the curators rated false is no point of its series (as the charts draw
  it, a refuted number is no step): it neither moves a series nor starts one.

Everything a section shows comes from its :class:`Since` (the series, thread, statuses,
figures, days), except the titles and pages of the day's own articles, which the day's pages
read anyway.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from briefing.charts.move import Move, move_between
from briefing.charts.points import Number, Point
from briefing.charts.points import Series as ChartSeries
from briefing.frozen import Value
from briefing.model import Article, ClaimStatus, Figure, Series, Site, Thread

#: How two claims of a thread, or two points of a series, are ordered: a later key is later news.
Order = tuple[object, ...]


@dataclass(frozen=True, slots=True)
class Reading(Value):
    """One point of a series: a figure, the article that reports it, its day and rating."""

    article_id: str
    day: date
    figure: Figure
    status: ClaimStatus | None  # its claim's rating; None: the figure names no claim


@dataclass(frozen=True, slots=True)
class ThreadOpened(Value):
    """A thread whose first claim is on the day, with the status it starts at."""

    thread: Thread
    status: ClaimStatus
    article_id: str
    claim_id: str


@dataclass(frozen=True, slots=True)
class StatusChange(Value):
    """A thread whose status on the day differs from the last briefing's."""

    thread: Thread
    before: ClaimStatus
    after: ClaimStatus
    article_id: str  # the article with the day's latest claim of the thread: what changed it
    claim_id: str


@dataclass(frozen=True, slots=True)
class SeriesMove(Value):
    """A series with a point on the day and one up to the last briefing: then and now."""

    series: Series
    before: Reading
    after: Reading
    move: Move | None  # None when the two are not comparable: no difference is told


@dataclass(frozen=True, slots=True)
class SeriesStart(Value):
    """A series' first point: a new figure."""

    series: Series
    reading: Reading


@dataclass(frozen=True, slots=True)
class Since(Value):
    """What changed on ``day`` since the briefing of ``previous`` (None: the first briefing)."""

    day: date
    previous: date | None
    opened: tuple[ThreadOpened, ...] = ()
    changed: tuple[StatusChange, ...] = ()
    moved: tuple[SeriesMove, ...] = ()
    started: tuple[SeriesStart, ...] = ()

    @property
    def empty(self) -> bool:
        """Nothing to report (on the first day too)."""
        return not (self.opened or self.changed or self.moved or self.started)

    def article_ids(self) -> tuple[str, ...]:
        """The day's articles the section names, once each, in the section's order."""
        found = [*(o.article_id for o in self.opened), *(c.article_id for c in self.changed),
                 *(m.after.article_id for m in self.moved), *(s.reading.article_id for s in self.started)]
        return tuple(dict.fromkeys(found))


@dataclass(frozen=True, slots=True)
class _Claim:
    order: Order
    status: ClaimStatus
    article_id: str
    claim_id: str


def since_all(site: Site) -> dict[date, Since]:
    """What changed on every day of ``site`` since the last briefing before it, by day.

    One pass over the days, oldest first, keeping each thread's latest claim and each series'
    latest point so far: linear in the articles, whatever the number of days.
    """
    days = sorted(site.days)
    by_day: dict[date, list[Article]] = {on: [] for on in days}
    for article in site.articles.values():
        if article.day in by_day:
            by_day[article.day].append(article)
    threads: dict[str, _Claim] = {}  # thread id -> its latest claim up to the last briefing
    series: dict[str, tuple[Order, Reading]] = {}  # series id -> its latest point so far
    found: dict[date, Since] = {}
    previous: date | None = None
    for on in days:
        claims = _latest_claims(by_day[on])
        readings = _latest_readings(by_day[on])
        if previous is None:
            found[on] = Since(on, None)
        else:
            found[on] = Since(on, previous, *_thread_news(site.threads, threads, claims),
                              *_series_news(site.series, series, readings))
        for thread_id, claim in claims.items():
            kept = threads.get(thread_id)
            if kept is None or claim.order > kept.order:
                threads[thread_id] = claim
        series.update(readings)
        previous = on
    return found


def _thread_news(known: Mapping[str, Thread], before: Mapping[str, _Claim], today: Mapping[str, _Claim],
                 ) -> tuple[tuple[ThreadOpened, ...], tuple[StatusChange, ...]]:
    """The threads opened and those whose status changed, in threads.yaml's order."""
    opened: list[ThreadOpened] = []
    changed: list[StatusChange] = []
    for thread_id, thread in known.items():
        claim = today.get(thread_id)
        if claim is None:
            continue
        last = before.get(thread_id)
        if last is None:
            opened.append(ThreadOpened(thread, claim.status, claim.article_id, claim.claim_id))
        elif claim.order > last.order and claim.status is not last.status:
            changed.append(StatusChange(thread, last.status, claim.status, claim.article_id, claim.claim_id))
    return tuple(opened), tuple(changed)


def _series_news(known: Mapping[str, Series], before: Mapping[str, tuple[Order, Reading]],
                 today: Mapping[str, tuple[Order, Reading]],
                 ) -> tuple[tuple[SeriesMove, ...], tuple[SeriesStart, ...]]:
    """The series that moved and those that started, in series.yaml's order."""
    moved: list[SeriesMove] = []
    started: list[SeriesStart] = []
    for series_id, series in known.items():
        point = today.get(series_id)
        if point is None:
            continue
        after = point[1]
        last = before.get(series_id)
        if last is None:
            started.append(SeriesStart(series, after))
        else:
            moved.append(SeriesMove(series, last[1], after, _move(series, last[1], after)))
    return tuple(moved), tuple(started)


def _move(series: Series, before: Reading, after: Reading) -> Move | None:
    """The move between two readings, when both are single values the charts can compare."""
    first, second = _point(before), _point(after)
    if first is None or second is None:
        return None
    return move_between(ChartSeries(series.name, series.unit), first, second)


def _point(reading: Reading) -> Point | None:
    """A reading as a chart point, when it is one value; its rating matters not to a move."""
    figure = reading.figure
    if figure.value is None or figure.is_range:
        return None
    return Point(reading.day, Number(figure.value), reading.status or ClaimStatus.CLAIMED,
                 "", reading.article_id, figure.qualifier)


def _latest_claims(articles: list[Article]) -> dict[str, _Claim]:
    """Each thread's latest claim among one day's articles."""
    latest: dict[str, _Claim] = {}
    for article in articles:
        for position, claim in enumerate(article.claims):
            if claim.thread is None:
                continue
            found = _Claim(_order(article.published, article, position), claim.status, article.id, claim.id)
            kept = latest.get(claim.thread)
            if kept is None or found.order > kept.order:
                latest[claim.thread] = found
    return latest


def _latest_readings(articles: list[Article]) -> dict[str, tuple[Order, Reading]]:
    """Each series' latest point among one day's articles (false ones left aside)."""
    latest: dict[str, tuple[Order, Reading]] = {}
    for article in articles:
        for series_id, position, reading in _readings(article):
            order = _order(article.published, article, position)
            kept = latest.get(series_id)
            if kept is None or order > kept[0]:
                latest[series_id] = (order, reading)
    return latest


def _readings(article: Article) -> Iterator[tuple[str, int, Reading]]:
    statuses = {c.id: c.status for c in article.claims}
    for position, figure in enumerate(article.figures):
        status = statuses.get(figure.claim) if figure.claim else None
        if figure.series is None or status is ClaimStatus.FALSE:
            continue
        yield figure.series, position, Reading(article.id, article.day, figure, status)


def _order(published: datetime, article: Article, position: int) -> Order:
    """Later news sorts later: by time, then day, article id and place in the article."""
    return (published, article.day, article.id, position)

