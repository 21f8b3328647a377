"""The build: load, plan, render, write. Reads top to bottom.

    files ──load──▶ Site ──plan──▶ [Output] ──render──▶ bytes ──write──▶ site/

An output whose fingerprint equals the one recorded by the previous build is
taken over from the previous site instead of being rendered again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from jinja2 import Environment

from briefing import __version__, urls
from briefing.config import Config, load_config
from briefing.content.articles import CONTENT_DIR
from briefing.content.load import load_site
from briefing.errors import BriefingError, Location, Problem, Problems
from briefing.fingerprint import Fingerprints
from briefing.model import Site
from briefing.output import Data, Reuse, SourceFile, Staging, check_output_folder, read_manifest
from briefing.pages import PageRenderer
from briefing.pdf import PdfJob, day_site, markdown_for, render_days
from briefing.plan import Output, Plan, plan_site
from briefing.render.i18n import Dates, Strings, load_strings
from briefing.render.jinja import make_environment, template_problem
from briefing.render.markdown import MarkdownRenderer
from briefing.render.theme import Theme
from briefing.search import build_search_index

#: Called as work advances: (what, done, total).
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class BuildOptions:
    out: Path | None = None  # default: ROOT/site
    drafts: bool = False
    base_url: str | None = None  # overrides briefing.yml
    pdf: bool = True
    search: bool = True
    now: datetime | None = None


@dataclass(slots=True)
class BuildReport:
    out: Path
    outputs: int = 0
    rendered: list[str] = field(default_factory=list)  # files rendered in this build
    reused: int = 0
    problems: Problems = field(default_factory=Problems)
    seconds: float = 0.0
    home_bytes: int = 0
    search_seconds: float = 0.0


def build_site(root: Path, options: BuildOptions = BuildOptions(),
          progress: Progress | None = None) -> BuildReport:
    """Build the briefing at ``root``; raises BriefingError (and writes nothing) on errors."""
    started = time.perf_counter()
    root = root.resolve()
    out = (options.out or root / "site").resolve()
    check_output_folder(out, root)
    problems = Problems()
    config = _config(root, options, problems)
    site, found = load_site(root, drafts=options.drafts, now=options.now, config=config)
    problems.extend(found)
    if site is None or problems.errors:
        raise BriefingError(problems)

    ready = _prepare(root, site, problems, pdf=options.pdf and site.config.pdf.enabled)
    plan, fingerprints, theme = ready.plan, ready.fingerprints, ready.theme
    renderer = PageRenderer(site, plan, ready.env, ready.strings, ready.dates, ready.markdown)

    report = BuildReport(out, outputs=len(plan.outputs))
    previous = read_manifest(out)
    manifest: dict[str, str] = {}
    files: dict[str, Data] = {}
    pdf_jobs: list[PdfJob] = []
    for number, output in enumerate(plan.outputs, start=1):
        fingerprint = fingerprints.of_output(output)
        manifest[output.file] = fingerprint
        old = out / output.file
        if previous.get(output.file) == fingerprint and old.is_file():
            files[output.file] = Reuse(old)
            report.reused += 1
        elif output.kind == "pdf":
            pdf_jobs.append(pdf_job(site, output, root, fingerprint))
        else:
            files[output.file] = _render(output, renderer, theme, problems)
            report.rendered.append(output.file)
        if progress and number % 50 == 0:
            progress("pages", number, len(plan.outputs))
    if problems.errors:
        raise BriefingError(problems)
    if pdf_jobs:
        if progress:
            progress("PDF", 0, len(pdf_jobs))
        for job, result in render_days(root, site.config, pdf_jobs):
            path = plan.pdfs[job.day.date]
            if isinstance(result, Problem):
                problems.add(result)
                continue
            files[urls.file_of(path)] = result.data
            problems.extend(result.warnings)
            report.rendered.append(path)
    if problems.errors:
        raise BriefingError(problems)

    with Staging(out) as staging:
        for rel, data in files.items():
            staging.put(rel, data)
        if options.search:
            search_started = time.perf_counter()
            build_search_index(staging.path, site.config.language)
            report.search_seconds = time.perf_counter() - search_started
        staging.commit(manifest, version=__version__)

    home = files.get(urls.file_of(urls.HOME))
    report.home_bytes = len(home) if isinstance(home, bytes) else (out / "index.html").stat().st_size
    report.problems = problems
    report.seconds = time.perf_counter() - started
    return report


@dataclass(slots=True)
class _Prepared:
    """What rendering needs besides the model: theme, text, the plan and its fingerprints."""

    theme: Theme
    strings: Strings
    dates: Dates
    env: Environment
    markdown: MarkdownRenderer
    plan: Plan
    fingerprints: Fingerprints


def _prepare(root: Path, site: Site, problems: Problems, *, pdf: bool) -> _Prepared:
    theme = Theme(root)
    strings = load_strings(theme, site.config, problems)
    if problems.errors:
        raise BriefingError(problems)
    dates = Dates(site.config.language, site.config.tz)
    env = make_environment(theme, strings, dates, site.config.base_path)
    media = {path: root / CONTENT_DIR / path for path in site.media}
    plan = plan_site(site, static=theme.static_files(), media=media, pdf=pdf)
    return _Prepared(theme, strings, dates, env, markdown_for(site.config, strings), plan,
                     Fingerprints(site, plan, theme, env, strings))


def make_pdfs(root: Path, days: Sequence[date] | None, *, drafts: bool = False, latest: bool = False,
              now: datetime | None = None) -> tuple[dict[date, bytes], Problems]:
    """The PDFs of some days (all when ``days`` is None; the latest with ``latest``),
    without building the site."""
    problems = Problems()
    config = _config(root, BuildOptions(), problems)
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
    ready = _prepare(root, site, problems, pdf=True)
    outputs = {o.key: o for o in ready.plan.outputs if o.kind == "pdf"}
    jobs = [pdf_job(site, outputs[d.isoformat()], root, ready.fingerprints.of_output(outputs[d.isoformat()]))
            for d in wanted]
    made: dict[date, bytes] = {}
    for job, result in render_days(root, site.config, jobs):
        if isinstance(result, Problem):
            problems.add(result)
        else:
            made[job.day.date] = result.data
            problems.extend(result.warnings)
    if problems.errors:
        raise BriefingError(problems)
    return made, problems


def pdf_job(site: Site, output: Output, root: Path, fingerprint: str) -> PdfJob:
    day = site.days[date.fromisoformat(output.key)]
    issue = sum(1 for d in site.days if d <= day.date)
    return PdfJob(day_site(site, day), day, issue, root, fingerprint)


def _config(root: Path, options: BuildOptions, problems: Problems) -> Config:
    config = load_config(root, problems)
    if config is None:
        raise BriefingError(problems)
    if options.base_url:
        base = options.base_url if options.base_url.endswith("/") else options.base_url + "/"
        config = config.model_copy(update={"base_url": base})
    return config


def _render(output: Output, renderer: PageRenderer, theme: Theme, problems: Problems) -> Data:
    if output.source is not None:
        return SourceFile(output.source)
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


__all__ = ["BuildOptions", "BuildReport", "Plan", "Site", "build_site"]
