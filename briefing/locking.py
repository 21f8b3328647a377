"""One build at a time per output folder.

Two builds writing one site at once would mix their files, and both would
start Pagefind on the same pages. A build holds an exclusive lock on a file
beside the output folder (``.site.lock``) for as long as it writes; the watch
mode holds it while it rebuilds. The kernel releases the lock when its holder
dies, so a lock is never stale; the file says who holds it, so that a second
build can say what it is waiting for.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType

from briefing.errors import BriefingError, Level, Location, Problem, Problems


class BuildLock:
    """The lock of one output folder; re-entrant within one process (the watch mode's threads)."""

    def __init__(self, path: Path, what: str) -> None:
        self.path, self.what = path, what
        self._mutex = threading.RLock()
        self._depth = 0
        self._handle: int | None = None
        self.notes: list[Problem] = []

    def acquire(self, *, wait: bool = True, waiting: Callable[[str], None] | None = None) -> None:
        """Hold the lock; with ``wait`` False, refuse when another build holds it."""
        self._mutex.acquire()
        if self._depth:
            self._depth += 1
            return
        try:
            self._take(wait, waiting)
        except BaseException:
            self._mutex.release()
            raise
        self._depth = 1

    def release(self) -> None:
        self._depth -= 1
        if self._depth == 0 and self._handle is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._handle, 0)  # released, not left by a build that died
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            os.close(self._handle)
            self._handle = None
        self._mutex.release()

    def __enter__(self) -> BuildLock:
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.release()

    def _take(self, wait: bool, waiting: Callable[[str], None] | None) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _describe(_read(handle))
                if not wait:
                    problems = Problems()
                    problems.error(Location(str(self.path)), "",
                                   f"another build of this site is running: {holder}",
                                   "wait for it (leave out --no-wait), or stop it")
                    raise BriefingError(problems) from None
                if waiting is not None:
                    waiting(f"waiting for {holder} …")
                fcntl.flock(handle, fcntl.LOCK_EX)
            left = _read(handle)
            if left and left.get("pid") != os.getpid():
                self.notes.append(Problem(Level.WARNING, Location(str(self.path)), "",
                                          f"took over the lock of {_describe(left)}, which stopped "
                                          "without releasing it; its changes are checked now"))
            os.ftruncate(handle, 0)
            os.pwrite(handle, json.dumps({"pid": os.getpid(), "started": datetime.now().isoformat(
                timespec="seconds"), "what": self.what}).encode(), 0)
        except BaseException:
            os.close(handle)
            raise
        self._handle = handle


def _read(handle: int) -> dict[str, object]:
    try:
        data = json.loads(os.pread(handle, 4096, 0) or b"{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _describe(holder: dict[str, object]) -> str:
    """'the build started at 10:02 by PID 4711 (briefing build)'."""
    if not holder:
        return "another build"
    started = str(holder.get("started", ""))
    at = started[11:16] if len(started) >= 16 else started
    return f"the {holder.get('what', 'build')} started at {at} by PID {holder.get('pid', '?')}"
