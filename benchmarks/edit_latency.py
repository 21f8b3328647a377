"""From a saved edit of one article to its rewritten page: ``briefing serve``, measured from outside.

Issue 5 asks how long a curator waits. For each briefing (the repository's
sample, copied; a generated one of N articles) this builds the site once with
``briefing build``, starts ``briefing serve --port 0`` and, for every edit,
appends a sentence to one Markdown article's body (or, with ``--fields title``,
a word to its title, which the lists of articles show too) and times, from
just before the save:

* disk — until the article's page file in site/ holds the sentence (polled every 2 ms);
* event — until the live-reload event naming that page arrives on /__briefing/events;
* GET — until a GET of the page, sent when that event arrives (as an open tab
  does), returns the sentence. Polling the server with GETs instead would load
  the very process that rebuilds.

Each edit starts when the server's whole process tree has been idle for a
while (the search index and PDFs are rebuilt in the background after an
edit), so the figures are for one save on a quiet machine. Saves alternate
between a plain write and write-to-temp-then-rename (as many editors save).
Last, with the server stopped, one more edit and ``briefing build --no-pdf``.
A server that never shows an edit or never goes idle is a result too: such
edits count as missed (three in a row end the round) and the report says so,
with the watcher's "Inotify queue overflowed" lines counted.

    python -m benchmarks.edit_latency [--sizes sample 5000] [--edits 10] [--fields body title]
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from benchmarks.corpus import edit_target, make_corpus, write_briefing
from benchmarks.measure import briefing_command, cpu_seconds, machine_line, source_line, table
from briefing import urls
from briefing.output import SiteFolder
from briefing.slugs import slug_from_stem

REPOSITORY = Path(__file__).resolve().parent.parent
POLL = 0.002
#: Longest wait for one edit to show; an edit not seen by then counts as missed.
TIMEOUT = 60.0
#: Consecutive missed edits after which a briefing's round is given up.
GIVE_UP = 3
#: The server counts as idle after IDLE_WINDOW s with less than IDLE_CPU s of CPU time over its tree;
#: it is waited for at most IDLE_WAIT s before the edits, IDLE_AFTER_EDIT s after each.
IDLE_WINDOW = 1.5
IDLE_CPU = 0.05
IDLE_WAIT = 180.0
IDLE_AFTER_EDIT = 120.0
#: After each edit, when the server never went idle before the edits: a pause, not a wait.
BUSY_PAUSE = 10.0
_OVERFLOW = "Inotify queue overflowed"
_SERVING = re.compile(r"Serving .* at http://127\.0\.0\.1:(\d+)/")
_TITLE = re.compile(r"^title: (['\"]?)(.*?)\1$", re.MULTILINE)
_REBUILT = re.compile(r"^\d\d:\d\d:\d\d (.+): (\d+) files? written in (\d+) ms$")


@dataclass
class Edit:
    what: str  # the field edited: body or title
    mode: str
    disk: float | None  # seconds from the save; None: not seen within TIMEOUT
    event: float | None
    get: float | None
    reported_ms: float | None  # what the terminal line said
    written: int | None  # outputs in the live-reload event
    idle_after: float | None  # until the server's tree was idle again (search index, PDFs); None: never


@dataclass
class Result:
    label: str
    articles: int
    pdf: bool
    outputs: int = 0
    full_build: float = 0.0
    ready: float = 0.0
    edits: list[Edit] = field(default_factory=list)
    cli_build: float = 0.0
    cli_summary: str = ""
    stopped: str = ""
    idle_before: float | None = None  # from ready to idle; None: never within IDLE_WAIT
    overflows: int = 0  # watchdog's "Inotify queue overflowed" lines in the server's terminal
    gave_up: str = ""
    source: str = ""  # briefing's commit when this briefing was measured (it may change meanwhile)
    written_example: list[str] = field(default_factory=list)
    changed: int = 0  # of the files the first edit rewrote, those whose bytes differ


# --- the briefings ------------------------------------------------------------------------

def sample_briefing(root: Path) -> Path:
    """A copy of the repository's sample (config and content; the theme is the default one)."""
    root.mkdir(parents=True)
    shutil.copy2(REPOSITORY / "briefing.yml", root / "briefing.yml")
    shutil.copytree(REPOSITORY / "content", root / "content")
    articles = sorted((root / "content" / "articles").rglob("*.md"))
    return articles[len(articles) // 2]


def generated_briefing(root: Path, count: int, *, pdf: bool) -> Path:
    corpus = make_corpus(count)
    write_briefing(corpus, root, pdf=pdf)
    return edit_target(corpus, root)


def page_of(root: Path, article: Path) -> str:
    """The site file of a Markdown article's page, from its front matter (as the loader does)."""
    config = yaml.safe_load((root / "briefing.yml").read_text(encoding="utf-8"))
    front = yaml.safe_load(article.read_text(encoding="utf-8").split("---\n", 2)[1])
    day = front.get("briefing")
    if not isinstance(day, date):
        when = front["date"]
        if not isinstance(when, datetime):
            when = datetime.fromisoformat(str(when))
        day = when.astimezone(ZoneInfo(config.get("timezone", "UTC"))).date()
    slug = front.get("slug") or slug_from_stem(article.stem)
    return urls.file_of(f"{urls.day_path(day)}{slug}/")


# --- the server -----------------------------------------------------------------------------

class Server:
    """``briefing serve`` in a subprocess: its terminal lines and its live-reload events, timed."""

    def __init__(self, root: Path) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "300"}
        self.process = subprocess.Popen([*briefing_command(), "-C", str(root), "serve", "--port", "0"],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        env=env, start_new_session=True)
        self.lines: list[tuple[float, str]] = []
        self.events: queue.Queue[tuple[float, str, dict[str, object]]] = queue.Queue()
        self.port = 0
        self._port_known = threading.Event()
        threading.Thread(target=self._read_terminal, daemon=True).start()

    def _read_terminal(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            line = raw.rstrip("\n")
            self.lines.append((time.perf_counter(), line))
            found = _SERVING.search(line)
            if found:
                self.port = int(found.group(1))
                self._port_known.set()
        self._port_known.set()

    def wait_ready(self, timeout: float) -> float:
        """Seconds until the first build is done (the status endpoint counts builds)."""
        started = time.perf_counter()
        if not self._port_known.wait(timeout) or not self.port:
            raise RuntimeError("briefing serve did not start:\n" + self.terminal())
        while time.perf_counter() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError("briefing serve stopped:\n" + self.terminal())
            status = json.loads(self.get("/__briefing/status")[1])
            if status.get("builds", 0) >= 1:
                return time.perf_counter() - started
            time.sleep(0.1)
        raise TimeoutError("briefing serve: no first build in time")

    def get(self, path: str) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def listen(self) -> None:
        """Follow /__briefing/events as a page does, in a thread."""
        connected = threading.Event()

        def run() -> None:
            connection = http.client.HTTPConnection("127.0.0.1", self.port)
            connection.request("GET", "/__briefing/events")
            response = connection.getresponse()
            connected.set()
            event = ""
            while True:
                line = response.readline()
                if not line:
                    return
                text = line.decode().rstrip("\n")
                if text.startswith("event: "):
                    event = text[7:]
                elif text.startswith("data: "):
                    self.events.put((time.perf_counter(), event, json.loads(text[6:])))

        threading.Thread(target=run, daemon=True).start()
        connected.wait(10)

    def wait_idle(self, timeout: float) -> float | None:
        """Seconds until the server and all its children used < IDLE_CPU s of CPU over IDLE_WINDOW s;
        None when that did not happen within ``timeout``."""
        started = time.perf_counter()
        samples: list[tuple[float, float]] = []
        while time.perf_counter() - started < timeout:
            now = time.perf_counter()
            used = cpu_seconds(self.process.pid)
            samples.append((now, used))
            old = [cpu for at, cpu in samples if now - at >= IDLE_WINDOW]
            if old and used - old[-1] < IDLE_CPU:
                return now - started
            time.sleep(0.25)
        return None

    def stop(self) -> str:
        """Ctrl-C, as a curator stops it; how it ended, in words."""
        if self.process.poll() is not None:
            return f"had already exited ({self.process.returncode})"
        self.process.send_signal(signal.SIGINT)
        try:
            code = self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return "did not stop within 30 s of SIGINT: killed"
        said = "Stopped." in self.terminal()
        return f"exit {code}" + ("" if said else ", without printing 'Stopped.'")

    def terminal(self) -> str:
        return "\n".join(line for _, line in self.lines)


@contextmanager
def serving(root: Path) -> Iterator[Server]:
    server = Server(root)
    try:
        yield server
    finally:
        if server.process.poll() is None:
            server.process.send_signal(signal.SIGINT)
            try:
                server.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.process.kill()


# --- one edit -------------------------------------------------------------------------------

def save(article: Path, text: str, *, atomic: bool) -> float:
    """Write the article; return the moment just before the write (or the rename)."""
    if atomic:
        temporary = article.with_name(f".{article.name}.tmp-bench")
        temporary.write_text(text, encoding="utf-8")
        started = time.perf_counter()
        os.replace(temporary, article)
        return started
    started = time.perf_counter()
    article.write_text(text, encoding="utf-8")
    return started


def wait_for_file(path: Path, token: bytes, started: float) -> float | None:
    """Poll the page file every 2 ms; stat first (reading would send the watcher events), read only
    when it changed. None when the edit did not show within TIMEOUT."""
    seen: tuple[int, int, int] | None = None
    while time.perf_counter() - started < TIMEOUT:
        try:
            info = path.stat()
            key = (info.st_ino, info.st_mtime_ns, info.st_size)
            if key != seen:
                seen = key
                if token in path.read_bytes():
                    return time.perf_counter() - started
        except FileNotFoundError:
            pass
        time.sleep(POLL)
    return None


def edited(text: str, what: str, token: str) -> str:
    """The article with ``token`` added to its body (a sentence) or to its title (a word)."""
    if what == "title":
        return _TITLE.sub(lambda m: f"title: {m[1]}{m[2]} {token}{m[1]}", text, count=1)
    return text.rstrip("\n") + f"\n\nKalimat uji {token} ditambahkan untuk mengukur waktu.\n"


def measure_edit(server: Server, root: Path, article: Path, page: str, number: int, *, what: str,
                 atomic: bool, settle: float) -> Edit:
    while not server.events.empty():
        server.events.get_nowait()
    token = f"penandabench{number:03d}{'r' if atomic else 'w'}"
    text = edited(article.read_text(encoding="utf-8"), what, token)
    lines_before = len(server.lines)
    started = save(article, text, atomic=atomic)
    disk = wait_for_file(root / "site" / page, token.encode(), started)
    event = get = None
    written: int | None = None
    while disk is not None and time.perf_counter() - started < TIMEOUT:
        try:
            at, kind, data = server.events.get(timeout=1)
        except queue.Empty:
            continue
        files = data.get("files")
        if kind == "built" and isinstance(files, list) and page in files:
            event, written = at - started, len(files)
            break
    if event is not None:
        while time.perf_counter() - started < TIMEOUT:
            _status, body = server.get("/" + page.removesuffix("index.html"))
            if token.encode() in body:
                get = time.perf_counter() - started
                break
            time.sleep(POLL)
    time.sleep(0.2)  # the terminal line is printed just before the event is sent
    reported = None
    for _, line in server.lines[lines_before:]:
        found = _REBUILT.match(line)
        if found and found.group(1).startswith("content/"):
            reported = float(found.group(3))
    idle = server.wait_idle(settle)
    return Edit(what, "rename" if atomic else "write", disk, event, get, reported, written, idle)


# --- a whole size -----------------------------------------------------------------------------

def run_size(size: str, work: Path, edits: int, *, pdf: bool, fields: list[str]) -> Result:
    root = work / f"briefing-{size}"
    if root.exists():
        shutil.rmtree(root)
    if size == "sample":
        article = sample_briefing(root)
        result = Result("sample", len(list((root / "content" / "articles").glob("*/*/*.md"))) +
                        len(list((root / "content" / "articles").glob("*/*/*.txt"))), pdf=True)
    else:
        print(f"generating {size} articles …", file=sys.stderr, flush=True)
        article = generated_briefing(root, int(size), pdf=pdf)
        result = Result(f"generated {int(size):,}", int(size), pdf=pdf)
    result.source = source_line()
    page = page_of(root, article)
    print(f"{result.label}: building once ({article.relative_to(root)} -> site/{page}) …",
          file=sys.stderr, flush=True)
    started = time.perf_counter()
    subprocess.run([*briefing_command(), "-C", str(root), "build"], check=True, capture_output=True)
    result.full_build = time.perf_counter() - started
    if not (root / "site" / page).is_file():
        raise RuntimeError(f"no page site/{page} for {article}")
    result.outputs = len(SiteFolder(root / "site").manifest())

    number = _measure_serve(root, article, page, result, edits, fields)

    # Untimed: bring site/ and the load cache to the --no-pdf state first, so that the timed build
    # does the work of one edit only (without PDFs, day pages lose their PDF link).
    no_pdf = [*briefing_command(), "-C", str(root), "build", "--no-pdf"]
    subprocess.run(no_pdf, check=True, capture_output=True)
    number += 1
    token = f"penandabench{number:03d}c"
    article.write_text(article.read_text(encoding="utf-8").rstrip("\n") + f"\n\nKalimat uji {token}.\n",
                       encoding="utf-8")
    started = time.perf_counter()
    done = subprocess.run(no_pdf, check=True, capture_output=True, text=True)
    result.cli_build = time.perf_counter() - started
    result.cli_summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    if token not in (root / "site" / page).read_text(encoding="utf-8"):
        result.cli_summary += " — but the page does NOT show the edit"
    return result


def _measure_serve(root: Path, article: Path, page: str, result: Result, edits: int,
                   fields: list[str]) -> int:
    """Saves in `briefing serve`, alternating the kinds of save and the fields; returns how
    many edits were made."""
    number = 0
    with serving(root) as server:
        result.ready = server.wait_ready(timeout=1800)
        result.idle_before = server.wait_idle(IDLE_WAIT)
        print(f"{result.label}: ready after {result.ready:.1f} s, idle after "
              f"{_seconds(result.idle_before, IDLE_WAIT)}", file=sys.stderr, flush=True)
        server.listen()
        before = _digests(root / "site")
        missed = 0
        settle = IDLE_AFTER_EDIT if result.idle_before is not None else BUSY_PAUSE
        # The two kinds of save (and the fields edited) alternate, so that drift hits all alike.
        for turn in range(2 * edits * len(fields)):
            number += 1
            edit = measure_edit(server, root, article, page, number, what=fields[turn // 2 % len(fields)],
                                atomic=number % 2 == 0, settle=settle)
            result.edits.append(edit)
            print(f"  {edit.what} {edit.mode} {number}: disk {_ms1(edit.disk)}, GET {_ms1(edit.get)}, "
                  f"reported {edit.reported_ms} ms, {edit.written} files, idle again after "
                  f"{_seconds(edit.idle_after, settle)}",
                  file=sys.stderr, flush=True)
            missed = missed + 1 if edit.disk is None else 0
            if missed >= GIVE_UP:
                result.gave_up = f"gave up after {GIVE_UP} edits in a row not seen within {TIMEOUT:.0f} s"
                break
            if not result.written_example and edit.disk is not None:
                result.written_example = _last_written(server)
                after = _digests(root / "site", result.written_example)
                result.changed = sum(before.get(rel) != digest for rel, digest in after.items())
        result.stopped = server.stop()
        result.overflows = sum(_OVERFLOW in line for _, line in server.lines)
    print(f"{result.label}: server {result.stopped}", file=sys.stderr, flush=True)
    return number


def _digests(site: Path, files: list[str] | None = None) -> dict[str, bytes]:
    """Content hashes of the site's files (the search index aside), to tell a rewrite from a change."""
    paths = [site / f for f in files] if files is not None else \
        [p for p in site.rglob("*") if p.is_file() and urls.PAGEFIND.rstrip("/") not in p.parts]
    return {p.relative_to(site).as_posix(): hashlib.blake2b(p.read_bytes(), digest_size=16).digest()
            for p in paths if p.is_file()}


def _ms1(value: float | None) -> str:
    return "missed" if value is None else f"{value * 1000:.0f} ms"


def _seconds(value: float | None, limit: float) -> str:
    return f"never within {limit:.0f} s" if value is None else f"{value:.1f} s"


def _last_written(server: Server) -> list[str]:
    status = json.loads(server.get("/__briefing/status")[1])
    written = status.get("written")
    return [str(w) for w in written] if isinstance(written, list) else []


# --- report ---------------------------------------------------------------------------------------

def _ms(values: list[float | None]) -> tuple[str, str]:
    known = [v * 1000 for v in values if v is not None]
    if not known:
        return ("missed" if values else "—"), "—"
    missing = "" if len(known) == len(values) else f" ({len(values) - len(known)} missed)"
    return f"{statistics.median(known):.0f}{missing}", f"{max(known):.0f}"


def _idle(values: list[float | None]) -> str:
    known = [v for v in values if v is not None]
    never = len(values) - len(known)
    text = f"{statistics.median(known):.1f}" if known else "never"
    return text + (f" ({never}× not within the wait)" if never and known else "")


def report(results: list[Result], edits: int) -> str:
    rows: list[list[object]] = []
    for r in results:
        kinds = [(w, m) for w in dict.fromkeys(e.what for e in r.edits) for m in ("write", "rename")]
        for what, mode in kinds:
            mine = [e for e in r.edits if e.mode == mode and e.what == what]
            disk, event, get = (_ms([e.disk for e in mine]), _ms([e.event for e in mine]),
                                _ms([e.get for e in mine]))
            reported = [e.reported_ms for e in mine if e.reported_ms is not None]
            written = sorted({e.written for e in mine if e.written is not None})
            rows.append([r.label, r.articles, r.outputs, "on" if r.pdf else "off", what, mode, len(mine),
                         disk[0], disk[1], event[0], get[0], get[1],
                         f"{statistics.median(reported):.0f}" if reported else None,
                         "/".join(str(w) for w in written) or None, _idle([e.idle_after for e in mine])])
    sources = "  \n".join(f"{r.label}: {r.source}" for r in results)
    lines = [f"### Saved edit → rewritten page (`briefing serve`)\n\n{machine_line()}  \n{sources}\n",
             table(["briefing", "articles", "outputs", "PDF", "field", "save", "edits", "disk ms median",
                    "disk ms max", "event ms median", "GET ms median", "GET ms max", "serve's own ms median",
                    "files per rebuild", "s until idle again"], rows),
             "",
             table(["briefing", "`briefing build` (full, once) s", "serve ready s", "serve idle after s",
                    "inotify overflows", "`briefing build --no-pdf` after one edit s", "its summary line",
                    "serve stopped (SIGINT)"],
                   [[r.label, f"{r.full_build:.1f}", f"{r.ready:.1f}",
                     "never" if r.idle_before is None else f"{r.idle_before:.1f}", r.overflows,
                     f"{r.cli_build:.2f}", r.cli_summary, r.stopped] for r in results]),
             "",
             f"Times from just before the save (the write, or the rename of a written temporary file). "
             f"disk: the page file in site/ holds the new sentence (polled every 2 ms); event: the "
             f"live-reload event naming the page arrives; GET: a GET sent on that event returns it. "
             f"serve's own ms: what the terminal line of the rebuild says. Each edit waits until "
             f"the server's process tree is idle ({IDLE_CPU} s CPU over {IDLE_WINDOW} s): the last column "
             f"is how long the background work after an edit (search index, PDF) kept it busy (waited "
             f"for at most {IDLE_AFTER_EDIT:.0f} s; {BUSY_PAUSE:.0f} s when the server never went idle "
             f"before the edits). "
             f"{edits} edits per field and save mode. body: a sentence appended to the article's "
             f"body (only its page shows it); title: a word added to its title (its day, timeline "
             f"month, registry pages and feeds show it too)."]
    for r in results:
        if r.gave_up:
            lines.append(f"\n{r.label}: {r.gave_up}.")
        if r.written_example:
            shown = ", ".join(r.written_example[:12]) + (" …" if len(r.written_example) > 12 else "")
            lines.append(f"\nFiles the first edit rewrote ({r.label}): {len(r.written_example)}, of which "
                         f"{r.changed} differ in content from before the edit: {shown}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", nargs="+", default=["sample", "5000"],
                        help="'sample' (the repository's own) and/or article counts to generate.")
    parser.add_argument("--edits", type=int, default=10, help="Edits per save mode (write, rename).")
    parser.add_argument("--fields", nargs="+", choices=["body", "title"], default=["body"],
                        help="What each edit changes (alternating when several): the body, the title.")
    parser.add_argument("--pdf", action="store_true",
                        help="PDFs on in generated briefings (default: off; the sample keeps its config).")
    parser.add_argument("--work", type=Path,
                        help="Folder for the briefings (kept). Default: a temporary one, removed.")
    args = parser.parse_args(argv)
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        # Started with & from a non-interactive shell: SIGINT is ignored here, and an ignored signal
        # stays ignored in children, so the server would not hear the SIGINT that stops it. A handler
        # (unlike SIG_IGN) is reset to the default in a child.
        signal.signal(signal.SIGINT, signal.default_int_handler)
    for size in args.sizes:
        if size != "sample" and not size.isdigit():
            parser.error(f"--sizes: 'sample' or a number, not {size!r}")

    work = (args.work or Path(tempfile.mkdtemp(prefix="briefing-edit-latency-"))).resolve()
    work.mkdir(parents=True, exist_ok=True)
    results: list[Result] = []
    try:
        for size in args.sizes:
            results.append(run_size(size, work, args.edits, pdf=args.pdf, fields=args.fields))
            print(report(results, args.edits) + "\n", file=sys.stderr, flush=True)  # so far, in case
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(report(results, args.edits))


if __name__ == "__main__":
    main()
