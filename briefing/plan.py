"""The build plan: every file the site consists of, and what each one reads.

Each unit of :mod:`briefing.units.table` plans the files of its kind, each an
:class:`~briefing.units.base.Output` naming its inputs (:mod:`briefing.inputs`).
The full build renders every output; the build cache and the watch mode
fingerprint each output's inputs (:mod:`briefing.fingerprint`) and re-render
only those whose fingerprint changed. One graph, three users.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from briefing.index import Index, index_site
from briefing.inputs import Input
from briefing.model import REGISTRY_KINDS, Article, Site
from briefing.units.articles import images_of
from briefing.units.base import Output, Planning
from briefing.units.table import UNITS, unit_of


@dataclass(slots=True)
class Plan:
    outputs: list[Output]
    index: Index
    pages: tuple[Output, ...] = ()  # the pages the sitemap lists, sorted by path
    _files: list[str] = field(default_factory=list)
    _positions: dict[str, int] = field(default_factory=dict)
    _copies: frozenset[int] = frozenset()
    _readers: dict[Input, list[int]] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Output]:
        return iter(self.outputs)

    def files(self) -> list[str]:
        """Each output's file, in order (worked out once: the watch mode asks after every save)."""
        if len(self._files) != len(self.outputs):
            self._files = [o.file for o in self.outputs]
            self._positions = {file: position for position, file in enumerate(self._files)}
            self._copies = frozenset(i for i, o in enumerate(self.outputs) if o.source is not None)
        return self._files

    def position_of(self, file: str) -> int:
        self.files()
        return self._positions[file]

    def copies(self) -> frozenset[int]:
        """The outputs that copy a file: their fingerprints come from the file's stat."""
        self.files()
        return self._copies

    def readers_of(self, keys: Iterable[Input]) -> set[int]:
        """The positions of the outputs that read any of ``keys`` (the graph's other
        direction, worked out when first asked: a build not followed by another never asks)."""
        if not self._readers:
            for position, output in enumerate(self.outputs):
                for key in output.inputs:
                    self._readers.setdefault(key, []).append(position)
        return {i for key in keys for i in self._readers.get(key, ())}


def plan_site(site: Site, *, static: Mapping[str, Path], content: Path | None, pdf: bool) -> Plan:
    """Every output of the site, unit by unit, in a stable order; ``pdf``: with daily PDFs."""
    index = index_site(site, pdf=pdf)
    planning = Planning(site, index, static, content)
    outputs = [output for unit in UNITS for output in unit.plan(planning)]
    pages = tuple(sorted((o for o in outputs if unit_of(o.kind).listed), key=lambda o: o.path))
    return Plan(outputs, index, pages)


def same_shape(before: Site, after: Site, changed: Iterable[str]) -> bool:
    """Whether :func:`plan_site` reads the same from both sites (then it plans them alike).

    ``before`` and ``after`` list the same article ids in the same order, and only the
    ``changed`` ones differ in content (the others are the same objects, or equal).
    An edit to an article's title, summary, body, figures or claim texts keeps the
    shape; the watch mode then keeps the plan and re-fingerprints only the outputs
    that read the article. Moving it to another day, tagging it with another place,
    changing a claim's status, or editing a figure in a series (the index's "since"
    sections follow it) changes the shape: a new plan. Lists, not dicts,
    are compared where the order is part of the plan; equal objects compare in C.
    """
    if before.config.site_json != after.config.site_json or before.media != after.media or \
            list(before.days.items()) != list(after.days.items()):
        return False
    if any(list(before.registry(kind).items()) != list(after.registry(kind).items())
           for kind in REGISTRY_KINDS):
        return False
    # Series and threads have pages of their own and lists on registry pages, and the
    # "since" sections (index.since) tell them by name.
    if list(before.series.items()) != list(after.series.items()) or \
            list(before.threads.items()) != list(after.threads.items()):
        return False
    # The maps' plans read the layers: which base pictures there are, and which layers each draws.
    if list(before.layers.items()) != list(after.layers.items()):
        return False
    return all(_article_shape(before.articles[i]) == _article_shape(after.articles[i]) for i in changed)


def _article_shape(a: Article) -> tuple[object, ...]:
    """What the plan reads of one article: with what the index's "since" sections read of it
    (its figures in series, its claims in threads and its time), so that a figure's edit
    there plans again and the sections it changes are told apart by their fingerprints."""
    followed = (tuple(f for f in a.figures if f.series), tuple(c.thread for c in a.claims),
                a.published if any(c.thread for c in a.claims) or any(f.series for f in a.figures) else None)
    return (a.id, a.day, a.slug, a.source.outlet, tuple(a.registry_ids(kind) for kind in REGISTRY_KINDS),
            tuple((c.id, c.status, c.thread) for c in a.claims), tuple(f.series for f in a.figures),
            tuple(images_of(a)), followed)
