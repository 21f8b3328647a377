"""Reading content files: only regular files, size limits, encodings, byte order marks.

Every loader reads through :func:`read_text` (media checks through
:func:`read_bytes`), so that a named pipe, a non-UTF-8, empty or oversized file
gets the same clear message wherever it appears.
"""

from __future__ import annotations

import os
from pathlib import Path
from stat import S_ISBLK, S_ISCHR, S_ISDIR, S_ISFIFO, S_ISLNK, S_ISREG, S_ISSOCK

from briefing import controls
from briefing.errors import Location, Problems

#: Largest metadata file read (YAML registries of a year's briefing stay far below).
MAX_YAML_BYTES = 2 * 1024 * 1024
#: Largest article body; longer texts slow Markdown down for no reader's benefit.
MAX_TEXT_BYTES = 1024 * 1024

BOM = "\ufeff"
#: An outlet's text, kept as received: what it holds that a page cannot carry is left out.
RAW_SUFFIX = ".txt"
#: Warnings about characters left out of one raw text, before one line says how many more.
MAX_LEFT_OUT = 10

CONTENT_DIR = "content"
#: What to do about a link out of the folder a file must be in.
LINK_HINT = "copy the file in instead of linking to it: a briefing publishes only what it holds"


def outside(path: Path, folder: Path) -> bool:
    """Whether ``path``, once every link is followed, lies outside ``folder``'s real place.

    Content must really be in content/ (content/ itself may be a link, to keep
    content in a repository of its own): not elsewhere on the machine, and not
    elsewhere in the briefing folder either (.git/, .env). os.path.realpath, not
    Path.resolve: it does not raise on a loop of links (reading it then fails cleanly).
    """
    return not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(folder))


def linked_out(path: Path, folder: Path) -> bool:
    """:func:`outside` for a file found by walking ``folder`` (which does not follow linked
    folders): only a link can lead out, and only a link pays for resolving."""
    return os.path.islink(path) and outside(path, folder)


def stat_through(path: str) -> tuple[os.stat_result, int | None]:
    """The stat of the file ``path`` reaches, and when the link was made if it is a
    symbolic link (else None). One call for a plain file, as os.stat; stamps made of
    both tell a file from a link to a copy of it (which must be checked again)."""
    stat = os.lstat(path)
    if S_ISLNK(stat.st_mode):
        return os.stat(path), stat.st_mtime_ns
    return stat, None


def stamp(stat: os.stat_result) -> tuple[int, int, int, int]:
    """What tells an edited file from the same file: size, modification time, and the
    change time and inode, which no copy with -p, rsync -t or tar can set back (they
    restore the modification time of a same-length edit, which then looked unchanged)."""
    return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino


def in_content(root: Path) -> tuple[Path, str]:
    """``read_text``'s ``within`` for a content file of the briefing at ``root``."""
    return root / CONTENT_DIR, f"{CONTENT_DIR}/"


def link_problem(shown: str, path: Path, folder: str, problems: Problems) -> None:
    problems.error(Location(shown), "", f"a link to {os.path.realpath(path)}, which is not in {folder}",
                   LINK_HINT)


def linked_folder_problem(shown: str, problems: Problems) -> None:
    """Folders reached through a link are not walked into (os.walk's default), so that a
    link cannot lead the build out of content/; the curator hears why files are missing."""
    problems.warning(Location(shown), "",
                     "a link to a folder: links to folders are not followed, its files are left out",
                     "move the folder itself here")


#: What to do about a named pipe, a socket or a device where a file is expected.
SPECIAL_HINT = "a briefing holds plain files only: delete it, or put the file itself in its place"


def special_kind(mode: int) -> str | None:
    """What a file that is not a regular one is ('a named pipe (FIFO)'), or None for a regular file.

    Opening a named pipe blocks until something writes to it (a build that never ends),
    a device may never end either: such files are refused by their stat, never opened."""
    if S_ISREG(mode):
        return None
    for test, kind in ((S_ISFIFO, "a named pipe (FIFO)"), (S_ISSOCK, "a socket"),
                       (S_ISCHR, "a character device"), (S_ISBLK, "a block device"), (S_ISDIR, "a folder")):
        if test(mode):
            return kind
    return "not a regular file"


def special_problem(shown: str, kind: str, problems: Problems) -> None:
    problems.error(Location(shown), "", f"{kind}, not a file: it is not read", SPECIAL_HINT)


def read_bytes(path: Path, shown: str, problems: Problems, *, limit: int,
               within: tuple[Path, str] | None = None) -> bytes | None:
    """The file's bytes, or None after adding a problem located at ``shown``.

    ``within``: the folder the file must really be in, and its name for the message
    (content/ for content): a link out of it is refused, so that nothing in content
    can make the build read a file elsewhere. Only a regular file is opened, and only
    without blocking, then checked again by its descriptor: a file swapped for a pipe
    between the two looks cannot hang the build either."""
    if within is not None and linked_out(path, within[0]):
        link_problem(shown, path, within[1], problems)
        return None
    try:
        kind = special_kind(os.stat(path).st_mode)
        if kind is None:
            handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
            with os.fdopen(handle, "rb") as stream:
                stat = os.fstat(stream.fileno())
                kind = special_kind(stat.st_mode)
                # One byte past the limit: a file that grew since its stat is still caught.
                data = b"" if kind is not None or stat.st_size > limit else stream.read(limit + 1)
    except OSError as exc:
        problems.error(Location(shown), "", f"cannot read the file: {exc.strerror or exc}")
        return None
    if kind is not None:
        special_problem(shown, kind, problems)
        return None
    if stat.st_size > limit or len(data) > limit:
        problems.error(
            Location(shown), "",
            f"file is too large: {max(stat.st_size, len(data)):,} bytes, the limit is {limit:,}",
            "split it, or check that this is really a text file",
        )
        return None
    return data


def read_text(path: Path, shown: str, problems: Problems, *, limit: int,
              allow_empty: bool = False, within: tuple[Path, str] | None = None) -> str | None:
    """The file's text without a BOM, or None after adding a problem located at ``shown``
    (``within``: see :func:`read_bytes`)."""
    data = read_bytes(path, shown, problems, limit=limit, within=within)
    if data is None:
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
    if controls.FORBIDDEN.search(text):
        if not path.name.endswith(RAW_SUFFIX):
            _refuse_controls(text, shown, problems)
            return None
        text = _leave_out_controls(text, shown, problems)
    if not allow_empty and not text.strip():
        problems.error(Location(shown), "", "the file is empty",
                       "fill it in, or delete it")
        return None
    return text


def _refuse_controls(text: str, shown: str, problems: Problems) -> None:
    """One error, at the first character XML and JSON cannot carry, saying how many more."""
    found = list(controls.find(text))
    index, char = found[0]
    more = f"; {len(found) - 1} more in this file" if len(found) > 1 else ""
    problems.error(Location(shown, *controls.position(text, index)), "",
                   f"{controls.describe(char)}: feeds and pages cannot carry it",
                   controls.HINT.format(code=ord(char)) + more)


def _leave_out_controls(text: str, shown: str, problems: Problems) -> str:
    """The text without them, each left out with a warning where it stands (the file is
    an outlet's text as received, and stays as it is)."""
    found = list(controls.find(text))
    for index, char in found[:MAX_LEFT_OUT]:
        problems.warning(Location(shown, *controls.position(text, index)), "",
                         f"{controls.describe(char)} is left out of the page",
                         "the text is kept as received; delete it there to silence this")
    if len(found) > MAX_LEFT_OUT:
        more, (index, _char) = len(found) - MAX_LEFT_OUT, found[MAX_LEFT_OUT]
        problems.warning(Location(shown, *controls.position(text, index)), "",
                         f"{more} more such characters are left out, from here on",
                         "the text is kept as received; delete them there to silence this")
    return controls.FORBIDDEN.sub("", text)
