"""Creating things for curators: a new article (`briefing new`), a new briefing (`briefing init`)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

from briefing.config import Config
from briefing.content.articles import ARTICLES_DIR
from briefing.content.files import MAX_TEXT_BYTES, read_text
from briefing.content.rawtext import RawHeader, read_raw_text
from briefing.content.references import find_by_name
from briefing.content.registries import load_registries
from briefing.errors import BriefingError, Location, Problems
from briefing.mail.subscribers import GITIGNORE_LINE, write_example
from briefing.model import RegistryEntry
from briefing.render.theme import default_theme
from briefing.schemas import editor_settings, write_schemas
from briefing.slugs import slugify

STARTER = Path(__file__).resolve().parent / "starter"
GITIGNORE = ("# Built output and caches: rebuilt from content/ at any time.\nsite/\n"
             "# The lock and the helpers of a build in progress, beside site/.\n.site.*\n.briefing-cache/\n"
             "# Subscribers and the record of what was sent: personal data, never committed.\n"
             f"{GITIGNORE_LINE}\n")


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def article_stem(title: str, day: date) -> str:
    slug = slugify(title) or "artikel"
    return f"{day.isoformat()}-{slug}"


def new_article(root: Path, config: Config, title: str, *, when: datetime | date,
                raw: Path | None = None, outlet: str | None = None) -> list[Path]:
    """Write a new article's files and return their paths.

    With ``raw``, the outlet's text is copied in byte for byte and the metadata
    is pre-filled with what the text's header and dateline say.
    """
    problems = Problems()
    day = when.astimezone(config.tz).date() if isinstance(when, datetime) else when
    stem = article_stem(title, day)
    folder = root / ARTICLES_DIR / f"{day:%Y}" / f"{day:%m}"
    header = RawHeader()
    if raw is not None:
        text = read_text(raw, str(raw), problems, limit=MAX_TEXT_BYTES)
        if text is None:
            raise BriefingError(problems)
        header = read_raw_text(text).header
    targets = [folder / f"{stem}.txt", folder / f"{stem}.yaml"] if raw else [folder / f"{stem}.md"]
    for target in targets:
        if target.exists():
            problems.error(Location(target.relative_to(root).as_posix()), "",
                           "the file already exists", "choose another title or --date")
    if problems:
        raise BriefingError(problems)

    registries = load_registries(root, Problems())
    sources = registries.entries.get("sources", {})
    outlet = outlet or (guess_outlet(header.outlet_mark, sources) if header.outlet_mark else None)
    based_on = find_by_name(header.based_on, sources) if header.based_on else None
    if based_on == outlet:
        based_on = None
    meta = _metadata(title, when, outlet, based_on, header, sorted(sources))

    folder.mkdir(parents=True, exist_ok=True)
    if raw is not None:
        shutil.copyfile(raw, targets[0])  # byte for byte: the text is kept as received
        targets[1].write_text(meta, encoding="utf-8")
    else:
        targets[0].write_text(f"---\n{meta}---\n\nTulis artikel di sini.\n", encoding="utf-8")
    return targets


def _metadata(title: str, when: datetime | date, outlet: str | None, based_on: str | None,
              header: RawHeader, known_outlets: list[str]) -> str:
    known = ", ".join(known_outlets[:8]) + (", ..." if len(known_outlets) > 8 else "")
    lines = [
        f"title: {_q(title)}",
        f"date: {when.isoformat()}",
        "source:",
        f"  outlet: {outlet or _q('')}  # required: an id from content/data/sources.yaml"
        + (f" ({known})" if known and not outlet else ""),
    ]
    if based_on:
        lines.append(f"  based_on: {based_on}  # from the text's header: Sumber: {header.based_on}")
    elif header.based_on:
        lines.append(f"  # based_on: the header says 'Sumber: {header.based_on}'; "
                     "add it to sources.yaml, then give its id here")
    for name in ("author", "editor", "dateline"):
        value = getattr(header, name)
        if value:
            lines.append(f"  {name}: {_q(value)}")
    lines += [
        "  url: null  # link to the original",
        'summary: ""  # one to three sentences: the bottom line',
        "topics: []  # ids from content/data/topics.yaml",
        "places: []  # ids from content/data/places.yaml",
        "actors: []  # ids from content/data/actors.yaml",
        "figures: []  # - {value: 20000, qualifier: about, unit: warga, label: ...}",
        "claims: []  # - {id: ..., text: ..., by: actor-id, status: claimed}",
    ]
    return "\n".join(lines) + "\n"


def guess_outlet(mark: str, sources: Mapping[str, RegistryEntry]) -> str | None:
    """The source whose web address or name matches a dateline's 'KONTAN.CO.ID'."""
    wanted = mark.lower().removeprefix("www.")
    for entry in sources.values():
        url = getattr(entry, "url", None)
        host = (urlsplit(url).hostname or "").removeprefix("www.") if url else ""
        if host and host == wanted:
            return entry.id
    return find_by_name(mark, sources)


def init_briefing(target: Path) -> list[Path]:
    """A new briefing folder: config, the default theme, one sample article, schemas, an
    example subscriber list in private/ (which its .gitignore leaves out)."""
    if target.exists() and any(target.iterdir()):
        problems = Problems()
        problems.error(Location(str(target)), "", "the folder is not empty",
                       "give the path of a new or empty folder")
        raise BriefingError(problems)
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(STARTER, target, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    theme = default_theme()
    if theme.is_dir():
        shutil.copytree(theme, target / "templates", dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__"))
    (target / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    write_example(target)
    write_schemas(target / "schemas")
    vscode = target / ".vscode"
    vscode.mkdir(exist_ok=True)
    (vscode / "settings.json").write_text(json.dumps(editor_settings(), indent=2) + "\n",
                                          encoding="utf-8")
    return sorted(p for p in target.rglob("*") if p.is_file())
