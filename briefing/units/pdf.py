"""The daily PDF briefing: its planned files, and the HTML that WeasyPrint lays out.

The PDF is rendered in worker processes with limits (:mod:`briefing.pdf`);
this unit says what each day's PDF reads and builds its template's context,
like every other unit, from the :class:`~briefing.reads.Reads` of the part of
the site the worker is sent.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from briefing import inputs, urls
from briefing.errors import Level, Location, Problem
from briefing.index import Index
from briefing.model import Site
from briefing.render.body import render_body
from briefing.render.jinja import SiteView
from briefing.units.articles import images_of
from briefing.units.base import Output, Planning, Unit
from briefing.units.maps import day_map_needs, read_day_map
from briefing.views import ArticleView

if TYPE_CHECKING:
    from briefing.units.renderer import Renderer

STYLESHEET = "pdf/briefing.css"


@dataclass(frozen=True, slots=True)
class PdfJob:
    """Everything needed to render one day's PDF, picklable for a worker process: the
    output, the part of the site it reads, and its fingerprint (the PDF's identifier)."""

    output: Output
    site: Site
    index: Index
    root: Path
    fingerprint: str

    @property
    def day(self) -> date:
        return date.fromisoformat(self.output.key)


@dataclass(frozen=True, slots=True)
class PdfDocument:
    """A day's PDF as HTML, before layout; with what the HTML holds, for the warnings."""

    html: str
    articles: list[ArticleView]
    bodies: dict[str, str]  # article id -> the body's HTML
    warnings: list[Problem]


class DailyPdf(Unit):
    kind = "pdf"
    template = "pdf/briefing.html"
    in_worker = True

    def plan(self, p: Planning) -> Iterator[Output]:
        site = p.site
        for on, path in p.index.pdfs.items():
            ids = site.days[on].article_ids
            images = [inputs.media(src) for i in ids for src in images_of(site.articles[i])]
            needs = [inputs.issue(on), inputs.theme(STYLESHEET), inputs.day(on), inputs.since(on),
                     *inputs.cards(ids), *map(inputs.article, ids), *images, *day_map_needs(site, on)]
            yield self.output(path, dict.fromkeys(needs), key=on.isoformat())

    def job(self, output: Output, site: Site, index: Index, root: Path, fingerprint: str) -> PdfJob:
        """The job of one day's PDF, carrying only what it reads: cheap to send to a worker."""
        on = date.fromisoformat(output.key)
        day = site.days[on]
        part = Site(site.config, {i: site.articles[i] for i in day.article_ids}, {on: day},
                    site.sources, site.places, site.actors, site.topics, site.media, layers=site.layers)
        return PdfJob(output, part, index.of_day(on), root, fingerprint)

    def document(self, output: Output, r: Renderer, content: Path) -> PdfDocument:
        """The day's HTML; images resolve to files under ``content`` (content/)."""
        from briefing.units.renderer import media_resolver

        reads, views, config = r.reads, r.views, r.config
        on = date.fromisoformat(output.key)
        day = reads.day(on)
        articles = views.articles(day.article_ids)
        resolve = media_resolver(reads, lambda path: (content / path).as_uri())
        bodies: dict[str, str] = {}
        warnings: list[Problem] = []
        for view in articles:
            article = view.article
            body = render_body(reads.body(article.id), r.markdown, resolve, heading_level=3)
            bodies[article.id] = body.html
            warnings += [Problem(Level.WARNING, Location(article.path), "body", w) for w in body.warnings]
        html = r.tools.env.get_template(self.template).render(
            site=SiteView(config), config=config, day=day, articles=articles, bodies=bodies,
            issue=reads.issue(on), headline=views.headline(day), takeaways=views.takeaways(day),
            since=views.since(on), figures=views.day_figures(articles),
            note=r.markdown.render_note(day.note) if day.note else "", created=views.cut_off(day),
            title=f"{config.title} — {r.dates.full(on)}", keywords=_keywords(articles),
            web=urls.absolute(config.base_url, urls.day_path(on)),
            map=read_day_map(r, on, whole=True))
        return PdfDocument(html, articles, bodies, warnings)


def _keywords(articles: list[ArticleView]) -> str:
    names: dict[str, None] = {}
    for view in articles:
        for ref in (*view.topics, *view.places, *view.actors):
            names[ref.name] = None
    return ", ".join(names)


__all__ = ["DailyPdf", "PdfDocument", "PdfJob"]
