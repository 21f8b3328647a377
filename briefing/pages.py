"""Render one planned output to bytes: the page's context, then its template.

Rendering is a pure function of the output and the model: no file is read
here (templates come through the environment's loader), no clock is looked
at, so the same inputs always give the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jinja2 import Environment

from briefing import feeds, jsonld, urls
from briefing.errors import Level, Location, Problem
from briefing.model import REGISTRY_KINDS, ClaimStatus, RegistryKind, Site
from briefing.plan import PAGE_SIZE, Output, Plan
from briefing.render.body import render_body
from briefing.render.i18n import Dates, Strings
from briefing.render.jinja import Fragments
from briefing.render.markdown import MarkdownRenderer
from briefing.views import ArticleView, Views


@dataclass(frozen=True, slots=True)
class Page:
    """What every template knows about the page it renders."""

    path: str
    kind: str
    title: str
    description: str
    canonical: str
    rooted: bool = False  # links rooted at the base path instead of relative (404)
    og_type: str = "website"
    image: str | None = None
    jsonld: tuple[dict[str, Any], ...] = ()
    index: bool = True  # let search engines index it
    searchable: bool = False  # add to the site search index


@dataclass(frozen=True, slots=True)
class Pager:
    page: int
    pages: int
    previous: str | None
    next: str | None


@dataclass(slots=True)
class Rendered:
    data: bytes
    warnings: list[Problem] = field(default_factory=list)


class PageRenderer:
    """Renders outputs of one build; build it once per process and reuse it."""

    def __init__(self, site: Site, plan: Plan, env: Environment, strings: Strings,
                 dates: Dates, markdown: MarkdownRenderer) -> None:
        self.site, self.plan, self.env, self.t, self.dates = site, plan, env, strings, dates
        self.markdown = markdown
        self.views = Views(site, strings, dates)
        self.config = site.config
        self._media = frozenset(site.media)
        self._fragments = Fragments()  # pieces of HTML shared by pages (render.jinja)
        self.handlers: dict[str, Callable[[Output], tuple[dict[str, Any], list[Problem]]]] = {
            "home": self._home,
            "day": self._day,
            "article": self._article,
            "archive": self._archive,
            "archive-year": self._archive_year,
            "archive-month": self._archive_month,
            "registry-index": self._registry_index,
            "registry-entry": self._registry_entry,
            "claims-index": self._claims_index,
            "claims-status": self._claims_status,
            "timeline": self._timeline,
            "search": self._simple,
            "not-found": self._simple,
            "feed-articles": self._feed_articles,
            "feed-briefings": self._feed_briefings,
            "sitemap": self._sitemap,
            "robots": self._simple,
        }

    def follow(self, site: Site, changed: Iterable[str]) -> None:
        """Go on with ``site``, of the same shape as this renderer's (plan.same_shape),
        whose articles ``changed``: forget their views and fragments, keep the rest."""
        self.site = site
        self.views.follow(site, changed)
        self._fragments.forget(changed)

    def render(self, output: Output) -> Rendered:
        if output.kind == "feed-json":
            return Rendered(self._json(feeds.json_feed(self.site, self.views)))
        if output.kind == "data-articles":
            return Rendered(feeds.articles_data(self.site))
        context, warnings = self.handlers[output.kind](output)
        context.setdefault("page", self._page(output, self.config.title, self.config.description))
        text = self.env.get_template(output.template).render(site=self.site, fragments=self._fragments,
                                                             **context)
        return Rendered(text.encode("utf-8"), warnings)

    # --- pages -------------------------------------------------------------------

    def _page(self, output: Output, title: str, description: str, **extra: Any) -> Page:
        return Page(output.path, output.kind, title, description,
                    urls.absolute(self.config.base_url, output.path), **extra)

    def _simple(self, output: Output) -> tuple[dict[str, Any], list[Problem]]:
        if output.kind == "not-found":
            return {"page": self._page(output, self.t("notfound.title"), "", rooted=True,
                                       index=False)}, []
        if output.kind == "search":
            return {"page": self._page(output, self.t("search.title"), "")}, []
        return {}, []

    def _day_context(self, output: Output, day_key: str) -> dict[str, Any]:
        day = self.site.days[date.fromisoformat(day_key)]
        articles = self.views.articles(day.article_ids)
        days = list(self.site.days)
        index = days.index(day.date)
        return {
            "day": day,
            "path": urls.day_path(day.date),
            "year_path": urls.year_path(day.date.year),
            "month_path": urls.month_path(day.date.year, day.date.month),
            "articles": articles,
            "takeaways": self.views.takeaways(day),
            "figures": self.views.day_figures(articles),
            "note": self.markdown.render_note(day.note) if day.note else "",
            "pdf": self.plan.pdfs.get(day.date),
            "issue": len(days) - index,
            "newer": self.views.day_link(self.site.days[days[index - 1]]) if index > 0 else None,
            "older": (self.views.day_link(self.site.days[days[index + 1]])
                      if index + 1 < len(days) else None),
        }

    def _home(self, output: Output) -> tuple[dict[str, Any], list[Problem]]:
        if not self.site.days:
            return {"latest": None, "earlier": []}, []
        latest = next(iter(self.site.days.values()))
        context = self._day_context(output, latest.date.isoformat())
        earlier = [self.views.day_link(d) for d in list(self.site.days.values())[1:15]]
        page = self._page(output, self.config.title, self.config.description,
                          jsonld=(jsonld.website(self.site),))
        return {"latest": context, "earlier": earlier, "page": page}, []

    def _day(self, output: Output) -> tuple[dict[str, Any], list[Problem]]:
        context = self._day_context(output, output.key)
        day = context["day"]
        title = self.t("day.title", date=self.dates.full(day.date))
        description = day.headline or (context["takeaways"][0] if context["takeaways"] else "")
        page = self._page(output, title, description, searchable=True,
                          jsonld=(jsonld.day_list(self.site, day, context["articles"]),))
        return {"d": context, "page": page}, []

    def _article(self, output: Output) -> tuple[dict[str, Any], list[Problem]]:
        article = self.site.articles[output.key]
        view = self.views.article(article)
        body = render_body(article, self.markdown, self._media_url(output))
        warnings = [Problem(Level.WARNING, Location(article.path), "body", w) for w in body.warnings]
        day = self.site.days[article.day]
        ids = day.article_ids
        index = ids.index(article.id)
        image = urls.absolute(self.config.base_url, urls.media_path(article.image.src)) \
            if article.image else None
        page = self._page(
            output, article.title, article.summary, og_type="article", image=image,
            searchable=True, jsonld=jsonld.article(self.site, view, self.views, image),
        )
        return {
            "page": page,
            "art": view,
            "body": body.html,
            "image_path": urls.media_path(article.image.src) if article.image else None,
            "outline": body.outline,
            "day": self.views.day_link(day),
            "previous": self.views.article(self.site.articles[ids[index - 1]]) if index > 0 else None,
            "next": (self.views.article(self.site.articles[ids[index + 1]])
                     if index + 1 < len(ids) else None),
            "related": self.views.articles(self.plan.related.get(article.id, ())),
            "pdf": self.plan.pdfs.get(article.day),
        }, warnings

    def _media_url(self, output: Output) -> Callable[[str], str | None]:
        media = self._media

        def resolve(src: str) -> str | None:
            clean = src.removeprefix("./").removeprefix("/")
            if clean in media:
                return urls.relative(output.path, urls.media_path(clean))
            return None

        return resolve

    def _archive(self, output: Output) -> tuple[dict[str, Any], list[Problem]]:
        return {"years": self.views.archive(list(self.site.days.values())),
                "page": self._page(output, self.t("archive.title"), "")}, []

    def _archive_year(self, output: Output) -> tuple[dict[str, Any], list[Problem]]:
        year = int(output.key)
        [group] = self.views.archive([d for d in self.site.days.values() if d.date.year == year])
        return {"year": group,
                "page": self._page(output, self.t("archive.year", year=year), "")}, []

    def _archive_month(self, output: Output) -> tuple[dict[str, Any], list[Problem]]:
        year, month = (int(p) for p in output.key.split("-"))
        days = [d for d in self.site.days.values() if (d.date.year, d.date.month) == (year, month)]
        [group] = self.views.archive(days)
        [month_group] = group.months
        articles = {d.date: self.views.articles(d.article_ids) for d in days}
        return {"year": group, "month": month_group, "articles": articles,
                "page": self._page(output, self.t("archive.month",
                                                  month=self.dates.month(month_group.month)), "")}, []

    def _registry_index(self, output: Output) -> tuple[dict[str, Any], list[Problem]]:
        kind: RegistryKind = output.key  # type: ignore[assignment]
        entries = [(self.views.entry(kind, i), len(self.plan.members.get(f"{kind}/{i}", ())))
                   for i in self.site.registry(kind)]
        entries.sort(key=lambda e: (-e[1], e[0].name.casefold()))
        return {"kind": kind, "entries": entries,
                "page": self._page(output, self.t(f"kind.{kind}"),
                                   self.t(f"kind.{kind}.description"))}, []

    def _registry_entry(self, output: Output) -> tuple[dict[str, Any], list[Problem]]:
        kind_name, _, entry_id = output.key.partition("/")
        kind: RegistryKind = kind_name  # type: ignore[assignment]
        ref = self.views.entry(kind, entry_id)
        ids = self.plan.members.get(output.key, ())
        pager, chunk = self._paginate(ids, output.page,
                                      lambda n: urls.registry_path(kind, entry_id, n))
        parent_id = getattr(ref.entry, "within", None) or getattr(ref.entry, "part_of", None)
        children = [self.views.entry(kind, e.id) for e in self.site.registry(kind).values()
                    if e.id not in (parent_id, entry_id)
                    and entry_id in (getattr(e, "within", None), getattr(e, "part_of", None))]
        title = ref.label if output.page == 1 else \
            f"{ref.label} · {self.t('pager.page', page=output.page)}"
        description = getattr(ref.entry, "description", "") or \
            self.t(f"kind.{kind}.entry", name=ref.name)
        return {
            "kind": kind, "index_path": urls.registry_index_path(kind),
            "ref": ref, "entry": ref.entry, "count": len(ids),
            "parent": self.views.entry(kind, parent_id) if parent_id else None,
            "children": children, "articles": self.views.articles(chunk), "pager": pager,
            "page": self._page(output, title, description),
        }, []

    def _claims_index(self, output: Output) -> tuple[dict[str, Any], list[Problem]]:
        statuses = [(s, self.views.status(s), len(self.plan.claims.get(s, ())), urls.claims_path(s))
                    for s in ClaimStatus]
        return {"statuses": statuses,
                "page": self._page(output, self.t("claims.title"), self.t("claims.intro"))}, []

    def _claims_status(self, output: Output) -> tuple[dict[str, Any], list[Problem]]:
        status = ClaimStatus(output.key)
        pairs = self.plan.claims.get(status, ())
        pager, chunk = self._paginate(pairs, output.page, lambda n: urls.claims_path(status, n))
        items = []
        for article_id, claim_id in chunk:
            view = self.views.article(self.site.articles[article_id])
            claim = next(c for c in view.claims if c.claim.id == claim_id)
            items.append((claim, view))
        label = self.views.status(status)
        return {"status": status, "label": label, "items": items, "pager": pager,
                "index_path": urls.CLAIMS,
                "count": len(pairs),
                "page": self._page(output, self.t("claims.status_title", status=label),
                                   self.t(f"status.{status.value}.description"))}, []

    def _timeline(self, output: Output) -> tuple[dict[str, Any], list[Problem]]:
        months = list(dict.fromkeys((d.year, d.month) for d in self.site.days))
        if not output.key:
            return {"month": None, "months": [], "items": [], "facets": {},
                    "page": self._page(output, self.t("timeline.title"), "")}, []
        year, month = (int(p) for p in output.key.split("-"))
        articles = [a for a in self.site.articles.values() if (a.day.year, a.day.month) == (year, month)]
        articles.sort(key=lambda a: (a.published, a.id))
        items = [self.views.article(a) for a in articles]
        facets: dict[str, dict[str, str]] = {k: {} for k in ("places", "actors", "topics")}
        for view in items:
            for kind in ("places", "actors", "topics"):
                for ref in getattr(view, kind):
                    facets[kind][ref.id] = ref.name
        first = date(year, month, 1)
        index = months.index((year, month))
        canonical = urls.absolute(self.config.base_url, urls.timeline_path(year, month))
        return {
            "month": first,
            "months": [(date(y, m, 1), urls.timeline_path(y, m)) for y, m in months],
            "items": items,
            "facets": {k: sorted(v.items(), key=lambda kv: kv[1].casefold()) for k, v in facets.items()},
            "statuses": [(s, self.views.status(s)) for s in ClaimStatus],
            "newer": urls.timeline_path(*months[index - 1]) if index > 0 else None,
            "older": urls.timeline_path(*months[index + 1]) if index + 1 < len(months) else None,
            "page": Page(output.path, output.kind,
                         self.t("timeline.month_title", month=self.dates.month(first)), "",
                         canonical),
        }, []

    def _feed_articles(self, output: Output) -> tuple[dict[str, Any], list[Problem]]:
        ids = list(self.site.articles)[:50]
        return {"articles": self.views.articles(ids),
                "updated": max((self.site.articles[i].published for i in ids), default=None)}, []

    def _feed_briefings(self, output: Output) -> tuple[dict[str, Any], list[Problem]]:
        days = list(self.site.days.values())[:50]
        entries: list[dict[str, Any]] = []
        for day in days:
            last = max(a.published for a in self.site.day_articles(day))
            entries.append({"day": day, "link": self.views.day_link(day), "updated": last,
                            "takeaways": self.views.takeaways(day),
                            "articles": self.views.articles(day.article_ids),
                            "pdf": self.plan.pdfs.get(day.date)})
        return {"entries": entries,
                "updated": max((e["updated"] for e in entries), default=None)}, []

    def _sitemap(self, output: Output) -> tuple[dict[str, Any], list[Problem]]:
        pages = []
        for item in self.plan.outputs:
            if item.kind in ("copy", "not-found") or not (item.path == "" or item.path.endswith("/")):
                continue
            lastmod = None
            if item.kind == "article":
                lastmod = self.site.articles[item.key].published
            pages.append((urls.absolute(self.config.base_url, item.path), lastmod))
        return {"pages": pages}, []

    # --- helpers -----------------------------------------------------------------

    def _paginate(self, items: tuple[Any, ...], page: int,
                  path_of: Callable[[int], str]) -> tuple[Pager, tuple[Any, ...]]:
        pages = max(1, -(-len(items) // PAGE_SIZE))
        chunk = items[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
        return Pager(page, pages, path_of(page - 1) if page > 1 else None,
                     path_of(page + 1) if page < pages else None), chunk

    @staticmethod
    def _json(value: Any) -> bytes:
        return (feeds.encode(value) + "\n").encode()


__all__ = ["REGISTRY_KINDS", "ArticleView", "PageRenderer", "Rendered"]
