"""Files under content/ that are published as they are: images and other media.

Everything under content/ except the articles, the curation files and the
registries is published under media/ at the same relative path.
"""

from __future__ import annotations

import os
from pathlib import Path

from briefing.content.articles import CONTENT_DIR, is_ignored

#: Folders of content/ that hold sources, not published files.
SOURCE_FOLDERS = frozenset({"articles", "briefings", "data"})


def list_media(root: Path) -> tuple[str, ...]:
    """Paths relative to content/, POSIX separators, sorted."""
    base = root / CONTENT_DIR
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(base):
        here = Path(dirpath)
        dirnames[:] = sorted(
            d for d in dirnames
            if not is_ignored(d) and not (here == base and d in SOURCE_FOLDERS)
        )
        found.extend((here / name).relative_to(base).as_posix()
                     for name in filenames if not is_ignored(name) and here != base)
    return tuple(sorted(found))
