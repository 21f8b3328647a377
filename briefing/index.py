"""What the plan works out from the model once, for every page that needs it.

Which articles each registry entry lists, each article's related articles,
the claims of each status, each day's edition number and PDF: facts about
the whole site that pages read as inputs of their own (``members:places/x``,
``related:ID``, ...), so that a page listing a place's articles reads that
list and not the whole model. Computed in one pass; the watch mode keeps it
while the site's shape holds (:func:`briefing.plan.same_shape`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import chain

from briefing import inputs, urls
from briefing.inputs import Input
from briefing.model import REGISTRY_KINDS, ClaimStatus, RegistryKind, Site, parent_of
from briefing.since import Since, since_all

#: Related articles: at most this many, from this many days around the article.
RELATED_COUNT = 4
RELATED_WINDOW = 3


@dataclass(frozen=True, slots=True)
class ClaimRef:
    """One claim, by the article that reports it and its id there, with its status."""

    article_id: str
    claim_id: str
    status: ClaimStatus


@dataclass(frozen=True, slots=True)
class Index:
    #: "places/x" -> the ids of the articles it lists, newest first: those that name it, and
    #: for a place those that name a place within it (a region's page rolls up its towns).
    members: Mapping[str, tuple[str, ...]]
    related: Mapping[str, tuple[str, ...]]  # article id -> related article ids, closest first
    claims: Mapping[ClaimStatus, tuple[ClaimRef, ...]]  # every claim of each status, newest first
    #: What "card:ID" stands for: the article's metadata and the registry entries shown
    #: with it wherever it is listed (lists never show a body). One key instead of a
    #: dozen keeps lists' inputs short.
    cards: Mapping[str, tuple[Input, ...]]
    children: Mapping[str, tuple[str, ...]]  # "places/x" -> ids of the entries within it
    #: "places/x" -> the ids of the places within it, at any depth (itself not included)
    descendants: Mapping[str, tuple[str, ...]]
    #: actor id -> every claim the actor makes, newest first: its track record
    records: Mapping[str, tuple[ClaimRef, ...]]
    issues: Mapping[date, int]  # day -> its edition number: how many days have come up to it
    pdfs: Mapping[date, str]  # day -> its PDF's site path, when PDFs are built
    #: series id -> the ids of the articles with a figure in it, newest first (thread id: a claim)
    series_points: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    thread_points: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: "places/x" -> the series (and the threads) its page lists: a place's are those of its
    #: ``place:`` (``places:``) and of the places within it, an actor's those of ``actors:``,
    #: a topic's those with a point in its articles.
    entry_series: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    entry_threads: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: day -> what changed on it since the last briefing (briefing.since): read by its page,
    #: PDF, e-mail and feed entry as one key, so an edit re-renders the days it changes
    since: Mapping[date, Since] = field(default_factory=dict)

    def members_of(self, kind: RegistryKind, entry_id: str) -> tuple[str, ...]:
        return self.members.get(inputs.entry_name(kind, entry_id), ())

    def children_of(self, kind: RegistryKind, entry_id: str) -> tuple[str, ...]:
        return self.children.get(inputs.entry_name(kind, entry_id), ())

    def of_day(self, on: date) -> Index:
        """The part one day's PDF reads (its edition): cheap to send to a worker process."""
        return Index({}, {}, {}, {}, {}, {}, {}, {on: self.issues[on]}, {}, since={on: self.since[on]})

    def within(self, place_id: str) -> tuple[str, ...]:
        """The ids of the places within a place, at any depth."""
        return self.descendants.get(inputs.entry_name("places", place_id), ())


def index_site(site: Site, *, pdf: bool) -> Index:
    """The index of ``site``; ``pdf``: whether daily PDFs are built (they have paths)."""
    members, keys_of, cards = _members(site)
    days = list(site.days)  # newest first
    children = _children(site)
    descendants = _descendants(site, children)
    rolled = _rolled_up(site, members, descendants)
    series_points, thread_points = _points(site)
    return Index(
        members=rolled,
        related=_related(site, keys_of),
        claims=_claims(site),
        cards=cards,
        children=children,
        descendants=descendants,
        records=_records(site),
        issues={day: len(days) - position for position, day in enumerate(days)},
        pdfs={day: urls.pdf_path(site.config.title, day) for day in days} if pdf else {},
        series_points=series_points,
        thread_points=thread_points,
        entry_series=_entry_followed(site, rolled, descendants, series_points,
                                     {i: (s.place,) if s.place else () for i, s in site.series.items()}, {}),
        entry_threads=_entry_followed(site, rolled, descendants, thread_points,
                                      {i: t.places for i, t in site.threads.items()},
                                      {i: t.actors for i, t in site.threads.items()}),
        since=since_all(site),
    )


def ref_inputs(site: Site, kind: RegistryKind, entry_id: str) -> list[Input]:
    """What a link to an entry reads (:meth:`briefing.views.Views.entry`): the entry, and
    the place it lies in, whose name is in its label ("Korenevo, Oblast Kursk")."""
    found = [inputs.entry(kind, entry_id)]
    if kind == "places" and (place := site.places.get(entry_id)) and place.within:
        found.append(inputs.entry("places", place.within))
    return found


def _members(site: Site) -> tuple[dict[str, tuple[str, ...]], dict[str, list[str]],
                                  dict[str, tuple[Input, ...]]]:
    """Which articles each entry lists, each article's entries (by name), and each article's
    card: its metadata and links to its registry entries."""
    members: dict[str, list[str]] = defaultdict(list)
    keys_of: dict[str, list[str]] = {}
    cards: dict[str, tuple[Input, ...]] = {}
    refs: dict[tuple[RegistryKind, str], list[Input]] = {}  # each entry's ref_inputs, made once
    for article in site.articles.values():  # newest day first, reading order within a day
        names: dict[str, None] = {}
        card = [inputs.meta(article.id)]
        for kind in REGISTRY_KINDS:
            for entry_id in article.registry_ids(kind):
                names[inputs.entry_name(kind, entry_id)] = None
                found = refs.get((kind, entry_id))
                if found is None:
                    found = refs[(kind, entry_id)] = ref_inputs(site, kind, entry_id)
                card += found
        keys_of[article.id] = keys = list(names)
        for key in keys:
            members[key].append(article.id)
        cards[article.id] = tuple(dict.fromkeys(card))
    return {key: tuple(found) for key, found in members.items()}, keys_of, cards


def _related(site: Site, keys_of: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    """Each article's related articles: those of the days around it that share at least two
    registry entries with it (its outlet aside), most shared first."""
    # day -> registry key -> the day's articles showing it: related articles are
    # found through the few entries an article has, not by comparing every pair.
    by_day: dict[date, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for article in site.articles.values():
        day_index = by_day[article.day]
        for key in keys_of[article.id]:
            day_index[key].append(article.id)
    window = [timedelta(days=offset) for offset in range(-RELATED_WINDOW, RELATED_WINDOW + 1)]
    nearby = {day: [near for step in window if (near := by_day.get(day + step)) is not None]
              for day in by_day}
    related: dict[str, tuple[str, ...]] = {}
    for article in site.articles.values():
        outlet = inputs.entry_name("sources", article.source.outlet)
        mine = [key for key in keys_of[article.id] if key != outlet]
        # Counted in C: a year's briefing has ~10,000 articles, each with ~10 entries
        # shared with dozens of articles in the week around it.
        shared = Counter(chain.from_iterable(near[key] for near in nearby[article.day]
                                             for key in mine if key in near))
        shared.pop(article.id, None)
        scored = sorted((-count, other) for other, count in shared.items() if count >= 2)
        related[article.id] = tuple(i for _, i in scored[:RELATED_COUNT])
    return related


def _claims(site: Site) -> dict[ClaimStatus, tuple[ClaimRef, ...]]:
    by_status: dict[ClaimStatus, list[ClaimRef]] = {s: [] for s in ClaimStatus}
    for article in site.articles.values():
        for claim in article.claims:
            by_status[claim.status].append(ClaimRef(article.id, claim.id, claim.status))
    return {status: tuple(refs) for status, refs in by_status.items()}


def _descendants(site: Site, children: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Every place within each place, at any depth, in registry order."""
    order = {place_id: position for position, place_id in enumerate(site.places)}
    found: dict[str, tuple[str, ...]] = {}
    for place_id in site.places:
        seen: set[str] = set()
        pending = list(children.get(inputs.entry_name("places", place_id), ()))
        while pending:
            current = pending.pop()
            if current in seen or current == place_id:
                continue
            seen.add(current)
            pending.extend(children.get(inputs.entry_name("places", current), ()))
        if seen:
            found[inputs.entry_name("places", place_id)] = tuple(sorted(seen, key=order.__getitem__))
    return found


def _rolled_up(site: Site, members: dict[str, tuple[str, ...]],
               descendants: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """A place lists its own articles and those of every place within it, newest first."""
    position = {article_id: n for n, article_id in enumerate(site.articles)}
    rolled = dict(members)
    for name, within in descendants.items():
        ids = set(members.get(name, ()))
        for place_id in within:
            ids.update(members.get(inputs.entry_name("places", place_id), ()))
        if ids:
            rolled[name] = tuple(sorted(ids, key=position.__getitem__))
    return rolled


def _records(site: Site) -> dict[str, tuple[ClaimRef, ...]]:
    found: dict[str, list[ClaimRef]] = defaultdict(list)
    for article in site.articles.values():
        for claim in article.claims:
            if claim.by_actor:
                found[claim.by_actor].append(ClaimRef(article.id, claim.id, claim.status))
    return {actor: tuple(refs) for actor, refs in found.items()}


def _children(site: Site) -> dict[str, tuple[str, ...]]:
    """The entries within each entry (places in a place, actors part of an actor), in
    registry order; an entry is never its own child, nor its parent's."""
    found: dict[str, list[str]] = defaultdict(list)
    for kind in REGISTRY_KINDS:
        registry = site.registry(kind)
        for entry in registry.values():
            parent = parent_of(entry)
            if parent is None or parent == entry.id:
                continue
            grandparent = parent_of(registry[parent]) if parent in registry else None
            if grandparent == entry.id:  # two entries inside each other: neither lists the other
                continue
            found[inputs.entry_name(kind, parent)].append(entry.id)
    return {key: tuple(ids) for key, ids in found.items()}


def _points(site: Site) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """The articles with a point in each series and each thread, newest first, in the order of
    series.yaml and threads.yaml."""
    series: dict[str, list[str]] = {i: [] for i in site.series}
    threads: dict[str, list[str]] = {i: [] for i in site.threads}
    for article in site.articles.values():
        for series_id in dict.fromkeys(f.series for f in article.figures if f.series):
            series.setdefault(series_id, []).append(article.id)
        for thread_id in dict.fromkeys(c.thread for c in article.claims if c.thread):
            threads.setdefault(thread_id, []).append(article.id)
    return ({i: tuple(ids) for i, ids in series.items()}, {i: tuple(ids) for i, ids in threads.items()})


def _entry_followed(site: Site, members: Mapping[str, tuple[str, ...]],
                    descendants: Mapping[str, tuple[str, ...]], points: Mapping[str, tuple[str, ...]],
                    places: Mapping[str, tuple[str, ...]],
                    actors: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Which series (or threads) each place, actor and topic page lists, in file order."""
    found: dict[str, list[str]] = defaultdict(list)
    for followed_id in points:
        named = {inputs.entry_name("places", p) for p in places.get(followed_id, ())}
        named |= {inputs.entry_name("actors", a) for a in actors.get(followed_id, ())}
        for place_id in site.places:  # a place lists what names it or a place within it
            name = inputs.entry_name("places", place_id)
            if name not in named and any(inputs.entry_name("places", i) in named
                                         for i in descendants.get(name, ())):
                found[name].append(followed_id)
        for name in named:
            found[name].append(followed_id)
        with_points = set(points[followed_id])
        for topic_id in site.topics:
            name = inputs.entry_name("topics", topic_id)
            if with_points.intersection(members.get(name, ())):
                found[name].append(followed_id)
    return {name: tuple(dict.fromkeys(ids)) for name, ids in found.items()}
