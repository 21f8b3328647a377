"""Reading content files: size limits, encodings, byte order marks.

Every loader reads through :func:`read_text`, so that a non-UTF-8, empty or
oversized file gets the same clear message wherever it appears.
"""

from __future__ import annotations

import os
from pathlib import Path

from briefing.errors import Location, Problems

#: Largest metadata file read (YAML registries of a year's briefing stay far below).
MAX_YAML_BYTES = 2 * 1024 * 1024
#: Largest article body; longer texts slow Markdown down for no reader's benefit.
MAX_TEXT_BYTES = 1024 * 1024

BOM = "\ufeff"

CONTENT_DIR = "content"
#: What to do about a link out of the briefing folder.
LINK_HINT = "copy it into the briefing folder: a briefing reads and publishes only what it holds"


def outside(path: Path, root: Path) -> bool:
    """Whether ``path``, in the briefing at ``root``, really lies elsewhere: reached through
    a symbolic link out of the briefing folder. content/ may itself be a link (content
    kept in a repository of its own); what lies in its real folder is inside too."""
    real = path.resolve()
    return not any(real.is_relative_to(folder.resolve()) for folder in (root, root / CONTENT_DIR))


def linked_out(path: Path, root: Path) -> bool:
    """:func:`outside` for a file found in a folder that was itself checked: only a
    link can lead out, and only a link pays for resolving (one lstat otherwise)."""
    return os.path.islink(path) and outside(path, root)


def link_problem(shown: str, path: Path, problems: Problems) -> None:
    problems.error(Location(shown), "", f"a link to {path.resolve()}, outside the briefing folder",
                   LINK_HINT)


def read_text(path: Path, shown: str, problems: Problems, *, limit: int,
              allow_empty: bool = False, root: Path | None = None) -> str | None:
    """The file's text without a BOM, or None after adding a problem located at ``shown``.

    With ``root`` (the briefing folder), a file that is a link out of it is refused:
    nothing in a briefing can make the build read files elsewhere."""
    if root is not None and linked_out(path, root):
        link_problem(shown, path, problems)
        return None
    try:
        size = path.stat().st_size
        if size > limit:
            problems.error(
                Location(shown), "",
                f"file is too large: {size:,} bytes, the limit is {limit:,}",
                "split it, or check that this is really a text file",
            )
            return None
        data = path.read_bytes()
    except OSError as exc:
        problems.error(Location(shown), "", f"cannot read the file: {exc.strerror or exc}")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.error(
            Location(shown, line, column), "",
            f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded",
            "save the file as UTF-8 (in most editors: File > Save with Encoding > UTF-8)",
        )
        return None
    text = text.removeprefix(BOM)
    if not allow_empty and not text.strip():
        problems.error(Location(shown), "", "the file is empty",
                       "fill it in, or delete it")
        return None
    return text
