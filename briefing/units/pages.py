"""Pages that show no content of their own: the search page and the page for missing addresses."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from briefing import urls
from briefing.units.base import Output, Planning, Unit

if TYPE_CHECKING:
    from briefing.units.renderer import Renderer


class Search(Unit):
    """Site search: Pagefind in the browser."""

    kind = "search"
    template = "search.html"
    listed = True

    def plan(self, p: Planning) -> Iterator[Output]:
        yield self.output(urls.SEARCH)

    def context(self, output: Output, r: Renderer) -> dict[str, Any]:
        return {"page": r.page(output, r.t("search.title"), "")}


class NotFound(Unit):
    """Served for any missing address, so its links are rooted at the base path."""

    kind = "not-found"
    template = "404.html"

    def plan(self, p: Planning) -> Iterator[Output]:
        yield self.output(urls.NOT_FOUND)

    def context(self, output: Output, r: Renderer) -> dict[str, Any]:
        return {"page": r.page(output, r.t("notfound.title"), "", rooted=True, index=False)}
