"""Machine-readable data in JSON: the JSON Feed, and data/articles.json for researchers.

These are plain data, written with json.dumps (which escapes what JSON needs
escaped), not templates.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from briefing import inputs, urls
from briefing.config import Config
from briefing.frozen import Value
from briefing.model import REGISTRY_KINDS, Article, Identity
from briefing.units.base import Output, Planning, Rendered, Unit
from briefing.units.feeds import FEED_SIZE, latest_ids

if TYPE_CHECKING:
    from briefing.reads import Reads
    from briefing.units.renderer import Renderer

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def encode(value: Any) -> str:
    """Compact JSON with the C encoder (indenting is pure Python): data/articles.json holds
    every article of the briefing."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _json(value: Any) -> bytes:
    return (encode(value) + "\n").encode()


class JsonFeed(Unit):
    """The newest articles as a JSON Feed."""

    kind = "feed-json"

    def plan(self, p: Planning) -> Iterator[Output]:
        site = p.site
        yield self.output(urls.FEED_JSON, inputs.cards(latest_ids(site)))

    def render(self, output: Output, r: Renderer) -> Rendered:
        config = r.config
        items = []
        for article_id in r.reads.latest_articles(FEED_SIZE):
            view = r.views.article(article_id)
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
        return Rendered(_json({
            "version": JSON_FEED_VERSION,
            "title": config.title,
            "home_page_url": config.base_url,
            "feed_url": urls.absolute(config.base_url, urls.FEED_JSON),
            "description": config.description,
            "language": config.language,
            "items": items,
        }))


class ArticlesData(Unit):
    """Every article's metadata and every registry entry, for researchers."""

    kind = "data-articles"

    def plan(self, p: Planning) -> Iterator[Output]:
        site = p.site
        entries = [inputs.entry(kind, i) for kind in REGISTRY_KINDS for i in site.registry(kind)]
        days = [key for on in site.days for key in (inputs.day(on), inputs.issue(on))]
        yield self.output(urls.DATA_ARTICLES, [inputs.ARTICLES, inputs.DAYS, *map(inputs.meta, site.articles),
                                               *entries, *days])

    def render(self, output: Output, r: Renderer) -> Rendered:
        reads = r.reads
        registries: dict[str, Any] = {
            kind: {entry_id: _fields(reads.entry(kind, entry_id)) for entry_id in reads.entries(kind)}
            for kind in REGISTRY_KINDS
        }
        config = r.config
        head = encode({"title": config.title, "language": config.language, "base_url": config.base_url})
        rest = encode({**registries, "briefings": [_briefing(on, r) for on in reads.days()]})
        # One join of every piece: the file is ~1.4 KB an article, copied once, not twice.
        pieces = [f'{head[:-1]},"articles":['.encode()]
        for record in r.records.of(reads):
            pieces += (record, b",")
        if len(pieces) > 1:
            pieces.pop()  # the comma after the last record
        pieces.append(f"],{rest[1:]}\n".encode())
        return Rendered(b"".join(pieces))


def _briefing(on: date, r: Renderer) -> dict[str, Any]:
    """A day's briefing for researchers: its edition, curation, data cut-off and articles."""
    day = r.reads.day(on)
    return {"date": on.isoformat(), "edition": r.reads.issue(on), "curated": day.curated,
            "headline": day.headline, "cut_off": r.views.cut_off(day).isoformat(),
            "takeaways": list(day.takeaways), "articles": list(day.article_ids)}


def _fields(entry: object) -> dict[str, Any]:
    values = {name: getattr(entry, name) for name in getattr(entry, "__slots__", ()) if name != "id"}
    return {k: _plain(v) for k, v in values.items()}


def _plain(value: Any) -> Any:
    """A field as JSON has it: a tuple as a list, a value of its own (a place's label) as an object."""
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Value):
        return {name: _plain(getattr(value, name)) for name in getattr(value, "__slots__", ())}
    return value


def _record(config: Config, article: Article) -> dict[str, Any]:
    source = article.source
    return {
        "id": article.id,
        "url": urls.absolute(config.base_url, urls.article_path(article)),
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
                     "claim": f.claim, "series": f.series} for f in article.figures],
        "claims": [{"id": c.id, "text": c.text, "status": c.status.value,
                    "by": c.by_actor, "by_text": c.by_text, "admiralty": c.admiralty,
                    "evidence": list(c.evidence), "disputed_by": c.disputed_by_actor,
                    "disputed_by_text": c.disputed_by_text, "thread": c.thread} for c in article.claims],
        "priority": article.priority,
    }


class ArticleRecords:
    """Each article's record in data/articles.json, encoded once.

    The file holds every article of the briefing and is written again after an edit
    to any article's metadata (in the watch mode: every title edit). A record is
    reused while its article is the very same object (the load keeps unchanged
    articles), or has the same metadata; the config's URL is in every record, so
    another config starts afresh. The build keeps one for as long as it runs.
    """

    def __init__(self) -> None:
        self.config = ""
        self.by_id: dict[str, _Record] = {}

    def of(self, reads: Reads) -> list[bytes]:
        config = reads.config
        stamp = config.site_json
        ids = reads.article_ids()
        if stamp != self.config or len(self.by_id) > 2 * len(ids) + 1000:
            self.config, self.by_id = stamp, {}  # another config, or many articles gone
        by_id, records = self.by_id, []
        for article_id in ids:
            article = reads.article(article_id)
            found = by_id.get(article_id)
            if found is not None and found.article is article:
                records.append(found.data)
                continue
            identity = article.meta_identity
            if found is not None and identity is not None and found.identity == identity:
                data = found.data
            else:
                data = encode(_record(config, article)).encode()
            by_id[article_id] = _Record(article, identity, data)
            records.append(data)
        return records


class _Record:
    __slots__ = ("article", "data", "identity")

    def __init__(self, article: Article, identity: Identity | None, data: bytes) -> None:
        self.article, self.identity, self.data = article, identity, data
