"""Static full-text search: a Pagefind index of the built pages.

Pagefind reads the staged site (only the parts marked data-pagefind-body:
articles and daily briefings), stems words in the site's language and writes
its index and scripts under pagefind/. Nothing is sent anywhere: it runs as
a local process and the search runs in the reader's browser.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

from briefing.output import SEARCH_INDEX, SiteFolder

#: Only daily briefings and articles carry data-pagefind-body, and they all live
#: under YYYY/MM/DD/: reading only those halves the indexing time of a large site.
PAGES = "[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/**/*.html"


def build_search_index(site: Path, language: str, output: Path | None = None) -> None:
    """Index the pages under ``site`` into ``output`` (default: site/pagefind/)."""
    work = _index(site, language, output or site / SEARCH_INDEX)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(work)
        return
    # Called from code that runs an event loop (a notebook, an async test tool):
    # Pagefind's client is async, so give it a loop of its own in a thread.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, work).result()


async def _index(site: Path, language: str, output: Path) -> None:
    config = IndexConfig(force_language=language.split("-", maxsplit=1)[0], output_path=str(output))
    async with PagefindIndex(config=config) as index:
        await index.add_directory(str(site), glob=PAGES)


def reindex(folder: SiteFolder, language: str) -> None:
    """Index a live site into a new folder, then swap it for the old index: readers
    searching meanwhile use the old one, never half of a new one."""
    folder.replace_folder(SEARCH_INDEX, lambda fresh: build_search_index(folder.path, language, output=fresh))
