"""Printing problems for people: grouped by file, one compiler-style line each."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.text import Text

from briefing.errors import Level, Problems

if TYPE_CHECKING:
    from briefing.build import BuildReport

_STYLE = {Level.ERROR: "bold red", Level.WARNING: "yellow"}


def print_problems(console: Console, problems: Problems) -> None:
    """Every problem, grouped by file; lines stay `path:line:col: level: field: message`."""
    for path, group in problems.by_file().items():
        console.print(Text(path, style="bold"))
        for problem in group:
            field = f"{problem.field}: " if problem.field else ""
            line = Text(f"  {problem.location}: ")
            line.append(str(problem.level), style=_STYLE[problem.level])
            line.append(f": {field}{problem.message}")
            console.print(line, soft_wrap=True)
            if problem.hint:
                console.print(Text(f"      hint: {problem.hint}", style="dim"), soft_wrap=True)
        console.print()


def summary(problems: Problems) -> Text:
    errors, warnings = len(problems.errors), len(problems.warnings)
    text = Text()
    text.append(f"{errors} error{'s' if errors != 1 else ''}", style="bold red" if errors else "green")
    text.append(", ")
    text.append(f"{warnings} warning{'s' if warnings != 1 else ''}",
                style="yellow" if warnings else "green")
    return text


class ProgressDisplay:
    """A progress bar on a terminal while long work runs; silent elsewhere."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.bar: Progress | None = None
        self.tasks: dict[str, TaskID] = {}

    def __enter__(self) -> ProgressDisplay:
        if self.console.is_terminal:
            self.bar = Progress(TextColumn("{task.description}"), BarColumn(),
                                MofNCompleteColumn(), TimeElapsedColumn(),
                                console=self.console, transient=True)
            self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None

    def __call__(self, what: str, done: int, total: int) -> None:
        if self.bar is None:
            return
        if what not in self.tasks:
            self.tasks[what] = self.bar.add_task(what, total=total)
        self.bar.update(self.tasks[what], completed=done, total=total)


def progress_display(console: Console) -> ProgressDisplay:
    return ProgressDisplay(console)


def build_summary(report: BuildReport) -> Text:
    """'Built site/: 412 files (37 rendered, 375 unchanged), 0 warnings, 2.31 s.' (or 'Up to date')"""
    warnings = len(report.problems.warnings)
    if report.up_to_date:
        text = Text(f"Up to date: {report.out} ({report.outputs} files); nothing changed since the last "
                    "build, ")
    else:
        text = Text(f"Built {report.out}: {report.outputs} files "
                    f"({len(report.rendered)} rendered, {report.reused} unchanged), ")
    text.append(f"{warnings} warning{'s' if warnings != 1 else ''}", style="yellow" if warnings else "green")
    text.append(f", {report.seconds:.2f} s; home page {report.home_bytes / 1024:.1f} KiB")
    if report.search_seconds:
        text.append(f"; search index {report.search_seconds:.2f} s")
    return text
