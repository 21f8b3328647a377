"""Slugs: the URL-safe names of articles and files."""

from __future__ import annotations

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-")


def slugify(text: str, *, max_length: int = 80) -> str:
    """'Rusia Perintahkan Evakuasi — Glushkov!' -> 'rusia-perintahkan-evakuasi-glushkov'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_ALNUM.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug


def slug_from_stem(stem: str) -> str:
    """An article's default slug: its file stem without a leading date."""
    return _DATE_PREFIX.sub("", stem) or stem
