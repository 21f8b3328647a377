"""Messages per second and peak memory of ``send_day`` for 1,000 and 10,000 subscribers.

Issue 17 asks that memory stay flat with the number of subscribers: messages are
composed one at a time and dropped once sent. Each run is a fresh sender
process (so its peak RSS, ``ru_maxrss``, is its own) sending a day to a local
aiosmtpd sink in another process that counts and drops what it gets. Every
message really goes through SMTP on 127.0.0.1, with the ledger's fsync before
each DATA. The content is a stand-in for the day's template: ~25 KB of HTML
(CSS inlined per message) and its text; the PDF (~100 KB) linked or attached.

    python -m benchmarks.send [--sizes 1000 10000] [--work DIR]

The table gives, per run: seconds, messages per second, the peak RSS of the
whole sender process, and its RSS once the subscriber list is read (before the
first message): the difference is what sending itself added.

Measured 2026-12-01 (2 cores, Python 3.11, commit 33e0a14): 1,000 / 10,000
subscribers with the PDF linked 4.7 s / 48.0 s (212 / 209 messages/s), attached
11.5 s / 121.8 s (87 / 82 messages/s); peak RSS 46 MiB / 76 MiB, of which sending
added 0-2 MiB: the rest is the subscriber list as parsed YAML (44 MiB at 1,000,
76 MiB at 10,000). The sink, aiosmtpd in Python, is about half of the time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.measure import machine_line, source_line, table

SIZES = (1000, 10000)
MODES = ("link", "attach")
PDF_BYTES = 100 * 1024


class _CountingSink:
    """Accepts everything, keeps nothing but a count."""

    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.count += 1
        return "250 OK"


def serve_sink(port_file: Path) -> None:
    """Run the sink until killed; writes its port to ``port_file`` once listening."""
    from aiosmtpd.smtp import SMTP

    async def main() -> None:
        sink = _CountingSink()
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: SMTP(sink, hostname="localhost"), "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        port_file.write_text(str(port))
        await server.serve_forever()

    asyncio.run(main())


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def send_once(count: int, mode: str, port: int, work: Path) -> dict[str, float]:
    """In this (fresh) process: a briefing with ``count`` subscribers, sent to the sink."""
    from briefing.errors import Problems
    from briefing.mail.message import DayPdf, MailContent, PdfChoice
    from briefing.mail.send import send_day
    from briefing.mail.settings import EmailSettings
    from briefing.mail.subscribers import Subscriber, load_subscribers

    root = work / f"{count}-{mode}"
    shutil.rmtree(root, ignore_errors=True)
    (root / "private").mkdir(parents=True)
    (root / "private" / "subscribers.yaml").write_text(
        "".join(f"s{i:06d}: {{email: s{i:06d}@example.org, name: Pembaca {i}}}\n" for i in range(count)),
        encoding="utf-8")
    settings = EmailSettings.model_validate({
        "from": "Briefing Kursk <redaksi@example.org>", "list_id": "kursk.briefing.example.org",
        "smtp": {"host": "127.0.0.1", "port": port, "security": "none", "helo": "localhost"},
        "pdf": {"mode": mode, "attach_max_kb": 5000},
        "unsubscribe": {"mailto": "berhenti@example.org", "url": "https://example.org/berhenti?t={token}"},
        "rate": {"per_second": 1_000_000, "per_day": 1_000_000}})
    problems = Problems()
    subscribers = load_subscribers(root, settings, problems)
    assert subscribers is not None, [p.format() for p in problems]
    loaded_rss = _rss_mib()
    url = "https://example.org/briefing/2024/08/16/briefing.pdf"
    pdf = DayPdf(bytes(i % 251 for i in range(PDF_BYTES)), url, "briefing-2024-08-16.pdf")
    sentence = "Kalimat ringkasan briefing harian tentang perang. "
    article = ("<tr><td class='artikel'><h2 class='judul'>Judul berita nomor {n}</h2>"
               "<p class='isi'>" + sentence * 12 + "</p></td></tr>")
    body = "".join(article.format(n=n) for n in range(30))
    style = ("<style>.judul{font-size:18px;color:#111}.isi{font-size:15px;line-height:1.5}"
             "@media (prefers-color-scheme: dark){.judul{color:#eee}}</style>")

    def compose(subscriber: Subscriber, choice: PdfChoice) -> MailContent:
        link = f"PDF: {url}\n" if choice == "link" else ""
        html = (f"<html><head>{style}</head><body><p>Halo {subscriber.name},</p>"
                f"<table role='presentation'>{body}</table><p>{link}</p></body></html>")
        text = f"Halo {subscriber.name},\n\n" + "Ringkasan.\n" * 200 + link
        return MailContent("Briefing 16 Agustus 2024", text, html)

    from datetime import date

    started = time.perf_counter()
    summary = send_day(root, settings, date(2024, 8, 16), subscribers, compose, pdf=pdf,
                       environ={"BRIEFING_UNSUBSCRIBE_KEY": "benchmark"})
    seconds = time.perf_counter() - started
    assert summary.exit_status == 0 and summary.sent == count, summary
    return {"seconds": seconds, "per_second": count / seconds, "peak_mib": _rss_mib(),
            "loaded_mib": loaded_rss}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--modes", nargs="+", default=list(MODES), choices=MODES)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--sink", type=Path, help=argparse.SUPPRESS)  # internal: run the sink
    parser.add_argument("--sender", nargs=3, help=argparse.SUPPRESS)  # internal: COUNT MODE PORT
    args = parser.parse_args(argv)
    if args.sink:
        serve_sink(args.sink)
        return
    if args.sender:
        count, mode, port = args.sender
        print(json.dumps(send_once(int(count), mode, int(port), args.work)))
        return

    work = args.work or Path(tempfile.mkdtemp(prefix="briefing-send-"))
    work.mkdir(parents=True, exist_ok=True)
    port_file = work / "port"
    port_file.unlink(missing_ok=True)
    sink = subprocess.Popen([sys.executable, "-m", "benchmarks.send", "--sink", str(port_file)])
    try:
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text():
            if time.monotonic() > deadline or sink.poll() is not None:
                raise SystemExit("the SMTP sink did not start")
            time.sleep(0.05)
        port = port_file.read_text()
        rows = []
        for mode in args.modes:
            for count in args.sizes:
                done = subprocess.run([sys.executable, "-m", "benchmarks.send", "--work", str(work),
                                       "--sender", str(count), mode, port],
                                      check=True, capture_output=True, text=True)
                result = json.loads(done.stdout.splitlines()[-1])
                rows.append([str(count), mode, f"{result['seconds']:.1f}", f"{result['per_second']:.0f}",
                             f"{result['peak_mib']:.0f}", f"{result['loaded_mib']:.0f}",
                             f"{result['peak_mib'] - result['loaded_mib']:.0f}"])
                print(f"  {count} subscribers, PDF {mode}: {result['seconds']:.1f} s", file=sys.stderr)
    finally:
        sink.terminate()
        sink.wait(timeout=10)
    print(machine_line())
    print(source_line())
    print(f"send_day to a local aiosmtpd sink; ~25 KB HTML a message, a {PDF_BYTES // 1024} KB PDF")
    print()
    print(table(["subscribers", "PDF", "seconds", "messages/s", "peak RSS, MiB",
                 "RSS after loading the list, MiB", "added by sending, MiB"], rows))


if __name__ == "__main__":
    main()
