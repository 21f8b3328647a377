"""Hostile or odd content: it cannot hang a build, crash it, or reach a reader as it is.

Each test puts something unkind into a tiny briefing (a named pipe, a file nested
six hundred levels deep, a control character, an SVG that runs script, a link to
/etc/passwd) and runs the build or `briefing check` as a curator does, in a
process of its own with a time limit: what comes back is a located message,
never a hang or a traceback.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from conftest import META, Briefing

COMMAND = [sys.executable, "-m", "briefing"]
#: Far more than any of these builds takes (under two seconds): reaching it means a hang.
LIMIT = 60


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*COMMAND, "--root", str(root), *args], capture_output=True, text=True,
                          check=False, timeout=LIMIT)


def _build(root: Path) -> subprocess.CompletedProcess[str]:
    return _run(root, "build", "--no-pdf", "--no-search")


def _no_traceback(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stderr, done.stderr


# --- only regular files are read ------------------------------------------------------


def test_a_named_pipe_or_socket_in_content_is_an_error_at_its_path_and_never_opened(
        briefing: Briefing) -> None:
    """A FIFO used to hang the build (opening it waits for a writer); one among the media
    failed while copying. Now each is refused by its stat, where it stands."""
    briefing.markdown("2024-08-15-evakuasi")
    content = briefing.root / "content"
    (content / "images").mkdir()
    (content / "briefings").mkdir()
    os.mkfifo(content / "articles/2024/08/2024-08-15-pipa.md")
    os.mkfifo(content / "images/peta.png")
    os.mknod(content / "images/soket.png", 0o600 | stat.S_IFSOCK)
    (content / "data/topics.yaml").unlink()
    os.mkfifo(content / "data/topics.yaml")
    os.mkfifo(content / "briefings/2024-08-15.yaml")
    expected = {
        "content/articles/2024/08/2024-08-15-pipa.md": "a named pipe (FIFO)",
        "content/images/peta.png": "a named pipe (FIFO)",
        "content/images/soket.png": "a socket",
        "content/data/topics.yaml": "a named pipe (FIFO)",
        "content/briefings/2024-08-15.yaml": "a named pipe (FIFO)",
    }
    for command in (["check"], ["build", "--no-pdf", "--no-search"]):
        done = _run(briefing.root, *command)
        _no_traceback(done)
        assert done.returncode == 1
        for path, kind in expected.items():
            assert f"{path}: error: {kind}, not a file: it is not read" in done.stderr, done.stderr
    assert not (briefing.root / "site").exists()
    refused = {p.location.path: p.message for p in briefing.problems().errors}
    assert expected.keys() <= refused.keys()


# --- nesting depth --------------------------------------------------------------------


def test_a_file_nested_hundreds_deep_is_a_located_error_not_a_traceback(briefing: Briefing) -> None:
    """600 nested lists on one 1.2 KB line of front matter, 500 nested mappings in a registry:
    both were a RecursionError traceback from yamlio."""
    briefing.markdown("2024-08-15-evakuasi", "x: " + "[" * 600 + "]" * 600 + "\n" + META)
    topics = briefing.root / "content/data/topics.yaml"
    topics.write_text(topics.read_text() + "dalam: " + "{a: " * 500 + "1" + "}" * 500 + "\n")
    done = _build(briefing.root)
    _no_traceback(done)
    assert done.returncode == 1
    assert ("content/articles/2024/08/2024-08-15-evakuasi.md:2:53: error: nested more than 50 levels deep"
            in done.stderr)
    assert "content/data/topics.yaml:3:204: error: nested more than 50 levels deep" in done.stderr
