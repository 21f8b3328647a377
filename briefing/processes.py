"""Child processes that end with their parent.

A build starts workers (forked renderers and readers, PDF workers, Pagefind).
Killed with SIGKILL, a parent runs no clean-up code, so each child asks the
kernel to kill it when its parent dies (Linux ``PR_SET_PDEATHSIG``); elsewhere
the children's pipes closing ends them instead.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
from collections.abc import Callable

_PR_SET_PDEATHSIG = 1


def _find_prctl() -> Callable[..., int] | None:
    """libc's prctl, looked up once in the parent: a preexec_fn must do next to nothing."""
    if not sys.platform.startswith("linux"):
        return None
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name, use_errno=True).prctl if name else None
    except (OSError, AttributeError):
        return None


_prctl = _find_prctl()


def die_with_parent() -> None:
    """Call in a child process (a pool's initializer, a ``preexec_fn``): it is killed when
    the thread that started it dies. A child whose parent is already gone exits now."""
    if _prctl is None:
        return
    _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() == 1:  # the parent died before the call: nobody would kill us
        os._exit(1)
