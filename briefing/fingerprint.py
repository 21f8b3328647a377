"""Fingerprints of outputs: a digest of everything an output reads.

Two builds give an output the same fingerprint exactly when its inputs (as
its unit declares them), its template and the interface text are the same;
then its bytes are the same too, and the last build's file can be kept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment

from briefing import inputs
from briefing.content.files import stamp
from briefing.followed import points_of
from briefing.inputs import Input, Need
from briefing.model import ClaimStatus, Site
from briefing.plan import Plan
from briefing.render.i18n import Strings
from briefing.render.theme import Theme
from briefing.units.base import Output


def digest(value: Any) -> str:
    # repr, not pickle: pickle's bytes depend on object identity (memo entries),
    # repr of these frozen dataclasses and plain values depends only on content.
    return hashlib.blake2b(repr(value).encode(), digest_size=16).hexdigest()


class Fingerprints:
    """Computes and remembers the digest of every input key of one build."""

    def __init__(self, site: Site, plan: Plan, theme: Theme, env: Environment, strings: Strings) -> None:
        self.site, self.plan, self.theme, self.env = site, plan, theme, env
        self.strings = digest(sorted(strings.table.items()))
        self.cache: dict[Input, str] = {}
        #: The file on disk each copied output's key stands for (static files, media).
        self.sources: dict[Input, Path] = {o.inputs[0]: o.source for o in plan.outputs
                                           if o.source is not None}

    def refresh(self, site: Site, changed: Mapping[str, Iterable[Need]], across: Iterable[Need]) -> None:
        """Move to a site of the same shape (plan.same_shape) whose articles ``changed``
        (each with the kinds of its keys that did) and whose kinds ``across`` articles
        (inputs.ACROSS_ARTICLES) changed: forget what they and the files on disk (static,
        media) were."""
        self.site = site
        cache = self.cache
        for article_id, needs in changed.items():
            for need in needs:
                cache.pop(inputs.key(need, article_id), None)
        for need in across:
            cache.pop(inputs.key(need), None)
        for key in [key for key in cache if inputs.need_of(key) in (Need.MEDIA, Need.FILE)]:
            del cache[key]  # stat'ed again when asked

    def of_input(self, key: Input) -> str:
        found = self.cache.get(key)
        if found is None:
            # The key is part of its digest: the joined digests then say which inputs an
            # output reads and in which order, as well as what they hold.
            value = _VALUES[inputs.need_of(key)](self, inputs.name_of(key))
            text = f"{key}\0{value!r}".encode()
            found = self.cache[key] = hashlib.blake2b(text, digest_size=16).hexdigest()
        return found

    def of_output(self, output: Output) -> str:
        """A digest of what the output is, its template and text, and its inputs' digests.
        Joined text, not a repr: a year's site has ~15,000 outputs with ~400,000 inputs,
        and the CLI fingerprints all of them."""
        cache, of_input = self.cache, self.of_input
        head = [output.path, output.kind, output.key, str(output.page)]
        if output.template:
            head += [of_input(inputs.template(output.template)), self.strings]
        digests = [cache.get(key) or of_input(key) for key in output.inputs]
        text = "\n".join(head) + "\0" + "\n".join(digests)
        return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()

    # --- what each kind of key stands for ---------------------------------------------

    def _config(self, name: str) -> object:
        return self.site.config.site_json

    def _days(self, name: str) -> object:
        return tuple(self.site.days)

    def _months(self, name: str) -> object:
        return tuple(dict.fromkeys((d.year, d.month) for d in self.site.days))

    def _articles(self, name: str) -> object:
        return tuple(self.site.articles)

    def _published(self, name: str) -> object:
        return self._across(Need.PUBLISHED)

    def _across(self, need: Need) -> object:
        """One field of every article, in order: the field inputs.ACROSS_ARTICLES names."""
        field = inputs.ACROSS_ARTICLES[need]
        return tuple(getattr(a, field) for a in self.site.articles.values())

    def _pages(self, name: str) -> object:
        return tuple(o.path for o in self.plan.pages)

    def _day(self, name: str) -> object:
        return self.site.days[date.fromisoformat(name)]

    def _issue(self, name: str) -> object:
        return self.plan.index.issues[date.fromisoformat(name)]

    def _pdf(self, name: str) -> object:
        return self.plan.index.pdfs.get(date.fromisoformat(name))

    def _since(self, name: str) -> object:
        return self.plan.index.since[date.fromisoformat(name)]

    def _article(self, name: str) -> object:
        article = self.site.articles[name]
        return article.identity or article

    def _meta(self, name: str) -> object:
        article = self.site.articles[name]
        return article.meta_identity or article.metadata()

    def _card(self, name: str) -> object:
        return tuple(self.of_input(key) for key in self.plan.index.cards[name])

    def _entry(self, name: str) -> object:
        kind, entry_id = inputs.parse_entry_name(name)
        return self.site.registry(kind).get(entry_id)

    def _members(self, name: str) -> object:
        return self.plan.index.members.get(name, ())

    def _count(self, name: str) -> object:
        if name.startswith("claims/"):
            return len(self.plan.index.claims.get(ClaimStatus(name.removeprefix("claims/")), ()))
        return len(self.plan.index.members.get(name, ()))

    def _claims(self, name: str) -> object:
        return self.plan.index.claims.get(ClaimStatus(name), ())

    def _record(self, name: str) -> object:
        return self.plan.index.records.get(name, ())

    def _series(self, name: str) -> object:
        return self.site.series.get(name)

    def _thread(self, name: str) -> object:
        return self.site.threads.get(name)

    def _layer(self, name: str) -> object:
        return self.site.layers.get(name)

    def _points(self, name: str) -> object:
        return points_of(self.site.articles[name])

    def _media(self, name: str) -> object:
        """A file under content/ (copied, and shown by pages), or that there is none."""
        return self._stamp(inputs.media(name))

    def _static(self, name: str) -> object:
        return self._stamp(inputs.file(name))

    def _stamp(self, key: Input) -> object:
        source = self.sources.get(key)
        if source is None:
            return "missing"
        stat = source.stat()
        return (str(source), *stamp(stat))

    def _template(self, name: str) -> object:
        return self.theme.fingerprint(self.env, name)

    def _theme(self, name: str) -> object:
        return self.theme.source(name)


#: How each kind of key is digested: the one place that knows what a key stands for.
_VALUES: dict[Need, Callable[[Fingerprints, str], object]] = {
    Need.CONFIG: Fingerprints._config,
    Need.DAYS: Fingerprints._days,
    Need.MONTHS: Fingerprints._months,
    Need.ARTICLES: Fingerprints._articles,
    Need.PAGES: Fingerprints._pages,
    Need.DAY: Fingerprints._day,
    Need.ISSUE: Fingerprints._issue,
    Need.PDF: Fingerprints._pdf,
    Need.SINCE: Fingerprints._since,
    Need.ARTICLE: Fingerprints._article,
    Need.META: Fingerprints._meta,
    Need.CARD: Fingerprints._card,
    Need.ENTRY: Fingerprints._entry,
    Need.MEMBERS: Fingerprints._members,
    Need.COUNT: Fingerprints._count,
    Need.CLAIMS: Fingerprints._claims,
    Need.RECORD: Fingerprints._record,
    Need.SERIES: Fingerprints._series,
    Need.THREAD: Fingerprints._thread,
    Need.LAYER: Fingerprints._layer,
    Need.POINTS: Fingerprints._points,
    Need.PUBLISHED: Fingerprints._published,
    Need.MEDIA: Fingerprints._media,
    Need.FILE: Fingerprints._static,
    Need.TEMPLATE: Fingerprints._template,
    Need.THEME: Fingerprints._theme,
}
assert set(_VALUES) == set(Need), "every kind of input needs a value"
