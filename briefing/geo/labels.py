"""Where names go on a map: places inside an area, and a first-come rule against overlaps.

Text is measured by estimate (no font is read at build time): an average
advance of 0.58 em for most scripts and 1 em for wide East Asian characters,
which errs on the wide side for the sans-serif fonts that Chromium and
WeasyPrint pick. Labels are placed in order of importance; one that would
overlap a placed label, a marker, the inset or the scale bar is tried at its
other candidate positions and skipped when none is free. A label the curator
placed by hand (an :class:`~briefing.geo.spec.Offset`) is never moved or skipped.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from briefing.frozen import Value
from briefing.geo.clip import XY, Rect
from briefing.geo.spec import Anchor

ASCENT = 0.78  # of the font size, above the baseline
DESCENT = 0.26
PAD = 1.5  # pixels kept free around a label


def text_width(text: str, size: float) -> float:
    em = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.58 for c in text)
    return em * size


def text_box(text: str, x: float, y: float, anchor: Anchor, size: float) -> Rect:
    """The rectangle a label covers; ``y`` is its baseline."""
    width = text_width(text, size)
    left = x - {"start": 0.0, "middle": width / 2, "end": width}[anchor]
    return Rect(left - PAD, y - ASCENT * size - PAD, left + width + PAD, y + DESCENT * size + PAD)


@dataclass(frozen=True, slots=True)
class Placed(Value):
    text: str
    x: float
    y: float  # baseline
    anchor: Anchor
    size: float
    css: str  # the class of the label's text


class Placer:
    """Labels placed so far on one map, and the rectangles they must keep clear of."""

    def __init__(self, canvas: Rect, obstacles: Sequence[Rect] = ()) -> None:
        self.canvas = canvas.grown(-2.0)
        self.taken: list[Rect] = list(obstacles)
        self.placed: list[Placed] = []

    def block(self, rect: Rect) -> None:
        self.taken.append(rect)

    def place(self, text: str, candidates: Sequence[tuple[float, float, Anchor]], size: float, css: str,
              *, force: bool = False) -> Placed | None:
        """The first candidate (x, baseline y, anchor) where the label fits, or None."""
        if not text or not candidates:
            return None
        for x, y, anchor in candidates:
            box = text_box(text, x, y, anchor, size)
            if force or (self.canvas.encloses(box) and not any(box.overlaps(t) for t in self.taken)):
                self.taken.append(box)
                label = Placed(text, x, y, anchor, size, css)
                self.placed.append(label)
                return label
        return None


def interior_points(rings: Sequence[Sequence[XY]], levels: int = 9) -> list[tuple[XY, float]]:
    """Points well inside an area (even-odd over its rings) with the width of room there, widest first.

    A horizontal line at each of ``levels`` heights crosses the area; the middle of its widest
    inside stretch is a candidate. Cheap, deterministic, and good enough for a name.
    """
    ys = [p[1] for ring in rings for p in ring]
    if not ys:
        return []
    top, bottom = min(ys), max(ys)
    found: list[tuple[XY, float]] = []
    for k in range(levels):
        y = top + (bottom - top) * (k + 1) / (levels + 1)
        crossings: list[float] = []
        for ring in rings:
            for (ax, ay), (bx, by) in zip(ring, [*ring[1:], ring[0]], strict=True):
                if (ay > y) != (by > y):
                    crossings.append(ax + (y - ay) * (bx - ax) / (by - ay))
        crossings.sort()
        best = max(
            ((crossings[i + 1] - crossings[i], crossings[i]) for i in range(0, len(crossings) - 1, 2)),
            default=None,
        )
        if best is not None:
            width, left = best
            # Nearer the middle height is better at equal width: a name sits in the body of a shape.
            middle = abs(k - (levels - 1) / 2) / levels
            found.append(((left + width / 2, y), width * (1.0 - 0.3 * middle)))
    found.sort(key=lambda f: (-f[1], f[0][1], f[0][0]))
    return found
