"""Reading an unchanged article twice is wasted work: remember what each read gave.

An article's result depends only on its own files and the config. It is kept
with the files' sizes, times and inodes (their stamp) and reused while
the stamp holds; a different config (or a different version of briefing)
empties the cache. The watch mode keeps one in memory; `briefing build` keeps
it on disk in .briefing-cache/, which is safe to delete at any time.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import tempfile
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

from briefing import __version__
from briefing.content.articles import ArticleFiles, LoadedArticle
from briefing.content.days import Curation
from briefing.content.files import stamp, stat_through
from briefing.content.reading import CachedRead, Read
from briefing.content.registries import Registries
from briefing.errors import Problem
from briefing.model import Day
from briefing.setaside import SetAside, set_aside

#: (path, size, mtime and ctime in ns, inode) of each file an article was read from.
Stamp = tuple[tuple[str, int, int, int, int], ...]

#: Bump when the shape of cached values changes.
FORMAT = 7


#: The cache is kept in this many files, so that one edit rewrites one of them:
#: re-pickling a year of articles after every save took longer than the save's build.
SHARDS = 32
#: Name prefix of a shard's bytes as read in a worker, waiting beside the shards (put_pickled).
WAITING = ".read-"
#: Seconds after which such a file can only be left by a build that was killed.
LEFT_AFTER = 3600


def shard_of(meta: str) -> int:
    return zlib.crc32(meta.encode()) % SHARDS


@dataclass(frozen=True, slots=True)
class Checks:
    """What the checks across articles found, and when the clock will change that."""

    problems: tuple[Problem, ...]
    at: datetime  # the clock the dates were checked against
    future_from: datetime | None  # the earliest article date still in the future then

    def hold(self, now: datetime) -> bool:
        """Whether the same articles checked at ``now`` give the same problems."""
        return now >= self.at and (self.future_from is None or now < self.future_from)


class Resolution(NamedTuple):
    """An article as read, as resolved against the registries, and what resolving it found."""

    read: LoadedArticle
    resolved: LoadedArticle
    problems: tuple[Problem, ...]


@dataclass(slots=True)
class ArticlePass:
    """Every article of one listing as read and as resolved, by its index in the listing.

    A load told which files changed copies the lists and redoes only the articles
    those files belong to: the work follows the edit, not the size of the briefing.
    """

    every: list[ArticleFiles]  # the listing, in path order
    reads: list[Read]  # what reading each gave
    resolved: list[Resolution | None]  # None where the read gave no article
    _index: dict[str, int] = field(default_factory=dict)

    def indexes_of(self, paths: Iterable[str]) -> set[int]:
        """The articles some of whose files are among ``paths``."""
        if not self._index:
            self._index = {path: i for i, files in enumerate(self.every) for path in files.paths}
        return {i for path in paths if (i := self._index.get(path)) is not None}

    def share_index(self, other: ArticlePass) -> None:
        """Take over the index of a pass over the same listing (it is the same)."""
        if other.every is self.every:
            self._index = other._index


@dataclass(slots=True)
class LastLoad:
    """What the last load through a cache found, part by part, with the problems of each.

    The watch mode knows which paths changed; the next load takes every part that
    none of them touches from here instead of reading and checking it again.
    Kept in memory only.
    """

    key: str  # the config the load was made with
    articles: list[ArticleFiles]  # as discovered, in path order
    discovery_problems: tuple[Problem, ...]
    listings: dict[str, frozenset[str]]  # folder under content/articles -> its entries
    registries: Registries
    registry_problems: tuple[Problem, ...]
    reference_problems: tuple[Problem, ...]  # of the registries' own references
    media: tuple[str, ...]
    media_problems: tuple[Problem, ...]
    curations: dict[date, Curation]
    curation_problems: tuple[Problem, ...]
    passed: ArticlePass
    drafts: bool = False
    days: dict[date, Day] | None = None  # as assembled, with the problems that found
    day_problems: tuple[Problem, ...] = ()
    checks: Checks | None = None


@dataclass(slots=True)
class LoadCache:
    key: str = ""
    articles: dict[str, CachedRead] = field(default_factory=dict)
    changed: set[int] = field(default_factory=set)  # shards changed since read: worth writing
    last: LastLoad | None = None  # not stored on disk
    folder: Path | None = None  # where read() looked: put_pickled leaves its bytes there
    #: Shards read together in a worker: their entries, and the file their bytes wait in.
    pickled: dict[int, tuple[dict[str, CachedRead], Path]] = field(default_factory=dict, repr=False)
    set_aside: SetAside | None = None  # what read() found broken, and where it put it

    @property
    def dirty(self) -> bool:
        return bool(self.changed)

    def begin(self, key: str) -> None:
        """Start a load with a config digest: a different one empties the cache."""
        full = f"{FORMAT}:{__version__}:{key}"
        if full != self.key:
            self.key = full
            self.articles.clear()
            self.drop_pickled()
            self.changed = set(range(SHARDS))

    def get(self, files: ArticleFiles, stamp: Stamp) -> Read | None:
        found = self.articles.get(files.meta)
        if found is not None and found.stamp == stamp:
            return Read(found.item, found.problems)
        return None

    def put(self, files: ArticleFiles, stamp: Stamp, value: LoadedArticle | None,
            problems: tuple[Problem, ...]) -> None:
        self.articles[files.meta] = CachedRead(stamp, value, problems)
        self.changed.add(shard_of(files.meta))

    def put_pickled(self, shard: int, data: bytes) -> dict[str, CachedRead]:
        """The entries of one shard read together in a worker, from ``data``, the
        pickle they came in. ``write`` stores those bytes as they are while the shard
        holds just these entries, so that a full build pickles each article once, in
        the worker that read it, not again at its end (a second at 10,000 articles).
        The bytes wait in a file beside the shards, not in memory (84 MB at 10,000)."""
        with _collector_paused():
            entries: dict[str, CachedRead] = pickle.loads(data)
        self.articles.update(entries)
        self.changed.add(shard)
        if self.folder is not None:
            # Worth a second at the end, no more: a full disk or a read-only folder builds on.
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                handle, name = tempfile.mkstemp(dir=self.folder, prefix=WAITING)  # builds side by side
            except OSError:
                return entries
            waiting = Path(name)
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(data)
            except OSError:
                waiting.unlink(missing_ok=True)
                return entries
            self.pickled[shard] = (entries, waiting)
        return entries

    def drop_pickled(self) -> None:
        """Delete the bytes waiting for ``write`` (a build that failed writes no cache)."""
        for _entries, waiting in self.pickled.values():
            waiting.unlink(missing_ok=True)
        self.pickled.clear()

    def forget_except(self, kept: set[str]) -> None:
        """Drop entries of articles that no longer exist."""
        for gone in set(self.articles) - kept:
            del self.articles[gone]
            self.changed.add(shard_of(gone))

    # --- on disk: a folder with the key and one file per shard ---------------------------

    @classmethod
    def read(cls, folder: Path) -> LoadCache:
        """The cache stored in ``folder``; an empty one when there is none yet (or a write was
        killed before its key, which is written last), or when what is there cannot be read:
        then it is set aside beside itself, so that the next write starts clean, and
        ``set_aside`` says so."""
        cache = cls(folder=folder)
        if not os.path.lexists(folder) or (folder.is_dir() and not os.path.lexists(folder / "key")):
            return cache
        if not folder.is_dir():
            cache.set_aside = set_aside(folder, "not a folder")
            return cache
        try:
            with (folder / "key").open("rb") as handle:
                cache.key = handle.read().decode("utf-8")
            for shard in range(SHARDS):
                with (folder / f"{shard:02d}.pickle").open("rb") as handle, _collector_paused():
                    part = pickle.load(handle)
                if not isinstance(part, dict):
                    raise TypeError(f"{shard:02d}.pickle holds {type(part).__name__}, not a shard")
                cache.articles.update(part)
        except Exception as exc:  # damaged pickles raise anything: none may fail a build
            cache = cls(folder=folder)
            cache.set_aside = set_aside(folder, _reason(exc, folder))
        return cache

    def write(self, folder: Path) -> None:
        """Store the changed shards, each atomically: a crash leaves a shard old or new,
        never half of one (and a stale shard only means articles read again)."""
        folder.mkdir(parents=True, exist_ok=True)
        parts: dict[int, dict[str, CachedRead]] = {shard: {} for shard in self.changed}
        for meta, entry in self.articles.items():
            part = parts.get(shard_of(meta))
            if part is not None:
                part[meta] = entry
        if (folder / "key").is_file() and (folder / "key").read_text(encoding="utf-8") != self.key:
            (folder / "key").unlink()  # shards of two keys must never be read as one cache
        for shard, part in sorted(parts.items()):
            if not self._move_as_read(shard, part, folder / f"{shard:02d}.pickle"):
                _write_atomically(folder / f"{shard:02d}.pickle",
                                  pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL))
        self.drop_pickled()  # shards that changed after they were read
        for left in folder.glob(f"{WAITING}*"):  # of builds killed long ago, not of one running now
            with contextlib.suppress(OSError):
                if left.stat().st_mtime < time.time() - LEFT_AFTER:
                    left.unlink()
        _write_atomically(folder / "key", self.key.encode("utf-8"))
        self.changed.clear()

    def _move_as_read(self, shard: int, part: dict[str, CachedRead], target: Path) -> bool:
        """Put the bytes the shard was read in at ``target``, if it holds the very same entries."""
        found = self.pickled.get(shard)
        if found is None:
            return False
        entries, waiting = found
        if entries.keys() != part.keys() or any(part[meta] is not entry for meta, entry in entries.items()):
            return False
        try:
            os.replace(waiting, target)
        except OSError:
            return False
        return True


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Unpickling a year of articles makes ~400,000 objects, none of them in a cycle:
    the garbage collector would walk them for nothing (a fifth of reading the cache)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _reason(exc: BaseException, folder: Path) -> str:
    """What went wrong, in a few words: 'key: not UTF-8', '03.pickle: Is a directory'."""
    if isinstance(exc, UnicodeDecodeError):
        return "key: not UTF-8"
    if isinstance(exc, OSError):
        where = Path(exc.filename).name if exc.filename and Path(exc.filename) != folder else folder.name
        return f"{where}: {exc.strerror or exc}"
    return f"{type(exc).__name__}: {exc}"[:120]


def stamp_of(root: Path, files: ArticleFiles) -> Stamp | None:
    """The files' stamp, or None when one of them cannot be read (it will be reported)."""
    stamps = []
    base = f"{root}/"  # strings, not Paths: this runs for every article of every build
    for rel in files.paths:
        try:
            stat, linked = stat_through(base + rel)
        except OSError:
            return None
        stamps.append((rel if linked is None else f"{rel}\0link {linked}", *stamp(stat)))
    return tuple(stamps)
