"""The daily PDF briefing: a day's articles through a Jinja template into WeasyPrint.

The PDF template (``templates/pdf/briefing.html``) and its stylesheet are part
of the theme, overridable like every other template. WeasyPrint fetches only
through :class:`ContentFetcher`: files under the briefing's content/ and the
theme, inline data, and web hosts the config allows. Nothing else is read, and
every refused address becomes a warning naming the article that holds it.

The bytes depend only on the inputs: the creation date comes from the content
(the day's cut-off), the PDF identifier from the day's fingerprint.
"""

from __future__ import annotations

import hashlib
import mimetypes
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from briefing.content.files import CONTENT_DIR
from briefing.errors import Level, Location, Problem
from briefing.processes import die_with_parent
from briefing.reads import Reads
from briefing.render.tools import Tools, make_tools
from briefing.units.pdf import STYLESHEET, DailyPdf, PdfDocument, PdfJob
from briefing.units.renderer import Renderer

#: Largest file the PDF may embed (an image), so that no special file can run the
#: renderer out of memory.
MAX_FETCH_BYTES = 32 * 1024 * 1024

_VARIANTS_WITHOUT_TAGS = frozenset({"none"})


@dataclass(slots=True)
class FetchLog:
    """What a render asked for and was refused."""

    refused: list[str] = field(default_factory=list)


def _fetcher_class() -> type:
    # WeasyPrint is imported lazily: it takes half a second, and most commands never need it.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ContentFetcher(URLFetcher):  # type: ignore[misc]
        """Fetch only what a briefing may embed; refuse and log everything else."""

        def __init__(self, roots: Sequence[Path], allowed_hosts: Sequence[str], log: FetchLog) -> None:
            super().__init__(timeout=10, allow_redirects=False)
            self.roots = [r.resolve() for r in roots]
            self.hosts = frozenset(h.lower() for h in allowed_hosts)
            self.log = log

        def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(unquote(parts.path)).resolve()
                if any(path.is_relative_to(root) for root in self.roots) and path.is_file():
                    size = path.stat().st_size
                    if size <= MAX_FETCH_BYTES:
                        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})
            elif scheme in ("http", "https") and (parts.hostname or "").lower() in self.hosts:
                return super().fetch(url, headers)
            self.log.refused.append(url)
            raise ValueError(f"refused by the briefing's fetch rules: {url}")

    return ContentFetcher


@dataclass(slots=True)
class PdfResult:
    data: bytes
    warnings: list[Problem]
    pages: int
    seconds: float = 0.0  # rendering this day alone (days render side by side)


def render_day(job: PdfJob, tools: Tools) -> PdfResult:
    """One day's PDF. Pure apart from reading the theme and the files it embeds."""
    from weasyprint import CSS, HTML

    started = time.perf_counter()
    theme, config = tools.theme, job.site.config
    content = (job.root / CONTENT_DIR).resolve()
    renderer = Renderer(Reads(job.site, job.index), tools)
    document = DailyPdf().document(job.output, renderer, content)

    log = FetchLog()
    fetcher = _fetcher_class()([content, *theme.dirs], config.network.allowed_hosts, log)
    stylesheet = CSS(string=theme.source(STYLESHEET), url_fetcher=fetcher,
                     base_url=str(theme.find(STYLESHEET)))
    sheets = [stylesheet]
    if config.pdf.page_size != "A4":  # the theme's stylesheet is written for A4
        sheets.append(CSS(string=f"@page {{ size: {config.pdf.page_size} }}"))
    laid_out = HTML(string=document.html, base_url=str(content) + "/", url_fetcher=fetcher).render(
        stylesheets=sheets)
    variant = config.pdf.variant
    data = laid_out.write_pdf(
        pdf_variant=None if variant in _VARIANTS_WITHOUT_TAGS else variant,
        pdf_identifier=hashlib.md5(job.fingerprint.encode(), usedforsecurity=False).hexdigest().encode(),
        uncompressed_pdf=False,
    )
    warnings = list(document.warnings)
    for url in dict.fromkeys(log.refused):
        warnings.append(_refused(url, document))
    return PdfResult(data, warnings, len(laid_out.pages), time.perf_counter() - started)


def _refused(url: str, document: PdfDocument) -> Problem:
    """A warning for a refused address, at the article that holds it when one does."""
    for view in document.articles:
        if url in document.bodies[view.article.id]:
            return Problem(Level.WARNING, Location(view.article.path), "body",
                           f"the PDF did not fetch {url}: only files under content/ and "
                           "hosts in network.allowed_hosts are fetched")
    return Problem(Level.WARNING, Location("templates/" + DailyPdf.template), "",
                   f"the PDF did not fetch {url}: only files under content/, the theme and "
                   "hosts in network.allowed_hosts are fetched")


# --- rendering in worker processes --------------------------------------------------------

#: Limits of a PDF worker process: WeasyPrint on hostile input must not take the machine.
WORKER_MEMORY = 3 * 1024**3
WORKER_CPU_SECONDS = 900
#: A day's PDF takes seconds (20 articles: ~5 s here); one that takes minutes is stuck.
WORKER_WALL_SECONDS = 300


_worker: Tools | None = None


def _start_worker(root: Path, config_json: str) -> None:
    """Set limits and build the renderer's tools once per worker process."""
    import resource

    import weasyprint  # noqa: F401 - imported now, while the parent process is still loading the briefing

    from briefing.config import Config
    from briefing.errors import Problems

    die_with_parent()
    for limit, value in ((resource.RLIMIT_AS, WORKER_MEMORY), (resource.RLIMIT_CPU, WORKER_CPU_SECONDS)):
        _soft, hard = resource.getrlimit(limit)
        if hard == resource.RLIM_INFINITY or hard > value:
            resource.setrlimit(limit, (value, hard))
    global _worker  # noqa: PLW0603 - one renderer per worker process, built by its initializer
    _worker = make_tools(root, Config.model_validate_json(config_json), Problems())


def _render_in_worker(job: PdfJob) -> PdfResult:
    assert _worker is not None, "worker not started"
    return render_day(job, _worker)


class PdfWorkers:
    """Worker processes that render daily PDFs, each with limits (see ``_start_worker``).

    ``start`` them before the jobs are ready: a worker spends about a second importing
    WeasyPrint, which then overlaps loading the briefing. Kept open, they serve one
    batch after another (the watch mode) with the config they were started with.
    """

    def __init__(self, root: Path, config: Any, count: int) -> None:
        self.root, self.count = root, max(1, count)
        self.config_json: str = config.model_dump_json()
        self._pool: Any = None
        self.broken = False  # a worker died (its limits): make new workers for the next batch

    def start(self) -> PdfWorkers:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        if self._pool is None:
            # spawn, not fork: the watch mode runs threads, and forking a threaded process can deadlock.
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(self.count, mp_context=context, initializer=_start_worker,
                                             initargs=(self.root, self.config_json))
            for _ in range(self.count):  # a task per worker: each is started now, not with the first job
                self._pool.submit(_ready)
        return self

    def render(self, jobs: Sequence[PdfJob]) -> list[tuple[PdfJob, PdfResult | Problem]]:
        """Each day's PDF, or the problem that stopped it; the other days are still rendered."""
        from concurrent.futures.process import BrokenProcessPool

        if not jobs:
            return []
        pool = self.start()._pool
        results: list[tuple[PdfJob, PdfResult | Problem]] = []
        futures = [(job, pool.submit(_render_in_worker, job)) for job in jobs]
        # Days render side by side, a worker each: the last of them may wait for the others.
        deadline = time.monotonic() + WORKER_WALL_SECONDS * -(-len(jobs) // self.count)
        for job, future in futures:
            try:
                results.append((job, future.result(timeout=max(1.0, deadline - time.monotonic()))))
            except TimeoutError:
                self.broken = True
                _terminate(pool)
                results.append((job, _failed(job, f"it took longer than {WORKER_WALL_SECONDS // 60} "
                                                  "minutes and was stopped")))
            except BrokenProcessPool:
                self.broken = True
                results.append((job, _failed(job, "the PDF worker stopped: it ran out of its "
                                                  "memory or time limit")))
            except Exception as exc:
                results.append((job, _failed(job, f"{type(exc).__name__}: {exc}")))
        if self.broken:
            self.close(now=True)
        return results

    def close(self, *, now: bool = False) -> None:
        """Stop the workers once their jobs are done, or ``now``: a failed command does not
        wait for a worker still importing WeasyPrint."""
        if self._pool is not None:
            if now:
                _terminate(self._pool)
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __enter__(self) -> PdfWorkers:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, *_exc: object) -> None:
        self.close(now=kind is not None)


def _terminate(pool: Any) -> None:
    """End a pool's worker processes now (through its internals before Python 3.14)."""
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14 and later
    if terminate is not None:
        terminate()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()


def _ready() -> None:
    """Nothing: sent to a new worker so that it starts (and imports WeasyPrint) at once."""


def render_days(root: Path, config: Any, jobs: Sequence[PdfJob],
                workers: int | None = None) -> list[tuple[PdfJob, PdfResult | Problem]]:
    """Render several days' PDFs in parallel worker processes, each with limits.

    A day that fails (a template error, a worker killed by its limits) becomes a
    problem; the other days are still rendered.
    """
    import os

    if not jobs:
        return []
    with PdfWorkers(root, config, min(workers or os.cpu_count() or 1, len(jobs))) as pool:
        return pool.render(jobs)


def _failed(job: PdfJob, why: str) -> Problem:
    day = job.site.days[job.day]
    where = day.path or (job.site.articles[day.article_ids[0]].path if day.article_ids else "")
    return Problem(Level.ERROR, Location(where or "content/briefings"), "",
                   f"the PDF of {job.day.isoformat()} could not be made: {why}",
                   "fix the cause and build again; the HTML pages are not affected")
