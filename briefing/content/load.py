"""Read a whole briefing folder into a :class:`Site`, collecting every problem."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar

from briefing.config import Config, load_config
from briefing.content.articles import ARTICLES_DIR, ArticleFiles, LoadedArticle, discover, same_articles
from briefing.content.cache import (
    ArticlePass,
    Checks,
    LastLoad,
    LoadCache,
    Resolution,
    Stamp,
    shard_of,
    stamp_of,
)
from briefing.content.days import (
    BRIEFINGS_DIR,
    Curation,
    assemble_days,
    check_curations,
    load_curations,
    reading_order,
)
from briefing.content.files import in_content, link_problem, outside
from briefing.content.following import check_used, take_series_units
from briefing.content.media import list_media
from briefing.content.reading import Read, read_one, read_pickled, worth_processes
from briefing.content.references import check_references, find_by_name
from briefing.content.registries import DATA_DIR, Registries, load_registries
from briefing.errors import Problem, Problems
from briefing.model import Article, DataEntry, DataKind, Day, RegistryEntry, Site

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
    if config is None or _folders_out(root, problems):
        return None, problems
    cache = cache or LoadCache()
    load = _Load(root, config, cache, workers, changed)
    cache.last = None  # until this load is through: a failed one must not be built upon
    registries, registry_problems, reference_problems = load.registries()
    problems.extend(registry_problems)
    every, discovery_problems, listings = load.listing()
    problems.extend(discovery_problems)
    passed, redone = load.articles(every, registries)
    problems.extend(found for read in passed.reads for found in read.problems)
    media, media_problems = load.media()
    problems.extend(media_problems)
    problems.extend(reference_problems)
    problems.extend(found for r in passed.resolved if r is not None for found in r.problems)
    loaded = [r.resolved for r in passed.resolved if r is not None]
    placed = load.same_places(passed, redone)
    checks = load.checks(loaded, media, now or datetime.now(config.tz), placed=placed)
    problems.extend(checks.problems)
    articles = {item.article.id: item.article for item in loaded}
    curations, curation_problems = load.curations()
    problems.extend(curation_problems)
    check_curations(curations, articles, problems)
    published = {i: a for i, a in articles.items() if drafts or not a.draft}
    check_used(published.values(), (a for i, a in articles.items() if i not in published),
               registries, problems)
    days, day_problems = load.days(published, curations, drafts=drafts, placed=placed)
    problems.extend(day_problems)
    cache.last = LastLoad(load.key, every, discovery_problems, listings, registries, registry_problems,
                          reference_problems, media, media_problems, curations, curation_problems, passed,
                          drafts, days, day_problems, checks)
    if problems.errors:
        return None, problems
    ordered = {i: published[i] for day in days.values() for i in day.article_ids}
    e = registries.entries
    site = Site(config, ordered, days, e["sources"], e["places"], e["actors"],  # type: ignore[arg-type]
                e["topics"], media, registries.series, registries.threads,  # type: ignore[arg-type]
                registries.layers)
    return site, problems


class _Load:
    """One load, part by part; each part is taken over from the last load through the
    same cache while no changed path (the watch mode's word) touches it."""

    def __init__(self, root: Path, config: Config, cache: LoadCache, workers: int,
                 changed: Collection[str] | None) -> None:
        self.root, self.config, self.cache, self.workers = root, config, cache, workers
        self.key = config.site_json  # the e-mail's settings change nothing that is loaded
        last = cache.last
        self.last = last if changed is not None and last is not None and last.key == self.key else None
        self.touched = _Touched(changed if self.last is not None else None)

    def registries(self) -> tuple[Registries, tuple[Problem, ...], tuple[Problem, ...]]:
        """The registries, their problems, and those of their references to each other."""
        last = self.last
        if last is not None and not self.touched.under(DATA_DIR) and not any(
                self.touched.under(file) for file in last.registries.layer_files):
            return last.registries, last.registry_problems, last.reference_problems
        registries, found = _collect(lambda found: load_registries(self.root, found))
        _, references = _collect(lambda found: check_references(
            registries.refs, registries.known(), found, registries.broken))
        return registries, found, references

    def listing(self) -> tuple[list[ArticleFiles], tuple[Problem, ...], dict[str, frozenset[str]]]:
        """Every article's files, the problems of listing them, and each folder's entries."""
        last = self.last
        if last is not None and same_articles(self.root, last.listings, self.touched.paths):
            return last.articles, last.discovery_problems, last.listings
        (every, listings), found = _collect(lambda found: discover(self.root, found))
        return every, found, listings

    def articles(self, every: list[ArticleFiles],
                 registries: Registries) -> tuple[ArticlePass, set[int] | None]:
        """Every article read and resolved against the registries, and the indexes redone
        (None: all of them were looked at)."""
        last = self.last
        # A load told what changed, over the same listing, redoes only the articles it touches.
        before = last.passed if last is not None and last.passed.every is every else None
        redone = before.indexes_of(self.touched.paths) if before is not None else None
        reads = _read_articles(self.root, every, self.config, self.key, self.cache, self.workers, before,
                               redone, trusted=self.touched.paths if last is not None else None)
        resolved_before = last.passed if last is not None and last.registries is registries else None
        passed = ArticlePass(every, reads, _resolve(reads, registries, resolved_before, redone))
        if before is not None:
            passed.share_index(before)
        return passed, redone

    def media(self) -> tuple[tuple[str, ...], tuple[Problem, ...]]:
        last = self.last
        if last is not None and self.touched.only_under(ARTICLES_DIR, DATA_DIR, BRIEFINGS_DIR):
            return last.media, last.media_problems
        return _collect(lambda found: list_media(self.root, found))

    def same_places(self, passed: ArticlePass, redone: set[int] | None) -> bool:
        """Whether every article keeps its place among the days since the last load (see
        _placement). Resolving against other registries changes only an article's
        based_on, which no place reads: with the same listing, only the redone articles
        can have moved."""
        return self.last is not None and _same_places(self.last.passed, passed, redone)

    def checks(self, loaded: list[LoadedArticle], media: tuple[str, ...], now: datetime, *,
               placed: bool) -> Checks:
        """The checks across articles: while every article keeps its place and the media
        are the same, they find what they found last time."""
        last = self.last
        if last is not None and placed and media is last.media and last.checks is not None and \
                last.checks.hold(now):
            return last.checks
        return _check_across(loaded, frozenset(media), now)

    def curations(self) -> tuple[dict[date, Curation], tuple[Problem, ...]]:
        last = self.last
        if last is not None and not self.touched.under(BRIEFINGS_DIR):
            return last.curations, last.curation_problems
        return _collect(lambda found: load_curations(self.root, self.config, found))

    def days(self, published: dict[str, Article], curations: dict[date, Curation], *, drafts: bool,
             placed: bool) -> tuple[dict[date, Day], tuple[Problem, ...]]:
        last = self.last
        if last is not None and last.days is not None and curations is last.curations and \
                last.drafts == drafts and placed:
            return last.days, last.day_problems
        return _collect(lambda found: assemble_days(published, curations, found))


def _folders_out(root: Path, problems: Problems) -> bool:
    """Whether a folder of sources is a link out of content/ (then nothing is read).
    Folders below them are never followed through links (see discover), and each file
    read is checked on its own (files.read_text)."""
    found = False
    content, name = in_content(root)
    for folder in (ARTICLES_DIR, BRIEFINGS_DIR, DATA_DIR):
        path = root / folder
        if path.is_symlink() and outside(path, content):
            link_problem(folder, path, name, problems)
            found = True
    return found


def _collect(part: Callable[[Problems], T]) -> tuple[T, tuple[Problem, ...]]:
    """One part of a load and the problems it found, kept apart so that a later load
    can take both over unchanged."""
    found = Problems()
    return part(found), tuple(found)


def _same_places(before: ArticlePass, after: ArticlePass, redone: set[int] | None) -> bool:
    """Whether every article keeps its place among the days: the same articles, each
    on the same day, at the same time, with the same priority and draft flag.
    ``redone``: the only indexes that can differ, when both passes share a listing."""
    if redone is not None:
        pairs = [(before.resolved[i], after.resolved[i]) for i in redone]
    else:
        old = {r.resolved.article.path: r for r in before.resolved if r is not None}
        new = {r.resolved.article.path: r for r in after.resolved if r is not None}
        if old.keys() != new.keys():
            return False
        pairs = [(old[path], entry) for path, entry in new.items()]
    for old_entry, new_entry in pairs:
        if old_entry is new_entry:
            continue
        if old_entry is None or new_entry is None or \
                _placement(old_entry.resolved.article) != _placement(new_entry.resolved.article):
            return False
    return True


def _placement(article: Article) -> tuple[object, ...]:
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
                   workers: int, before: ArticlePass | None, redone: set[int] | None, *,
                   trusted: Collection[str] | None = None) -> list[Read]:
    """What reading each article's own files gave (or the cache, while their stamp holds).

    With ``before`` (the last pass over the same listing) and ``redone``, only those
    articles are looked at. With ``trusted``, the paths that may have changed, an
    article none of whose files is among them is taken from the cache unlooked at.
    """
    cache.begin(key)
    if before is not None and redone is not None:
        reads = list(before.reads)
        for i in redone:
            reads[i] = _read_stamped(root, config, every[i], cache)
        return reads
    results: dict[str, Read] = {}
    missing: list[tuple[ArticleFiles, Stamp | None]] = []
    suspect = frozenset(trusted) if trusted is not None else None
    for files in every:
        meta = files.meta
        if suspect is not None and meta not in suspect and files.text not in suspect and \
                meta in cache.articles:
            cached = cache.articles[meta]
            results[meta] = Read(cached.item, cached.problems)
            continue
        stamp, hit = _cached(root, files, cache)
        if hit is None:
            missing.append((files, stamp))
        else:
            results[files.meta] = hit
    if worth_processes(len(missing), workers):
        missing = _read_in_workers(root, config, missing, cache, results, workers)
    for files, stamp in missing:
        results[files.meta] = read = read_one(root, config, files)
        if stamp is not None:
            cache.put(files, stamp, *read)
    cache.forget_except({files.meta for files in every})
    return [results[files.meta] for files in every]  # in path order, whichever way each was read


def _read_in_workers(root: Path, config: Config, missing: list[tuple[ArticleFiles, Stamp | None]],
                     cache: LoadCache, results: dict[str, Read],
                     workers: int) -> list[tuple[ArticleFiles, Stamp | None]]:
    """Read the articles with a stamp on every core, one cache shard to a group (each
    comes back pickled, as the cache stores it); the rest (unreadable files) are left."""
    shards: dict[int, list[tuple[ArticleFiles, object]]] = {}
    for files, stamp in missing:
        if stamp is not None:
            shards.setdefault(shard_of(files.meta), []).append((files, stamp))
    for shard, data in zip(shards, read_pickled(root, config, list(shards.values()), workers), strict=True):
        for meta, cached in cache.put_pickled(shard, data).items():
            results[meta] = Read(cached.item, cached.problems)
    return [(files, stamp) for files, stamp in missing if stamp is None]


def _cached(root: Path, files: ArticleFiles, cache: LoadCache) -> tuple[Stamp | None, Read | None]:
    """The article's stamp (None: a file cannot be read) and what the cache holds for it."""
    stamp = stamp_of(root, files)
    return stamp, cache.get(files, stamp) if stamp is not None else None


def _read_stamped(root: Path, config: Config, files: ArticleFiles, cache: LoadCache) -> Read:
    """One article, from the cache while its stamp holds, else read (and cached)."""
    stamp, hit = _cached(root, files, cache)
    if hit is not None:
        return hit
    read = read_one(root, config, files)
    if stamp is not None:
        cache.put(files, stamp, *read)
    return read


def _check_images(loaded: list[LoadedArticle], media: frozenset[str], problems: Problems) -> None:
    for item in loaded:
        image = item.article.image
        if image is not None and image.src not in media:
            problems.error(item.locations["image"], "image.src", f"no file content/{image.src}",
                           "check the path; it is relative to content/")


def _resolve(reads: list[Read], registries: Registries, before: ArticlePass | None,
             redone: set[int] | None) -> list[Resolution | None]:
    """Check each article's references, fill 'based_on' from a raw text's header and the
    units of figures in a series from series.yaml.

    ``before`` holds the last pass against the same registries: an article read into
    the very same object as then resolves as it did then. With ``redone`` (the same
    listing) only those indexes are looked at.
    """
    sources = registries.entries["sources"]
    every = registries.known()
    by_name: dict[str, str | None] = {}

    def resolve(item: LoadedArticle | None, old: Resolution | None) -> Resolution | None:
        if item is None:
            return None
        if old is not None and old.read is item:
            return old
        return _resolve_one(item, registries, every, sources, by_name)

    if before is not None and redone is not None:
        resolved = list(before.resolved)
        for i in redone:
            resolved[i] = resolve(reads[i].item, before.resolved[i])
        return resolved
    known = {r.read.article.path: r for r in before.resolved if r is not None} if before is not None else {}
    return [resolve(r.item, known.get(r.item.article.path) if r.item is not None else None) for r in reads]


def _resolve_one(item: LoadedArticle, registries: Registries,
                 every: Mapping[DataKind, Mapping[str, DataEntry]], sources: Mapping[str, RegistryEntry],
                 by_name: dict[str, str | None]) -> Resolution:
    found = Problems()
    check_references(item.refs, every, found, registries.broken)
    article = take_series_units(item.article, item.locations, registries.series, found)
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
    done = item if article is item.article else dataclasses.replace(item, article=article)
    return Resolution(item, done, tuple(found))


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
