"""Watch mode: rebuild what changed on every save, never stop on a mistake.

watchdog reports file events; they are only hints. Bursts are debounced into
one rebuild, and the rebuild itself finds what changed (the load cache and
the fingerprints), so editors' atomic saves, swap files, moves, deletes and
new folders all come out right. HTML is rewritten in place at once; PDFs and
the search index follow in background threads so pages never wait for them.
A failed rebuild writes nothing: the last good site stays served and the
problems go to the terminal and to the open pages.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import threading
import time
import traceback
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

from briefing.build import Builder, BuildOptions, BuildReport
from briefing.config import CONFIG_NAME
from briefing.content.articles import is_ignored
from briefing.errors import BriefingError, Location, Problem, Problems
from briefing.pdf import PdfWorkers
from briefing.render.theme import Theme
from briefing.serve import LiveReload
from briefing.units.pdf import PdfJob

#: Quiet time that ends a burst of events, and the longest a burst may delay a rebuild.
#: An editor's save (a write, or a write and a rename) sends its events within a few
#: milliseconds; a longer operation (a checkout) that pauses this long only rebuilds twice.
DEBOUNCE = 0.05
MAX_DELAY = 1.0
#: The quiet time after an event that ends a save: a file closed after writing, or a file
#: moved into place. What may still follow it (an editor removing its backup) comes at once.
SETTLE = 0.01

#: What a rebuild tells its listener: (what changed, the site files written, ms, problems).
Report = Callable[[str, list[str], float, Problems | None], None]


def is_source(path: Path, root: Path, out: Path) -> bool:
    """Whether a changed path can change the site: config, content/ or templates/."""
    try:
        rel = path.relative_to(root)
    except ValueError:
        return False
    if path == out or path.is_relative_to(out) or not rel.parts:
        return False
    if any(part.startswith(".") or is_ignored(part) for part in rel.parts):
        return False  # hidden folders (.git, caches), editors' swap, backup and lock files
    return rel.parts[0] in ("content", "templates") or rel.as_posix() == CONFIG_NAME


class _Collector(FileSystemEventHandler):
    def __init__(self, root: Path, out: Path) -> None:
        self.root, self.out = root, out
        self.lock = threading.Lock()
        self.paths: set[str] = set()
        self.last = 0.0
        self.first = 0.0
        self.settled = False  # the last event ended a save: a shorter quiet time ends the burst
        self.wake = threading.Event()
        self.complete = True  # False once events may have been lost since the last burst

    def lost_events(self) -> None:
        """The kernel dropped events: which files changed is unknown, so say something did."""
        with self.lock:
            self.complete = False
            now = time.monotonic()
            if not self.paths:
                self.first = now
            self.paths.add("content")
            self.last = now
        self.wake.set()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        dest = getattr(event, "dest_path", "")
        for raw in (event.src_path, dest):
            if not raw:
                continue
            path = Path(str(raw))
            if is_source(path, self.root, self.out):
                with self.lock:
                    now = time.monotonic()
                    if not self.paths:
                        self.first = now
                    self.paths.add(path.relative_to(self.root).as_posix())
                    self.last = now
                    # A file closed after writing, or moved into place (not away), ends a save.
                    self.settled = event.event_type == "closed" or (event.event_type == "moved"
                                                                    and raw == dest)
                self.wake.set()

    def take_burst(self, stop: threading.Event) -> tuple[set[str], bool]:
        """Wait for events, then for the burst to end; return the paths it touched and
        whether they are all that changed (no events were lost)."""
        while not stop.is_set():
            if not self.wake.wait(timeout=0.5):
                continue
            while not stop.is_set():
                with self.lock:
                    now = time.monotonic()
                    quiet = now - self.last >= (SETTLE if self.settled else DEBOUNCE)
                    overdue = now - self.first >= MAX_DELAY
                    if self.paths and (quiet or overdue):
                        paths, self.paths = self.paths, set()
                        complete, self.complete = self.complete, True
                        self.wake.clear()
                        return paths, complete
                    if not self.paths:
                        self.wake.clear()
                        break
                time.sleep(DEBOUNCE / 4)
        return set(), True


class _LostEvents(logging.Handler):
    """watchdog only logs that the kernel's event queue overflowed: hear it."""

    def __init__(self, collector: _Collector) -> None:
        super().__init__(logging.WARNING)
        self.collector = collector

    def emit(self, record: logging.LogRecord) -> None:
        if "overflow" in record.getMessage().lower():
            self.collector.lost_events()


@dataclass
class Session:
    """One briefing being watched: the builder, the site's manifest and the background work."""

    root: Path
    options: BuildOptions
    report: Report
    hub: LiveReload | None = None
    builder: Builder = field(init=False)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _pdfs: list[PdfJob] = field(default_factory=list)
    _pdf_wake: threading.Event = field(default_factory=threading.Event)
    #: Kept between batches, so that a save's PDF does not wait for a new worker to import
    #: WeasyPrint; made anew when the config or the theme (which workers read once) changed.
    _pdf_workers: tuple[object, PdfWorkers] | None = None
    _search_wake: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)
    builds: int = 0
    attempts: int = 0

    def __post_init__(self) -> None:
        self.root = self.root.resolve()
        self.builder = Builder(self.root, self.options)
        self.builder.lock.what = "preview (briefing serve or watch)"

    @property
    def out(self) -> Path:
        return self.builder.out

    def start(self) -> None:
        threading.Thread(target=self._pdf_loop, name="briefing-pdf", daemon=True).start()
        threading.Thread(target=self._search_loop, name="briefing-search", daemon=True).start()

    def rebuild(self, changed: str, paths: Collection[str] | None = None) -> bool:
        """Bring the site up to date; True when it built. Never raises on bad input.

        ``paths``: every path (relative to the root) changed since the last rebuild,
        when the watcher is sure of them; the load then looks at nothing else.
        """
        started = time.perf_counter()
        self.attempts += 1

        def written(report: BuildReport) -> None:  # the pages are on disk: tell the browser now
            took = (time.perf_counter() - started) * 1000
            files = _pages(report)
            self.report(changed, files, took, report.problems)
            if self.hub:
                self.hub.built(files, self._status(changed, files, took, ok=True))

        try:
            report, pdf_jobs = self.builder.update(paths, written=written)
        except BriefingError as exc:
            self._failed(changed, started, exc.problems)
            return False
        except Exception as exc:  # a bug of briefing: say so, and keep serving the last good site
            self._failed(changed, started, _internal(exc))
            return False
        self.builds += 1
        if pdf_jobs:
            with self.lock:
                days = {job.day for job in pdf_jobs}
                self._pdfs = [j for j in self._pdfs if j.day not in days] + pdf_jobs
            self._pdf_wake.set()
        if self.options.search and _pages(report):
            self._search_wake.set()
        return True

    def _failed(self, changed: str, started: float, problems: Problems) -> None:
        took = (time.perf_counter() - started) * 1000
        self.report(changed, [], took, problems)
        if self.hub:
            self.hub.failed([p.format() for p in problems.errors], self._status(changed, [], took, ok=False))

    def _status(self, changed: str, written: list[str], took: float, *, ok: bool) -> dict[str, object]:
        return {"builds": self.builds + (1 if ok else 0), "attempts": self.attempts, "ok": ok,
                "changed": changed,
                "written": written, "milliseconds": round(took, 1),
                "at": datetime.now().isoformat(timespec="seconds")}

    def _pdf_loop(self) -> None:
        try:
            while not self.stop.is_set():
                if not self._pdf_wake.wait(timeout=0.5):
                    continue
                self._pdf_wake.clear()
                with self.lock:
                    jobs, self._pdfs = self._pdfs, []
                if jobs:
                    self._render_pdfs(jobs)
        finally:
            if self._pdf_workers is not None:
                self._pdf_workers[1].close()

    def _workers_for(self, jobs: list[PdfJob]) -> PdfWorkers:
        config = jobs[0].site.config
        key = (config.model_dump_json(), Theme(self.root).stamp())
        if self._pdf_workers is not None:
            kept_key, workers = self._pdf_workers
            if kept_key == key and not workers.broken:
                return workers
            workers.close()
        workers = PdfWorkers(self.root, config, min(os.cpu_count() or 1, len(jobs)))
        self._pdf_workers = (key, workers)
        return workers

    def _render_pdfs(self, jobs: list[PdfJob]) -> None:
        started = time.perf_counter()
        for job, result in self._workers_for(jobs).render(jobs):
            label = f"PDF {job.day.isoformat()}"
            if isinstance(result, Problem):
                self.report(label, [], (time.perf_counter() - started) * 1000, Problems([result]))
                continue
            took = result.seconds * 1000  # this day's own rendering, not the whole batch's
            rel = job.output.file
            try:
                self.builder.publish_pdf(job, result.data)
            except BriefingError as exc:
                self.report(label, [], took, exc.problems)
                continue
            self.report(label, [rel], took, Problems(result.warnings))
            if self.hub:
                self.hub.written([rel])

    def _search_loop(self) -> None:
        while not self.stop.is_set():
            if not self._search_wake.wait(timeout=0.5):
                continue
            time.sleep(0.3)  # let a burst of saves settle: the index covers the whole site
            self._search_wake.clear()
            started = time.perf_counter()
            try:
                made = self.builder.reindex(_language(self.root))
            except BriefingError as exc:  # the pages are published; the next save tries again
                self.report("search", [], 0.0, Problems(p for p in exc.problems))
            except Exception as exc:
                self.report("search", [], 0.0, _internal(exc))
            else:
                if made:
                    self.report("search", [], (time.perf_counter() - started) * 1000, None)


def _pages(report: BuildReport) -> list[str]:
    """The files a rebuild wrote, but PDFs (those come later, from the background)."""
    return [p for p in report.written if not p.endswith(".pdf")]


def _language(root: Path) -> str:
    from briefing.config import load_config

    config = load_config(root, Problems())
    return config.language if config else "id"


def _internal(exc: Exception) -> Problems:
    """A failure that is briefing's own fault, as a problem the terminal and the page show."""
    problems = Problems()
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" ({frames[-1].filename}:{frames[-1].lineno})" if frames else ""
    problems.error(Location(CONFIG_NAME), "", f"briefing failed: {type(exc).__name__}: {exc}{where}",
                   "the last good site is still served; please report this with the file you saved")
    return problems


#: The events that can change a source; file opens and closes are left out, so the
#: kernel is not even asked for them (a build opens thousands of files).
_EVENTS: list[type[FileSystemEvent]] = [
    FileCreatedEvent, FileModifiedEvent, FileDeletedEvent, FileMovedEvent, FileClosedEvent,
    DirCreatedEvent, DirDeletedEvent, DirMovedEvent,
]
#: The folders a briefing's sources live in; only these are watched recursively, never
#: site/ or caches, whose thousands of writes would overflow the kernel's event queue.
_SOURCE_DIRS = ("content", "templates")


def watch(session: Session, *, ready: Callable[[], None] | None = None) -> None:
    """Build once, then rebuild after every burst of changes until ``session.stop`` is set."""
    collector = _Collector(session.root, session.out)
    observer = Observer()
    observer.schedule(collector, str(session.root), recursive=False, event_filter=_EVENTS)  # briefing.yml
    watched: dict[str, ObservedWatch] = {}

    def watch_sources() -> bool:
        """Watch content/ and templates/ (again after each burst: either may be new);
        True when one was not watched until now, so that its changes went unseen."""
        new = False
        for name in _SOURCE_DIRS:
            folder = session.root / name
            if name in watched and not folder.is_dir():  # deleted: watch it again once back
                with contextlib.suppress(KeyError, OSError):
                    observer.unschedule(watched[name])
                del watched[name]
            if name not in watched and folder.is_dir():
                watched[name] = observer.schedule(collector, str(folder), recursive=True,
                                                  event_filter=_EVENTS)
                new = True
        return new

    lost = _LostEvents(collector)
    watchdog_log = logging.getLogger("watchdog.observers")
    watchdog_log.addHandler(lost)  # before the observer starts: it may overflow at once
    watch_sources()
    observer.start()
    session.start()
    try:
        session.rebuild("start")
        session.builder.ready_for_edits()
        # The briefing just loaded is most of what this process will ever hold: keep it out
        # of the collector's full passes, which otherwise stall a save's rebuild for
        # most of a second at a year of articles. Later garbage is collected as usual.
        gc.collect()
        gc.freeze()
        if session.options.search:
            session._search_wake.set()
        if ready:
            ready()
        while not session.stop.is_set():
            paths, complete = collector.take_burst(session.stop)
            if paths:
                complete = not watch_sources() and complete
                session.rebuild(_describe(session.root, paths), paths if complete else None)
    finally:
        session.stop.set()
        observer.stop()
        observer.join(timeout=5)
        watchdog_log.removeHandler(lost)


def _describe(root: Path, paths: set[str]) -> str:
    """The changed files in words; folders only when nothing else changed."""
    files = sorted(p for p in paths if not (root / p).is_dir()) or sorted(paths)
    return files[0] if len(files) == 1 else f"{files[0]} and {len(files) - 1} more"
