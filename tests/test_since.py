"""'Sejak briefing sebelumnya': what changed since the last briefing, on the day's page, in its
PDF, its e-mail and its feed entry, worked out from the model alone and rebuilt when it changes."""

from __future__ import annotations

import dataclasses
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import META, NOW, Briefing
from sitekit import copy_sample

from briefing import inputs
from briefing.build import BuildOptions, build_site
from briefing.errors import Problems
from briefing.inputs import Input, Need
from briefing.model import ClaimStatus
from briefing.plan import plan_site
from briefing.reads import RecordingReads
from briefing.render.tools import make_tools
from briefing.sending import prepare
from briefing.since import since_all
from briefing.units.renderer import Renderer
from briefing.units.table import unit_of

OPTIONS = BuildOptions(pdf=False, search=False, now=NOW)
ATOM = "{http://www.w3.org/2005/Atom}"
XHTML = "{http://www.w3.org/1999/xhtml}"

SERIES = "pengungsi: {name: Warga yang dievakuasi, unit: warga, place: glushkov}\n"
THREADS = "glushkov-kosong: {question: Apakah Glushkov dikosongkan?, places: [glushkov], actors: [rusia]}\n"
EVIDENCE = "evidence: [https://www.understandingwar.org/bukti]"


class Section(HTMLParser):
    """The 'since' section of a page: each line's text and links, or its one line."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found = False
        self.heading = ""
        self.lines: list[str] = []
        self.links: list[list[str]] = []
        self.line = ""
        self._depth = 0  # inside the section: how many of its elements are open
        self._in = ""  # "h2", "li" or "p" while inside one
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if not self._depth:
            if tag == "section" and "since" in (values.get("class") or "").split():
                self.found, self._depth = True, 1
            return
        self._depth += 1
        if tag in ("h2", "li", "p") and not self._in:
            self._in = tag
            if tag == "li":
                self.lines.append("")
                self.links.append([])
        if tag == "a" and self._in == "li":
            self.links[-1].append(values.get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if not self._depth:
            return
        self._depth -= 1
        if tag == self._in:
            self._in = ""

    def handle_data(self, data: str) -> None:
        if self._in == "h2":
            self.heading += data
        elif self._in == "li":
            self.lines[-1] += data
        elif self._in == "p":
            self.line += data

    def texts(self) -> list[str]:
        return [" ".join(line.split()) for line in self.lines]


def section(site: Path, on: str) -> Section:
    return Section((site / on.replace("-", "/") / "index.html").read_text(encoding="utf-8"))


def _article(b: Briefing, stem: str, day: str, *, time: str = "09:30", title: str = "",
             figure: str = "", claim: str = "", lead: bool = False, carried_on: str = "") -> None:
    meta = META.replace("2024-08-15T09:30", f"{day}T{time}")
    if title:
        meta = meta.replace("Rusia perintahkan evakuasi warga dari Glushkov", title)
    if carried_on:
        meta += f"briefing: {carried_on}\n"
    if lead:
        meta += "priority: 1\n"
    if figure:
        meta += f"figures:\n  - {{{figure}}}\n"
    if claim:
        meta += f"claims:\n  - {{{claim}}}\n"
    b.markdown(stem, meta)


def _point(value: int, claim: str = "c") -> str:
    return f"value: {value}, label: warga dievakuasi, series: pengungsi, claim: {claim}"


def _claim(status: str, claim: str = "c") -> str:
    extra = f", {EVIDENCE}" if status in ("confirmed", "false") else ""
    return f"id: {claim}, text: Glushkov dikosongkan., by: rusia, status: {status}, thread: glushkov-kosong{extra}"


@pytest.fixture
def days(make_briefing: Callable[..., Briefing]) -> Briefing:
    """Four days: the first; a status change and a rise; a fall; nothing followed."""
    b = make_briefing()
    b.registry("series", SERIES)
    b.registry("threads", THREADS)
    _article(b, "2024-08-14-awal", "2024-08-14", figure=_point(1000), claim=_claim("claimed"))
    _article(b, "2024-08-15-utama", "2024-08-15", title="Berita utama hari itu", lead=True)
    _article(b, "2024-08-15-naik", "2024-08-15", time="11:00", title="Evakuasi dikonfirmasi",
             figure=_point(1500), claim=_claim("confirmed"))
    _article(b, "2024-08-16-turun", "2024-08-16", title="Sebagian warga kembali",
             figure=_point(1200, "k"), claim=_claim("claimed", "k"))
    _article(b, "2024-08-17-lain", "2024-08-17", title="Kabar lain")
    return b


def test_a_status_change_and_a_rise_name_then_and_now_and_the_article(days: Briefing) -> None:
    build_site(days.root, OPTIONS)
    found = section(days.root / "site", "2024-08-15")
    assert " ".join(found.heading.split()) == "Sejak briefing sebelumnya (14 Agustus)"
    assert found.texts() == [
        "Status berubah: Apakah Glushkov dikosongkan? — klaim → terkonfirmasi · Evakuasi dikonfirmasi",
        "Angka bergerak: Warga yang dievakuasi ▲ 500 warga — naik dari 1.000 warga (14 Agustus) "
        "ke 1.500 warga terkonfirmasi · Evakuasi dikonfirmasi"]
    assert found.links == [["../../../threads/glushkov-kosong/", "../../../2024/08/15/naik/"],
                           ["../../../series/pengungsi/", "../../../2024/08/15/naik/"]]


def test_a_fall_is_told_down_from_the_last_briefing(days: Briefing) -> None:
    build_site(days.root, OPTIONS)
    found = section(days.root / "site", "2024-08-16")
    assert found.texts() == [
        "Status berubah: Apakah Glushkov dikosongkan? — terkonfirmasi → klaim · Sebagian warga kembali",
        "Angka bergerak: Warga yang dievakuasi ▼ 300 warga — turun dari 1.500 warga (15 Agustus) "
        "ke 1.200 warga klaim · Sebagian warga kembali"]


def test_a_day_with_nothing_to_report_says_so_in_one_line(days: Briefing) -> None:
    build_site(days.root, OPTIONS)
    found = section(days.root / "site", "2024-08-17")
    assert found.lines == []
    assert found.line == "Tidak ada perubahan pada utas dan seri yang diikuti sejak briefing 16 Agustus."


def test_the_first_day_has_no_section(days: Briefing) -> None:
    build_site(days.root, OPTIONS)
    assert not section(days.root / "site", "2024-08-14").found
    assert since_all(days.site())[date(2024, 8, 14)].previous is None


def test_a_claim_older_than_the_last_ones_changes_no_status(days: Briefing) -> None:
    """The status is the latest claim by article time: a claim of the 17th's briefing
    published before the 16th's claim is older news."""
    _article(days, "2024-08-17-lain", "2024-08-16", time="08:00", title="Kabar lain",
             claim=_claim("confirmed", "lama"), carried_on="2024-08-17")
    site = days.site()
    assert site.articles["2024-08-17-lain"].day == date(2024, 8, 17)
    found = since_all(site)[date(2024, 8, 17)]
    assert found.empty and found.previous == date(2024, 8, 16)


def test_a_thread_opened_a_figure_started_and_a_false_one_left_aside(
        make_briefing: Callable[..., Briefing]) -> None:
    b = make_briefing()
    b.registry("series", SERIES)
    b.registry("threads", THREADS)
    _article(b, "2024-08-14-awal", "2024-08-14", title="Hari pertama")
    _article(b, "2024-08-15-palsu", "2024-08-15", figure=_point(9000, "p"), claim=_claim("false", "p"))
    _article(b, "2024-08-16-baru", "2024-08-16", figure="min: 400, max: 500, label: warga, series: pengungsi",
             claim=_claim("disputed").replace("status: disputed", "status: disputed, disputed_by: ukraina"))
    by_day = since_all(b.site())
    assert by_day[date(2024, 8, 15)].started == ()  # a refuted number starts no series
    assert [o.thread.id for o in by_day[date(2024, 8, 15)].opened] == ["glushkov-kosong"]
    assert by_day[date(2024, 8, 15)].opened[0].status is ClaimStatus.FALSE
    build_site(b.root, OPTIONS)
    assert section(b.root / "site", "2024-08-16").texts() == [
        "Status berubah: Apakah Glushkov dikosongkan? — keliru → diperdebatkan · Rusia perintahkan "
        "evakuasi warga dari Glushkov",
        "Angka baru: Warga yang dievakuasi — angka pertama: 400–500 warga · Rusia perintahkan evakuasi "
        "warga dari Glushkov"]


def test_the_same_site_in_any_order_gives_the_same_answer(days: Briefing) -> None:
    site = days.site()
    again = since_all(days.site())
    shuffled = dataclasses.replace(site, articles=dict(reversed(list(site.articles.items()))))
    assert since_all(site) == again == since_all(shuffled)
    assert repr(since_all(site)) == repr(again)  # what the build fingerprints


def test_an_edit_rerenders_its_day_and_the_next_day_s_section_only(days: Briefing) -> None:
    build_site(days.root, OPTIONS)
    path = days.root / "content/articles/2024/08/2024-08-15-naik.md"
    path.write_text(path.read_text().replace("value: 1500", "value: 1400"))
    rendered = set(build_site(days.root, OPTIONS).rendered)
    assert {"2024/08/15/index.html", "2024/08/16/index.html", "feeds/briefings.xml"} <= rendered
    assert not {"2024/08/14/index.html", "2024/08/17/index.html", "index.html"} & rendered
    assert "dari 1.400 warga (15 Agustus)" in " ".join(section(days.root / "site", "2024-08-16").texts())


def test_every_page_showing_the_section_reads_only_what_it_declares(days: Briefing) -> None:
    """tests/test_reads.py for a briefing whose sections have lines (the large one follows no
    series yet): the day pages, the home page, the PDFs and the feed."""
    site = days.site()
    tools = make_tools(days.root, site.config, Problems())
    plan = plan_site(site, static=tools.theme.static_files(), content=days.root / "content", pdf=True)
    checked = 0
    for output in plan.outputs:
        if output.kind not in ("day", "home", "pdf", "feed-briefings"):
            continue
        reads = RecordingReads(site, plan.index, plan.pages)
        renderer, unit = Renderer(reads, tools), unit_of(output.kind)
        if unit.in_worker:
            unit.document(output, renderer, days.root / "content")  # type: ignore[attr-defined]
        else:
            unit.render(output, renderer)
        declared: set[Input] = set(output.inputs)
        for key in output.inputs:
            if inputs.need_of(key) is Need.CARD:
                declared.update(plan.index.cards[inputs.name_of(key)])
        assert reads.read <= declared, (output.path, sorted(reads.read - declared))
        assert any(inputs.need_of(key) is Need.SINCE for key in reads.read), output.path
        checked += 1
    assert checked == 4 + 4 + 1 + 1


# --- the sample: its pages, PDF, e-mail and feed -------------------------------------------

SAMPLE = {
    "2024-08-13": ["Angka bergerak: Permukiman di Oblast Kursk yang diklaim dikuasai Ukraina ▲ 46 permukiman — "
                   "naik dari 28 permukiman (12 Agustus) ke 74 permukiman klaim · Kyiv sebut 74 permukiman "
                   "dikuasai, Moskwa klaim laju serangan terhenti"],
    "2024-08-14": ["Angka baru: Prajurit Rusia yang ditawan Ukraina di Kursk — angka pertama: 100–500 prajurit "
                   "klaim · Ratusan prajurit Rusia ditawan, Zelensky sebut \"dana pertukaran\""],
    "2024-08-15": ["Utas baru: Apakah Ukraina menguasai kota Sudzha? — status awal: didukung sumber lain · "
                   "Ukraina bentuk kantor komandan militer di Sudzha",
                   "Angka diperbarui: Wilayah Rusia yang diklaim dikuasai Ukraina di Kursk — kini lebih dari "
                   "1.150 km²; sebelumnya sekitar 1.000 km² (12 Agustus), tak dapat dibandingkan klaim · "
                   "Ukraina bentuk kantor komandan militer di Sudzha",
                   "Angka bergerak: Permukiman di Oblast Kursk yang diklaim dikuasai Ukraina ▲ 8 permukiman — "
                   "naik dari 74 permukiman (13 Agustus) ke 82 permukiman klaim · Ukraina bentuk kantor "
                   "komandan militer di Sudzha"],
    "2024-08-16": ["Utas baru: Apakah jembatan di atas Sungai Seym di Distrik Glushkovo masih bisa dilalui? — "
                   "status awal: terkonfirmasi · Jembatan Sungai Seym di Glushkovo dihancurkan serangan udara "
                   "Ukraina"],
}


def test_the_sample_days_say_what_changed(sample_site: Path) -> None:
    """The territory claim (about 1.000 km² on 12 August, more than 1.150 km² on the 15th) is
    not told as a move: 'more than' cannot be compared; the settlements (74 → 82) are."""
    assert not section(sample_site, "2024-08-12").found
    for on, lines in SAMPLE.items():
        assert section(sample_site, on).texts() == [line.replace("\u00a0", " ") for line in lines], on
    links = section(sample_site, "2024-08-15").links
    assert links[2][0] == "../../../series/permukiman-dikuasai-ukraina/"
    assert links[0] == ["../../../threads/sudzha-dikuasai/", "../../../2024/08/15/komandan-militer-sudzha/"]


def test_the_home_page_shows_the_latest_day_s_section(sample_site: Path) -> None:
    home = Section((sample_site / "index.html").read_text(encoding="utf-8"))
    assert home.texts() == SAMPLE["2024-08-16"]
    assert home.links[0][0] == "threads/jembatan-seym/"


def _front_page(sample_site: Path, on: str) -> str:
    path = sample_site / on.replace("-", "/") / f"briefing-kursk-{on}.pdf"
    return subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_the_pdf_front_page_has_the_section_after_the_takeaways(sample_site: Path) -> None:
    """Each line gives the page its article starts on: page 2, below the day's map."""
    first = " ".join(_front_page(sample_site, "2024-08-15").split())
    assert first.index("Poin utama") < first.index("Sejak briefing sebelumnya (14 Agustus)") < \
        first.index("Angka kunci")
    assert "UTAS BARU: Apakah Ukraina menguasai kota Sudzha? — status awal: didukung sumber lain (hlm. 2)" in first
    assert "▲ 8 permukiman — naik dari 74 permukiman (13 Agustus) ke 82 permukiman KLAIM (hlm. 2)" in first
    assert "tak dapat dibandingkan" in first
    assert "Sejak briefing" not in _front_page(sample_site, "2024-08-12")


def test_the_e_mail_carries_the_section(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "briefing")
    ready = prepare(root, day=date(2024, 8, 15), strict=False, late=True, now=NOW)
    content = ready.compose(ready.subscribers[0], "attach")
    text = content.text.replace("\u00a0", " ")
    assert "SEJAK BRIEFING SEBELUMNYA (14 Agustus)\n- Utas baru: Apakah Ukraina menguasai kota Sudzha?" in text
    assert ("- Angka bergerak: Permukiman di Oblast Kursk yang diklaim dikuasai Ukraina ▲ 8 permukiman — naik "
            "dari 74 permukiman (13 Agustus) ke 82 permukiman (klaim)\n"
            "  https://briefing.example.org/kursk/series/permukiman-dikuasai-ukraina/\n") in text
    assert text.index("POIN UTAMA") < text.index("SEJAK BRIEFING") < text.index("ANGKA KUNCI")
    assert 'href="https://briefing.example.org/kursk/threads/sudzha-dikuasai/"' in content.html
    assert 'href="https://briefing.example.org/kursk/2024/08/15/komandan-militer-sudzha/"' in content.html


def test_the_feed_entry_carries_the_section(sample_site: Path) -> None:
    feed = ET.parse(sample_site / "feeds/briefings.xml").getroot()
    entries = {e.findtext(f"{ATOM}id", "").removeprefix("https://briefing.example.org/kursk/"): e
               for e in feed.iter(f"{ATOM}entry")}
    content = entries["2024/08/15/"].find(f"{ATOM}content")
    assert content is not None and content.get("type") == "xhtml"
    div = content.find(f"{XHTML}div")
    assert div is not None
    assert [h.text for h in div.iter(f"{XHTML}h2")] == ["Sejak briefing sebelumnya (14 Agustus)"]
    lines = [" ".join("".join(li.itertext()).split()) for li in div.findall(f"{XHTML}ul[2]/{XHTML}li")]
    assert lines[2].replace("\u00a0", " ").startswith(
        "Angka bergerak: Permukiman di Oblast Kursk yang diklaim dikuasai Ukraina ▲ 8 permukiman — naik")
    links = [a.get("href") for a in div.iter(f"{XHTML}a")]
    assert "https://briefing.example.org/kursk/series/permukiman-dikuasai-ukraina/" in links
    first = entries["2024/08/12/"].find(f"{ATOM}content")
    assert first is not None and not list(first.iter(f"{XHTML}h2"))
