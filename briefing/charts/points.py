"""What a chart draws: a series and its points, as frozen values the caller builds from the model.

A point's amount is a :class:`Number`, a :class:`Range` or None (unknown, never zero).
Points are put in one chart order by :func:`chart_order`, which the SVG, its takeaway and
the data table all follow, so the table reads in the order the chart is drawn.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from briefing.frozen import Value
from briefing.model import ClaimStatus, Qualifier


@dataclass(frozen=True, slots=True)
class Series(Value):
    """A number followed across days; every point is in ``unit`` (empty: a plain count)."""

    name: str
    unit: str = ""


@dataclass(frozen=True, slots=True)
class Number(Value):
    """One value."""

    value: float

    def __post_init__(self) -> None:
        if not math.isfinite(self.value):
            raise ValueError(f"a chart's value must be a finite number, not {self.value}")


@dataclass(frozen=True, slots=True)
class Range(Value):
    """A value known to lie between two, drawn as a bar from one to the other."""

    low: float
    high: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.low) and math.isfinite(self.high)):
            raise ValueError(f"a range's ends must be finite numbers, not {self.low} and {self.high}")
        if self.low > self.high:
            raise ValueError(f"a range's low end {self.low} is above its high end {self.high}")


Amount = Number | Range | None  # None: unknown, drawn as a gap


@dataclass(frozen=True, slots=True)
class Point(Value):
    """One source's figure on one day, with the curators' rating; ``target`` is its label or link id."""

    day: date
    amount: Amount
    status: ClaimStatus
    source: str
    target: str
    qualifier: Qualifier = Qualifier.EXACT

    @property
    def middle(self) -> float | None:
        """Where the point's marker sits: its value, a range's middle, None when unknown."""
        if isinstance(self.amount, Number):
            return self.amount.value
        if isinstance(self.amount, Range):
            return (self.amount.low + self.amount.high) / 2
        return None


STRENGTH = {status: rank for rank, status in enumerate(ClaimStatus)}  # confirmed first


def chart_order(points: Iterable[Point]) -> list[Point]:
    """Points by day; within a day by value (unknown last), then rating, source and target.

    Every field takes part, so the order never depends on the order the caller found them in.
    """

    def key(point: Point) -> tuple[date, bool, float, float, int, str, str, str]:
        low = high = 0.0
        if isinstance(point.amount, Number):
            low = high = point.amount.value
        elif isinstance(point.amount, Range):
            low, high = point.amount.low, point.amount.high
        return (point.day, point.amount is None, (low + high) / 2, high - low, STRENGTH[point.status],
                point.source, point.target, point.qualifier.value)

    return sorted(points, key=key)


def values(points: Iterable[Point]) -> list[float]:
    """Every value the y axis must show: single values and both ends of ranges."""
    out: list[float] = []
    for point in points:
        if isinstance(point.amount, Number):
            out.append(point.amount.value)
        elif isinstance(point.amount, Range):
            out += [point.amount.low, point.amount.high]
    return out
