"""Split a Markdown article into its YAML front matter and its body."""

from __future__ import annotations

from dataclasses import dataclass

_FENCE = "---"
_CLOSERS = ("---", "...")


@dataclass(frozen=True, slots=True)
class FrontMatter:
    yaml: str
    yaml_line: int  # 1-based line where the YAML starts
    body: str
    body_line: int  # 1-based line where the body starts


def split_front_matter(text: str) -> FrontMatter | None:
    """The front matter between the opening ``---`` and the closing ``---``, or None."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != _FENCE:
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in _CLOSERS:
            return FrontMatter(
                yaml="".join(lines[1:index]),
                yaml_line=2,
                body="".join(lines[index + 1:]),
                body_line=index + 2,
            )
    return None
