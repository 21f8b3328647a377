"""An article's own page: source line, summary, figures, body, claims, neighbours."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from briefing import inputs, jsonld, urls
from briefing.errors import Level, Location, Problem
from briefing.model import Article
from briefing.reads import Reads
from briefing.render.body import render_body
from briefing.units.base import Output, Planning, Rendered, Unit
from briefing.units.days import link_needs
from briefing.units.maps import article_map_needs, map_view, read_article_plan
from briefing.units.series import article_needs, article_notes

if TYPE_CHECKING:
    from briefing.units.renderer import Renderer

def images_of(article: Article) -> list[str]:
    """The files under content/ an article may show (its image, images in its Markdown),
    as paths there: what its page and its day's PDF read of content/."""
    if article.image is None:
        return list(article.images)
    return list(dict.fromkeys((article.image.src, *article.images)))


class ArticlePage(Unit):
    kind = "article"
    template = "article.html"
    listed = True

    def plan(self, p: Planning) -> Iterator[Output]:
        site, index = p.site, p.index
        for on, day in site.days.items():
            ids = day.article_ids
            of_day = [inputs.day(on), inputs.pdf(on), *link_needs(site, on)]
            for position, article_id in enumerate(ids):
                article = site.articles[article_id]
                neighbours = ids[max(position - 1, 0):position] + ids[position + 1:position + 2]
                listed = neighbours + index.related.get(article_id, ())
                # The related articles are named by their cards (Reads.related): the plan's
                # index and the page's come from one site, so the list is in the keys.
                needs = [*of_day, inputs.article(article_id), inputs.card(article_id),
                         *inputs.cards(listed), *map(inputs.media, images_of(article)),
                         *article_needs(site, index, article_id), *article_map_needs(site, article_id)]
                yield self.output(urls.article_path(article), needs, key=article_id)

    def render(self, output: Output, r: Renderer) -> Rendered:
        reads, views = r.reads, r.views
        article = reads.article(output.key)
        view = views.article(article.id)
        body = render_body(reads.body(article.id), r.markdown, r.media_url(output.path))
        day = reads.day(article.day)
        ids = day.article_ids
        position = ids.index(article.id)
        image_path = urls.media_path(article.image.src) if article.image else None
        image = urls.absolute(r.config.base_url, image_path) if image_path else None
        page = r.page(output, article.title, article.summary, og_type="article", image=image,
                      jsonld=jsonld.article(r.config, view, views, image))
        figure_notes, claim_notes = article_notes(r, article.id)
        context: dict[str, Any] = {
            "page": page,
            "figure_notes": figure_notes,
            "claim_notes": claim_notes,
            "art": view,
            "body": body.html,
            "image_path": image_path,
            "outline": body.outline,
            "day": views.day_link(article.day),
            "previous": views.article(ids[position - 1]) if position > 0 else None,
            "next": views.article(ids[position + 1]) if position + 1 < len(ids) else None,
            "related": views.articles(reads.related(article.id)),
            "pdf": reads.pdf(article.day),
            "map": map_view(r, read_article_plan(r, article.id), r.t("map.article_title")),
        }
        warnings = [Problem(Level.WARNING, Location(article.path), "body", w) for w in body.warnings]
        return Rendered(r.render_template(output, context), warnings)

    def last_modified(self, output: Output, reads: Reads) -> datetime | None:
        return reads.published(output.key)
