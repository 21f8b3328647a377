"""GeoJSON as map shapes: the one reader of GeoJSON positions, which are ``[longitude, latitude]``.

Every value is checked on the way (types, lengths, positions on the globe), and the
first wrong one raises :class:`GeoJsonError` with its path in the document, so that
the caller can say where it stands (content.layers turns it into a located problem).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from briefing.geo.project import LatLon
from briefing.geo.spec import Area, Line, Shape, Spot

Path = tuple[str | int, ...]  # keys and indexes from the document's root

_GEOMETRIES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
               "GeometryCollection")


class GeoJsonError(ValueError):
    """A value that is not GeoJSON, at ``path``, with what to do about it."""

    def __init__(self, path: Path, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.path, self.message, self.hint = path, message, hint


def shapes(data: Any) -> tuple[Shape, ...]:
    """The shapes of a parsed FeatureCollection, Feature or bare geometry, in document order."""
    return tuple(_shapes(data, ()))


def points(shape: Shape) -> Iterator[LatLon]:
    """Every position of a shape, holes included."""
    if isinstance(shape, Spot):
        yield shape.at
    elif isinstance(shape, Line):
        yield from shape.points
    else:
        yield from (p for polygon in shape.polygons for ring in polygon for p in ring)


def _shapes(data: Any, path: Path) -> Iterator[Shape]:
    """The shapes of a FeatureCollection, a Feature or a bare geometry."""
    if not isinstance(data, dict):
        raise GeoJsonError(path, "expected a GeoJSON object, like {\"type\": \"FeatureCollection\", ...}")
    kind = data.get("type")
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise GeoJsonError((*path, "features"), "expected a list of features")
        for index, feature in enumerate(features):
            at = (*path, "features", index)
            if not isinstance(feature, dict) or feature.get("type") != "Feature":
                raise GeoJsonError(at, "expected a Feature, like {\"type\": \"Feature\", \"geometry\": ...}")
            yield from _shapes(feature, at)
    elif kind == "Feature":
        if data.get("geometry") is not None:  # GeoJSON allows a feature with no geometry
            yield from _geometry(data["geometry"], (*path, "geometry"))
    else:
        yield from _geometry(data, path)


def _geometry(data: Any, path: Path) -> Iterator[Shape]:
    if not isinstance(data, dict) or data.get("type") not in _GEOMETRIES:
        raise GeoJsonError((*path, "type") if isinstance(data, dict) else path,
                     "expected a geometry of type " + ", ".join(_GEOMETRIES[:-1]) + " or GeometryCollection")
    kind = data["type"]
    if kind == "GeometryCollection":
        members = data.get("geometries")
        if not isinstance(members, list):
            raise GeoJsonError((*path, "geometries"), "expected a list of geometries")
        for index, member in enumerate(members):
            yield from _geometry(member, (*path, "geometries", index))
        return
    at = (*path, "coordinates")
    coordinates = data.get("coordinates")
    if kind == "Point":
        yield Spot(_position(coordinates, at))
    elif kind == "MultiPoint":
        yield from (Spot(p) for p in _positions(coordinates, at, least=1))
    elif kind == "LineString":
        yield Line(_positions(coordinates, at, least=2))
    elif kind == "MultiLineString":
        yield from (Line(_positions(line, (*at, i), least=2)) for i, line in _items(coordinates, at))
    elif kind == "Polygon":
        yield Area((_polygon(coordinates, at),))
    else:
        yield Area(tuple(_polygon(polygon, (*at, i)) for i, polygon in _items(coordinates, at)))


def _items(value: Any, path: Path) -> Iterator[tuple[int, Any]]:
    if not isinstance(value, list):
        raise GeoJsonError(path, "expected a list")
    return iter(enumerate(value))


def _polygon(value: Any, path: Path) -> tuple[tuple[LatLon, ...], ...]:
    rings = tuple(_positions(ring, (*path, i), least=4) for i, ring in _items(value, path))
    if not rings:
        raise GeoJsonError(path, "a polygon needs an outer ring")
    return rings


def _positions(value: Any, path: Path, *, least: int) -> tuple[LatLon, ...]:
    found = tuple(_position(p, (*path, i)) for i, p in _items(value, path))
    if len(found) < least:
        raise GeoJsonError(path, f"expected at least {least} positions, found {len(found)}",
                     "a polygon's ring repeats its first position at its end" if least == 4 else "")
    return found


def _position(value: Any, path: Path) -> LatLon:
    if (not isinstance(value, list) or len(value) < 2
            or not all(isinstance(n, int | float) and not isinstance(n, bool) for n in value[:2])):
        raise GeoJsonError(path, "expected a position [longitude, latitude]")
    lon, lat = float(value[0]), float(value[1])
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise GeoJsonError(path, f"the position [{value[0]}, {value[1]}] is off the globe",
                           "GeoJSON writes [longitude, latitude], longitude first")
    return LatLon.from_geojson(value)
