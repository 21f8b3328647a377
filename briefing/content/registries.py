"""content/data/*.yaml: the registries of sources, places, actors and topics."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from briefing.content.files import MAX_YAML_BYTES, in_content, read_text
from briefing.content.references import Ref
from briefing.content.schema import ActorEntry, PlaceEntry, SourceEntry, TopicEntry
from briefing.errors import Location, Problems
from briefing.fields import is_id
from briefing.model import Actor, Place, RegistryEntry, RegistryKind, Source, Topic
from briefing.slugs import slugify
from briefing.validation import validate
from briefing.yamlio import parse_yaml

DATA_DIR = "content/data"


def _to_source(key: str, e: SourceEntry) -> Source:
    return Source(key, e.name, e.url, e.country, e.language, e.reliability, e.description,
                  tuple(e.alt_names))


def _to_place(key: str, e: PlaceEntry) -> Place:
    where = (e.coordinates[0], e.coordinates[1]) if e.coordinates else None
    return Place(key, e.name, e.kind, e.country, where, e.within, e.description,
                 tuple(e.alt_names))


def _to_actor(key: str, e: ActorEntry) -> Actor:
    return Actor(key, e.name, e.kind, e.part_of, e.country, e.description, tuple(e.alt_names))


def _to_topic(key: str, e: TopicEntry) -> Topic:
    return Topic(key, e.name, e.description)


_FILES: dict[RegistryKind, tuple[type[BaseModel], Callable[[str, Any], RegistryEntry]]] = {
    "sources": (SourceEntry, _to_source),
    "places": (PlaceEntry, _to_place),
    "actors": (ActorEntry, _to_actor),
    "topics": (TopicEntry, _to_topic),
}

# Fields by which an entry points at another entry of the same registry.
_PARENT_FIELD: dict[RegistryKind, str] = {"places": "within", "actors": "part_of"}


@dataclass(slots=True)
class Registries:
    entries: dict[RegistryKind, dict[str, RegistryEntry]] = field(default_factory=dict)
    refs: list[Ref] = field(default_factory=list)
    locations: dict[tuple[RegistryKind, str], Location] = field(default_factory=dict)
    broken: set[tuple[RegistryKind, str]] = field(default_factory=set)  # defined, but invalid


def registry_path(kind: RegistryKind) -> str:
    return f"{DATA_DIR}/{kind}.yaml"


def load_registry(root: Path, kind: RegistryKind, registries: Registries,
                  problems: Problems) -> None:
    """Read one registry file into ``registries``; a missing file is an empty registry."""
    shown = registry_path(kind)
    registries.entries[kind] = {}
    path = root / shown
    if not path.exists():
        return
    text = read_text(path, shown, problems, limit=MAX_YAML_BYTES, allow_empty=True, within=in_content(root))
    if text is None or not text.strip():
        return
    doc, found = parse_yaml(text, shown)
    problems.extend(found)
    if doc is None:
        return
    if not isinstance(doc.data, dict):
        problems.error(doc.location(()), "",
                       "expected a mapping of ids to entries, like 'kursk: {name: Kursk}'")
        return
    schema, build = _FILES[kind]
    parent_field = _PARENT_FIELD.get(kind)
    # Entries are validated one by one, so that one bad entry does not make
    # every article that names a good one fail with 'unknown id'.
    for key, data in doc.data.items():
        if not is_id(key):
            problems.error(doc.location((key,), key=True), key,
                           "expected an id of lowercase letters, digits and hyphens",
                           f"write '{slugify(key)}'")
            continue
        meta, found = validate(schema, doc, data, at=(key,))
        problems.extend(found)
        if meta is None:
            registries.broken.add((kind, key))
            continue
        registries.entries[kind][key] = build(key, meta)
        registries.locations[(kind, key)] = doc.location((key,), key=True)
        parent = getattr(meta, parent_field) if parent_field else None
        if parent_field and parent:
            registries.refs.append(
                Ref(kind, parent, doc.location((key, parent_field)), f"{key}.{parent_field}")
            )


def check_hierarchy(registries: Registries, problems: Problems) -> None:
    """A place may not lie within itself, nor an actor be part of itself, by any chain."""
    for kind, parent_field in _PARENT_FIELD.items():
        entries = registries.entries.get(kind, {})
        for key in entries:
            seen = [key]
            current = getattr(entries[key], parent_field)
            while current in entries:
                if current in seen:
                    if current == key:
                        chain = " -> ".join([*seen, current])
                        problems.error(
                            registries.locations[(kind, key)], f"{key}.{parent_field}",
                            f"circular {parent_field}: {chain}",
                            f"one of these entries must not name its {parent_field}",
                        )
                    break
                seen.append(current)
                current = getattr(entries[current], parent_field)


def load_registries(root: Path, problems: Problems) -> Registries:
    registries = Registries()
    for kind in _FILES:
        load_registry(root, kind, registries, problems)
    check_hierarchy(registries, problems)
    return registries
