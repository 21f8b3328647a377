"""Messages per second and peak memory of ``briefing send`` for 1,000 and 10,000 subscribers.

Issue 17 asks that memory stay flat with the number of subscribers: messages are
composed one at a time and dropped once sent. Each run is a fresh process (so
its peak RSS, ``ru_maxrss``, is its own) sending the sample briefing's latest
day, composed by the real templates with its real PDF, to a local aiosmtpd sink
in another process that counts and drops what it gets. Every message really
goes through SMTP on 127.0.0.1, with the ledger's fsync before each DATA.

Beside each run, in its own fresh process, the same messages are handed to a
bare ``smtplib`` loop (composed the same way, no ledger, no pacing, no checks):
the floor on this machine, so "time vs bare" is what the guarantees cost.

    python -m benchmarks.send [--sizes 1000 10000] [--modes link attach] [--work DIR]

The table gives, per run: seconds, messages per second, the bare loop's messages
per second, the ratio of the times, the peak RSS of the sending process, and what
sending added to it once the briefing and the list were loaded (flat: it does not
grow with the list).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import resource
import shutil
import smtplib
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.measure import machine_line, source_line, table

SIZES = (1000, 10000)
MODES = ("link", "attach")
REPO = Path(__file__).resolve().parent.parent


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

    async def serve() -> None:
        sink = _CountingSink()
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: SMTP(sink, hostname="localhost"), "127.0.0.1", 0)
        port_file.write_text(str(server.sockets[0].getsockname()[1]))
        await server.serve_forever()

    asyncio.run(serve())


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _setting(config: str, key: str, value: str) -> str:
    return re.sub(rf"^  {key}: .*$", f"  {key}: {value}", config, flags=re.MULTILINE)


def _briefing(count: int, mode: str, port: int, work: Path) -> Path:
    """This repository's sample briefing with ``count`` generated subscribers and its
    relay pointed at the sink."""
    root = work / f"{count}-{mode}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    shutil.copytree(REPO / "content", root / "content")
    config = (REPO / "briefing.yml").read_text(encoding="utf-8")
    config = _setting(config, "subscribers", "private/subscribers.yaml")
    config = _setting(config, "smtp", f"{{host: 127.0.0.1, port: {port}, security: none, helo: localhost}}")
    config = _setting(config, "pdf", f"{{mode: {mode}, attach_max_kb: 5000}}")
    config = _setting(config, "rate", "{per_second: 1000000, per_day: 1000000}")
    (root / "briefing.yml").write_text(config, encoding="utf-8")
    (root / "private").mkdir()
    (root / "private" / "subscribers.yaml").write_text(
        "".join(f"s{i:06d}: {{email: s{i:06d}@example.org, name: Pembaca {i}}}\n" for i in range(count)),
        encoding="utf-8")
    return root


def send_once(count: int, mode: str, port: int, work: Path, bare: bool) -> dict[str, float]:
    """In this (fresh) process: the sample's latest day sent to ``count`` subscribers, with
    ``briefing send``'s own code (ledger, pacing, checks) or, ``bare``, the same messages
    handed to smtplib one after another with nothing else."""
    from briefing.mail.message import MailingList, MessageKey, build_message, pdf_choice
    from briefing.mail.send import send_day
    from briefing.sending import prepare

    root = _briefing(count, mode, port, work)
    ready = prepare(root, day=None, strict=False, late=True)
    loaded_rss = _rss_mib()
    started = time.perf_counter()
    if bare:
        mailing_list = MailingList(ready.settings)  # the sample has no one-click URL to sign
        when = datetime(2024, 8, 16, 18, tzinfo=UTC)
        with smtplib.SMTP("127.0.0.1", port, local_hostname="localhost") as smtp:
            for subscriber in ready.subscribers:
                choice = pdf_choice(subscriber, ready.pdf, ready.settings.pdf)
                composed = build_message(mailing_list, subscriber, ready.compose(subscriber, choice),
                                         MessageKey(ready.day, subscriber.id), when=when, pdf=ready.pdf)
                smtp.sendmail(ready.settings.sender_address.addr_spec, [subscriber.email], composed.data)
        sent = count
    else:
        summary = send_day(root, ready.settings, ready.day, ready.subscribers, ready.compose, pdf=ready.pdf)
        assert summary.exit_status == 0, summary
        sent = summary.sent
    seconds = time.perf_counter() - started
    assert sent == count, sent
    first = ready.subscribers[0]
    html = build_message(MailingList(ready.settings), first, ready.compose(first, "link"),
                         MessageKey(ready.day, first.id), when=datetime.now(UTC)).html
    return {"seconds": seconds, "per_second": count / seconds, "peak_mib": _rss_mib(),
            "loaded_mib": loaded_rss, "html_kb": len(html.encode()) / 1024,
            "pdf_kb": len(ready.pdf.data) / 1024 if ready.pdf else 0.0}


def _wait_for_port(port_file: Path, sink: subprocess.Popen[bytes]) -> str:
    deadline = time.monotonic() + 30
    while not port_file.exists() or not port_file.read_text():
        if time.monotonic() > deadline or sink.poll() is not None:
            raise SystemExit("the SMTP sink did not start")
        time.sleep(0.05)
    return port_file.read_text()


def _run(work: Path, count: int, mode: str, port: str, how: str) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-m", "benchmarks.send", "--work", str(work),
                           "--sender", str(count), mode, port, how],
                          check=True, capture_output=True, text=True)
    result: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    print(f"  {count} subscribers, PDF {mode}, {how}: {result['seconds']:.1f} s", file=sys.stderr)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--modes", nargs="+", default=list(MODES), choices=MODES)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--sink", type=Path, help=argparse.SUPPRESS)  # internal: run the sink
    parser.add_argument("--sender", nargs=4, help=argparse.SUPPRESS)  # internal: COUNT MODE PORT HOW
    args = parser.parse_args(argv)
    if args.sink:
        serve_sink(args.sink)
        return
    if args.sender:
        count, mode, port, how = args.sender
        print(json.dumps(send_once(int(count), mode, int(port), args.work, how == "bare")))
        return

    work = args.work or Path(tempfile.mkdtemp(prefix="briefing-send-"))
    work.mkdir(parents=True, exist_ok=True)
    port_file = work / "port"
    port_file.unlink(missing_ok=True)
    sink = subprocess.Popen([sys.executable, "-m", "benchmarks.send", "--sink", str(port_file)])
    rows, sizes = [], ""
    try:
        port = _wait_for_port(port_file, sink)
        for mode in args.modes:
            for count in args.sizes:
                ours, bare = (_run(work, count, mode, port, how) for how in ("briefing", "bare"))
                sizes = (f"{ours['html_kb']:.0f} KB of HTML a message (CSS inlined), "
                         f"a {ours['pdf_kb']:.0f} KB PDF")
                rows.append([f"{count:,}", mode, f"{ours['seconds']:.1f}", f"{ours['per_second']:.0f}",
                             f"{bare['per_second']:.0f}", f"{ours['seconds'] / bare['seconds']:.2f}x",
                             f"{ours['peak_mib']:.0f}", f"{ours['peak_mib'] - ours['loaded_mib']:.0f}"])
    finally:
        sink.terminate()
        sink.wait(timeout=10)
    print(machine_line())
    print(source_line())
    print(f"the sample's latest day to a local aiosmtpd sink; {sizes}")
    print()
    print(table(["subscribers", "PDF", "seconds", "messages/s", "bare smtplib, messages/s",
                 "time vs bare", "peak RSS, MiB", "added by sending, MiB"], rows))


if __name__ == "__main__":
    main()
