"""The registries' pages: an index of each registry, and a page (or several) per entry."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from briefing import inputs, urls
from briefing.index import ref_inputs
from briefing.model import REGISTRY_KINDS, parent_of
from briefing.units.base import Output, Planning, Unit, chunks, paginate
from briefing.views import EntryRef

if TYPE_CHECKING:
    from briefing.units.renderer import Renderer


class EntryCount(NamedTuple):
    """An entry in its registry's index, with how many articles it lists."""

    ref: EntryRef
    total: int


class RegistryIndex(Unit):
    """All topics, places, actors or sources, with how many articles each lists."""

    kind = "registry-index"
    template = "registry_index.html"
    listed = True

    def plan(self, p: Planning) -> Iterator[Output]:
        site = p.site
        for kind in REGISTRY_KINDS:
            needs = [key for entry_id in site.registry(kind)
                     for key in (*ref_inputs(site, kind, entry_id), inputs.count(kind, entry_id))]
            yield self.output(urls.registry_index_path(kind), dict.fromkeys(needs), key=kind)

    def context(self, output: Output, r: Renderer) -> dict[str, Any]:
        kind, reads = inputs.parse_registry_kind(output.key), r.reads
        entries = [EntryCount(r.views.entry(kind, i), reads.count(kind, i)) for i in reads.entries(kind)]
        entries.sort(key=lambda e: (-e.total, e.ref.name.casefold()))
        return {"kind": kind, "entries": entries,
                "page": r.page(output, r.t(f"kind.{kind}"), r.t(f"kind.{kind}.description"))}


class RegistryEntry(Unit):
    """One topic, place, actor or source: what the registry says of it, and its articles."""

    kind = "registry-entry"
    template = "registry_entry.html"
    listed = True

    def plan(self, p: Planning) -> Iterator[Output]:
        site, index = p.site, p.index
        for kind in REGISTRY_KINDS:
            for entry_id, entry in site.registry(kind).items():
                parent = parent_of(entry)
                needs = [*ref_inputs(site, kind, entry_id), inputs.members(kind, entry_id)]
                if parent:
                    needs += ref_inputs(site, kind, parent)
                for child in index.children_of(kind, entry_id):
                    needs += ref_inputs(site, kind, child)
                name = inputs.entry_name(kind, entry_id)
                for page, chunk in enumerate(chunks(index.members_of(kind, entry_id)), start=1):
                    yield self.output(urls.registry_path(kind, entry_id, page),
                                      dict.fromkeys([*needs, *inputs.cards(chunk)]), key=name, page=page)

    def context(self, output: Output, r: Renderer) -> dict[str, Any]:
        kind, entry_id = inputs.parse_entry_name(output.key)
        reads, views = r.reads, r.views
        ref = views.entry(kind, entry_id)
        ids = reads.members(kind, entry_id)
        pager, chunk = paginate(ids, output.page, lambda n: urls.registry_path(kind, entry_id, n))
        parent_id = parent_of(ref.entry)
        title = ref.label if output.page == 1 else f"{ref.label} · {r.t('pager.page', page=output.page)}"
        description = getattr(ref.entry, "description", "") or r.t(f"kind.{kind}.entry", name=ref.name)
        return {
            "kind": kind, "index_path": urls.registry_index_path(kind),
            "ref": ref, "entry": ref.entry, "count": len(ids),
            "parent": views.entry(kind, parent_id) if parent_id else None,
            "children": [views.entry(kind, i) for i in reads.children(kind, entry_id)],
            "articles": views.articles(chunk), "pager": pager,
            "page": r.page(output, title, description),
        }
