"""Problems found in a briefing, each with the place it was found.

Loaders never raise on bad content: they return what they could read plus a
list of :class:`Problem` values, so one run reports every mistake at once.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from briefing.frozen import Value


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Location(Value):
    """A place in a file: the path as the curator sees it, 1-based line and column."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.column or 1}"


@dataclass(frozen=True, slots=True)
class Problem(Value):
    level: Level
    location: Location
    field: str
    message: str
    hint: str = ""

    def format(self) -> str:
        """One line as compilers print it, plus an indented hint line."""
        field = f"{self.field}: " if self.field else ""
        text = f"{self.location}: {self.level}: {field}{self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def as_error(self) -> Problem:
        return Problem(Level.ERROR, self.location, self.field, self.message, self.hint)


class Problems:
    """An ordered collection of problems; loaders append, the CLI prints."""

    def __init__(self, items: Iterable[Problem] = ()) -> None:
        self._items: list[Problem] = list(items)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)

    def add(self, problem: Problem) -> None:
        self._items.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        self._items.extend(problems)

    def error(self, location: Location, field: str, message: str, hint: str = "") -> None:
        self._items.append(Problem(Level.ERROR, location, field, message, hint))

    def warning(self, location: Location, field: str, message: str, hint: str = "") -> None:
        self._items.append(Problem(Level.WARNING, location, field, message, hint))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self._items if p.level is Level.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self._items if p.level is Level.WARNING]

    def strict(self) -> Problems:
        """The same problems with every warning promoted to an error."""
        return Problems(p.as_error() for p in self._items)

    def by_file(self) -> dict[str, list[Problem]]:
        """Problems grouped by file, files in path order, problems in line order."""
        groups: dict[str, list[Problem]] = {}
        for problem in sorted(self._items, key=lambda p: p.location):
            groups.setdefault(problem.location.path, []).append(problem)
        return groups


class BriefingError(Exception):
    """A failure the user can fix that stops a command (bad config, no briefing here)."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        super().__init__("\n".join(p.format() for p in problems))


def did_you_mean(word: str, choices: Iterable[str], *, count: int = 3) -> str:
    """A hint naming the closest known words, or an empty string."""
    scored = []
    for choice in choices:
        matcher = difflib.SequenceMatcher(None, word, choice)
        if matcher.real_quick_ratio() >= 0.6 and matcher.quick_ratio() >= 0.6:
            scored.append((matcher.ratio(), choice))
    scored = sorted((s for s in scored if s[0] >= 0.6), key=lambda s: (-s[0], s[1]))
    if not scored:
        return ""
    # Only the near-ties of the best match: a clearly worse guess is noise.
    close = [choice for score, choice in scored[:count] if score >= scored[0][0] - 0.05]
    return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
