"""Series charts: the SVG parsed as a reader's tools see it, the axes, the moves, and a real PDF."""

from __future__ import annotations

import math
import re
import subprocess
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from itertools import pairwise, permutations
from pathlib import Path
from typing import Any

import pytest
from babel.dates import format_date
from babel.numbers import format_decimal
from PIL import Image, ImageStat
from test_geo_render import count_near

from briefing.charts.draw import draw_chart, draw_sparkline
from briefing.charts.move import Direction, describe_move, move_between, move_mark, takeaway
from briefing.charts.points import Number, Point, Range, Series, chart_order
from briefing.charts.scale import day_axis, value_axis, zero_in_reason
from briefing.charts.table import table_rows
from briefing.charts.words import ChartWords, MoveWords
from briefing.model import ClaimStatus, Qualifier

SVG = "{http://www.w3.org/2000/svg}"
C, R, K, D, F = (ClaimStatus.CONFIRMED, ClaimStatus.CORROBORATED, ClaimStatus.CLAIMED, ClaimStatus.DISPUTED,
                 ClaimStatus.FALSE)


def number(value: float) -> str:
    return format_decimal(int(value) if float(value).is_integer() else value, locale="id")


WORDS = ChartWords(
    format_date=lambda day: format_date(day, "d MMM", locale="id"),
    format_number=number,
    statuses={C: "terkonfirmasi", R: "terkorroborasi", K: "diklaim", D: "dibantah", F: "keliru"},
    unknown="tidak diketahui",
    moves=MoveWords(up="{series}: naik dari {before} ({before_date}) ke {after} ({after_date})",
                    down="{series}: turun dari {before} ({before_date}) ke {after} ({after_date})",
                    same="{series}: tetap {after} sejak {before_date}"),
    summary="{series}: {count} titik data, {first_date}–{last_date} ({sources})",
    empty="{series}: belum ada data",
    qualifiers={Qualifier.ABOUT: "sekitar {}", Qualifier.MORE_THAN: "lebih dari {}",
                Qualifier.LESS_THAN: "kurang dari {}"},
)
WILAYAH = Series("Wilayah yang diklaim dikuasai Kyiv", "km²")
AUG = date(2024, 8, 12)


def day(n: int) -> date:
    return AUG + timedelta(days=n)


def point(n: int, value: float | Range | None, status: ClaimStatus = C, source: str = "ANTARA",
          qualifier: Qualifier = Qualifier.EXACT) -> Point:
    amount = value if isinstance(value, Range) or value is None else Number(value)
    return Point(day(n), amount, status, source, f"t{n}-{source}", qualifier)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def points_of(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if "chart-point" in g.get("class", "").split()]


def classes(element: ET.Element) -> set[str]:
    return set(element.get("class", "").split())


def lines_of(root: ET.Element) -> list[ET.Element]:
    legend = {id(e) for g in root.iter(f"{SVG}g") if "chart-legend" in classes(g) for e in g.iter()}
    return [p for p in root.iter(f"{SVG}path") if "chart-line" in classes(p) and id(p) not in legend]


def coordinates(d: str) -> list[tuple[float, float]]:
    """The absolute points of a path written by geo.svg.path_data (M x y, then relative l steps)."""
    out: list[tuple[float, float]] = []
    for part in re.findall(r"M[^M]*", d):
        move, _, steps = part[1:].partition("l")
        x, y = (float(v) for v in re.findall(r"-?\d*\.?\d+", move))
        out.append((x, y))
        numbers = [float(v) for v in re.findall(r"-?\d*\.?\d+", steps.rstrip("z"))]
        for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
            x, y = x + dx, y + dy
            out.append((x, y))
    return out


def value_ticks(root: ET.Element) -> dict[float, float]:
    """The y axis' labels read back as numbers, each with the height of its grid line."""
    return {float(t.text.replace(".", "").replace(",", ".")): float(t.get("y", "0")) - 3.6
            for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end" and t.text}


# --- points and axes ---------------------------------------------------------------


def test_chart_order_does_not_depend_on_the_callers_order() -> None:
    same_day = [point(1, 900, K, "TASS"), point(1, Range(600, 800), R, "ISW"), point(1, None, K, "Kompas"),
                point(1, 900, C, "Reuters"), point(0, 1000, K)]
    orders = {tuple(chart_order(p)) for p in permutations(same_day)}
    assert len(orders) == 1
    (order,) = orders
    assert [p.source for p in order] == ["ANTARA", "ISW", "Reuters", "TASS", "Kompas"]  # unknown last


def test_a_range_runs_low_to_high_and_values_are_finite() -> None:
    with pytest.raises(ValueError, match="above its high end"):
        Range(800, 600)
    with pytest.raises(ValueError, match="finite"):
        Number(math.nan)
    with pytest.raises(ValueError, match="finite"):
        Range(0, math.inf)


@pytest.mark.parametrize("data", [[1000, 1150], [99_000, 99_500], [0.1, 0.7], [-5, 12], [5], [0], [-3],
                                  [121_000, 132_000, 150_000], [2.5, 3, 7], [0.3, 0.9], [17, 17_000]])
def test_value_ticks_are_round_steps_of_one_two_or_five(data: list[float]) -> None:
    axis = value_axis(data)
    assert axis.low <= min(data) and axis.high >= max(data)
    assert 2 <= len(axis.ticks) <= 7
    steps = {round(b - a, 9) for a, b in pairwise(axis.ticks)}
    assert len(steps) == 1
    (step,) = steps
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert round(mantissa, 9) in (1, 2, 5)
    assert all(round(t / step, 9).is_integer() for t in axis.ticks)  # multiples of the step: 0.3, not 0.30000000000000004
    assert all(repr(t) == repr(round(t, 9)) for t in axis.ticks)


def test_a_count_starts_at_zero_unless_zero_would_flatten_it() -> None:
    assert value_axis([1000, 1150]).low == 0
    assert zero_in_reason([121_000, 132_000])
    assert not zero_in_reason([99_000, 99_500])  # from zero a change of 0.5 % would not be seen
    assert value_axis([99_000, 99_500]).low == 99_000
    assert not zero_in_reason([-5, 12])
    assert value_axis([-5, 12]).ticks == (-5, 0, 5, 10, 15)


def test_date_ticks_are_days_weeks_months_or_years_within_the_span() -> None:
    days = day_axis([day(0), day(3)])
    assert days.ticks == (day(0), day(1), day(2), day(3))
    weeks = day_axis([day(0), day(40)])
    assert {(b - a).days for a, b in pairwise(weeks.ticks)} == {7}
    months = day_axis([date(2024, 1, 1), date(2024, 9, 30)])
    assert {t.day for t in months.ticks} == {1} and len(months.ticks) <= 7
    years = day_axis([date(2014, 2, 24), date(2024, 9, 30)])
    assert all((t.month, t.day) == (1, 1) for t in years.ticks) and years.ticks[0] > date(2014, 2, 24)
    single = day_axis([day(0)])
    assert single.first < day(0) < single.last


# --- moves -------------------------------------------------------------------------


def test_a_move_up_says_from_where_and_by_how_much() -> None:
    move = move_between(WILAYAH, point(0, 1000, K), point(3, 1150, K))
    assert move is not None and move.direction is Direction.UP and move.by == 150
    assert move_mark(move, WORDS) == "▲ 150\u00a0km²"
    sentence = describe_move(move, WORDS, MoveWords(up="naik dari {before} pada {before_date}", down="", same=""))
    assert sentence == "naik dari 1.000\u00a0km² pada 12 Agu"


def test_a_move_down_or_none() -> None:
    down = move_between(WILAYAH, point(0, 1150), point(1, 1000, qualifier=Qualifier.ABOUT))
    assert down is not None and down.direction is Direction.DOWN and move_mark(down, WORDS) == "▼ 150\u00a0km²"
    assert "ke sekitar 1.000\u00a0km²" in describe_move(down, WORDS)
    same = move_between(WILAYAH, point(0, 1000), point(1, 1000))
    assert same is not None and same.direction is Direction.SAME and move_mark(same, WORDS) == "="


@pytest.mark.parametrize("other", [
    point(1, Range(900, 1200)),
    point(1, None),
    point(1, 1200, qualifier=Qualifier.MORE_THAN),
    point(1, 800, qualifier=Qualifier.LESS_THAN),
])
def test_ranges_bounds_and_unknowns_are_not_comparable(other: Point) -> None:
    assert move_between(WILAYAH, point(0, 1000), other) is None
    assert move_between(WILAYAH, other, point(2, 1000)) is None


def test_the_takeaway_is_the_overall_move_else_a_summary() -> None:
    claimed = [point(0, 1000, K, "Reuters"), point(3, 1150, K), point(4, 5000, F, "Telegram")]
    assert takeaway(WILAYAH, chart_order(claimed), WORDS) == (
        "Wilayah yang diklaim dikuasai Kyiv: naik dari 1.000\u00a0km² (12 Agu) ke 1.150\u00a0km² (15 Agu)")
    only_ranges = [point(0, Range(1, 2)), point(1, None)]
    assert takeaway(WILAYAH, chart_order(only_ranges), WORDS) == (
        "Wilayah yang diklaim dikuasai Kyiv: 2 titik data, 12 Agu–13 Agu (ANTARA)")
    assert takeaway(WILAYAH, [], WORDS) == "Wilayah yang diklaim dikuasai Kyiv: belum ada data"


# --- the SVG -----------------------------------------------------------------------

MIXED = [
    point(0, 1000, K, "Reuters"),
    point(1, Range(600, 800), R, "ISW"),
    point(1, 1000, K, "ANTARA", Qualifier.ABOUT),
    point(2, None, K, "Kompas"),
    point(3, 1150, K),
    point(4, 900, C, "ISW"),
    point(5, 950, C, "ISW"),
    point(6, 1200, F, "Telegram"),
    point(7, 1100, D, "TASS", Qualifier.MORE_THAN),
]


def test_the_svg_is_an_image_that_states_its_takeaway() -> None:
    chart = draw_chart(WILAYAH, MIXED, WORDS, id_prefix="seri-1")
    root = parse(chart.svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.get("viewBox") == "0 0 640 280" and root.get("width") == "100%"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}" == "seri-1-title seri-1-desc"
    assert title.text == chart.takeaway == (
        "Wilayah yang diklaim dikuasai Kyiv: turun dari 1.000\u00a0km² (12 Agu) ke 950\u00a0km² (17 Agu)")
    assert desc.text == "Wilayah yang diklaim dikuasai Kyiv: 9 titik data, 12 Agu–19 Agu (ANTARA, ISW, Kompas, Reuters, TASS, Telegram)"
    style = root.find(f"{SVG}style")
    assert style is not None and "prefers-color-scheme:dark" in (style.text or "")
    assert not list(root.iter(f"{SVG}foreignObject")) and not list(root.iter(f"{SVG}script"))


@pytest.mark.parametrize(("status", "tag", "shape"), [
    (C, "circle", "chart-filled"), (R, "path", "chart-filled"),
    (K, "circle", "chart-hollow"), (D, "path", "chart-hollow"), (F, "path", "chart-cross"),
])
def test_a_markers_shape_says_its_rating(status: ClaimStatus, tag: str, shape: str) -> None:
    root = parse(draw_chart(WILAYAH, [point(0, 10, status), point(1, 20, status)], WORDS, id_prefix="s").svg)
    groups = points_of(root)
    assert len(groups) == 2
    for group in groups:
        assert classes(group) == {"chart-point", f"status-{status.value}"}
        marks = [e for e in group if e.tag != f"{SVG}title"]
        assert [(m.tag, classes(m)) for m in marks] == [(f"{SVG}{tag}", {shape})]
        tip = group.find(f"{SVG}title")
        assert tip is not None and tip.text is not None and WORDS.statuses[status] in tip.text


def test_the_line_is_solid_only_between_confirmed_or_corroborated_points() -> None:
    root = parse(draw_chart(WILAYAH, [point(0, 100, C), point(1, 120, R), point(2, 150, K), point(3, 160, C),
                                      point(4, 170, D)], WORDS, id_prefix="s").svg)
    lines = [classes(p) - {"chart-line"} for p in lines_of(root)]
    assert lines == [{"chart-solid", "status-corroborated"}, {"chart-dashed", "status-claimed"},
                     {"chart-dashed", "status-claimed"}, {"chart-dashed", "status-disputed"}]


def test_an_unknown_value_is_a_gap_and_a_mark_on_the_axis_never_zero() -> None:
    root = parse(draw_chart(WILAYAH, [point(0, 100), point(1, None), point(2, 120)], WORDS, id_prefix="s").svg)
    assert lines_of(root) == []  # no line across the unknown day
    assert len(points_of(root)) == 2  # no marker for the unknown value, at zero or anywhere
    marks = [p for p in root.iter(f"{SVG}path") if "chart-unknown" in classes(p)]
    assert len(marks) == 1
    bottom = max(y for y in value_ticks(root).values())
    assert max(y for _, y in coordinates(marks[0].get("d", ""))) == pytest.approx(bottom, abs=0.2)
    assert "tidak diketahui" in [t.text for t in root.iter(f"{SVG}text")]
    known = parse(draw_chart(WILAYAH, [point(0, 100), point(1, 110), point(2, 120)], WORDS, id_prefix="s").svg)
    assert len(lines_of(known)) == 2


def test_a_range_is_a_bar_from_its_low_to_its_high_end_with_the_marker_in_the_middle() -> None:
    root = parse(draw_chart(WILAYAH, [point(0, Range(600, 800), R), point(1, 1150, K)], WORDS, id_prefix="s").svg)
    ticks = value_ticks(root)
    (bar,) = [p for p in root.iter(f"{SVG}path") if "chart-range" in classes(p)]
    ys = [y for _, y in coordinates(bar.get("d", ""))]
    assert min(ys) == pytest.approx(ticks[800], abs=0.2) and max(ys) == pytest.approx(ticks[600], abs=0.2)
    (diamond,) = [p for g in points_of(root) for p in g.iter(f"{SVG}path") if "chart-filled" in classes(p)]
    corners = coordinates(diamond.get("d", ""))
    middle = (min(y for _, y in corners) + max(y for _, y in corners)) / 2
    assert middle == pytest.approx((ticks[600] + ticks[800]) / 2, abs=0.2)


def test_several_sources_on_one_day_are_all_drawn_side_by_side() -> None:
    same_day = [point(0, 1000, K, "ANTARA"), point(0, 1000, K, "Reuters"), point(0, 700, R, "ISW"), point(1, 1100, K)]
    root = parse(draw_chart(WILAYAH, same_day, WORDS, id_prefix="s").svg)
    groups = points_of(root)
    assert len(groups) == 4
    xs = [float(c.get("cx", "0")) for g in groups for c in g.iter(f"{SVG}circle")]
    assert len(set(xs)) == 3  # the two 1.000s of one day are not one marker
    assert {g.get("data-target") for g in groups} == {"t0-ANTARA", "t0-Reuters", "t0-ISW", "t1-ANTARA"}
    assert len(lines_of(root)) == 1  # one line, from the day's best-rated point: no jump between sources


def test_the_ticks_are_round_numbers_in_the_callers_format() -> None:
    root = parse(draw_chart(WILAYAH, [point(0, 1000, K), point(3, 1150, K)], WORDS, id_prefix="s").svg)
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert labels == ["0", "200", "400", "600", "800", "1.000", "1.200"]
    dates = [t.text for t in root.iter(f"{SVG}text") if t.get("text-anchor") in ("middle", "start")]
    assert dates[:4] == ["12 Agu", "13 Agu", "14 Agu", "15 Agu"]


def test_the_legend_names_every_drawn_rating_in_the_callers_words() -> None:
    root = parse(draw_chart(WILAYAH, MIXED, WORDS, id_prefix="s").svg)
    (legend,) = [g for g in root.iter(f"{SVG}g") if "chart-legend" in classes(g)]
    assert [t.text for t in legend.iter(f"{SVG}text")] == [
        "terkonfirmasi", "terkorroborasi", "diklaim", "dibantah", "keliru"]
    only_claims = parse(draw_chart(WILAYAH, [point(0, 1, K), point(1, 2, K)], WORDS, id_prefix="s").svg)
    (legend,) = [g for g in only_claims.iter(f"{SVG}g") if "chart-legend" in classes(g)]
    assert [t.text for t in legend.iter(f"{SVG}text")] == ["diklaim"]


def test_the_same_points_give_the_same_bytes_in_any_order() -> None:
    first = draw_chart(WILAYAH, MIXED, WORDS, id_prefix="s").svg
    assert draw_chart(WILAYAH, MIXED, WORDS, id_prefix="s").svg == first
    assert draw_chart(WILAYAH, list(reversed(MIXED)), WORDS, id_prefix="s").svg == first
    for svg in (first, draw_sparkline(WILAYAH, MIXED, WORDS, id_prefix="s").svg,
                draw_chart(WILAYAH, [], WORDS, id_prefix="s").svg,
                draw_chart(WILAYAH, [point(0, None)], WORDS, id_prefix="s").svg,
                draw_chart(WILAYAH, [point(0, 0.0)], WORDS, id_prefix="s").svg):
        parse(svg)
        assert not re.search(r"nan|inf", svg, re.IGNORECASE)


def test_a_sparkline_is_the_marks_alone() -> None:
    chart = draw_sparkline(WILAYAH, MIXED, WORDS, id_prefix="kecil")
    root = parse(chart.svg)
    assert root.get("viewBox") == "0 0 160 40" and root.get("role") == "img"
    assert [t.text for t in root.iter(f"{SVG}text")] == []
    assert not [p for p in root.iter(f"{SVG}path") if classes(p) & {"chart-axis", "chart-grid"}]
    assert len(points_of(root)) == 8 and lines_of(root)
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == chart.takeaway


def test_the_table_rows_follow_the_chart() -> None:
    rows = table_rows(WILAYAH, list(reversed(MIXED)), WORDS)
    assert [(r.date_text, r.value_text, r.status_text, r.source) for r in rows[:4]] == [
        ("12 Agu", "1.000\u00a0km²", "diklaim", "Reuters"),
        ("13 Agu", "600–800\u00a0km²", "terkorroborasi", "ISW"),
        ("13 Agu", "sekitar 1.000\u00a0km²", "diklaim", "ANTARA"),
        ("14 Agu", "tidak diketahui", "diklaim", "Kompas"),
    ]
    assert rows[-1].value_text == "lebih dari 1.100\u00a0km²" and rows[-1].status is D
    groups = points_of(parse(draw_chart(WILAYAH, MIXED, WORDS, id_prefix="s").svg))
    assert [g.get("data-target") for g in groups] == [r.target for r in rows if r.value_text != "tidak diketahui"]


@pytest.mark.pdf
def test_weasyprint_draws_the_chart_into_the_pdf(tmp_path: Path) -> None:
    from weasyprint import HTML

    chart = draw_chart(WILAYAH, MIXED, WORDS, id_prefix="seri")
    html = ("<!doctype html><html lang='id'><head><meta charset='utf-8'><title>Seri</title>"
            "<style>@page{size:A4;margin:15mm} .chart{width:160mm}</style></head>"
            f"<body><h1>{WILAYAH.name}</h1>{chart.svg}</body></html>")
    pdf = HTML(string=html).write_pdf()
    assert pdf is not None and pdf.startswith(b"%PDF")
    (tmp_path / "seri.pdf").write_bytes(pdf)
    words = subprocess.run(["pdftotext", str(tmp_path / "seri.pdf"), "-"], check=True, capture_output=True,
                           text=True).stdout.split()
    assert {"0", "200", "1.000", "1.200", "12", "14", "16", "18", "Agu"} <= set(words)
    assert {"terkonfirmasi", "diklaim", "dibantah", "keliru", "tidak", "diketahui"} <= set(words)


@pytest.mark.browser
@pytest.mark.parametrize(("scheme", "confirmed"), [("light", (0x1D, 0x6B, 0x35)), ("dark", (0x8F, 0xDC, 0xA4))])
def test_chromium_shows_the_chart_in_both_colour_schemes(browser: Any, tmp_path: Path, scheme: str,
                                                         confirmed: tuple[int, int, int]) -> None:
    page_style = ("<style>body{margin:0;background:#fdfcf8;color:#1b1b1b}"
                  "@media (prefers-color-scheme: dark){body{background:#121418;color:#e9e7e2}}</style>")
    chart = draw_chart(WILAYAH, MIXED, WORDS, id_prefix="s")
    context = browser.new_context(color_scheme=scheme, viewport={"width": 360, "height": 640})
    try:
        page = context.new_page()
        page.set_content(f"<!doctype html><html><head>{page_style}</head><body>{chart.svg}</body></html>")
        box = page.locator("svg").bounding_box()
        assert box is not None and box["width"] == pytest.approx(360, abs=1)  # scales to a phone's width
        assert box["height"] == pytest.approx(360 * 280 / 640, abs=1)
        page.locator("svg").screenshot(path=str(tmp_path / f"{scheme}.png"))
        image = Image.open(tmp_path / f"{scheme}.png")
        assert count_near(image, confirmed) > 20  # the confirmed discs and their line, in this scheme's green
        mean = ImageStat.Stat(image.convert("L")).mean[0]
        assert (mean > 180) if scheme == "light" else (mean < 90)
        fill = page.locator("svg text").first.evaluate("e => getComputedStyle(e).fill")
        assert fill == page.evaluate("() => getComputedStyle(document.body).color")  # currentColor: the page's ink
    finally:
        context.close()
