"""What every kind of output is made of: its planned files, and the unit that makes them.

A :class:`Unit` is one kind of output (the home page, an article's page, the
Atom feed of briefings, the daily PDF, ...). It plans its files, each an
:class:`Output` naming the inputs it reads, and it builds each one's context,
side by side, so that what a page declares and what it reads are written in
one place (and a test renders every output through
:class:`briefing.reads.RecordingReads` to check that they agree).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from briefing import inputs, urls
from briefing.errors import Problem
from briefing.index import Index
from briefing.inputs import Input
from briefing.model import Site
from briefing.output import Data
from briefing.reads import Reads

if TYPE_CHECKING:
    from briefing.units.renderer import Renderer

T = TypeVar("T")

#: Articles per page of a topic, place, actor, source or claim-status list.
PAGE_SIZE = 30


@dataclass(frozen=True, slots=True)
class Output:
    """One file of the site."""

    path: str  # site path: "2024/08/16/" (a page, written as index.html) or "feeds/articles.xml"
    kind: str  # the unit that makes it (units.table)
    template: str = ""  # the Jinja template, for rendered outputs
    key: str = ""  # what it is about: an article id, a day, "places/kursk-oblast"
    page: int = 1  # for paginated lists
    inputs: tuple[Input, ...] = ()  # what it reads
    source: Path | None = None  # for copied files: the file to copy

    @property
    def file(self) -> str:
        return urls.file_of(self.path)


@dataclass(slots=True)
class Rendered:
    data: Data
    warnings: list[Problem] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Page:
    """What every template knows about the page it renders."""

    path: str
    kind: str
    title: str
    description: str
    canonical: str
    rooted: bool = False  # links rooted at the base path instead of relative (404)
    og_type: str = "website"
    image: str | None = None
    jsonld: tuple[dict[str, Any], ...] = ()
    index: bool = True  # let search engines index it


@dataclass(frozen=True, slots=True)
class Pager:
    page: int
    pages: int
    previous: str | None
    next: str | None


@dataclass(frozen=True, slots=True)
class Planning:
    """What units plan from: the model, its index, and the files copied as they are."""

    site: Site
    index: Index
    static: Mapping[str, Path] = field(default_factory=dict)  # theme path -> file
    content: Path | None = None  # the briefing's content/ folder, whose media are published


class Unit:
    """One kind of output: its files (``plan``) and how each is made (``context``/``render``).

    ``plan`` reads the model freely (it runs once per build, and the plan it makes is
    compared whole); ``context`` and ``render`` reach the model only through the
    renderer's :class:`~briefing.reads.Reads`, and read nothing the output's inputs
    do not name.
    """

    kind: ClassVar[str]
    template: ClassVar[str] = ""
    #: Whether its outputs are pages the sitemap lists.
    listed: ClassVar[bool] = False
    #: Rendered in worker processes with limits (the daily PDF), not by ``render``.
    in_worker: ClassVar[bool] = False

    def plan(self, p: Planning) -> Iterable[Output]:
        raise NotImplementedError

    def output(self, path: str, needs: Iterable[Input] = (), *, key: str = "", page: int = 1,
               source: Path | None = None) -> Output:
        """One of this unit's outputs; every output reads the config."""
        return Output(path, self.kind, self.template, key, page, (inputs.CONFIG, *needs), source)

    def context(self, output: Output, r: Renderer) -> dict[str, Any]:
        """The template's variables (``page`` defaults to the site's title and description)."""
        return {}

    def render(self, output: Output, r: Renderer) -> Rendered:
        return Rendered(r.render_template(output, self.context(output, r)))

    def last_modified(self, output: Output, reads: Reads) -> datetime | None:
        """When what a listed page shows last changed, for the sitemap (None: unknown)."""
        return None


def chunks(items: Sequence[T]) -> Iterator[tuple[T, ...]]:
    """Pages of a list; an empty list still has its first page."""
    if not items:
        yield ()
        return
    for start in range(0, len(items), PAGE_SIZE):
        yield tuple(items[start:start + PAGE_SIZE])


def paginate(items: Sequence[T], page: int,
             path_of: Callable[[int], str]) -> tuple[Pager, Sequence[T]]:
    """The pager of page ``page`` of ``items`` (as :func:`chunks` cuts them), and its items."""
    pages = max(1, -(-len(items) // PAGE_SIZE))
    chunk = items[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    return Pager(page, pages, path_of(page - 1) if page > 1 else None,
                 path_of(page + 1) if page < pages else None), chunk
