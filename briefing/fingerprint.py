"""Fingerprints of outputs: a digest of everything an output reads.

Two builds give an output the same fingerprint exactly when its inputs (as
the plan declares them), its template and the interface text are the same;
then its bytes are the same too, and the last build's file can be kept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from jinja2 import Environment

from briefing.model import ClaimStatus, RegistryKind, Site
from briefing.plan import ACROSS_ARTICLES, Output, Plan
from briefing.render.i18n import Strings
from briefing.render.theme import Theme


def digest(value: Any) -> str:
    # repr, not pickle: pickle's bytes depend on object identity (memo entries),
    # repr of these frozen dataclasses and plain values depends only on content.
    return hashlib.blake2b(repr(value).encode(), digest_size=16).hexdigest()


class Fingerprints:
    """Computes and remembers the digest of every input key of one build."""

    def __init__(self, site: Site, plan: Plan, theme: Theme, env: Environment,
                 strings: Strings) -> None:
        self.site, self.plan, self.theme, self.env = site, plan, theme, env
        self.cache: dict[str, str] = {"strings": digest(sorted(strings.table.items()))}
        self.sources = {o.inputs[0]: o.source for o in plan.outputs if o.source is not None}

    def refresh(self, site: Site, changed: Mapping[str, Iterable[str]], across: Iterable[str]) -> None:
        """Move to a site of the same shape (plan.same_shape) whose articles ``changed``
        (each with the kinds of its keys that did) and whose keys ``across`` articles
        (plan.ACROSS_ARTICLES) changed: forget what they and the files on disk (static,
        media) were."""
        self.site = site
        for article_id, kinds in changed.items():
            for kind in kinds:
                self.cache.pop(f"{kind}:{article_id}", None)
        for key in across:
            self.cache.pop(key, None)
        for key in self.sources:  # "file:" and "media:" keys: stat'ed again when asked
            self.cache.pop(key, None)

    def of_input(self, key: str) -> str:
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = digest(self._value(key))
        return found

    def of_output(self, output: Output) -> str:
        """A digest of what the output is, its template and text, its input keys (which,
        in which order) and their digests. Joined text, not a repr: a year's site has
        ~15,000 outputs with ~400,000 inputs, and the CLI fingerprints all of them."""
        cache, of_input = self.cache, self.of_input
        head = [output.path, output.kind, output.key, str(output.page)]
        if output.template:
            head += [of_input(f"template:{output.template}"), of_input("strings")]
        digests = [cache.get(key) or of_input(key) for key in output.inputs]
        text = "\n".join(head) + "\0" + "\n".join(output.inputs) + "\0" + "\n".join(digests)
        return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()

    def _value(self, key: str) -> Any:
        site, plan = self.site, self.plan
        kind, _, name = key.partition(":")
        if key == "config":
            return site.config.model_dump()
        if key == "days":
            return tuple(site.days)
        if key == "months":
            return tuple(dict.fromkeys((d.year, d.month) for d in site.days))
        if key == "articles":
            return tuple(site.articles)
        if key in ACROSS_ARTICLES:  # one field of each article ("published": its date), in order
            return tuple(map(ACROSS_ARTICLES[key], site.articles.values()))
        if key == "pages":
            return tuple(o.path for o in plan.outputs if o.kind != "copy")
        if key == "pdf":
            return tuple(plan.pdfs.items())
        if kind == "article":
            article = site.articles[name]
            return (article.digest, article.source.based_on) if article.digest else article
        if kind == "meta":
            article = site.articles[name]
            if article.meta_digest:
                return article.meta_digest, article.source.based_on
            return article.metadata()
        if kind == "card":
            return tuple(self.of_input(key) for key in plan.cards[name])
        if kind == "day":
            return site.days[date.fromisoformat(name)]
        if kind in ("sources", "places", "actors", "topics"):
            entry_kind: RegistryKind = kind  # type: ignore[assignment]
            return site.registry(entry_kind).get(name)
        if kind == "count":
            if name.startswith("claims/"):
                return len(plan.claims.get(ClaimStatus(name.removeprefix("claims/")), ()))
            return len(plan.members.get(name, ()))
        if kind == "template":
            return self.theme.fingerprint(self.env, name)
        if kind == "theme":  # a theme file that is not a template: the PDF's stylesheet
            return self.theme.source(name)
        if kind == "issue":  # a day's issue number: how many days have come up to it
            day = date.fromisoformat(name)
            return sum(1 for d in site.days if d <= day)
        if kind in ("file", "media"):
            source = self.sources[key]
            stat = source.stat()
            return (str(source), stat.st_size, stat.st_mtime_ns)
        raise KeyError(f"unknown input key {key!r}")
