"""The Kursk map as readers get it: in a PDF made by WeasyPrint, and in Chromium, light and dark."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageStat
from test_geo import kursk_spec

from briefing.geo.draw import draw_map

FOCUS_LIGHT = (0xE0, 0x70, 0x3F)  # .bm-focus
FOCUS_DARK = (0xB4, 0x53, 0x2C)


def page_html(svg: str) -> str:
    return (
        "<!doctype html><html lang='id'><head><meta charset='utf-8'><title>Peta</title>"
        "<style>@page{size:A4;margin:15mm} body{margin:0} svg{width:160mm;height:auto;display:block}</style>"
        f"</head><body><h1>Peta Kursk</h1>{svg}<p>Sumber peta: Natural Earth.</p></body></html>"
    )


def count_near(image: Image.Image, colour: tuple[int, int, int], tolerance: int = 12) -> int:
    colours = image.convert("RGB").getcolors(maxcolors=1 << 24) or []
    return sum(n for n, c in colours if all(abs(a - b) <= tolerance for a, b in zip(c, colour, strict=True)))


@pytest.mark.pdf
def test_weasyprint_draws_the_map_into_the_pdf(tmp_path: Path) -> None:
    from weasyprint import HTML

    pdf = tmp_path / "peta.pdf"
    HTML(string=page_html(draw_map(kursk_spec()))).write_pdf(pdf)
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True)
    image = Image.open(tmp_path / "page-1.png")
    colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
    assert colours is not None and len(colours) > 50  # not a blank page: land, shades, borders, text
    assert count_near(image, FOCUS_LIGHT) > 500  # Kursk oblast, shaded in the light colours
    assert count_near(image, FOCUS_DARK, 6) < 50  # the dark-scheme block is left aside in print
    words = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert {"Kursk", "Sudzha", "Belgorod", "RUSIA", "UKRAINA"} <= set(words.split())
    assert "Natural Earth" in words


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_chromium_shows_the_map_in_both_colour_schemes(browser: Any, tmp_path: Path, scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme, viewport={"width": 360, "height": 640})
    try:
        page = context.new_page()
        page.set_content(page_html(draw_map(kursk_spec())).replace("width:160mm", "width:100%"))
        svg = page.locator("svg")
        box = svg.bounding_box()
        assert box is not None and box["width"] == pytest.approx(360, abs=1)  # fits a phone
        svg.screenshot(path=str(tmp_path / f"{scheme}.png"))
        image = Image.open(tmp_path / f"{scheme}.png")
        focus = FOCUS_LIGHT if scheme == "light" else FOCUS_DARK
        assert count_near(image, focus) > 500
        mean = ImageStat.Stat(image.convert("L")).mean[0]
        assert (mean > 180) if scheme == "light" else (mean < 90)
    finally:
        context.close()
