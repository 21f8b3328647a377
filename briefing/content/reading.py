"""Reading many articles: in this process, or on every core.

Each article is read from its own files only, so a large first build reads
them in forked worker processes and gets the results back; later builds read
only what the load cache does not hold.
"""

from __future__ import annotations

import multiprocessing
import pickle
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from briefing.config import Config
from briefing.content.articles import ArticleFiles, LoadedArticle, read_article
from briefing.errors import Problem, Problems
from briefing.processes import die_with_parent

#: Below this many articles to read, starting processes costs more than it saves.
PARALLEL_FROM = 500

class Read(NamedTuple):
    """What reading one article's files gave: the article (None: unusable) and the problems."""

    item: LoadedArticle | None
    problems: tuple[Problem, ...]


class CachedRead(NamedTuple):
    """A read with the stamp of the files it was made from (the load cache keeps these)."""

    stamp: object
    item: LoadedArticle | None
    problems: tuple[Problem, ...]

#: Articles to read together, each with a tag of the caller's (the load cache's stamp).
Group = Sequence[tuple[ArticleFiles, object]]

_shared: tuple[Path, Config, Sequence[Group]] | None = None


def read_one(root: Path, config: Config, files: ArticleFiles) -> Read:
    found = Problems()
    item = read_article(root, files, config, found)
    return Read(item, tuple(found))


def worth_processes(count: int, workers: int) -> bool:
    """Whether reading ``count`` articles on ``workers`` cores is quicker than in this process."""
    return workers > 1 and count >= PARALLEL_FROM and "fork" in multiprocessing.get_all_start_methods()


def read_pickled(root: Path, config: Config, groups: Sequence[Group], workers: int) -> list[bytes]:
    """Each group read in a forked worker, as ``{meta path: CachedRead(tag, article, problems)}``
    pickled there: the results cross to this process as those bytes, and a caller
    that stores them (the load cache's shards) writes the bytes as they are instead
    of pickling every article a second time."""
    global _shared  # noqa: PLW0603 - handed to the forked workers
    _shared = (root, config, groups)
    try:
        # A reader dies with the build (SIGKILL included): none keeps running orphaned.
        with multiprocessing.get_context("fork").Pool(workers, initializer=die_with_parent) as pool:
            return pool.map(_read_group, range(len(groups)), chunksize=1)
    finally:
        _shared = None


def _read_group(index: int) -> bytes:
    assert _shared is not None
    root, config, groups = _shared
    read = {files.meta: CachedRead(tag, *read_one(root, config, files)) for files, tag in groups[index]}
    return pickle.dumps(read, protocol=pickle.HIGHEST_PROTOCOL)
