"""Render one planned output to bytes, through the unit of its kind.

Rendering is a pure function of the output and the model: no file is read
here (templates come through the environment's loader), no clock is looked
at, so the same inputs always give the same bytes. The renderer keeps what
pages share (views of articles, fragments of HTML, encoded records) for as
long as the model it renders is the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from briefing import urls
from briefing.config import Config
from briefing.model import Site
from briefing.reads import Reads
from briefing.render.jinja import Fragments, SiteView
from briefing.render.markdown import ImageResolver
from briefing.render.tools import Tools
from briefing.units.base import Output, Page, Rendered
from briefing.units.data import ArticleRecords
from briefing.units.table import unit_of
from briefing.views import Views


class Renderer:
    """Renders outputs of one site; make it once per build and process, and reuse it."""

    def __init__(self, reads: Reads, tools: Tools, records: ArticleRecords | None = None) -> None:
        self.reads, self.tools = reads, tools
        self.t, self.dates, self.markdown = tools.strings, tools.dates, tools.markdown
        self.views = Views(reads, tools.strings, tools.dates)
        self.fragments = Fragments()  # pieces of HTML shared by pages (render.jinja)
        #: data/articles.json's records, encoded once; the build keeps them between renderers.
        self.records = records if records is not None else ArticleRecords()

    @property
    def config(self) -> Config:
        return self.reads.config

    def follow(self, site: Site, changed: Iterable[str]) -> None:
        """Go on with ``site``, of the same shape as this renderer's (plan.same_shape),
        whose articles ``changed``: forget their views and fragments, keep the rest."""
        self.reads = self.reads.follow(site)
        self.views.follow(self.reads, changed)
        self.fragments.forget(changed)

    def render(self, output: Output) -> Rendered:
        return unit_of(output.kind).render(output, self)

    def last_modified(self, output: Output) -> datetime | None:
        """When what a page shows last changed, as its unit knows it (the sitemap asks)."""
        return unit_of(output.kind).last_modified(output, self.reads)

    def render_template(self, output: Output, values: dict[str, Any]) -> bytes:
        """The output's template with ``values``; ``page`` defaults to the site's own."""
        config = self.config
        values.setdefault("page", self.page(output, config.title, config.description))
        text = self.tools.env.get_template(output.template).render(
            site=SiteView(config), config=config, fragments=self.fragments, **values)
        return text.encode("utf-8")

    def page(self, output: Output, title: str, description: str, **extra: Any) -> Page:
        return Page(output.path, output.kind, title, description,
                    urls.absolute(self.config.base_url, output.path), **extra)

    def media_url(self, from_path: str) -> ImageResolver:
        """Resolves an article's image address to a link from the page at ``from_path``."""
        return media_resolver(self.reads, lambda path: urls.relative(from_path, urls.media_path(path)))


def media_resolver(reads: Reads, address: Callable[[str], str]) -> ImageResolver:
    """An image address in an article (``./images/x.png``) to ``address`` of the file
    under content/ it names, or None when content/ has no such file: the one rule for
    pages and the PDF alike."""

    def resolve(src: str) -> str | None:
        path = urls.content_path(src)
        return address(path) if reads.media(path) else None

    return resolve
