"""Errors of the operating system as messages a curator can act on.

A full disk, a read-only folder, a missing permission or a file where a
folder should be stops a build: the user sees what failed, where, and what to
do, never a traceback.
"""

from __future__ import annotations

import errno

from briefing.errors import Level, Location, Problem

_HINTS = {
    errno.ENOSPC: "free some space on that disk, or build elsewhere with --out",
    errno.EDQUOT: "free some space within your quota, or build elsewhere with --out",
    errno.EROFS: "the file system is read-only: build elsewhere with --out",
    errno.EACCES: "check the folder's permissions, or build elsewhere with --out",
    errno.EPERM: "check the folder's permissions, or build elsewhere with --out",
    errno.ENOTDIR: "a file is where a folder should be: move it away",
    errno.EISDIR: "a folder is where a file should be: move it away",
    errno.EEXIST: "something is in the way: move it away",
    errno.EMFILE: "too many open files: raise the limit (ulimit -n)",
    errno.EFBIG: "a file grew past the limit of this system or process (ulimit -f)",
    # The site is written beside the output folder and moved in: a folder that is a mount
    # of its own (a read-only bind mount, say) cannot take the move.
    errno.EXDEV: "the output folder is a mount point of its own (read-only, or another file "
                 "system than the folder it is in): the site is written beside it and moved "
                 "in, so build into a plain folder with --out, or mount the folder above it",
}


def os_problem(exc: OSError, doing: str) -> Problem:
    """``exc`` as an error at the path it names: 'could not write the site: No space left
    on device', with what to do about it. The site was left as it was."""
    path = exc.filename or "site"
    reason = exc.strerror or str(exc)
    hint = _HINTS.get(exc.errno or 0, "fix the cause and build again")
    return Problem(Level.ERROR, Location(str(path)), "", f"could not {doing}: {reason}",
                   hint + "; the published site was not changed")
