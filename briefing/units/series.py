"""Series and threads: a page for each, their indexes, their data, and how other pages show them.

A series' points are the figures that name it, a thread's steps the claims that do; both
are read through each article's ``points:`` key (:mod:`briefing.followed`), so that what
a page shows of them follows the articles that feed them and nothing else. The charts
are drawn here, at build time, by :mod:`briefing.charts` in the site's words.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from briefing import inputs, urls
from briefing.charts.draw import STYLE, draw_chart, draw_sparkline
from briefing.charts.move import describe_move, move_between
from briefing.charts.points import STRENGTH, Number, Point, Range, chart_order
from briefing.charts.points import Series as ChartSeries
from briefing.charts.table import table_rows
from briefing.charts.words import ChartWords, MoveWords
from briefing.followed import FigurePoint, Points
from briefing.index import Index, ref_inputs
from briefing.inputs import Input
from briefing.model import Claim, ClaimStatus, Figure, Qualifier, RegistryKind, Series, Site, Thread
from briefing.units.base import Output, Planning, Rendered, Unit
from briefing.units.data import encode
from briefing.views import ClaimView, EntryRef

if TYPE_CHECKING:
    from briefing.units.renderer import Renderer


# --- what the plan declares ------------------------------------------------------------


def series_needs(site: Site, index: Index, series_id: str) -> list[Input]:
    """What showing a series' points reads: the series, its place, each article's points and
    outlet (a point's source)."""
    series = site.series[series_id]
    needs = [inputs.series(series_id)]
    if series.place:
        needs += ref_inputs(site, "places", series.place)
    for article_id in index.series_points.get(series_id, ()):
        needs += [inputs.points(article_id), inputs.entry("sources", site.articles[article_id].source.outlet)]
    return needs


def thread_needs(site: Site, index: Index, thread_id: str, *, whole: bool = False) -> list[Input]:
    """What a thread's current status reads (its claims' points); ``whole``: its page's
    history too (the articles' titles and outlets, the claimants, its places and actors)."""
    thread = site.threads[thread_id]
    needs = [inputs.thread(thread_id)]
    for article_id in index.thread_points.get(thread_id, ()):
        needs.append(inputs.points(article_id))
        if whole:
            article = site.articles[article_id]
            needs += [inputs.meta(article_id), inputs.entry("sources", article.source.outlet)]
            for claim in article.claims:
                if claim.thread == thread_id:
                    named = (claim.by_actor, claim.disputed_by_actor)
                    needs += [inputs.entry("actors", a) for a in named if a]
    if whole:
        needs += [key for p in thread.places for key in ref_inputs(site, "places", p)]
        needs += [inputs.entry("actors", a) for a in thread.actors]
    return needs


def article_needs(site: Site, index: Index, article_id: str) -> list[Input]:
    """What an article's page reads of the series and threads it feeds: each one, and the points
    before it (series: of earlier days; threads: up to its own day, ordered by time)."""
    article = site.articles[article_id]
    needs = [inputs.points(article_id)]
    for series_id in dict.fromkeys(f.series for f in article.figures if f.series):
        needs.append(inputs.series(series_id))
        needs += [inputs.points(i) for i in index.series_points.get(series_id, ())
                  if site.articles[i].day < article.day]
    for thread_id in dict.fromkeys(c.thread for c in article.claims if c.thread):
        needs.append(inputs.thread(thread_id))
        needs += [inputs.points(i) for i in index.thread_points.get(thread_id, ())
                  if i != article_id and site.articles[i].day <= article.day]
    return needs


# --- the words of a chart ----------------------------------------------------------------


def chart_words(r: Renderer, *, sentences: bool = False) -> ChartWords:
    """The charts' words in the site's language; ``sentences``: with dates and moves as an
    article's text tells them ('naik dari 74 permukiman pada 13 Agustus')."""
    t = r.t
    if sentences:
        moves = MoveWords(t("series.move_up"), t("series.move_down"), t("series.move_same"))
        return r.views.chart_words(moves, summary=t("series.summary"), empty=t("series.empty"))
    moves = MoveWords(t("series.takeaway_up"), t("series.takeaway_down"), t("series.takeaway_same"))
    return r.views.chart_words(moves, format_date=r.dates.short, summary=t("series.summary"),
                               empty=t("series.empty"))


def inline(svg: str) -> str:
    """A chart's SVG without its ``<style>``, for a page: the page's policy allows no inline
    style, and the same rules come from static/charts.css (:class:`ChartStyle`)."""
    styled = f"<style>{STYLE}</style>"
    assert styled in svg, "the chart's style is not where it was"
    return svg.replace(styled, "", 1)


# --- a series' points ----------------------------------------------------------------------


def point_of(points: Points, n: int, one: FigurePoint, source: str) -> Point:
    """A figure as a chart's point: a number, a range (or a bound: 'at least 100') or
    unknown; a figure that rests on no claim is unverified, so drawn as claimed."""
    f = one.figure
    amount: Number | Range | None = None
    qualifier = f.qualifier
    if f.minimum is not None and f.maximum is not None:
        amount = Range(f.minimum, f.maximum)
    elif f.minimum is not None or f.maximum is not None:
        amount = Number(f.minimum if f.minimum is not None else f.maximum)  # type: ignore[arg-type]
        qualifier = Qualifier.MORE_THAN if f.minimum is not None else Qualifier.LESS_THAN
    elif f.value is not None:
        amount = Number(f.value)
    return Point(points.day, amount, one.status or ClaimStatus.CLAIMED, source,
                 f"{points.article_id}/{n}", qualifier)


@dataclass(frozen=True, slots=True)
class PointRow:
    """A point as the series' table shows it: date, value in words, rating, source, article."""

    day: date
    value: str  # "sekitar 1.000 km²", "100–500 prajurit", or the word for unknown
    unknown: bool
    status: ClaimStatus
    status_text: str
    rated: bool  # its figure rests on a claim the editors rated (else: counted as claimed)
    source: str  # the outlet's name
    path: str  # the article's page
    label: str  # what the figure counts, as the article says
    anchor: str  # the row's id


@dataclass(frozen=True, slots=True)
class SeriesView:
    id: str
    series: Series
    path: str
    place: EntryRef | None
    rows: tuple[PointRow, ...]  # in chart order: by day, then value, rating, source
    latest: PointRow | None  # the latest day's best-rated point
    chart: str  # the SVG, inline (or a sparkline), or "" when not drawn
    takeaway: str  # the chart's one sentence


def _series_points(r: Renderer, series_id: str) -> tuple[list[Point], dict[str, tuple[Points, FigurePoint]]]:
    points: list[Point] = []
    found: dict[str, tuple[Points, FigurePoint]] = {}
    for article_id in r.reads.series_articles(series_id):
        mine = r.reads.points(article_id)
        source = r.views.entry("sources", mine.outlet).name
        for n, one in enumerate(mine.figures):
            if one.figure.series == series_id:
                point = point_of(mine, n, one, source)
                points.append(point)
                found[point.target] = (mine, one)
    return points, found


def series_view(r: Renderer, series_id: str, *, chart: str = "", prefix: str = "") -> SeriesView:
    """A series with its points; ``chart``: "full" (its page), "spark" (lists) or none."""
    series = r.reads.series(series_id)
    shape = ChartSeries(series.name, series.unit)
    points, found = _series_points(r, series_id)
    words = chart_words(r)
    rows = []
    for row in table_rows(shape, points, words):
        mine, one = found[row.target]
        rows.append(PointRow(row.day, row.value_text, one.figure.value is None and not one.figure.is_range,
                             row.status, row.status_text, one.status is not None, row.source, mine.path,
                             one.figure.label, "titik-" + row.target.replace("/", "-")))
    drawn = None
    pid = prefix or f"seri-{series_id}"
    if chart == "full":
        drawn = draw_chart(shape, points, words, id_prefix=pid)
    elif chart == "spark":
        drawn = draw_sparkline(shape, points, words, id_prefix=pid)
    place = r.views.entry("places", series.place) if series.place else None
    return SeriesView(series_id, series, urls.series_path(series_id), place, tuple(rows), _latest(rows),
                      inline(drawn.svg) if drawn else "", drawn.takeaway if drawn else "")


def _latest(rows: Sequence[PointRow]) -> PointRow | None:
    """The latest day's best-rated known point (an unknown one only when the day has no other)."""
    if not rows:
        return None
    last = [row for row in rows if row.day == rows[-1].day]
    return min(last, key=lambda row: (row.unknown, STRENGTH[row.status]))


def move_before(r: Renderer, article_id: str, figure: Figure, status: ClaimStatus | None) -> str:
    """Where an article's figure stands in its series: its move from the latest comparable
    point of an earlier day (that day's best-rated one), in words; "" when there is none."""
    assert figure.series is not None
    series = r.reads.series(figure.series)
    mine = r.reads.points(article_id)
    here = point_of(mine, 0, FigurePoint(figure, status), "")
    earlier = []
    for other in r.reads.series_before(figure.series, mine.day):
        theirs = r.reads.points(other)
        earlier += [point_of(theirs, n, one, "") for n, one in enumerate(theirs.figures)
                    if one.figure.series == figure.series and one.status is not ClaimStatus.FALSE]
    shape = ChartSeries(series.name, series.unit)
    by_day: dict[date, list[Point]] = {}
    for point in chart_order(earlier):  # once: sorting it again for each day was quadratic
        by_day.setdefault(point.day, []).append(point)
    for day in sorted(by_day, reverse=True):
        for before in sorted(by_day[day], key=lambda p: STRENGTH[p.status]):
            move = move_between(shape, before, here)
            if move is not None:
                return describe_move(move, chart_words(r, sentences=True))
    return ""


# --- a thread's steps ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    """One claim in a thread, with the article that reports it."""

    points: Points
    claim: Claim


def steps_of(r: Renderer, thread_id: str, ids: Iterable[str] | None = None) -> list[Step]:
    """A thread's claims, oldest first by their articles' time (then article and claim order)."""
    found = []
    for article_id in r.reads.thread_articles(thread_id) if ids is None else ids:
        mine = r.reads.points(article_id)
        found += [(mine.published, article_id, n, Step(mine, c)) for n, c in enumerate(mine.claims)
                  if c.thread == thread_id]
    return [step for *_, step in sorted(found, key=lambda item: item[:3])]


def state_of(steps: Sequence[Step]) -> tuple[ClaimStatus | None, date | None]:
    """A thread's current status (its latest claim's rating) and the day it was reached: the
    first of the latest run of claims with that rating."""
    if not steps:
        return None, None
    status = steps[-1].claim.status
    since = steps[-1].points.day
    for step in reversed(steps):
        if step.claim.status is not status:
            break
        since = step.points.day
    return status, since


@dataclass(frozen=True, slots=True)
class HistoryStep:
    """A step of a thread's timeline: the claim (who makes it, the editors' rating), its
    article, and the change of status it brings, in words ("" when none)."""

    claim: ClaimView
    day: date
    published: datetime
    path: str
    title: str
    outlet: str
    change: str  # "berubah dari klaim ke didukung sumber lain"
    changed: bool
    anchor: str  # its id on the page


@dataclass(frozen=True, slots=True)
class ThreadView:
    id: str
    thread: Thread
    path: str
    status: ClaimStatus | None
    status_text: str
    since: date | None
    count: int
    history: tuple[HistoryStep, ...]  # newest first; only on its own page
    places: tuple[EntryRef, ...]
    actors: tuple[EntryRef, ...]


def thread_view(r: Renderer, thread_id: str, *, whole: bool = False) -> ThreadView:
    thread = r.reads.thread(thread_id)
    steps = steps_of(r, thread_id)
    status, since = state_of(steps)
    history: list[HistoryStep] = []
    if whole:
        previous: ClaimStatus | None = None
        for step in steps:
            now = step.claim.status
            changed = previous is not None and previous is not now
            change = r.t("thread.changed", before=r.views.status(previous), after=r.views.status(now)) \
                if changed and previous is not None else ""
            article = r.reads.article(step.points.article_id)
            history.append(HistoryStep(r.views.claim(step.claim), step.points.day, step.points.published,
                                       step.points.path, article.title,
                                       r.views.entry("sources", step.points.outlet).name, change, changed,
                                       f"klaim-{step.points.article_id}-{step.claim.id}"))
            previous = now
        history.reverse()
    return ThreadView(thread_id, thread, urls.thread_path(thread_id), status,
                      r.views.status(status) if status else "", since, len(steps), tuple(history),
                      r.views.entries("places", thread.places) if whole else (),
                      r.views.entries("actors", thread.actors) if whole else ())


def claim_before(r: Renderer, article_id: str, claim: Claim) -> str:
    """Where an article's claim stands in its thread: the change of rating from the claim
    before it, in words; the first claim says so; "" when the rating stays."""
    assert claim.thread is not None
    day = r.reads.points(article_id).day
    others = [i for i in r.reads.thread_until(claim.thread, day) if i != article_id]
    steps = steps_of(r, claim.thread, [*others, article_id])
    position = next(n for n, s in enumerate(steps)
                    if s.points.article_id == article_id and s.claim.id == claim.id)
    if position == 0:
        return r.t("thread.first")
    before = steps[position - 1]
    if before.claim.status is claim.status:
        return ""
    return r.t("thread.changed_from", before=r.views.status(before.claim.status),
               date=r.dates.day_month(before.points.day))


# --- the units -------------------------------------------------------------------------------


class SeriesPage(Unit):
    """One series: its chart, and the same points as a table."""

    kind = "series"
    template = "series.html"
    listed = True

    def plan(self, p: Planning) -> Iterator[Output]:
        for series_id in p.site.series:
            needs = series_needs(p.site, p.index, series_id)
            yield self.output(urls.series_path(series_id), dict.fromkeys(needs), key=series_id)

    def context(self, output: Output, r: Renderer) -> dict[str, Any]:
        view = series_view(r, output.key, chart="full")
        return {"s": view, "index_path": urls.SERIES,
                "page": r.page(output, view.series.name, view.series.description or view.takeaway)}


class SeriesIndex(Unit):
    """Every series, with a sparkline and its latest value."""

    kind = "series-index"
    template = "series_index.html"
    listed = True

    def plan(self, p: Planning) -> Iterator[Output]:
        needs = [key for i in p.site.series for key in series_needs(p.site, p.index, i)]
        yield self.output(urls.SERIES, dict.fromkeys(needs))

    def context(self, output: Output, r: Renderer) -> dict[str, Any]:
        return {"series": [series_view(r, i, chart="spark") for i in r.reads.all_series()],
                "page": r.page(output, r.t("series.title"), r.t("series.intro"))}


class ThreadPage(Unit):
    """One thread: its question, its current status and since when, its history."""

    kind = "thread"
    template = "thread.html"
    listed = True

    def plan(self, p: Planning) -> Iterator[Output]:
        for thread_id in p.site.threads:
            needs = thread_needs(p.site, p.index, thread_id, whole=True)
            yield self.output(urls.thread_path(thread_id), dict.fromkeys(needs), key=thread_id)

    def context(self, output: Output, r: Renderer) -> dict[str, Any]:
        view = thread_view(r, output.key, whole=True)
        return {"th": view, "index_path": urls.THREADS,
                "page": r.page(output, view.thread.question, view.thread.description or view.thread.question)}


@dataclass(frozen=True, slots=True)
class StatusGroup:
    """The threads whose current status is one rating (``status`` None: no claim yet)."""

    status: ClaimStatus | None
    label: str
    threads: tuple[ThreadView, ...]


class ThreadIndex(Unit):
    """Every thread, grouped by its current status, strongest first."""

    kind = "thread-index"
    template = "thread_index.html"
    listed = True

    def plan(self, p: Planning) -> Iterator[Output]:
        needs = [key for i in p.site.threads for key in thread_needs(p.site, p.index, i)]
        yield self.output(urls.THREADS, dict.fromkeys(needs))

    def context(self, output: Output, r: Renderer) -> dict[str, Any]:
        views = [thread_view(r, i) for i in r.reads.all_threads()]
        groups = [StatusGroup(s, r.views.status(s), tuple(v for v in views if v.status is s))
                  for s in ClaimStatus]
        groups.append(StatusGroup(None, r.t("thread.no_status"), tuple(v for v in views if v.status is None)))
        return {"groups": [g for g in groups if g.threads], "count": len(views),
                "page": r.page(output, r.t("thread.title"), r.t("thread.intro"))}


class ChartStyle(Unit):
    """static/charts.css: the rules the charts carry in their SVG (briefing.charts.draw.STYLE),
    as a file, for pages whose policy allows no inline style. A theme's own file wins."""

    kind = "chart-style"

    def plan(self, p: Planning) -> Iterator[Output]:
        if urls.CHART_STYLE not in p.static:
            yield self.output(urls.CHART_STYLE)

    def render(self, output: Output, r: Renderer) -> Rendered:
        return Rendered((STYLE + "\n").encode())


# --- data for researchers --------------------------------------------------------------------

SERIES_COLUMNS = ("series", "date", "value", "min", "max", "qualifier", "unit", "status", "rated",
                  "label", "source", "source_id", "article")
THREAD_COLUMNS = ("thread", "date", "published", "status", "claim", "text", "by", "by_text",
                  "source", "source_id", "article")


def _number(value: float | None) -> float | int | None:
    """1000, not 1000.0: a whole number as researchers' tools read one."""
    return int(value) if value is not None and float(value).is_integer() else value


def _csv(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> bytes:
    """Rows as CSV (RFC 4180 line ends); an empty cell for a value that is not there."""
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return out.getvalue().encode("utf-8")


def _is_csv(output: Output) -> bool:
    return output.path.endswith(".csv")


class SeriesData(Unit):
    """data/series.json and data/series.csv: every point of every series, in chart order."""

    kind = "data-series"

    def plan(self, p: Planning) -> Iterator[Output]:
        needs = dict.fromkeys(key for i in p.site.series for key in series_needs(p.site, p.index, i))
        yield self.output(urls.DATA_SERIES, needs)
        yield self.output(urls.DATA_SERIES_CSV, needs)

    def render(self, output: Output, r: Renderer) -> Rendered:
        base = r.config.base_url
        records: list[dict[str, Any]] = []
        for series_id in r.reads.all_series():
            series = r.reads.series(series_id)
            points, found = _series_points(r, series_id)
            rows: list[dict[str, Any]] = []
            for point in chart_order(points):
                mine, one = found[point.target]
                f = one.figure
                rows.append({"series": series_id, "date": point.day.isoformat(), "value": _number(f.value),
                             "min": _number(f.minimum), "max": _number(f.maximum),
                             "qualifier": f.qualifier.value,
                             "unit": f.unit,
                             "status": point.status.value, "rated": one.status is not None, "label": f.label,
                             "source": point.source, "source_id": mine.outlet,
                             "article": urls.absolute(base, mine.path)})
            records.append({"id": series_id, "name": series.name, "unit": series.unit, "place": series.place,
                            "description": series.description,
                            "url": urls.absolute(base, urls.series_path(series_id)), "points": rows})
        if _is_csv(output):
            return Rendered(_csv(SERIES_COLUMNS, (row for record in records for row in record["points"])))
        return Rendered((encode({"series": records}) + "\n").encode())


class ThreadsData(Unit):
    """data/threads.json and data/threads.csv: every claim of every thread, oldest first."""

    kind = "data-threads"

    def plan(self, p: Planning) -> Iterator[Output]:
        needs: list[Input] = []
        for thread_id in p.site.threads:
            needs += thread_needs(p.site, p.index, thread_id)
            needs += [inputs.entry("sources", p.site.articles[i].source.outlet)
                      for i in p.index.thread_points.get(thread_id, ())]
        yield self.output(urls.DATA_THREADS, dict.fromkeys(needs))
        yield self.output(urls.DATA_THREADS_CSV, dict.fromkeys(needs))

    def render(self, output: Output, r: Renderer) -> Rendered:
        base = r.config.base_url
        records: list[dict[str, Any]] = []
        for thread_id in r.reads.all_threads():
            thread = r.reads.thread(thread_id)
            steps = steps_of(r, thread_id)
            status, since = state_of(steps)
            rows: list[dict[str, Any]] = [{"thread": thread_id, "date": s.points.day.isoformat(),
                     "published": s.points.published.isoformat(), "status": s.claim.status.value,
                     "claim": s.claim.id, "text": s.claim.text, "by": s.claim.by_actor,
                     "by_text": s.claim.by_text,
                     "source": r.views.entry("sources", s.points.outlet).name, "source_id": s.points.outlet,
                     "article": urls.absolute(base, s.points.path)} for s in steps]
            records.append({"id": thread_id, "question": thread.question, "places": list(thread.places),
                            "actors": list(thread.actors), "description": thread.description,
                            "status": status.value if status else None,
                            "since": since.isoformat() if since else None,
                            "url": urls.absolute(base, urls.thread_path(thread_id)), "claims": rows})
        if _is_csv(output):
            return Rendered(_csv(THREAD_COLUMNS, (row for record in records for row in record["claims"])))
        return Rendered((encode({"threads": records}) + "\n").encode())


# --- on other pages ---------------------------------------------------------------------------


def entry_followed(r: Renderer, kind: RegistryKind,
                   entry_id: str) -> tuple[list[SeriesView], list[ThreadView]]:
    """The series (with sparklines) and threads (with their status) an entry's page lists."""
    series = [series_view(r, i, chart="spark") for i in r.reads.entry_series(kind, entry_id)]
    return series, [thread_view(r, i) for i in r.reads.entry_threads(kind, entry_id)]


def entry_needs(site: Site, index: Index, kind: RegistryKind, entry_id: str) -> list[Input]:
    name = inputs.entry_name(kind, entry_id)
    needs = [key for i in index.entry_series.get(name, ()) for key in series_needs(site, index, i)]
    return needs + [key for i in index.entry_threads.get(name, ()) for key in thread_needs(site, index, i)]


@dataclass(frozen=True, slots=True)
class FollowNote:
    """Beside an article's figure or claim: the series or thread it is in, and where it stands."""

    path: str
    name: str
    where: str  # "naik dari 74 permukiman pada 13 Agustus", "berubah dari klaim pada 14 Agustus", or ""


def article_notes(r: Renderer, article_id: str) -> tuple[list[FollowNote | None], list[FollowNote | None]]:
    """A note per figure and per claim of an article (None for those in no series or thread)."""
    here = r.reads.points(article_id)
    article = r.reads.article(article_id)
    statuses = {c.id: c.status for c in article.claims}
    figures: list[FollowNote | None] = []
    for f in article.figures:
        if not f.series:
            figures.append(None)
            continue
        figures.append(FollowNote(urls.series_path(f.series), r.reads.series(f.series).name,
                                  move_before(r, article_id, f, statuses.get(f.claim or ""))))
    claims: list[FollowNote | None] = []
    for c in article.claims:
        if not c.thread:
            claims.append(None)
            continue
        claims.append(FollowNote(urls.thread_path(c.thread), r.reads.thread(c.thread).question,
                                 claim_before(r, article_id, c)))
    assert here.article_id == article_id
    return figures, claims
