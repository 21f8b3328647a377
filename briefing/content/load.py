"""Read a whole briefing folder into a :class:`Site`, collecting every problem."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from briefing.config import Config, load_config
from briefing.content.articles import ARTICLES_DIR, ArticleFiles, LoadedArticle, discover, same_articles
from briefing.content.cache import Checks, LastLoad, LoadCache, Stamp, stamp_of
from briefing.content.days import BRIEFINGS_DIR, assemble_days, check_curations, load_curations, reading_order
from briefing.content.media import list_media
from briefing.content.reading import read_many
from briefing.content.references import check_references, find_by_name
from briefing.content.registries import DATA_DIR, Registries, load_registries
from briefing.errors import Problem, Problems
from briefing.model import Article, Site

T = TypeVar("T")


def load_site(root: Path, *, drafts: bool = False, now: datetime | None = None,
              config: Config | None = None, cache: LoadCache | None = None,
              workers: int = 1, changed: Collection[str] | None = None) -> tuple[Site | None, Problems]:
    """The briefing at ``root`` and every problem found in it.

    The site is None when there is an error; warnings alone still give a site.
    ``now`` decides which dates lie in the future (default: the clock). With a
    ``cache``, articles whose files did not change are not read again; with
    ``workers``, many articles to read are read on that many cores. ``changed``
    (the watch mode's word) lists the only paths, relative to ``root``, that may
    differ since the last load through ``cache``: the parts of the briefing none
    of them touches are taken from that load, not listed, stat'ed and checked again.
    """
    problems = Problems()
    if config is None:
        config = load_config(root, problems)
    if config is None:
        return None, problems
    cache = cache or LoadCache()
    key = config.model_dump_json()
    last = cache.last if changed is not None and cache.last is not None and cache.last.key == key else None
    touched = _Touched(changed if last is not None else None)
    cache.last = None  # until this load is through: a failed one must not be built upon

    if last is not None and not touched.under(DATA_DIR):
        registries, registry_problems = last.registries, last.registry_problems
        reference_problems = last.reference_problems
    else:
        registries, registry_problems = _collect(lambda found: load_registries(root, found))
        _, reference_problems = _collect(lambda found: check_references(
            registries.refs, registries.entries, found, registries.broken))
    problems.extend(registry_problems)

    if last is not None and same_articles(root, last.listings, touched.paths):
        every, discovery_problems, listings = last.articles, last.discovery_problems, last.listings
    else:
        (every, listings), discovery_problems = _collect(lambda found: discover(root, found))
    problems.extend(discovery_problems)
    loaded = _read_articles(root, every, config, key, cache, problems, workers,
                            trusted=touched.paths if last is not None else None)

    if last is not None and touched.only_under(ARTICLES_DIR, DATA_DIR, BRIEFINGS_DIR):
        media = last.media
    else:
        media = list_media(root)
    problems.extend(reference_problems)
    resolved = last.resolved if last is not None and last.registries is registries else {}
    loaded, resolved = _resolve(loaded, registries, problems, resolved)
    # While every article keeps its place (see _place) and the media are the same,
    # the checks across articles find what they found last time.
    placed = last is not None and _same_places(last.resolved, resolved)
    moment = now or datetime.now(config.tz)
    if last is not None and placed and media is last.media and last.checks is not None and \
            last.checks.hold(moment):
        checks = last.checks
    else:
        checks = _check_across(loaded, frozenset(media), moment)
    problems.extend(checks.problems)
    articles = {item.article.id: item.article for item in loaded}
    if last is not None and not touched.under(BRIEFINGS_DIR):
        curations, curation_problems = last.curations, last.curation_problems
    else:
        curations, curation_problems = _collect(lambda found: load_curations(root, config, found))
    problems.extend(curation_problems)
    check_curations(curations, articles, problems)

    published = {i: a for i, a in articles.items() if drafts or not a.draft}
    if last is not None and last.days is not None and curations is last.curations and \
            last.drafts == drafts and placed:
        days, day_problems = last.days, last.day_problems
    else:
        days, day_problems = _collect(lambda found: assemble_days(published, curations, found))
    problems.extend(day_problems)
    cache.last = LastLoad(key, every, discovery_problems, listings, registries, registry_problems,
                          reference_problems, media, curations, curation_problems, resolved,
                          drafts, days, day_problems, checks)
    if problems.errors:
        return None, problems
    ordered = {i: published[i] for day in days.values() for i in day.article_ids}
    e = registries.entries
    site = Site(config, ordered, days, e["sources"], e["places"], e["actors"],  # type: ignore[arg-type]
                e["topics"], media)  # type: ignore[arg-type]
    return site, problems


def _collect(part: Callable[[Problems], T]) -> tuple[T, tuple[Problem, ...]]:
    """One part of a load and the problems it found, kept apart so that a later load
    can take both over unchanged."""
    found = Problems()
    return part(found), tuple(found)


def _same_places(before: Resolved, after: Resolved) -> bool:
    """Whether every article keeps its place among the days: the same articles, each
    on the same day, at the same time, with the same priority and draft flag."""
    if before.keys() != after.keys():
        return False
    for path, entry in after.items():
        old = before[path]
        if entry is not old and _place(old[1].article) != _place(entry[1].article):
            return False
    return True


def _place(article: Article) -> tuple[object, ...]:
    """What the days and the checks across articles read of an article."""
    image = article.image.src if article.image else None
    return article.id, article.day, article.published, article.priority, article.draft, article.slug, image


def _check_across(loaded: list[LoadedArticle], media: frozenset[str], now: datetime) -> Checks:
    """The checks that compare articles with each other, the media and the clock."""
    found = Problems()
    _check_images(loaded, media, found)
    _check_urls(loaded, found)
    _check_dates(loaded, now, found)
    future = [item.article.published for item in loaded if item.article.published > now]
    return Checks(tuple(found), now, min(future, default=None))


class _Touched:
    """The paths a load was told may have changed; None: any path."""

    def __init__(self, paths: Collection[str] | None) -> None:
        self.paths: Collection[str] = paths if paths is not None else ()
        self.any = paths is None

    def under(self, folder: str) -> bool:
        return self.any or any(p == folder or p.startswith(folder + "/") for p in self.paths)

    def only_under(self, *folders: str) -> bool:
        return not self.any and all(any(p.startswith(f + "/") for f in folders) for p in self.paths)


def _read_articles(root: Path, every: list[ArticleFiles], config: Config, key: str, cache: LoadCache,
                   problems: Problems, workers: int, *,
                   trusted: Collection[str] | None = None) -> list[LoadedArticle]:
    """Each article's own files read (or taken from the cache while their stamp holds).

    With ``trusted``, the paths that may have changed, an article none of whose files
    is among them is taken from the cache without looking at its files at all.
    """
    cache.begin(key)
    results: dict[str, tuple[LoadedArticle | None, tuple[Problem, ...]]] = {}
    missing: list[tuple[ArticleFiles, Stamp | None]] = []
    suspect = frozenset(trusted) if trusted is not None else None
    for files in every:
        meta = files.meta
        if suspect is not None and meta not in suspect and files.text not in suspect and \
                meta in cache.articles:
            _stamp, item, found = cache.articles[meta]
            results[meta] = (item, found)
            continue
        stamp = stamp_of(root, files)
        hit = cache.get(files, stamp) if stamp is not None else None
        if hit is None:
            missing.append((files, stamp))
        else:
            results[files.meta] = hit
    for (files, stamp), read in zip(missing, read_many(root, config, [f for f, _ in missing], workers),
                                    strict=True):
        results[files.meta] = read
        if stamp is not None:
            cache.put(files, stamp, *read)
    cache.forget_except({files.meta for files in every})
    loaded = []
    for files in every:  # in path order, whichever way each was read
        item, found = results[files.meta]
        problems.extend(found)
        if item is not None:
            loaded.append(item)
    return loaded


def _check_images(loaded: list[LoadedArticle], media: frozenset[str], problems: Problems) -> None:
    for item in loaded:
        image = item.article.image
        if image is not None and image.src not in media:
            problems.error(item.locations["image"], "image.src", f"no file content/{image.src}",
                           "check the path; it is relative to content/")


#: An article as read -> as resolved against the registries, and the problems that found.
Resolved = dict[str, tuple[LoadedArticle, LoadedArticle, tuple[Problem, ...]]]


def _resolve(loaded: list[LoadedArticle], registries: Registries, problems: Problems,
             last: Resolved) -> tuple[list[LoadedArticle], Resolved]:
    """Check each article's references and fill 'based_on' from a raw text's header.

    ``last`` holds the previous results against the same registries: an article read
    into the very same object as then resolves as it did then.
    """
    sources = registries.entries["sources"]
    by_name: dict[str, str | None] = {}
    resolved: list[LoadedArticle] = []
    memo: Resolved = {}
    for item in loaded:
        path = item.article.path
        before = last.get(path)
        if before is not None and before[0] is item:
            memo[path] = before
            problems.extend(before[2])
            resolved.append(before[1])
            continue
        found = Problems()
        check_references(item.refs, registries.entries, found, registries.broken)
        article = item.article
        if item.based_on_text:
            if item.based_on_text not in by_name:
                by_name[item.based_on_text] = find_by_name(item.based_on_text, sources)
            outlet = by_name[item.based_on_text]
            if outlet is None:
                found.warning(
                    item.locations["source"], "source.based_on",
                    f"the text's header names '{item.based_on_text}' as its source, "
                    "which no entry in content/data/sources.yaml matches",
                    "add that outlet to sources.yaml (with alt_names), or set source.based_on",
                )
            elif outlet != article.source.outlet:
                article = dataclasses.replace(
                    article, source=dataclasses.replace(article.source, based_on=outlet))
        done = dataclasses.replace(item, article=article)
        memo[path] = (item, done, tuple(found))
        problems.extend(found)
        resolved.append(done)
    return resolved, memo


def _check_urls(loaded: list[LoadedArticle], problems: Problems) -> None:
    """Two articles may not share a page: same day, same slug."""
    taken: dict[tuple[object, str], Article] = {}
    for item in loaded:
        article = item.article
        key = (article.day, article.slug)
        other = taken.get(key)
        if other is not None:
            problems.error(
                item.locations["slug"], "slug",
                f"same page as {other.path}: both are '{article.slug}' on {article.day.isoformat()}",
                "give one of them another slug: slug: another-name",
            )
            continue
        taken[key] = article


def _check_dates(loaded: list[LoadedArticle], now: datetime, problems: Problems) -> None:
    for item in loaded:
        article = item.article
        if article.published > now:
            problems.warning(item.locations["date"], "date",
                             f"published in the future: {article.published.isoformat()}",
                             "check the year and the time zone offset")


__all__ = ["load_site", "reading_order"]
