"""The preview server: site/ over HTTP on loopback, with live reload.

It serves only files inside site/ (no path leaves the folder, symlinks
included), answers missing pages with the site's 404 page, checks the Host
header against DNS rebinding, and adds the live-reload script to HTML
responses only, never to the files on disk. Build results reach open pages
as server-sent events.
"""

from __future__ import annotations

import ipaddress
import json
import mimetypes
import queue
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import suppress
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from briefing.output import SiteFolder

EVENTS = "/__briefing/events"
SCRIPT = "/__briefing/live.js"
STATUS = "/__briefing/status"

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".wasm": "application/wasm",
    ".pdf": "application/pdf",
    ".webmanifest": "application/manifest+json",
}
_LOOPBACK = {"localhost", "127.0.0.1", "::1"}


def _is_loopback(host: str) -> bool:
    try:
        return host in _LOOPBACK or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host.endswith(".localhost")


def allowed_hosts(host: str) -> frozenset[str]:
    """The host names a request may name: the loopback's, the host the preview is bound to,
    and when that is every interface (0.0.0.0, ::), this machine's names and addresses."""
    names = {*_LOOPBACK, host.strip("[]").lower()}
    if host in ("0.0.0.0", "::", ""):
        for name in (socket.gethostname(), socket.getfqdn()):
            names.add(name.lower())
            with suppress(OSError):
                names.update(str(info[4][0]) for info in socket.getaddrinfo(name, None))
    return frozenset(names)


class LiveReload:
    """Fans build events out to every open page; remembers the state a new page needs."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clients: list[queue.Queue[tuple[str, dict[str, Any]] | None]] = []
        self.problems: list[str] = []  # of the last failed build, until one succeeds
        self.status: dict[str, Any] = {"builds": 0}

    def subscribe(self) -> queue.Queue[tuple[str, dict[str, Any]] | None]:
        client: queue.Queue[tuple[str, dict[str, Any]] | None] = queue.Queue()
        with self._lock:
            self._clients.append(client)
            if self.problems:
                client.put(("problems", {"problems": self.problems}))
        return client

    def unsubscribe(self, client: queue.Queue[tuple[str, dict[str, Any]] | None]) -> None:
        with self._lock, suppress(ValueError):
            self._clients.remove(client)

    def built(self, files: list[str], status: dict[str, Any]) -> None:
        with self._lock:
            self.problems = []
            self.status = status
        self._send("built", {"files": files})

    def written(self, files: list[str]) -> None:
        """Files written apart from a build (a PDF finished in the background): pages showing
        them reload, and the outcome of the last build, an error overlay included, stands."""
        self._send("written", {"files": files})

    def failed(self, problems: list[str], status: dict[str, Any]) -> None:
        with self._lock:
            self.problems = problems
            self.status = status
        self._send("problems", {"problems": problems})

    def close(self) -> None:
        with self._lock:
            for client in self._clients:
                client.put(None)

    def _send(self, event: str, data: dict[str, Any]) -> None:
        with self._lock:
            for client in self._clients:
                client.put((event, data))


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, site: Path, host: str, port: int, hub: LiveReload, base_path: str) -> None:
        self.site = SiteFolder(site)
        self.hub = hub
        self.base_path = base_path
        self.bound_host = host
        self.allowed_hosts = allowed_hosts(host)
        super().__init__((host, port), _Handler)

    @property
    def exposed(self) -> bool:
        """Whether other machines can reach the preview (it is bound beyond the loopback)."""
        return not _is_loopback(self.bound_host)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A reader closing a tab mid-answer is no error; anything else is one line, not a
        traceback, in a terminal that shows builds."""
        kind = sys.exc_info()[0]
        if kind is not None and issubclass(kind, ConnectionError | TimeoutError):
            return
        print(f"preview: {kind.__name__ if kind else 'error'} answering {client_address[0]}: "
              f"{sys.exc_info()[1]}", file=sys.stderr)


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return  # the terminal shows builds, not every request

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def _serve(self, *, head: bool) -> None:
        if not self._host_allowed():
            self._plain(HTTPStatus.FORBIDDEN, "unexpected Host header", head)
            return
        path = urlsplit(self.path).path
        if path == EVENTS and not head:
            self._events()
            return
        if path == SCRIPT:
            script = resources.files("briefing").joinpath("live.js").read_bytes()
            self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", script, head)
            return
        if path == STATUS:
            self._send(HTTPStatus.OK, "application/json",
                       json.dumps(self.server.hub.status).encode(), head)
            return
        target = self._file(path)
        if isinstance(target, str):
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if target is None:
            missing = self.server.site.published("/404.html")
            body = missing.read_bytes() if isinstance(missing, Path) else b"<!doctype html><title>404</title>"
            self._send(HTTPStatus.NOT_FOUND, _TYPES[".html"], self._live(body), head)
            return
        kind = _TYPES.get(target.suffix.lower()) or mimetypes.guess_type(target.name)[0] \
            or "application/octet-stream"
        data = target.read_bytes()
        if target.suffix.lower() == ".html":
            data = self._live(data)
        self._send(HTTPStatus.OK, kind, data, head)

    def _host_allowed(self) -> bool:
        """Refuse requests for other host names: a web page must not reach the preview
        through a DNS name pointing at it (DNS rebinding), bound to the loopback or not."""
        host = self.headers.get("Host", "")
        try:
            name = urlsplit(f"//{host}").hostname or ""
        except ValueError:
            return False
        return name in self.server.allowed_hosts

    def _file(self, url_path: str) -> Path | str | None:
        """The file under site/ an address names; a redirect target for a folder named
        without its slash; None for anything else (site.published knows which)."""
        path = unquote(url_path)
        base = self.server.base_path
        if base != "/" and path.startswith(base):
            path = "/" + path[len(base):]
        found = self.server.site.published(path)
        return url_path + "/" if isinstance(found, str) else found

    def _live(self, html: bytes) -> bytes:
        tag = f'<script src="{SCRIPT}" data-base="{self.server.base_path}"></script>'.encode()
        index = html.rfind(b"</body>")
        return html[:index] + tag + html[index:] if index >= 0 else html + tag

    def _events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "keep-alive")
        self.end_headers()
        client = self.server.hub.subscribe()
        try:
            for chunk in _stream(client):
                self.wfile.write(chunk)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass
        finally:
            self.server.hub.unsubscribe(client)
            self.close_connection = True

    def _send(self, status: HTTPStatus, kind: str, data: bytes, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _plain(self, status: HTTPStatus, text: str, head: bool) -> None:
        self._send(status, "text/plain; charset=utf-8", text.encode(), head)


def _stream(client: queue.Queue[tuple[str, dict[str, Any]] | None]) -> Iterator[bytes]:
    yield b": connected\n\n"
    while True:
        try:
            item = client.get(timeout=15)
        except queue.Empty:
            yield b": keep-alive\n\n"  # notices a closed tab within seconds
            continue
        if item is None:
            return
        event, data = item
        yield f"event: {event}\ndata: {json.dumps(data)}\n\n".encode()
