"""Maps: the shared base pictures (``maps/<digest>.svg``), their stylesheet, and what a page
declares and shows of its map (:mod:`briefing.mapping` decides which map that is).

A page's map is its base picture, a file many pages share and the browser caches, with
the page's markers laid over it as inline SVG. The page declares the places and layers
its map reads; the base picture declares the layers it draws. Editing an article's text
re-renders neither; moving a place re-renders the maps that show it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from briefing import inputs, urls
from briefing.geo.draw import STYLE, draw_base, draw_map, draw_markers
from briefing.geo.project import Box
from briefing.index import Index
from briefing.inputs import Input
from briefing.mapping import (
    HEIGHT,
    WIDTH,
    BaseKey,
    MapPlan,
    Pin,
    article_map,
    base_spec,
    day_map,
    day_pins,
    enclosing,
    first_located,
    layers_over,
    osm_link,
    place_map,
)
from briefing.model import MapLayer, Place, Site
from briefing.units.base import Output, Planning, Rendered, Unit

if TYPE_CHECKING:
    from briefing.units.renderer import Renderer


# --- which map, from the model (the plan) and through a page's reads (its context) ------------


@dataclass(frozen=True, slots=True)
class PlaceOfSite:
    site: Site

    def __call__(self, place_id: str) -> Place:
        return self.site.places[place_id]


@dataclass(frozen=True, slots=True)
class LayersOfSite:
    site: Site

    def __call__(self, box: Box) -> tuple[str, ...]:
        return layers_over(box, self.site.layers)


class _Planned:
    """The maps of the last site planned, each worked out once: a page's plan and the base
    pictures' plan ask for the same maps (held for one site at a time, which it keeps alive)."""

    site: ClassVar[Site | None] = None
    plans: ClassVar[dict[tuple[str, str], MapPlan | None]] = {}

    @classmethod
    def get(cls, site: Site, key: tuple[str, str], make: Callable[[], MapPlan | None]) -> MapPlan | None:
        if cls.site is not site:
            cls.site, cls.plans = site, {}
        if key not in cls.plans:
            cls.plans[key] = make()
        return cls.plans[key]


def place_plan(site: Site, index: Index, place_id: str) -> MapPlan | None:
    return _Planned.get(site, ("place", place_id), lambda: place_map(
        place_id, PlaceOfSite(site), index.within(place_id), LayersOfSite(site)))


def article_plan(site: Site, article_id: str) -> MapPlan | None:
    return _Planned.get(site, ("article", article_id), lambda: article_map(
        site.articles[article_id].places, PlaceOfSite(site), LayersOfSite(site)))


def day_plan(site: Site, on: date) -> MapPlan | None:
    def make() -> MapPlan | None:
        places = PlaceOfSite(site)
        firsts = [first_located(site.articles[i].places, places) for i in site.days[on].article_ids]
        return day_map(day_pins(firsts, places), LayersOfSite(site))
    return _Planned.get(site, ("day", on.isoformat()), make)


def _layer_needs(site: Site, plan: MapPlan | None) -> list[Input]:
    """A map's layers, and the sources its caption credits them to."""
    if plan is None:
        return []
    needs: list[Input] = []
    for layer_id in plan.base.layers:
        needs += (inputs.layer(layer_id), inputs.entry("sources", site.layers[layer_id].source))
    return needs


def place_needs(site: Site, index: Index, place_id: str) -> list[Input]:
    """What a place's map reads: the place, those within it, those around it, its layers."""
    place = site.places[place_id]
    ids = [place_id, *index.within(place_id), *enclosing(place, PlaceOfSite(site))]
    return [*(inputs.entry("places", i) for i in ids), *_layer_needs(site, place_plan(site, index, place_id))]


def article_map_needs(site: Site, article_id: str) -> list[Input]:
    """What an article's map reads: its places and its layers."""
    places = site.articles[article_id].places
    return [*(inputs.entry("places", i) for i in places), *_layer_needs(site, article_plan(site, article_id))]


def day_map_needs(site: Site, on: date) -> list[Input]:
    """What a day's map reads: the places of its articles (the first located of each) and its layers."""
    ids = dict.fromkeys(p for i in site.days[on].article_ids for p in site.articles[i].places)
    return [*(inputs.entry("places", i) for i in ids), *_layer_needs(site, day_plan(site, on))]


@dataclass(frozen=True, slots=True)
class _PlaceOfReads:
    r: Renderer

    def __call__(self, place_id: str) -> Place:
        entry = self.r.reads.entry("places", place_id)
        assert isinstance(entry, Place)
        return entry


@dataclass(frozen=True, slots=True)
class _LayersOfReads:
    r: Renderer

    def __call__(self, box: Box) -> tuple[str, ...]:
        return self.r.reads.layers_over(box)


def read_place_plan(r: Renderer, place_id: str) -> MapPlan | None:
    return place_map(place_id, _PlaceOfReads(r), r.reads.within(place_id), _LayersOfReads(r))


def read_article_plan(r: Renderer, article_id: str) -> MapPlan | None:
    return article_map(r.reads.article(article_id).places, _PlaceOfReads(r), _LayersOfReads(r))


def read_day_map(r: Renderer, on: date, *, whole: bool = False) -> MapView | None:
    """A day's map, each numbered place listed with the day's articles about it."""
    places = _PlaceOfReads(r)
    ids = r.reads.day(on).article_ids
    firsts = [first_located(r.reads.article(i).places, places) for i in ids]
    listed: dict[str, tuple[tuple[str, str], ...]] = {}
    for article_id, place_id in zip(ids, firsts, strict=True):
        if place_id is not None:
            article = r.reads.article(article_id)
            listed[place_id] = (*listed.get(place_id, ()), (article.title, urls.article_path(article)))
    plan = day_map(day_pins(firsts, places), _LayersOfReads(r))
    return map_view(r, plan, r.t("map.day_title", date=r.dates.long(on)), whole=whole, listed=listed)


# --- what a page shows ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LayerNote:
    """A curator's layer as the caption credits it: what it shows, how far it is verified, whose it is."""

    name: str
    status: str  # the status in words
    status_value: str  # and as a value, for its style
    source: str
    as_of: str
    description: str


@dataclass(frozen=True, slots=True)
class MapPin:
    """A marked place as the list under the map names it."""

    number: int | None
    name: str
    path: str
    articles: tuple[tuple[str, str], ...] = ()  # on a day's map: the title and path of each article there


@dataclass(frozen=True, slots=True)
class MapView:
    """A map as a template shows it: the shared picture, the markers over it, and the words."""

    base: str  # the base picture's site path
    overlay: str  # the markers' SVG (safe: drawn by us, every text escaped)
    width: int
    height: int
    title: str
    description: str
    pins: tuple[MapPin, ...]
    layers: tuple[LayerNote, ...]
    credit: str  # where the borders and locations come from
    limits: str  # what the map does not show
    osm: str | None = None  # "see on OpenStreetMap" for a place's page
    svg: str = ""  # the whole map in one SVG, for the PDF


def map_view(r: Renderer, plan: MapPlan | None, title: str, *, id_prefix: str = "map",
             osm: bool = False, whole: bool = False,
             listed: Mapping[str, tuple[tuple[str, str], ...]] | None = None) -> MapView | None:
    """The view of ``plan``; ``whole``: with the map drawn in one piece (the PDF, the e-mail);
    ``listed``: the articles (title, path) listed under each numbered place."""
    if plan is None:
        return None
    layer_of = r.reads.layer
    notes = tuple(_layer_note(r, layer_of(i)) for i in plan.base.layers)
    description = _description(r, title, plan.pins, notes)
    language = r.config.language
    spec = plan.spec(layer_of, title=title, description=description, language=language, id_prefix=id_prefix)
    base = draw_base(base_spec(plan.base, layer_of, title=r.t("map.base_title"), language=language))
    at = plan.pins[0].at if plan.pins else plan.base.frame.centre
    return MapView(
        base=plan.base.path, overlay=draw_markers(spec, base), width=WIDTH, height=HEIGHT, title=title,
        description=description,
        pins=tuple(MapPin(p.number, p.name, urls.registry_path("places", p.place_id),
                          (listed or {}).get(p.place_id, ())) for p in plan.pins),
        layers=notes, credit=r.t("map.credit"), limits=r.t("map.limits_layers" if notes else "map.limits"),
        osm=osm_link(at, 10 if plan.pins else 7) if osm else None,
        svg=draw_map(spec) if whole else "",
    )


def _layer_note(r: Renderer, layer: MapLayer) -> LayerNote:
    source = r.reads.entry("sources", layer.source).name
    return LayerNote(layer.name, r.t(f"layer_status.{layer.status.value}"), layer.status.value, source,
                     r.dates.long(layer.as_of) if layer.as_of else "", layer.description)


def _description(r: Renderer, title: str, pins: Sequence[Pin], notes: Sequence[LayerNote]) -> str:
    """What a screen reader hears: the title, the places in order, the layers, the limits."""
    names = [f"{p.number}. {p.name}" if p.number is not None else p.name for p in pins]
    parts = [title + "."]
    if names:
        parts.append(r.t("map.shows", places=", ".join(names)))
    parts += [r.t("map.layer_shown", name=n.name, status=n.status) for n in notes]
    parts.append(r.t("map.limits_layers" if notes else "map.limits"))
    return " ".join(parts)


# --- the outputs --------------------------------------------------------------------------------


def all_plans(site: Site, index: Index) -> Iterator[MapPlan]:
    """Every map the site shows: each place's, each article's, each day's."""
    for place_id in site.places:
        plan = place_plan(site, index, place_id)
        if plan is not None:
            yield plan
    for article_id in site.articles:
        plan = article_plan(site, article_id)
        if plan is not None:
            yield plan
    for on in site.days:
        plan = day_plan(site, on)
        if plan is not None:
            yield plan


class MapBases(Unit):
    """The base pictures the pages' maps lie on, one per frame (and shades and layers)."""

    kind = "map-base"

    def plan(self, p: Planning) -> Iterator[Output]:
        site = p.site
        bases = {plan.base.path: plan.base for plan in all_plans(site, p.index)}
        for path in sorted(bases):
            key = bases[path]
            yield self.output(path, _layer_needs(site, MapPlan(key, ())), key=key.encode())

    def render(self, output: Output, r: Renderer) -> Rendered:
        key = BaseKey.decode(output.key)
        spec = base_spec(key, r.reads.layer, title=r.t("map.base_title"), language=r.config.language)
        return Rendered(draw_base(spec).svg.encode())


class MapStyle(Unit):
    """static/maps.css: the rules of the markers laid over the base pictures (the pictures carry
    their own), as a file, since a page's policy allows no inline style. A theme's own file wins."""

    kind = "map-style"

    def plan(self, p: Planning) -> Iterator[Output]:
        if urls.MAP_STYLE not in p.static:
            yield self.output(urls.MAP_STYLE)

    def render(self, output: Output, r: Renderer) -> Rendered:
        return Rendered((STYLE + "\n").encode())
