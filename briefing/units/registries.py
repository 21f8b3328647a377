"""The registries' pages: an index of each registry, and a page (or several) per entry."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from briefing import inputs, urls
from briefing.index import ref_inputs
from briefing.model import REGISTRY_KINDS, ClaimStatus, RegistryKind, parent_of
from briefing.units.base import Output, Planning, Unit, chunks, paginate
from briefing.units.claims import ClaimItem, StatusRow
from briefing.units.maps import map_view, place_needs, read_place_plan
from briefing.units.series import entry_followed, entry_needs
from briefing.views import ArticleView, DayFigure, EntryRef

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
                if kind == "places":
                    needs += [inputs.entry("places", i) for i in index.within(entry_id)]
                    mapped = place_needs(site, index, entry_id)  # its map, on its first page
                if kind == "actors":
                    needs.append(inputs.record(entry_id))
                if parent:
                    needs += ref_inputs(site, kind, parent)
                for child in index.children_of(kind, entry_id):
                    needs += ref_inputs(site, kind, child)
                name = inputs.entry_name(kind, entry_id)
                followed = entry_needs(site, index, kind, entry_id)  # listed on its first page
                if kind == "places":
                    followed = [*followed, *mapped]
                for page, chunk in enumerate(chunks(index.members_of(kind, entry_id)), start=1):
                    shown = [*needs, *inputs.cards(chunk), *(followed if page == 1 else ())]
                    yield self.output(urls.registry_path(kind, entry_id, page), dict.fromkeys(shown),
                                      key=name, page=page)

    def context(self, output: Output, r: Renderer) -> dict[str, Any]:
        kind, entry_id = inputs.parse_entry_name(output.key)
        reads, views = r.reads, r.views
        ref = views.entry(kind, entry_id)
        ids = reads.members(kind, entry_id)
        pager, chunk = paginate(ids, output.page, lambda n: urls.registry_path(kind, entry_id, n))
        parent_id = parent_of(ref.entry)
        title = ref.label if output.page == 1 else f"{ref.label} · {r.t('pager.page', page=output.page)}"
        description = getattr(ref.entry, "description", "") or r.t(f"kind.{kind}.entry", name=ref.name)
        articles = views.articles(chunk)
        series, threads = entry_followed(r, kind, entry_id) if output.page == 1 else ([], [])
        shown = kind == "places" and output.page == 1
        place_map = map_view(r, read_place_plan(r, entry_id), r.t("map.place_title", name=ref.name),
                             osm=True) if shown else None
        return {
            "kind": kind, "index_path": urls.registry_index_path(kind),
            "ref": ref, "entry": ref.entry, "count": len(ids),
            "parent": views.entry(kind, parent_id) if parent_id else None,
            "children": [views.entry(kind, i) for i in reads.children(kind, entry_id)],
            "articles": articles, "pager": pager,
            "figures": _figures(kind, entry_id, articles, r),
            "claims": [ClaimItem(c, view) for view in articles for c in view.claims
                       if kind == "actors" and c.claim.by_actor == entry_id],
            "record": _record(entry_id, r) if kind == "actors" else [],
            "series": series, "threads": threads, "map": place_map,
            "page": r.page(output, title, description),
        }


def _figures(kind: RegistryKind, entry_id: str, articles: list[ArticleView], r: Renderer) -> list[DayFigure]:
    """The figures these articles report about an entry: for a place, those located in it or
    within it; for a topic, all of them."""
    if kind == "topics":
        return r.views.day_figures(articles)
    if kind != "places":
        return []
    places = {entry_id, *r.reads.within(entry_id)}
    return [f for f in r.views.day_figures(articles) if f.figure.figure.place in places]


def _record(actor_id: str, r: Renderer) -> list[StatusRow]:
    """How the claims an actor makes were rated, status by status: its track record."""
    counts = Counter(ref.status for ref in r.reads.record(actor_id))
    return [StatusRow(s, r.views.status(s), counts[s], urls.claims_path(s)) for s in ClaimStatus if counts[s]]
