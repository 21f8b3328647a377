"""Axes: round value ticks in steps of 1, 2 or 5 times a power of ten, and date ticks a reader can name.

Ticks are computed as whole multiples of an exact step (``k * m / 10**e`` rather than a sum of
floats), so 0.3 is 0.3 and the same data gives the same ticks on every machine.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

MANTISSAS = (1, 2, 5)
DAY_STEPS = (1, 2, 3, 7, 14)  # then months: 1, 2, 3, 6; then years
MONTH_STEPS = (1, 2, 3, 6)


@dataclass(frozen=True, slots=True)
class ValueAxis:
    """The y axis: from ``low`` to ``high``, with ``ticks`` (``low`` and ``high`` among them)."""

    low: float
    high: float
    ticks: tuple[float, ...]


def _step(span: float, most: int) -> tuple[int, int]:
    """The smallest 1-2-5 step (mantissa, exponent) that covers ``span`` in at most ``most`` intervals."""
    exponent = math.floor(math.log10(span / most)) if span > 0 else 0
    while True:
        for mantissa in MANTISSAS:
            if mantissa * 10.0**exponent * most >= span:
                return mantissa, exponent
        exponent += 1


def _multiple(k: int, mantissa: int, exponent: int) -> float:
    whole: int = k * mantissa
    return float(whole * 10**exponent) if exponent >= 0 else whole / 10 ** -exponent


def zero_in_reason(values: Sequence[float]) -> bool:
    """Whether the axis starts at zero: all values are counts (≥ 0) and zero does not flatten them.

    Zero is in reason when the values spread over at least a twentieth of the lowest (1.000 to 1.150
    is drawn from zero, 99.000 to 99.500 is not: from zero that change would not be seen at all).
    """
    if not values or min(values) < 0:
        return False
    low, high = min(values), max(values)
    return high == low or low <= 20 * (high - low)


def value_axis(values: Sequence[float], *, most: int = 6) -> ValueAxis:
    """Round ticks around ``values``: at most ``most`` intervals, from zero when :func:`zero_in_reason`."""
    if not values:
        return ValueAxis(0.0, 1.0, (0.0, 1.0))
    low, high = min(values), max(values)
    if zero_in_reason(values):
        low = 0.0
    if high == low:  # one value, not zero: room around it; zero itself: room above it
        pad = abs(high) / 2
        low, high = (low - pad, high + pad) if pad else (0.0, 1.0)
    mantissa, exponent = _step(high - low, most)
    unit = _multiple(1, mantissa, exponent)
    first, last = math.floor(low / unit + 1e-9), math.ceil(high / unit - 1e-9)
    while last - first > most:  # the rounding outwards can add one interval: take the next step
        mantissa, exponent = _step((last - first) * unit, most - 1) if most > 1 else (mantissa, exponent + 1)
        unit = _multiple(1, mantissa, exponent)
        first, last = math.floor(low / unit + 1e-9), math.ceil(high / unit - 1e-9)
    ticks = tuple(_multiple(k, mantissa, exponent) + 0.0 for k in range(first, last + 1))
    return ValueAxis(ticks[0], ticks[-1], ticks)


@dataclass(frozen=True, slots=True)
class DayAxis:
    """The x axis: from ``first`` to ``last`` (inclusive), with the days that carry a label."""

    first: date
    last: date
    ticks: tuple[date, ...]

    @property
    def days(self) -> int:
        return (self.last - self.first).days


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _month_ticks(first: date, last: date, step: int) -> list[date]:
    start = date(first.year, first.month, 1)
    if start < first:
        start = _add_months(start, 1)
    while (start.month - 1) % step:
        start = _add_months(start, 1)
    out = []
    while start <= last:
        out.append(start)
        start = _add_months(start, step)
    return out


def day_axis(days: Sequence[date], *, most: int = 7) -> DayAxis:
    """Labelled days between the first and last, at most ``most`` of them.

    Up to two weeks apart they are counted from the first day (12, 14, 16 Agu); further apart they
    are the first of a month, or of January every few years. A single day gets a day each side.
    """
    first, last = min(days), max(days)
    if first == last:
        first, last = first - timedelta(days=1), last + timedelta(days=1)
    span = (last - first).days
    for step in DAY_STEPS:
        if span // step + 1 <= most:
            return DayAxis(first, last, tuple(first + timedelta(days=k * step)
                                              for k in range(span // step + 1)))
    for step in MONTH_STEPS:
        ticks = _month_ticks(first, last, step)
        if len(ticks) <= most:
            return DayAxis(first, last, tuple(ticks) or (first,))
    years = 1
    while True:
        ticks = [date(year, 1, 1) for year in range(first.year + int((first.month, first.day) > (1, 1)),
                                                    last.year + 1) if year % years == 0]
        if len(ticks) <= most:
            return DayAxis(first, last, tuple(ticks) or (first,))
        years = {1: 2, 2: 5}.get(years, years * 2)
