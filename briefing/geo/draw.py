"""A map as one self-contained SVG string, drawn from a :class:`~briefing.geo.spec.MapSpec`.

Pure: the same spec gives the same bytes (no clock, no randomness, every
collection walked in a fixed order, every number formatted by
:func:`briefing.geo.svg.num`). The SVG refers to nothing outside itself: no
``href``, no font, no ``foreignObject``; patterns are referred to by
``url(#id)`` within the map, and ids start with the spec's prefix.

What it draws, bottom to top: sea, land, shaded regions, the curator's
overlays, region borders, coastlines, country borders, markers, labels, the
scale bar, a legend of the overlays, the locator inset and the credit.

Made for both renderers we ship to. Colours are CSS classes in a ``<style>``
with a ``prefers-color-scheme: dark`` block, which browsers apply and
WeasyPrint (print, no colour scheme) leaves aside. WeasyPrint ignores
``paint-order``, so a label's halo is its own stroked ``<text>`` drawn
underneath. Statuses of overlays differ by pattern and dash, not only colour.
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from briefing.geo import data
from briefing.geo.clip import XY, Rect, clip_polygon, clip_polyline
from briefing.geo.labels import Placed, Placer, interior_points, text_box, text_width
from briefing.geo.project import Box, LatLon, Projection, wrap_longitude
from briefing.geo.spec import (
    Anchor,
    Area,
    Corner,
    Emphasis,
    Line,
    MapSpec,
    Marker,
    Offset,
    OverlayStatus,
    Spot,
)
from briefing.geo.svg import num, path_data, text
from briefing.geo.thin import thin

THIN_PX = 1.0  # arcs keep the points that matter at this distance, in pixels
CLIP_MARGIN = 3.0  # shapes are cut this far outside the canvas, where the cut does not show
LABEL_SIZES = {"country": 12.5, "focus": 12.5, "related": 11.5, "context": 11.0, "neighbour": 10.0,
               "marker": 11.0, "scale": 9.5, "legend": 9.5, "credit": 8.0}
MARKER_RADIUS = {Emphasis.FOCUS: 4.5, Emphasis.RELATED: 3.8, Emphasis.CONTEXT: 3.2}
NUMBER_RADIUS = 7.5

STYLE = """\
.bm{font-family:"DejaVu Sans","Noto Sans",Arial,sans-serif}\
.bm-sea{fill:#dbe7f1}.bm-land{fill:#f6f3ec}\
.bm-focus{fill:#e0703f}.bm-related{fill:#f2b48e}.bm-context{fill:#f8dcc8}\
.bm-rb,.bm-cb,.bm-coast,.bm-fl,.bm-ib,.bm-scale,.bm-o,.bm-ol,.bm-hatch{fill:none;stroke-linejoin:round;stroke-linecap:round}\
.bm-rb{stroke:#a9a296;stroke-width:.6}\
.bm-coast{stroke:#7f9db6;stroke-width:.8}\
.bm-cb{stroke:#4d4840;stroke-width:1.4;stroke-dasharray:6 2 1.5 2}\
.bm-fl{stroke:#8c2f12;stroke-width:1.6}\
.bm-o{stroke:#8f1d2c;stroke-width:1.4}.bm-ol{stroke:#8f1d2c;stroke-width:2.2}\
.bm-hatch{stroke:#8f1d2c;stroke-width:1.1}.bm-solid{fill:#8f1d2c;fill-opacity:.35}\
.bm-claimed{stroke-dasharray:5 3}.bm-disputed{stroke-dasharray:1.2 2.6}\
.bm-m{fill:#1f1d1a;stroke:#fff;stroke-width:1.2}.bm-m-context{fill:#fff;stroke:#1f1d1a;stroke-width:1.4}\
.bm-n{fill:#fff;font-size:9.5px;font-weight:700}\
.bm-h{fill:none;stroke:#fff;stroke-width:3;stroke-linejoin:round;stroke-opacity:.9}\
.bm-t{fill:#1f1d1a}\
.bm-country{font-size:12.5px;fill:#6b655c;font-weight:700}.bm-t.bm-country{fill:#6b655c}\
.bm-lfocus{font-size:12.5px;font-weight:700}.bm-lrelated{font-size:11.5px;font-weight:700}\
.bm-lcontext{font-size:11px}.bm-lneighbour{font-size:10px;font-style:italic}\
.bm-t.bm-lneighbour{fill:#5e584f}.bm-lmarker{font-size:11px}\
.bm-lscale,.bm-llegend{font-size:9.5px}.bm-lcredit{font-size:8px}.bm-t.bm-lcredit{fill:#5e584f}\
.bm-scale{stroke:#1f1d1a;stroke-width:1.2}\
.bm-box{fill:#fff;fill-opacity:.85;stroke:#8a857c;stroke-width:.6}\
.bm-isea{fill:#dbe7f1}.bm-iland{fill:#f6f3ec}.bm-ib{stroke:#8a857c;stroke-width:.5}\
.bm-iframe{fill:none;stroke:#c0281b;stroke-width:1.5}.bm-iedge,.bm-edge{fill:none;stroke:#8a857c;stroke-width:1}\
@media (prefers-color-scheme:dark){\
.bm-sea,.bm-isea{fill:#17222d}.bm-land,.bm-iland{fill:#2a2b2d}\
.bm-focus{fill:#b4532c}.bm-related{fill:#7a4631}.bm-context{fill:#4c3a30}\
.bm-rb{stroke:#6c675f}.bm-coast{stroke:#4f6e88}.bm-cb{stroke:#d6d0c4}.bm-fl{stroke:#f2a27c}\
.bm-o,.bm-ol,.bm-hatch{stroke:#ff8a8a}.bm-solid{fill:#ff8a8a}\
.bm-m{fill:#f3efe7;stroke:#111}.bm-m-context{fill:#111;stroke:#f3efe7}.bm-n{fill:#111}\
.bm-h{stroke:#111}.bm-t{fill:#eeeae2}.bm-country,.bm-t.bm-country{fill:#b9b2a6}\
.bm-t.bm-lneighbour,.bm-t.bm-lcredit{fill:#b0a99d}.bm-scale{stroke:#eeeae2}\
.bm-box{fill:#111;stroke:#77726a}.bm-ib{stroke:#77726a}.bm-iframe{stroke:#ff6b5b}\
.bm-iedge,.bm-edge{stroke:#77726a}}"""

PATTERNS = {  # a 6 px tile each; diagonals drawn past the tile's corners so the tiles join
    OverlayStatus.CORROBORATED: (4, "M-1 1l2-2M0 4l4-4M3 5l2-2"),
    OverlayStatus.ASSESSED: (6, "M-1 1l2-2M0 6l6-6M5 7l2-2"),
    OverlayStatus.CLAIMED: (8, "M-1 7l2 2M0 0l8 8M7-1l2 2"),
    OverlayStatus.DISPUTED: (8, "M0 8l8-8M0 0l8 8"),
}


def _unwrapped(points: Sequence[XY]) -> list[XY]:
    """``(lon, lat)`` pairs whose longitudes run on across the 180° meridian (179, 181, ...), so that
    thinning never takes a step across it for a chord across the globe."""
    if not points:
        return []
    lon, lat = points[0]
    found = [(lon, lat)]
    for next_lon, next_lat in points[1:]:
        lon += wrap_longitude(next_lon - found[-1][0])
        found.append((lon, next_lat))
    return found


#: Arcs thinned in degrees, by (layer, tolerance's power of two, band of latitude); layers live as
#: long as the process.
_THINNED: dict[tuple[int, int, int], dict[int, list[XY]]] = {}


class _Arcs:
    """One layer's arcs projected and thinned for one canvas, each once."""

    def __init__(self, layer: data.Layer, projection: Projection, tolerance: float) -> None:
        self.layer = layer
        self.projection = projection
        self.tolerance = tolerance
        self._px: dict[int, list[XY]] = {}

    def px(self, ref: int) -> list[XY]:
        number = ref if ref >= 0 else ~ref
        points = self._px.get(number)
        if points is None:
            points = self.projection.lonlat_path_to_px(self._thinned(number))
            self._px[number] = points
        return points if ref >= 0 else points[::-1]

    def _thinned(self, number: int) -> list[XY]:
        """An arc thinned in degrees, once per process for every map of about this scale and latitude.

        Longitudes are shortened by the cosine of the map's 5° band of latitude, as the canvas
        shortens them by its own; the tolerance is rounded to a power of two. Maps of one rung
        of the frame ladder and one band share their arcs, each thinned once instead of once
        a map (it was most of a map's cost).
        """
        degrees = self.tolerance / self.projection.px_per_degree
        band = round(self.projection.centre.lat / 5.0)
        key = (id(self.layer), round(math.log2(degrees)), band)
        arcs = _THINNED.setdefault(key, {})
        points = arcs.get(number)
        if points is None:
            shrink = max(math.cos(math.radians(band * 5.0)), 0.05)
            lonlat = _unwrapped(self.layer.arc_lonlat(number))
            scaled = [(lon * shrink, lat) for lon, lat in lonlat]
            index = {id(p): i for i, p in enumerate(scaled)}
            points = arcs[number] = [lonlat[index[id(p)]] for p in thin(scaled, 2.0 ** key[1])]
        return points

    def ring(self, refs: Sequence[int]) -> list[XY]:
        """A ring's pixels; an arc that lands a globe's width away from the last one is moved back.

        Arcs are projected one by one, each kept whole across the 180° meridian; the arcs of a ring
        that goes round the meridian (Russia, Alaska) could land 360° apart without this.
        """
        world = 360.0 * self.projection.cos_lat * self.projection.px_per_degree
        points: list[XY] = []
        for ref in refs:
            arc = self.px(ref)
            if points:
                shift = round((points[-1][0] - arc[0][0]) / world) * world
                if shift:
                    arc = [(x + shift, y) for x, y in arc]
                points.extend(arc[1:])
            else:
                points.extend(arc)
        if points:
            middle = (min(x for x, _ in points) + max(x for x, _ in points)) / 2 - self.projection.width / 2
            shift = -round(middle / world) * world
            if shift:
                points = [(x + shift, y) for x, y in points]
        return points

    def merged(self, features: Iterable[int]) -> list[list[XY]]:
        """The outlines of the union of ``features``: arcs between two of them are left out.

        The remaining arcs are chained end to start into rings; with the even-odd rule the
        fill is the same however rings that touch at a point are chained.
        """
        uses: dict[int, list[int]] = defaultdict(list)
        order: list[int] = []
        for index in features:
            for polygon in self.layer.features[index].polygons:
                for ring in polygon:
                    for ref in ring:
                        number = ref if ref >= 0 else ~ref
                        if number not in uses:
                            order.append(number)
                        uses[number].append(ref)
        kept = [uses[n][0] for n in order if len(uses[n]) == 1]
        starts: dict[tuple[float, float], list[int]] = defaultdict(list)
        for ref in kept:
            starts[self.layer.arc_lonlat(ref)[0]].append(ref)
        done: set[int] = set()
        rings: list[list[XY]] = []
        for first in kept:
            if first in done:
                continue
            chain = [first]
            done.add(first)
            head = self.layer.arc_lonlat(first)[0]
            tail = self.layer.arc_lonlat(first)[-1]
            while tail != head:
                following = next((r for r in starts[tail] if r not in done), None)
                if following is None:
                    break
                chain.append(following)
                done.add(following)
                tail = self.layer.arc_lonlat(following)[-1]
            rings.append(self.ring(chain))
        return rings


def _clipped(rings: Iterable[Sequence[XY]], rect: Rect) -> list[list[XY]]:
    out = []
    for ring in rings:
        piece = clip_polygon(ring, rect)
        if piece:
            out.append(piece)
    return out


def _ring_area(ring: Sequence[XY]) -> float:
    closing = zip(ring, [*ring[1:], ring[0]], strict=True)
    return abs(sum(ax * by - bx * ay for (ax, ay), (bx, by) in closing)) / 2


def _length(line: Sequence[XY]) -> float:
    return sum(math.dist(a, b) for a, b in pairwise(line))


Located = tuple[Marker, float, float, float]  # a marker on the canvas: x, y and its radius, in pixels


@dataclass(frozen=True, slots=True)
class _Frame:
    """What every layer of one map is drawn against: its projection, canvas and the regions in view."""

    projection: Projection
    canvas: Rect
    cut: Rect  # the canvas and a margin: shapes are clipped to it
    regions: data.Layer
    arcs: _Arcs
    in_view: list[int]


@dataclass(frozen=True, slots=True)
class _Corners:
    """The blocks in the corners (inset, scale bar, legend) and the credit, which labels keep clear of."""

    svg: list[str]
    labels: list[Placed]  # the scale bar's, the legend's and the credit, in that order
    obstacles: list[Rect]


@dataclass(frozen=True, slots=True)
class Base:
    """A map without its markers: the picture many pages share, and the boxes its labels and
    corner blocks take, which the markers' names laid over it keep clear of."""

    svg: str
    width: int
    height: int
    taken: tuple[Rect, ...]


def _ground(spec: MapSpec, frame: _Frame) -> list[str]:
    """Everything under the names: land, shaded regions, layers' fills, borders, outlines, layers' lines."""
    shade_rings = _shade_rings(spec, frame)
    out = [*_head(spec), *_patterns(spec), *_base(spec, frame), *_shades(shade_rings)]
    out.extend(_overlay_fills(spec, frame.projection, frame.cut))
    out.extend(_borders(frame.regions, frame.arcs, frame.in_view, frame.cut))
    out.extend(_focus_outline(shade_rings))
    out.extend(_overlay_lines(spec, frame.projection, frame.cut))
    return out


@functools.lru_cache(maxsize=256)
def draw_base(spec: MapSpec) -> Base:
    """The SVG of ``spec`` without its markers (cached: pages that share a frame share it).

    Laid under :func:`draw_markers` of the same spec, it shows what :func:`draw_map` shows,
    but for region labels placed without knowing the markers (the markers' names avoid them).
    """
    base = replace(spec, markers=())
    _check_shades(base)
    frame = _frame(base)
    out = _ground(base, frame)
    corners = _corners(base, frame.projection)
    placer = Placer(frame.canvas, corners.obstacles)
    labels = _place_labels(base, frame.regions, frame.arcs, frame.in_view, [], dict(base.offsets),
                           placer, frame.canvas)
    out.extend(corners.svg)
    out.extend(_label_layers([*labels, *corners.labels]))
    out.append(f'<rect class="bm-edge" x=".5" y=".5" width="{num(spec.width - 1)}"'
               f' height="{num(spec.height - 1)}"/>')
    out.append("</svg>")
    return Base("".join(out), spec.width, spec.height, tuple(placer.taken))


def draw_markers(spec: MapSpec, base: Base) -> str:
    """The markers of ``spec`` and their names alone, the size of ``base``, to lay over it.

    It carries the map's ``<title>`` and ``<desc>`` (the picture under it is decorative) and
    no ``<style>``: a page's policy allows none, and the rules come from the maps' stylesheet.
    """
    projection = Projection.fit(spec.frame, spec.width, spec.height)
    canvas = Rect(0.0, 0.0, float(spec.width), float(spec.height))
    placer = Placer(canvas, base.taken)
    frame = _Frame(projection, canvas, canvas.grown(CLIP_MARGIN), data.layer("regions"),
                   _Arcs(data.layer("regions"), projection, THIN_PX), [])
    markers_svg, located = _markers(spec, frame, placer)
    labels = _Labels(spec, frame.regions, frame.arcs, {}, placer, canvas)
    by_importance = sorted(enumerate(located),
                           key=lambda item: (_IMPORTANCE.index(item[1][0].emphasis), item[0]))
    for _, (marker, x, y, radius) in by_importance:
        before = len(labels.placed)
        labels.marker(marker, x, y, radius)
        if len(labels.placed) == before and marker.label and marker.emphasis is not Emphasis.CONTEXT:
            # The base's names were placed first and may hem a marker in: its name goes a step
            # further out, and a focus's name is never left out.
            size = LABEL_SIZES["marker"]
            further = _around(x, y, radius + 14.0, size)
            found = placer.place(marker.label, further, size, "bm-lmarker")
            if found is None and marker.emphasis is Emphasis.FOCUS:
                found = placer.place(marker.label, further[:1], size, "bm-lmarker", force=True)
            labels._keep(found)
    head = _head(spec)[:-1]  # no <style>
    return "".join([*head, *markers_svg, *_label_layers(labels.placed), "</svg>"])


def draw_map(spec: MapSpec) -> str:
    """The SVG of ``spec``, as text; raises ValueError for a frame without extent or an unknown code.

    Callers with nothing to locate get no spec at all: :func:`briefing.geo.spec.frame_around`
    returns None then, and no map is drawn.
    """
    _check_shades(spec)
    frame = _frame(spec)
    out = _ground(spec, frame)
    corners = _corners(spec, frame.projection)
    placer = Placer(frame.canvas, corners.obstacles)
    markers_svg, located = _markers(spec, frame, placer)
    labels = _place_labels(spec, frame.regions, frame.arcs, frame.in_view, located, dict(spec.offsets),
                           placer, frame.canvas)
    out.extend(corners.svg)
    out.extend(markers_svg)
    out.extend(_label_layers([*labels, *corners.labels]))
    out.append(f'<rect class="bm-edge" x=".5" y=".5" width="{num(spec.width - 1)}"'
               f' height="{num(spec.height - 1)}"/>')
    out.append("</svg>")
    return "".join(out)


def _check_shades(spec: MapSpec) -> None:
    """Every shaded code names a region; a typo is reported with the nearest code, not drawn as nothing."""
    for shade in spec.shades:
        if data.region(shade.code) is None:
            hint = data.suggest_region(shade.code)
            raise ValueError(f"no region with code {shade.code!r}" + (f"; {hint}" if hint else ""))


def _frame(spec: MapSpec) -> _Frame:
    projection = Projection.fit(spec.frame, spec.width, spec.height)
    canvas = Rect(0.0, 0.0, float(spec.width), float(spec.height))
    regions = data.layer("regions")
    arcs = _Arcs(regions, projection, THIN_PX)
    view = projection.visible(margin_px=CLIP_MARGIN + 2)
    return _Frame(projection, canvas, canvas.grown(CLIP_MARGIN), regions, arcs, list(regions.in_box(view)))


def _head(spec: MapSpec) -> list[str]:
    """The root element, the title and description a screen reader says, and the style."""
    width, height, pid = spec.width, spec.height, spec.id_prefix
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bm" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" role="img" aria-labelledby="{pid}-title {pid}-desc"'
        f' font-family="DejaVu Sans, Noto Sans, Arial, sans-serif">',
        f'<title id="{pid}-title">{text(spec.title)}</title>',
        f'<desc id="{pid}-desc">{text(spec.description)}</desc>',
        f"<style>{STYLE}</style>",
    ]


def _patterns(spec: MapSpec) -> list[str]:
    """The hatching of the statuses that fill an area, each defined once (lines need none)."""
    used = {o.status for o in spec.overlays if any(isinstance(shape, Area) for shape in o.shapes)}
    statuses = [status for status in OverlayStatus if status in used and status in PATTERNS]
    if not statuses:
        return []
    out = ["<defs>"]
    for status in statuses:
        size, d = PATTERNS[status]
        out.append(f'<pattern id="{spec.id_prefix}-{status.value}" width="{size}" height="{size}"'
                   f' patternUnits="userSpaceOnUse"><path class="bm-hatch" d="{d}"/></pattern>')
    out.append("</defs>")
    return out


def _base(spec: MapSpec, frame: _Frame) -> list[str]:
    """Sea, and over it the land: the union of the regions in view."""
    land = _clipped(frame.arcs.merged(frame.in_view), frame.cut)
    return [f'<rect class="bm-sea" width="{spec.width}" height="{spec.height}"/>',
            f'<path class="bm-land" fill-rule="evenodd" d="{path_data(land, closed=True)}"/>']


def _shade_rings(spec: MapSpec, frame: _Frame) -> dict[Emphasis, list[list[XY]]]:
    """The outline of the shaded regions of each emphasis, lightest first so the focus is on top."""
    shaded: dict[Emphasis, list[int]] = defaultdict(list)
    for shade in spec.shades:
        shaded[shade.emphasis].append(frame.regions.index[shade.code])
    return {emphasis: _clipped(frame.arcs.merged(sorted(set(shaded[emphasis]))), frame.cut)
            for emphasis in (Emphasis.CONTEXT, Emphasis.RELATED, Emphasis.FOCUS) if shaded[emphasis]}


def _shades(shade_rings: dict[Emphasis, list[list[XY]]]) -> list[str]:
    return [f'<path class="bm-{emphasis.value}" fill-rule="evenodd" d="{path_data(rings, closed=True)}"/>'
            for emphasis, rings in shade_rings.items()]


def _focus_outline(shade_rings: dict[Emphasis, list[list[XY]]]) -> list[str]:
    """The focus regions outlined once more above the borders, so the focus reads without colour."""
    rings = shade_rings.get(Emphasis.FOCUS)
    return [f'<path class="bm-fl" d="{path_data(rings, closed=True)}"/>'] if rings is not None else []


def _corners(spec: MapSpec, projection: Projection) -> _Corners:
    corners = _Corners([], [], [])
    if spec.inset is not None:
        inset_svg, inset_rect = _inset(spec, projection)
        corners.svg.append(inset_svg)
        corners.obstacles.append(inset_rect)
    if spec.scale_bar:
        scale_svg, scale_labels, scale_rect = _scale_bar(projection, spec.inset)
        corners.svg.append(scale_svg)
        corners.labels.extend(scale_labels)
        corners.obstacles.append(scale_rect)
    legend_svg, legend_labels, legend_rect = _legend(spec)
    if legend_rect is not None:
        corners.svg.append(legend_svg)
        corners.obstacles.append(legend_rect)
    corners.labels.extend(legend_labels)
    credit = _credit(spec)
    if credit is not None:
        corners.labels.append(credit)
        corners.obstacles.append(text_box(credit.text, credit.x, credit.y, credit.anchor, credit.size))
    return corners


def _credit(spec: MapSpec) -> Placed | None:
    """The data's credit along the bottom, in the corner the inset and the scale bar leave free."""
    if not spec.credit:
        return None
    x = spec.width - 4.0 if spec.inset != "bottom-right" else 4.0
    anchor: Anchor = "end" if spec.inset != "bottom-right" else "start"
    if spec.inset == "bottom-right" and spec.scale_bar:
        x, anchor = spec.width / 2, "middle"
    return Placed(spec.credit, x, spec.height - 4.0, anchor, LABEL_SIZES["credit"], "bm-lcredit")


def _markers(spec: MapSpec, frame: _Frame, placer: Placer) -> tuple[list[str], list[Located]]:
    """The markers on the canvas, each blocked for labels; those outside it are left out."""
    markers_svg: list[str] = []
    located: list[Located] = []
    for marker in spec.markers:
        x, y = frame.projection.to_px(marker.at)
        if not frame.canvas.contains((x, y)):
            continue
        radius = NUMBER_RADIUS if marker.number is not None else MARKER_RADIUS[marker.emphasis]
        placer.block(Rect(x - radius - 1, y - radius - 1, x + radius + 1, y + radius + 1))
        located.append((marker, x, y, radius))
        markers_svg.extend(_marker_svg(marker, x, y, radius))
    return markers_svg, located


def _marker_svg(marker: Marker, x: float, y: float, radius: float) -> list[str]:
    """A dot, hollow for context; a numbered one is a solid disc with the number in it."""
    css = "bm-m bm-m-context" if marker.emphasis is Emphasis.CONTEXT and marker.number is None else "bm-m"
    out = [f'<circle class="{css}" cx="{num(x)}" cy="{num(y)}" r="{num(radius)}"/>']
    if marker.number is not None:
        out.append(f'<text class="bm-n" x="{num(x)}" y="{num(y + 3.4)}"'
                   f' text-anchor="middle">{marker.number}</text>')
    return out


def _label_layers(labels: Sequence[Placed]) -> list[str]:
    """Every halo under every text: WeasyPrint ignores ``paint-order``, so a halo is a text of its own."""
    return ['<g class="bm-halo">', *(_text(label, "bm-h") for label in labels),
            '</g><g class="bm-labels">', *(_text(label, "bm-t") for label in labels), "</g>"]


def _text(label: Placed, css: str) -> str:
    anchor = "" if label.anchor == "start" else f' text-anchor="{label.anchor}"'
    return (f'<text class="{css} {label.css}" x="{num(label.x)}" y="{num(label.y)}"{anchor}>'
            f"{text(label.text)}</text>")


def _borders(regions: data.Layer, arcs: _Arcs, in_view: Sequence[int], cut: Rect) -> list[str]:
    """Region borders, coastlines and country borders: each arc once, classed by who owns it."""
    lines: dict[str, list[list[XY]]] = {"bm-rb": [], "bm-coast": [], "bm-cb": []}
    seen: set[int] = set()
    for index in in_view:
        for polygon in regions.features[index].polygons:
            for ring in polygon:
                for ref in ring:
                    number = ref if ref >= 0 else ~ref
                    if number in seen:
                        continue
                    seen.add(number)
                    owners = regions.owners(number)
                    if len(owners) == 1:
                        css = "bm-coast"
                    elif len(set(owners)) == 1:
                        continue  # between two parts of one region
                    elif len({regions.features[o].country for o in owners}) > 1:
                        css = "bm-cb"
                    else:
                        css = "bm-rb"
                    lines[css].extend(clip_polyline(arcs.px(ref), cut))
    return [f'<path class="{css}" d="{path_data(pieces, closed=False)}"/>'
            for css, pieces in lines.items() if pieces]


def _overlay_fills(spec: MapSpec, projection: Projection, cut: Rect) -> list[str]:
    out = []
    for overlay in spec.overlays:
        rings: list[list[XY]] = []
        for shape in overlay.shapes:
            if isinstance(shape, Area):
                for polygon in shape.polygons:
                    for ring in polygon:
                        px = thin(projection.lonlat_path_to_px([(p.lon, p.lat) for p in ring]), THIN_PX)
                        piece = clip_polygon(px, cut)
                        if piece:
                            rings.append(piece)
        if not rings:
            continue
        d = path_data(rings, closed=True)
        dash = f" bm-{overlay.status.value}" if overlay.status in (OverlayStatus.CLAIMED,
                                                                    OverlayStatus.DISPUTED) else ""
        if overlay.status is OverlayStatus.CONFIRMED:
            out.append(f'<path class="bm-solid" fill-rule="evenodd" d="{d}"/>')
        else:
            pattern = f"url(#{spec.id_prefix}-{overlay.status.value})"
            out.append(f'<path fill="{pattern}" fill-rule="evenodd" d="{d}"/>')
        out.append(f'<path class="bm-o{dash}" d="{d}"/>')
    return out


def _overlay_lines(spec: MapSpec, projection: Projection, cut: Rect) -> list[str]:
    out = []
    for overlay in spec.overlays:
        dash = f" bm-{overlay.status.value}" if overlay.status in (OverlayStatus.CLAIMED,
                                                                    OverlayStatus.DISPUTED) else ""
        pieces: list[list[XY]] = []
        spots: list[str] = []
        for shape in overlay.shapes:
            if isinstance(shape, Line):
                px = thin(projection.lonlat_path_to_px([(p.lon, p.lat) for p in shape.points]), THIN_PX)
                pieces.extend(clip_polyline(px, cut))
            elif isinstance(shape, Spot):
                x, y = projection.to_px(shape.at)
                if cut.contains((x, y)):
                    spots.append(f'<rect class="bm-o{dash}" x="{num(x - 3.5)}" y="{num(y - 3.5)}"'
                                 f' width="7" height="7"/>')
        if pieces:
            out.append(f'<path class="bm-ol{dash}" d="{path_data(pieces, closed=False)}"/>')
        out.extend(spots)
    return out


Candidate = tuple[float, float, Anchor]  # where a label may go: x, baseline y, alignment
_IMPORTANCE = [Emphasis.FOCUS, Emphasis.RELATED, Emphasis.CONTEXT]  # labels are placed in this order


class _Labels:
    """The labels of one map, placed first come first served on one placer, curators' offsets honoured."""

    def __init__(self, spec: MapSpec, regions: data.Layer, arcs: _Arcs, offsets: dict[str, Offset],
                 placer: Placer, canvas: Rect) -> None:
        self.language = spec.language
        self.regions = regions
        self.arcs = arcs
        self.offsets = offsets
        self.placer = placer
        self.canvas = canvas
        self.inner = canvas.grown(-4.0)
        self.placed: list[Placed] = []
        self._rings: dict[int, list[list[XY]]] = {}  # one region's outline on the canvas, worked out once

    def _region_rings(self, index: int) -> list[list[XY]]:
        rings = self._rings.get(index)
        if rings is None:
            rings = self._rings[index] = _clipped(self.arcs.merged([index]), self.inner)
        return rings

    def _at_most(self, index: int) -> float:
        """An upper bound of a region's area on the canvas, from its box: most regions in view
        are too small to name, and this tells so without drawing their outlines."""
        box = self.regions.features[index].box
        projection = self.arcs.projection
        x1, y1 = projection.lonlat_to_px(box.west, box.north)
        x2, y2 = projection.lonlat_to_px(box.east, box.south)
        if x2 < x1:  # across the 180° meridian, or a box wider than the canvas's half-globe: no bound
            return math.inf
        width = min(x2, self.inner.right) - max(x1, self.inner.left)
        height = min(y2, self.inner.bottom) - max(y1, self.inner.top)
        return max(width, 0.0) * max(height, 0.0)

    def _keep(self, label: Placed | None) -> None:
        if label is not None:
            self.placed.append(label)

    def area_candidates(self, features: Sequence[int], label_at: XY | None) -> list[Candidate]:
        """Room inside the features on the canvas, the data's label point first; none for a sliver."""
        rings = self._region_rings(features[0]) if len(features) == 1 else _clipped(
            self.arcs.merged(features), self.inner)
        if not rings or sum(_ring_area(r) for r in rings) < 150.0:
            return []
        points: list[Candidate] = []
        if label_at is not None and self.inner.contains(label_at):
            points.append((label_at[0], label_at[1], "middle"))
        points += [(x, y, "middle") for (x, y), _ in interior_points(rings)]
        return points

    def put(self, key: str, name: str, points: list[Candidate], kind: str) -> None:
        """An area's name at its first free candidate, or exactly where the curator's offset puts it."""
        size = LABEL_SIZES[kind]
        css = f"bm-l{kind}" if kind != "country" else "bm-country"
        offset = self.offsets.get(key)
        if offset is not None and points:
            x, y, _ = points[0]
            moved: list[Candidate] = [(x + offset.dx, y + offset.dy + size * 0.35, offset.anchor)]
            self._keep(self.placer.place(name, moved, size, css, force=True))
        else:
            self._keep(self.placer.place(name, _baseline(points, size) if kind != "marker" else points, size,
                                         css))

    def marker(self, marker: Marker, x: float, y: float, radius: float) -> None:
        """A marker's name beside its dot, on the first free side; a curator's offset is never moved."""
        if not marker.label:
            return
        size = LABEL_SIZES["marker"]
        offset = marker.offset
        if offset is not None:
            candidates: list[Candidate] = [(x + offset.dx, y + offset.dy, offset.anchor)]
        else:
            candidates = _around(x, y, radius + 3.0, size)
        self._keep(self.placer.place(marker.label, candidates, size, "bm-lmarker", force=offset is not None))

    def region(self, code: str, kind: str) -> None:
        index = self.regions.index[code]
        feature = self.regions.features[index]
        at = self.arcs.projection.to_px(feature.label) if feature.label is not None else None
        self.put(code, feature.name(self.language), self.area_candidates([index], at), kind)

    def countries(self, in_view: Sequence[int]) -> None:
        """The names of the countries that fill a good part of the canvas, largest first, where they fit."""
        by_country: dict[str, list[int]] = defaultdict(list)
        for index in in_view:
            by_country[self.regions.features[index].country].append(index)
        sized = []
        for code, features in sorted(by_country.items()):
            rings = _clipped(self.arcs.merged(features), self.inner)
            area = sum(_ring_area(r) for r in rings)
            if area > 0.04 * self.canvas.right * self.canvas.bottom:
                sized.append((-area, code, rings))
        for _, code, rings in sorted(sized):
            name = data.country_name(code, self.language).upper()
            middle: Anchor = "middle"
            points = [(x, y, middle) for (x, y), room in interior_points(rings, levels=11)
                      if room > text_width(name, LABEL_SIZES["country"])]
            self.put(code, name, points, "country")

    def neighbours(self, in_view: Sequence[int], named: Sequence[str]) -> None:
        """The other regions in view that are large enough to name, largest first."""
        rest = []
        for index in in_view:
            feature = self.regions.features[index]
            least = 0.02 * self.canvas.right * self.canvas.bottom
            if feature.code in named or self._at_most(index) <= least:
                continue
            area = sum(_ring_area(r) for r in self._region_rings(index))
            if area > least:
                rest.append((-area, feature.code))
        for _, code in sorted(rest):
            self.region(code, "neighbour")


def _baseline(points: list[Candidate], size: float) -> list[Candidate]:
    """Candidates are centres of room: move each to where its text's baseline goes."""
    return [(x, y + size * 0.35, a) for x, y, a in points]


def _around(x: float, y: float, gap: float, size: float) -> list[Candidate]:
    """The places beside a dot a name may go: right, left, above, below, then the diagonals."""
    mid = y + size * 0.35
    low = y + gap + size * 0.6
    return [(x + gap, mid, "start"), (x - gap, mid, "end"), (x, y - gap - 1, "middle"),
            (x, y + gap + size * 0.8, "middle"), (x + gap * 0.8, y - gap * 0.8, "start"),
            (x - gap * 0.8, y - gap * 0.8, "end"), (x + gap * 0.8, low, "start"),
            (x - gap * 0.8, low, "end")]


def _named_regions(spec: MapSpec, regions: data.Layer) -> list[str]:
    """The shaded regions, most important first, then the other regions asked for, each once."""
    named: list[str] = []
    for shade in sorted(spec.shades, key=lambda s: _IMPORTANCE.index(s.emphasis)):
        if shade.code not in named:
            named.append(shade.code)
    for code in spec.label_regions:
        if code not in named and code in regions.index:
            named.append(code)
    return named


def _place_labels(spec: MapSpec, regions: data.Layer, arcs: _Arcs, in_view: Sequence[int],
                  located: Sequence[Located], offsets: dict[str, Offset],
                  placer: Placer, canvas: Rect) -> list[Placed]:
    """Markers' names first (a curator's placement is never moved), then regions, countries, neighbours."""
    labels = _Labels(spec, regions, arcs, offsets, placer, canvas)
    by_importance = sorted(enumerate(located),
                           key=lambda item: (_IMPORTANCE.index(item[1][0].emphasis), item[0]))
    for _, (marker, x, y, radius) in by_importance:
        labels.marker(marker, x, y, radius)
    named = _named_regions(spec, regions)
    emphasis_of = {s.code: s.emphasis.value for s in spec.shades}
    for code in named:
        labels.region(code, emphasis_of.get(code, "context"))
    if spec.label_countries:
        labels.countries(in_view)
    if spec.label_neighbours:
        labels.neighbours(in_view, named)
    return labels.placed


def _corner_origin(corner: Corner, box_width: float, box_height: float, width: int, height: int,
                   margin: float = 6.0) -> XY:
    x = margin if corner.endswith("left") else width - margin - box_width
    y = margin if corner.startswith("top") else height - margin - box_height
    return x, y


def _inset(spec: MapSpec, projection: Projection) -> tuple[str, Rect]:
    """A small map of the surroundings with the frame drawn on it, from the 1:50m countries.

    The inset's own centre is snapped to a grid a quarter of its height apart, so that the
    maps of one region share its drawing (cached), and the frame's rectangle is placed on
    it where the frame is: near the middle, never off it."""
    assert spec.inset is not None
    inset_width = round(min(max(spec.width * 0.27, 90.0), 150.0))
    inset_height = round(inset_width * 0.8)
    visible_lat = spec.height / projection.px_per_degree
    lat_extent = min(max(visible_lat * 6.0, 14.0), 70.0)
    step = lat_extent / 4
    centre = projection.centre
    snapped = LatLon(min(max(round(centre.lat / step) * step, -80.0), 80.0),
                     wrap_longitude(round(centre.lon / step) * step))
    inset = Projection(snapped, inset_height / lat_extent, inset_width, inset_height)
    drawing = _inset_drawing(inset_width, inset_height, snapped.lat, snapped.lon, lat_extent)
    ratio = inset.px_per_degree / projection.px_per_degree
    frame_w = max(spec.width * ratio, 4.0)
    frame_h = max(spec.height * ratio, 4.0)
    ((fx, fy),) = inset.lonlat_path_to_px([(centre.lon, centre.lat)])
    x0, y0 = _corner_origin(spec.inset, inset_width, inset_height, spec.width, spec.height)
    svg = (
        f'<g class="bm-inset" transform="translate({num(x0)} {num(y0)})">'
        f'<rect class="bm-isea" width="{inset_width}" height="{inset_height}"/>{drawing}'
        f'<rect class="bm-iframe" x="{num(fx - frame_w / 2)}"'
        f' y="{num(fy - frame_h / 2)}" width="{num(frame_w)}" height="{num(frame_h)}"/>'
        f'<rect class="bm-iedge" x=".5" y=".5" width="{inset_width - 1}" height="{inset_height - 1}"/>'
        "</g>"
    )
    return svg, Rect(x0 - 2, y0 - 2, x0 + inset_width + 2, y0 + inset_height + 2)


@functools.lru_cache(maxsize=256)
def _inset_drawing(width: int, height: int, lat: float, lon: float, lat_extent: float) -> str:
    """The land and borders of an inset centred there: most of a map's drawing, shared (cached)."""
    inset = Projection(LatLon(lat, lon), height / lat_extent, width, height)
    countries = data.layer("countries")
    arcs = _Arcs(countries, inset, 1.0)
    rect = Rect(0.0, 0.0, float(width), float(height))
    shown = list(countries.in_box(inset.visible(margin_px=2)))
    land = [ring for ring in _clipped(arcs.merged(shown), rect) if _ring_area(ring) >= 4.0]
    borders: list[list[XY]] = []
    seen: set[int] = set()
    for index in shown:
        for polygon in countries.features[index].polygons:
            for ring in polygon:
                for ref in ring:
                    number = ref if ref >= 0 else ~ref
                    if number not in seen and len(countries.owners(number)) > 1:
                        seen.add(number)
                        borders.extend(p for p in clip_polyline(arcs.px(ref), rect) if _length(p) >= 3.0)
    return (f'<path class="bm-iland" fill-rule="evenodd" d="{path_data(land, closed=True, whole=True)}"/>'
            f'<path class="bm-ib" d="{path_data(borders, closed=False, whole=True)}"/>')


def _nice_km(limit: float) -> float:
    """The longest 1, 2 or 5 × 10ⁿ km not over ``limit``."""
    power = 10.0 ** math.floor(math.log10(limit))
    for step in (5.0, 2.0, 1.0):
        if step * power <= limit:
            return step * power
    return power


def _scale_bar(projection: Projection, inset: Corner | None) -> tuple[str, list[Placed], Rect]:
    """A bar of a round number of km, true along the frame's central parallel."""
    km = _nice_km(projection.width * 0.22 * projection.km_per_px)
    length = km / projection.km_per_px
    corner: Corner = "bottom-left" if inset != "bottom-left" else "bottom-right"
    x0 = 10.0 if corner == "bottom-left" else projection.width - 10.0 - length
    y = projection.height - 10.0
    d = f"M{num(x0)} {num(y - 4)}v4h{num(length)}v-4M{num(x0 + length / 2)} {num(y)}v-2.5"
    value = f"{km:g}".replace(".0", "")
    size = LABEL_SIZES["scale"]
    labels = [Placed("0", x0, y - 6.0, "middle", size, "bm-lscale"),
              Placed(f"{value} km", x0 + length, y - 6.0, "middle", size, "bm-lscale")]
    rect = Rect(x0 - 8, y - 6.0 - size - 2, x0 + length + text_width(f"{value} km", size) / 2 + 4, y + 3)
    return f'<path class="bm-scale" d="{d}"/>', labels, rect


def _legend(spec: MapSpec) -> tuple[str, list[Placed], Rect | None]:
    """One row per overlay: its pattern and dash, and its words."""
    rows = [o for o in spec.overlays if o.shapes]
    if not rows:
        return "", [], None
    size = LABEL_SIZES["legend"]
    row_height = 15.0
    words = [o.label or o.status.value for o in rows]
    box_width = 14.0 + 8.0 + max(text_width(w, size) for w in words) + 8.0
    box_height = row_height * len(rows) + 6.0
    x0 = 6.0 if spec.inset != "bottom-left" and spec.scale_bar is False else spec.width - box_width - 6.0
    y0 = spec.height - box_height - 16.0
    parts = [f'<g class="bm-legend"><rect class="bm-box" x="{num(x0)}" y="{num(y0)}" width="{num(box_width)}"'
             f' height="{num(box_height)}"/>']
    labels = []
    for k, (overlay, word) in enumerate(zip(rows, words, strict=True)):
        y = y0 + 4.0 + k * row_height
        dash = f" bm-{overlay.status.value}" if overlay.status in (OverlayStatus.CLAIMED,
                                                                    OverlayStatus.DISPUTED) else ""
        swatch = f'x="{num(x0 + 6)}" y="{num(y + 2)}" width="14" height="9"'
        if any(isinstance(s, Area) for s in overlay.shapes):
            if overlay.status is OverlayStatus.CONFIRMED:
                parts.append(f'<rect class="bm-solid" {swatch}/>')
            else:
                parts.append(f'<rect fill="url(#{spec.id_prefix}-{overlay.status.value})" {swatch}/>')
            parts.append(f'<rect class="bm-o{dash}" {swatch}/>')
        else:
            parts.append(f'<path class="bm-ol{dash}" d="M{num(x0 + 6)} {num(y + 6.5)}h14"/>')
        labels.append(Placed(word, x0 + 26.0, y + 10.0, "start", size, "bm-llegend"))
    parts.append("</g>")
    return "".join(parts), labels, Rect(x0, y0, x0 + box_width, y0 + box_height)


def visible_box(spec: MapSpec) -> Box:
    """The latitude/longitude box the map of ``spec`` shows (the frame widened to the canvas)."""
    return Projection.fit(spec.frame, spec.width, spec.height).visible()
