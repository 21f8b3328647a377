"""The built sample in a real headless Chromium, served over HTTP under a sub-path."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from sitekit import PAGES, REPO, Page, serve

pytestmark = pytest.mark.browser

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
PREFIX = "/kursk/"  # the sample's base_url path


@pytest.fixture(scope="module")
def site_url(sample_site: Path) -> Iterator[str]:
    with serve(sample_site, PREFIX) as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_home_shows_the_latest_briefing_and_its_takeaways(page: Any, site_url: str) -> None:
    page.goto(site_url)
    assert page.locator("h1").inner_text() == \
        "Jembatan Seym di Glushkovo runtuh; Moskwa dan Kyiv bersaing klaim kerugian"
    takeaways = page.locator(".takeaways li")
    assert takeaways.count() == 5
    assert takeaways.first.is_visible()
    assert "data per 16 Agustus 2024 22.00 WIB" in page.locator(".as-of").inner_text()


def test_article_shows_source_line_figures_and_claim_badges(page: Any, site_url: str) -> None:
    page.goto(site_url + PAGES["article"])
    source = page.locator(".source-line")
    assert "Kontan, berdasarkan The Telegraph · Editor: Dimas Prasetyo · Jakarta" in source.inner_text()
    figure = page.locator(".key-figures .figure").first
    assert figure.is_visible()
    assert "sekitar 20.000 warga" in figure.inner_text()
    badges = page.locator(".claims .badge")
    assert [b.strip().lstrip("✓ ") for b in badges.all_inner_texts()] == ["terkonfirmasi", "klaim"]
    colour = badges.first.evaluate("b => getComputedStyle(b).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")  # the word comes with a colour
    assert page.locator(".article-image img").get_attribute("alt").startswith("Skema Oblast Kursk")


def test_search_finds_a_word_used_in_only_one_article_body(page: Any, site_url: str) -> None:
    page.goto(site_url + "search/?q=ponton")
    results = page.locator(".search-results li")
    results.first.wait_for(timeout=15_000)
    assert results.count() == 1
    assert "Jembatan Sungai Seym" in results.first.inner_text()
    assert page.locator(".search-results mark").first.inner_text().lower().startswith("ponton")
    results.first.locator("a").click()
    page.wait_for_url("**/2024/08/16/jembatan-seym-glushkovo/")


def test_search_without_javascript_points_to_the_archive(browser: Any, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "search/")
        notice = page.locator(".notice")
        assert notice.is_visible()
        assert "memerlukan JavaScript" in notice.inner_text()
        assert notice.locator("a", has_text="Arsip").get_attribute("href") == "../archive/"
    finally:
        context.close()


def test_dark_scheme_applies(browser: Any, site_url: str) -> None:
    backgrounds = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(site_url)
        backgrounds[scheme] = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        context.close()
    assert backgrounds["light"] == "rgb(253, 252, 248)"
    assert backgrounds["dark"] == "rgb(18, 20, 24)"


@pytest.mark.parametrize("width", [320, 360])
def test_no_horizontal_scroll_on_a_phone(browser: Any, site_url: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 740})
    page = context.new_page()
    wide = []
    for name, path in PAGES.items():
        page.goto(site_url + path)
        if page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth"):
            wide.append(name)
    context.close()
    assert not wide


@pytest.mark.skipif(not AXE.is_file(), reason="run scripts/setup-tests (npm ci) first")
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation(browser: Any, site_url: str, scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme, bypass_csp=True)  # axe is added as a script
    page = context.new_page()
    found = []
    for name, path in PAGES.items():
        page.goto(site_url + path)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        for violation in result["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"]][:3]
                found.append(f"{name}: {violation['id']} ({violation['impact']}): {violation['help']} {targets}")
    context.close()
    assert not found, "\n".join(found)


def test_skip_link_and_visible_keyboard_focus(page: Any, site_url: str) -> None:
    page.goto(site_url + PAGES["article"])
    skip = page.locator(".skip-link")
    assert skip.bounding_box()["y"] < 0  # off screen until focused
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    assert skip.bounding_box()["y"] >= 0
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.tagName, getComputedStyle(document.activeElement).outlineStyle,"
                            " getComputedStyle(document.activeElement).outlineWidth]")
    assert focused[0] == "A" and focused[1] != "none" and focused[2] != "0px"


def test_timeline_filters_work_with_script(page: Any, site_url: str) -> None:
    page.goto(site_url + "timeline/")
    events = page.locator(".timeline .event")
    total = events.count()
    assert total == 14
    page.locator("select[data-filter='places']").select_option("sudzha")
    shown = page.locator(".timeline .event:not([hidden])").count()
    assert 0 < shown < total
    assert f"{shown} peristiwa ditampilkan" in page.locator(".timeline-count").inner_text()
    page.locator("select[data-filter='statuses']").select_option("false")
    assert page.locator(".timeline .event:not([hidden]) h3").all_inner_texts() == [
        "Kyiv sebut 74 permukiman dikuasai, Moskwa klaim laju serangan terhenti"]
    assert page.locator(".timeline-day:not([hidden]) h2").count() == 1  # the other days' headings go
    # The filters live in the address: a reloaded or shared link shows the same events.
    assert "places=sudzha" in page.url and "statuses=false" in page.url
    page.reload()
    assert page.locator(".timeline .event:not([hidden])").count() == 1
    assert page.locator("select[data-filter='places']").input_value() == "sudzha"
    page.locator(".timeline-filters button[type=reset]").click()
    page.wait_for_function("() => !location.search")
    assert page.locator(".timeline .event:not([hidden])").count() == total
    page.locator("select[data-filter='places']").select_option("pltn-kursk")
    page.locator("select[data-filter='statuses']").select_option("false")
    assert page.locator(".timeline .event:not([hidden])").count() == 0


def test_the_search_button_stands_out_in_the_dark(browser: Any, site_url: str) -> None:
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(site_url + "search/")
    button = page.evaluate("""() => { const b = getComputedStyle(document.querySelector('.search-row button'));
        return [b.backgroundColor, b.color, getComputedStyle(document.body).backgroundColor]; }""")
    context.close()
    assert button[0] != button[2], "the button is the page's own colour"
    assert button[0] != button[1]


def test_timeline_is_newest_first_with_a_heading_per_day(page: Any, site_url: str) -> None:
    page.goto(site_url + "timeline/")
    days = page.locator(".timeline-day h2").all_inner_texts()
    assert days[0].startswith("Jumat, 16 Agustus 2024") and days[-1].startswith("Senin, 12 Agustus 2024")
    times = page.locator(".timeline-day").first.locator(".event time").evaluate_all(
        "ts => ts.map(t => t.getAttribute('datetime'))")
    assert times == sorted(times, reverse=True)


def test_timeline_without_script_shows_no_dead_controls(browser: Any, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "timeline/")
    assert not page.locator(".timeline-filters").is_visible()
    assert page.locator(".filter-links a").count() == 4  # the way to filter without a script
    context.close()


def test_every_internal_link_answers_over_http(sample_site: Path, site_url: str) -> None:
    """Follow every internal href and src from every page, as a browser would, under /kursk/
    (but for series/ID/ and threads/ID/ while the site has no such folder: see test_site's
    link check)."""
    pending = tuple(site_url + f"{folder}/" for folder in ("series", "threads")
                    if not (sample_site / folder).is_dir())
    checked: dict[str, int] = {}
    broken = []
    for file in sorted(sample_site.rglob("*.html")):
        rel = file.relative_to(sample_site).as_posix()
        if rel.startswith("pagefind/"):
            continue
        url = site_url + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        parsed = Page(file.read_text(encoding="utf-8"))
        for target in parsed.links + parsed.resources:
            absolute = urljoin(url, target).split("#")[0]
            if urlsplit(absolute).netloc != urlsplit(site_url).netloc or absolute.startswith(pending):
                continue
            if absolute not in checked:
                try:
                    with urllib.request.urlopen(absolute, timeout=10) as response:
                        checked[absolute] = response.status
                except urllib.error.HTTPError as error:
                    checked[absolute] = error.code
            if checked[absolute] != 200:
                broken.append(f"{rel} -> {target}: {checked[absolute]}")
    assert len(checked) >= 100
    assert not broken, "\n".join(broken[:40])
