"""The built website: every page type, feeds, links, valid HTML, no injected script."""

from __future__ import annotations

import json
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import CONFIG, META, NOW, Briefing
from sitekit import PAGES, REPO, Page, file_for, parse, site_paths

from briefing.build import BuildOptions, build_site

ATOM = "{http://www.w3.org/2005/Atom}"
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_type_is_written_in_the_site_language(name: str, sample_site: Path) -> None:
    page = parse(file_for(sample_site, PAGES[name]))
    assert page.lang == "id"
    assert page.h1.strip()
    assert page.title.strip().endswith("Briefing Kursk")
    canonical = next(a for a in page.alternates if a.startswith("https://"))
    assert canonical.startswith("https://briefing.example.org/kursk/")


@pytest.mark.parametrize(("name", "current", "section"), [
    ("places", "../places/", None), ("place", None, "../../places/"),
    ("timeline month", None, "../../timeline/"), ("claim status", None, "../../claims/"),
    ("article", None, None), ("home", "./", None)])
def test_the_navigation_marks_the_page_and_the_section_it_is_in(
        name: str, current: str | None, section: str | None, sample_site: Path) -> None:
    html = file_for(sample_site, PAGES[name]).read_text(encoding="utf-8")
    nav = html[html.index('<nav class="site-nav"'):html.index("</nav>")]
    assert re.findall(r'href="([^"]+)" aria-current="page"', nav) == ([current] if current else [])
    assert re.findall(r'href="([^"]+)" aria-current="true"', nav) == ([section] if section else [])


def test_home_leads_with_the_latest_day(sample_site: Path) -> None:
    page = parse(sample_site / "index.html")
    assert page.h1.strip() == "Jembatan Seym di Glushkovo runtuh; Moskwa dan Kyiv bersaing klaim kerugian"
    assert "data per 16 Agustus 2024 22.00 WIB" in page.text
    assert "Poin utama" in page.text
    assert "Kerugian Rusia sendiri di Kursk tidak diumumkan." in page.text
    assert "Jumat, 16 Agustus 2024" in page.text
    assert "Kamis, 15 Agustus 2024" in page.text  # the days before


def test_article_shows_source_line_figures_claims_and_taxonomy(sample_site: Path) -> None:
    page = parse(file_for(sample_site, PAGES["article"]))
    text = page.text
    assert "Kontan, berdasarkan The Telegraph · Editor: Dimas Prasetyo · Jakarta" in text
    assert "sekitar 20.000 warga" in text
    assert "terkonfirmasi" in text and "klaim" in text
    assert "oleh Blogger militer pro-Kremlin" in text
    assert "Distrik Glushkovo, Oblast Kursk" in text  # a place with its parent
    assert "../../../../places/glushkov/" in page.links
    assert "Baca Juga" not in text  # the outlet's teasers are dropped
    jsonld = [json.loads(s) for s in page.scripts]
    news = next(item for item in jsonld if item["@type"] == "NewsArticle")
    assert news["isBasedOn"]["publisher"]["name"] == "The Telegraph"
    assert news["dateline"] == "Jakarta"
    assert {p["name"] for p in news["contentLocation"]} >= {"Distrik Glushkovo, Oblast Kursk"}
    assert any(item["@type"] == "ClaimReview" for item in jsonld)  # a rated claim
    assert any(item["@type"] == "Claim" for item in jsonld)  # a claim only reported


def test_day_page_links_its_pdf_and_lists_articles_in_curated_order(sample_site: Path) -> None:
    page = parse(file_for(sample_site, PAGES["day"]))
    links = site_paths(PAGES["day"], page.links)
    assert "2024/08/15/briefing-kursk-2024-08-15.pdf" in links
    assert (sample_site / "2024/08/15/briefing-kursk-2024-08-15.pdf").is_file()
    html = file_for(sample_site, PAGES["day"]).read_text(encoding="utf-8")
    cards = Page(html[html.index('<section class="day-articles"'):])  # the map's list names them too
    order = list(dict.fromkeys(link.removeprefix("2024/08/15/") for link in site_paths(PAGES["day"], cards.links)
                               if link.startswith("2024/08/15/") and link.count("/") == 4))
    assert order == ["komandan-militer-sudzha/", "evakuasi-glushkovo/", "stasiun-gas-sudzha/"]


def test_feeds_sitemap_robots_and_data(sample_site: Path) -> None:
    articles = ET.parse(sample_site / "feeds/articles.xml").getroot()
    assert articles.tag == f"{ATOM}feed"
    entries = articles.findall(f"{ATOM}entry")
    assert len(entries) == 14
    for entry in entries:
        for child in ("title", "id", "updated", "published", "summary", "author"):
            assert entry.find(f"{ATOM}{child}") is not None, child
    briefings = ET.parse(sample_site / "feeds/briefings.xml").getroot()
    enclosures = briefings.findall(f"{ATOM}entry/{ATOM}link[@rel='enclosure']")
    assert len(enclosures) == 5
    assert all(e.get("type") == "application/pdf" for e in enclosures)
    feed = json.loads((sample_site / "feeds/articles.json").read_text())
    assert feed["version"] == "https://jsonfeed.org/version/1.1" and len(feed["items"]) == 14
    sitemap = ET.parse(sample_site / "sitemap.xml").getroot()
    locs = [e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://briefing.example.org/kursk/2024/08/15/evakuasi-glushkovo/" in locs
    assert "Sitemap: https://briefing.example.org/kursk/sitemap.xml" in (sample_site / "robots.txt").read_text()
    data = json.loads((sample_site / "data/articles.json").read_text())
    record = next(a for a in data["articles"] if a["id"] == "2024-08-15-evakuasi-glushkovo")
    assert record["source"] == {"outlet": "kontan", "based_on": "telegraph", "url": None, "author": None,
                                "editor": "Dimas Prasetyo", "dateline": "Jakarta"}
    assert data["places"]["glushkov"]["within"] == "kursk-oblast"
    # Researchers can follow a figure to its series and a claim to its thread from here too.
    sudzha = next(a for a in data["articles"] if a["id"] == "2024-08-15-komandan-militer-sudzha")
    assert {f["series"] for f in sudzha["figures"]} >= {"wilayah-dikuasai-ukraina", "permukiman-dikuasai-ukraina"}
    assert "sudzha-dikuasai" in {c["thread"] for c in sudzha["claims"]}
    assert all({"disputed_by", "disputed_by_text"} <= set(c) for a in data["articles"] for c in a["claims"])


def test_no_broken_internal_link_or_missing_asset(sample_site: Path) -> None:
    """Crawl every HTML file; every internal link and resource must be a file of the site.

    The "since the last briefing" sections link series/ID/ and threads/ID/, pages another
    change of issue 18 builds: while the site has no such folder at all, those links are
    left aside (once it has one, every link into it is checked like the rest)."""
    pending = tuple(f"{folder}/" for folder in ("series", "threads") if not (sample_site / folder).is_dir())
    broken = []
    pages = sorted(sample_site.rglob("*.html"))
    for file in pages:
        rel = file.relative_to(sample_site).as_posix()
        if rel.startswith("pagefind/"):
            continue
        base = "http://site/" + rel
        page = parse(file)
        for target in page.links + page.resources:
            absolute = urljoin(base, target)
            parts = urlsplit(absolute)
            if parts.netloc != "site":
                continue
            path = parts.path.lstrip("/")
            if rel == "404.html":  # rooted at the base path: /kursk/...
                path = path.removeprefix("kursk/")
            if path.startswith(pending):
                continue
            resolved = sample_site / (path + "index.html" if path == "" or path.endswith("/") else path)
            if not resolved.is_file():
                broken.append(f"{rel} -> {target}")
            elif parts.fragment and resolved.suffix == ".html" and \
                    parts.fragment not in parse(resolved).ids:
                broken.append(f"{rel} -> {target} (no such anchor)")
    assert len(pages) > 90
    assert not broken, "\n".join(broken[:40])


def test_no_request_to_another_host(sample_site: Path) -> None:
    """Pages load nothing from elsewhere: links out are fine, resources are not."""
    for file in sample_site.rglob("*.html"):
        if "pagefind" in file.parts:
            continue
        for resource in parse(file).resources:
            assert not urlsplit(resource).netloc, f"{file}: {resource}"


@pytest.mark.skipif(not VNU.is_file(), reason="run scripts/setup-tests (npm ci) first")
def test_nu_html_checker_finds_no_error(sample_site: Path) -> None:
    files = [str(file_for(sample_site, path)) for path in PAGES.values()]
    done = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
                          capture_output=True, text=True, check=False)
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    # The checker does not know CSP's 'wasm-unsafe-eval' yet (shapesecurity/salvation#260).
    messages = [m for m in messages if "'wasm-unsafe-eval'" not in m["message"]]
    assert not messages, "\n".join(f"{m.get('url')}:{m.get('lastLine')}: {m['message']}" for m in messages)


def test_script_in_a_title_and_javascript_links_are_neutralised(make_briefing) -> None:  # type: ignore[no-untyped-def]
    briefing: Briefing = make_briefing(config=CONFIG)
    meta = META.replace("title: Rusia perintahkan evakuasi warga dari Glushkov",
                        'title: "<script>alert(1)</script> Serangan"')
    body = ("[klik](javascript:alert(1)) [juga](JaVaScRiPt:alert(2)) <a href=\"javascript:alert(3)\">x</a>\n\n"
            "<img src=x onerror=alert(4)> <script>alert(5)</script>\n")
    briefing.markdown("2024-08-15-evakuasi", meta, body)
    report = build_site(briefing.root, BuildOptions(pdf=False, search=False, now=NOW))
    site = briefing.root / "site"
    for file in site.rglob("*"):
        # JSON carries the title as data (a JSON string): its readers escape it. Markup must not.
        if file.is_file() and file.suffix in (".html", ".xml"):
            text = file.read_text()
            assert "<script>alert" not in text, file
            assert 'href="javascript:' not in text.lower(), file
            assert "<img src=x" not in text, file
    page = parse(site / "2024/08/15/evakuasi/index.html")
    assert page.h1 == "<script>alert(1)</script> Serangan"  # shown as text
    assert not any(link.lower().startswith("javascript:") for link in page.links)
    assert any("javascript:alert(1)" in p.message for p in report.problems.warnings)


def test_template_typo_fails_the_build_naming_the_template_and_line(make_briefing) -> None:
    from briefing.errors import BriefingError

    briefing: Briefing = make_briefing()
    briefing.markdown("2024-08-15-evakuasi")
    build_site(briefing.root, BuildOptions(pdf=False, search=False, now=NOW))
    before = (briefing.root / "site/index.html").read_bytes()
    briefing.write("templates/search.html", '{% extends "base.html" %}\n{% block main %}\n'
                   "<h1>{{ page.titel }}</h1>\n{% endblock %}\n")
    with pytest.raises(BriefingError) as caught:
        build_site(briefing.root, BuildOptions(pdf=False, search=False, now=NOW))
    [problem] = caught.value.problems.errors
    assert (problem.location.path, problem.location.line) == ("templates/search.html", 3)
    assert "titel" in problem.message
    assert (briefing.root / "site/index.html").read_bytes() == before  # the site is untouched


def test_failed_build_leaves_site_and_content_untouched(make_briefing) -> None:
    from briefing.errors import BriefingError

    briefing: Briefing = make_briefing()
    briefing.markdown("2024-08-15-evakuasi")
    build_site(briefing.root, BuildOptions(pdf=False, search=False, now=NOW))
    snapshot = {p: p.read_bytes() for p in briefing.root.rglob("*") if p.is_file()
                and ".briefing-cache" not in p.parts}
    briefing.markdown("2024-08-15-kedua", META + "sumary: x\n")
    with pytest.raises(BriefingError):
        build_site(briefing.root, BuildOptions(pdf=False, search=False, now=NOW))
    for path, data in snapshot.items():
        assert path.read_bytes() == data, path
    assert not list(briefing.root.glob(".site.staging-*"))


def test_output_folder_that_is_not_ours_is_refused(make_briefing, tmp_path: Path) -> None:
    from briefing.errors import BriefingError

    briefing: Briefing = make_briefing()
    briefing.markdown("2024-08-15-evakuasi")
    precious = tmp_path / "dokumen"
    precious.mkdir()
    (precious / "catatan.txt").write_text("jangan dihapus")
    for out in (precious, briefing.root, briefing.root / "content"):
        with pytest.raises(BriefingError):
            build_site(briefing.root, BuildOptions(out=out, pdf=False, search=False, now=NOW))
    assert (precious / "catatan.txt").read_text() == "jangan dihapus"


def test_english_interface_by_config(make_briefing) -> None:
    briefing: Briefing = make_briefing(config=CONFIG.replace("language: id", "language: en"))
    briefing.markdown("2024-08-15-evakuasi")
    build_site(briefing.root, BuildOptions(pdf=False, search=False, now=NOW))
    page = parse(briefing.root / "site/2024/08/15/index.html")
    assert page.lang == "en"
    assert "Thursday, August 15, 2024" in page.text
    assert "Key takeaways" in page.text
    assert "Today's articles (1)" in page.text


def test_full_dates_have_no_leading_zero_in_any_language() -> None:
    from datetime import date
    from zoneinfo import ZoneInfo

    from briefing.render.i18n import Dates

    jakarta = ZoneInfo("Asia/Jakarta")
    assert Dates("id", jakarta).full(date(2024, 1, 1)) == "Senin, 1 Januari 2024"
    assert Dates("en", jakarta).full(date(2024, 1, 1)) == "Monday, January 1, 2024"
    assert Dates("id", jakarta).full(date(2024, 8, 16)) == "Jumat, 16 Agustus 2024"
