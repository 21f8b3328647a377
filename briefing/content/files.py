"""Reading content files: size limits, encodings, byte order marks.

Every loader reads through :func:`read_text`, so that a non-UTF-8, empty or
oversized file gets the same clear message wherever it appears.
"""

from __future__ import annotations

from pathlib import Path

from briefing.errors import Location, Problems

#: Largest metadata file read (YAML registries of a year's briefing stay far below).
MAX_YAML_BYTES = 2 * 1024 * 1024
#: Largest article body; longer texts slow Markdown down for no reader's benefit.
MAX_TEXT_BYTES = 1024 * 1024

BOM = "\ufeff"


def read_text(path: Path, shown: str, problems: Problems, *, limit: int,
              allow_empty: bool = False) -> str | None:
    """The file's text without a BOM, or None after adding a problem located at ``shown``."""
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
