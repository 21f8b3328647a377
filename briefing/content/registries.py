"""content/data/*.yaml: the registries of sources, places, actors and topics, and the
series and threads that follow figures and claims across days."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from briefing.content.files import MAX_YAML_BYTES, in_content, read_text
from briefing.content.layers import read_layer, shown_path
from briefing.content.references import Ref
from briefing.content.schema import (
    ActorEntry,
    LayerEntry,
    PlaceEntry,
    SeriesEntry,
    SourceEntry,
    ThreadEntry,
    TopicEntry,
)
from briefing.errors import Location, Problems
from briefing.fields import is_id
from briefing.geo import data as geodata
from briefing.geo.project import LatLon
from briefing.geo.spec import Offset
from briefing.model import (
    Actor,
    DataEntry,
    DataFile,
    DataKind,
    MapLayer,
    Place,
    RegistryEntry,
    RegistryKind,
    Series,
    Source,
    Thread,
    Topic,
)
from briefing.slugs import slugify
from briefing.validation import validate
from briefing.yamlio import FieldPath, YamlDoc, format_path, parse_yaml

DATA_DIR = "content/data"

E = TypeVar("E", bound=DataEntry)


def _to_source(key: str, e: SourceEntry) -> Source:
    return Source(key, e.name, e.url, e.country, e.language, e.reliability, e.description,
                  tuple(e.alt_names))


def _to_place(key: str, e: PlaceEntry) -> Place:
    where = (e.coordinates[0], e.coordinates[1]) if e.coordinates else None
    label = Offset(e.label.dx, e.label.dy, e.label.anchor) if e.label else None
    return Place(key, e.name, e.kind, e.country, where, e.within, e.description,
                 tuple(e.alt_names), e.iso_3166_2, label)


def _to_actor(key: str, e: ActorEntry) -> Actor:
    return Actor(key, e.name, e.kind, e.part_of, e.country, e.description, tuple(e.alt_names))


def _to_topic(key: str, e: TopicEntry) -> Topic:
    return Topic(key, e.name, e.description)


def _to_series(key: str, e: SeriesEntry) -> Series:
    return Series(key, e.name, e.unit or "", e.place, e.description)


def _to_thread(key: str, e: ThreadEntry) -> Thread:
    return Thread(key, e.question, tuple(e.places), tuple(e.actors), e.description)


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
    locations: dict[tuple[DataFile, str], Location] = field(default_factory=dict)
    broken: set[tuple[DataKind, str]] = field(default_factory=set)  # defined, but invalid
    series: dict[str, Series] = field(default_factory=dict)
    threads: dict[str, Thread] = field(default_factory=dict)
    layers: dict[str, MapLayer] = field(default_factory=dict)
    #: Every file layers.yaml names, read or not: a change to one is a change to the registries.
    layer_files: set[str] = field(default_factory=set)

    def known(self) -> dict[DataKind, Mapping[str, DataEntry]]:
        """Every data file's entries by kind: what an id written anywhere is looked up in."""
        known: dict[DataKind, Mapping[str, DataEntry]] = {}
        for kind, entries in self.entries.items():
            known[kind] = entries
        known["series"] = self.series
        known["threads"] = self.threads
        return known


def registry_path(kind: DataFile) -> str:
    return f"{DATA_DIR}/{kind}.yaml"


def _read_entries(root: Path, kind: DataFile, schema: type[BaseModel], build: Callable[[str, Any], E],
                  registries: Registries, problems: Problems) -> Iterator[tuple[str, Any, E, YamlDoc]]:
    """Each valid entry of one data file: its id, as validated, as built, and its document.
    A missing or empty file has none. Invalid entries are reported and kept in
    ``registries.broken``; valid ones get their location in ``registries.locations``."""
    shown = registry_path(kind)
    path = root / shown
    if not path.exists():
        return
    text = read_text(path, shown, problems, limit=MAX_YAML_BYTES, allow_empty=True, within=in_content(root))
    if text is None or not text.strip():
        return
    doc, found = parse_yaml(text, shown)
    problems.extend(found)
    if doc is None or doc.data is None:  # nothing but comments: as empty as an empty file
        return
    if not isinstance(doc.data, dict):
        problems.error(doc.location(()), "",
                       "expected a mapping of ids to entries, like 'kursk: {name: Kursk}'")
        return
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
            if kind != "layers":  # nothing names a layer
                registries.broken.add((kind, key))
            continue
        registries.locations[(kind, key)] = doc.location((key,), key=True)
        yield key, meta, build(key, meta), doc


def load_registry(root: Path, kind: RegistryKind, registries: Registries,
                  problems: Problems) -> None:
    """Read one registry file into ``registries``; a missing file is an empty registry."""
    schema, build = _FILES[kind]
    parent_field = _PARENT_FIELD.get(kind)
    entries = registries.entries[kind] = {}
    for key, meta, entry, doc in _read_entries(root, kind, schema, build, registries, problems):
        entries[key] = entry
        if isinstance(meta, PlaceEntry):
            _check_region(key, meta, doc, problems)
        parent = getattr(meta, parent_field) if parent_field else None
        if parent_field and parent:
            registries.refs.append(
                Ref(kind, parent, doc.location((key, parent_field)), f"{key}.{parent_field}")
            )


def load_followed(root: Path, registries: Registries, problems: Problems) -> None:
    """Read series.yaml and threads.yaml (either may be missing) into ``registries``, with
    the places and actors their entries name as references to check."""

    def refer(kind: RegistryKind, value: str, doc: YamlDoc, *path: str | int) -> None:
        at: FieldPath = path
        registries.refs.append(Ref(kind, value, doc.location(at), format_path(at)))

    series = _read_entries(root, "series", SeriesEntry, _to_series, registries, problems)
    for key, meta, one, doc in series:
        registries.series[key] = one
        if meta.place:
            refer("places", meta.place, doc, key, "place")
    threads = _read_entries(root, "threads", ThreadEntry, _to_thread, registries, problems)
    for key, meta, thread, doc in threads:
        registries.threads[key] = thread
        for kind in ("places", "actors"):
            for index, value in enumerate(getattr(meta, kind)):
                refer(kind, value, doc, key, kind, index)


def _check_region(key: str, meta: PlaceEntry, doc: YamlDoc, problems: Problems) -> None:
    """A place's ISO 3166-2 code is one of the shipped regions; its coordinates, if any, lie in it."""
    if meta.iso_3166_2 is None:
        return
    region = geodata.region(meta.iso_3166_2)
    at = doc.location((key, "iso_3166_2"))
    if region is None:
        problems.error(at, f"{key}.iso_3166_2", f"no region has the ISO 3166-2 code '{meta.iso_3166_2}'",
                       geodata.suggest_region(meta.iso_3166_2)
                       or "look the code up at https://www.iso.org/obp/ui/ (first-level regions only)")
        return
    if meta.coordinates is not None and not region.contains(LatLon(*meta.coordinates)):
        lat, lon = meta.coordinates
        problems.warning(doc.location((key, "coordinates")), f"{key}.coordinates",
                         f"[{lat:g}, {lon:g}] lies outside {meta.iso_3166_2}, the region this place is",
                         "write [latitude, longitude], latitude first, or correct the code")


def load_layers(root: Path, registries: Registries, problems: Problems) -> None:
    """Read layers.yaml (it may be missing) and each layer's GeoJSON file into ``registries``,
    with the source each layer is credited to as a reference to check."""
    layers = _read_entries(root, "layers", LayerEntry, lambda _key, meta: meta, registries, problems)
    for key, meta, _, doc in layers:
        registries.layer_files.add(shown_path(meta.file))
        layer = read_layer(root, key, meta, doc.location((key, "file")), problems)
        registries.refs.append(Ref("sources", meta.source, doc.location((key, "source")), f"{key}.source"))
        if layer is not None:
            registries.layers[key] = layer


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
    load_followed(root, registries, problems)
    load_layers(root, registries, problems)
    check_hierarchy(registries, problems)
    return registries
