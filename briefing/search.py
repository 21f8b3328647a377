"""Static full-text search: a Pagefind index of the built pages.

Pagefind reads the pages (only the parts marked data-pagefind-body: articles
and daily briefings), stems words in the site's language and writes its index
and scripts. Nothing is sent anywhere: it runs as a local process, with a time
limit, and dies with the build that started it; the search runs in the
reader's browser.

The site's manifest records which pages the index covers (:func:`coverage`):
a build whose pages are not the ones the index was made from makes it anew,
even when no page changed since the last build (one killed while indexing, or
a preview that had not caught up).
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path

from pagefind_bin import get_executable

from briefing.errors import BriefingError, Location, Problems
from briefing.output import SEARCH_INDEX
from briefing.processes import die_with_parent

#: Only daily briefings and articles carry data-pagefind-body, and they all live
#: under YYYY/MM/DD/: reading only those halves the indexing time of a large site.
PAGES = "[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/**/*.html"
_PAGE = re.compile(r"^\d{4}/\d{2}/\d{2}/.*\.html$")
#: Longest an index may take: about 20 s for 10,000 articles here; far more means it hangs.
TIME_LIMIT = 900


def indexed(files: Iterable[str]) -> list[str]:
    """Which of the site's files the index covers (the files PAGES matches), sorted."""
    return sorted(rel for rel in files if _PAGE.match(rel))


def coverage(manifest: Mapping[str, str]) -> str:
    """A fingerprint of the pages the index covers, as they are built: equal fingerprints,
    the same index."""
    digest = hashlib.blake2b(digest_size=16)
    for rel in indexed(manifest):
        digest.update(f"{rel}\0{manifest[rel]}\n".encode())
    return digest.hexdigest()


def build_search_index(site: Path, language: str, output: Path | None = None) -> None:
    """Index the pages under ``site`` into ``output`` (default: site/pagefind/)."""
    target = output or site / SEARCH_INDEX
    command = [str(get_executable()), "--site", str(site), "--output-path", str(target),
               "--glob", PAGES, "--force-language", language.split("-", maxsplit=1)[0], "--silent"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIME_LIMIT,
                              preexec_fn=die_with_parent, stdin=subprocess.DEVNULL, check=False)
    except subprocess.TimeoutExpired:
        _fail(f"Pagefind took longer than {TIME_LIMIT // 60} minutes and was stopped")
    except OSError as exc:
        _fail(f"Pagefind could not be started: {exc.strerror or exc}")
    if done.returncode != 0:
        last = (done.stderr or done.stdout).strip().splitlines()[-3:]
        _fail(f"Pagefind failed (exit {done.returncode}): {' / '.join(last) or 'no message'}")


def _fail(why: str) -> None:
    problems = Problems()
    problems.error(Location(SEARCH_INDEX), "", f"the search index was not made: {why}",
                   "build again; with --no-search the site is built without it")
    raise BriefingError(problems)
