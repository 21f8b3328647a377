"""Seconds and peak memory of ``briefing pdf`` for a 20-article and a 60-article day.

Issue 4 asks for these two figures. Each render runs as a fresh
``briefing pdf --date D --out F`` process, as a curator or a cron job runs it,
so start-up, loading the content and the PDF worker process are all counted.
Beside it, as a peer, WeasyPrint alone renders a plain HTML document of the
same article texts (no templates, no hyphenation, a minimal page style) in a
fresh process, so the figures can be read as "× WeasyPrint".

    python -m benchmarks.pdf_days [--work DIR] [--repeat 3]
"""

from __future__ import annotations

import argparse
import dataclasses
import html
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

from benchmarks.corpus import FIRST_DAY, WIB, Corpus, make_corpus, write_briefing
from benchmarks.measure import MIB, briefing_command, machine_line, run_measured, source_line, table

SIZES = (20, 60)

#: The peer: WeasyPrint's own API on a file, in a fresh interpreter (argv: html, pdf, variant or "").
_PEER = ("import sys, weasyprint; "
         "weasyprint.HTML(filename=sys.argv[1]).write_pdf(sys.argv[2], pdf_variant=sys.argv[3] or None)")
#: Enough style that the pages compare with ours: the same page size, margins and body font.
_PEER_STYLE = ('@page { size: A4; margin: 20mm 18mm 22mm 18mm } '
               'html { font: 10.5pt/1.45 "Noto Serif", "DejaVu Serif", serif }')


def one_day_corpus(count: int, seed: int = 2024, day: date = FIRST_DAY) -> Corpus:
    """``count`` articles of :func:`make_corpus`, all moved to ``day`` (a curated day).

    make_corpus spreads articles over days of 10–40; a fixed day size needs them
    re-dated. Published every 15 minutes from 06:00 WIB, so 60 fit before 21:00.
    """
    corpus = make_corpus(count, seed)
    start = datetime(day.year, day.month, day.day, 6, 0, tzinfo=WIB)
    articles = [dataclasses.replace(a, id=f"{day.isoformat()}-berita-{n:05d}",
                                    date=start + timedelta(minutes=15 * n))
                for n, a in enumerate(corpus.articles)]
    curated: dict[date, dict[str, object]] = {day: {
        "headline": articles[0].title,
        "as_of": datetime(day.year, day.month, day.day, 22, 0, tzinfo=WIB),
        "takeaways": [a.summary.split(".")[0] + "." for a in articles[:4]],
        "articles": [a.id for a in articles[:3]]}}
    return Corpus(articles, corpus.sources, corpus.places, corpus.actors, corpus.topics, curated)


def peer_html(corpus: Corpus) -> str:
    """The same article texts as one plain HTML document: title, summary, headings, paragraphs."""
    parts = [f'<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Peer</title>'
             f"<style>{_PEER_STYLE}</style></head><body>"]
    for article in corpus.articles:
        parts.append(f"<article><h1>{html.escape(article.title)}</h1><p><em>"
                     f"{html.escape(article.summary)}</em></p>")
        for heading, paragraphs in article.sections:
            if heading:
                parts.append(f"<h2>{html.escape(heading)}</h2>")
            parts.extend(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        parts.append("</article>")
    parts.append("</body></html>")
    return "\n".join(parts)


def pdf_pages(path: Path) -> int | None:
    """Page count from pdfinfo (poppler); None when it is not installed."""
    if shutil.which("pdfinfo") is None:
        return None
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return next(int(line.split()[1]) for line in out.splitlines() if line.startswith("Pages:"))


@dataclasses.dataclass
class Case:
    label: str
    articles: int
    words: int
    command: list[str]
    out: Path
    seconds: list[float] = dataclasses.field(default_factory=list)
    largest: list[int] = dataclasses.field(default_factory=list)
    tree: list[int] = dataclasses.field(default_factory=list)


def prepare(work: Path, count: int, peer_variants: list[str]) -> tuple[Case, list[Case]]:
    """Write the one-day briefing and the peer's HTML; the commands that render them."""
    corpus = one_day_corpus(count)
    root = work / f"day-{count}"
    if root.exists():
        shutil.rmtree(root)
    write_briefing(corpus, root, pdf=True)
    words = sum(a.words for a in corpus.articles)
    day = corpus.articles[0].date.date().isoformat()
    out = work / f"ours-{count}.pdf"
    ours = Case(f"briefing pdf, {count} articles", count, words,
                [*briefing_command(), "-C", str(root), "pdf", "--date", day, "--out", str(out)], out)
    page = work / f"peer-{count}.html"
    page.write_text(peer_html(corpus), encoding="utf-8")
    peers = []
    for variant in peer_variants:
        out = work / f"peer-{count}-{variant.replace('/', '') or 'plain'}.pdf"
        peers.append(Case(f"WeasyPrint alone, {count} articles, {variant or 'untagged'}", count, words,
                          [sys.executable, "-c", _PEER, str(page), str(out), variant], out))
    return ours, peers


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--work", type=Path,
                        help="Folder for the briefings and PDFs (kept). Default: a temporary one.")
    parser.add_argument("--repeat", type=int, default=3, help="Runs of each command; the median is reported.")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="Articles in the day.")
    parser.add_argument("--peer-variants", nargs="+", default=["pdf/ua-1", ""],
                        help="PDF variants the peer writes ('' for none); ratios are against the first. "
                             "Default: pdf/ua-1 (ours, tagged) and untagged.")
    args = parser.parse_args(argv)

    work = (args.work or Path(tempfile.mkdtemp(prefix="briefing-pdf-days-"))).resolve()
    work.mkdir(parents=True, exist_ok=True)
    groups = [prepare(work, count, args.peer_variants) for count in args.sizes]
    cases = [c for ours, peers in groups for c in (ours, *peers)]
    for run in range(args.repeat):  # interleaved, so that a busy moment of the machine hits every case
        for case in cases:
            seconds, largest, tree_peak, _output = run_measured(case.command)
            case.seconds.append(seconds)
            case.largest.append(largest)
            case.tree.append(tree_peak)
            print(f"run {run + 1}/{args.repeat} {case.label}: {seconds:.2f} s, {largest / MIB:.0f} MiB "
                  f"largest process, {tree_peak / MIB:.0f} MiB all", file=sys.stderr, flush=True)

    rows: list[list[object]] = []
    for ours, peers in groups:
        for case in (ours, *peers):
            median = statistics.median(case.seconds)
            peak = max(case.largest) / MIB
            ratio = ""
            if case is ours and peers:
                ratio = (f"{median / statistics.median(peers[0].seconds):.1f}× / "
                         f"{peak / (max(peers[0].largest) / MIB):.1f}×")
            rows.append([case.label, case.words, f"{median:.2f}",
                         f"{min(case.seconds):.2f}–{max(case.seconds):.2f}", f"{peak:.0f}",
                         f"{max(case.tree) / MIB:.0f}", pdf_pages(case.out),
                         f"{case.out.stat().st_size / 1024:.0f}", ratio])
    print(f"\n### One day's PDF: `briefing pdf --date D --out F` in a fresh process\n\n{machine_line()}  \n"
          f"{source_line()}\n")
    print(table(["run", "words", f"s (median of {args.repeat})", "s min–max", "peak MiB, largest process",
                 "peak MiB, all processes (PSS, sampled)", "pages", "KiB",
                 f"× WeasyPrint {args.peer_variants[0] or 'untagged'} (s / MiB)"], rows))
    print(f"\nWall seconds include Python start-up, loading the briefing and starting the PDF worker "
          f"(spawned). \"Largest process\" is the kernel's max RSS (wait4: the main process or the PDF "
          f"worker, whichever peaked higher); \"all processes\" sums the PSS of every process of the run "
          f"(shared pages counted once), sampled every 20 ms. The peer is WeasyPrint {_weasyprint_version()} "
          f"in a fresh interpreter on plain HTML of the same texts (A4, same margins and body font, no "
          f"hyphenation, no contents page or running heads). The briefing's PDFs are pdf/ua-1 (tagged), "
          f"the default. Files in {work}.")


def _weasyprint_version() -> str:
    import weasyprint

    return str(weasyprint.__version__)


if __name__ == "__main__":
    main()
