"""Reading many articles: in this process, or on every core.

Each article is read from its own files only, so a large first build reads
them in forked worker processes and gets the results back; later builds read
only what the load cache does not hold.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from pathlib import Path

from briefing.config import Config
from briefing.content.articles import ArticleFiles, LoadedArticle, read_article
from briefing.errors import Problem, Problems

#: Below this many articles to read, starting processes costs more than it saves.
PARALLEL_FROM = 500

Read = tuple[LoadedArticle | None, tuple[Problem, ...]]

_shared: tuple[Path, Config, Sequence[ArticleFiles]] | None = None


def read_one(root: Path, config: Config, files: ArticleFiles) -> Read:
    found = Problems()
    item = read_article(root, files, config, found)
    return item, tuple(found)


def read_many(root: Path, config: Config, every: Sequence[ArticleFiles], workers: int) -> list[Read]:
    """Each article's result, in the order given."""
    if workers <= 1 or len(every) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return [read_one(root, config, files) for files in every]
    global _shared  # noqa: PLW0603 - handed to the forked workers
    _shared = (root, config, every)
    try:
        size = max(1, len(every) // (workers * 8))
        chunks = [range(start, min(start + size, len(every))) for start in range(0, len(every), size)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_read_chunk, chunks)
    finally:
        _shared = None
    return [read for part in parts for read in part]


def _read_chunk(indexes: range) -> list[Read]:
    assert _shared is not None
    root, config, every = _shared
    return [read_one(root, config, every[i]) for i in indexes]
