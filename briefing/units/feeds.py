"""What machines read: the Atom feeds, the sitemap, robots.txt."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from briefing import inputs, urls
from briefing.model import Day, Site
from briefing.units.base import Output, Planning, Unit
from briefing.units.days import link_needs
from briefing.views import ArticleView, DayLink, SinceView

if TYPE_CHECKING:
    from briefing.units.renderer import Renderer

#: Entries of the feeds.
FEED_SIZE = 50


def latest_ids(site: Site) -> list[str]:
    """The articles the feeds carry: the plan's side of ``Reads.latest_articles``."""
    return list(site.articles)[:FEED_SIZE]


class AtomArticles(Unit):
    """The newest articles."""

    kind = "feed-articles"
    template = "feeds/articles.xml"

    def plan(self, p: Planning) -> Iterator[Output]:
        site = p.site
        yield self.output(urls.FEED_ARTICLES, inputs.cards(latest_ids(site)))

    def context(self, output: Output, r: Renderer) -> dict[str, Any]:
        ids = r.reads.latest_articles(FEED_SIZE)
        return {"articles": r.views.articles(ids),
                "updated": max((r.reads.article(i).published for i in ids), default=None)}


class BriefingEntry(NamedTuple):
    """A day in the feed of briefings."""

    day: Day
    link: DayLink
    published: datetime  # the day's data cut-off
    updated: datetime  # never before it: the cut-off, or a later article the day carries
    takeaways: list[str]
    articles: list[ArticleView]
    pdf: str | None
    since: SinceView | None  # what changed since the last briefing (None: the first day)


class AtomBriefings(Unit):
    """The newest daily briefings, with their takeaways and PDFs."""

    kind = "feed-briefings"
    template = "feeds/briefings.xml"

    def plan(self, p: Planning) -> Iterator[Output]:
        site = p.site
        needs = []
        for on in list(site.days)[:FEED_SIZE]:
            needs += [*link_needs(site, on), inputs.pdf(on), inputs.since(on),
                      *inputs.cards(site.days[on].article_ids)]
        yield self.output(urls.FEED_BRIEFINGS, dict.fromkeys(needs))

    def context(self, output: Output, r: Renderer) -> dict[str, Any]:
        reads, views = r.reads, r.views
        entries = []
        for on in reads.latest_days(FEED_SIZE):
            day = reads.day(on)
            cut_off = views.cut_off(day)
            last = max(cut_off, *(reads.article(i).published for i in day.article_ids))
            entries.append(BriefingEntry(day, views.day_link(on), cut_off, last, views.takeaways(day),
                                         views.articles(day.article_ids), reads.pdf(on), views.since(on)))
        return {"entries": entries, "updated": max((e.updated for e in entries), default=None)}


class SitemapPage(NamedTuple):
    loc: str
    lastmod: datetime | None


class Sitemap(Unit):
    """Every listed page with its address, and for articles the time they were published."""

    kind = "sitemap"
    template = "sitemap.xml"

    def plan(self, p: Planning) -> Iterator[Output]:
        # Each article's entry carries its date as lastmod: a time moved within its day is a
        # change (read as one key, "published", and not as every article's metadata: a title
        # edit leaves the sitemap as it was).
        yield self.output(urls.SITEMAP, [inputs.PAGES, inputs.PUBLISHED])

    def context(self, output: Output, r: Renderer) -> dict[str, Any]:
        base = r.config.base_url
        return {"pages": [SitemapPage(urls.absolute(base, o.path), r.last_modified(o))
                          for o in r.reads.pages()]}


class Robots(Unit):
    kind = "robots"
    template = "robots.txt"

    def plan(self, p: Planning) -> Iterator[Output]:
        yield self.output(urls.ROBOTS)
