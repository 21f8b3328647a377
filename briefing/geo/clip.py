"""Cutting projected shapes to a map's rectangle, so the SVG carries only what can be seen.

Both functions work in pixels. The drawer clips to a rectangle a few pixels
larger than the canvas: the edges that Sutherland–Hodgman adds along the
rectangle (and the zero-width "bridges" it leaves between two parts of a
concave polygon) then fall outside the picture, where nobody sees them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from briefing.frozen import Value

XY = tuple[float, float]  # a pixel position: x to the right, y downwards


@dataclass(frozen=True, slots=True)
class Rect(Value):
    left: float
    top: float
    right: float
    bottom: float

    def contains(self, point: XY) -> bool:
        return self.left <= point[0] <= self.right and self.top <= point[1] <= self.bottom

    def overlaps(self, other: Rect) -> bool:
        return not (other.left >= self.right or other.right <= self.left
                    or other.top >= self.bottom or other.bottom <= self.top)

    def encloses(self, other: Rect) -> bool:
        return (self.left <= other.left and other.right <= self.right
                and self.top <= other.top and other.bottom <= self.bottom)

    def grown(self, by: float) -> Rect:
        return Rect(self.left - by, self.top - by, self.right + by, self.bottom + by)


def bounds(points: Sequence[XY]) -> Rect:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return Rect(min(xs), min(ys), max(xs), max(ys))


def clip_polygon(ring: Sequence[XY], rect: Rect) -> list[XY]:
    """Sutherland–Hodgman: the part of a closed ring inside ``rect`` (empty if none).

    The ring may repeat its first point at the end or not; the result does not.
    """
    points = list(ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else ring)
    if not points:
        return []
    box = bounds(points)
    if rect.encloses(box):
        return points
    if not rect.overlaps(box):
        return []
    edges: list[tuple[Callable[[XY], bool], Callable[[XY, XY], XY]]] = [
        (lambda p: p[0] >= rect.left, lambda a, b: _at_x(a, b, rect.left)),
        (lambda p: p[0] <= rect.right, lambda a, b: _at_x(a, b, rect.right)),
        (lambda p: p[1] >= rect.top, lambda a, b: _at_y(a, b, rect.top)),
        (lambda p: p[1] <= rect.bottom, lambda a, b: _at_y(a, b, rect.bottom)),
    ]
    for keep, cross in edges:
        if not points:
            break
        out: list[XY] = []
        previous = points[-1]
        previous_in = keep(previous)
        for point in points:
            point_in = keep(point)
            if point_in:
                if not previous_in:
                    out.append(cross(previous, point))
                out.append(point)
            elif previous_in:
                out.append(cross(previous, point))
            previous, previous_in = point, point_in
        points = out
    return points if len(points) >= 3 else []


def _at_x(a: XY, b: XY, x: float) -> XY:
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _at_y(a: XY, b: XY, y: float) -> XY:
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def clip_polyline(line: Sequence[XY], rect: Rect) -> list[list[XY]]:
    """The pieces of an open line inside ``rect`` (Liang–Barsky on each segment), in order."""
    if not line:
        return []
    box = bounds(line)
    if rect.encloses(box):
        return [list(line)]
    pieces: list[list[XY]] = []
    current: list[XY] = []
    for a, b in pairwise(line):
        segment = _clip_segment(a, b, rect)
        if segment is None:
            if current:
                pieces.append(current)
                current = []
            continue
        start, end = segment
        if current and current[-1] == start:
            current.append(end)
        else:
            if current:
                pieces.append(current)
            current = [start, end]
        if end != b:  # left the rectangle
            pieces.append(current)
            current = []
    if current:
        pieces.append(current)
    return pieces


def _clip_segment(a: XY, b: XY, rect: Rect) -> tuple[XY, XY] | None:
    dx, dy = b[0] - a[0], b[1] - a[1]
    low, high = 0.0, 1.0
    limits = ((-dx, a[0] - rect.left), (dx, rect.right - a[0]),
              (-dy, a[1] - rect.top), (dy, rect.bottom - a[1]))
    for p, q in limits:
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return None
    start = a if low == 0.0 else (a[0] + low * dx, a[1] + low * dy)
    end = b if high == 1.0 else (a[0] + high * dx, a[1] + high * dy)
    return start, end
