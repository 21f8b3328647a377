"""Thinning a projected line to what a screen can show: Douglas–Peucker in pixels.

The shipped data keeps detail for 1:1M; a map of all of Ukraine at 640 px
needs a tenth of it. Arcs are thinned once each, ends kept, so the two
regions on either side of a border still meet exactly.
"""

from __future__ import annotations

from collections.abc import Sequence

from briefing.geo.clip import XY


def thin(points: Sequence[XY], tolerance: float) -> list[XY]:
    """The points that stay within ``tolerance`` pixels of the line; the first and last are kept."""
    count = len(points)
    if count <= 2:
        return list(points)
    keep = [False] * count
    keep[0] = keep[-1] = True
    tol2 = tolerance * tolerance
    stack = [(0, count - 1)]
    while stack:
        first, last = stack.pop()
        ax, ay = points[first]
        dx, dy = points[last][0] - ax, points[last][1] - ay
        length2 = dx * dx + dy * dy
        best, index = -1.0, -1
        for i in range(first + 1, last):
            px, py = points[i][0] - ax, points[i][1] - ay
            if length2 == 0.0:
                d2 = px * px + py * py
            else:
                t = (px * dx + py * dy) / length2
                t = 0.0 if t < 0.0 else 1.0 if t > 1.0 else t
                ex, ey = px - t * dx, py - t * dy
                d2 = ex * ex + ey * ey
            if d2 > best:
                best, index = d2, i
        if best > tol2:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep, strict=True) if k]
