"""The timeline: a month of events in time order, with in-page filters."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from briefing import inputs, urls
from briefing.model import ClaimStatus
from briefing.units.base import Output, Planning, Unit
from briefing.views import ArticleView

if TYPE_CHECKING:
    from briefing.units.renderer import Renderer

_FACETS = ("places", "actors", "topics")


class MonthLink(NamedTuple):
    first: date  # the month's first day
    path: str


class DayEvents(NamedTuple):
    """One day of the timeline: its date and its articles, newest first."""

    day: date
    path: str  # the day's briefing
    items: list[ArticleView]


class Timeline(Unit):
    """One month per page; the latest month is also the timeline's front page."""

    kind = "timeline"
    template = "timeline.html"
    listed = True

    def plan(self, p: Planning) -> Iterator[Output]:
        site = p.site
        months = list(dict.fromkeys((on.year, on.month) for on in site.days))
        if not months:
            yield self.output(urls.TIMELINE)
        for position, (year, month) in enumerate(months):
            days = [on for on in site.days if (on.year, on.month) == (year, month)]
            ids = [i for on in days for i in site.days[on].article_ids]
            needs = [inputs.MONTHS, *map(inputs.day, days), *inputs.cards(ids)]
            key = f"{year:04d}-{month:02d}"
            if position == 0:
                yield self.output(urls.TIMELINE, needs, key=key)
            yield self.output(urls.timeline_path(year, month), needs, key=key)

    def context(self, output: Output, r: Renderer) -> dict[str, Any]:
        reads, views = r.reads, r.views
        if not output.key:
            return {"month": None, "months": [], "items": [], "days": [], "facets": {},
                    "page": r.page(output, r.t("timeline.title"), "")}
        months = reads.months()
        year, month = (int(p) for p in output.key.split("-"))
        groups = []
        for on in reads.days_in(year, month):  # newest first, and so within each day
            ids = sorted(reads.day(on).article_ids, key=lambda i: (reads.article(i).published, i),
                         reverse=True)
            groups.append(DayEvents(on, urls.day_path(on), views.articles(ids)))
        items = [view for group in groups for view in group.items]
        facets: dict[str, dict[str, str]] = {kind: {} for kind in _FACETS}
        for view in items:
            for kind in _FACETS:
                for ref in getattr(view, kind):
                    facets[kind][ref.id] = ref.name
        first = date(year, month, 1)
        position = months.index((year, month))
        page = r.page(output, r.t("timeline.month_title", month=r.dates.month(first)), "")
        return {
            "month": first,
            "months": [MonthLink(date(y, m, 1), urls.timeline_path(y, m)) for y, m in months],
            "items": items,
            "days": groups,
            "facets": {k: sorted(v.items(), key=lambda kv: kv[1].casefold()) for k, v in facets.items()},
            "statuses": [(s, views.status(s)) for s in ClaimStatus],
            "newer": urls.timeline_path(*months[position - 1]) if position > 0 else None,
            "older": urls.timeline_path(*months[position + 1]) if position + 1 < len(months) else None,
            # Both addresses of the latest month show one page: the canonical one is the month's.
            "page": dataclasses.replace(
                page, canonical=urls.absolute(r.config.base_url, urls.timeline_path(year, month))),
        }
