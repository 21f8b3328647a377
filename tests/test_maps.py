"""Maps in the site, the PDF and the e-mail (issue 19): which pages have one, what it shows and
says, the curators' layers drawn and credited, the shared base pictures, and incremental builds."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import NOW, Briefing, dedent
from sitekit import parse

from briefing.build import BuildOptions, build_site

PLACES = """\
rusia: {name: Rusia, kind: country, country: RU}
kursk-oblast: {name: Oblast Kursk, kind: region, country: RU, within: rusia, iso_3166_2: RU-KRS}
sudzha: {name: Sudzha, kind: town, country: RU, within: kursk-oblast, coordinates: [51.19, 35.27]}
korenevo: {name: Korenevo, kind: town, country: RU, within: kursk-oblast, coordinates: [51.41, 34.91],
           label: {dx: 6, dy: -8, anchor: start}}
sungai-seym: {name: Sungai Seym, kind: water, country: RU, within: kursk-oblast}
"""

SQUARE = ('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},'
          ' "geometry": {"type": "Polygon", "coordinates": [[[34.9, 51.1], [35.4, 51.1], [35.4, 51.4],'
          ' [34.9, 51.4], [34.9, 51.1]]]}}]}')

LAYERS = """\
klaim-kyiv:
  file: maps/klaim-kyiv.geojson
  name: Wilayah yang diklaim Kyiv
  source: kontan
  as_of: 2024-08-12
  status: claimed
"""


def meta(title: str, places: str, when: str = "2024-08-15T09:30:00+07:00") -> str:
    return dedent(f"""
        title: {title}
        date: {when}
        source:
          outlet: kontan
        summary: Ringkasan {title}.
        places: [{places}]
        """)


def make(briefing: Briefing, *, layers: bool = False) -> Briefing:
    briefing.registry("places", PLACES)
    briefing.markdown("evakuasi", meta("Evakuasi Sudzha", "sudzha, korenevo"))
    briefing.markdown("sungai", meta("Sungai Seym meluap", "sungai-seym", "2024-08-15T11:00:00+07:00"))
    briefing.markdown("korenevo", meta("Serangan di Korenevo", "korenevo", "2024-08-15T12:00:00+07:00"))
    if layers:
        briefing.write("content/maps/klaim-kyiv.geojson", SQUARE)
        briefing.registry("layers", LAYERS)
    return briefing


def build(briefing: Briefing, *, pdf: bool = False) -> Path:
    report = build_site(briefing.root, BuildOptions(now=NOW, pdf=pdf, search=False))
    assert not list(report.problems), "\n".join(p.format() for p in report.problems)
    return briefing.root / "site"


def overlay(html: str) -> str:
    found = re.search(r'<div class="map-stack">(.*?)</div>', html, re.S)
    assert found, "no map on the page"
    return found.group(1)


def test_a_place_page_shades_its_region_or_marks_its_point_and_links_to_openstreetmap(briefing: Briefing) -> None:
    site = build(make(briefing))
    region = (site / "places/kursk-oblast/index.html").read_text()
    town = (site / "places/sudzha/index.html").read_text()
    base = re.search(r'<img src="(\.\./\.\./maps/[0-9a-f]{20}\.svg)"', region)
    assert base, "the region's page shows no base picture"
    picture = (site / "places/kursk-oblast" / base.group(1)).resolve().read_text()
    assert 'class="bm-focus"' in picture and "Kursk" in picture  # shaded and named
    assert "<circle" not in picture  # markers are the page's, laid over the picture
    stack = overlay(town)
    assert 'role="img"' in stack and "<title" in stack and "<desc" in stack
    assert "Sudzha" in stack and "<circle" in stack
    assert "https://www.openstreetmap.org/?mlat=51.1900&amp;mlon=35.2700" in town
    assert "Peta tidak menunjukkan garis kendali." in town
    assert "Natural Earth" in town


def test_a_place_without_coordinates_gets_no_map(briefing: Briefing) -> None:
    site = build(make(briefing))
    river = (site / "places/sungai-seym/index.html").read_text()
    assert 'class="map"' not in river and "maps.css" not in river
    article = (site / "2024/08/15/sungai/index.html").read_text()
    assert 'class="map"' not in article


def test_an_article_map_emphasises_its_first_place_and_lists_the_others(briefing: Briefing) -> None:
    site = build(make(briefing))
    html = (site / "2024/08/15/evakuasi/index.html").read_text()
    stack = overlay(html)
    first, second = stack.index(">Sudzha<"), stack.index(">Korenevo<")
    assert "bm-lmarker" in stack and first != second
    assert 'class="map-places"' in html and "Korenevo</a>" in html


def test_the_day_map_numbers_its_places_as_the_list_under_it_does(briefing: Briefing) -> None:
    site = build(make(briefing))
    page = parse(site / "2024/08/15/index.html")
    html = (site / "2024/08/15/index.html").read_text()
    stack = overlay(html)
    numbers = re.findall(r'<text class="bm-n"[^>]*>(\d+)</text>', stack)
    assert numbers == ["1", "2"]  # newest first: Korenevo, (the river has none), Sudzha
    items = re.findall(r'<li value="(\d+)"><a href="[^"]+">([^<]+)</a>', html)
    assert items == [("1", "Korenevo"), ("2", "Sudzha")]
    assert "Serangan di Korenevo" in html.split('value="1"')[1].split("</li>")[0]
    assert "Evakuasi Sudzha" in html.split('value="2"')[1].split("</li>")[0]
    assert page is not None


def test_pages_in_one_frame_share_one_base_picture(briefing: Briefing) -> None:
    site = build(make(briefing))
    pictures = {m for p in ("2024/08/15/evakuasi/", "2024/08/15/korenevo/", "2024/08/15/")
                for m in re.findall(r'maps/([0-9a-f]{20})\.svg', (site / p / "index.html").read_text())}
    assert len(pictures) == 1
    assert len(list((site / "maps").glob("*.svg"))) <= 4


def test_a_curator_layer_is_drawn_and_credited_with_its_status_source_and_date(briefing: Briefing) -> None:
    site = build(make(briefing, layers=True))
    html = (site / "places/sudzha/index.html").read_text()
    assert "Wilayah yang diklaim Kyiv" in html and "klaim" in html
    assert "menurut Kontan, per 12 Agustus 2024" in html
    assert "selain lapisan redaksi" in html  # the limits say what the layer is
    base = re.search(r'maps/([0-9a-f]{20})\.svg', html)
    assert base
    picture = (site / "maps" / f"{base.group(1)}.svg").read_text()
    assert 'id="b-claimed"' in picture and "bm-claimed" in picture  # hatched, dashed: claimed
    assert "Wilayah yang diklaim Kyiv" in picture  # its legend, in words


def test_editing_a_body_redraws_no_map_and_moving_a_place_redraws_its_maps(briefing: Briefing) -> None:
    make(briefing)
    site = build(briefing)
    pictures = {p: p.read_bytes() for p in (site / "maps").glob("*.svg")}
    day = (site / "2024/08/15/index.html").read_text()
    path = briefing.root / "content/articles/2024/08/evakuasi.md"
    path.write_text(path.read_text() + "\nKalimat baru.\n")
    build(briefing)
    assert {p: p.read_bytes() for p in (site / "maps").glob("*.svg")} == pictures
    assert (site / "2024/08/15/index.html").read_text() == day
    briefing.registry("places", PLACES.replace("[51.41, 34.91]", "[51.45, 34.95]"))
    build(briefing)
    moved = (site / "2024/08/15/index.html").read_text()
    assert overlay(moved) != overlay(day)


def test_the_pdf_shows_the_day_map_on_its_first_page(briefing: Briefing, tmp_path: Path) -> None:
    site = build(make(briefing), pdf=True)
    pdf = next(site.glob("**/*.pdf"))
    first = " ".join(subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"],
                                    capture_output=True, text=True, check=True).stdout.split())
    assert "Peta tidak menunjukkan garis kendali" in first
    assert "Korenevo" in first and "Natural Earth" in first
    subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-r", "40", "-png", str(pdf), str(tmp_path / "p")],
                   check=True)
    from PIL import Image

    page = Image.open(next(tmp_path.glob("p*.png"))).convert("RGB")
    colours = {colour: count for count, colour in page.getcolors(maxcolors=1 << 24) or []}
    land = colours.get((0xf6, 0xf3, 0xec), 0)  # the map's land colour
    assert land > 2000, "no map on page 1"


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_map_words_are_in_the_site_language(briefing: Briefing, language: str) -> None:
    briefing.write("briefing.yml", (briefing.root / "briefing.yml").read_text().replace(
        "language: id", f"language: {language}"))
    site = build(make(briefing))
    html = (site / "places/sudzha/index.html").read_text()
    words = {"id": "Lihat di OpenStreetMap", "en": "See on OpenStreetMap"}
    assert words[language] in html


# --- the registry fields and the layers' files, checked like every other file -------------------


def test_an_unknown_region_code_is_an_error_at_its_line_with_a_suggestion(briefing: Briefing) -> None:
    make(briefing)
    briefing.registry("places", PLACES.replace("RU-KRS", "RU-KUR"))
    error = briefing.only_error()
    assert str(error.location) == "content/data/places.yaml:2:90"
    assert error.field == "kursk-oblast.iso_3166_2" and "'RU-KUR'" in error.message
    assert "RU-KRS" in error.hint


def test_coordinates_outside_the_region_they_name_are_a_warning(briefing: Briefing) -> None:
    make(briefing)
    briefing.registry("places", PLACES.replace("iso_3166_2: RU-KRS}", "iso_3166_2: RU-KRS, coordinates: [35.27, 51.19]}"))
    site, problems = briefing.load()
    assert site is not None
    (warning,) = [p for p in problems if p.field == "kursk-oblast.coordinates"]
    assert "lies outside RU-KRS" in warning.message and "latitude first" in warning.hint


def test_a_label_offset_is_checked(briefing: Briefing) -> None:
    make(briefing)
    briefing.registry("places", PLACES.replace("anchor: start", "anchor: left"))
    error = briefing.only_error()
    assert error.location.path == "content/data/places.yaml" and error.location.line == 5
    assert "korenevo.label.anchor" in error.field


@pytest.mark.parametrize(("geojson", "where", "field", "words"), [
    ('{"type": "FeatureCollection", "features": [}', "content/maps/klaim-kyiv.geojson:1:44", "",
     "not valid JSON"),
    ('{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[\n'
     '  [34.9, 51.1],\n  [35.4, 51.1],\n  [51.4, 135.4],\n  [34.9, 51.1]]]}}',
     "content/maps/klaim-kyiv.geojson:4:3", "geometry.coordinates[0][2]", "off the globe"),
    ('{"type": "Feature", "geometry": {"type": "Circle", "radius": 5}}',
     "content/maps/klaim-kyiv.geojson:1:42", "geometry.type", "expected a geometry"),
    ('{"type": "FeatureCollection", "features": []}', "content/maps/klaim-kyiv.geojson", "", "no geometry"),
    ('{"type": "LineString", "coordinates": [' + ", ".join(["[35.0, 51.0]"] * 50_001) + "]}",
     "content/maps/klaim-kyiv.geojson", "", "50,001 points"),
])
def test_a_malformed_or_oversized_layer_is_an_error_at_its_file(briefing: Briefing, geojson: str, where: str,
                                                               field: str, words: str) -> None:
    make(briefing, layers=True)
    briefing.write("content/maps/klaim-kyiv.geojson", geojson)
    error = briefing.only_error()
    assert (str(error.location), error.field) == (where, field)
    assert words in error.message


@pytest.mark.parametrize(("file", "words"), [
    ("../briefing.yml", "a path inside content/"),
    ("/etc/passwd", "a path inside content/"),
    ("maps/klaim-kyiv.kml", "GeoJSON file"),
    ("maps/hilang.geojson", "no file content/maps/hilang.geojson"),
])
def test_a_layer_file_must_be_geojson_inside_content(briefing: Briefing, file: str, words: str) -> None:
    make(briefing, layers=True)
    briefing.registry("layers", LAYERS.replace("maps/klaim-kyiv.geojson", file))
    error = briefing.only_error()
    assert (str(error.location), error.field) == ("content/data/layers.yaml:2:9", "klaim-kyiv.file")
    assert words in error.message


def test_a_layer_file_that_links_out_of_content_is_refused(briefing: Briefing, tmp_path: Path) -> None:
    make(briefing, layers=True)
    secret = tmp_path / "secret.geojson"
    secret.write_text(SQUARE)
    target = briefing.root / "content/maps/klaim-kyiv.geojson"
    target.unlink()
    target.symlink_to(secret)
    errors = [p for p in briefing.problems().errors if p.location.path == "content/maps/klaim-kyiv.geojson"]
    assert errors and "not in content/" in errors[0].message


def test_a_layer_credits_a_known_source_and_a_status_word(briefing: Briefing) -> None:
    make(briefing, layers=True)
    briefing.registry("layers", LAYERS.replace("source: kontan", "source: kontann"))
    error = briefing.only_error()
    assert error.field == "klaim-kyiv.source" and "kontan" in error.hint
    briefing.registry("layers", LAYERS.replace("status: claimed", "status: rumoured"))
    error = briefing.only_error()
    assert error.field == "klaim-kyiv.status" and "claimed" in error.message + error.hint


def test_the_watch_mode_reloads_a_layer_when_only_its_file_changed(briefing: Briefing) -> None:
    from briefing.content.cache import LoadCache
    from briefing.content.load import load_site

    make(briefing, layers=True)
    cache = LoadCache()
    site, _ = load_site(briefing.root, now=NOW, cache=cache, changed=None)
    assert site is not None and site.layers["klaim-kyiv"].box.north == pytest.approx(51.4)
    briefing.write("content/maps/klaim-kyiv.geojson", SQUARE.replace("51.4", "51.5"))
    site, _ = load_site(briefing.root, now=NOW, cache=cache, changed=["content/maps/klaim-kyiv.geojson"])
    assert site is not None and site.layers["klaim-kyiv"].box.north == pytest.approx(51.5)
