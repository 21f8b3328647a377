"""An article's body as HTML, whichever way it was written."""

from __future__ import annotations

from html import escape

from briefing.model import Body, Heading, MarkdownBody
from briefing.render.markdown import ImageResolver, MarkdownRenderer, Outline, RenderedBody, heading_anchor


def render_body(body: Body, markdown: MarkdownRenderer, resolve_image: ImageResolver, *,
                heading_level: int = 2) -> RenderedBody:
    """Markdown through markdown-it; an outlet's raw text as escaped paragraphs and headings.

    The body's highest headings are at ``heading_level``: 2 under a page's h1, 3 in
    the PDF where each article's title is an h2.
    """
    if isinstance(body, MarkdownBody):
        return markdown.render(body.text, resolve_image, top=heading_level)
    parts: list[str] = []
    outline: list[Outline] = []
    used: set[str] = set()
    for block in body.blocks:
        text = escape(block.text, quote=False)
        if isinstance(block, Heading):
            anchor = _unique(heading_anchor(block.text), used)
            outline.append(Outline(heading_level, block.text, anchor))
            parts.append(f'<h{heading_level} id="{anchor}">{text}</h{heading_level}>\n')
        else:
            parts.append(f"<p>{text}</p>\n")
    return RenderedBody("".join(parts), tuple(outline), ())


def _unique(anchor: str, used: set[str]) -> str:
    candidate, number = anchor, 1
    while candidate in used:
        number += 1
        candidate = f"{anchor}-{number}"
    used.add(candidate)
    return candidate
