"""The words a chart is written in, all supplied by the caller: no language lives in this package.

Dates and numbers come through the caller's formatters (Indonesian "12 Agu", "1.000"), statuses
and qualifiers through its tables, and the sentences through ``str.format`` templates whose fields
are named in :class:`MoveWords` and :class:`ChartWords`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from briefing.charts.points import Point, Range
from briefing.model import ClaimStatus, Qualifier

NBSP = "\u00a0"  # between a number and its unit, so "1.000 km²" never breaks


@dataclass(frozen=True, slots=True)
class MoveWords:
    """Sentences for a move between two points, one per direction.

    Fields: ``{series}``, ``{before}``, ``{before_date}``, ``{after}``, ``{after_date}``, ``{by}``
    (the difference with its unit) and ``{symbol}`` (▲, ▼ or =), e.g.
    ``"{series}: naik dari {before} ({before_date}) ke {after} ({after_date})"``.
    """

    up: str
    down: str
    same: str


@dataclass(frozen=True, slots=True)
class ChartWords:
    """Everything a chart writes.

    ``summary`` says what a chart shows when no move can be told (fields ``{series}``, ``{count}``,
    ``{first_date}``, ``{last_date}``, ``{sources}``); it is also the chart's ``<desc>``.
    ``empty`` (field ``{series}``) is for a series with no points. ``qualifiers`` are templates
    with one ``{}`` for the number ("sekitar {}"); a qualifier missing from it shows the bare number.
    """

    format_date: Callable[[date], str]
    format_number: Callable[[float], str]
    statuses: Mapping[ClaimStatus, str]
    unknown: str
    moves: MoveWords
    summary: str
    empty: str
    qualifiers: Mapping[Qualifier, str]

    def quantity(self, value: float, unit: str) -> str:
        """'1.000 km²', or '1.000' for a plain count."""
        number = self.format_number(value)
        return f"{number}{NBSP}{unit}" if unit else number

    def amount(self, point: Point, unit: str) -> str:
        """A point's value as a reader is told it: 'sekitar 1.000 km²', '900–1.200 km²', or 'unknown'."""
        if point.amount is None:
            return self.unknown
        if isinstance(point.amount, Range):
            numbers = f"{self.format_number(point.amount.low)}–{self.format_number(point.amount.high)}"
        else:
            numbers = self.format_number(point.amount.value)
        shown = f"{numbers}{NBSP}{unit}" if unit else numbers
        template = self.qualifiers.get(point.qualifier, "{}")
        return template.format(shown)

    def status(self, status: ClaimStatus) -> str:
        return self.statuses[status]
