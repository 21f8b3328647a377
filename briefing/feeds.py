"""Machine-readable data in JSON: the JSON Feed and data/articles.json for researchers.

The Atom feeds are templates (feeds/*.xml in the theme); these two are plain
data and are written with json.dumps, which escapes what JSON needs escaped.
"""

from __future__ import annotations

import json
from typing import Any

from briefing import urls
from briefing.model import REGISTRY_KINDS, Article, Site
from briefing.plan import FEED_SIZE
from briefing.views import Views

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def json_feed(site: Site, views: Views) -> dict[str, Any]:
    config = site.config
    items = []
    for article_id in list(site.articles)[:FEED_SIZE]:
        view = views.article(site.articles[article_id])
        a = view.article
        item: dict[str, Any] = {
            "id": urls.absolute(config.base_url, view.path),
            "url": urls.absolute(config.base_url, view.path),
            "title": a.title,
            "content_text": a.summary or a.title,
            "date_published": a.published.isoformat(),
            "language": a.language,
            "authors": [{"name": view.outlet.name}],
            "tags": [t.name for t in view.topics],
        }
        if a.summary:
            item["summary"] = a.summary
        if a.source.url:
            item["external_url"] = a.source.url
        if a.image:
            item["image"] = urls.absolute(config.base_url, urls.media_path(a.image.src))
        items.append(item)
    return {
        "version": JSON_FEED_VERSION,
        "title": config.title,
        "home_page_url": config.base_url,
        "feed_url": urls.absolute(config.base_url, urls.FEED_JSON),
        "description": config.description,
        "language": config.language,
        "items": items,
    }


def _article_record(site: Site, article: Article) -> dict[str, Any]:
    source = article.source
    return {
        "id": article.id,
        "url": urls.absolute(site.config.base_url, urls.article_path(article)),
        "title": article.title,
        "published": article.published.isoformat(),
        "briefing": article.day.isoformat(),
        "language": article.language,
        "format": article.format,
        "source": {"outlet": source.outlet, "based_on": source.based_on, "url": source.url,
                   "author": source.author, "editor": source.editor, "dateline": source.dateline},
        "summary": article.summary,
        "topics": list(article.topics),
        "places": list(article.places),
        "actors": list(article.actors),
        "figures": [{"label": f.label, "value": f.value, "min": f.minimum, "max": f.maximum,
                     "qualifier": f.qualifier.value, "unit": f.unit, "place": f.place,
                     "claim": f.claim} for f in article.figures],
        "claims": [{"id": c.id, "text": c.text, "status": c.status.value,
                    "by": c.by_actor, "by_text": c.by_text, "admiralty": c.admiralty,
                    "evidence": list(c.evidence)} for c in article.claims],
        "priority": article.priority,
    }


class _Records:
    """Each article's record in data/articles.json, encoded once.

    The file holds every article of the briefing and is written again after an edit
    to any article's metadata (in the watch mode: every title edit). A record is
    reused while its article is the very same object (the load keeps unchanged
    articles), or has the same metadata; the config's URL is in every record, so
    another config starts afresh.
    """

    def __init__(self) -> None:
        self.config = ""
        self.by_id: dict[str, tuple[Article, tuple[str, str | None] | None, bytes]] = {}

    def of(self, site: Site) -> list[bytes]:
        config = site.config.model_dump_json()
        if config != self.config or len(self.by_id) > 2 * len(site.articles) + 1000:
            self.config, self.by_id = config, {}  # another config, or many articles gone
        by_id, records = self.by_id, []
        for article in site.articles.values():
            found = by_id.get(article.id)
            if found is not None and found[0] is article:
                records.append(found[2])
                continue
            key = (article.meta_digest, article.source.based_on) if article.meta_digest else None
            if found is not None and key is not None and found[1] == key:
                data = found[2]
            else:
                data = encode(_article_record(site, article)).encode()
            by_id[article.id] = (article, key, data)
            records.append(data)
        return records


_records = _Records()


def encode(value: Any) -> str:
    """Compact JSON with the C encoder (indenting is pure Python): data/articles.json holds
    every article of the briefing."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def articles_data(site: Site) -> bytes:
    """Every article's metadata and the registries, for researchers (data/articles.json):
    one JSON object and a newline, each unchanged article's record encoded once."""
    registries: dict[str, Any] = {
        kind: {entry.id: {k: v for k, v in _fields(entry).items() if k != "id"}
               for entry in site.registry(kind).values()}
        for kind in REGISTRY_KINDS
    }
    head = encode({"title": site.config.title, "language": site.config.language,
                   "base_url": site.config.base_url})
    rest = encode(registries)
    # One join of every piece: the file is ~1.4 KB an article, copied once, not twice.
    pieces = [f'{head[:-1]},"articles":['.encode()]
    for record in _records.of(site):
        pieces += (record, b",")
    if len(pieces) > 1:
        pieces.pop()  # the comma after the last record
    pieces.append(f"],{rest[1:]}\n".encode())
    return b"".join(pieces)


def _fields(entry: object) -> dict[str, Any]:
    values = {name: getattr(entry, name) for name in getattr(entry, "__slots__", ())}
    return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}
