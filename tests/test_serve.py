"""`briefing serve` in a subprocess: real edits on disk, real HTTP, a real Chromium."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import META, Briefing

from briefing.render.theme import default_theme

ARTICLE = "content/articles/2024/08/2024-08-15-evakuasi.md"
OTHER = "content/articles/2024/08/2024-08-14-kemarin.md"


class Preview:
    """A running `briefing serve` and what it printed."""

    def __init__(self, briefing: Briefing, *extra: str) -> None:
        self.briefing = briefing
        self.process = subprocess.Popen(
            [sys.executable, "-m", "briefing", "--root", str(briefing.root), "serve", "--port", "0",
             *extra],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
            env={**os.environ, "COLUMNS": "200"},
        )
        self.lines: list[str] = []
        first = self._readline(timeout=60)
        match = re.search(r"at (http://127\.0\.0\.1:\d+/)", first)
        assert match, first
        self.url = match.group(1)
        self.port = int(self.url.rsplit(":", 1)[1].strip("/"))
        self.wait(lambda s: s.get("attempts", 0) >= 1, "the first build")

    def _readline(self, timeout: float) -> str:
        assert self.process.stdout is not None
        os.set_blocking(self.process.stdout.fileno(), False)
        deadline = time.monotonic() + timeout
        buffer = ""
        while time.monotonic() < deadline:
            chunk = self.process.stdout.readline()
            if chunk:
                buffer += chunk
                if buffer.endswith("\n"):
                    self.lines.append(buffer)
                    return buffer
            else:
                time.sleep(0.05)
        raise AssertionError(f"no output from briefing serve: {buffer!r}")

    def drain(self) -> str:
        assert self.process.stdout is not None
        while chunk := self.process.stdout.readline():
            self.lines.append(chunk)
        return "".join(self.lines)

    def get(self, path: str, host: str | None = None) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.putrequest("GET", path, skip_host=host is not None, skip_accept_encoding=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body

    def status(self) -> dict[str, Any]:
        return json.loads(self.get("/__briefing/status")[2])

    def wait(self, condition: Callable[[dict[str, Any]], bool], what: str, timeout: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.status()
            if condition(status):
                return status
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}; last status {self.status()}; "
                             f"output: {self.drain()}")

    def next_build(self, change: Callable[[], None], what: str) -> dict[str, Any]:
        """Make a change and wait for the rebuild it causes; return that build's status."""
        before = self.status().get("attempts", 0)
        change()
        return self.wait(lambda s: s.get("attempts", 0) > before, what)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                return self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                raise
        return self.process.returncode


@pytest.fixture
def tree(make_briefing: Callable[..., Briefing]) -> Briefing:
    briefing = make_briefing()
    briefing.markdown("2024-08-15-evakuasi")
    # Another day, other places, actors and topics: not related to the first article.
    briefing.markdown("2024-08-14-kemarin", META.replace("2024-08-15", "2024-08-14").replace(
        "places: [glushkov]", "places: [sudzha]").replace("actors: [rusia]", "actors: [ukraina]").replace(
        "topics: [evakuasi]", "topics: [serangan-lintas-batas]").replace("Rusia perintahkan", "Kemarin Rusia"))
    return briefing


@pytest.fixture
def preview(tree: Briefing) -> Iterator[Preview]:
    running = Preview(tree, "--no-pdf", "--no-search")
    yield running
    running.stop()


def _title(html: bytes) -> str:
    return re.search(rb"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).decode()  # type: ignore[union-attr]


def test_plain_write_rewrites_only_the_pages_that_show_the_article(preview: Preview, tree: Briefing) -> None:
    status = preview.next_build(
        lambda: tree.markdown("2024-08-15-evakuasi", META.replace("dari Glushkov", "dari Glushkov (diperbarui)")),
        "the edit")
    written = set(status["written"])
    assert "2024/08/15/evakuasi/index.html" in written
    assert "2024/08/15/index.html" in written  # its day
    assert "index.html" in written  # the home page lists it
    assert "places/glushkov/index.html" in written
    assert "2024/08/14/kemarin/index.html" not in written  # another day's article
    assert "places/sudzha/index.html" not in written  # a place it does not name
    assert "static/style.css" not in written
    html = preview.get("/2024/08/15/evakuasi/")[2]
    assert "(diperbarui)" in _title(html)
    assert re.search(r"\d\d:\d\d:\d\d content/articles/2024/08/2024-08-15-evakuasi\.md: "
                     r"\d+ files written in \d+ ms", preview.drain())


def test_write_then_rename_save_new_file_and_delete(preview: Preview, tree: Briefing) -> None:
    target = tree.root / ARTICLE
    temporary = target.with_name(".2024-08-15-evakuasi.md.swp")

    def atomic_save() -> None:
        temporary.write_text(target.read_text().replace("warga dari Glushkov", "warga dari Glushkovo"))
        os.replace(temporary, target)

    preview.next_build(atomic_save, "the atomic save")
    assert "Glushkovo" in _title(preview.get("/2024/08/15/evakuasi/")[2])

    status = preview.next_build(
        lambda: tree.markdown("2024-08-15-baru", META.replace("Rusia perintahkan", "Artikel baru"), folder="2024/08/baru"),
        "the new file in a new folder")
    assert "2024/08/15/baru/index.html" in status["written"]
    assert preview.get("/2024/08/15/baru/")[0] == 200

    preview.next_build((tree.root / "content/articles/2024/08/baru/2024-08-15-baru.md").unlink, "the delete")
    code, _headers, body = preview.get("/2024/08/15/baru/")
    assert code == 404 and b"<h1>Halaman tidak ditemukan</h1>" in body
    assert not (tree.root / "site/2024/08/15/baru").exists()


def test_template_edit_rewrites_the_pages_using_it(preview: Preview, tree: Briefing) -> None:
    own = tree.root / "templates" / "article.html"
    own.parent.mkdir(exist_ok=True)
    text = (default_theme() / "article.html").read_text()
    status = preview.next_build(lambda: own.write_text(text.replace('<article class="article"', '<article class="article edited"')),
                                "the template edit")
    written = set(status["written"])
    assert written == {"2024/08/15/evakuasi/index.html", "2024/08/14/kemarin/index.html"}
    assert b"article edited" in preview.get("/2024/08/14/kemarin/")[2]


def test_registry_edit_rewrites_the_entry_pages_and_pages_showing_it(preview: Preview, tree: Briefing) -> None:
    from conftest import REGISTRIES

    places = REGISTRIES["places"].replace("Distrik Glushkov", "Distrik Glushkovo")
    status = preview.next_build(lambda: tree.registry("places", places), "the registry edit")
    written = set(status["written"])
    assert "places/glushkov/index.html" in written
    assert "2024/08/15/evakuasi/index.html" in written  # it names Glushkov
    assert "2024/08/14/kemarin/index.html" not in written  # it does not
    assert "places/sudzha/index.html" not in written


def test_broken_yaml_keeps_the_last_good_site_and_shows_an_overlay(preview: Preview, tree: Briefing,
                                                                   browser_page: Any) -> None:
    page = browser_page
    page.goto(preview.url + "2024/08/15/evakuasi/")
    page.wait_for_function("() => window.EventSource !== undefined")
    before = preview.get("/2024/08/15/evakuasi/")[2]
    status = preview.next_build(lambda: tree.markdown("2024-08-15-evakuasi", META + "sumary: salah ketik\n"),
                                "the broken save")
    assert status["ok"] is False
    overlay = page.locator("#briefing-problems")
    overlay.wait_for(timeout=10_000)
    text = overlay.inner_text()
    assert "content/articles/2024/08/2024-08-15-evakuasi.md:10:1: error: sumary: unknown field 'sumary'" in text
    assert preview.get("/2024/08/15/evakuasi/")[2] == before  # the last good page is still served
    assert "not built" in preview.drain()

    preview.next_build(lambda: tree.markdown("2024-08-15-evakuasi", META.replace("warga", "penduduk")), "the fix")
    page.wait_for_function("() => !document.getElementById('briefing-problems')", timeout=10_000)
    page.wait_for_function("() => document.querySelector('h1').textContent.includes('penduduk')", timeout=10_000)


def test_a_save_nested_too_deep_is_shown_and_the_preview_lives_on(preview: Preview, tree: Briefing) -> None:
    """A file of ~500 nested mappings used to end the preview with a RecursionError."""
    before = preview.get("/2024/08/15/evakuasi/")[2]
    deep = "x: " + "{a: " * 500 + "1" + "}" * 500 + "\n"
    status = preview.next_build(lambda: tree.markdown("2024-08-15-evakuasi", deep + META), "the deep save")
    assert status["ok"] is False
    assert preview.process.poll() is None
    assert preview.get("/2024/08/15/evakuasi/")[2] == before
    preview.next_build(lambda: tree.markdown("2024-08-15-evakuasi", META.replace("warga", "penduduk")), "the fix")
    assert "penduduk" in _title(preview.get("/2024/08/15/evakuasi/")[2])
    preview.stop()
    output = preview.drain()
    assert "nested more than 50 levels deep" in output and "Traceback" not in output


def test_open_page_reloads_on_edit_and_css_is_swapped_without_reload(preview: Preview, tree: Briefing,
                                                                     browser_page: Any) -> None:
    page = browser_page
    page.goto(preview.url + "2024/08/15/evakuasi/")
    page.evaluate("() => { window.kept = 'yes'; }")
    own_css = tree.root / "templates" / "static" / "style.css"
    own_css.parent.mkdir(parents=True, exist_ok=True)
    css = (default_theme() / "static" / "style.css").read_text()
    status = preview.next_build(lambda: own_css.write_text(css + "\nbody { outline: 1px solid red; }\n"),
                                "the stylesheet edit")
    # the 404 page carries the stylesheet inline (it is styled wherever it is served), so it
    # is rewritten too; the open page is not among what changed, so it is not reloaded
    assert status["written"] == ["404.html", "static/style.css"]
    page.wait_for_function("() => [...document.querySelectorAll('link[rel=stylesheet]')].some(l => l.href.includes('?v='))",
                           timeout=10_000)
    assert page.evaluate("() => window.kept") == "yes"  # swapped, not reloaded

    preview.next_build(lambda: tree.markdown("2024-08-15-evakuasi", META.replace("warga", "penghuni")), "the edit")
    page.wait_for_function("() => document.querySelector('h1').textContent.includes('penghuni')", timeout=10_000)
    assert page.evaluate("() => window.kept") is None  # this page reloaded


def test_only_files_under_site_are_served(preview: Preview, tree: Briefing, tmp_path: Path) -> None:
    secret = tmp_path / "rahasia.txt"
    secret.write_text("jangan dibaca")
    (tree.root / "site" / "tautan").symlink_to(secret)
    for path in ("/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2f..%2fetc/passwd",
                 "/tautan", "/.briefing-build.json", "/static/../../briefing.yml"):
        code, _headers, body = preview.get(path)
        assert code == 404, path
        assert b"root:" not in body and b"jangan dibaca" not in body and b"base_url" not in body
    code, headers, _ = preview.get("/static/style.css")
    assert code == 200 and headers["content-type"].startswith("text/css")
    code, headers, _ = preview.get("/feeds/articles.xml")
    assert code == 200 and headers["content-type"] == "application/xml"
    code, headers, body = preview.get("/tidak-ada/")
    assert code == 404 and headers["content-type"].startswith("text/html") and b"Halaman tidak ditemukan" in body
    assert preview.get("/", host="evil.example:80")[0] == 403
    assert b"/__briefing/live.js" in preview.get("/")[2]
    assert b"__briefing" not in (tree.root / "site" / "index.html").read_bytes()  # files stay clean


def test_ctrl_c_stops_cleanly(tree: Briefing) -> None:
    running = Preview(tree, "--no-pdf", "--no-search")
    assert running.stop() == 0
    assert "Stopped." in running.drain()


def test_pdfs_follow_in_the_background(tree: Briefing) -> None:
    running = Preview(tree, "--no-search")
    try:
        pdf = tree.root / "site/2024/08/15/briefing-uji-2024-08-15.pdf"
        deadline = time.monotonic() + 90
        while not pdf.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert pdf.exists(), running.drain()
        before = pdf.read_bytes()
        status = running.next_build(
            lambda: tree.markdown("2024-08-15-evakuasi", META.replace("warga", "penduduk desa")), "the edit")
        assert not any(p.endswith(".pdf") for p in status["written"])  # HTML did not wait for the PDF
        deadline = time.monotonic() + 90
        while pdf.read_bytes() == before and time.monotonic() < deadline:
            time.sleep(0.2)
        assert pdf.read_bytes() != before
        assert any("PDF 2024-08-15" in line for line in [*running.lines, running.drain()])
    finally:
        running.stop()


def test_a_body_edit_reloads_only_pages_whose_bytes_changed(preview: Preview, tree: Briefing) -> None:
    status = preview.next_build(
        lambda: tree.markdown("2024-08-15-evakuasi", body="Paragraf yang sama sekali baru.\n"), "the body edit")
    written = set(status["written"])
    assert "2024/08/15/evakuasi/index.html" in written
    # Lists show the title and summary, not the body: their pages came out the same.
    assert "places/glushkov/index.html" not in written
    assert "2024/08/15/index.html" not in written


def test_a_template_folder_made_while_watching_is_watched(preview: Preview, tree: Briefing) -> None:
    own = tree.root / "templates"
    preview.next_build(own.mkdir, "the new folder")
    text = (default_theme() / "article.html").read_text()
    status = preview.next_build(
        lambda: (own / "article.html").write_text(text.replace('<article class="article"', '<article class="article edited"')),
        "the template in it")
    assert "2024/08/15/evakuasi/index.html" in status["written"]


def test_a_background_pdf_leaves_the_error_overlay_standing() -> None:
    from briefing.serve import LiveReload

    hub = LiveReload()
    hub.failed(["content/articles/x.md:3:1: error: date: not a date"], {"ok": False})
    client = hub.subscribe()
    hub.written(["2024/08/15/briefing-uji-2024-08-15.pdf"])
    assert hub.problems  # a page opened now still gets the overlay
    assert client.get_nowait()[0] == "problems"
    assert client.get_nowait() == ("written", {"files": ["2024/08/15/briefing-uji-2024-08-15.pdf"]})


def test_events_the_kernel_dropped_make_the_next_rebuild_look_at_everything(tmp_path: Path) -> None:
    """watchdog only logs an inotify overflow; the watch mode must then stop trusting its paths."""
    import logging
    import threading

    from briefing.watch import _Collector, _LostEvents

    collector = _Collector(tmp_path, tmp_path / "site")
    handler = _LostEvents(collector)
    parent = logging.getLogger("watchdog.observers")
    parent.addHandler(handler)
    try:
        logging.getLogger("watchdog.observers.inotify_c").warning(
            "Inotify queue overflowed; filesystem events were lost")
    finally:
        parent.removeHandler(handler)
    paths, complete = collector.take_burst(threading.Event())
    assert paths and not complete
    # The flag is reset for the next burst.
    collector.paths.add("content/articles/x.md")
    collector.wake.set()
    assert collector.take_burst(threading.Event()) == ({"content/articles/x.md"}, True)


def test_a_save_ends_with_its_close_or_its_move_into_place(tmp_path: Path) -> None:
    """The burst of a save ends after the short SETTLE, not the whole DEBOUNCE, once the
    file was closed after writing or moved into place; any other event waits longer."""
    from watchdog.events import FileClosedEvent, FileCreatedEvent, FileModifiedEvent, FileMovedEvent

    from briefing.watch import _Collector

    article = str(tmp_path / "content/articles/2024/08/a.md")
    collector = _Collector(tmp_path, tmp_path / "site")
    steps = [
        (FileModifiedEvent(article), False),
        (FileClosedEvent(article), True),  # an editor writing the file in place
        (FileCreatedEvent(article + ".tmp"), True),  # not a source: changes nothing
        (FileMovedEvent(article + ".tmp", article), True),  # a temporary file renamed into place
        (FileMovedEvent(article, article + "~"), False),  # moved away (a backup): more may follow
        (FileCreatedEvent(article), False),
    ]
    for event, settled in steps:
        collector.on_any_event(event)
        assert collector.settled is settled, event
    assert collector.paths == {"content/articles/2024/08/a.md"}


def test_bound_to_every_interface_it_still_checks_the_host_and_says_it_is_exposed(tree: Briefing) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "briefing", "--root", str(tree.root), "serve", "--port", "0", "--host", "0.0.0.0",
         "--no-pdf", "--no-search"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "COLUMNS": "300"})
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline(), process.stdout.readline()]
        port = int(re.search(r"0\.0\.0\.0:(\d+)/", lines[0]).group(1))  # type: ignore[union-attr]
        assert "Warning: the preview is reachable from the network" in lines[1], lines

        def status_for(host: str) -> int:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.putrequest("GET", "/", skip_host=True)
            connection.putheader("Host", host)
            connection.endheaders()
            code = connection.getresponse().status
            connection.close()
            return code

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and status_for(f"127.0.0.1:{port}") == 404:
            time.sleep(0.1)  # the first build is on its way
        assert status_for(f"127.0.0.1:{port}") == 200
        assert status_for("evil.example") == 403
        assert status_for(f"evil.example:{port}") == 403
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)


def test_readers_hanging_up_are_not_errors(preview: Preview) -> None:
    import socket

    for _ in range(40):
        with socket.create_connection(("127.0.0.1", preview.port)) as client:
            client.sendall(b"GET /static/style.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    assert preview.get("/")[0] == 200
    assert preview.stop() == 0
    assert "Traceback" not in preview.drain()
