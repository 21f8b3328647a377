"""The site folder: the one place that reads and writes site/.

The published site changes all at once or not at all, and nothing temporary is
ever inside it. Everything a build writes goes first into a folder beside the
output folder (the same file system, so a full disk, a read-only folder or a
missing permission shows before any live file is touched):

- a whole new site (:class:`Staging`, a first build or a large change) is then
  swapped for the old one in one atomic exchange of the two folders (Linux
  renameat2 RENAME_EXCHANGE; elsewhere two renames in a row, undone by
  :meth:`SiteFolder.recover` if interrupted between them);
- a small change (:class:`Change`) writes its files, the new manifest and the
  new search index there, then a journal, and only then moves them into place.
  Once the journal is written the change is decided: a build killed while
  moving is finished by the next run (:meth:`SiteFolder.recover`, which every
  build, ``serve`` and ``watch`` call first, under the lock); one killed
  before it leaves the live site as it was.

The manifest (``.briefing-build.json``) names each file with the fingerprint of
what it was built from, and the fingerprint of the pages the search index
covers; it moves last, with the pages it describes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import BriefingError, Level, Location, Problem, Problems

#: Written into every built site; a folder without it is never replaced.
MARKER = ".briefing-build.json"
#: The folder of the site that holds the search index.
SEARCH_INDEX = "pagefind"
#: The manifest's key for the pages the search index covers.
SEARCH_KEY = "search"

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_JOURNAL = "journal.json"
_NOTE = Level.WARNING


@dataclass(frozen=True, slots=True)
class SourceFile:
    """Copy this file (a theme asset, an image under content/)."""

    path: Path


@dataclass(frozen=True, slots=True)
class Reuse:
    """Keep this file from the previous build: its inputs did not change."""

    path: Path


Data = bytes | SourceFile | Reuse


@dataclass(frozen=True, slots=True)
class Manifest:
    """What the last build left: each file's fingerprint, and what the search index covers."""

    files: dict[str, str]
    search: str = ""  # the fingerprint of the pages the index was built from ("": none)

    def encode(self, version: str) -> bytes:
        # Compact: the C encoder (indenting is pure Python; the watch mode writes this after every save).
        data: dict[str, object] = {"version": version, "files": dict(sorted(self.files.items()))}
        if self.search:
            data[SEARCH_KEY] = self.search
        return json.dumps(data, separators=(",", ":")).encode("utf-8")


class SiteFolder:
    """The output folder of one briefing: its files, its manifest, its changes."""

    def __init__(self, path: Path) -> None:
        self.path = path.resolve()

    def check(self, root: Path) -> None:
        """Refuse a folder that overlaps the briefing's sources or was not built by briefing."""
        _check_output_folder(self.path, root)

    def sibling(self, kind: str) -> Path:
        """A name beside the folder for one of its helpers: '.site.lock', '.site.change-12'."""
        return self.path.parent / f".{self.path.name}.{kind}"

    # --- reading -------------------------------------------------------------------------

    def manifest(self) -> dict[str, str]:
        """The last build's fingerprints by file, or nothing."""
        return self.read_manifest().files

    def read_manifest(self) -> Manifest:
        try:
            data = json.loads((self.path / MARKER).read_text(encoding="utf-8"))
            files = data.get("files", {})
            search = data.get(SEARCH_KEY, "")
        except (OSError, ValueError, AttributeError):
            return Manifest({})
        if not isinstance(files, dict):
            return Manifest({})
        return Manifest({str(k): str(v) for k, v in files.items()}, search if isinstance(search, str) else "")

    def built(self) -> bool:
        """Whether a build of briefing left this folder (its marker is there)."""
        return (self.path / MARKER).is_file()

    def stamp(self) -> tuple[int, ...]:
        """The marker's inode, size and times: every build that changes the site rewrites it."""
        try:
            stat = (self.path / MARKER).stat()
        except OSError:
            return (0, 0, 0, 0)
        return (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)

    def complete(self, *, search: bool = False) -> bool:
        """Every file the manifest names is there, and with ``search`` the index it records
        (somebody may have deleted one, or a build may have been stopped before it)."""
        manifest = self.read_manifest()
        if not manifest.files:
            return False
        if search and not (manifest.search and (self.path / SEARCH_INDEX).is_dir()):
            return False
        return all(os.path.isfile(os.path.join(self.path, rel)) for rel in manifest.files)

    def settled(self) -> bool:
        """No build left a change half-published or a swap half-done (recover() would act)."""
        name = self.path.name
        return self.path.exists() and not any(
            any(self.path.parent.glob(f".{name}.{kind}-*")) for kind in ("change", "old"))

    def has(self, rel: str) -> bool:
        return (self.path / rel).is_file()

    def has_folder(self, rel: str) -> bool:
        return (self.path / rel).is_dir()

    def size(self, rel: str) -> int:
        return (self.path / rel).stat().st_size

    def holds(self, rel: str, data: bytes) -> bool:
        """Whether the file ``rel`` holds exactly ``data``."""
        try:
            target = self.path / rel
            return target.stat().st_size == len(data) and target.read_bytes() == data
        except OSError:
            return False

    def files_under(self, folder: str) -> list[str]:
        """The files in one folder of the site, as site paths, sorted."""
        base = self.path / folder
        return sorted(f.relative_to(self.path).as_posix() for f in base.rglob("*") if f.is_file())

    def reuse(self, rel: str) -> Reuse:
        """Data that keeps this site's file ``rel`` in a new site."""
        return Reuse(self.path / rel)

    def published(self, path: str) -> Path | str | None:
        """The file a reader's address (``/2024/08/16/``, below the base path) names; the
        address with a slash added when it names a folder without one; None for anything
        else. Never a file outside the folder, nor a hidden one (the marker)."""
        parts = [part for part in path.split("/") if part not in ("", ".")]
        if "\0" in path or any(part == ".." or part.startswith(".") or "\\" in part for part in parts):
            return None
        target = self.path.joinpath(*parts).resolve()
        if not target.is_relative_to(self.path):
            return None  # a symlink pointing out of the folder
        if target.is_dir():
            if not path.endswith("/"):
                return path + "/"
            target = target / "index.html"
        return target if target.is_file() else None

    # --- writing -------------------------------------------------------------------------

    def stage(self) -> Staging:
        """A whole new site, swapped in on commit."""
        return Staging(self)

    def link_view(self, pages: Iterable[str], view: Path) -> None:
        """The pages as they are now, linked into ``view``: what an index made later, while
        the site may change, reads."""
        _link((self.path / rel, view / rel) for rel in pages)

    def change(self) -> Change:
        """A change to the live site: files written beside it, moved in on commit."""
        return Change(self)

    def recover(self) -> list[Problem]:
        """Finish what a killed build decided, undo what it had not, remove what it left.
        Call it first, holding the lock; returns a note for each thing done."""
        notes: list[Problem] = []
        shown = Location(str(self.path))
        for leftover in sorted(self.path.parent.glob(f".{self.path.name}.change-*")):
            if (leftover / _JOURNAL).is_file():
                Change.finish(self, leftover)
                notes.append(Problem(_NOTE, shown, "", "a build stopped while publishing its changes; "
                                     "they were published now"))
            shutil.rmtree(leftover, ignore_errors=True)
        olds = sorted(self.path.parent.glob(f".{self.path.name}.old-*"))
        if not self.path.exists() and olds:  # stopped between two renames (no renameat2): undo
            os.rename(olds[-1], self.path)
            notes.append(Problem(_NOTE, shown, "", "a build stopped while replacing the site; "
                                 "the previous site was put back"))
            olds = olds[:-1]
        for leftover in (*olds, *self.path.parent.glob(f".{self.path.name}.staging-*"),
                         *self.path.parent.glob(f".{self.path.name}.index-*")):
            if not _in_use(leftover):
                shutil.rmtree(leftover, ignore_errors=True)
        return notes


class Staging:
    """A whole new site beside the live one: put files in, then commit to swap it in.

    Leaving the ``with`` block without committing removes the staging folder
    and leaves the live site as it was.
    """

    def __init__(self, folder: SiteFolder) -> None:
        self.out = folder.path
        self.path = folder.sibling(f"staging-{os.getpid()}")
        self._folders: set[Path] = set()
        self._committed = False

    def __enter__(self) -> Staging:
        self.out.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir()
        return self

    def __exit__(self, *exc: object) -> None:
        if not self._committed:
            shutil.rmtree(self.path, ignore_errors=True)

    def put(self, rel: str, data: Data) -> None:
        _put(self.path / rel, data, self._folders)

    def commit(self, manifest: Manifest, *, version: str) -> None:
        """Record what was built, then replace the live site with the staging folder."""
        (self.path / MARKER).write_bytes(manifest.encode(version))
        _swap(self.path, self.out)
        self._committed = True


class Change:
    """Some files of the live site replaced, some removed, the search index perhaps made
    anew: all written beside the site first, then moved in.

    ``put`` and ``remove`` gather the change; ``commit`` writes the journal (the change
    is then decided) and moves everything in, the manifest last. Leaving the ``with``
    block without committing leaves the live site as it was.
    """

    def __init__(self, folder: SiteFolder) -> None:
        self.folder = folder
        self.path = folder.sibling(f"change-{os.getpid()}")
        self._files = self.path / "files"
        self._folders: set[Path] = set()
        self.moves: list[str] = []
        self.removes: list[str] = []
        self.index: Path | None = None  # the new search index, when made
        self._committed = False

    def __enter__(self) -> Change:
        self.folder.path.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(self.path, ignore_errors=True)
        self._files.mkdir(parents=True)
        return self

    def __exit__(self, *exc: object) -> None:
        if not self._committed:
            shutil.rmtree(self.path, ignore_errors=True)

    def put(self, rel: str, data: Data) -> None:
        _put(self._files / rel, data, self._folders)
        self.moves.append(rel)

    def remove(self, rel: str) -> None:
        self.removes.append(rel)

    def search_index(self, pages: Iterable[str], make: Callable[[Path, Path], None]) -> None:
        """Make the search index of the site as it will be: ``make(site, index)`` reads a
        view of the new site's ``pages`` (links to the live files and to this change's)
        and writes the index into ``index``."""
        view, changed = self.path / "view", set(self.moves)
        _link(((self._files if rel in changed else self.folder.path) / rel, view / rel) for rel in pages)
        self.index = self.path / "index"
        make(view, self.index)
        shutil.rmtree(view)

    def adopt_index(self, index: Path) -> None:
        """Publish with this change a search index made apart (on the same file system)."""
        self.index = self.path / "index"
        os.rename(index, self.index)

    def commit(self, manifest: Manifest, *, version: str) -> None:
        """Decide the change (the journal), then publish it."""
        _check_folders(self.folder.path, self.moves)
        _put(self._files / MARKER, manifest.encode(version), self._folders)
        journal = {"moves": [*self.moves, MARKER], "removes": self.removes,
                   "index": self.index.stat().st_ino if self.index is not None else None}
        temporary = self.path / f"{_JOURNAL}.new"
        with temporary.open("wb") as handle:
            handle.write(json.dumps(journal).encode())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.path / _JOURNAL)  # from here on, the change is made
        self._committed = True
        Change.finish(self.folder, self.path)
        shutil.rmtree(self.path, ignore_errors=True)

    @staticmethod
    def finish(folder: SiteFolder, path: Path) -> None:
        """Move a decided change into place; every step can be done again (a run killed
        half-way through is finished by the next, from the journal)."""
        journal = json.loads((path / _JOURNAL).read_text(encoding="utf-8"))
        out, files = folder.path, path / "files"
        made: set[Path] = set()
        for rel in journal["moves"]:
            source = files / rel
            if source.exists():
                target = out / rel
                if target.parent not in made:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    made.add(target.parent)
                os.replace(source, target)
        for rel in journal["removes"]:
            _remove(out, rel)
        inode = journal.get("index")
        index = path / "index"
        if inode is not None and index.is_dir() and index.stat().st_ino == inode:
            live = out / SEARCH_INDEX
            if not live.exists():
                os.rename(index, live)
            elif live.stat().st_ino != inode and not _exchange(index, live):
                shutil.rmtree(path / "index-old", ignore_errors=True)
                os.rename(live, path / "index-old")
                os.rename(index, live)


def _put(target: Path, data: Data, folders: set[Path]) -> None:
    if target.parent not in folders:
        target.parent.mkdir(parents=True, exist_ok=True)
        folders.add(target.parent)
    if isinstance(data, bytes):
        target.write_bytes(data)
    elif isinstance(data, Reuse):
        try:  # the old site is thrown away after the swap: sharing its inode is safe
            os.link(data.path, target)
        except OSError:
            shutil.copyfile(data.path, target)
    else:
        shutil.copyfile(data.path, target)


def _link(pairs: Iterable[tuple[Path, Path]]) -> None:
    """Hard links (source, target): a view of files that costs no copy."""
    folders: set[Path] = set()
    for source, target in pairs:
        if target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        os.link(source, target)


def _check_folders(out: Path, rels: Iterable[str]) -> None:
    """A file of the live site where a change needs a folder would stop it half-way:
    refuse before anything moves."""
    seen: set[str] = set()
    for rel in rels:
        parts = rel.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            folder = "/".join(parts[:depth])
            if folder in seen:
                continue
            seen.add(folder)
            path = out / folder
            if path.exists() and not path.is_dir():
                raise NotADirectoryError(20, "a file is where the site needs a folder", str(path))


def _remove(out: Path, rel: str) -> None:
    """Remove a file that no longer belongs, and the folders it leaves empty."""
    target = out / rel
    target.unlink(missing_ok=True)
    folder = target.parent
    while folder != out and folder.is_relative_to(out):
        try:
            folder.rmdir()
        except OSError:
            break
        folder = folder.parent


def _check_output_folder(out: Path, root: Path) -> None:
    """Refuse an output folder that overlaps the briefing's sources or is not ours."""
    out, root = out.resolve(), root.resolve()
    problems = Problems()
    for folder in (root / "content", root / "templates"):
        if out.is_relative_to(folder) or folder.is_relative_to(out):
            problems.error(Location(str(out)), "out",
                           f"the output folder overlaps {folder}: building there could "
                           "overwrite the briefing's own files",
                           "build into a separate folder such as site/")
            raise BriefingError(problems)
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        problems.error(Location(str(out)), "out",
                       "the output folder exists and was not built by briefing; it is left alone",
                       "remove it, or choose another folder with --out")
        raise BriefingError(problems)


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        os.rename(staging, out)
        return
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if _exchange(staging, out):
        os.rename(staging, old)  # the staging name now holds the previous site
    else:
        os.rename(out, old)  # a killed build here leaves no site: recover() puts it back
        os.rename(staging, out)
    _remove_later(old)


def _remove_later(folder: Path) -> None:
    """Delete the previous site in a process of its own: tens of thousands of files take
    seconds to unlink, and the new site is already in place. Should that process
    die, the next build removes what is left (SiteFolder.recover)."""
    _cleaners[:] = [p for p in _cleaners if p.poll() is None]  # reap the finished ones
    try:
        cleaner = subprocess.Popen(
            [sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)",
             str(folder)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        return
    _cleaners.append(cleaner)


_cleaners: list[subprocess.Popen[bytes]] = []


def _in_use(folder: Path) -> bool:
    """Whether a helper folder belongs to this process (recover runs under the build lock,
    so any other one was left by a build that is gone)."""
    return folder.name.rsplit("-", 1)[-1] == str(os.getpid())


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders (Linux renameat2); False where unsupported."""
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        libc = ctypes.CDLL(name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)
