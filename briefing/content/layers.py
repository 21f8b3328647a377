"""A curator's map layer: the GeoJSON file an entry of content/data/layers.yaml names, as shapes.

The file is read like every content file (it must really lie in content/, never a
link out of it) and is bounded in bytes and in points, so that a malformed or
oversized layer is an error at its path, never a crash or a build that crawls.
GeoJSON writes positions ``[longitude, latitude]``; the registry writes ``[latitude,
longitude]``: here is the one place that turns the first into the second.

Files are parsed with :mod:`json` (fast, and most layers are valid); only for a
message about a bad value is the text composed again as YAML, a superset of JSON,
to find the line it stands on.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from briefing.content.files import CONTENT_DIR, in_content, read_text
from briefing.content.schema import LayerEntry
from briefing.errors import Location, Problems
from briefing.geo.project import Box, LatLon
from briefing.geo.spec import Area, Line, Overlay, Shape, Spot
from briefing.model import MapLayer
from briefing.yamlio import FieldPath, format_path, parse_yaml

#: A layer's file at most: a front line at 1:1M needs a few hundred kilobytes.
MAX_LAYER_BYTES = 4 * 1024 * 1024
#: Points in one layer at most: more is detail no map at 1:1M–1:20M shows, drawn on every page.
MAX_LAYER_POINTS = 50_000
SUFFIXES = (".geojson", ".json")
SIMPLIFY_HINT = "simplify it (mapshaper's -simplify 10% keeps the shape), or split it into layers"

_GEOMETRIES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
               "GeometryCollection")


class _Fault(Exception):
    """A bad value in the file, at its JSON path; turned into a problem before it leaves this module."""

    def __init__(self, path: FieldPath, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.path, self.message, self.hint = path, message, hint


def file_problem(file: str) -> str:
    """What is wrong with a layer's ``file`` as written, or '' (a path inside content/, to GeoJSON)."""
    path = PurePosixPath(file)
    if "\\" in file or path.is_absolute() or ".." in path.parts:
        return "expected a path inside content/, like 'maps/klaim-kyiv.geojson', with / between folders"
    if path.parts and path.parts[0] in ("articles", "briefings"):
        return "a layer's file may not lie among the articles or the day files"
    if path.suffix.lower() not in SUFFIXES:
        return "expected a GeoJSON file, ending in .geojson or .json"
    return ""


def shown_path(file: str) -> str:
    return f"{CONTENT_DIR}/{PurePosixPath(file).as_posix()}"


def read_layer(root: Path, key: str, entry: LayerEntry, at: Location, problems: Problems) -> MapLayer | None:
    """The layer ``entry`` describes, its geometry read from its file; None after a problem.

    ``at`` is where the entry's ``file`` is written: a path that is no path in content/
    is reported there, a problem inside the file at the file."""
    text = _read(root, key, entry.file, at, problems)
    if text is None:
        return None
    shown = shown_path(entry.file)
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        problems.error(Location(shown, exc.lineno, exc.colno), "", f"not valid JSON: {exc.msg}",
                       "GeoJSON is JSON: check the brackets and commas there")
        return None
    except (RecursionError, ValueError) as exc:
        problems.error(Location(shown), "", f"not valid GeoJSON: {exc}")
        return None
    try:
        shapes = tuple(_shapes(data, ()))
        if not shapes:
            raise _Fault((), "holds no geometry", "a layer needs at least one Point, LineString or Polygon")
        points = [p for shape in shapes for p in _points(shape)]
        if len(points) > MAX_LAYER_POINTS:
            raise _Fault((), f"has {len(points):,} points, more than the {MAX_LAYER_POINTS:,} "
                             "a layer may have", SIMPLIFY_HINT)
    except _Fault as fault:
        problems.error(_locate(text, shown, fault.path), format_path(fault.path), fault.message, fault.hint)
        return None
    box = Box.around(points)
    assert box is not None  # a layer with shapes has points
    return MapLayer(key, entry.name, shown, entry.source, entry.as_of, entry.status,
                    Overlay(entry.status, shapes, entry.name), box, entry.description)


def _read(root: Path, key: str, file: str, at: Location, problems: Problems) -> str | None:
    """The text of a layer's file, or None after a problem: at ``at`` for a path that is
    wrong as written or names no file, at the file when it cannot be read."""
    wrong = file_problem(file)
    if wrong:
        problems.error(at, f"{key}.file", wrong)
        return None
    path = root / CONTENT_DIR / file
    if not path.exists():
        problems.error(at, f"{key}.file", f"no file {shown_path(file)}",
                       "put the GeoJSON file there, or correct the path (it is read from content/)")
        return None
    return read_text(path, shown_path(file), problems, limit=MAX_LAYER_BYTES, within=in_content(root))


def _no_constant(word: str) -> float:
    raise ValueError(f"{word} is not a number JSON allows")


def _locate(text: str, shown: str, path: FieldPath) -> Location:
    """Where the value at ``path`` stands in the file (its line and column), else the file."""
    doc, _ = parse_yaml(text, shown)
    return doc.location(path) if doc is not None else Location(shown)


def _shapes(data: Any, path: FieldPath) -> Iterator[Shape]:
    """The shapes of a FeatureCollection, a Feature or a bare geometry."""
    if not isinstance(data, dict):
        raise _Fault(path, "expected a GeoJSON object, like {\"type\": \"FeatureCollection\", ...}")
    kind = data.get("type")
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise _Fault((*path, "features"), "expected a list of features")
        for index, feature in enumerate(features):
            at = (*path, "features", index)
            if not isinstance(feature, dict) or feature.get("type") != "Feature":
                raise _Fault(at, "expected a Feature, like {\"type\": \"Feature\", \"geometry\": ...}")
            yield from _shapes(feature, at)
    elif kind == "Feature":
        if data.get("geometry") is not None:  # GeoJSON allows a feature with no geometry
            yield from _geometry(data["geometry"], (*path, "geometry"))
    else:
        yield from _geometry(data, path)


def _geometry(data: Any, path: FieldPath) -> Iterator[Shape]:
    if not isinstance(data, dict) or data.get("type") not in _GEOMETRIES:
        raise _Fault((*path, "type") if isinstance(data, dict) else path,
                     "expected a geometry of type " + ", ".join(_GEOMETRIES[:-1]) + " or GeometryCollection")
    kind = data["type"]
    if kind == "GeometryCollection":
        members = data.get("geometries")
        if not isinstance(members, list):
            raise _Fault((*path, "geometries"), "expected a list of geometries")
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


def _items(value: Any, path: FieldPath) -> Iterator[tuple[int, Any]]:
    if not isinstance(value, list):
        raise _Fault(path, "expected a list")
    return iter(enumerate(value))


def _polygon(value: Any, path: FieldPath) -> tuple[tuple[LatLon, ...], ...]:
    rings = tuple(_positions(ring, (*path, i), least=4) for i, ring in _items(value, path))
    if not rings:
        raise _Fault(path, "a polygon needs an outer ring")
    return rings


def _positions(value: Any, path: FieldPath, *, least: int) -> tuple[LatLon, ...]:
    found = tuple(_position(p, (*path, i)) for i, p in _items(value, path))
    if len(found) < least:
        raise _Fault(path, f"expected at least {least} positions, found {len(found)}",
                     "a polygon's ring repeats its first position at its end" if least == 4 else "")
    return found


def _position(value: Any, path: FieldPath) -> LatLon:
    if (not isinstance(value, list) or len(value) < 2
            or not all(isinstance(n, int | float) and not isinstance(n, bool) for n in value[:2])):
        raise _Fault(path, "expected a position [longitude, latitude]")
    lon, lat = float(value[0]), float(value[1])
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise _Fault(path, f"the position [{value[0]}, {value[1]}] is off the globe",
                     "GeoJSON writes [longitude, latitude], longitude first")
    return LatLon(lat, lon)


def _points(shape: Shape) -> Iterator[LatLon]:
    if isinstance(shape, Spot):
        yield shape.at
    elif isinstance(shape, Line):
        yield from shape.points
    else:
        yield from (p for polygon in shape.polygons for ring in polygon for p in ring)
