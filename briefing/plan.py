"""The build plan: every file the site consists of, and what each one reads.

This module is the one place that knows the dependency graph. Each
:class:`Output` names its inputs as keys of the model ("article:ID", the
whole article; "meta:ID", all of it but the body; "day:2024-08-16",
"places:kursk", "config", "published" (every article's date), ...). The full build renders every
output; the build cache and the watch mode fingerprint each output's inputs
(:mod:`briefing.fingerprint`) and re-render only those whose fingerprint
changed. One graph, three users.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import chain
from operator import attrgetter
from pathlib import Path
from typing import TypeVar

from briefing import urls
from briefing.config import Config
from briefing.model import REGISTRY_KINDS, Article, ClaimStatus, Day, MarkdownBody, RegistryKind, Site
from briefing.slugs import slugify

T = TypeVar("T")

PDF_TEMPLATE = "pdf/briefing.html"
PDF_STYLESHEET = "pdf/briefing.css"
_MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")

#: Articles per page of a topic, place, actor, source or claim-status list.
PAGE_SIZE = 30
#: How many earlier days the home page lists under the latest briefing.
HOME_DAYS = 14
#: Entries of the feeds.
FEED_SIZE = 50
#: Related articles: at most this many, from this many days around the article.
RELATED_COUNT = 4
RELATED_WINDOW = 3

#: Keys that read one field of every article, and that field: such a key changes when
#: the field of an edited article does ("published" is not changed by a title edit).
ACROSS_ARTICLES: dict[str, Callable[[Article], object]] = {"published": attrgetter("published")}


@dataclass(frozen=True, slots=True)
class Output:
    """One file of the site."""

    path: str  # site path: "2024/08/16/" (a page, written as index.html) or "feeds/articles.xml"
    kind: str  # which renderer makes it
    template: str = ""  # the Jinja template, for rendered outputs
    key: str = ""  # what it is about: an article id, a day, "places/kursk-oblast"
    page: int = 1  # for paginated lists
    inputs: tuple[str, ...] = ()  # model keys it reads
    source: Path | None = None  # for copied files: the file to copy

    @property
    def file(self) -> str:
        return urls.file_of(self.path)


@dataclass(slots=True)
class Plan:
    outputs: list[Output] = field(default_factory=list)
    related: dict[str, tuple[str, ...]] = field(default_factory=dict)  # article id -> related ids
    members: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "places/x" -> article ids
    claims: dict[ClaimStatus, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    pdfs: dict[date, str] = field(default_factory=dict)  # day -> PDF path, when PDFs are built
    #: What "card:ID" stands for: the article's metadata and the registry entries shown
    #: with it wherever it is listed (lists never show a body). One key instead of a
    #: dozen keeps lists' inputs short.
    cards: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _files: list[str] = field(default_factory=list)
    _index: dict[str, int] = field(default_factory=dict)
    _copies: frozenset[int] = frozenset()

    def __iter__(self) -> Iterator[Output]:
        return iter(self.outputs)

    def by_file(self) -> dict[str, Output]:
        return {o.file: o for o in self.outputs}

    def files(self) -> list[str]:
        """Each output's file, in order (worked out once: the watch mode asks after every save)."""
        if len(self._files) != len(self.outputs):
            self._files = [o.file for o in self.outputs]
            self._index = {file: index for index, file in enumerate(self._files)}
            self._copies = frozenset(i for i, o in enumerate(self.outputs) if o.source is not None)
        return self._files

    def index_of(self, file: str) -> int:
        self.files()
        return self._index[file]

    def copies(self) -> frozenset[int]:
        """The outputs that copy a file: their fingerprints come from the file's stat."""
        self.files()
        return self._copies


def pdf_file_name(config: Config, day: date) -> str:
    """'briefing-kursk-2024-08-16.pdf': a downloaded file says what it is."""
    return f"{slugify(config.title) or 'briefing'}-{day.isoformat()}.pdf"


def images_of(article: Article) -> list[str]:
    """Files under content/ an article shows: its image, and images in its Markdown."""
    found = [article.image.src] if article.image else []
    if isinstance(article.body, MarkdownBody):
        found += [m.removeprefix("./") for m in _MARKDOWN_IMAGE.findall(article.body.text)]
    return found


def registry_inputs(site: Site, ids: dict[RegistryKind, tuple[str, ...]]) -> list[str]:
    """The registry entries an article's card shows (``ids``: its entries by kind):
    names, and places' parents."""
    keys: dict[str, None] = {}
    for kind, these in ids.items():
        for entry_id in these:
            keys[f"{kind}:{entry_id}"] = None
            if kind == "places" and (place := site.places.get(entry_id)) and place.within:
                keys[f"places:{place.within}"] = None
    return list(keys)


def article_inputs(ids: Iterable[str]) -> list[str]:
    """An article list's inputs: each article's card ("card:ID", the article's metadata
    and the registry entries its card shows; see :attr:`Plan.cards`)."""
    return [f"card:{i}" for i in ids]


def same_shape(before: Site, after: Site, changed: Iterable[str]) -> bool:
    """Whether :func:`plan_site` reads the same from both sites (then it plans them alike).

    ``before`` and ``after`` list the same article ids in the same order, and only the
    ``changed`` ones differ in content (the others are the same objects, or equal).
    An edit to an article's title, summary, body, figures or claim texts keeps the
    shape; the watch mode then keeps the plan and re-fingerprints only the outputs
    that read the article. Moving it to another day, tagging it with another place
    or changing a claim's status changes the shape: a new plan. Lists, not dicts,
    are compared where the order is part of the plan; equal objects compare in C.
    """
    if before.config != after.config or before.media != after.media or \
            list(before.days.items()) != list(after.days.items()):
        return False
    if any(list(before.registry(kind).items()) != list(after.registry(kind).items())
           for kind in REGISTRY_KINDS):
        return False
    return all(_article_shape(before.articles[i]) == _article_shape(after.articles[i]) for i in changed)


def _article_shape(a: Article) -> tuple[object, ...]:
    """What the plan reads of one article."""
    return (a.id, a.day, a.slug, a.source.outlet, tuple(a.registry_ids(kind) for kind in REGISTRY_KINDS),
            tuple((c.id, c.status) for c in a.claims), tuple(images_of(a)))


def plan_site(site: Site, *, static: dict[str, Path], media: dict[str, Path],
              pdf: bool) -> Plan:
    """Every output of the site, in a stable order."""
    plan = Plan()
    add = plan.outputs.append
    days = list(site.days.values())  # newest first
    day_keys = [f"day:{d.date.isoformat()}" for d in days]
    if pdf:
        plan.pdfs = {d.date: urls.day_path(d.date) + pdf_file_name(site.config, d.date) for d in days}
    pdf_inputs = ("pdf",) if pdf else ()

    _plan_members(site, plan)

    # Home: the latest briefing in full, then the days before.
    if days:
        latest = days[0]
        add(Output(urls.HOME, "home", "home.html", inputs=(
            "config", "days", *pdf_inputs, *day_keys[: HOME_DAYS + 1],
            *article_inputs(latest.article_ids),
            *(f"meta:{d.article_ids[0]}" for d in days[1: HOME_DAYS + 1]),
        )))
    else:
        add(Output(urls.HOME, "home", "home.html", inputs=("config", "days")))

    for day in days:
        _plan_day(site, plan, day, pdf_inputs)

    # Archive: all days by year and month.
    by_year: dict[int, list[Day]] = defaultdict(list)
    for day in days:
        by_year[day.date.year].append(day)
    # An uncurated day is listed under its lead article's title: that article is an input too.
    leads = [f"meta:{d.article_ids[0]}" for d in days if d.article_ids]
    add(Output(urls.ARCHIVE, "archive", "archive.html", inputs=("config", "days", *day_keys, *leads)))
    for year, year_days in by_year.items():
        keys = [f"day:{d.date.isoformat()}" for d in year_days]
        keys += [f"meta:{d.article_ids[0]}" for d in year_days if d.article_ids]
        add(Output(urls.year_path(year), "archive-year", "archive_year.html", key=str(year),
                   inputs=("config", "days", *keys)))
        months: dict[int, list[Day]] = defaultdict(list)
        for day in year_days:
            months[day.date.month].append(day)
        for month, month_days in months.items():
            ids = [i for d in month_days for i in d.article_ids]
            add(Output(urls.month_path(year, month), "archive-month", "archive_month.html",
                       key=f"{year:04d}-{month:02d}",
                       inputs=("config", "days", *(f"day:{d.date.isoformat()}" for d in month_days),
                               *(f"meta:{i}" for i in ids))))

    _plan_registries(site, plan)
    _plan_claims(site, plan)
    _plan_timeline(plan, days)

    add(Output(urls.SEARCH, "search", "search.html", inputs=("config",)))
    add(Output(urls.NOT_FOUND, "not-found", "404.html", inputs=("config",)))
    latest_ids = list(site.articles)[:FEED_SIZE]
    add(Output(urls.FEED_ARTICLES, "feed-articles", "feeds/articles.xml",
               inputs=("config", *article_inputs(latest_ids))))
    add(Output(urls.FEED_JSON, "feed-json",
               inputs=("config", *article_inputs(latest_ids))))
    add(Output(urls.FEED_BRIEFINGS, "feed-briefings", "feeds/briefings.xml",
               inputs=("config", "days", *pdf_inputs, *day_keys[:FEED_SIZE],
                       *(f"meta:{i}" for d in days[:FEED_SIZE] for i in d.article_ids))))
    add(Output(urls.DATA_ARTICLES, "data-articles", inputs=(
        "config", "articles", *article_inputs(site.articles))))
    # Each article's entry carries its date as lastmod: a time moved within its day is a change
    # (read as one key, "published", and not as every article's metadata: a title edit
    # leaves the sitemap as it was).
    add(Output(urls.SITEMAP, "sitemap", "sitemap.xml", inputs=("config", "pages", "published")))
    add(Output(urls.ROBOTS, "robots", "robots.txt", inputs=("config",)))

    for path, file in static.items():
        add(Output(path, "copy", source=file, inputs=(f"file:{path}",)))
    for path, file in media.items():
        add(Output(urls.media_path(path), "copy", source=file, inputs=(f"media:{path}",)))
    return plan


def _plan_day(site: Site, plan: Plan, day: Day, pdf_inputs: tuple[str, ...]) -> None:
    iso = day.date.isoformat()
    ids = day.article_ids
    plan.outputs.append(Output(urls.day_path(day.date), "day", "day.html", key=iso, inputs=(
        "config", "days", *pdf_inputs, f"day:{iso}", *article_inputs(ids))))
    if day.date in plan.pdfs:
        images = [f"media:{src}" for i in ids for src in images_of(site.articles[i])
                  if src in site.media]
        plan.outputs.append(Output(
            plan.pdfs[day.date], "pdf", PDF_TEMPLATE, key=iso,
            inputs=("config", f"issue:{iso}", f"theme:{PDF_STYLESHEET}", f"day:{iso}",
                    *article_inputs(ids), *(f"article:{i}" for i in ids), *dict.fromkeys(images))))
    for index, article_id in enumerate(ids):
        article = site.articles[article_id]
        neighbours = [ids[i] for i in (index - 1, index + 1) if 0 <= i < len(ids)]
        related = plan.related.get(article_id, ())
        plan.outputs.append(Output(
            urls.article_path(article), "article", "article.html", key=article_id,
            inputs=("config", f"day:{iso}", *pdf_inputs, f"article:{article_id}",
                    *article_inputs([article_id]), *(f"meta:{i}" for i in (*neighbours, *related)))))


def _plan_members(site: Site, plan: Plan) -> None:
    """Which articles each registry entry lists, each article's card, and its related articles."""
    members: dict[str, list[str]] = defaultdict(list)
    keys_of: dict[str, list[str]] = {}
    # day -> registry key -> the day's articles showing it: related articles are
    # found through the few entries an article has, not by comparing every pair.
    by_day: dict[date, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for article in site.articles.values():  # newest day first, reading order within a day
        ids = {kind: article.registry_ids(kind) for kind in REGISTRY_KINDS}
        keys = list(dict.fromkeys(f"{kind}/{entry_id}" for kind, these in ids.items() for entry_id in these))
        keys_of[article.id] = keys
        index = by_day[article.day]
        for key in keys:
            members[key].append(article.id)
            index[key].append(article.id)
        plan.cards[article.id] = (f"meta:{article.id}", *registry_inputs(site, ids))
    plan.members = {key: tuple(found) for key, found in members.items()}
    window = [timedelta(days=offset) for offset in range(-RELATED_WINDOW, RELATED_WINDOW + 1)]
    nearby = {day: [near for step in window if (near := by_day.get(day + step)) is not None]
              for day in by_day}
    for article in site.articles.values():
        outlet = f"sources/{article.source.outlet}"
        mine = [key for key in keys_of[article.id] if key != outlet]
        # Counted in C: a year's briefing has ~10,000 articles, each with ~10 entries
        # shared with dozens of articles in the week around it.
        shared = Counter(chain.from_iterable(near[key] for near in nearby[article.day]
                                             for key in mine if key in near))
        shared.pop(article.id, None)
        scored = sorted((-count, other) for other, count in shared.items() if count >= 2)
        plan.related[article.id] = tuple(i for _, i in scored[:RELATED_COUNT])


def _plan_registries(site: Site, plan: Plan) -> None:
    for kind in REGISTRY_KINDS:
        entries = site.registry(kind)
        counts = tuple(f"count:{kind}/{i}" for i in entries)
        plan.outputs.append(Output(urls.registry_index_path(kind), "registry-index",
                                   "registry_index.html", key=kind,
                                   inputs=("config", *(f"{kind}:{i}" for i in entries), *counts)))
        for entry_id in entries:
            _plan_entry(site, plan, kind, entry_id)


def _plan_entry(site: Site, plan: Plan, kind: RegistryKind, entry_id: str) -> None:
    key = f"{kind}/{entry_id}"
    ids = plan.members.get(key, ())
    related_entries = [f"{kind}:{entry_id}"]
    entry = site.registry(kind)[entry_id]
    parent = getattr(entry, "within", None) or getattr(entry, "part_of", None)
    if parent:
        related_entries.append(f"{kind}:{parent}")
    children = [f"{kind}:{e.id}" for e in site.registry(kind).values()
                if e.id != entry_id and (getattr(e, "within", None) == entry_id
                                         or getattr(e, "part_of", None) == entry_id)]
    for page, chunk in enumerate(_chunks(ids), start=1):
        plan.outputs.append(Output(
            urls.registry_path(kind, entry_id, page), "registry-entry", "registry_entry.html",
            key=key, page=page,
            inputs=("config", f"count:{key}", *related_entries, *children,
                    *article_inputs(chunk))))


def _plan_claims(site: Site, plan: Plan) -> None:
    by_status: dict[ClaimStatus, list[tuple[str, str]]] = {s: [] for s in ClaimStatus}
    for article in site.articles.values():
        for claim in article.claims:
            by_status[claim.status].append((article.id, claim.id))
    plan.claims = {s: tuple(pairs) for s, pairs in by_status.items()}
    plan.outputs.append(Output(urls.CLAIMS, "claims-index", "claims_index.html",
                               inputs=("config", *(f"count:claims/{s.value}" for s in ClaimStatus))))
    for status, pairs in plan.claims.items():
        for page, chunk in enumerate(_chunks(pairs), start=1):
            ids = list(dict.fromkeys(a for a, _ in chunk))
            plan.outputs.append(Output(
                urls.claims_path(status, page), "claims-status", "claims_status.html",
                key=status.value, page=page,
                inputs=("config", f"count:claims/{status.value}", *article_inputs(ids))))


def _plan_timeline(plan: Plan, days: list[Day]) -> None:
    months: dict[tuple[int, int], list[Day]] = defaultdict(list)
    for day in days:
        months[(day.date.year, day.date.month)].append(day)
    for index, ((year, month), month_days) in enumerate(months.items()):
        ids = [i for d in month_days for i in d.article_ids]
        inputs = ("config", "months", *article_inputs(ids))
        if index == 0:  # the latest month is also the timeline's front page
            plan.outputs.append(Output(urls.TIMELINE, "timeline", "timeline.html",
                                       key=f"{year:04d}-{month:02d}", inputs=inputs))
        plan.outputs.append(Output(urls.timeline_path(year, month), "timeline", "timeline.html",
                                   key=f"{year:04d}-{month:02d}", inputs=inputs))
    if not months:
        plan.outputs.append(Output(urls.TIMELINE, "timeline", "timeline.html", inputs=("config",)))


def _chunks(items: Sequence[T]) -> Iterator[tuple[T, ...]]:
    """Pages of a list; an empty list still has its first page."""
    if not items:
        yield ()
        return
    for start in range(0, len(items), PAGE_SIZE):
        yield tuple(items[start:start + PAGE_SIZE])
