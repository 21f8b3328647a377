"""The chart's data as rows, for the table a page shows beside it (and screen readers read).

The rows follow :func:`~briefing.charts.points.chart_order`, the order the chart is drawn in, and
carry the same words as the chart's tooltips, so the two cannot tell a point differently.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from briefing.charts.points import Point, Series, chart_order
from briefing.charts.words import ChartWords
from briefing.model import ClaimStatus


@dataclass(frozen=True, slots=True)
class Row:
    """One point as the table shows it; ``day``, ``status`` and ``target`` are for the caller's markup."""

    day: date
    date_text: str
    value_text: str
    status: ClaimStatus
    status_text: str
    source: str
    target: str


def table_rows(series: Series, points: Iterable[Point], words: ChartWords) -> list[Row]:
    """A row per point, in chart order: '12 Agu', 'sekitar 1.000 km²', 'diklaim', 'ANTARA'."""
    return [Row(p.day, words.format_date(p.day), words.amount(p, series.unit), p.status,
                words.status(p.status), p.source, p.target) for p in chart_order(points)]
