"""JSON Schemas for every file a curator writes, generated from the models.

Editors with a YAML language server (VS Code's YAML extension, JetBrains, Helix)
use them for completion and checking while typing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from briefing.config import Config
from briefing.content.schema import (
    ActorsFile,
    ArticleMeta,
    DayMeta,
    LayersFile,
    PlacesFile,
    SeriesFile,
    SourcesFile,
    ThreadsFile,
    TopicsFile,
)

#: schema file name -> (model, the files it describes, as globs from the briefing root)
SCHEMAS: dict[str, tuple[type[BaseModel], tuple[str, ...]]] = {
    "briefing.schema.json": (Config, ("briefing.yml",)),
    "article.schema.json": (ArticleMeta, ("content/articles/**/*.yaml",)),
    "day.schema.json": (DayMeta, ("content/briefings/*.yaml",)),
    "sources.schema.json": (SourcesFile, ("content/data/sources.yaml",)),
    "places.schema.json": (PlacesFile, ("content/data/places.yaml",)),
    "actors.schema.json": (ActorsFile, ("content/data/actors.yaml",)),
    "topics.schema.json": (TopicsFile, ("content/data/topics.yaml",)),
    "series.schema.json": (SeriesFile, ("content/data/series.yaml",)),
    "threads.schema.json": (ThreadsFile, ("content/data/threads.yaml",)),
    "layers.schema.json": (LayersFile, ("content/data/layers.yaml",)),
}


def schema_text(model: type[BaseModel], name: str) -> str:
    """The schema as stable, pretty JSON text."""
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": name,
        **model.model_json_schema(),
    }
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into ``folder``; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (model, _globs) in SCHEMAS.items():
        path = folder / name
        path.write_text(schema_text(model, name), encoding="utf-8")
        written.append(path)
    return written


def editor_settings(folder: str = "schemas") -> dict[str, Any]:
    """VS Code settings mapping each schema to its files (``.vscode/settings.json``)."""
    return {"yaml.schemas": {f"./{folder}/{name}": list(globs)
                             for name, (_model, globs) in SCHEMAS.items()}}
