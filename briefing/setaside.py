"""Parts of the build cache that cannot be read, moved out of the way.

A cache is only a head start: when what is in .briefing-cache/ cannot be read
(a folder where a file should be, bytes that are not what was written), the
build sets it aside, starts that part anew and says so in one line.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path
from typing import NamedTuple


class SetAside(NamedTuple):
    """A part of the cache that could not be read, moved out of the way."""

    path: Path
    reason: str
    moved_to: Path | None  # None: it could not be moved, and was deleted instead


def set_aside(path: Path, reason: str) -> SetAside:
    """Move ``path`` to the first free ``NAME.broken-N`` beside it (kept for a look at what
    went wrong; the cache is safe to delete), else delete it."""
    for number in range(1, 1000):
        target = path.with_name(f"{path.name}.broken-{number}")
        if os.path.lexists(target):
            continue
        try:
            os.rename(path, target)
        except OSError:
            break
        return SetAside(path, reason, target)
    with contextlib.suppress(OSError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    return SetAside(path, reason, None)
