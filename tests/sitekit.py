"""Shared pieces for the website tests: the built sample, an HTTP server, a browser, a parser.

The website tests run against this repository's own sample briefing (content/
and briefing.yml, copied into a temporary folder): it exercises every page
type, and `briefing check --strict` keeps it valid.
"""

from __future__ import annotations

import posixpath
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]

#: One page of each type in the sample, by the name the tests use.
PAGES = {
    "home": "",
    "article": "2024/08/15/evakuasi-glushkovo/",
    "markdown article": "2024/08/14/tawanan-perang/",
    "day": "2024/08/15/",
    "archive": "archive/",
    "year": "2024/",
    "month": "2024/08/",
    "places": "places/",
    "place": "places/glushkov/",
    "actor": "actors/syrskyi/",
    "topic": "topics/evakuasi/",
    "source": "sources/kontan/",
    "claims": "claims/",
    "claim status": "claims/disputed/",
    "timeline": "timeline/",
    "timeline month": "timeline/2024-08/",
    "search": "search/",
    "404": "404.html",
}


def copy_sample(target: Path) -> Path:
    """This repository's sample briefing, copied: content/, briefing.yml, the example
    subscriber list (the theme is the default one)."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "content", target / "content")
    shutil.copytree(REPO / "examples", target / "examples")
    shutil.copy(REPO / "briefing.yml", target / "briefing.yml")
    return target


def file_for(site: Path, path: str) -> Path:
    return site / (path + "index.html" if path == "" or path.endswith("/") else path)


@contextmanager
def serve(site: Path, prefix: str = "/") -> Iterator[str]:
    """Serve ``site`` at ``prefix`` on 127.0.0.1 like a static host: folders as index.html,
    missing files as 404.html with status 404."""

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(site), **kwargs)

        def translate_path(self, path: str) -> str:
            if not path.startswith(prefix):
                return str(site / "__outside_the_prefix__")
            return super().translate_path("/" + path[len(prefix):])

        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            page = site / "404.html"
            if code != 404 or not page.is_file():
                super().send_error(code, message, explain)
                return
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


_BLOCKS = frozenset(["p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer", "nav", "main", "aside", "figure", "figcaption", "table", "tr", "td", "th", "br", "form", "label"])


class Page(HTMLParser):
    """A parsed HTML page: its links, resources, text and a few elements tests ask about."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []  # href of <a>
        self.resources: list[str] = []  # what the browser fetches: src, stylesheets, icons
        self.alternates: list[str] = []  # <link rel=alternate|canonical>
        self.scripts: list[str] = []  # inline script bodies
        self.ids: set[str] = set()
        self.lang = ""
        self.title = ""
        self.h1 = ""
        self.text_parts: list[str] = []
        self.meta: dict[str, str] = {}
        self._stack: list[str] = []
        self._script = False
        self.feed(html)

    @property
    def text(self) -> str:
        """The visible text, as a reader sees it: inline elements run on, blocks break."""
        return " ".join("".join(self.text_parts).split())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "html":
            self.lang = values.get("lang", "")
        if tag == "a" and "href" in values:
            self.links.append(values["href"])
        if tag in ("img", "script", "source", "iframe", "video", "audio") and values.get("src"):
            self.resources.append(values["src"])
        if tag == "link":
            rel = values.get("rel", "")
            (self.alternates if rel in ("alternate", "canonical") else self.resources).append(values.get("href", ""))
        if tag == "meta":
            key = values.get("name") or values.get("property")
            if key:
                self.meta[key] = values.get("content", "")
        if tag in _BLOCKS:
            self.text_parts.append(" ")
        if tag == "script" and not values.get("src"):
            self._script = True
            self.scripts.append("")
        self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.text_parts.append(" ")
        if tag == "script":
            self._script = False
        while self._stack and self._stack.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self._script:
            self.scripts[-1] += data
            return
        if "title" in self._stack and "svg" not in self._stack:  # not a chart's title
            self.title += data
        if "h1" in self._stack:
            self.h1 += data
        if "script" not in self._stack and "style" not in self._stack:
            self.text_parts.append(data)


def parse(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def site_paths(page_path: str, links: list[str]) -> list[str]:
    """Links of the page at ``page_path`` as site paths ('2024/08/15/x/'), in order."""
    found = []
    for link in links:
        if link.startswith(("#", "http:", "https:", "mailto:")):
            continue
        path = posixpath.normpath(posixpath.join(page_path, link.split("#")[0]))
        found.append("" if path == "." else path + ("/" if link.endswith("/") else ""))
    return found
