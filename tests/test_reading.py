"""What a reader sees never says more than the curators know.

Claims say who makes them, apart from how the editors rated them and on what
basis; a figure reads as a sentence, an unknown one as unknown; one data
cut-off per day on every page, PDF, feed and export; and pages that roll up
what they contain (a region's towns, an actor's claims).
"""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

from conftest import META, NOW, Briefing, dedent
from sitekit import PAGES, file_for, parse

from briefing.build import BuildOptions, build_site

ATOM = "{http://www.w3.org/2005/Atom}"


def test_a_claim_says_who_makes_it_apart_from_the_editors_rating_and_its_basis(sample_site: Path) -> None:
    text = parse(file_for(sample_site, PAGES["article"])).text
    assert "Diklaim oleh Alexei Smirnov Status redaksi: terkonfirmasi" in text
    assert "Diklaim oleh Blogger militer pro-Kremlin Status redaksi: klaim" in text
    assert "oleh Alexei Smirnov terkonfirmasi" not in text  # not "confirmed by Smirnov"
    assert "Status ditetapkan oleh redaksi briefing, bukan oleh pihak yang membuat klaim." in text


def test_a_rating_shows_its_basis_or_says_it_has_none(briefing: Briefing) -> None:
    """Who disputes a claim (linked when an actor), its evidence, or the words for none, on
    the article's page and in the day's PDF."""
    briefing.markdown("2024-08-15-evakuasi", META + dedent("""
        claims:
          - {id: a, text: Klaim pertama., by: rusia, status: confirmed}
          - {id: b, text: Klaim kedua., by: rusia, status: disputed, disputed_by: ukraina}
          - {id: c, text: Klaim ketiga., by: rusia, status: disputed, disputed_by: "Analis independen",
             evidence: [https://www.understandingwar.org/penilaian]}
        """))
    build_site(briefing.root, BuildOptions(search=False, now=NOW), use_cache=False)
    site = briefing.root / "site"
    page = parse(site / "2024/08/15/evakuasi/index.html")
    assert "Status redaksi: terkonfirmasi — belum ada bukti yang dikutip" in page.text
    assert "Status redaksi: diperdebatkan — dibantah oleh Ukraina" in page.text
    assert ("Status redaksi: diperdebatkan — dibantah oleh Analis independen — bukti: "
            "bukti 1: understandingwar.org") in page.text
    assert "../../../../actors/ukraina/" in page.links
    pdf = subprocess.run(["pdftotext", str(site / "2024/08/15/briefing-uji-2024-08-15.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    assert "dibantah oleh Ukraina" in " ".join(pdf.split())
    assert "dibantah oleh Analis independen" in " ".join(pdf.split())


def test_the_sample_cites_a_basis_for_every_rating(sample_site: Path) -> None:
    text = parse(file_for(sample_site, "2024/08/16/klaim-kerugian-moskwa/")).text
    assert "diperdebatkan — dibantah oleh Institute for the Study of War — bukti" in text
    confirmed = parse(file_for(sample_site, "claims/confirmed/")).text
    assert "belum ada bukti yang dikutip" not in confirmed


def test_admiralty_codes_read_in_words(sample_site: Path) -> None:
    text = parse(file_for(sample_site, "2024/08/14/tawanan-perang/")).text
    assert "Admiralty B2: biasanya andal; kemungkinan benar" in text


def test_cards_count_their_claims_in_words(sample_site: Path) -> None:
    text = parse(file_for(sample_site, PAGES["day"])).text
    assert "Klaim: 1 didukung sumber lain, 1 diklaim" in text


def test_an_unknown_figure_reads_as_unknown_never_as_zero(sample_site: Path) -> None:
    text = parse(file_for(sample_site, "2024/08/16/klaim-kerugian-moskwa/")).text
    assert "jumlah prajurit tidak diketahui" in text
    assert "tidak diketahui prajurit" not in text


def test_a_region_lists_the_articles_of_the_places_within_it(sample_site: Path) -> None:
    russia = parse(file_for(sample_site, "places/rusia/")).text
    assert "Artikel (0)" not in russia
    kursk = parse(file_for(sample_site, "places/kursk-oblast/")).text
    assert "Rusia perintahkan evakuasi 20.000 warga Distrik Glushkovo" in russia
    assert "Angka yang dilaporkan" in kursk and "sekitar 20.000 warga" in kursk
    index = parse(sample_site / "places/index.html").text
    assert "Rusia" in index


def test_an_actor_page_shows_its_track_record(sample_site: Path) -> None:
    text = parse(file_for(sample_site, "actors/syrskyi/")).text
    assert "Rekam jejak klaim Oleksandr Syrskyi" in text
    assert "didukung sumber lain 1 klaim" in text
    assert "Klaim oleh Oleksandr Syrskyi" in text


def _cut_offs(site: Path, day: str) -> dict[str, str]:
    """The data cut-off of one day as the page, the PDF, the feed and the export say it."""
    page = parse(site / day.replace("-", "/") / "index.html").text
    pdf = next((site / day.replace("-", "/")).glob("*.pdf"))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    feed = ET.parse(site / "feeds/briefings.xml").getroot()
    entry = next(e for e in feed.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}id", "").endswith(
        day.replace("-", "/") + "/"))
    data = json.loads((site / "data/articles.json").read_text())
    record = next(b for b in data["briefings"] if b["date"] == day)
    return {"page": page[page.index("data per"):].split(" WIB")[0], "pdf": text[text.index("data per"):]
            .split(" WIB")[0], "published": entry.findtext(f"{ATOM}published", ""),
            "updated": entry.findtext(f"{ATOM}updated", ""), "json": record["cut_off"]}


def test_one_data_cut_off_on_the_page_the_pdf_the_feed_and_the_data(briefing: Briefing) -> None:
    """A curated day (its as_of) and an uncurated one (its latest article) alike."""
    briefing.markdown("2024-08-15-pagi", META)
    briefing.markdown("2024-08-15-malam", META.replace("09:30", "22:10").replace("Rusia perintahkan", "Malam"))
    briefing.markdown("2024-08-16-esok", META.replace("2024-08-15", "2024-08-16"))
    briefing.day("2024-08-16", "headline: Hari kedua\nas_of: 2024-08-16T20:00:00+07:00\n"
                               "takeaways: [Satu., Dua., Tiga.]\n")
    build_site(briefing.root, BuildOptions(search=False, now=NOW), use_cache=False)
    site = briefing.root / "site"
    uncurated, curated = _cut_offs(site, "2024-08-15"), _cut_offs(site, "2024-08-16")
    assert uncurated["page"] == uncurated["pdf"] == "data per 15 Agustus 2024 22.10", uncurated
    assert uncurated["published"] == uncurated["json"] == "2024-08-15T22:10:00+07:00"
    assert curated["page"] == curated["pdf"] == "data per 16 Agustus 2024 20.00", curated
    assert curated["published"] == curated["json"] == "2024-08-16T20:00:00+07:00"
    for day in (uncurated, curated):
        assert datetime.fromisoformat(day["updated"]) >= datetime.fromisoformat(day["published"])


def test_a_link_to_an_original_carries_the_language_of_its_source(sample_site: Path) -> None:
    html = (sample_site / "2024/08/16/analisis-zona-penyangga/index.html").read_text()
    assert 'href="https://www.understandingwar.org/backgrounder/' in html
    link = html[html.index('href="https://www.understandingwar.org/backgrounder/'):]
    assert 'hreflang="en"' in link[:link.index(">")]  # ISW writes in English; the article is Indonesian


def test_command_help_is_never_cut_mid_sentence() -> None:
    done = subprocess.run([sys.executable, "-m", "briefing", "--help"], capture_output=True, text=True, check=True)
    commands = done.stdout[done.stdout.index("Commands:"):]
    assert "..." not in commands
    assert all(line.rstrip().endswith(".") for line in commands.splitlines()[1:] if line.strip())


def test_the_sample_settings_point_at_a_readme_section_that_exists() -> None:
    from sitekit import REPO

    comment = (REPO / "briefing.yml").read_text().splitlines()[0]
    section = comment[comment.index('("') + 2:comment.index('")')]
    assert f"### {section}" in (REPO / "README.md").read_text()
