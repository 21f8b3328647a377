"""What one article adds to the series and threads: its points.

A series page, a thread page and the articles after it in a series read each
article's figures in series and claims in threads as one key (``points:ID``),
not as its whole metadata: a title edit then leaves the series' pages, and the
articles later in the series, as they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from briefing import urls
from briefing.frozen import Value
from briefing.model import Article, Claim, ClaimStatus, Figure


@dataclass(frozen=True, slots=True)
class FigurePoint(Value):
    """A figure in a series, with the curators' rating of the claim it rests on (None: none)."""

    figure: Figure
    status: ClaimStatus | None


@dataclass(frozen=True, slots=True)
class Points(Value):
    """An article's figures in series and claims in threads, with where and when it stands."""

    article_id: str
    path: str  # the article's page
    day: date  # its briefing: a point's date
    published: datetime  # its time: the order of a thread's claims
    outlet: str  # source id
    figures: tuple[FigurePoint, ...]
    claims: tuple[Claim, ...]


def points_of(article: Article) -> Points:
    """The points ``article`` gives its series and threads (none for most articles)."""
    claims = {c.id: c for c in article.claims}
    figures = tuple(FigurePoint(f, claims[f.claim].status if f.claim in claims else None)
                    for f in article.figures if f.series)
    return Points(article.id, urls.article_path(article), article.day, article.published,
                  article.source.outlet, figures, tuple(c for c in article.claims if c.thread))
