"""The build: load, plan, render, write. Reads top to bottom.

    files ──load──▶ Site ──plan──▶ [Output] ──render──▶ bytes ──write──▶ site/

An output whose fingerprint equals the one recorded by the previous build is
taken over from the previous site instead of being rendered again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from briefing import __version__, urls
from briefing.config import Config, load_config
from briefing.content.articles import CONTENT_DIR
from briefing.content.load import load_site
from briefing.errors import BriefingError, Problems
from briefing.fingerprint import Fingerprints
from briefing.model import Site
from briefing.output import Data, Reuse, SourceFile, Staging, check_output_folder, read_manifest
from briefing.pages import PageRenderer
from briefing.plan import Output, Plan, plan_site
from briefing.render.i18n import Dates, load_strings
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

    theme = Theme(root)
    strings = load_strings(theme, site.config, problems)
    if problems.errors:
        raise BriefingError(problems)
    dates = Dates(site.config.language, site.config.tz)
    env = make_environment(theme, strings, dates, site.config.base_path)
    markdown = MarkdownRenderer(raw_html=site.config.markdown.raw_html,
                                allowed_hosts=site.config.network.allowed_hosts,
                                table_label=strings("body.table"))
    static = theme.static_files()
    media = {path: root / CONTENT_DIR / path for path in site.media}
    plan = plan_site(site, static=static, media=media, pdf=options.pdf and site.config.pdf.enabled)
    fingerprints = Fingerprints(site, plan, theme, env, strings)
    renderer = PageRenderer(site, plan, env, strings, dates, markdown)

    report = BuildReport(out, outputs=len(plan.outputs))
    previous = read_manifest(out)
    manifest: dict[str, str] = {}
    files: dict[str, Data] = {}
    for number, output in enumerate(plan.outputs, start=1):
        fingerprint = fingerprints.of_output(output)
        manifest[output.file] = fingerprint
        old = out / output.file
        if previous.get(output.file) == fingerprint and old.is_file():
            files[output.file] = Reuse(old)
            report.reused += 1
        else:
            files[output.file] = _render(output, renderer, theme, problems)
            report.rendered.append(output.file)
        if progress and number % 50 == 0:
            progress("render", number, len(plan.outputs))
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
