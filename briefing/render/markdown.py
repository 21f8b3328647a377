"""Markdown to HTML: CommonMark, tables, footnotes, heading anchors, safe links.

Raw HTML is shown as text unless the config allows it. markdown-it already
refuses `javascript:`, `vbscript:` and `file:` links; here images are
resolved too: a path under content/ becomes the published file, a remote
image is shown only from an allowed host, and anything else becomes a plain
link with a warning, so that no page makes a request nobody configured.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from briefing.slugs import slugify

#: Resolves an image path under content/ to the URL to use on the page, or None if no such file.
ImageResolver = Callable[[str], str | None]


@dataclass(frozen=True, slots=True)
class Outline:
    """One heading of a body, for tables of contents and PDF bookmarks."""

    level: int
    text: str
    anchor: str


@dataclass(frozen=True, slots=True)
class RenderedBody:
    html: str
    outline: tuple[Outline, ...]
    warnings: tuple[str, ...]  # what a curator should fix, e.g. a missing image


def heading_anchor(text: str) -> str:
    return slugify(text) or "bagian"


class MarkdownRenderer:
    """A configured markdown-it parser; one per build, shared by every page."""

    def __init__(self, *, raw_html: bool = False, allowed_hosts: Sequence[str] = (),
                 table_label: str = "Table", code_label: str = "Code") -> None:
        self.allowed_hosts = frozenset(h.lower() for h in allowed_hosts)
        # The typographer is off on purpose: its quote replacement is quadratic on
        # long texts, and an outlet's punctuation is kept as it was written anyway.
        self.md = (
            MarkdownIt("commonmark", {"html": raw_html, "typographer": False, "linkify": False})
            .enable(["table", "strikethrough"])
            .use(footnote_plugin)
            .use(anchors_plugin, min_level=1, max_level=6, slug_func=heading_anchor)
        )
        label = escape(table_label, quote=True)

        def table_open(renderer: RendererHTML, tokens: Sequence[Token], idx: int,
                       options: OptionsDict, env: EnvType) -> str:
            # A wide table scrolls inside its own focusable region, not the whole page.
            return (f'<div class="table-scroll" tabindex="0" role="region" aria-label="{label}">'
                    + renderer.renderToken(tokens, idx, options, env))

        def table_close(renderer: RendererHTML, tokens: Sequence[Token], idx: int,
                        options: OptionsDict, env: EnvType) -> str:
            return renderer.renderToken(tokens, idx, options, env) + "</div>"

        code = escape(code_label, quote=True)

        def fence(_renderer: RendererHTML, tokens: Sequence[Token], idx: int,
                  options: OptionsDict, env: EnvType) -> str:
            # A long line of code scrolls inside its own focusable region, as a table does.
            inner = default_fence(tokens, idx, options, env)
            return f'<div class="code-scroll" tabindex="0" role="region" aria-label="{code}">{inner}</div>\n'

        def code_block(_renderer: RendererHTML, tokens: Sequence[Token], idx: int,
                       options: OptionsDict, env: EnvType) -> str:
            inner = default_code_block(tokens, idx, options, env)
            return f'<div class="code-scroll" tabindex="0" role="region" aria-label="{code}">{inner}</div>\n'

        def cell_open(renderer: RendererHTML, tokens: Sequence[Token], idx: int,
                      options: OptionsDict, env: EnvType) -> str:
            # An aligned column as a class, not style="text-align:...": the pages' Content
            # Security Policy allows no style attributes (the theme styles .align-*).
            token = tokens[idx]
            style = str(token.attrs.pop("style", ""))
            if style.startswith("text-align:"):
                token.attrSet("class", f"align-{style.removeprefix('text-align:')}")
            return renderer.renderToken(tokens, idx, options, env)

        html_renderer = self.md.renderer
        assert isinstance(html_renderer, RendererHTML)
        default_fence = html_renderer.rules["fence"]
        default_code_block = html_renderer.rules["code_block"]
        self.md.add_render_rule("table_open", table_open)
        self.md.add_render_rule("table_close", table_close)
        self.md.add_render_rule("fence", fence)
        self.md.add_render_rule("code_block", code_block)
        self.md.add_render_rule("th_open", cell_open)
        self.md.add_render_rule("td_open", cell_open)
        # markdown-it refuses javascript:, vbscript:, file: and non-image data: links by
        # leaving them as text; remember them so the curator hears about it.
        self._refused: list[str] = []
        safe = self.md.validateLink

        def validate_link(url: str) -> bool:
            if safe(url):
                return True
            self._refused.append(url)
            return False

        self.md.validateLink = validate_link  # type: ignore[method-assign]

    def render(self, text: str, resolve_image: ImageResolver, *, top: int = 2) -> RenderedBody:
        """The body's HTML, its headings, and warnings about images it cannot show.

        Headings move down so that the highest is at level ``top`` (2 on a web page,
        under the title's h1).
        """
        self._refused.clear()
        tokens = self.md.parse(text)
        warnings = [f"the address {url} is not allowed in a link or image; it is shown as text"
                    for url in dict.fromkeys(self._refused)]
        _shift_headings(tokens, top)
        for token in tokens:
            if token.children:
                token.children = [
                    out for child in token.children
                    for out in (self._image(child, resolve_image, warnings)
                                if child.type == "image" else (child,))
                ]
        html = self.md.renderer.render(tokens, self.md.options, {})
        return RenderedBody(html, tuple(_outline(tokens)), tuple(warnings))

    def render_note(self, text: str) -> str:
        """A short Markdown note (an editor's note): no images are shown, only their text."""
        return self.render(text, lambda _src: None).html

    def _image(self, token: Token, resolve: ImageResolver,
               warnings: list[str]) -> Sequence[Token]:
        """The image as it should render: itself, or its alt text (linked when safe)."""
        src = str(token.attrs.get("src", ""))
        parts = urlsplit(src)
        if parts.scheme in ("http", "https"):
            if (parts.hostname or "").lower() in self.allowed_hosts:
                return (token,)
            warnings.append(f"image {src} is on another host; it is shown as a link "
                            "(allow the host in briefing.yml network.allowed_hosts to show it)")
            return _alt_text(token, src)
        if parts.scheme == "data":
            return (token,)  # inline data: nothing is fetched
        if parts.scheme or src.startswith("//"):
            warnings.append(f"image {src} cannot be shown: only files under content/ "
                            "and allowed web hosts are")
            return _alt_text(token, None)
        url = resolve(src)
        if url is None:
            warnings.append(f"image {src}: no such file under content/")
            return _alt_text(token, None)
        token.attrs["src"] = url
        token.attrs["loading"] = "lazy"
        return (token,)


def _alt_text(token: Token, href: str | None) -> Sequence[Token]:
    text = Token("text", "", 0, content=token.content or src_name(token))
    if href is None:
        return (text,)
    link = Token("link_open", "a", 1, attrs={"href": href})
    return (link, text, Token("link_close", "a", -1))


def src_name(token: Token) -> str:
    return str(token.attrs.get("src", "")).rsplit("/", 1)[-1]


def _shift_headings(tokens: list[Token], top: int) -> None:
    """Move headings down so the highest sits at ``top``: the page's title stays above them."""
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    shift = top - min(levels) if levels else 0
    if shift <= 0:
        return
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + shift, 6)}"


def _outline(tokens: list[Token]) -> list[Outline]:
    found = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = tokens[index + 1]
            found.append(Outline(int(token.tag[1]), inline.content, str(token.attrs.get("id", ""))))
    return found
