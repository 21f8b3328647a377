"""Hostile or odd content: it cannot hang a build, crash it, or reach a reader as it is.

Each test puts something unkind into a tiny briefing (a named pipe, a file nested
six hundred levels deep, a control character, an SVG that runs script, a link to
/etc/passwd) and runs the build or `briefing check` as a curator does, in a
process of its own with a time limit: what comes back is a located message,
never a hang or a traceback.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

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


# --- control characters ---------------------------------------------------------------


def test_control_characters_in_metadata_or_markdown_are_refused_where_they_stand(briefing: Briefing) -> None:
    """A vertical tab in a title made the feeds and the JSON not well-formed. Typed as they
    are or written as YAML escapes, in front matter, a body or a registry: each is refused."""
    briefing.markdown("2024-08-15-evakuasi", META.replace("title: Rusia", 'title: "Rusia\\x0b'
                                                          ).replace("Glushkov\n", 'Glushkov"\n', 1))
    briefing.markdown("2024-08-15-kedua", META.replace("2024-08-15", "2024-08-15").replace("Rusia", "Moskwa"),
                      body="Paragraf pertama.\n\nAda\x08 di sini.\n")
    sources = briefing.root / "content/data/sources.yaml"
    sources.write_text(sources.read_text() + "tempo: {name: \"Tempo\\uFFFE\"}\n")
    briefing.raw("2024-08-15-mentah", META.replace("Rusia", "Warga\x1f"))
    done = _build(briefing.root)
    _no_traceback(done)
    assert done.returncode == 1
    for line in ("content/articles/2024/08/2024-08-15-evakuasi.md:2:8: error: title: a control character "
                 "U+000B (vertical tab), written as an escape: feeds and pages cannot carry it",
                 "content/articles/2024/08/2024-08-15-kedua.md:13:4: error: a control character U+0008 "
                 "(backspace): feeds and pages cannot carry it",
                 "content/data/sources.yaml:4:15: error: tempo.name: the noncharacter U+FFFE, written as an "
                 "escape: feeds and pages cannot carry it",
                 "content/articles/2024/08/2024-08-15-mentah.yaml:1:13: error: a control character U+001F "
                 "(unit separator): feeds and pages cannot carry it"):
        assert line in done.stderr, done.stderr
    assert "hint: delete it: most editors show it as nothing or as a box (search for U+0008)" in done.stderr
    assert "4 errors" in done.stderr  # one each: nothing else trips over what was refused


def test_control_characters_in_a_raw_text_are_left_out_of_the_page_with_a_warning(briefing: Briefing) -> None:
    """NUL and ESC bytes of a pasted outlet text were copied into the HTML. The .txt stays
    as received; the page, the feeds and the JSON carry neither."""
    text = "Sumber: Telegraph\nKONTAN.CO.ID - JAKARTA. Paragraf\x00 pertama.\n\nWarna \x1b[31mmerah\x1b[0m.\n"
    raw = briefing.raw("2024-08-15-mentah", text=text).with_suffix(".txt")
    done = _build(briefing.root)
    _no_traceback(done)
    assert done.returncode == 0, done.stderr
    for line in ("content/articles/2024/08/2024-08-15-mentah.txt:2:33: warning: a control character U+0000 "
                 "(NUL) is left out of the page",
                 "content/articles/2024/08/2024-08-15-mentah.txt:4:7: warning: a control character U+001B "
                 "(escape) is left out of the page",
                 "content/articles/2024/08/2024-08-15-mentah.txt:4:17: warning: a control character U+001B"):
        assert line in done.stderr, done.stderr
    assert raw.read_text() == text
    site = briefing.root / "site"
    [page] = list(site.glob("2024/08/15/*/index.html"))
    assert "Paragraf pertama." in page.read_text() and "[31mmerah[0m." in page.read_text()
    for path in site.rglob("*"):
        if path.is_file():
            assert b"\x00" not in path.read_bytes() and b"\x1b" not in path.read_bytes(), path
    for feed in site.glob("feeds/*.xml"):
        ElementTree.parse(feed)  # well-formed
    for data in [*site.glob("feeds/*.json"), *site.glob("data/*.json")]:
        json.loads(data.read_bytes())


# --- media that can carry script ------------------------------------------------------

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">\n{}\n</svg>\n'

#: Each SVG body, and the start of the message refusing it (at line 2, where it stands).
SCRIPTED = {
    "<script>alert(1)</script>": "a <script> element",
    '<rect onload="alert(1)"/>': "an event handler (onload=)",
    '<g><circle r="1" ONCLICK="x()"/></g>': "an event handler (ONCLICK=)",
    '<a href="javascript:alert(1)"><text>x</text></a>': "a javascript: address in href=",
    '<a xlink:href=" java\tscript:alert(1)"><text>x</text></a>': "a javascript: address in href=",
    '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>':
        "a <foreignObject> element",
    '<image href="https://evil.example/track.png"/>': "a reference to another file",
    '<use xlink:href="//evil.example/a.svg#x"/>': "a reference to another file",
    '<image href="file:///etc/passwd"/>': "a reference to another file",
    '<image href="lain.svg"/>': "a reference to another file",
    '<style>@import "https://evil.example/x.css";</style>': "a style sheet of another file (@import)",
    '<style>rect { fill: url(https://evil.example/x) }</style>': "a reference to another file",
    '<rect style="fill: url(\'http://evil.example/p\')"/>': "a reference to another file",
    '<set attributeName="xlink:href" to="#a"/>': "an animation that changes a link",
}


def test_an_svg_that_can_run_script_or_fetch_from_elsewhere_is_refused_where_it_does(
        briefing: Briefing) -> None:
    """An SVG under content/ was published as it was: opened directly, it ran script on the
    site's own address."""
    briefing.markdown("2024-08-15-evakuasi")
    for index, body in enumerate(SCRIPTED):
        briefing.write(f"content/images/peta-{index:02d}.svg", SVG.format(body))
    refused = {p.location.path: p for p in briefing.problems().errors}
    for index, message in enumerate(SCRIPTED.values()):
        problem = refused.pop(f"content/images/peta-{index:02d}.svg")
        assert problem.message.startswith(message) and problem.location.line == 2, problem.format()
        assert problem.message.endswith("the SVG is not published")
    assert not refused


def test_a_page_or_an_svg_with_entities_is_refused_and_a_plain_svg_is_published(briefing: Briefing) -> None:
    laughs = ('<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>\n'
              '<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>\n')
    plain = ('<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
             '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
             + SVG.format('<defs><linearGradient id="g"/></defs><rect id="a" fill="url(#g)"/><use href="#a"/>'
                          '<image href="data:image/png;base64,iVBORw0KGgo="/><style>rect { fill: url(#g) }</style>'
                          '<a href="#a"><text>peta</text></a>'))
    briefing.markdown("2024-08-15-evakuasi")
    briefing.write("content/images/tawa.svg", laughs)
    briefing.write("content/images/peta.svg", plain)
    briefing.write("content/images/rusak.svg", "<svg><g></svg>")
    for suffix in ("html", "htm", "xhtml", "xml"):
        briefing.write(f"content/lampiran/halaman.{suffix}", "<p onclick='x()'>halo</p>")
    done = _build(briefing.root)
    _no_traceback(done)
    assert done.returncode == 1
    assert "content/images/tawa.svg:2:15: error: a DOCTYPE with declarations of its own" in done.stderr
    assert "content/images/rusak.svg:1:11: error: not a well-formed SVG: mismatched tag" in done.stderr
    for suffix in ("html", "htm", "xhtml", "xml"):
        assert (f"content/lampiran/halaman.{suffix}: error: a page of its own, which would run on the site's "
                "address: it is not published") in done.stderr
    for name in ("tawa.svg", "rusak.svg"):
        (briefing.root / "content/images" / name).unlink()
    for suffix in ("html", "htm", "xhtml", "xml"):
        (briefing.root / f"content/lampiran/halaman.{suffix}").unlink()
    done = _build(briefing.root)
    assert done.returncode == 0, done.stderr
    assert (briefing.root / "site/media/images/peta.svg").read_text() == plain


# --- links out of templates/ ----------------------------------------------------------


def test_a_template_or_static_file_linked_from_outside_is_neither_read_nor_published(
        briefing: Briefing, tmp_path: Path) -> None:
    """A link in templates/static/ to /etc/passwd was published; the rule of content/ now
    holds for the briefing's templates/: only what it really holds is read."""
    briefing.markdown("2024-08-15-evakuasi")
    outside = tmp_path / "luar.html"
    outside.write_text("{% extends 'base.html' %}{% block content %}rahasia-luar{% endblock %}\n")
    templates = briefing.root / "templates"
    (templates / "static").mkdir(parents=True)
    (templates / "static/passwd.txt").symlink_to("/etc/passwd")
    (templates / "article.html").symlink_to(outside)
    os.mkfifo(templates / "static/pipa.css")
    (templates / "static/milik.css").write_text("body { color: black }\n")
    (templates / "static/alias.css").symlink_to(templates / "static/milik.css")  # within: a file like any
    expected = ["templates/article.html: error: a link to " + str(outside) + ", which is not in templates/",
                "templates/static/passwd.txt: error: a link to /etc/passwd, which is not in templates/",
                "templates/static/pipa.css: error: a named pipe (FIFO), not a file: it is not read"]
    for command in (["check"], ["build", "--no-pdf", "--no-search"]):
        done = _run(briefing.root, *command)
        _no_traceback(done)
        assert done.returncode == 1
        for line in expected:
            assert line in done.stderr, done.stderr
        assert "hint: copy the file in instead of linking to it" in done.stderr
    assert not (briefing.root / "site").exists()
    for name in ("article.html", "static/passwd.txt", "static/pipa.css"):
        (templates / name).unlink()
    done = _build(briefing.root)
    assert done.returncode == 0, done.stderr
    site = briefing.root / "site"
    assert (site / "static/alias.css").read_text() == "body { color: black }\n"
    assert not (site / "static/passwd.txt").exists()
    assert not any(b"root:x:" in p.read_bytes() or b"rahasia-luar" in p.read_bytes()
                   for p in site.rglob("*") if p.is_file())
