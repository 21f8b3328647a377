"""The site folder: the one place that reads and writes site/.

A failed build never leaves a half-written site: a whole new site is written
beside the output folder (same file system) and the folder is replaced only
once every file is in place. Where Linux offers it, the swap is a single atomic
exchange of the two folders (renameat2 RENAME_EXCHANGE); elsewhere two renames
follow each other immediately. Files of earlier builds that no longer belong
vanish with the old folder. A small change replaces its files one by one, each
atomically (:meth:`SiteFolder.write`). The build, the watch mode, the search
index and the build stamp all go through :class:`SiteFolder`.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import BriefingError, Location, Problems

#: Written into every built site; a folder without it is never replaced.
MARKER = ".briefing-build.json"
#: The folder of the site that holds the search index.
SEARCH_INDEX = "pagefind"

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@dataclass(frozen=True, slots=True)
class SourceFile:
    """Copy this file (a theme asset, an image under content/)."""

    path: Path


@dataclass(frozen=True, slots=True)
class Reuse:
    """Keep this file from the previous build: its inputs did not change."""

    path: Path


Data = bytes | SourceFile | Reuse


class SiteFolder:
    """The output folder of one briefing: its files, its manifest, its swaps."""

    def __init__(self, path: Path) -> None:
        self.path = path.resolve()

    def check(self, root: Path) -> None:
        """Refuse a folder that overlaps the briefing's sources or was not built by briefing."""
        _check_output_folder(self.path, root)

    # --- reading -------------------------------------------------------------------------

    def manifest(self) -> dict[str, str]:
        """The last build's fingerprints by file, or nothing."""
        return read_manifest(self.path)

    def built(self) -> bool:
        """Whether a build of briefing left this folder (its marker is there)."""
        return (self.path / MARKER).is_file()

    def stamp(self) -> tuple[int, int, int]:
        """The marker's inode, size and time: every build that changes the site rewrites it."""
        try:
            stat = (self.path / MARKER).stat()
        except OSError:
            return (0, 0, 0)
        return (stat.st_ino, stat.st_size, stat.st_mtime_ns)

    def complete(self, *, folders: tuple[str, ...] = ()) -> bool:
        """Every file the manifest names is there, and each of ``folders`` (somebody may have
        deleted one)."""
        try:
            files = json.loads((self.path / MARKER).read_text(encoding="utf-8"))["files"]
        except (OSError, ValueError, KeyError, TypeError):
            return False
        if not all((self.path / folder).is_dir() for folder in folders):
            return False
        return all(os.path.isfile(os.path.join(self.path, rel)) for rel in files)

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

    def published(self, path: str) -> Path | str | None:
        """The file a reader's address (``/2024/08/16/``, below the base path) names; the
        address with a slash added when it names a folder without one; None for anything
        else. Never a file outside the folder, nor a hidden one (the marker, temporary files)."""
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

    def reuse(self, rel: str) -> Reuse:
        """Data that keeps this site's file ``rel`` in a new site."""
        return Reuse(self.path / rel)

    # --- writing -------------------------------------------------------------------------

    def stage(self) -> Staging:
        """A whole new site, swapped in on commit."""
        return Staging(self.path)

    def write(self, rel: str, data: Data) -> None:
        """Replace one file atomically: readers see the old file or the new one, never half."""
        write_file(self.path / rel, data)

    def remove(self, rel: str) -> None:
        """Remove a file that no longer belongs, and the folders it leaves empty."""
        remove_file(self.path, rel)

    def write_manifest(self, manifest: Mapping[str, str], *, version: str) -> None:
        write_manifest(self.path, manifest, version=version)

    def replace_folder(self, rel: str, fill: Callable[[Path], None]) -> None:
        """Make one folder of the live site anew (the search index): ``fill`` writes it
        beside the old one, which is then swapped out; readers meanwhile use the old one."""
        fresh = self.path / f".{rel}-new"
        shutil.rmtree(fresh, ignore_errors=True)
        fill(fresh)
        current, old = self.path / rel, self.path / f".{rel}-old"
        shutil.rmtree(old, ignore_errors=True)
        if current.exists():
            current.rename(old)
        fresh.rename(current)
        shutil.rmtree(old, ignore_errors=True)


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


def read_manifest(out: Path) -> dict[str, str]:
    """The previous build's fingerprints by file, or nothing."""
    try:
        data = json.loads((out / MARKER).read_text(encoding="utf-8"))
        files = data.get("files", {})
        return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}
    except (OSError, ValueError):
        return {}


class Staging:
    """A staging folder beside ``out``: put files in, then commit to swap it in.

    Leaving the ``with`` block without committing removes the staging folder
    and leaves ``out`` as it was.
    """

    def __init__(self, out: Path) -> None:
        self.out = out.resolve()
        self.path = self.out.parent / f".{self.out.name}.staging-{os.getpid()}"
        self._folders: set[Path] = set()
        self._committed = False

    def __enter__(self) -> Staging:
        self.out.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(self.out)
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir()
        return self

    def __exit__(self, *exc: object) -> None:
        if not self._committed:
            shutil.rmtree(self.path, ignore_errors=True)

    def put(self, rel: str, data: Data) -> None:
        target = self.path / rel
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        if isinstance(data, bytes):
            target.write_bytes(data)
        elif isinstance(data, Reuse):
            try:  # the old site is thrown away after the swap: sharing its inode is safe
                os.link(data.path, target)
            except OSError:
                shutil.copyfile(data.path, target)
        else:
            shutil.copyfile(data.path, target)

    def commit(self, manifest: Mapping[str, str], *, version: str) -> None:
        """Record what was built, then replace ``out`` with the staging folder."""
        write_manifest(self.path, manifest, version=version)
        _swap(self.path, self.out)
        self._committed = True


def write_manifest(out: Path, manifest: Mapping[str, str], *, version: str) -> None:
    """The marker file: that briefing built this folder, and each file's fingerprint."""
    # Compact: the C encoder (indenting is pure Python; the watch mode writes this after every save).
    text = json.dumps({"version": version, "files": dict(sorted(manifest.items()))},
                      separators=(",", ":"))
    write_file(out / MARKER, text.encode("utf-8"))


def write_file(target: Path, data: Data) -> None:
    """Replace one file atomically: readers see the old file or the new one, never half."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.parent / f".{target.name}.tmp-{os.getpid()}"
    try:
        if isinstance(data, bytes):
            temporary.write_bytes(data)
        else:
            shutil.copyfile(data.path, temporary)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def remove_file(out: Path, rel: str) -> None:
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


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        os.rename(staging, out)
        return
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if _exchange(staging, out):
        os.rename(staging, old)  # the staging name now holds the previous site
    else:
        os.rename(out, old)
        os.rename(staging, out)
    _remove_later(old)


def _remove_later(folder: Path) -> None:
    """Delete the previous site in a process of its own: tens of thousands of files take
    seconds to unlink, and the new site is already in place. Should that process
    die, the next build removes what is left (see _remove_leftovers)."""
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


def _remove_leftovers(out: Path) -> None:
    """Staging and old folders of builds that were killed half-way."""
    for pattern in (f".{out.name}.staging-*", f".{out.name}.old-*"):
        for leftover in out.parent.glob(pattern):
            pid = leftover.name.rsplit("-", 1)[-1]
            if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
                shutil.rmtree(leftover, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
