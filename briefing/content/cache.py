"""Reading an unchanged article twice is wasted work: remember what each read gave.

An article's result depends only on its own files and the config. It is kept
with the files' sizes and modification times (their stamp) and reused while
the stamp holds; a different config (or a different version of briefing)
empties the cache. The watch mode keeps one in memory; `briefing build` keeps
it on disk in .briefing-cache/, which is safe to delete at any time.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from briefing import __version__
from briefing.content.articles import ArticleFiles, LoadedArticle
from briefing.errors import Problem

#: (path, size, mtime in ns) of each file an article was read from.
Stamp = tuple[tuple[str, int, int], ...]

#: An article's stamp, what reading it gave (None: unusable) and the problems found.
Entry = tuple[Stamp, LoadedArticle | None, tuple[Problem, ...]]

#: Bump when the shape of cached values changes.
FORMAT = 1


@dataclass(slots=True)
class LoadCache:
    key: str = ""
    articles: dict[str, Entry] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0
    dirty: bool = False  # changed since read: worth writing back

    def begin(self, key: str) -> None:
        """Start a load with a config digest: a different one empties the cache."""
        full = f"{FORMAT}:{__version__}:{key}"
        if full != self.key:
            self.key = full
            self.articles.clear()
            self.dirty = True
        self.hits = self.misses = 0

    def get(self, files: ArticleFiles,
            stamp: Stamp) -> tuple[LoadedArticle | None, tuple[Problem, ...]] | None:
        found = self.articles.get(files.meta)
        if found is not None and found[0] == stamp:
            self.hits += 1
            return found[1], found[2]
        self.misses += 1
        return None

    def put(self, files: ArticleFiles, stamp: Stamp, value: LoadedArticle | None,
            problems: tuple[Problem, ...]) -> None:
        self.articles[files.meta] = (stamp, value, problems)
        self.dirty = True

    def forget_except(self, kept: set[str]) -> None:
        """Drop entries of articles that no longer exist."""
        for gone in set(self.articles) - kept:
            del self.articles[gone]
            self.dirty = True

    # --- on disk ---------------------------------------------------------------------

    @classmethod
    def read(cls, path: Path) -> LoadCache:
        """The cache stored at ``path``, or an empty one when it is missing or unreadable."""
        try:
            with path.open("rb") as handle:
                value = pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError,
                TypeError, ValueError):
            return cls()
        if not isinstance(value, cls):
            return cls()
        value.dirty = False
        return value

    def write(self, path: Path) -> None:
        """Store atomically: a crash leaves the old cache or the new one, never half of one."""
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(self, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def stamp_of(root: Path, files: ArticleFiles) -> Stamp | None:
    """The files' stamp, or None when one of them cannot be read (it will be reported)."""
    stamps = []
    for rel in files.paths:
        try:
            stat = (root / rel).stat()
        except OSError:
            return None
        stamps.append((rel, stat.st_size, stat.st_mtime_ns))
    return tuple(stamps)
