"""Shared helpers of the benchmark scripts: the command, process trees from /proc, tables.

``briefing`` renders PDFs in worker processes and ``briefing serve`` starts
Pagefind and PDF workers in the background, so memory and "is it idle yet"
have to be read for a whole process tree, not for the one process we start.
Linux only (/proc); nothing here needs a package the project does not have.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from contextlib import suppress
from datetime import datetime
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
MIB = 1024 * 1024


def briefing_command() -> list[str]:
    """The installed ``briefing`` script, or the module under this Python when it is not on PATH."""
    found = shutil.which("briefing")
    return [found] if found else [sys.executable, "-m", "briefing"]


def _stat_fields(pid: int) -> list[str] | None:
    """/proc/PID/stat after the command name (which may hold spaces and parentheses)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()


def tree(root: int) -> list[int]:
    """``root`` and every live descendant."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields is not None:
                children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def pss_bytes(pids: Sequence[int]) -> int:
    """Summed proportional set size: pages shared between the processes count once, not per process."""
    total = 0
    for pid in pids:
        with suppress(OSError, IndexError, ValueError):  # gone meanwhile
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
                    break
    return total


def cpu_seconds(root: int) -> float:
    """CPU time of the tree so far, reaped children included (they move into cutime/cstime)."""
    ticks = 0
    for pid in tree(root):
        fields = _stat_fields(pid)
        if fields is not None:  # utime stime cutime cstime: fields 14–17 of stat
            ticks += sum(int(v) for v in fields[11:15])
    return ticks / TICKS


class TreeMemory:
    """Samples the summed PSS of a process tree in a thread; ``peak`` is the largest sum seen.

    Sampling can miss a short spike; the kernel's exact figure for the largest
    single process comes from wait4 (see :func:`run_measured`).
    """

    def __init__(self, root: int, interval: float = 0.02) -> None:
        self.root, self.interval = root, interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, pss_bytes(tree(self.root)))
            self._stop.wait(self.interval)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def run_measured(command: Sequence[str], *, cwd: Path | None = None) -> tuple[float, int, int, str]:
    """Run a command to its end: (wall seconds, kernel max RSS of its largest process in bytes,
    sampled peak PSS of its whole tree in bytes, combined output).

    wait4 gives the child's own rusage, which covers the descendants it reaped
    (the PDF worker), so no rusage from earlier runs leaks into the figure.
    """
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    memory = TreeMemory(process.pid)
    assert process.stdout is not None
    output = process.stdout.read()  # the pipe closes when the last process holding it exits
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stdout.close()
    peak = memory.stop()
    text = output.decode(errors="replace")
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited with {process.returncode}:\n{text}")
    return seconds, usage.ru_maxrss * 1024, peak, text


def machine_line() -> str:
    """When and where: the figures mean little without the cores and the load."""
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    return (f"{datetime.now().isoformat(timespec='seconds')} · {platform.node()} · Python "
            f"{platform.python_version()} · os.cpu_count() = {os.cpu_count()} · load average {load}")


def source_line() -> str:
    """Which briefing was measured: the commit, and whether its code had uncommitted changes."""
    repository = Path(__file__).resolve().parent.parent

    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(repository), *args], check=False, capture_output=True,
                              text=True)
        return done.stdout.rstrip() if done.returncode == 0 else ""

    commit = git("log", "-1", "--format=%h %cI")
    if not commit:
        return "briefing source: not a git checkout"
    changed = [line[3:] for line in git("status", "--porcelain", "--", "briefing", "templates").splitlines()]
    dirty = f", uncommitted changes in {', '.join(changed)}" if changed else ""
    return f"briefing source: commit {commit}{dirty}"


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table; numbers right-aligned."""
    cells = [[str(c) for c in header]] + [["—" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    numeric = [all(_numeric(row[i]) for row in cells[1:]) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        return "| " + " | ".join(c.rjust(w) if n else c.ljust(w)
                                 for c, w, n in zip(row, widths, numeric, strict=True)) + " |"

    rule = "|" + "|".join(("-" * (w + 1) + ":") if n else ("-" * (w + 2))
                          for w, n in zip(widths, numeric, strict=True)) + "|"
    return "\n".join([line(cells[0]), rule, *(line(r) for r in cells[1:])])


def _numeric(text: str) -> bool:
    return text == "—" or text.replace(".", "", 1).replace("×", "").replace("-", "", 1).strip().isdigit()
