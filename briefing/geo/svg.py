"""Writing SVG text: numbers with one fixed format, compact path data, escaped text.

Every number goes through :func:`num`, with one decimal at most, so the same
map is the same bytes on every machine. Path data is relative (``l``) in
tenths of a pixel: each step is the difference of two already rounded
positions, so rounding never drifts along a long coastline.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise
from xml.sax.saxutils import escape, quoteattr

from briefing.geo.clip import XY


def num(value: float) -> str:
    """``value`` rounded to a tenth, without a trailing ``.0`` or a leading ``0`` (``.5``, ``-12.3``)."""
    return _tenths(round(value * 10))


def _tenths(tenths: int) -> str:
    sign = "-" if tenths < 0 else ""
    whole, fraction = divmod(abs(tenths), 10)
    if not fraction:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{fraction}" if whole else f"{sign}.{fraction}"


def _join(numbers: Iterable[int]) -> str:
    out: list[str] = []
    for n in numbers:
        text = _tenths(n)
        if out and not text.startswith("-"):
            out.append(" ")
        out.append(text)
    return "".join(out)


def path_data(lines: Iterable[Sequence[XY]], *, closed: bool, whole: bool = False) -> str:
    """The ``d`` of a path through each line (each closed with ``z`` if ``closed``).

    Positions are in tenths of a pixel, or in whole pixels with ``whole`` (for small drawings
    such as the inset, where a tenth is not seen and costs a digit per number).
    """
    parts: list[str] = []
    unit = 10 if whole else 1
    for line in lines:
        steps: list[tuple[int, int]] = []
        for x, y in line:
            point = (round(x / unit * 10) * unit, round(y / unit * 10) * unit)
            if not steps or steps[-1] != point:
                steps.append(point)
        if closed and len(steps) > 1 and steps[0] == steps[-1]:
            steps.pop()
        if len(steps) < (3 if closed else 2):
            continue
        (x0, y0) = steps[0]
        deltas: list[int] = []
        for (ax, ay), (bx, by) in pairwise(steps):
            deltas += [bx - ax, by - ay]
        parts.append(f"M{_join((x0, y0))}l{_join(deltas)}{'z' if closed else ''}")
    return "".join(parts)


def text(value: str) -> str:
    """Character data for an element's content."""
    return escape(value)


def attr(value: str) -> str:
    """An attribute value with its quotes."""
    return quoteattr(value)
