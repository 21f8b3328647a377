"""The daily PDF: real WeasyPrint, read back with poppler (pdftotext, pdfinfo, pdffonts) and pypdf."""

from __future__ import annotations

import io
import itertools
import multiprocessing
import re
import signal
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pypdf
import pytest
from conftest import CONFIG, NOW, REGISTRIES, Briefing, dedent
from sitekit import REPO

from briefing.build import BuildOptions, build_site, make_pdfs
from briefing.errors import BriefingError
from briefing.watch import Session

pytestmark = pytest.mark.pdf

DAY = date(2024, 8, 16)
PARAGRAPH = ("Pasukan Ukraina terus bergerak di sekitar Sudzha sementara otoritas Rusia memperluas "
             "perintah evakuasi di distrik-distrik perbatasan. Para pengamat menilai situasi di "
             "lapangan masih berubah cepat dan banyak klaim belum dapat diverifikasi secara independen. ")
BODY = "".join(f"## Bagian {n}\n\n{PARAGRAPH * 6}\n\n" for n in range(1, 4))

TITLES = [
    "Ukraina kuasai Sudzha, kata Kyiv",
    "Rusia perluas evakuasi di Glushkov",
    "Jembatan Seym dihantam serangan",
]
STATUSES = ["confirmed", "corroborated", "claimed", "disputed", "false"]


def _meta(title: str, hour: int, claims: str = "", extra: str = "") -> str:
    return dedent(f"""
        title: {title}
        date: 2024-08-16T{hour:02d}:00:00+07:00
        source:
          outlet: kontan
          based_on: telegraph
          editor: Handoyo
          dateline: Jakarta
        summary: Ringkasan kurator untuk {title.lower()}.
        topics: [evakuasi]
        places: [sudzha, glushkov]
        actors: [ukraina, rusia]
        figures:
          - {{value: 20000, qualifier: about, unit: warga, label: warga diperintahkan mengungsi, place: glushkov}}
        """) + claims + extra


@pytest.fixture
def briefing_day(make_briefing) -> Briefing:  # type: ignore[no-untyped-def]
    briefing: Briefing = make_briefing()
    claims = "claims:\n" + "".join(
        f"  - {{id: klaim-{s}, text: Pernyataan nomor {n} tentang Sudzha., by: ukraina, status: {s}}}\n"
        for n, s in enumerate(STATUSES, start=1))
    for index, title in enumerate(TITLES):
        briefing.markdown(f"2024-08-16-artikel-{index + 1}",
                          _meta(title, 8 + index, claims if index == 0 else ""), BODY)
    briefing.day("2024-08-16", dedent("""
        headline: Ukraina memperdalam serangan di Kursk
        as_of: 2024-08-16T18:00:00+07:00
        takeaways:
          - Kyiv mengklaim menguasai Sudzha.
          - Rusia memperluas evakuasi di Glushkov.
          - Jembatan di atas Sungai Seym rusak.
        articles: [2024-08-16-artikel-1, 2024-08-16-artikel-2, 2024-08-16-artikel-3]
        """))
    return briefing


def _pdf(briefing: Briefing, tmp_path: Path) -> Path:
    made, problems = make_pdfs(briefing.root, [DAY], now=NOW)
    assert not problems.errors
    path = tmp_path / "briefing.pdf"
    path.write_bytes(made[DAY])
    return path


def test_a_briefing_with_errors_stops_the_pdf_worker_it_started(briefing_day: Briefing) -> None:
    """The worker starts before the briefing loads; a load that fails ends it (not left running)."""
    briefing_day.markdown("2024-08-16-artikel-4", _meta("Judul", 12, extra="sumary: x\n"), BODY)
    running = set(multiprocessing.active_children())  # whatever other tests keep running
    with pytest.raises(BriefingError) as raised:
        make_pdfs(briefing_day.root, [DAY], now=NOW)
    assert any(p.field == "sumary" and p.location.path.endswith("artikel-4.md") for p in raised.value.problems)
    assert set(multiprocessing.active_children()) <= running


def _pages(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f")[:-1]


def _run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def _outline_pages(path: Path) -> dict[str, int]:
    """The first-level bookmarks (headline, article titles) and the pages they point to."""
    reader = pypdf.PdfReader(path)  # an article titled as the day's headline: the article's page
    return {item.title: reader.get_destination_page_number(item) + 1
            for item in reader.outline if not isinstance(item, list)}


def test_masthead_takeaways_figures_and_contents_with_true_page_numbers(briefing_day: Briefing,
                                                                        tmp_path: Path) -> None:
    path = _pdf(briefing_day, tmp_path)
    pages = _pages(path)
    first = pages[0]
    masthead = first.split("Ukraina memperdalam serangan di Kursk")[0]  # the band above the headline
    assert "Briefing Uji" in masthead
    assert "Jumat, 16 Agustus 2024" in masthead
    assert "Edisi 1" in masthead
    assert "data per 16 Agustus 2024 18.00 WIB" in masthead
    assert "Redaksi: Redaksi Uji" in masthead  # editors who say more than the title
    assert first.index("Poin utama") < first.index("Angka kunci") < first.index("Daftar isi")
    assert "Kyiv mengklaim menguasai Sudzha." in first
    row = next(line for line in first.splitlines() if "sekitar 20.000 warga" in line)
    # the number, what it counts, where, who reports it: in that order on its row
    assert re.search(r"sekitar 20\.000 warga\s+warga diperintahkan mengungsi · Distrik Glushkov.*Kontan", row), row
    starts = _outline_pages(path)  # where each article's title really is
    for title in TITLES:
        line = next(line for line in first.splitlines() if title in line)
        listed = int(re.search(r"\.{3,}\s*(\d+)\s*$", line).group(1))  # type: ignore[union-attr]
        assert listed == starts[title], f"{title}: contents say {listed}, it starts on page {starts[title]}"


def test_articles_follow_one_another_and_the_first_may_start_on_page_one(make_briefing,
                                                                         tmp_path: Path) -> None:
    """Short articles share pages: none starts a page of its own, and the front page's room
    is used."""
    briefing: Briefing = make_briefing()
    for index, title in enumerate(TITLES):
        briefing.markdown(f"2024-08-16-pendek-{index + 1}", _meta(title, 8 + index), PARAGRAPH * 2)
    path = _pdf(briefing, tmp_path)
    starts = _outline_pages(path)
    assert sorted(starts[title] for title in TITLES) == [1, 1, 2], starts  # newest first
    assert len(_pages(path)) == 2


def test_footer_counts_pages_and_running_head_skips_the_first(briefing_day: Briefing,
                                                              tmp_path: Path) -> None:
    path = _pdf(briefing_day, tmp_path)
    pages = _pages(path)
    for number, page in enumerate(pages, start=1):
        assert f"Halaman {number} dari {len(pages)}" in page
    boxes = _run("pdftotext", "-bbox", "-f", "1", "-l", "2", str(path), "-")
    words_by_page = boxes.split("<page ")[1:]
    top_words = [re.findall(r'yMin="([\d.]+)"[^>]*>([^<]+)<', page) for page in words_by_page]
    assert not [w for y, w in top_words[0] if float(y) < 45]  # nothing above the masthead
    assert "Uji" in [w for y, w in top_words[1] if float(y) < 45]  # the running head


def test_each_claim_status_is_in_words(briefing_day: Briefing, tmp_path: Path) -> None:
    text = "\n".join(_pages(_pdf(briefing_day, tmp_path)))
    for word in ("TERKONFIRMASI", "DIDUKUNG SUMBER LAIN", "KLAIM", "DIPERDEBATKAN", "KELIRU"):
        assert word in text
    assert "The Telegraph" in text and "berdasarkan" in text  # the source line
    assert "sekitar 20.000 warga" in text


def test_document_metadata_tags_fonts_and_outline(briefing_day: Briefing, tmp_path: Path) -> None:
    path = _pdf(briefing_day, tmp_path)
    info = dict(line.split(":", 1) for line in _run("pdfinfo", str(path)).splitlines() if ":" in line)
    info = {k.strip(): v.strip() for k, v in info.items()}
    assert info["Title"] == "Briefing Uji — Jumat, 16 Agustus 2024"
    assert info["Author"] == "Redaksi Uji"
    assert info["Subject"] == "Ukraina memperdalam serangan di Kursk"
    assert "Sudzha" in info["Keywords"]
    assert info["Tagged"] == "yes"
    assert info["CreationDate"].startswith("Fri Aug 16 11:00:00 2024")  # the cut-off, in UTC
    assert info["Page size"].endswith("(A4)")
    reader = pypdf.PdfReader(path)
    assert reader.trailer["/Root"]["/Lang"] == "id"
    fonts = _run("pdffonts", str(path)).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # emb column
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline == ["Ukraina memperdalam serangan di Kursk", *TITLES]


def test_same_inputs_give_the_same_bytes(briefing_day: Briefing) -> None:
    first, _ = make_pdfs(briefing_day.root, [DAY], now=NOW)
    second, _ = make_pdfs(briefing_day.root, [DAY], now=NOW)
    assert first[DAY] == second[DAY]


class _Counter(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Counter.hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def web_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Counter.hits.clear()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_local_files_and_web_images_are_not_fetched_but_warned(make_briefing, tmp_path: Path,
                                                               web_server: str) -> None:
    briefing: Briefing = make_briefing(config=CONFIG + "markdown: {raw_html: true}\n")
    secret = tmp_path / "secret.png"
    secret.write_bytes(Path(pypdf.__file__).read_bytes()[:10])
    body = dedent(f"""
        Teks pembuka.

        ![peta]({web_server}/peta.png)

        <img src="file://{secret}" alt="rahasia">
        <img src="{web_server}/raw.png" alt="jarak jauh">

        ![sandi](file:///etc/passwd)
        """)
    briefing.markdown("2024-08-16-gambar", _meta("Artikel bergambar", 9), body)
    made, problems = make_pdfs(briefing.root, [DAY], now=NOW)
    assert _Counter.hits == []
    messages = [(p.location.path, p.message) for p in problems.warnings]
    article = "content/articles/2024/08/2024-08-16-gambar.md"
    assert all(path == article for path, _ in messages), messages
    text = " ".join(m for _, m in messages)
    assert f"file://{secret}" in text
    assert f"{web_server}/raw.png" in text
    assert f"{web_server}/peta.png" in text
    assert "file:///etc/passwd" in text
    reader = pypdf.PdfReader(io.BytesIO(made[DAY]))
    assert all(not page.images for page in reader.pages)


def test_letter_size_and_pdf_a_by_config(make_briefing, tmp_path: Path) -> None:
    briefing: Briefing = make_briefing(config=CONFIG + "pdf: {page_size: Letter, variant: pdf/a-3b}\n")
    briefing.markdown("2024-08-16-satu", _meta("Satu", 9), BODY)
    path = _pdf(briefing, tmp_path)
    assert "(letter)" in _run("pdfinfo", str(path))
    assert 'pdfaid:part="3"' in _run("pdfinfo", "-meta", str(path))


def test_build_writes_pdfs_linked_from_day_page_and_feed_and_rebuilds_only_changed_days(
        briefing_day: Briefing) -> None:
    briefing_day.markdown("2024-08-15-kemarin", _meta("Kemarin", 9).replace("2024-08-16", "2024-08-15"))
    options = BuildOptions(search=False, now=NOW)
    report = build_site(briefing_day.root, options)
    pdfs = sorted(p for p in report.rendered if p.endswith(".pdf"))
    assert pdfs == ["2024/08/15/briefing-uji-2024-08-15.pdf", "2024/08/16/briefing-uji-2024-08-16.pdf"]
    site = briefing_day.root / "site"
    assert 'href="../../../2024/08/16/briefing-uji-2024-08-16.pdf"' in (site / "2024/08/16/index.html").read_text()
    feed = (site / "feeds/briefings.xml").read_text()
    assert 'rel="enclosure" type="application/pdf" href="https://example.org/briefing/2024/08/16/briefing-uji-2024-08-16.pdf"' in feed
    before = (site / pdfs[0]).read_bytes()

    briefing_day.markdown("2024-08-16-artikel-3", _meta("Jembatan Seym dihantam lagi", 10), BODY)
    again = build_site(briefing_day.root, options)
    assert [p for p in again.rendered if p.endswith(".pdf")] == [pdfs[1]]
    assert (site / pdfs[0]).read_bytes() == before


def test_the_watch_mode_keeps_its_pdf_workers_until_the_theme_changes(briefing_day: Briefing) -> None:
    """A save's PDF should not wait for a new worker to import WeasyPrint; a theme edit must
    reach the PDF all the same (workers read the theme once)."""
    reports: list[tuple[str, list[str]]] = []
    session = Session(briefing_day.root, BuildOptions(search=False, now=NOW),
                      report=lambda what, files, _ms, _problems: reports.append((what, files)))
    _report, jobs = session.builder.update(None)
    assert [job.day for job in jobs] == [DAY]
    try:
        first = session._workers_for(jobs)
        session._render_pdfs(jobs)
        session._render_pdfs(jobs)
        assert session._workers_for(jobs) is first
        pdf = briefing_day.root / "site" / reports[-1][1][0]
        assert pdf.read_bytes().startswith(b"%PDF")
        briefing_day.write("templates/pdf/briefing.css", "body { color: #222; }\n")
        assert session._workers_for(jobs) is not first
    finally:
        if session._pdf_workers is not None:
            session._pdf_workers[1].close()


class _Hung(BaseException):
    """Not an Exception: make_pdfs turns those into a day's problem and waits for the worker."""


@contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    """A hang fails the test instead of stalling the suite (this is no benchmark)."""

    def ring(_signal: int, _frame: object) -> None:
        raise _Hung(f"still rendering after {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_word_of_10000_letters_is_broken_across_lines_in_seconds(
        make_briefing, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The word breaks wherever the line ends, and the body lays out in seconds. (WeasyPrint
    hyphenating such a word did not finish in four minutes: the template marks the body
    long-words, set without hyphenation even where a theme turns it on.)"""
    briefing: Briefing = make_briefing()
    word = "perbatasan" * 1000
    briefing.markdown("2024-08-16-panjang", _meta("Kata panjang", 9), f"{PARAGRAPH}\n\nKata {word} selesai.\n")
    briefing.markdown("2024-08-16-biasa", _meta("Artikel biasa", 10), BODY)
    with _deadline(120):
        path = _pdf(briefing, tmp_path)
    pages = _pages(path)
    text = "\n".join(pages)
    assert word[:80] in text  # the start of the word, on one line
    assert "selesai." in text  # and what follows it
    assert "Artikel biasa" in text
    assert not [line for line in text.splitlines() if line.rstrip().endswith(_HYPHENS)]


# --- the front page, names, hyphenation: tiny briefings ------------------------------------

#: What WeasyPrint draws where it hyphenates a word (hyphenate-character), and a soft hyphen.
_HYPHENS = ("\u2010", "\u00ad")


@pytest.mark.parametrize("editors", ["[Redaksi Briefing Uji]", "[Briefing Uji]", "[Kantor Berita Uji]"])
def test_the_masthead_names_no_editors_who_only_repeat_the_title_or_publisher(
        make_briefing, tmp_path: Path, editors: str) -> None:  # type: ignore[no-untyped-def]
    config = CONFIG.replace("editors: [Redaksi Uji]", f"editors: {editors}\npublisher: Kantor Berita Uji")
    briefing: Briefing = make_briefing(config=config)
    briefing.markdown("2024-08-16-satu", _meta("Satu", 9), PARAGRAPH)
    first = _pages(_pdf(briefing, tmp_path))[0]
    assert "Redaksi:" not in first
    assert first.count("Briefing Uji") == 1  # the masthead's title, once


def test_a_day_without_curation_takes_its_headline_from_its_lead_article(make_briefing,
                                                                        tmp_path: Path) -> None:
    briefing: Briefing = make_briefing()
    briefing.markdown("2024-08-16-utama", _meta("Ukraina kuasai Sudzha", 9) + "priority: 1\n", PARAGRAPH)
    briefing.markdown("2024-08-16-lain", _meta("Rusia perluas evakuasi", 10), PARAGRAPH)
    path = _pdf(briefing, tmp_path)
    first = _pages(path)[0]
    lines = [line.strip() for line in first.splitlines() if line.strip()]
    masthead_end = next(n for n, line in enumerate(lines) if "data per" in line)
    assert lines[masthead_end + 1] == "Ukraina kuasai Sudzha"  # the headline, under the masthead
    assert "Briefing Jumat" not in first
    reader = pypdf.PdfReader(path)
    assert reader.metadata is not None and reader.metadata.subject == "Ukraina kuasai Sudzha"


#: Registry names a hyphenating theme would split if the template did not mark them.
_LONG_NAMES = {
    "sources": REGISTRIES["sources"] + "kementerianpertahanan: {name: Kementerianpertahananrusiaterpusat}\n",
    "places": REGISTRIES["places"] + "panjang: {name: Krasnayayarugaselatan Berbatasanlangsung, "
                                     "kind: district, within: kursk-oblast}\n",
    "actors": REGISTRIES["actors"] + "gubernur: {name: Vyacheslavgladkovich Pemerintahoblastbelgorod, "
                                     "kind: person}\n",
    "topics": REGISTRIES["topics"] + "topik-panjang: {name: Penyeberanganperbatasandarurat}\n",
}


def test_registry_names_are_never_hyphenated_even_by_a_hyphenating_theme(make_briefing,
                                                                         tmp_path: Path) -> None:
    """The default theme hyphenates nothing. A briefing whose stylesheet turns hyphenation on
    everywhere still gets every name of the registries whole: the template marks each one
    .name, which the default stylesheet keeps unhyphenated."""
    briefing: Briefing = make_briefing(registries=_LONG_NAMES)
    css = (REPO / "templates/pdf/briefing.css").read_text(encoding="utf-8")
    briefing.write("templates/pdf/briefing.css",
                   css + "\n* { hyphens: auto; hyphenate-limit-chars: 5 2 2; }\n")
    meta = _meta("Nama panjang", 9).replace("outlet: kontan", "outlet: kementerianpertahanan").replace(
        "places: [sudzha, glushkov]", "places: [panjang, sudzha]").replace(
        "actors: [ukraina, rusia]", "actors: [gubernur, ukraina]").replace(
        "topics: [evakuasi]", "topics: [topik-panjang]").replace("place: glushkov", "place: panjang")
    claims = "claims:\n  - {id: satu, text: Pernyataan panjang tentang perbatasan., by: gubernur, status: claimed}\n"
    briefing.markdown("2024-08-16-nama", meta + claims, PARAGRAPH * 3)
    text = "\n".join(_pages(_pdf(briefing, tmp_path)))
    broken = [line.split()[-1] for line in text.splitlines() if line.rstrip().endswith(_HYPHENS)]
    assert broken, "the theme should hyphenate some prose, or this test proves nothing"
    names = ("Kementerianpertahananrusiaterpusat", "Krasnayayarugaselatan", "Berbatasanlangsung",
             "Vyacheslavgladkovich", "Pemerintahoblastbelgorod", "Penyeberanganperbatasandarurat")
    split_names = [word for word in broken if any(name.startswith(word.rstrip("".join(_HYPHENS)))
                                                  for name in names)]
    assert not split_names
    for name in names:
        assert name in text


# --- the sample's PDFs ----------------------------------------------------------------------

SAMPLE_DAYS = [date(2024, 8, d) for d in range(12, 17)]


def _sample_pdf(sample_site: Path, on: date) -> Path:
    return sample_site / f"{on:%Y/%m/%d}/briefing-kursk-{on.isoformat()}.pdf"


def _fullness(path: Path) -> list[float]:
    """How far down each page its text reaches, from the top of the text area (page 1's first
    line: it has no running head) to the footer ("Halaman N dari M"): 1.0 is a full page."""
    boxes = _run("pdftotext", "-bbox", str(path), "-")
    pages = [[(float(top), float(bottom), word) for top, bottom, word in
              re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', page)]
             for page in boxes.split("<page ")[1:]]
    top = min(y for y, _, _ in pages[0])
    result = []
    for words in pages:
        foot = max(y for y, _, word in words if word == "Halaman")
        body = [bottom for y, bottom, _ in words if top - 1 <= y < foot - 1]
        result.append((max(body) - top) / (foot - top) if body else 0.0)
    return result


def test_the_sample_days_fill_their_pages(sample_site: Path) -> None:
    """No page but the last less than a third full, the front page (with its map) at least three
    quarters full; the 12 August briefing (three articles) on four pages at most (three before
    the map: its last article's end now spills). Pages and fullness are printed for the report (-s)."""
    counts = {}
    for on in SAMPLE_DAYS:
        fullness = _fullness(_sample_pdf(sample_site, on))
        counts[on] = len(fullness)
        print(on, len(fullness), "pages:", " ".join(f"{f:.0%}" for f in fullness))
        assert all(f >= 1 / 3 for f in fullness[:-1]), (on, fullness)
        assert fullness[0] >= 3 / 4, (on, fullness)
    assert counts[date(2024, 8, 12)] <= 4, counts


def test_no_page_of_the_sample_starts_with_a_box_or_the_tags(sample_site: Path) -> None:
    """A claims or figures box, or an article's tags, never opens a page: it keeps the lines
    it belongs to."""
    for on in SAMPLE_DAYS:
        for number, page in enumerate(_pages(_sample_pdf(sample_site, on))[1:], start=2):
            body = [line.strip() for line in page.splitlines()[1:] if line.strip()]  # under the head
            assert not body[0].startswith(("Klaim dan verifikasi", "ANGKA KUNCI", "Tempat:", "Aktor:")), \
                (on, number, body[:3])


def test_the_sample_front_pages(sample_site: Path) -> None:
    for on in SAMPLE_DAYS:
        path = _sample_pdf(sample_site, on)
        first = _pages(path)[0]
        assert f"Edisi {on.day - 11}" in first
        assert "data per" in first
        assert "Redaksi Briefing Kursk" not in first  # the editors line would only repeat the title
        assert first.count("Briefing Kursk") == 1
        assert first.index("Poin utama") < first.index("Angka kunci") < first.index("Daftar isi")
        assert re.search(r"\.{3,}\s*[12]\s*$", first, re.MULTILINE)  # here, or below the day's map
        assert "Briefing " + "Rabu" not in first
    uncurated = _pages(_sample_pdf(sample_site, date(2024, 8, 14)))[0]
    lines = [line.strip() for line in uncurated.splitlines() if line.strip()]
    assert lines[2] == "Belgorod tetapkan status darurat regional"  # the lead article's title


def test_text_copied_from_the_sample_has_no_hyphens_that_were_line_breaks(sample_root: Path,
                                                                          sample_site: Path) -> None:
    """A line may end in a hyphen only where the text has one ("benar-benar" split after it)."""
    sources = " ".join(" ".join(path.read_text(encoding="utf-8").split())
                       for path in sorted((sample_root / "content").rglob("*")) if path.suffix in
                       (".md", ".txt", ".yaml"))
    for on in SAMPLE_DAYS:
        lines = _run("pdftotext", str(_sample_pdf(sample_site, on)), "-").splitlines()
        for line, after in itertools.pairwise(lines):
            assert not line.endswith(_HYPHENS), (on, line, after)
            if line.endswith("-") and line[-2:-1].isalpha() and after:
                joined = f"{line.split()[-1]}{after.split()[0]}".rstrip(".,;:")
                assert joined in sources, (on, line, after)
