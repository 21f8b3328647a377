"""The daily briefings: the home page, each day's page, the archives by year and month."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from briefing import inputs, jsonld, urls
from briefing.inputs import Input
from briefing.model import Day, Site
from briefing.units.base import Output, Planning, Unit
from briefing.units.maps import day_map_needs, read_day_map

if TYPE_CHECKING:
    from briefing.units.renderer import Renderer

#: How many earlier days the home page lists under the latest briefing.
HOME_DAYS = 14


def _earlier(days: Sequence[date]) -> Sequence[date]:
    """The days the home page lists under the latest one."""
    return days[1:HOME_DAYS + 1]


def _neighbours(days: Sequence[date], on: date) -> tuple[date | None, date | None]:
    """The next newer and the next older day with a briefing."""
    position = days.index(on)
    newer = days[position - 1] if position > 0 else None
    older = days[position + 1] if position + 1 < len(days) else None
    return newer, older


def link_needs(site: Site, on: date) -> list[Input]:
    """What a day's link reads (:meth:`Views.day_link`): the day, and its lead article's
    title when it has no curated headline."""
    day = site.days[on]
    return [inputs.day(on), *(inputs.meta(i) for i in day.article_ids[:1])]


def briefing_needs(site: Site, on: date) -> list[Input]:
    """What :func:`briefing_context` reads: the day, its edition, its PDF, what changed since
    the last briefing, every article's card, and the links to the days before and after it."""
    day = site.days[on]
    needs = [inputs.DAYS, inputs.day(on), inputs.issue(on), inputs.pdf(on), inputs.since(on),
             *inputs.cards(day.article_ids), *day_map_needs(site, on)]
    for near in _neighbours(list(site.days), on):
        if near is not None:
            needs += link_needs(site, near)
    return needs


def briefing_context(r: Renderer, on: date) -> dict[str, Any]:
    """One day's briefing as the home page and the day's page show it
    (``partials/briefing.html``)."""
    reads, views = r.reads, r.views
    day = reads.day(on)
    articles = views.articles(day.article_ids)
    newer, older = _neighbours(reads.days(), on)
    return {
        "day": day,
        "path": urls.day_path(on),
        "year_path": urls.year_path(on.year),
        "month_path": urls.month_path(on.year, on.month),
        "articles": articles,
        "headline": views.headline(day),
        "takeaways": views.takeaways(day),
        "since": views.since(on),
        "map": read_day_map(r, on),
        "cut_off": views.cut_off(day),
        "figures": views.day_figures(articles),
        "note": r.markdown.render_note(day.note) if day.note else "",
        "pdf": reads.pdf(on),
        "issue": reads.issue(on),
        "newer": views.day_link(newer) if newer else None,
        "older": views.day_link(older) if older else None,
    }


class Home(Unit):
    """The latest day's briefing in full, then the days before it."""

    kind = "home"
    template = "home.html"
    listed = True

    def plan(self, p: Planning) -> Iterator[Output]:
        site = p.site
        days = list(site.days)
        needs = [inputs.DAYS]
        if days:
            needs += briefing_needs(site, days[0])
            for on in _earlier(days):
                needs += link_needs(site, on)
        yield self.output(urls.HOME, dict.fromkeys(needs))

    def context(self, output: Output, r: Renderer) -> dict[str, Any]:
        days = r.reads.days()
        if not days:
            return {"latest": None, "earlier": []}
        page = r.page(output, r.config.title, r.config.description, jsonld=(jsonld.website(r.config),))
        return {"latest": briefing_context(r, days[0]),
                "earlier": [r.views.day_link(on) for on in _earlier(days)], "page": page}


class DayPage(Unit):
    """One day's briefing."""

    kind = "day"
    template = "day.html"
    listed = True

    def plan(self, p: Planning) -> Iterator[Output]:
        site = p.site
        for on in site.days:
            yield self.output(urls.day_path(on), dict.fromkeys(briefing_needs(site, on)), key=on.isoformat())

    def context(self, output: Output, r: Renderer) -> dict[str, Any]:
        briefing = briefing_context(r, date.fromisoformat(output.key))
        day: Day = briefing["day"]
        takeaways = briefing["takeaways"]
        title = r.t("day.title", date=r.dates.full(day.date))
        description = day.headline or (takeaways[0] if takeaways else "")
        listing = jsonld.day_list(r.config, day, briefing["headline"], briefing["articles"])
        page = r.page(output, title, description, jsonld=(listing,))
        return {"d": briefing, "page": page}


def _links_needs(site: Site, days: Iterable[date]) -> list[Input]:
    return [key for on in days for key in link_needs(site, on)]


class Archive(Unit):
    """Every day's briefing, by year and month."""

    kind = "archive"
    template = "archive.html"
    listed = True

    def plan(self, p: Planning) -> Iterator[Output]:
        site = p.site
        yield self.output(urls.ARCHIVE, [inputs.DAYS, *_links_needs(site, site.days)])

    def context(self, output: Output, r: Renderer) -> dict[str, Any]:
        return {"years": r.views.archive(r.reads.days()),
                "page": r.page(output, r.t("archive.title"), "")}


def _in(site: Site, year: int, month: int | None = None) -> list[date]:
    """The plan's side of :meth:`Reads.days_in`."""
    return [on for on in site.days if on.year == year and month in (None, on.month)]


class ArchiveYear(Unit):
    """One year: its months and their days."""

    kind = "archive-year"
    template = "archive_year.html"
    listed = True

    def plan(self, p: Planning) -> Iterator[Output]:
        site = p.site
        for year in dict.fromkeys(on.year for on in site.days):
            yield self.output(urls.year_path(year), _links_needs(site, _in(site, year)), key=str(year))

    def context(self, output: Output, r: Renderer) -> dict[str, Any]:
        year = int(output.key)
        [group] = r.views.archive(r.reads.days_in(year))
        return {"year": group, "page": r.page(output, r.t("archive.year", year=year), "")}


class ArchiveMonth(Unit):
    """One month: each day's briefing with the titles of its articles."""

    kind = "archive-month"
    template = "archive_month.html"
    listed = True

    def plan(self, p: Planning) -> Iterator[Output]:
        site = p.site
        for year, month in dict.fromkeys((on.year, on.month) for on in site.days):
            days = _in(site, year, month)
            ids = [i for on in days for i in site.days[on].article_ids]
            yield self.output(urls.month_path(year, month), [*_links_needs(site, days), *inputs.cards(ids)],
                              key=f"{year:04d}-{month:02d}")

    def context(self, output: Output, r: Renderer) -> dict[str, Any]:
        year, month = (int(p) for p in output.key.split("-"))
        days = r.reads.days_in(year, month)
        [group] = r.views.archive(days)
        [month_group] = group.months
        articles = {on: r.views.articles(r.reads.day(on).article_ids) for on in days}
        return {"year": group, "month": month_group, "articles": articles,
                "page": r.page(output, r.t("archive.month", month=r.dates.month(month_group.month)), "")}
