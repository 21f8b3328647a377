"""The shipped geography and the SVG map drawer, on the real data (no mocks)."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from briefing.geo import data
from briefing.geo.clip import Rect, clip_polygon, clip_polyline
from briefing.geo.draw import draw_map, visible_box
from briefing.geo.labels import Placer
from briefing.geo.project import Box, LatLon, Projection
from briefing.geo.spec import (
    Emphasis,
    MapSpec,
    Marker,
    Offset,
    OverlayStatus,
    Shade,
    frame_around,
    overlay_from_geojson,
)

REPO = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"

KURSK_CITY = LatLon(51.73, 36.19)
SUDZHA = LatLon(51.19, 35.27)
SIMFEROPOL = LatLon(44.95, 34.10)
KYIV = LatLon(50.45, 30.52)


def kursk_spec(prefix: str = "kursk", **changes: object) -> MapSpec:
    """The typical oblast-level map: Kursk, its Russian and Ukrainian neighbours, four places."""
    shades = (Shade("RU-KRS"), Shade("RU-BEL", Emphasis.RELATED), Shade("RU-BRY", Emphasis.RELATED),
              Shade("UA-59", Emphasis.CONTEXT), Shade("UA-63", Emphasis.CONTEXT), Shade("UA-74", Emphasis.CONTEXT))
    markers = (Marker(KURSK_CITY, "Kursk", emphasis=Emphasis.RELATED), Marker(SUDZHA, "Sudzha", 1),
               Marker(LatLon(51.33, 34.88), "Korenevo", 2), Marker(LatLon(50.91, 34.80), "Sumy",
                                                                   emphasis=Emphasis.CONTEXT))
    frame = frame_around([m.at for m in markers], [s.code for s in shades])
    assert frame is not None
    values: dict[str, object] = {
        "frame": frame, "title": "Peta Oblast Kursk", "description": "Oblast Kursk dan wilayah di sekitarnya.",
        "id_prefix": prefix, "language": "id", "shades": shades, "markers": markers,
    }
    values.update(changes)
    return MapSpec(**values)  # type: ignore[arg-type]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


# --- points, boxes, projection ------------------------------------------------------------------


def test_registry_pairs_are_lat_lon_and_geojson_pairs_lon_lat() -> None:
    assert LatLon.from_registry([51.73, 36.19]) == KURSK_CITY
    assert LatLon.from_geojson([36.19, 51.73]) == KURSK_CITY
    assert LatLon.from_geojson([36.19, 51.73, 210.0]) == KURSK_CITY  # altitude ignored


def test_a_pair_in_the_wrong_order_is_refused_when_it_cannot_be_a_point() -> None:
    with pytest.raises(ValueError, match="not a latitude and longitude"):
        LatLon.from_registry([120.5, 51.7])  # lon, lat given to the registry reader


def test_projection_puts_north_up_east_right_and_inverts() -> None:
    projection = Projection.fit(Box(50.0, 34.0, 53.0, 38.0), 480, 360)
    x, y = projection.to_px(KURSK_CITY)
    north_x, north_y = projection.to_px(LatLon(52.73, 36.19))
    east_x, east_y = projection.to_px(LatLon(51.73, 37.19))
    assert north_y < y and north_x == pytest.approx(x)
    assert east_x > x and east_y == pytest.approx(y)
    back = projection.to_latlon(x, y)
    assert back.lat == pytest.approx(51.73) and back.lon == pytest.approx(36.19)
    # A degree of latitude is 111 km; a degree of longitude at the centre's latitude is cos(lat) of that.
    assert (y - north_y) * projection.km_per_px == pytest.approx(111.32)
    assert (east_x - x) / (y - north_y) == pytest.approx(projection.cos_lat)
    assert projection.cos_lat == pytest.approx(0.6225, abs=1e-3)  # cos 51.5°


def test_frame_is_widened_to_the_canvas_and_shows_all_of_it() -> None:
    frame = Box(51.0, 35.0, 52.0, 36.0)
    shown = Projection.fit(frame, 480, 360).visible()
    assert shown.south <= frame.south and shown.north >= frame.north
    assert shown.west <= frame.west and shown.east >= frame.east


def test_box_around_points_takes_the_short_way_across_180_degrees() -> None:
    box = Box.around([LatLon(65.0, 179.0), LatLon(66.0, -178.0)])
    assert box == Box(65.0, 179.0, 66.0, -178.0)
    assert box.lon_span == pytest.approx(3.0)
    assert box.contains(LatLon(65.5, -179.5)) and not box.contains(LatLon(65.5, 0.0))


def test_a_single_point_gets_a_minimum_extent() -> None:
    frame = frame_around([SUDZHA])
    assert frame is not None
    assert frame.lat_span * 111.32 == pytest.approx(150.0, rel=0.01)
    assert frame.contains(SUDZHA)


def test_nothing_located_gives_no_frame_and_so_no_map() -> None:
    assert frame_around() is None
    assert frame_around([], ["XX-NOWHERE"]) is None


# --- the shipped data ---------------------------------------------------------------------------


def test_the_whole_world_ships() -> None:
    codes = data.region_codes()
    assert len(codes) > 4400 and list(codes) == sorted(codes)
    assert {"RU-KRS", "UA-43", "ID-JK", "BR-SP", "US-CA", "AU-NSW", "CD-KN"} <= set(codes)
    assert {"UA", "RU", "ID", "PS", "EH", "SD", "SS", "TW"} <= set(data.country_codes())


def test_known_cities_fall_inside_their_regions() -> None:
    cases = {KURSK_CITY: "RU-KRS", SUDZHA: "RU-KRS", KYIV: "UA-30", LatLon(49.99, 36.23): "UA-63",
             LatLon(-6.2, 106.85): "ID-JK"}
    for point, code in cases.items():
        found = data.find_region(point)
        assert found is not None and found.code == code, (point, found)
    assert data.find_region(LatLon(43.0, 34.0)) is None  # the Black Sea


def test_crimea_and_sevastopol_are_ukraine() -> None:
    crimea, sevastopol = data.region("UA-43"), data.region("UA-40")
    assert crimea is not None and sevastopol is not None
    assert crimea.country == "UA" and sevastopol.country == "UA"
    ukraine = {r.code for r in data.regions_of("UA")}
    assert {"UA-43", "UA-40"} <= ukraine and len(ukraine) == 27
    assert not any(r.code.startswith("UA-") for r in data.regions_of("RU"))
    found = data.find_region(SIMFEROPOL)
    assert found is not None and found.code == "UA-43"


def test_ukraine_outline_holds_crimea() -> None:
    ukraine, russia = data.country("UA"), data.country("RU")
    assert ukraine is not None and russia is not None
    assert ukraine.contains(SIMFEROPOL) and not russia.contains(SIMFEROPOL)
    assert ukraine.contains(LatLon(44.6, 33.52))  # Sevastopol
    found = data.find_country(SIMFEROPOL)
    assert found is not None and found.code == "UA"
    assert data.find_country(KURSK_CITY) == russia


def test_regions_have_names_by_language_with_english_as_fallback() -> None:
    kursk = data.region("RU-KRS")
    assert kursk is not None
    assert kursk.name("en") == "Kursk"
    assert kursk.name("uk") == "Курська область"
    assert kursk.name("ru") == "Курская область"
    assert kursk.name("id") == "Kursk"  # the same as English: stored once
    assert kursk.name("xx") == "Kursk"
    crimea = data.region("UA-43")
    assert crimea is not None and crimea.name("id") == "Republik Otonom Krimea"
    assert data.country_name("UA", "id") == "Ukraina" and data.country_name("RU", "id") == "Rusia"
    assert kursk.label.lat == pytest.approx(51.74, abs=0.01)


def test_an_unknown_code_gets_a_suggestion() -> None:
    assert data.region("RU-KRSK") is None
    assert data.suggest_region("ru-krs") == "did you mean 'RU-KRS'?"
    assert "UA-43" in data.suggest_region("UA-433")
    # A code guessed from a name finds the region of that name.
    assert "'RU-KRS' (Kursk)" in data.suggest_region("RU-KUR")
    assert data.suggest_region("UA-SUM") == "did you mean 'UA-59' (Sumy)?"


def test_neighbours_share_their_border_exactly() -> None:
    """Both sides of the Kursk–Sumy border are the same arcs, so simplification left no gap."""
    regions = data.layer("regions")
    kursk, sumy = regions.index["RU-KRS"], regions.index["UA-59"]

    def arcs(index: int) -> set[int]:
        return {r if r >= 0 else ~r for p in regions.features[index].polygons for ring in p for r in ring}

    shared = arcs(kursk) & arcs(sumy)
    assert shared
    assert all(set(regions.owners(n)) == {kursk, sumy} for n in shared)


# --- clipping and labels ------------------------------------------------------------------------


def test_polygons_and_lines_are_cut_to_the_rectangle() -> None:
    rect = Rect(0.0, 0.0, 10.0, 10.0)
    cut = clip_polygon([(-5.0, -5.0), (5.0, -5.0), (5.0, 5.0), (-5.0, 5.0)], rect)
    assert sorted(cut) == [(0.0, 0.0), (0.0, 5.0), (5.0, 0.0), (5.0, 5.0)]
    assert clip_polygon([(20.0, 20.0), (30.0, 20.0), (30.0, 30.0)], rect) == []
    assert clip_polyline([(-5.0, 5.0), (15.0, 5.0)], rect) == [[(0.0, 5.0), (10.0, 5.0)]]
    assert clip_polyline([(1.0, 1.0), (1.0, 20.0), (2.0, 20.0), (2.0, 1.0)], rect) == [
        [(1.0, 1.0), (1.0, 10.0)], [(2.0, 10.0), (2.0, 1.0)]]


def test_a_label_that_would_overlap_moves_or_is_skipped_and_a_placed_one_stays() -> None:
    placer = Placer(Rect(0.0, 0.0, 200.0, 100.0))
    first = placer.place("Kursk", [(100.0, 50.0, "middle")], 12.0, "x")
    moved = placer.place("Sudzha", [(100.0, 50.0, "middle"), (100.0, 80.0, "middle")], 12.0, "x")
    skipped = placer.place("Korenevo", [(100.0, 52.0, "middle")], 12.0, "x")
    forced = placer.place("Glushkovo", [(100.0, 52.0, "start")], 12.0, "x", force=True)
    assert first is not None and moved is not None and moved.y == 80.0
    assert skipped is None
    assert forced is not None and (forced.x, forced.y, forced.anchor) == (100.0, 52.0, "start")


# --- the SVG ------------------------------------------------------------------------------------


def test_map_is_accessible_svg_with_nothing_from_outside() -> None:
    svg = draw_map(kursk_spec())
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "kursk-title kursk-desc"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.get("id") == "kursk-title" and title.text == "Peta Oblast Kursk"
    assert desc is not None and desc.get("id") == "kursk-desc"
    for element in root.iter():
        assert element.tag != f"{SVG}foreignObject"
        assert not [name for name in element.attrib if name.endswith("href")]
        if element.get("id"):
            assert element.get("id", "").startswith("kursk-")
    assert "@import" not in svg and "url(http" not in svg and "@font-face" not in svg
    assert set(re.findall(r"url\(([^)]*)\)", svg)) <= {f"#kursk-{s.value}" for s in OverlayStatus}


def test_map_names_regions_countries_and_places_with_halos_underneath() -> None:
    root = parse(draw_map(kursk_spec()))
    groups = {g.get("class"): g for g in root.iter(f"{SVG}g")}
    halos = [t.text for t in groups["bm-halo"].iter(f"{SVG}text")]
    words = [t.text for t in groups["bm-labels"].iter(f"{SVG}text")]
    assert halos == words  # each label has its own stroked copy, drawn first (no paint-order)
    assert {"Kursk", "Sudzha", "Korenevo", "Belgorod", "Bryansk", "Kharkiv", "RUSIA", "UKRAINA"} <= set(words)
    assert "200 km" in words or "100 km" in words
    children = [c.get("class") for c in root]
    assert children.index("bm-halo") < children.index("bm-labels")
    shades = [c for c in children if c in ("bm-focus", "bm-related", "bm-context")]
    assert shades == ["bm-context", "bm-related", "bm-focus"]
    assert {"bm-rb", "bm-cb", "bm-coast"} & set(children) >= {"bm-rb", "bm-cb"}


def test_placed_labels_do_not_overlap() -> None:
    from briefing.geo.labels import text_box

    root = parse(draw_map(kursk_spec()))
    labels = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "bm-labels")
    sizes = {"bm-country": 12.5, "bm-lfocus": 12.5, "bm-lrelated": 11.5, "bm-lcontext": 11.0,
             "bm-lneighbour": 10.0, "bm-lmarker": 11.0}
    boxes = []
    for t in labels.iter(f"{SVG}text"):
        kind = t.get("class", "").split()[1]
        if kind in sizes:
            boxes.append(text_box(t.text or "", float(t.get("x", 0)), float(t.get("y", 0)),
                                  t.get("text-anchor", "start"), sizes[kind]).grown(-1.6))  # type: ignore[arg-type]
    assert len(boxes) > 10
    for i, a in enumerate(boxes):
        assert not any(a.overlaps(b) for b in boxes[i + 1:])


def test_a_curator_offset_places_a_label_exactly() -> None:
    markers = (Marker(SUDZHA, "Sudzha", offset=Offset(-20.0, 14.0, "end")),)
    spec = kursk_spec(markers=markers)
    projection = Projection.fit(spec.frame, spec.width, spec.height)
    x, y = projection.to_px(SUDZHA)
    labels = next(g for g in parse(draw_map(spec)).iter(f"{SVG}g") if g.get("class") == "bm-labels")
    sudzha = next(t for t in labels.iter(f"{SVG}text") if t.text == "Sudzha")
    assert float(sudzha.get("x", 0)) == pytest.approx(x - 20.0, abs=0.05)
    assert float(sudzha.get("y", 0)) == pytest.approx(y + 14.0, abs=0.05)
    assert sudzha.get("text-anchor") == "end"


def test_the_same_spec_gives_the_same_bytes_in_another_process() -> None:
    first, second = draw_map(kursk_spec()), draw_map(kursk_spec())
    assert first == second
    script = ("import hashlib, sys; sys.path.insert(0, 'tests'); from test_geo import kursk_spec;"
              "from briefing.geo.draw import draw_map;"
              "print(hashlib.sha256(draw_map(kursk_spec()).encode()).hexdigest())")
    env_path = f"{REPO}"
    other = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True,
                           env={"PYTHONPATH": env_path, "PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"})
    assert other.stdout.strip() == hashlib.sha256(first.encode()).hexdigest()


def test_two_maps_on_one_page_have_ids_of_their_own() -> None:
    a, b = draw_map(kursk_spec("peta-1")), draw_map(kursk_spec("peta-2"))
    ids_a = {e.get("id") for e in parse(a).iter() if e.get("id")}
    ids_b = {e.get("id") for e in parse(b).iter() if e.get("id")}
    assert ids_a and not ids_a & ids_b


def test_a_kursk_map_stays_within_its_size_budget() -> None:
    svg = draw_map(kursk_spec())
    assert len(svg.encode()) < 30_000


def test_the_scale_bar_shows_a_round_number_of_km_about_a_fifth_of_the_width() -> None:
    spec = kursk_spec()
    words = [t.text or "" for t in parse(draw_map(spec)).iter(f"{SVG}text")]
    km = next(int(w.split()[0]) for w in words if w.endswith(" km"))
    assert str(km)[0] in "125" and set(str(km)[1:]) <= {"0"}
    projection = Projection.fit(spec.frame, spec.width, spec.height)
    assert 0.08 * spec.width <= km / projection.km_per_px <= 0.22 * spec.width


def test_overlays_differ_by_pattern_and_dash_and_are_named_in_the_legend() -> None:
    square = {"type": "Polygon", "coordinates": [[[35.0, 51.0], [35.5, 51.0], [35.5, 51.4], [35.0, 51.4],
                                                  [35.0, 51.0]]]}
    line = {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[34.9, 51.2], [35.6, 51.5]]}}
    overlays = (overlay_from_geojson(square, OverlayStatus.CONFIRMED, "Terkonfirmasi"),
                overlay_from_geojson(square, OverlayStatus.ASSESSED, "Dinilai"),
                overlay_from_geojson({"type": "FeatureCollection", "features": [line]}, OverlayStatus.CLAIMED,
                                     "Klaim"),
                overlay_from_geojson(square, OverlayStatus.DISPUTED, "Diperdebatkan"))
    svg = draw_map(kursk_spec(overlays=overlays))
    root = parse(svg)
    patterns = {p.get("id") for p in root.iter(f"{SVG}pattern")}
    assert patterns == {"kursk-assessed", "kursk-disputed"}
    classes = [e.get("class", "") for e in root.iter()]
    assert "bm-ol bm-claimed" in classes and "bm-o bm-disputed" in classes and "bm-solid" in classes
    words = [t.text for t in root.iter(f"{SVG}text")]
    assert {"Terkonfirmasi", "Dinilai", "Klaim", "Diperdebatkan"} <= set(words)
    assert ".bm-claimed{stroke-dasharray:5 3}" in svg and ".bm-disputed{stroke-dasharray:1.2 2.6}" in svg


def test_geojson_positions_are_read_as_lon_lat() -> None:
    overlay = overlay_from_geojson({"type": "Point", "coordinates": [35.27, 51.19]}, OverlayStatus.CLAIMED)
    assert overlay.shapes[0].at == SUDZHA  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="expected a geometry"):
        overlay_from_geojson({"type": "Circle"}, OverlayStatus.CLAIMED)


def test_an_unknown_region_or_a_frame_without_extent_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="no region with code 'RU-KRSK'; did you mean 'RU-KRS'"):
        draw_map(kursk_spec(shades=(Shade("RU-KRSK"),)))
    with pytest.raises(ValueError, match="needs an extent"):
        draw_map(kursk_spec(frame=Box(51.0, 35.0, 51.0, 35.0)))


def test_a_map_across_the_180_degree_meridian_stays_whole() -> None:
    frame = frame_around([], ["RU-CHU"])
    assert frame is not None and frame.west > frame.east  # Chukotka reaches past 180°
    spec = MapSpec(frame=frame, title="Chukotka", description="Chukotka.", id_prefix="chu",
                   shades=(Shade("RU-CHU"),))
    svg = draw_map(spec)
    root = parse(svg)
    focus = next(e for e in root if e.get("class") == "bm-focus")
    xs = [float(n) for n in re.findall(r"M(-?[\d.]+)", focus.get("d", ""))]
    assert xs and all(-10 <= x <= spec.width + 10 for x in xs)  # both halves of Chukotka on the canvas
    shown = visible_box(spec)
    assert shown.contains(LatLon(66.0, 179.0)) and shown.contains(LatLon(66.0, -175.0))
    assert len(svg.encode()) < 40_000
