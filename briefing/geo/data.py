"""The base geography that ships with briefing: every first-level region and country of the world.

``scripts/make-geodata`` makes the files in ``data/`` from Natural Earth (public
domain; see ``data/SOURCES.md``). Borders are the internationally recognised
ones: a region's country is the prefix of its ISO 3166-2 code, so Crimea
(``UA-43``) and Sevastopol (``UA-40``) are Ukraine, and the country outlines
(from visionscarto's Natural Earth 1:50m) draw Crimea in Ukraine too.

A layer is read once per process, on first use, and kept: it is immutable
data, about 0.1 s to read for all 4,500 regions. Each region's polygons are
decoded only when asked for. The arcs of a layer are shared stretches of
border (see the script): :class:`Layer` gives them to the drawer, which tells
a coastline from a border by who owns an arc.
"""

from __future__ import annotations

import gzip
import json
import sys
import unicodedata
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import accumulate, pairwise
from typing import Any

from briefing.errors import did_you_mean
from briefing.frozen import Value
from briefing.geo.project import Box, LatLon, wrap_longitude

Ring = tuple[LatLon, ...]  # closed: the last point is the first
Polygon = tuple[Ring, ...]  # the outer ring, then its holes
ArcRef = int  # an arc's number, or ~number for the arc walked backwards (as in TopoJSON)


@dataclass(frozen=True, slots=True)
class Feature(Value):
    """A region or country as the layer holds it: its polygons are arc references."""

    code: str
    country: str  # ISO 3166-1 alpha-2
    kind: str
    names: tuple[tuple[str, str], ...]  # (language, name), sorted; "en" always there
    label: LatLon | None
    box: Box
    polygons: tuple[tuple[tuple[ArcRef, ...], ...], ...]

    def name(self, language: str) -> str:
        """The name in ``language`` (``id``, ``en``, ``uk``, ``ru``, ...), else the English one."""
        names = dict(self.names)
        return names.get(language) or names.get("en") or self.code


@dataclass(frozen=True, slots=True)
class Region(Value):
    """A first-level region (oblast, province, state) by its ISO 3166-2 code."""

    code: str  # e.g. "RU-KRS"; Natural Earth's own codes for the few without one end in "~"
    country: str  # ISO 3166-1 alpha-2, the prefix of the code
    kind: str  # Natural Earth's English type: "Region", "Oblast", "Autonomous Republic", ...
    names: tuple[tuple[str, str], ...]
    label: LatLon  # where Natural Earth puts the region's label
    box: Box
    polygons: tuple[Polygon, ...]

    def name(self, language: str) -> str:
        """The name in ``language``, else the English one."""
        names = dict(self.names)
        return names.get(language) or names.get("en") or self.code

    def contains(self, point: LatLon) -> bool:
        return self.box.contains(point) and inside(point, self.polygons)


@dataclass(frozen=True, slots=True)
class Country(Value):
    """A country or territory by its ISO 3166-1 alpha-2 code, with its 1:50m outline."""

    code: str
    names: tuple[tuple[str, str], ...]
    box: Box
    polygons: tuple[Polygon, ...]

    def name(self, language: str) -> str:
        names = dict(self.names)
        return names.get(language) or names.get("en") or self.code

    def contains(self, point: LatLon) -> bool:
        return self.box.contains(point) and inside(point, self.polygons)


class Layer:
    """One shipped layer: its features by code and its arcs, decoded on demand and kept."""

    def __init__(self, header: dict[str, Any], numbers: array[int]) -> None:
        unit = float(header["unit"])
        self.unit = unit
        self._numbers = numbers
        counts: list[int] = header["arcs"]
        self._starts = [0, *accumulate(2 * n for n in counts)]
        self._arcs: dict[int, tuple[tuple[float, float], ...]] = {}
        self.features: tuple[Feature, ...] = tuple(_feature(raw, unit) for raw in header["features"])
        self.index = {feature.code: number for number, feature in enumerate(self.features)}
        self._owners: list[tuple[int, ...]] | None = None

    def arc_lonlat(self, ref: ArcRef) -> tuple[tuple[float, float], ...]:
        """The points of an arc as ``(lon, lat)`` pairs (drawing order), reversed for ``~n``."""
        number = ref if ref >= 0 else ~ref
        points = self._arcs.get(number)
        if points is None:
            start, end = self._starts[number], self._starts[number + 1]
            unit = self.unit
            lons = accumulate(self._numbers[start:end:2])
            lats = accumulate(self._numbers[start + 1 : end : 2])
            points = tuple((x * unit, y * unit) for x, y in zip(lons, lats, strict=True))
            self._arcs[number] = points
        return points if ref >= 0 else points[::-1]

    def ring_lonlat(self, refs: tuple[ArcRef, ...]) -> list[tuple[float, float]]:
        """A ring's points as ``(lon, lat)`` pairs, its arcs joined end to start."""
        points: list[tuple[float, float]] = []
        for ref in refs:
            arc = self.arc_lonlat(ref)
            points.extend(arc[1:] if points else arc)
        return points

    def polygons(self, feature: Feature) -> tuple[Polygon, ...]:
        return tuple(
            tuple(tuple(LatLon(lat, lon) for lon, lat in self.ring_lonlat(ring)) for ring in polygon)
            for polygon in feature.polygons
        )

    def owners(self, number: int) -> tuple[int, ...]:
        """The features whose rings use arc ``number``, in feature order: one for a coastline."""
        if self._owners is None:
            owners: list[list[int]] = [[] for _ in range(len(self._starts) - 1)]
            for index, feature in enumerate(self.features):
                for polygon in feature.polygons:
                    for ring in polygon:
                        for ref in ring:
                            owners[ref if ref >= 0 else ~ref].append(index)
            self._owners = [tuple(o) for o in owners]
        return self._owners[number]

    def in_box(self, box: Box) -> Iterator[int]:
        """The numbers of the features whose bounding boxes meet ``box``, in code order."""
        return (n for n, feature in enumerate(self.features) if feature.box.intersects(box))


def _feature(raw: dict[str, Any], unit: float) -> Feature:
    south, west, north, east = (v * unit for v in raw["bbox"])
    label = raw.get("label")
    return Feature(
        code=raw["code"],
        country=raw["country"],
        kind=raw.get("kind", ""),
        names=tuple(sorted(raw["names"].items())),
        label=LatLon(label[0] * unit, label[1] * unit) if label else None,
        box=Box(south, west, north, east),
        polygons=tuple(tuple(tuple(ring) for ring in polygon) for polygon in raw["polygons"]),
    )


@cache
def layer(name: str) -> Layer:
    """The shipped layer ``regions`` or ``countries``, read on first use and kept for the process."""
    folder = resources.files("briefing.geo") / "data"
    header = json.loads(gzip.decompress((folder / f"{name}.json.gz").read_bytes()))
    numbers = array("i")
    numbers.frombytes(gzip.decompress((folder / f"{name}.arcs.gz").read_bytes()))
    if sys.byteorder != "little":
        numbers.byteswap()
    return Layer(header, numbers)


def inside(point: LatLon, polygons: tuple[Polygon, ...]) -> bool:
    """Even-odd rule over every ring: inside an outer ring and not in one of its holes.

    Longitudes are taken relative to the point and each edge the short way round, so rings
    that cross the 180° meridian (Russia's outline, Fiji) count right.
    """
    y = point.lat
    crossings = 0
    for polygon in polygons:
        for ring in polygon:
            for a, b in pairwise(ring):
                if (a.lat > y) != (b.lat > y):
                    ax = wrap_longitude(a.lon - point.lon)
                    bx = ax + wrap_longitude(b.lon - a.lon)
                    if ax + (y - a.lat) * (bx - ax) / (b.lat - a.lat) > 0.0:
                        crossings += 1
    return crossings % 2 == 1


# --- regions ------------------------------------------------------------------------------------


@cache
def region(code: str) -> Region | None:
    """The region with ISO 3166-2 code ``code`` (``RU-KRS``, ``UA-43``), or None."""
    regions = layer("regions")
    number = regions.index.get(code)
    if number is None:
        return None
    feature = regions.features[number]
    assert feature.label is not None
    return Region(feature.code, feature.country, feature.kind, feature.names, feature.label,
                  feature.box, regions.polygons(feature))


def region_codes() -> tuple[str, ...]:
    """Every region code, sorted: the choices for a "did you mean"."""
    return tuple(feature.code for feature in layer("regions").features)


def regions_of(country: str) -> tuple[Region, ...]:
    """The regions of a country by its ISO 3166-1 alpha-2 code (Crimea among Ukraine's), by code."""
    found = (region(f.code) for f in layer("regions").features if f.country == country)
    return tuple(r for r in found if r is not None)


def find_region(point: LatLon) -> Region | None:
    """The region that contains ``point``, or None at sea (or in the few metres a border moved)."""
    regions = layer("regions")
    for number in regions.in_box(Box(point.lat, point.lon, point.lat, point.lon)):
        found = region(regions.features[number].code)
        if found is not None and found.contains(point):
            return found
    return None


def suggest_region(code: str) -> str:
    """A hint naming known region codes close to an unknown one, or ''. A code made from the
    start of a region's name (``RU-KUR``, ``RU-BELG``) finds that region (``RU-KRS``, Kursk)."""
    code = code.upper()
    country_code, _, rest = code.partition("-")
    if len(rest) >= 3:
        named = [(f.code, f.name("en")) for f in layer("regions").features
                 if f.country == country_code and _letters(f.name("en")).startswith(rest)]
        if named:
            return "did you mean " + " or ".join(f"'{c}' ({name})" for c, name in named[:3]) + "?"
    return did_you_mean(code, region_codes())


def _letters(name: str) -> str:
    """A name as the capital ASCII letters a code is made of: 'Kyïv' -> 'KYIV'."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.upper() if c.isalpha())


# --- countries ----------------------------------------------------------------------------------


@cache
def country(code: str) -> Country | None:
    """The country with ISO 3166-1 alpha-2 code ``code`` (``UA``), or None."""
    countries_layer = layer("countries")
    number = countries_layer.index.get(code)
    if number is None:
        return None
    feature = countries_layer.features[number]
    return Country(feature.code, feature.names, feature.box, countries_layer.polygons(feature))


def countries() -> tuple[Country, ...]:
    """Every country and territory, by code."""
    found = (country(f.code) for f in layer("countries").features)
    return tuple(c for c in found if c is not None)


def country_codes() -> tuple[str, ...]:
    return tuple(feature.code for feature in layer("countries").features)


def country_name(code: str, language: str) -> str:
    """A country's name in ``language``, else in English, else its code."""
    countries_layer = layer("countries")
    number = countries_layer.index.get(code)
    return countries_layer.features[number].name(language) if number is not None else code


def find_country(point: LatLon) -> Country | None:
    """The country whose 1:50m outline contains ``point``, or None."""
    countries_layer = layer("countries")
    for number in countries_layer.in_box(Box(point.lat, point.lon, point.lat, point.lon)):
        found = country(countries_layer.features[number].code)
        if found is not None and found.contains(point):
            return found
    return None
