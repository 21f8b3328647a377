"""Has anything a build reads changed since the last build? One walk of stat calls says.

A build reads ``briefing.yml``, everything under ``content/`` and the theme; with
the same options and the same version of briefing, the same files give the same
site. So a successful build records a digest of every such file's stamp (path,
size, modification and change time, inode: the stamps the load cache keeps per article, taken over
the whole briefing) and of the site it wrote. When both still hold, the next
``briefing build`` has nothing to do and says so without loading or planning
anything: on a year of articles that is the difference between seconds and a
blink. Any doubt (a file touched, a page of the site deleted, other options)
falls through to the normal build, which re-renders only what changed.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from dataclasses import dataclass
from pathlib import Path

from briefing import __version__
from briefing.content.files import stamp, stat_through
from briefing.errors import Problems
from briefing.options import BuildOptions, BuildReport
from briefing.output import SiteFolder
from briefing.render.theme import Theme
from briefing.setaside import SetAside, set_aside

#: The build cache: safe to delete at any time, ignored by git.
CACHE_DIR = ".briefing-cache"
RECORD = "last-build.pickle"
#: File systems keep modification times this coarse (FAT: 2 s). A file changed
#: within this long before the stamp was taken could change again with no new
#: stamp, so such a build is not recorded ("racily clean", as git calls it).
_GRANULARITY_NS = 2_000_000_000


@dataclass(frozen=True, slots=True)
class _Record:
    key: str  # options, version and every source file's stamp
    site: tuple[int, ...]  # the marker file's stamp after the build
    outputs: int
    home_bytes: int
    problems: Problems  # warnings of that build, shown again


class Sources:
    """The files one build of ``root`` with ``options`` reads, and their stamp.

    Take the stamp (``key``) before reading anything: a file saved while the build
    runs then makes the recorded stamp stale, and the next build does the work.
    """

    def __init__(self, root: Path, options: BuildOptions) -> None:
        self.root = root.resolve()
        self.options = options
        self.out = (options.out or self.root / "site").resolve()
        self.cache_dir = self.root / CACHE_DIR
        self._key = ""
        self.set_aside: list[SetAside] = []  # parts of the cache found broken, for the report
        self.taken = 0  # when the stamp was taken (ns since the epoch)
        self.newest = 0  # the newest modification time seen (ns)

    @property
    def key(self) -> str:
        """A digest of the options and of the stamp of every file the build reads."""
        if not self._key:
            self.taken = time.time_ns()
            digest = hashlib.blake2b(digest_size=20)
            o = self.options
            digest.update(repr((__version__, str(self.out), o.drafts, o.base_url, o.pdf, o.search)).encode())
            for folder in (self.root / "content", *Theme(self.root).dirs):
                self._walk(folder, digest)
            self._stamp(str(self.root / "briefing.yml"), digest)
            self._key = digest.hexdigest()
        return self._key

    def _walk(self, folder: Path | str, digest: hashlib.blake2b) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            digest.update(f"{folder}\0missing\n".encode())
            return
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                self._walk(entry.path, digest)
            else:
                self._stamp(entry.path, digest)

    def _stamp(self, path: str, digest: hashlib.blake2b) -> None:
        try:
            stat, linked = stat_through(path)
        except OSError:
            digest.update(f"{path}\0missing\n".encode())
            return
        if linked is not None:
            digest.update(f"{path}\0link {linked}\n".encode())
        digest.update(f"{path}\0{stamp(stat)}\n".encode())
        # The modification time only: a copy or an _age of the tests sets it back, never the
        # change time, and a build right after one would never be recorded.
        self.newest = max(self.newest, stat.st_mtime_ns)

    @property
    def settled(self) -> bool:
        """No file was changed so shortly before the stamp that its stamp could lie."""
        return self.newest < self.taken - _GRANULARITY_NS


def unchanged(sources: Sources) -> BuildReport | None:
    """The last build's report when nothing it read or wrote has changed since; else None."""
    path = sources.cache_dir / RECORD
    try:
        with path.open("rb") as handle:
            record = pickle.load(handle)
    except (FileNotFoundError, NotADirectoryError):  # none yet; .briefing-cache a file: see build_site
        return None
    except Exception as exc:  # a folder in its place, damaged bytes (which raise anything)
        reason = f"{RECORD}: {exc.strerror}" if isinstance(exc, OSError) else f"{type(exc).__name__}"
        sources.set_aside.append(set_aside(path, reason))
        return None
    folder = SiteFolder(sources.out)
    if not isinstance(record, _Record) or record.site != folder.stamp():
        return None
    if record.key != sources.key or not folder.settled():
        return None
    if not folder.complete(search=sources.options.search):
        return None
    return BuildReport(sources.out, outputs=record.outputs, reused=record.outputs,
                       problems=record.problems, home_bytes=record.home_bytes, up_to_date=True)


def remember(sources: Sources, report: BuildReport) -> None:
    """Record a successful build (call it after the site is in place)."""
    if not sources.settled:
        forget(sources)
        return
    record = _Record(sources.key, SiteFolder(sources.out).stamp(), report.outputs, report.home_bytes,
                     Problems(report.problems.warnings))
    sources.cache_dir.mkdir(parents=True, exist_ok=True)
    temporary = sources.cache_dir / f".{RECORD}.{os.getpid()}"
    temporary.write_bytes(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(temporary, sources.cache_dir / RECORD)


def forget(sources: Sources) -> None:
    """Drop the record: the next build does the full comparison."""
    (sources.cache_dir / RECORD).unlink(missing_ok=True)
