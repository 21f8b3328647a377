"""What a build is asked to do and what it reports: plain values, cheap to import.

The CLI needs these before it knows whether there is any work at all (see
:mod:`briefing.buildstamp`), so they live apart from the build's machinery.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from briefing.errors import Problems

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
    workers: int | None = None  # processes for a full build; default: every core


@dataclass(slots=True)
class BuildReport:
    out: Path
    outputs: int = 0
    rendered: list[str] = field(default_factory=list)  # files rendered in this build
    #: Of those written in place, the ones whose bytes changed (None: a whole new site).
    #: A page that only lists an edited article often comes out the same.
    changed: list[str] | None = None
    reused: int = 0
    problems: Problems = field(default_factory=Problems)
    seconds: float = 0.0
    home_bytes: int = 0
    search_seconds: float = 0.0
    up_to_date: bool = False  # nothing the build reads had changed: nothing was done

    @property
    def written(self) -> list[str]:
        """The files whose bytes this build changed."""
        return self.rendered if self.changed is None else self.changed
