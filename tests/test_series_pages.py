"""Series and thread pages, their indexes and data, and how registry and article pages show them."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import META, NOW, Briefing
from sitekit import file_for, parse, site_paths

from briefing.build import BuildOptions, build_site

OPTIONS = BuildOptions(pdf=False, search=False, now=NOW)


# --- the sample -------------------------------------------------------------------------


def test_the_territory_series_page_shows_its_chart_and_table(sample_site: Path) -> None:
    path = "series/wilayah-dikuasai-ukraina/"
    html = file_for(sample_site, path).read_text(encoding="utf-8")
    page = parse(file_for(sample_site, path))
    assert page.h1.strip() == "Wilayah Rusia yang diklaim dikuasai Ukraina di Kursk"
    assert "Satuan km²" in page.text and "Tempat Oblast Kursk, Rusia" in page.text
    assert html.count("<svg") == 1 and "<style>" not in html  # the policy allows no inline style
    assert "static/charts.css" in " ".join(page.resources)
    table = page.text[page.text.index("Tanggal Angka"):]
    assert "12 Agustus 2024 sekitar 1.000 km² klaim ANTARA" in table
    assert "15 Agustus 2024 lebih dari 1.150 km² klaim ANTARA" in table
    links = site_paths(path, page.links)
    assert "2024/08/12/kyiv-klaim-1000-km2/" in links and "places/kursk-oblast/" in links


def test_the_series_index_has_a_sparkline_and_the_latest_value_of_each(sample_site: Path) -> None:
    html = file_for(sample_site, "series/").read_text(encoding="utf-8")
    page = parse(file_for(sample_site, "series/"))
    assert html.count('class="sparkline"') == 4
    assert "Terakhir: 82 permukiman · 15 Agustus 2024" in page.text
    assert "Terakhir: 100–500 prajurit · 14 Agustus 2024" in page.text


def test_the_sudzha_thread_page_shows_its_status_and_history(sample_site: Path) -> None:
    page = parse(file_for(sample_site, "threads/sudzha-dikuasai/"))
    assert page.h1.strip() == "Apakah Ukraina menguasai kota Sudzha?"
    assert "Status saat ini didukung sumber lain sejak 15 Agustus 2024" in page.text
    assert "Diklaim oleh Oleksandr Syrskyi" in page.text
    assert "Status redaksi: didukung sumber lain" in page.text
    assert "Sumber: ANTARA · Ukraina bentuk kantor komandan militer di Sudzha" in page.text


def test_the_thread_index_groups_threads_by_current_status(sample_site: Path) -> None:
    text = parse(file_for(sample_site, "threads/")).text
    assert text.index("terkonfirmasi Apakah jembatan") < text.index("didukung sumber lain Apakah Ukraina")


def test_registry_pages_list_their_series_and_threads(sample_site: Path) -> None:
    kursk = parse(file_for(sample_site, "places/kursk-oblast/"))
    assert "Seri angka" in kursk.text and "Wilayah Rusia yang diklaim dikuasai Ukraina di Kursk" in kursk.text
    assert "series/wilayah-dikuasai-ukraina/" in site_paths("places/kursk-oblast/", kursk.links)
    # Sudzha lies within the oblast: its thread is listed there too, with its status.
    assert "Apakah Ukraina menguasai kota Sudzha? didukung sumber lain sejak 15 Agustus 2024" in kursk.text
    assert "Apakah Ukraina menguasai kota Sudzha?" in parse(file_for(sample_site, "actors/ukraina/")).text
    assert "Seri angka" in parse(file_for(sample_site, "topics/tawanan-perang/")).text
    assert "Seri angka" not in parse(file_for(sample_site, "places/sudzha/")).text


def test_an_article_tells_where_its_figure_stands_in_its_series(sample_site: Path) -> None:
    path = "2024/08/15/komandan-militer-sudzha/"
    page = parse(file_for(sample_site, path))
    assert "Seri: Permukiman di Oblast Kursk yang diklaim dikuasai Ukraina · naik dari 74 permukiman " \
           "pada 13 Agustus" in page.text
    assert "Utas: Apakah Ukraina menguasai kota Sudzha? · klaim pertama dalam utas ini" in page.text
    assert {"series/permukiman-dikuasai-ukraina/", "threads/sudzha-dikuasai/"} <= set(site_paths(path, page.links))
    # 'more than 1.150' is no single value: no move is told against 'about 1.000'
    assert "dari 1.000" not in page.text
    assert "naik dari" not in parse(file_for(sample_site, "2024/08/12/kyiv-klaim-1000-km2/")).text


def test_the_data_files_hold_every_point_and_agree(sample_site: Path) -> None:
    data = json.loads((sample_site / "data/series.json").read_text(encoding="utf-8"))
    rows = list(csv.DictReader(io.StringIO((sample_site / "data/series.csv").read_text(encoding="utf-8"))))
    points = [p for s in data["series"] for p in s["points"]]
    assert len(points) == len(rows) == 7
    territory = [p for p in points if p["series"] == "wilayah-dikuasai-ukraina"]
    assert [(p["date"], p["value"], p["qualifier"], p["status"], p["source"]) for p in territory] == [
        ("2024-08-12", 1000, "about", "claimed", "ANTARA"), ("2024-08-15", 1150, "more-than", "claimed", "ANTARA")]
    assert territory[0]["article"] == "https://briefing.example.org/kursk/2024/08/12/kyiv-klaim-1000-km2/"
    for point, row in zip(points, rows, strict=True):
        assert row["value"] == ("" if point["value"] is None else str(point["value"]))
        assert (row["series"], row["date"], row["status"], row["article"]) == (
            point["series"], point["date"], point["status"], point["article"])
    pow_row = next(r for r in rows if r["series"] == "tawanan-perang-rusia")
    assert (pow_row["value"], pow_row["min"], pow_row["max"]) == ("", "100", "500")
    threads = json.loads((sample_site / "data/threads.json").read_text(encoding="utf-8"))["threads"]
    sudzha = next(t for t in threads if t["id"] == "sudzha-dikuasai")
    assert (sudzha["status"], sudzha["since"], len(sudzha["claims"])) == ("corroborated", "2024-08-15", 1)
    thread_rows = list(csv.DictReader(io.StringIO((sample_site / "data/threads.csv").read_text(encoding="utf-8"))))
    assert [r["claim"] for r in thread_rows] == [c["claim"] for t in threads for c in t["claims"]]


def test_the_sitemap_and_the_navigation_name_the_new_pages(sample_site: Path) -> None:
    sitemap = (sample_site / "sitemap.xml").read_text(encoding="utf-8")
    for path in ("series/", "series/pengungsi-kursk/", "threads/", "threads/jembatan-seym/"):
        assert f"<loc>https://briefing.example.org/kursk/{path}</loc>" in sitemap
    home = parse(file_for(sample_site, ""))
    assert {"series/", "threads/"} <= set(site_paths("", home.links))


# --- tiny trees ---------------------------------------------------------------------------


SERIES = "korban: {name: Korban, unit: orang}\n"
THREADS = "jembatan: {question: Apakah jembatan runtuh?, places: [glushkov]}\n"


def _tree(make_briefing: Callable[..., Briefing]) -> Briefing:
    """Three days of one series and one thread: claimed, unknown, confirmed; the rating changes."""
    b = make_briefing()
    b.registry("series", SERIES)
    b.registry("threads", THREADS)
    days = (("2024-08-13", "{value: 10, claim: k}", "claimed"),
            ("2024-08-14", "{value: null}", "claimed"),
            ("2024-08-15", "{value: 25, claim: k}", "confirmed"))
    for day, figure, status in days:
        meta = META.replace("2024-08-15", day).replace("Rusia perintahkan", f"Hari {day[-2:]}") + (
            f"figures:\n  - {figure[:-1]}, label: korban, series: korban}}\n"
            f"claims:\n  - {{id: k, text: Jembatan runtuh {day}., by: rusia, status: {status}, thread: jembatan"
            + (", evidence: [https://example.org/bukti]" if status == "confirmed" else "") + "}\n")
        b.markdown(f"{day}-hari", meta)
    build_site(b.root, OPTIONS, use_cache=False)
    return b


def test_an_unknown_value_is_a_gap_not_zero(make_briefing: Callable[..., Briefing]) -> None:
    b = _tree(make_briefing)
    site = b.root / "site"
    html = (site / "series/korban/index.html").read_text(encoding="utf-8")
    page = parse(site / "series/korban/index.html")
    assert "14 Agustus 2024 tidak diketahui" in page.text
    assert 'class="chart-unknown ' in html  # a mark on the bottom axis, not a point at zero
    assert html.count('class="chart-point ') == 2
    assert "point-unknown" in html
    data = json.loads((site / "data/series.json").read_text(encoding="utf-8"))
    assert [p["value"] for p in data["series"][0]["points"]] == [10, None, 25]
    rows = list(csv.DictReader(io.StringIO((site / "data/series.csv").read_text(encoding="utf-8"))))
    assert [r["value"] for r in rows] == ["10", "", "25"]


def test_a_claimed_point_does_not_look_confirmed(make_briefing: Callable[..., Briefing]) -> None:
    html = (_tree(make_briefing).root / "site/series/korban/index.html").read_text(encoding="utf-8")
    claimed = html[html.index('<g class="chart-point status-claimed'):]
    confirmed = html[html.index('<g class="chart-point status-confirmed'):]
    assert claimed[:claimed.index("</g>")].count("chart-hollow") == 1
    assert confirmed[:confirmed.index("</g>")].count("chart-filled") == 1
    assert 'class="point point-claimed"' in html and 'class="point point-confirmed"' in html


def test_a_thread_marks_each_change_of_status(make_briefing: Callable[..., Briefing]) -> None:
    site = _tree(make_briefing).root / "site"
    page = parse(site / "threads/jembatan/index.html")
    assert "Status saat ini terkonfirmasi sejak 15 Agustus 2024" in page.text
    assert page.text.count("berubah dari klaim ke terkonfirmasi") == 1
    assert page.text.index("Jembatan runtuh 2024-08-15") < page.text.index("Jembatan runtuh 2024-08-13")
    article = parse(site / "2024/08/15/hari/index.html")
    assert "Utas: Apakah jembatan runtuh? · berubah dari klaim pada 14 Agustus" in article.text
    assert "naik dari 10 orang pada 13 Agustus" in article.text  # past the unknown day
    assert "Apakah jembatan runtuh? terkonfirmasi" in parse(site / "places/glushkov/index.html").text
    assert "Apakah jembatan runtuh?" in parse(site / "places/kursk-oblast/index.html").text


@pytest.mark.parametrize("edited", ["2024-08-13", "2024-08-15"])
def test_editing_a_point_re_renders_its_series_and_the_articles_after_it(
        make_briefing: Callable[..., Briefing], edited: str) -> None:
    b = _tree(make_briefing)
    build_site(b.root, OPTIONS)
    path = b.root / f"content/articles/2024/08/{edited}-hari.md"
    text = path.read_text()
    path.write_text(text.replace("value: 10,", "value: 12,").replace("value: 25,", "value: 27,"))
    rendered = set(build_site(b.root, OPTIONS).rendered)
    later = {"2024-08-13": {"2024/08/14/hari/index.html", "2024/08/15/hari/index.html"}, "2024-08-15": set()}
    assert {f"2024/08/{edited[-2:]}/hari/index.html", *later[edited]} <= rendered
    assert {"series/korban/index.html", "series/index.html", "data/series.json", "data/series.csv"} <= rendered
    assert "claims/index.html" not in rendered
