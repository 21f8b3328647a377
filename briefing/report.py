"""Printing problems for people: grouped by file, one compiler-style line each."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from briefing.errors import Level, Problems

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
