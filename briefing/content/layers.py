"""A curator's map layer: the GeoJSON file an entry of content/data/layers.yaml names, as shapes.

The file is read like every content file (it must really lie in content/, never a
link out of it) and is bounded in bytes and in points, so that a malformed or
oversized layer is an error at its path, never a crash or a build that crawls.
A file may lie anywhere in content/ but among the articles and the day files; under
content/data/ it is not published, elsewhere it is published as it is, like an image.

Files are parsed with :mod:`json` (fast, and most layers are valid); only for a
message about a bad value is the text composed again as YAML, a superset of JSON,
to find the line it stands on.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

from briefing.content.files import CONTENT_DIR, in_content, read_text
from briefing.content.schema import LayerEntry
from briefing.errors import Location, Problems
from briefing.geo import geojson
from briefing.geo.geojson import GeoJsonError
from briefing.geo.project import Box
from briefing.geo.spec import Overlay, Shape
from briefing.model import MapLayer
from briefing.yamlio import FieldPath, format_path, parse_yaml

#: A layer's file at most: a front line at 1:1M needs a few hundred kilobytes.
MAX_LAYER_BYTES = 4 * 1024 * 1024
#: Points in one layer at most: more is detail no map at 1:1M–1:20M shows, drawn on every page.
MAX_LAYER_POINTS = 50_000
SUFFIXES = (".geojson", ".json")
SIMPLIFY_HINT = "simplify it (mapshaper's -simplify 10% keeps the shape), or split it into layers"


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
    found = _shapes(data, text, shown, problems)
    if found is None:
        return None
    shapes, box = found
    return MapLayer(key, entry.name, shown, entry.source, entry.as_of, entry.status,
                    Overlay(entry.status, shapes, entry.name), box, entry.description)


def _shapes(data: object, text: str, shown: str, problems: Problems) -> tuple[tuple[Shape, ...], Box] | None:
    """The shapes of a parsed file and the box around them, or None after a problem."""
    try:
        shapes = geojson.shapes(data)
    except GeoJsonError as fault:
        problems.error(_locate(text, shown, fault.path), format_path(fault.path), fault.message, fault.hint)
        return None
    points = [p for shape in shapes for p in geojson.points(shape)]
    box = Box.around(points)
    if box is None:
        problems.error(Location(shown), "", "holds no geometry",
                       "a layer needs at least one Point, LineString or Polygon")
        return None
    if len(points) > MAX_LAYER_POINTS:
        problems.error(Location(shown), "", f"has {len(points):,} points, more than the "
                       f"{MAX_LAYER_POINTS:,} a layer may have", SIMPLIFY_HINT)
        return None
    return shapes, box


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
