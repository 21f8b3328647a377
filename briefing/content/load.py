"""Read a whole briefing folder into a :class:`Site`, collecting every problem."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

from briefing.config import Config, load_config
from briefing.content.articles import ArticleFiles, LoadedArticle, discover_articles
from briefing.content.cache import LoadCache, Stamp, stamp_of
from briefing.content.days import assemble_days, check_curations, load_curations, reading_order
from briefing.content.media import list_media
from briefing.content.reading import read_many
from briefing.content.references import check_references, find_by_name
from briefing.content.registries import Registries, load_registries
from briefing.errors import Problem, Problems
from briefing.model import Article, Site


def load_site(root: Path, *, drafts: bool = False, now: datetime | None = None,
              config: Config | None = None, cache: LoadCache | None = None,
              workers: int = 1) -> tuple[Site | None, Problems]:
    """The briefing at ``root`` and every problem found in it.

    The site is None when there is an error; warnings alone still give a site.
    ``now`` decides which dates lie in the future (default: the clock). With a
    ``cache``, articles whose files did not change are not read again; with
    ``workers``, many articles to read are read on that many cores.
    """
    problems = Problems()
    if config is None:
        config = load_config(root, problems)
    if config is None:
        return None, problems
    registries = load_registries(root, problems)
    loaded = _read_articles(root, config, cache or LoadCache(), problems, workers)
    media = list_media(root)
    check_references(registries.refs, registries.entries, problems, registries.broken)
    loaded = _resolve(loaded, registries, problems)
    _check_images(loaded, frozenset(media), problems)
    _check_urls(loaded, problems)
    _check_dates(loaded, now or datetime.now(config.tz), problems)
    articles = {item.article.id: item.article for item in loaded}
    curations = load_curations(root, config, problems)
    check_curations(curations, articles, problems)

    published = {i: a for i, a in articles.items() if drafts or not a.draft}
    days = assemble_days(published, curations, problems)
    if problems.errors:
        return None, problems
    ordered = {i: published[i] for day in days.values() for i in day.article_ids}
    e = registries.entries
    site = Site(config, ordered, days, e["sources"], e["places"], e["actors"],  # type: ignore[arg-type]
                e["topics"], media)  # type: ignore[arg-type]
    return site, problems


def _read_articles(root: Path, config: Config, cache: LoadCache, problems: Problems,
                   workers: int) -> list[LoadedArticle]:
    every = discover_articles(root, problems)
    cache.begin(config.model_dump_json())
    results: dict[str, tuple[LoadedArticle | None, tuple[Problem, ...]]] = {}
    missing: list[tuple[ArticleFiles, Stamp | None]] = []
    for files in every:
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


def _resolve(loaded: list[LoadedArticle], registries: Registries,
             problems: Problems) -> list[LoadedArticle]:
    """Check each article's references and fill 'based_on' from a raw text's header."""
    sources = registries.entries["sources"]
    resolved: list[LoadedArticle] = []
    for item in loaded:
        check_references(item.refs, registries.entries, problems, registries.broken)
        article = item.article
        if item.based_on_text:
            found = find_by_name(item.based_on_text, sources)
            if found is None:
                problems.warning(
                    item.locations["source"], "source.based_on",
                    f"the text's header names '{item.based_on_text}' as its source, "
                    "which no entry in content/data/sources.yaml matches",
                    "add that outlet to sources.yaml (with alt_names), or set source.based_on",
                )
            elif found != article.source.outlet:
                article = dataclasses.replace(
                    article, source=dataclasses.replace(article.source, based_on=found))
        resolved.append(dataclasses.replace(item, article=article))
    return resolved


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
