"""Pages that show no content of their own: the search page and the page for missing addresses."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from briefing import inputs, urls
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


#: The stylesheet the page for missing addresses carries inline.
NOT_FOUND_STYLES = "static/style.css"


class NotFound(Unit):
    """Served for any missing address, so its links are rooted at the base path; its
    styles are inline (allowed by their hash), so that it is styled wherever the site is
    served, under its base path or not."""

    kind = "not-found"
    template = "404.html"

    def plan(self, p: Planning) -> Iterator[Output]:
        yield self.output(urls.NOT_FOUND, [inputs.theme(NOT_FOUND_STYLES)])

    def context(self, output: Output, r: Renderer) -> dict[str, Any]:
        # The theme's own code, marked safe in the template: it can never close its element.
        css = r.tools.theme.source(NOT_FOUND_STYLES).replace("</", "<\\/")
        digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
        return {"page": r.page(output, r.t("notfound.title"), "", rooted=True, index=False),
                "inline_css": css, "inline_css_hash": f"sha256-{digest}"}
