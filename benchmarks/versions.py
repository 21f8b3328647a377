"""Two versions of briefing side by side on the same synthetic briefing: is a change slower?

Checks out ``--base`` (a git revision) into the work folder, writes the corpus
once per version, then measures both, alternating run by run so that the
machine's moods hit both alike, every command in a fresh process: a full build
from clean (site and caches deleted first), a no-op rebuild, a one-edit
rebuild (a sentence appended to one article's body) and a title edit. HTML only
(``--no-pdf --no-search``). Both sites are also compared byte for byte after
the full build and after the edits (the sitemap aside when ``--sitemap-order``).

    python -m benchmarks.versions --base c5bdc4b --size 10000 --repeat 3

``--followed both`` gives both corpora series and threads; ``--followed this`` only the
working tree's (a base from before them would refuse their fields).
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.compare import DEFAULT_WORK, REPO, append_sentence, restore, run
from benchmarks.corpus import edit_target, make_corpus, write_briefing
from benchmarks.measure import MIB, machine_line, table

STEPS = ("full build from clean, s", "no-op rebuild, s", "one-edit rebuild (body), s",
         "one-edit rebuild (title), s", "peak memory of the full build, MiB")


@dataclass
class Version:
    label: str
    checkout: Path  # a folder whose briefing/ package and templates/ are this version's
    root: Path  # its copy of the corpus
    target: Path  # the article the one-edit rebuilds change
    figures: dict[str, list[float]] = field(default_factory=dict)

    @property
    def command(self) -> list[str]:
        # The checkout first on the path: `python -m briefing` then runs this version.
        return [sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv.pop(1)); "
                "from briefing.cli import main; main()", str(self.checkout), "-C", str(self.root),
                "build", "--no-pdf", "--no-search"]

    def add(self, what: str, value: float) -> None:
        self.figures.setdefault(what, []).append(value)


def _checkout(revision: str, target: Path) -> Path:
    if target.exists():
        shutil.rmtree(target)
    subprocess.run(["git", "-C", str(REPO), "worktree", "prune"], check=True)
    subprocess.run(["git", "clone", "-q", "--no-checkout", str(REPO), str(target)], check=True)
    subprocess.run(["git", "-C", str(target), "checkout", "-q", revision], check=True)
    return target


def _digests(site: Path, skip: frozenset[str]) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file() and p.name != ".briefing-build.json"
            and p.relative_to(site).as_posix() not in skip}


def _measure(version: Version, logs: Path, rep: int) -> None:
    root = version.root
    for scratch in ("site", ".briefing-cache"):
        shutil.rmtree(root / scratch, ignore_errors=True)
    full = run(version.command, root, logs / f"{version.label}-full.log")
    version.add(STEPS[0], full.seconds)
    version.add(STEPS[4], full.max_rss / MIB)
    version.add(STEPS[1], run(version.command, root, logs / f"{version.label}-noop.log").seconds)
    target = version.target
    original, stat = target.read_text(encoding="utf-8"), target.stat()
    try:
        append_sentence(target, f"Kalimat uji {rep}.")
        version.add(STEPS[2], run(version.command, root, logs / f"{version.label}-edit.log").seconds)
        target.write_text(target.read_text(encoding="utf-8").replace("title: ", "title: Baru — ", 1),
                          encoding="utf-8")
        version.add(STEPS[3], run(version.command, root, logs / f"{version.label}-title.log").seconds)
    finally:
        restore(target, original, stat)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.versions", description=__doc__.split("\n")[0])
    parser.add_argument("--base", required=True, help="the git revision to compare the working tree with")
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK / "versions")
    parser.add_argument("--followed", choices=("none", "this", "both"), default="none",
                        help="which corpora have series and threads")
    parser.add_argument("--sitemap-order", action="store_true",
                        help="compare sitemap.xml as a set of lines (its order changed on purpose)")
    args = parser.parse_args(argv)
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    logs = work / "logs"
    logs.mkdir(exist_ok=True)
    corpora = (make_corpus(args.size, followed=args.followed == "both"),
               make_corpus(args.size, followed=args.followed != "none"))
    base_root, this_root = work / "corpus-base", work / "corpus-this"
    versions = [Version(f"base {args.base}", _checkout(args.base, work / "base"), base_root,
                        edit_target(corpora[0], base_root)),
                Version("this tree", REPO, this_root, edit_target(corpora[1], this_root))]
    for version, corpus in zip(versions, corpora, strict=True):
        if version.root.exists():
            shutil.rmtree(version.root)
        write_briefing(corpus, version.root)
    for rep in range(args.repeat):
        for version in versions if rep % 2 == 0 else reversed(versions):
            print(f"run {rep + 1}: {version.label} …", file=sys.stderr, flush=True)
            _measure(version, logs, rep)
    skip = frozenset({"sitemap.xml"}) if args.sitemap_order else frozenset()
    base, this = (_digests(v.root / "site", skip) for v in versions)
    different = sorted(set(base) ^ set(this)) + [p for p in base if p in this and base[p] != this[p]]
    if args.sitemap_order:
        lines = [sorted((v.root / "site/sitemap.xml").read_text().splitlines()) for v in versions]
        if lines[0] != lines[1]:
            different.append("sitemap.xml")
    rows = []
    for what in STEPS:
        a, b = (statistics.median(v.figures[what]) for v in versions)
        rows.append([what, f"{a:.2f}", f"{b:.2f}", f"{b / a:.2f}×"])
    print(machine_line())
    print(f"{args.size:,} articles, medians of {args.repeat} runs, alternating")
    print(table(["", versions[0].label, versions[1].label, "this / base"], rows))
    shown = f" ({different[:10]})" if different else ""
    print(f"files of the two sites that differ: {len(different)}{shown}")


if __name__ == "__main__":
    main()
