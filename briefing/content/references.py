"""Cross references between files: every id an article or entry names must exist."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass

from briefing.errors import Location, Problems, did_you_mean
from briefing.frozen import Value
from briefing.model import DataEntry, DataKind, RegistryEntry
from briefing.slugs import slugify

_SINGULAR = {"sources": "source", "places": "place", "actors": "actor", "topics": "topic",
             "series": "series", "threads": "thread"}


@dataclass(frozen=True, slots=True)
class Ref(Value):
    """One id written somewhere, and the data file it must be found in."""

    kind: DataKind
    id: str
    location: Location
    field: str


def check_references(refs: Iterable[Ref], registries: Mapping[DataKind, Mapping[str, DataEntry]],
                     problems: Problems,
                     broken: Set[tuple[DataKind, str]] = frozenset()) -> None:
    """An error, with the nearest known ids, for every id no registry defines.

    Ids in ``broken`` are defined but invalid; their entry already has an error.
    """
    for ref in refs:
        registry = registries[ref.kind]
        if ref.id in registry or (ref.kind, ref.id) in broken:
            continue
        problems.error(
            ref.location, ref.field,
            f"unknown {_SINGULAR[ref.kind]} '{ref.id}': content/data/{ref.kind}.yaml does not define it",
            suggest_id(ref.id, registry) or f"add '{ref.id}' to content/data/{ref.kind}.yaml",
        )


def suggest_id(word: str, registry: Mapping[str, DataEntry]) -> str:
    """'did you mean ...?' from ids, and from names and alternative spellings (a thread,
    named by its question, is suggested by its id alone)."""
    by_name = {slugify(entry.name): entry.id for entry in registry.values() if hasattr(entry, "name")}
    for entry in registry.values():
        for alt in getattr(entry, "alt_names", ()):
            by_name.setdefault(slugify(alt), entry.id)
    wanted = slugify(word)
    if wanted in by_name:
        return f"did you mean '{by_name[wanted]}'?"
    hint = did_you_mean(word, registry)
    if hint:
        return hint
    close = did_you_mean(wanted, by_name)
    if close:
        names = close.removeprefix("did you mean ").rstrip("?")
        ids = [by_name[name.strip("'")] for name in names.split(" or ")]
        return "did you mean " + " or ".join(f"'{i}'" for i in dict.fromkeys(ids)) + "?"
    return ""


def find_by_name(text: str, registry: Mapping[str, RegistryEntry]) -> str | None:
    """The id whose id, name or alternative name matches free text such as 'Telegraph'."""
    wanted = slugify(text)
    if not wanted:
        return None
    for entry in registry.values():
        names = (entry.id, entry.name, *getattr(entry, "alt_names", ()))
        candidates = {slugify(n) for n in names}
        candidates |= {c.removeprefix("the-") for c in candidates}
        if wanted in candidates or wanted.removeprefix("the-") in candidates:
            return entry.id
    return None
