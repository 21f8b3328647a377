"""Figures in series, claims in threads: what only the article and the data file together tell.

A figure names its series and a claim its thread by id, checked like every other
reference (:mod:`briefing.content.references`). Here: a figure's unit against
its series' unit (an error, never a silent conversion), the series' unit for a
figure that gave none (in the model, so that every page shows it), and a warning
at the entry of a series or thread that no published article uses.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

from briefing.content.registries import Registries
from briefing.errors import Location, Problems
from briefing.model import Article, FollowedKind, Series


def take_series_units(article: Article, locations: Mapping[str, Location], series: Mapping[str, Series],
                      problems: Problems) -> Article:
    """The article with each figure in a series in its series' unit.

    A figure without a unit takes the series' unit; a figure with another unit is an
    error at its unit, naming both (``locations`` holds where each such unit is written).
    """
    figures = list(article.figures)
    for index, figure in enumerate(article.figures):
        entry = series.get(figure.series) if figure.series else None
        if entry is None or not entry.unit:  # an unknown id is reported as a reference
            continue
        if not figure.unit:
            figures[index] = dataclasses.replace(figure, unit=entry.unit)
        elif figure.unit != entry.unit:
            problems.error(
                locations[f"figures[{index}].unit"], f"figures[{index}].unit",
                f"the unit '{figure.unit}' is not the unit of its series '{entry.id}', '{entry.unit}': "
                "a series compares its points as they are, never converted",
                f"give the number in {entry.unit} (or leave unit out to take it), or take the figure "
                "out of the series",
            )
    if figures == list(article.figures):
        return article
    return dataclasses.replace(article, figures=tuple(figures))


def check_used(published: Iterable[Article], unpublished: Iterable[Article], registries: Registries,
               problems: Problems) -> None:
    """A warning at each series and thread that no published article names (its page
    would be empty); the unpublished articles (drafts) only change the words."""
    if not registries.series and not registries.threads:
        return
    shown, drafts = list(published), list(unpublished)
    _warn_unused("series", registries.series, _in_series(shown), _in_series(drafts), registries, problems)
    _warn_unused("threads", registries.threads, _in_threads(shown), _in_threads(drafts), registries, problems)


def _warn_unused(kind: FollowedKind, entries: Iterable[str], used: set[str], drafted: set[str],
                 registries: Registries, problems: Problems) -> None:
    item, field = ("figure", "series") if kind == "series" else ("claim", "thread")
    for key in entries:
        if key in used:
            continue
        what = "only drafts have" if key in drafted else "no published article has"
        problems.warning(registries.locations[(kind, key)], key,
                         f"{what} a {item} in this {field}: it follows nothing yet",
                         f"add {field}: {key} to an article's {item}, or remove the entry")


def _in_series(articles: list[Article]) -> set[str]:
    return {f.series for a in articles for f in a.figures if f.series}


def _in_threads(articles: list[Article]) -> set[str]:
    return {c.thread for a in articles for c in a.claims if c.thread}
