"""The theme of a build: the briefing's own templates/ over the default theme.

Any template, static file or translation table in the briefing's templates/
replaces the default file of the same path. This module owns the lookup
order, the list of static files, and a fingerprint for each template (its
source and everything it extends, includes or imports), so that a template
edit re-renders exactly the pages that use it. The rule of content/ holds in
the briefing's templates/ too: a file there that is a link out of it, or a
named pipe or a device, is neither read nor published (:meth:`Theme.problems`).
"""

from __future__ import annotations

import hashlib
import os
import posixpath
from collections.abc import Callable
from functools import cached_property
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, TemplateNotFound, meta
from jinja2.loaders import split_template_path

from briefing.content.files import link_problem, linked_out, special_kind, special_problem
from briefing.content.files import stamp as file_stamp
from briefing.errors import Problem, Problems

STATIC_DIR = "static"
I18N_DIR = "i18n"
TEMPLATES_DIR = "templates"

_PACKAGE = Path(__file__).resolve().parent.parent


def default_theme() -> Path:
    """The default theme: inside an installed package, else this repository's templates/.

    In this repository the default theme is the top-level templates/ folder (the
    repository is itself a briefing); wheels carry a copy as briefing/theme/
    (see pyproject.toml).
    """
    packaged = _PACKAGE / "theme"
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent / "templates"


class Theme:
    def __init__(self, root: Path, *, default: Path | None = None) -> None:
        self.root = root.resolve()
        self.own = self.root / TEMPLATES_DIR
        base = (default or default_theme()).resolve()
        self.dirs: tuple[Path, ...] = tuple(dict.fromkeys(d for d in (self.own, base) if d.is_dir()))
        self._refs: dict[str, list[str]] = {}
        self._fingerprints: dict[str, str] = {}

    @cached_property
    def refused(self) -> dict[Path, Problem]:
        """The files of the briefing's own templates/ that are not read, each with the error
        saying why: links out of it (to /etc/passwd, say), named pipes, sockets, devices."""
        found: dict[Path, Problem] = {}
        for dirpath, dirnames, filenames in os.walk(self.own):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                path = Path(dirpath) / name
                said = Problems()
                if linked_out(path, self.own):
                    link_problem(self.shown(path), path, f"{TEMPLATES_DIR}/", said)
                else:
                    try:
                        kind = special_kind(os.stat(path).st_mode)
                    except OSError:
                        continue  # a link to nothing: as good as no file (the default theme's wins)
                    if kind is not None:
                        special_problem(self.shown(path), kind, said)
                found.update((path, problem) for problem in said)
        return found

    def problems(self) -> Problems:
        """An error for each file of the briefing's templates/ that is not read (:attr:`refused`)."""
        return Problems(self.refused[path] for path in sorted(self.refused))

    @cached_property
    def loader(self) -> FileSystemLoader:
        return _Loader([str(d) for d in self.dirs], {str(p) for p in self.refused})

    def find(self, name: str) -> Path | None:
        """The file that wins for a theme path, or None (also when the briefing's is refused)."""
        for folder in self.dirs:
            candidate = folder / name
            if candidate in self.refused:
                return None
            if candidate.is_file():
                return candidate
        return None

    def shown(self, path: Path) -> str:
        """A theme file's path as the curator knows it: relative to the briefing if inside it."""
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else str(path)

    def static_files(self) -> dict[str, Path]:
        """Theme path ('static/style.css') -> file, the briefing's own winning."""
        found: dict[str, Path] = {}
        for folder in reversed(self.dirs):
            base = folder / STATIC_DIR
            for dirpath, dirnames, filenames in os.walk(base):
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                for name in filenames:
                    path = Path(dirpath) / name
                    if not name.startswith(".") and path not in self.refused:
                        found[path.relative_to(folder).as_posix()] = path
        return dict(sorted(found.items()))

    def source(self, name: str) -> str:
        path = self.find(name)
        if path is None:
            raise FileNotFoundError(name)
        return path.read_text(encoding="utf-8")

    def stamp(self) -> tuple[tuple[object, ...], ...]:
        """The stamp (files.stamp) of every theme file: equal stamps, equal theme."""
        found = []
        for folder in self.dirs:
            for dirpath, dirnames, filenames in os.walk(folder):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    path = os.path.join(dirpath, name)
                    found.append((path, *file_stamp(os.stat(path))))
        return tuple(found)

    def dependencies(self, env: Environment, name: str) -> list[str]:
        """The template and every template it pulls in, transitively, in a stable order."""
        seen: dict[str, None] = {}
        pending = [name]
        while pending:
            current = pending.pop()
            if current in seen:
                continue
            seen[current] = None
            pending.extend(self._references(env, current))
        return sorted(seen)

    def _references(self, env: Environment, name: str) -> list[str]:
        # Parsing is the slow part of a template's fingerprint: parse each file once
        # per Theme (a Theme lives as long as its files are unchanged).
        found = self._refs.get(name)
        if found is None:
            ast = env.parse(self.source(name), name)
            found = self._refs[name] = sorted(n for n in meta.find_referenced_templates(ast) if n)
        return found

    def fingerprint(self, env: Environment, name: str) -> str:
        found = self._fingerprints.get(name)
        if found is None:
            digest = hashlib.blake2b(digest_size=16)
            for dependency in self.dependencies(env, name):
                digest.update(dependency.encode())
                digest.update(self.source(dependency).encode())
            found = self._fingerprints[name] = digest.hexdigest()
        return found


class _Loader(FileSystemLoader):
    """Jinja's loader of the theme's folders, which stops at a refused file (Theme.refused)
    instead of reading it, or passing over it to the default theme's."""

    def __init__(self, searchpath: list[str], refused: set[str]) -> None:
        super().__init__(searchpath, followlinks=False)
        self.refused = refused

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for searchpath in self.searchpath:
            filename = posixpath.join(searchpath, *pieces)
            if filename in self.refused:
                raise TemplateNotFound(template, f"{template!r} is refused: see the errors about templates/")
            if os.path.isfile(filename):
                break
        return super().get_source(environment, template)
