"""The Content-Security-Policy of every page, checked in a real Chromium.

The policy is a meta tag in base.html (a static host may send no headers). Chromium
reports each refused load, inline script or style attribute as a
`securitypolicyviolation` event and a console error: the tests listen for both on every
kind of page, run the scripts each page has (search, timeline filters, live reload) and
expect silence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import CONFIG, META, Briefing
from sitekit import PAGES, file_for, serve

pytestmark = pytest.mark.browser

PREFIX = "/kursk/"  # the sample's base_url path

#: Registered before any script of the page runs, again on every load.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => window.__violations.push(
  `${event.effectiveDirective} refused ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`));
"""

#: Keeps live.js's EventSource where a test can see that it is connected.
KEEP_EVENTS = """
window.EventSource = class extends EventSource {
  constructor(...args) { super(...args); window.__events = this; }
};
"""

POLICY = {
    "default-src": ["'none'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}
#: Pagefind compiles WebAssembly when it cannot use its worker, and starts that worker.
SEARCH_POLICY = {**POLICY, "script-src": ["'self'", "'wasm-unsafe-eval'"], "worker-src": ["'self'"]}


class _Head(HTMLParser):
    """The elements of a page's <head>, in order, as (tag, attributes)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self._in_head = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "head":
            self._in_head = True
        elif self._in_head:
            self.elements.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self._in_head = False


def _policies(html: str) -> list[dict[str, list[str]]]:
    found = []
    for tag, attrs in _Head(html).elements:
        if tag == "meta" and attrs.get("http-equiv", "").lower() == "content-security-policy":
            directives = (part.split() for part in attrs["content"].split(";") if part.strip())
            found.append({name: values for name, *values in directives})
    return found


class Watched:
    """A page with ears: CSP violations (per load) and console errors (since it opened)."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.console: list[str] = []
        page.on("console", lambda message: self.console.append(f"{message.text} {message.location['url']}")
                if message.type == "error" else None)
        page.on("pageerror", lambda error: self.console.append(f"uncaught: {error}"))

    def violations(self) -> list[str]:
        return list(self.page.evaluate("() => window.__violations"))

    def assert_quiet(self, what: str) -> None:
        assert self.violations() == [], what
        assert self.console == [], what


@pytest.fixture(scope="module")
def site_url(sample_site: Path) -> Iterator[str]:
    with serve(sample_site, PREFIX) as url:
        yield url


@pytest.fixture
def watched(browser: Any) -> Iterator[Callable[..., Watched]]:
    contexts = []

    def open_page(**options: Any) -> Watched:
        context = browser.new_context(**options)
        contexts.append(context)
        context.add_init_script(LISTEN)
        return Watched(context.new_page())

    yield open_page
    for context in contexts:
        context.close()


def test_every_html_page_carries_the_policy_before_anything_it_governs(sample_site: Path) -> None:
    pages = sorted(sample_site.rglob("*.html"))
    assert len(pages) > 50
    for path in pages:
        html = path.read_text(encoding="utf-8")
        name = str(path.relative_to(sample_site))
        expected = SEARCH_POLICY if name == "search/index.html" else POLICY
        if name == "404.html":  # its stylesheet inline, allowed by its hash: styled at any address
            expected = {**POLICY, "style-src": ["'self'", _policies(html)[0]["style-src"][-1]]}
            assert expected["style-src"][-1].startswith("'sha256-")
        assert _policies(html) == [expected], name
        head = _Head(html).elements
        # A meta policy covers only what comes after it: right after the charset.
        assert head[0] == ("meta", {"charset": "utf-8"}), name
        assert head[1][1].get("http-equiv") == "Content-Security-Policy", name


def test_allowed_image_hosts_join_img_src(make_briefing: Callable[..., Briefing]) -> None:
    from briefing.build import BuildOptions, build_site

    briefing = make_briefing(config=CONFIG + "network: {allowed_hosts: [upload.wikimedia.org]}\n")
    briefing.markdown("2024-08-15-evakuasi", body="![Peta](https://upload.wikimedia.org/peta.png)\n")
    build_site(briefing.root, BuildOptions(search=False, pdf=False), use_cache=False)
    html = (briefing.root / "site/2024/08/15/evakuasi/index.html").read_text(encoding="utf-8")
    assert 'src="https://upload.wikimedia.org/peta.png"' in html
    assert _policies(html)[0]["img-src"] == ["'self'", "data:", "upload.wikimedia.org"]


def test_the_listener_hears_what_the_policy_refuses(watched: Callable[..., Watched], site_url: str) -> None:
    """The control for the tests below: a style attribute and a picture from another host."""
    page = watched()
    page.page.goto(site_url)
    page.page.evaluate("""() => document.querySelector("main").insertAdjacentHTML("beforeend",
        '<p style="color: red">x</p><img src="https://example.invalid/x.png" alt="">')""")
    page.page.wait_for_function("() => window.__violations.length >= 2")
    refused = " ".join(page.violations())
    assert "style-src-attr refused inline" in refused
    assert "img-src refused https://example.invalid/x.png" in refused


@pytest.mark.parametrize("name", list(PAGES))
def test_no_page_kind_reports_a_violation(watched: Callable[..., Watched], site_url: str, name: str) -> None:
    page = watched()
    page.page.goto(site_url + PAGES[name])
    page.page.wait_for_load_state("networkidle")
    assert page.page.evaluate("() => getComputedStyle(document.body).backgroundColor") == "rgb(253, 252, 248)"
    if name == "article":
        # JSON-LD is data: Chromium neither runs nor refuses it.
        assert page.page.locator('script[type="application/ld+json"]').count() >= 2
    if name == "search":
        page.page.fill("#search-query", "ponton")
        page.page.press("#search-query", "Enter")
        page.page.locator(".search-results li").first.wait_for(timeout=15_000)
        assert "Jembatan Sungai Seym" in page.page.locator(".search-results").inner_text()
    if name.startswith("timeline"):
        events = page.page.locator(".timeline .event")
        total = events.count()
        page.page.locator(".timeline-filters").wait_for()  # the script showed the filters
        page.page.select_option('select[data-filter="places"]', index=1)
        shown = page.page.locator(".timeline .event:not([hidden])").count()
        assert 0 < shown < total
        assert page.page.locator(".timeline-count").inner_text().startswith(str(shown))
    page.assert_quiet(name)


def test_the_404_page_at_a_deep_address_loads_its_files_under_the_policy(
        watched: Callable[..., Watched], site_url: str) -> None:
    """The 404 page is served at any address: its rooted links are still 'self'."""
    page = watched()
    address = site_url + "2024/08/99/tidak-ada/lagi/"
    response = page.page.goto(address)
    assert response is not None and response.status == 404
    assert page.page.evaluate("() => getComputedStyle(document.body).backgroundColor") == "rgb(253, 252, 248)"
    # Chromium logs the page's own status as an error; nothing else may be logged.
    page.console.remove(f"Failed to load resource: the server responded with a status of 404 (Not Found) {address}")
    page.assert_quiet("404 at a deep address")


def test_the_404_page_is_styled_where_the_site_is_served_without_its_base_path(
        watched: Callable[..., Watched], sample_site: Path) -> None:
    """A host serving the site at its root (not under /kursk/): the page for missing addresses
    still has its styles (inline, allowed by their hash), and the policy refuses nothing."""
    with serve(sample_site, "/") as url:
        page = watched()
        address = url + "tidak/ada/"
        response = page.page.goto(address)
        assert response is not None and response.status == 404
        assert page.page.evaluate("() => getComputedStyle(document.body).backgroundColor") == "rgb(253, 252, 248)"
        assert page.page.evaluate("() => getComputedStyle(document.querySelector('.site-header')).backgroundColor") \
            == "rgb(21, 35, 59)"
        page.console.remove(f"Failed to load resource: the server responded with a status of 404 (Not Found) {address}")
        page.console[:] = [m for m in page.console if "Failed to load resource" not in m]  # its rooted links: /kursk/
        assert page.violations() == [], page.violations()


def test_search_without_a_worker_compiles_pagefind_under_the_policy(watched: Callable[..., Watched],
                                                                     site_url: str) -> None:
    """Pagefind falls back to the page itself when it has no worker: 'wasm-unsafe-eval'."""
    page = watched()
    page.page.add_init_script("delete window.Worker;")
    page.page.goto(site_url + "search/?q=ponton")
    page.page.locator(".search-results li").first.wait_for(timeout=15_000)
    page.assert_quiet("search without a worker")


def test_opened_from_disk_the_policy_refuses_nothing(watched: Callable[..., Watched], sample_site: Path) -> None:
    """From file:// 'self' still matches the site's files: stylesheets and the timeline script
    work; search fails as it does without a policy (Chromium refuses module scripts from
    file://, a CORS rule), and the 404 page's rooted links point outside the folder."""
    for name in ("home", "article", "timeline", "search", "404"):
        page = watched()
        page.page.goto(file_for(sample_site.resolve(), PAGES[name]).as_uri())
        page.page.wait_for_load_state("load")
        assert page.violations() == [], name
        if name in ("home", "article", "timeline"):
            assert page.page.evaluate("() => getComputedStyle(document.body).backgroundColor") == \
                "rgb(253, 252, 248)"
            assert page.console == [], name
        if name == "timeline":
            assert page.page.locator(".timeline-filters").is_visible()


def test_aligned_table_cells_keep_their_alignment(watched: Callable[..., Watched],
                                                  make_briefing: Callable[..., Briefing]) -> None:
    from briefing.build import BuildOptions, build_site

    briefing = make_briefing()
    briefing.markdown("2024-08-15-evakuasi", body="| Desa | Warga |\n|:--|--:|\n| Glushkovo | 2.000 |\n")
    build_site(briefing.root, BuildOptions(search=False, pdf=False), use_cache=False)
    with serve(briefing.root / "site", "/briefing/") as url:
        page = watched()
        page.page.goto(url + "2024/08/15/evakuasi/")
        cell = page.page.locator(".body td").nth(1)
        assert cell.evaluate("td => getComputedStyle(td).textAlign") == "right"
        page.assert_quiet("aligned table")


def test_live_reload_and_its_overlay_work_under_the_policy(watched: Callable[..., Watched],
                                                           make_briefing: Callable[..., Briefing]) -> None:
    from test_serve import Preview

    briefing = make_briefing()
    briefing.markdown("2024-08-15-evakuasi")
    preview = Preview(briefing, "--no-pdf", "--no-search")
    try:
        page = watched()
        page.page.add_init_script(KEEP_EVENTS)
        page.page.goto(preview.url + "2024/08/15/evakuasi/")
        # The script the preview adds comes after the policy, so the policy governs it.
        html = page.page.content()
        assert html.index("Content-Security-Policy") < html.index("/__briefing/live.js")
        page.page.wait_for_function("() => window.__events?.readyState === EventSource.OPEN")
        preview.next_build(lambda: briefing.markdown("2024-08-15-evakuasi", META.replace("warga", "penduduk")),
                           "the edit")
        page.page.wait_for_function("() => document.querySelector('h1').textContent.includes('penduduk')",
                                    timeout=10_000)
        page.assert_quiet("after the reload")

        preview.next_build(lambda: briefing.markdown("2024-08-15-evakuasi", META + "sumary: salah ketik\n"),
                           "the broken save")
        overlay = page.page.locator("#briefing-problems")
        overlay.wait_for(timeout=10_000)
        assert "unknown field 'sumary'" in overlay.inner_text()
        # Styled through the CSSOM, which style-src 'self' allows (a style attribute would not be).
        assert overlay.evaluate("box => getComputedStyle(box).position") == "fixed"
        page.assert_quiet("with the overlay")
    finally:
        preview.stop()

