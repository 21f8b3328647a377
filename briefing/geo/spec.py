"""What a map shows: a frozen description that :func:`briefing.geo.draw.draw_map` turns into SVG.

A spec holds only values (codes, points, words the caller already translated),
so the same spec always gives the same bytes, and a spec can be part of a
build's plan and fingerprint like any other input.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from briefing.frozen import Value
from briefing.geo import data
from briefing.geo.project import KM_PER_DEGREE, Box, LatLon, wrap_longitude


class Emphasis(StrEnum):
    """How strongly a shaded region or a marker stands out; told apart by more than colour."""

    FOCUS = "focus"  # what the map is about: darkest shade, outlined, bold label
    RELATED = "related"  # involved: a lighter shade
    CONTEXT = "context"  # named for orientation: the lightest shade, hollow markers


class OverlayStatus(StrEnum):
    """How far a curator's layer is verified (ISW's legends keep these apart), drawn by pattern and dash."""

    CONFIRMED = "confirmed"  # solid fill, solid outline
    CORROBORATED = "corroborated"  # dense hatching, solid outline
    ASSESSED = "assessed"  # hatching, solid outline
    CLAIMED = "claimed"  # sparse hatching the other way, dashed outline
    DISPUTED = "disputed"  # cross-hatching, dotted outline


Anchor = Literal["start", "middle", "end"]
Corner = Literal["top-left", "top-right", "bottom-left", "bottom-right"]


@dataclass(frozen=True, slots=True)
class Offset(Value):
    """A curator's placement of one label: moved by ``dx, dy`` pixels, aligned at ``anchor``.

    A label with an offset is placed exactly there, before any automatic one, and never skipped.
    """

    dx: float = 0.0
    dy: float = 0.0
    anchor: Anchor = "middle"


@dataclass(frozen=True, slots=True)
class Shade(Value):
    """A region to fill, by ISO 3166-2 code."""

    code: str
    emphasis: Emphasis = Emphasis.FOCUS


@dataclass(frozen=True, slots=True)
class Marker(Value):
    """A place on the map: a dot, an optional number in it (keyed to a list) and a name beside it."""

    at: LatLon
    label: str = ""
    number: int | None = None
    emphasis: Emphasis = Emphasis.FOCUS
    offset: Offset | None = None


@dataclass(frozen=True, slots=True)
class Area(Value):
    """Polygons: each an outer ring and its holes, rings as points."""

    polygons: tuple[tuple[tuple[LatLon, ...], ...], ...]


@dataclass(frozen=True, slots=True)
class Line(Value):
    points: tuple[LatLon, ...]


@dataclass(frozen=True, slots=True)
class Spot(Value):
    at: LatLon


Shape = Area | Line | Spot


@dataclass(frozen=True, slots=True)
class Overlay(Value):
    """A curator's layer (an advance, a claimed line of control) with how far it is verified.

    ``label`` is the legend's words for it, in the map's language ("Klaim Rusia").
    """

    status: OverlayStatus
    shapes: tuple[Shape, ...]
    label: str = ""


@dataclass(frozen=True, slots=True)
class MapSpec(Value):
    """Everything a map shows. Texts are in the map's language already; names come from the data.

    ``title`` and ``description`` become the SVG's ``<title>`` and ``<desc>`` (what a screen
    reader says); ``id_prefix`` keeps the ids of two maps on one page apart. Region and
    country labels are in ``language``, else English. ``offsets`` move automatic labels,
    by region code or country code.
    """

    frame: Box
    title: str
    description: str
    id_prefix: str
    width: int = 480
    height: int = 360
    language: str = "en"
    shades: tuple[Shade, ...] = ()
    markers: tuple[Marker, ...] = ()
    overlays: tuple[Overlay, ...] = ()
    label_regions: tuple[str, ...] = ()  # more regions to name, besides the shaded ones
    label_neighbours: bool = True  # name other regions in view where there is room
    label_countries: bool = True
    offsets: tuple[tuple[str, Offset], ...] = ()
    scale_bar: bool = True
    inset: Corner | None = "top-right"
    credit: str = "Natural Earth"


def frame_around(
    points: Iterable[LatLon] = (),
    regions: Iterable[str] = (),
    *,
    padding: float = 0.12,
    min_km: float = 150.0,
) -> Box | None:
    """The frame that shows ``points`` and the regions with these codes, with room around them.

    ``padding`` is a fraction of the extent added on each side; ``min_km`` the least extent
    each way, so one village does not fill the map. None when there is nothing to show
    (no points and no known region): the caller draws no map rather than a broken one.
    Unknown codes are left out here; :func:`briefing.geo.data.suggest_region` helps report them.
    """
    boxes = [Box(p.lat, p.lon, p.lat, p.lon) for p in points]
    for code in regions:
        found = data.region(code)
        if found is not None:
            boxes.append(found.box)
    around = Box.union(boxes)
    return around.padded(padding, min_km) if around is not None else None


def overlay_from_geojson(geojson: Mapping[str, Any], status: OverlayStatus, label: str = "") -> Overlay:
    """An overlay from parsed GeoJSON (a FeatureCollection, a Feature or a geometry); a value that
    is not GeoJSON raises :class:`briefing.geo.geojson.GeoJsonError` (a ValueError)."""
    from briefing.geo.geojson import shapes  # it builds this module's shapes

    return Overlay(status, shapes(geojson), label)


def snapped(box: Box, *, least_km: float = 150.0) -> Box:
    """The frame of a fixed ladder that holds ``box``: spans of ``least_km`` × 2ⁿ, centres on a
    grid a quarter of the span apart, so that maps of nearby places share one frame (and one
    drawing of their base, :func:`briefing.geo.draw.draw_base`) instead of each its own."""
    centre = box.centre
    need = max(box.lat_span, box.lon_span * max(math.cos(math.radians(centre.lat)), 0.05)) * KM_PER_DEGREE
    level = max(0, math.ceil(math.log2(max(need, 1.0) / least_km)))
    while True:
        lat_span = least_km * 2.0 ** level / KM_PER_DEGREE
        step = lat_span / 4
        lat = min(max(round(centre.lat / step) * step, -80.0 + lat_span / 2), 80.0 - lat_span / 2)
        lon_span = min(lat_span / max(math.cos(math.radians(lat)), 0.05), 359.0)
        lon = round(centre.lon / step) * step
        frame = Box(lat - lat_span / 2, wrap_longitude(lon - lon_span / 2), lat + lat_span / 2,
                    wrap_longitude(lon + lon_span / 2))
        corners = (LatLon(box.south, box.west), LatLon(box.north, box.east))
        if all(frame.contains(c) for c in corners) or lat_span >= 150.0:
            return frame
        level += 1
