"""Which map a page, a PDF or an e-mail shows: the model's places and layers as map specs.

The one place that decides what a place's, an article's and a day's map holds, so the
site, the PDF and the e-mail agree, and the planner, which plans the shared pictures
(:class:`~briefing.units.maps.MapBases`), finds the same ones the pages refer to.

A map is two layers: the *base* (land, borders, shaded regions, curators' layers,
names of regions and countries, scale bar, inset), drawn once per frame and shared
by every page whose places lie in that frame, and the *markers* with their names,
drawn per page over it. Frames come from a fixed ladder (:func:`briefing.geo.spec.snapped`)
so that nearby places share a base: at 10,000 articles a drawing per page would cost
more than the rest of the build.

Everything here is pure: plain values in (places, layers, words), specs out.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from briefing.geo import data
from briefing.geo.project import Box, LatLon, Projection
from briefing.geo.spec import Emphasis, MapSpec, Marker, Offset, Overlay, Shade, frame_around, snapped
from briefing.model import MapLayer, Place

#: How the planner (from the model) and a page (through its reads) look a place or a layer up,
#: and find the layers a map's box shows.
PlaceOf = Callable[[str], Place]
LayerOf = Callable[[str], MapLayer]
LayersOver = Callable[[Box], tuple[str, ...]]

#: The size every map is drawn at, in CSS pixels (it scales down with the column).
WIDTH, HEIGHT = 480, 360
#: The most places one map marks (a day of 40 articles names the first 20 places).
MOST_PINS = 20


@dataclass(frozen=True, slots=True)
class Pin:
    """A place on a map, as the list beside the map names it."""

    place_id: str
    name: str
    at: LatLon
    number: int | None = None
    emphasis: Emphasis = Emphasis.FOCUS
    offset: Offset | None = None  # the curator's placement of its name (the registry's label)


@dataclass(frozen=True, slots=True)
class BaseKey:
    """What a base picture shows, as the text its output is keyed by: its frame, its shaded
    regions and its layers (the language comes from the config)."""

    frame: Box
    shades: tuple[Shade, ...]
    layers: tuple[str, ...]

    def encode(self) -> str:
        f = self.frame
        return json.dumps({"frame": [f.south, f.west, f.north, f.east],
                           "shades": [[s.code, s.emphasis.value] for s in self.shades],
                           "layers": list(self.layers)}, separators=(",", ":"))

    @classmethod
    def decode(cls, text: str) -> BaseKey:
        raw = json.loads(text)
        return cls(Box(*raw["frame"]), tuple(Shade(c, Emphasis(e)) for c, e in raw["shades"]),
                   tuple(raw["layers"]))

    @property
    def path(self) -> str:
        """The picture's site path: named by what it shows, so two pages that show the same
        frame share one file the browser caches."""
        return f"maps/{hashlib.sha256(self.encode().encode()).hexdigest()[:20]}.svg"


@dataclass(frozen=True, slots=True)
class MapPlan:
    """One map: its shared base, the markers over it, and what it shows in words' terms."""

    base: BaseKey
    pins: tuple[Pin, ...]

    def spec(self, layer_of: LayerOf, *, title: str, description: str, language: str,
             id_prefix: str = "map", base_title: str = "") -> MapSpec:
        """The full spec (base and markers): what the PDF and the e-mail draw in one piece."""
        return MapSpec(frame=self.base.frame, title=title, description=description, id_prefix=id_prefix,
                       width=WIDTH, height=HEIGHT, language=language, shades=self.base.shades,
                       markers=tuple(_marker(p) for p in self.pins),
                       overlays=tuple(overlay(layer_of(i)) for i in self.base.layers))


def base_spec(key: BaseKey, layer_of: LayerOf, *, title: str, language: str) -> MapSpec:
    """The spec of a shared base picture (no markers): it is decorative where it is shown, the
    markers laid over it carry the map's title and description."""
    return MapSpec(frame=key.frame, title=title, description=title, id_prefix="b", width=WIDTH,
                   height=HEIGHT, language=language, shades=key.shades,
                   overlays=tuple(overlay(layer_of(i)) for i in key.layers))


def overlay(layer: MapLayer) -> Overlay:
    return Overlay(layer.overlay.status, layer.overlay.shapes, layer.name)


def _marker(pin: Pin) -> Marker:
    return Marker(pin.at, pin.name, pin.number, pin.emphasis, pin.offset)


def locate(place: Place) -> LatLon | None:
    """Where a place's marker goes: its coordinates, else its region's label point; None for a
    place the map cannot show (a river, a country without coordinates)."""
    if place.coordinates is not None:
        return LatLon.from_registry(place.coordinates)
    if place.iso_3166_2:
        region = data.region(place.iso_3166_2)
        if region is not None:
            return region.label
    return None


def seen(frame: Box) -> Box:
    """What a map of ``frame`` shows: the frame widened to the map's shape."""
    return Projection.fit(frame, WIDTH, HEIGHT).visible()


def layers_over(box: Box, layers: Mapping[str, MapLayer]) -> tuple[str, ...]:
    """The ids of the layers whose geometry reaches into ``box``, in layers.yaml's order."""
    return tuple(i for i, layer in layers.items() if layer.box.intersects(box))


def _plan(pins: Sequence[Pin], shades: Sequence[Shade], layers: LayersOver) -> MapPlan | None:
    frame = frame_around([p.at for p in pins], [s.code for s in shades])
    if frame is None:
        return None
    frame = snapped(frame)
    return MapPlan(BaseKey(frame, tuple(shades), layers(seen(frame))), tuple(pins))


def place_map(place_id: str, places: PlaceOf, within: Iterable[str], layers: LayersOver) -> MapPlan | None:
    """A place's map: its region shaded when it is one, else a marker; the places within it as
    hollow markers; None when the place cannot be located."""
    place = places(place_id)
    shades: list[Shade] = []
    pins: list[Pin] = []
    if place.iso_3166_2 and data.region(place.iso_3166_2) is not None:
        shades.append(Shade(place.iso_3166_2, Emphasis.FOCUS))
    else:
        at = locate(place)
        if at is None:
            return None
        pins.append(Pin(place_id, place.name, at, offset=place.label))
        region = _region_around(place, places)
        if region is not None:
            shades.append(Shade(region, Emphasis.CONTEXT))
    for other in within:
        inner = places(other)
        at = locate(inner)
        if at is not None and len(pins) < MOST_PINS and not inner.iso_3166_2:
            pins.append(Pin(other, inner.name, at, emphasis=Emphasis.CONTEXT, offset=inner.label))
    return _plan(pins, shades, layers)


def enclosing(place: Place, places: PlaceOf) -> Iterable[str]:
    """The ids of the places a place lies within, nearest first (the registry's ``within``
    chain, checked for cycles when it was loaded; stopped at one here all the same)."""
    visited: set[str] = set()
    current = place.within
    while current is not None and current not in visited:
        visited.add(current)
        yield current
        current = places(current).within


def _region_around(place: Place, places: PlaceOf) -> str | None:
    """The code of the nearest enclosing place that is a region, to shade around a town."""
    for current in enclosing(place, places):
        code = places(current).iso_3166_2
        if code and data.region(code) is not None:
            return code
    return None


def article_map(place_ids: Sequence[str], places: PlaceOf, layers: LayersOver) -> MapPlan | None:
    """An article's places on one map, its first place emphasised; None when none can be located."""
    pins: list[Pin] = []
    for place_id in place_ids:
        place = places(place_id)
        at = locate(place)
        if at is not None and len(pins) < MOST_PINS:
            emphasis = Emphasis.FOCUS if not pins else Emphasis.RELATED
            pins.append(Pin(place_id, place.name, at, emphasis=emphasis, offset=place.label))
    return _plan(pins, (), layers) if pins else None


def day_pins(first_places: Sequence[str | None], places: PlaceOf) -> tuple[Pin, ...]:
    """A day's places, numbered in reading order by the first article that is about each:
    ``first_places`` holds each article's first place that can be located (or None)."""
    pins: dict[str, Pin] = {}
    for place_id in first_places:
        if place_id is None or place_id in pins or len(pins) >= MOST_PINS:
            continue
        place = places(place_id)
        at = locate(place)
        if at is not None:
            pins[place_id] = Pin(place_id, place.name, at, number=len(pins) + 1, offset=place.label)
    return tuple(pins.values())


def first_located(place_ids: Sequence[str], places: PlaceOf) -> str | None:
    """An article's first place the map can show: where the day's map puts the article."""
    return next((i for i in place_ids if locate(places(i)) is not None), None)


def day_map(pins: Sequence[Pin], layers: LayersOver) -> MapPlan | None:
    """The day's map: numbered markers that match the list of its places and articles."""
    return _plan(pins, (), layers) if pins else None


def osm_link(at: LatLon, zoom: int = 10) -> str:
    """OpenStreetMap at a point: a plain link, nothing is requested until a reader follows it."""
    lat, lon = f"{at.lat:.4f}", f"{at.lon:.4f}"
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map={zoom}/{lat}/{lon}"
