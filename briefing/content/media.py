"""Files under content/ that are published as they are: images and other media.

Everything under content/ except the articles, the curation files and the
registries is published under media/ at the same relative path.
"""

from __future__ import annotations

import os
from pathlib import Path
from stat import S_ISLNK

from briefing.content.activemedia import page_problem, svg_problem
from briefing.content.articles import is_ignored
from briefing.content.files import (
    CONTENT_DIR,
    link_problem,
    linked_folder_problem,
    outside,
    special_kind,
    special_problem,
)
from briefing.errors import Location, Problems

#: Folders of content/ that hold sources, not published files.
SOURCE_FOLDERS = frozenset({"articles", "briefings", "data"})


def list_media(root: Path, problems: Problems) -> tuple[str, ...]:
    """Paths relative to content/, POSIX separators, sorted. A file that is a link out
    of content/, or to nothing, is left out with an error (it would be published, or
    fail to copy), and so is a named pipe, socket or device (copying it would hang or
    fail); folders reached through a link are not walked into. Pages and SVGs that can
    run script are left out with an error too (content.activemedia)."""
    base = root / CONTENT_DIR
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(base):
        here = Path(dirpath)
        dirnames[:] = sorted(
            d for d in dirnames
            if not is_ignored(d) and not (here == base and d in SOURCE_FOLDERS)
        )
        for name in dirnames:
            if (here / name).is_symlink():
                linked_folder_problem(f"{CONTENT_DIR}/{(here / name).relative_to(base).as_posix()}", problems)
        for name in filenames:
            if is_ignored(name) or here == base:
                continue
            path = here / name
            rel = path.relative_to(base).as_posix()
            shown = f"{CONTENT_DIR}/{rel}"
            try:
                mode = os.lstat(path).st_mode
                if S_ISLNK(mode):  # only a link can lead out, or to nothing: a plain file pays nothing more
                    if outside(path, base):
                        link_problem(shown, path, f"{CONTENT_DIR}/", problems)
                        continue
                    mode = os.stat(path).st_mode
            except OSError:  # a link to nothing, or a loop of links: nothing to copy
                problems.error(Location(shown), "", "a link that leads to no file",
                               "point it at a file in content/, or delete it")
                continue
            kind = special_kind(mode)
            if kind is not None:
                special_problem(shown, kind, problems)
                continue
            if page_problem(shown, problems) or (rel.lower().endswith(".svg") and
                                                 svg_problem(path, shown, problems)):
                continue
            found.append(rel)
    return tuple(sorted(found))
