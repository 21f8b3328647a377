"""Rendering many outputs: in this process, or on every core.

A full build of a large briefing renders tens of thousands of pages. They are
independent (rendering is a pure function of the output and the model), so
they are split into chunks that forked worker processes render and write
straight into the staging folder; only the list of files and any problems
come back. Forking shares the loaded model copy-on-write, so nothing is sent
to the workers. Output is byte-identical to a serial build.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Sequence

from briefing.errors import Problem, Problems
from briefing.model import Site
from briefing.options import BuildReport, Progress
from briefing.output import Data, Staging
from briefing.prepared import Prepared
from briefing.processes import die_with_parent
from briefing.reads import Reads
from briefing.render.jinja import template_problem
from briefing.render.theme import Theme
from briefing.units.base import Output
from briefing.units.renderer import Renderer

#: Below this many outputs, starting processes costs more than it saves.
PARALLEL_FROM = 400
CHUNK = 64


def make_renderer(site: Site, ready: Prepared) -> Renderer:
    return Renderer(Reads(site, ready.plan.index, ready.plan.pages), ready.tools)


def render_one(output: Output, renderer: Renderer, theme: Theme, problems: Problems) -> Data:
    """One output's bytes (or the file to copy); template failures become problems."""
    try:
        rendered = renderer.render(output)
    except Exception as exc:
        # A failure inside a template (a typo, a missing key, a wrong type) is the
        # theme author's to fix: report it at the template's line. Anything else is a bug.
        problem = template_problem(exc, theme, output.path)
        if problem is None:
            raise
        problems.add(problem)
        return b""
    problems.extend(rendered.warnings)
    return rendered.data


def render_outputs(site: Site, ready: Prepared, outputs: Sequence[Output], staging: Staging,
                   report: BuildReport, progress: Progress | None, *, workers: int) -> None:
    """Render ``outputs`` into ``staging``; record them and their problems in ``report``."""
    total = len(outputs)
    if workers > 1 and total >= PARALLEL_FROM and "fork" in multiprocessing.get_all_start_methods():
        _render_forked(site, ready, outputs, staging, report, progress, workers)
        return
    renderer = make_renderer(site, ready)
    for number, output in enumerate(outputs, start=1):
        staging.put(output.file, render_one(output, renderer, ready.tools.theme, report.problems))
        report.rendered.append(output.file)
        if progress and number % 100 == 0:
            progress("pages", number, total)
    if progress:
        progress("pages", total, total)


# What forked workers inherit: set just before the pool starts, read in the workers.
_shared: tuple[Site, Prepared, Sequence[Output], Staging] | None = None


def _render_chunk(indexes: Sequence[int]) -> tuple[list[str], list[Problem]]:
    assert _shared is not None
    site, ready, outputs, staging = _shared
    renderer = _renderer(site, ready)
    problems = Problems()
    done = []
    for index in indexes:
        output = outputs[index]
        staging.put(output.file, render_one(output, renderer, ready.tools.theme, problems))
        done.append(output.file)
    return done, list(problems)


_worker_renderer: Renderer | None = None


def _renderer(site: Site, ready: Prepared) -> Renderer:
    """One renderer per worker, so that its caches (views, dates) serve every chunk."""
    global _worker_renderer  # noqa: PLW0603 - one per worker process
    if _worker_renderer is None:
        _worker_renderer = make_renderer(site, ready)
    return _worker_renderer


def _render_forked(site: Site, ready: Prepared, outputs: Sequence[Output], staging: Staging,
                   report: BuildReport, progress: Progress | None, workers: int) -> None:
    global _shared  # noqa: PLW0603 - handed to the forked workers
    _shared = (site, ready, outputs, staging)
    # Interleave kinds across chunks so that every worker gets a similar mix of heavy
    # and light pages; the order of the files on disk does not matter.
    chunks = [list(range(start, len(outputs), len(outputs) // CHUNK + 1))
              for start in range(len(outputs) // CHUNK + 1)]
    # Keep the shared model out of the workers' garbage collection: fewer copied pages.
    # No collection first (as the gc docs advise before a fork): the load leaves next to
    # no cycles, and a full pass over the model cost a third of a second at 10,000 articles.
    gc.freeze()
    done = 0
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(workers, initializer=_reset_worker) as pool:
            for files, problems in pool.imap_unordered(_render_chunk, [c for c in chunks if c]):
                report.rendered.extend(files)
                report.problems.extend(problems)
                done += len(files)
                if progress:
                    progress("pages", done, len(outputs))
    finally:
        gc.unfreeze()
        _shared = None


def _reset_worker() -> None:
    global _worker_renderer  # noqa: PLW0603 - one per worker process
    _worker_renderer = None
    die_with_parent()

