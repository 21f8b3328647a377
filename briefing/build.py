"""The build: load, plan, render, write. Reads top to bottom.

    files ──load──▶ Site ──plan──▶ [Output] ──render──▶ bytes ──write──▶ site/

An output whose fingerprint equals the one recorded by the previous build is
taken over from the previous site instead of being rendered again.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from briefing import __version__, buildstamp, inputs, search, urls
from briefing.config import Config, load_config
from briefing.content.cache import LoadCache
from briefing.content.files import CONTENT_DIR
from briefing.content.load import load_site
from briefing.errors import BriefingError, Level, Location, Problem, Problems
from briefing.fingerprint import Fingerprints
from briefing.inputs import ACROSS_ARTICLES, BODY_EDIT, META_EDIT, Need
from briefing.locking import BuildLock
from briefing.model import Site
from briefing.options import BuildOptions, BuildReport, Progress
from briefing.oserrors import os_problem
from briefing.output import SEARCH_INDEX, Data, Manifest, SiteFolder
from briefing.parallel import make_renderer, render_one, render_outputs
from briefing.pdf import PdfWorkers, render_days
from briefing.plan import Plan, plan_site, same_shape
from briefing.prepared import Prepared
from briefing.render.theme import Theme
from briefing.render.tools import Tools, make_tools
from briefing.setaside import SetAside, set_aside
from briefing.units.base import Output
from briefing.units.data import ArticleRecords
from briefing.units.pdf import DailyPdf, PdfJob
from briefing.units.renderer import Renderer
from briefing.units.table import unit_of

#: An incremental build rewrites changed files in place (each one atomically, all
#: rendered before the first is written) when there are at most this many; more
#: go through a staging folder, rendered on every core.
IN_PLACE_LIMIT = 1000

CACHE_FILE = "load"  # a folder: see content.cache
#: What older versions kept in the cache folder, removed when the cache is next written.
OLD_CACHE_FILES = ("load.pickle",)


def build_site(root: Path, options: BuildOptions = BuildOptions(),
               progress: Progress | None = None, *, use_cache: bool = True,
               sources: buildstamp.Sources | None = None, wait: bool = True,
               waiting: Callable[[str], None] | None = None) -> BuildReport:
    """Build the briefing at ``root``; raises BriefingError (and writes nothing) on errors.

    With ``use_cache``, nothing is done when no file the build reads changed since
    the last build (:mod:`briefing.buildstamp`; pass the ``sources`` the caller
    already found changed); else articles unchanged since the last build are not read again
    (ROOT/.briefing-cache/), and files whose inputs did not change are taken over
    from the last site instead of being rendered. ``wait`` and ``waiting``: see
    :meth:`Builder.build`.
    """
    started = time.perf_counter()
    root = root.resolve()
    if sources is None:
        sources = buildstamp.Sources(root, options)
        if use_cache and (last := buildstamp.unchanged(sources)) is not None:
            last.seconds = time.perf_counter() - started
            return last
    if use_cache:
        _ = sources.key  # the stamp of the files as they are before this build reads them
    cache_dir = sources.cache_dir
    if use_cache and os.path.lexists(cache_dir) and not cache_dir.is_dir():
        sources.set_aside.append(set_aside(cache_dir, "not a folder"))
    cache = LoadCache.read(cache_dir / CACHE_FILE) if use_cache else LoadCache()
    if cache.set_aside is not None:
        sources.set_aside.append(cache.set_aside)
    builder = Builder(root, options, cache=cache, workers=options.workers or os.cpu_count() or 1)
    try:
        report = builder.build(progress, fresh=not use_cache, wait=wait, waiting=waiting)
    except BaseException:
        cache.drop_pickled()  # no cache is written after a failed build: nor is what waited for it
        raise
    if use_cache:
        _keep_cache(cache, cache_dir, sources, report)
    for part in sources.set_aside:  # after the record is kept: a later build has nothing to say
        report.problems.add(_set_aside_note(root, part))
    report.seconds = time.perf_counter() - started
    return report


def _set_aside_note(root: Path, part: SetAside) -> Problem:
    """One line: 'the cache at .briefing-cache/load could not be read (key: not UTF-8); set
    aside as .briefing-cache/load.broken-1 and rebuilt'."""
    where = "deleted" if part.moved_to is None else f"set aside as {_shown(root, part.moved_to)}"
    return Problem(Level.WARNING, Location(_shown(root, part.path)), "",
                   f"the cache could not be read ({part.reason}); {where} and rebuilt")


def _shown(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _keep_cache(cache: LoadCache, cache_dir: Path, sources: buildstamp.Sources, report: BuildReport) -> None:
    """Save what the next build can reuse; a full disk or a read-only folder costs the next
    build its head start, not this build its site."""
    try:
        if cache.dirty:
            cache.write(cache_dir / CACHE_FILE)
            for old in OLD_CACHE_FILES:
                (cache_dir / old).unlink(missing_ok=True)
        buildstamp.remember(sources, report)
    except OSError as exc:
        cache.drop_pickled()
        with contextlib.suppress(OSError):
            buildstamp.forget(sources)
        report.problems.warning(Location(str(exc.filename or cache_dir)), "",
                                f"the build cache was not saved: {exc.strerror or exc}",
                                "the site is built; the next build reads every article again")


@dataclass(slots=True)
class _Round:
    """One pass over the plan: what is kept, what must be rendered, the new manifest."""

    site: Site
    ready: Prepared
    manifest: dict[str, str] = field(default_factory=dict)
    kept: list[Output] = field(default_factory=list)
    to_render: list[Output] = field(default_factory=list)
    pdf_jobs: list[PdfJob] = field(default_factory=list)


class Builder:
    """Builds one briefing, again and again, doing only the work its changes need.

    ``build`` writes a complete site through a staging folder (the CLI); ``update``
    rewrites changed files in place and leaves PDFs and the search index to the
    caller (the watch mode). Both use the same load cache, plan and fingerprints.
    """

    def __init__(self, root: Path, options: BuildOptions = BuildOptions(), *,
                 cache: LoadCache | None = None, workers: int = 1) -> None:
        self.root = root.resolve()
        self.options = options
        self.out = (options.out or self.root / "site").resolve()
        self.folder = SiteFolder(self.out)
        self.lock = BuildLock(self.folder.sibling("lock"), "build")
        #: The site as this builder last published it; None: read it from the folder.
        self.published: Manifest | None = None
        self._stamp: tuple[int, ...] = ()  # the marker's stamp when ``published`` was read or written
        self.cache = cache if cache is not None else LoadCache()
        self.workers = workers
        self._kept: _KeptTools | None = None
        self._last: _Last | None = None  # the last plan, while its shape holds
        self._fingerprints: dict[str, str] = {}  # of the last plan's outputs, by file
        #: The last renderer, kept with the plan: its views and fragments of unchanged
        #: articles serve the next edit (a month's timeline lists ~900 of them).
        self._renderer: Renderer | None = None
        #: data/articles.json's encoded records, kept for as long as the builder.
        self._records = ArticleRecords()
        self.folder.check(self.root)

    def build(self, progress: Progress | None = None, *, fresh: bool = False, wait: bool = True,
              waiting: Callable[[str], None] | None = None) -> BuildReport:
        """A complete, up-to-date site; ``fresh`` renders every file anew.

        A change that touches few files is published as a change to the live site; a
        fresh build or a large change writes a whole new site and swaps it in. Either
        way the site changes at once, with its manifest and search index. ``wait``:
        wait for another build of the same site to end (``waiting`` hears why), else
        refuse.
        """
        started = time.perf_counter()
        report = BuildReport(self.out)
        with self._publishing(report, wait=wait, waiting=waiting):
            self.published = None  # another process may have built meanwhile
            previous = Manifest({}) if fresh else self._published()
            work = self._decide(previous.files, report)
            cover = search.coverage(work.manifest) if self.options.search else ""
            index_current = not self.options.search or \
                (previous.search == cover and self.folder.has_folder(SEARCH_INDEX))
            if work.manifest == previous.files and not work.to_render and not work.pdf_jobs and index_current:
                report.seconds = time.perf_counter() - started  # nothing changed: nothing to write
                report.home_bytes = self.folder.size(urls.file_of(urls.HOME))
                return report
            if previous.files and len(work.to_render) + len(work.pdf_jobs) <= IN_PLACE_LIMIT:
                files = self._render_in_memory(work, report)
                if work.pdf_jobs:
                    self._render_pdfs(work, files.__setitem__, report, progress)
                if report.problems.errors:
                    raise BriefingError(report.problems)
                self._publish(work, previous, files, report, work.manifest,
                              index=not index_current)
            else:
                self._build_staged(work, previous, report, progress, index=not index_current)
            report.home_bytes = self.folder.size(urls.file_of(urls.HOME))
        report.seconds = time.perf_counter() - started
        return report

    @contextlib.contextmanager
    def _publishing(self, report: BuildReport, *, wait: bool = True,
                    waiting: Callable[[str], None] | None = None) -> Iterator[None]:
        """Hold the site's lock, first finish or undo what a killed build left, and turn
        an error of the operating system into a message at its path."""
        try:
            self.lock.acquire(wait=wait, waiting=waiting)
        except OSError as exc:
            raise BriefingError(Problems([os_problem(exc, "take the lock of the site")])) from None
        try:
            report.problems.extend(self.lock.notes)
            self.lock.notes.clear()
            report.problems.extend(self.folder.recover())
            yield
        except OSError as exc:
            report.problems.add(os_problem(exc, "write the site"))
            raise BriefingError(Problems(report.problems.errors)) from None
        finally:
            self.lock.release()

    def _build_staged(self, work: _Round, previous: Manifest, report: BuildReport,
                      progress: Progress | None, *, index: bool) -> None:
        folder = self.folder
        with folder.stage() as staging:
            for output in work.kept:
                staging.put(output.file, folder.reuse(output.file))
            render_outputs(work.site, work.ready, work.to_render, staging, report, progress,
                           workers=self.workers)
            if work.pdf_jobs:
                self._render_pdfs(work, staging.put, report, progress)
            if report.problems.errors:
                raise BriefingError(report.problems)
            covered = ""
            if self.options.search and index:
                search_started = time.perf_counter()
                search.build_search_index(staging.path, work.site.config.language)
                report.search_seconds = time.perf_counter() - search_started
                covered = search.coverage(work.manifest)
            elif self.options.search:  # the pages it indexes are the same: so is the index
                for rel in folder.files_under(SEARCH_INDEX):
                    staging.put(rel, folder.reuse(rel))
                covered = previous.search
            published = Manifest(work.manifest, covered)
            staging.commit(published, version=__version__)
        self._remember(published)  # swapped in: its marker is the site's

    def _publish(self, work: _Round, previous: Manifest, files: dict[str, Data], report: BuildReport,
                 manifest: dict[str, str], *, index: bool) -> None:
        """Publish the changed files (and, with ``index``, a new search index) as one change.

        A file whose new bytes equal the old ones is left alone: its modification time
        stays, and the live preview does not reload pages that did not change.
        """
        report.changed = []
        with self.folder.change() as change:
            for rel, data in files.items():
                if isinstance(data, bytes) and self.folder.holds(rel, data):
                    continue
                change.put(rel, data)
                report.changed.append(rel)
            for rel in sorted(set(previous.files) - set(work.manifest)):
                change.remove(rel)
            covered = previous.search
            if self.options.search and index:
                search_started = time.perf_counter()
                language = work.site.config.language
                change.search_index(search.indexed(work.manifest),
                                    lambda view, out: search.build_search_index(view, language, out))
                report.search_seconds = time.perf_counter() - search_started
                covered = search.coverage(work.manifest)
            published = Manifest(manifest, covered)
            change.commit(published, version=__version__)
        self._remember(published)

    def ready_for_edits(self) -> None:
        """Work out now what the first edit would: which outputs read each input, where
        each article is in the listing, and each article's record in data/articles.json
        (the watch mode calls this once its first build is served)."""
        if self._last is not None:
            self._last.ready.plan.readers_of(())
            renderer = self._renderer_for(self._last.site, self._last.ready)
            renderer.records.of(renderer.reads)
        if self.cache.last is not None:
            self.cache.last.passed.indexes_of(())

    def update(self, changed: Collection[str] | None = None, *,
               written: Callable[[BuildReport], None] | None = None) -> tuple[BuildReport, list[PdfJob]]:
        """Publish only the files whose inputs changed since the site was last published,
        as one change (the watch mode's way: PDFs and the search index are left to the
        caller, see :meth:`publish_pdf` and :meth:`reindex`).

        ``changed``: the only paths (relative to the root) that changed since this
        Builder's last update, as a file watcher saw them; None when unknown.
        ``written`` is called once the files are published (the watch mode reloads the
        browser then). Returns the report and the PDF jobs for the caller to run; in
        the manifest, PDFs still pending keep their old fingerprint until they are
        published, and the search index's coverage stays until it is made anew.
        """
        started = time.perf_counter()
        report = BuildReport(self.out)
        with self._publishing(report):
            previous = self._published()
            work = self._decide(previous.files, report, changed)
            files = self._render_in_memory(work, report)
            if report.problems.errors:
                raise BriefingError(report.problems)
            manifest = dict(work.manifest)
            for job in work.pdf_jobs:
                pending = job.output.file
                if pending in previous.files:
                    manifest[pending] = previous.files[pending]
                else:
                    del manifest[pending]
            self._publish(work, previous, files, report, manifest, index=False)
        report.seconds = time.perf_counter() - started
        if written is not None:
            written(report)
        return report, work.pdf_jobs

    def publish_pdf(self, job: PdfJob, data: bytes) -> None:
        """Publish one day's PDF made apart from a build (the watch mode's background)."""
        with self._publishing(BuildReport(self.out)):
            with self.folder.change() as change:
                current = self._published()
                change.put(job.output.file, data)
                manifest = Manifest({**current.files, job.output.file: job.fingerprint}, current.search)
                change.commit(manifest, version=__version__)
            self._remember(manifest)

    def _published(self) -> Manifest:
        """The manifest of the site as it was last published: as this builder left it, read
        again when another build published meanwhile (the marker's stamp says so), whose
        files this builder would otherwise neither know nor remove."""
        stamp = self.folder.stamp()
        if self.published is None or stamp != self._stamp:
            self.published, self._stamp = self.folder.read_manifest(), stamp
        return self.published

    def _remember(self, manifest: Manifest) -> None:
        """The manifest this builder just published, with its marker's stamp."""
        self.published, self._stamp = manifest, self.folder.stamp()

    def reindex(self, language: str) -> bool:
        """Make the search index anew when it does not cover the site's pages as they are
        (the watch mode's background). The pages are taken as they are at the start; the
        lock is not held while Pagefind reads them, so that saves are published meanwhile.
        True when an index was made."""
        report = BuildReport(self.out)
        work = self.folder.sibling(f"index-{os.getpid()}")
        with self._publishing(report):
            current = self._published()
            cover = search.coverage(current.files)
            if current.search == cover and self.folder.has_folder(SEARCH_INDEX):
                return False
            shutil.rmtree(work, ignore_errors=True)
            self.folder.link_view(search.indexed(current.files), work / "view")
        try:
            search.build_search_index(work / "view", language, work / "index")
            with self._publishing(report):
                with self.folder.change() as change:
                    change.adopt_index(work / "index")
                    latest = Manifest(self._published().files, cover)
                    change.commit(latest, version=__version__)
                self._remember(latest)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return True

    def _renderer_for(self, site: Site, ready: Prepared) -> Renderer:
        """The renderer of the current plan, made when first needed."""
        if self._renderer is None:
            self._renderer = make_renderer(site, ready)
            self._renderer.records = self._records
        return self._renderer

    def _render_in_memory(self, work: _Round, report: BuildReport) -> dict[str, Data]:
        """Every changed file, rendered before the first one is written: a failure writes nothing."""
        ready = work.ready
        renderer = self._renderer_for(work.site, ready)
        files = {o.file: render_one(o, renderer, ready.tools.theme, report.problems) for o in work.to_render}
        report.rendered.extend(files)
        return files

    def _decide(self, previous: dict[str, str], report: BuildReport,
                changed: Collection[str] | None = None) -> _Round:
        """Load and plan; sort every output into kept (fingerprint unchanged), to render, or PDF."""
        problems = report.problems
        config = config_for(self.root, self.options, problems)
        site, found = load_site(self.root, drafts=self.options.drafts, now=self.options.now,
                                config=config, cache=self.cache, workers=self.workers, changed=changed)
        problems.extend(found)
        if site is None or problems.errors:
            raise BriefingError(problems)
        ready, affected = self._prepare(site, problems)
        work = _Round(site, ready)
        outputs = ready.plan.outputs
        report.outputs = len(outputs)
        if changed is not None and affected is not None:
            self._sort_told(work, previous, affected)
        else:
            self._sort_all(work, previous, affected)
        self._fingerprints = dict(work.manifest)
        report.reused = len(outputs) - len(work.to_render) - len(work.pdf_jobs)
        return work

    def _sort_all(self, work: _Round, previous: dict[str, str], affected: set[int] | None) -> None:
        """Every output: kept when its fingerprint and its file are as the last build left them."""
        ready, last = work.ready, self._fingerprints
        for index, (output, file) in enumerate(zip(ready.plan.outputs, ready.plan.files(), strict=True)):
            if affected is None or index in affected or output.source is not None:
                fingerprint = ready.fingerprints.of_output(output)
            else:  # reads nothing that changed since the last plan: its fingerprint stands
                fingerprint = last[file]
            work.manifest[file] = fingerprint
            if previous.get(file) == fingerprint and self.folder.has(file):
                work.kept.append(output)
            else:
                self._queue(work, output, fingerprint)

    def _sort_told(self, work: _Round, previous: dict[str, str], affected: set[int]) -> None:
        """The watch mode's way, told what changed: only the outputs that read it (and
        copied files) get new fingerprints. The rest are the files this Builder last
        wrote, not looked for on disk: the work follows the change, not the site's size."""
        plan, fingerprints = work.ready.plan, work.ready.fingerprints
        outputs, files = plan.outputs, plan.files()
        work.manifest = manifest = dict(self._fingerprints)
        missing = set()
        for index in affected | plan.copies():
            file = files[index]
            manifest[file] = fingerprint = fingerprints.of_output(outputs[index])
            if previous.get(file) == fingerprint and not self.folder.has(file):
                missing.add(index)
        stale = {plan.position_of(f) for f, fp in manifest.items() if previous.get(f) != fp} | missing
        for index in sorted(stale):
            self._queue(work, outputs[index], manifest[files[index]])

    def _queue(self, work: _Round, output: Output, fingerprint: str) -> None:
        if unit_of(output.kind).in_worker:
            work.pdf_jobs.append(_PDF.job(output, work.site, work.ready.plan.index, self.root, fingerprint))
        else:
            work.to_render.append(output)

    def _prepare(self, site: Site, problems: Problems) -> tuple[Prepared, set[int] | None]:
        """The theme, text and environment, kept from the last build while the theme files
        and the config are the same (compiled templates and their fingerprints included);
        then the plan and the fingerprints for this site.

        When the site has the shape of the last one (plan.same_shape) and the theme is
        the same, the last plan still holds: only the outputs that read a changed
        article need new fingerprints, and their indexes come back; else None.
        """
        key = (site.config.site_json, Theme(self.root).stamp())
        if self._kept is None or self._kept.key != key:
            found = Problems()
            self._kept = _KeptTools(key, _tools(self.root, site.config, found), tuple(found))
            self._last = None
        problems.extend(self._kept.problems)
        if problems.errors:
            raise BriefingError(problems)
        last = self._last
        changed = _changed_articles(last.site, site) if last is not None else None
        if last is not None and changed is not None and same_shape(last.site, site, changed):
            across = [need for need, name in ACROSS_ARTICLES.items()
                      if any(getattr(last.site.articles[i], name) != getattr(site.articles[i], name)
                             for i in changed)]
            ready = last.ready
            ready.fingerprints.refresh(site, changed, across)
            affected = ready.plan.readers_of(
                [*(inputs.key(need, article_id) for article_id, needs in changed.items() for need in needs),
                 *map(inputs.key, across)])
            self._last = _Last(site, ready)
            if self._renderer is not None:
                self._renderer.follow(site, changed)
            return ready, affected
        ready = _plan(self.root, site, self._kept.tools, pdf=self.options.pdf and site.config.pdf.enabled)
        self._last = _Last(site, ready)
        self._renderer = None
        return ready, None

    def _render_pdfs(self, work: _Round, put: Callable[[str, bytes], None], report: BuildReport,
                     progress: Progress | None) -> None:
        if progress:
            progress("PDF", 0, len(work.pdf_jobs))
        for done, (job, result) in enumerate(render_days(self.root, work.site.config, work.pdf_jobs,
                                                         self.workers), start=1):
            path = job.output.path
            if progress:
                progress("PDF", done, len(work.pdf_jobs))
            if isinstance(result, Problem):
                report.problems.add(result)
                continue
            put(urls.file_of(path), result.data)
            report.problems.extend(result.warnings)
            report.rendered.append(path)


@dataclass(frozen=True, slots=True)
class _KeptTools:
    """The tools of one config and theme, and the problems making them found."""

    key: tuple[object, ...]
    tools: Tools
    problems: tuple[Problem, ...]


@dataclass(slots=True)
class _Last:
    """The last site and its plan."""

    site: Site
    ready: Prepared


_PDF = DailyPdf()


def _changed_articles(before: Site, after: Site) -> dict[str, tuple[Need, ...]] | None:
    """Articles whose content differs, each with the kinds of its keys that changed (only
    the whole article when just the body did); None when the sites list other articles."""
    if list(before.articles) != list(after.articles):
        return None
    changed: dict[str, tuple[Need, ...]] = {}
    for article_id, new in after.articles.items():
        old = before.articles[article_id]
        if old is new:
            continue
        if new.identity is None or new.meta_identity is None or old.meta_identity != new.meta_identity:
            changed[article_id] = META_EDIT
        elif old.identity != new.identity:
            changed[article_id] = BODY_EDIT
    return changed


def _tools(root: Path, config: Config, problems: Problems) -> Tools:
    return make_tools(root, config, problems, cache=root / buildstamp.CACHE_DIR / "templates")


def _plan(root: Path, site: Site, tools: Tools, *, pdf: bool) -> Prepared:
    plan = plan_site(site, static=tools.theme.static_files(), content=root / CONTENT_DIR, pdf=pdf)
    return Prepared(tools, plan, Fingerprints(site, plan, tools.theme, tools.env, tools.strings))


def prepare_site(root: Path, site: Site, problems: Problems, *, pdf: bool) -> Prepared:
    """The theme's tools, the plan and its fingerprints for a loaded site (for commands that
    render some outputs without building the site: pdf, send)."""
    tools = _tools(root, site.config, problems)
    if problems.errors:
        raise BriefingError(problems)
    return _plan(root, site, tools, pdf=pdf)


def make_pdfs(root: Path, days: Sequence[date] | None, *, drafts: bool = False, latest: bool = False,
              now: datetime | None = None) -> tuple[dict[date, bytes], Problems]:
    """The PDFs of some days (all when ``days`` is None; the latest with ``latest``),
    without building the site."""
    problems = Problems()
    config = config_for(root, BuildOptions(), problems)
    one = latest or (days is not None and len(days) == 1)
    # The workers start now and import WeasyPrint while this process loads the briefing.
    with PdfWorkers(root, config, 1 if one else os.cpu_count() or 1) as workers:
        site, found = load_site(root, drafts=drafts, now=now, config=config)
        problems.extend(found)
        if site is None or problems.errors:
            raise BriefingError(problems)
        wanted = list(site.days)[:1] if latest else list(site.days) if days is None else list(days)
        for day in wanted:
            if day not in site.days:
                problems.error(Location("content/articles"), "date",
                               f"no briefing on {day.isoformat()}: no article belongs to that day",
                               "days with articles: " + ", ".join(d.isoformat() for d in list(site.days)[:7]))
        if problems.errors:
            raise BriefingError(problems)
        ready = prepare_site(root, site, problems, pdf=True)
        jobs = [pdf_job(root, site, ready, d) for d in wanted]
        made: dict[date, bytes] = {}
        for job, result in workers.render(jobs):
            if isinstance(result, Problem):
                problems.add(result)
            else:
                made[job.day] = result.data
                problems.extend(result.warnings)
    if problems.errors:
        raise BriefingError(problems)
    return made, problems


def pdf_job(root: Path, site: Site, ready: Prepared, day: date) -> PdfJob:
    """The job of one day's PDF, with the fingerprint a build gives it (its identifier)."""
    output = next(o for o in ready.plan.outputs if unit_of(o.kind).in_worker and o.key == day.isoformat())
    return _PDF.job(output, site, ready.plan.index, root, ready.fingerprints.of_output(output))


def day_pdf(root: Path, site: Site, ready: Prepared, day: date, problems: Problems) -> bytes:
    """One day's PDF, the bytes a build publishes; raises BriefingError when it cannot be made."""
    with PdfWorkers(root, site.config, 1) as workers:
        [(_job, result)] = workers.render([pdf_job(root, site, ready, day)])
    if isinstance(result, Problem):
        problems.add(result)
        raise BriefingError(problems)
    return result.data


def config_for(root: Path, options: BuildOptions, problems: Problems) -> Config:
    """The briefing's config with the options' overrides (--base-url); raises BriefingError."""
    config = load_config(root, problems)
    if config is None:
        raise BriefingError(problems)
    if options.base_url:
        base = options.base_url if options.base_url.endswith("/") else options.base_url + "/"
        config = config.model_copy(update={"base_url": base})
    return config


__all__ = ["BuildOptions", "BuildReport", "Plan", "Progress", "Site", "build_site"]
