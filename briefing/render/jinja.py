"""The Jinja environment: autoescape everywhere, strict undefined, the theme's helpers.

A template typo fails the build with the template's file and line, never as
an empty string on a reader's page; every value is escaped, in HTML and XML
alike.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    StrictUndefined,
    TemplateError,
    TemplateRuntimeError,
    TemplateSyntaxError,
    pass_context,
)
from jinja2.runtime import Context

from briefing import urls
from briefing.config import Config
from briefing.errors import Level, Location, Problem
from briefing.model import Article
from briefing.render.i18n import Dates, MissingString, Strings
from briefing.render.theme import Theme

#: What of an article no template reads: its body comes rendered (``body``), and these
#: change with the body, which lists of articles do not declare as an input.
HIDDEN_FIELDS = frozenset({"body", "digest", "meta_digest", "identity", "meta_identity", "files"})


class ReadOutsideView(TemplateRuntimeError):
    """A template reached for something its page does not read (docs/templates.md)."""


class SiteView:
    """What templates see as ``site``: the config. The whole model is not theirs to read:
    a page that showed, say, how many articles there are would not be rebuilt when one
    is added, since it never said that it reads them."""

    __slots__ = ("config",)

    def __init__(self, config: Config) -> None:
        self.config = config

    def __getattr__(self, name: str) -> object:
        raise ReadOutsideView(
            f"site.{name}: templates see site.config and their page's own variables, not the "
            "whole briefing (docs/templates.md lists what each template receives)")


class _Environment(Environment):
    """Jinja, refusing the article fields no template may read."""

    def getattr(self, obj: object, attribute: str) -> object:
        if attribute in HIDDEN_FIELDS and isinstance(obj, Article):
            raise ReadOutsideView(
                f"article.{attribute}: templates get an article's body as HTML (`body` on the "
                "article's page, `bodies` in the PDF), never from the article itself")
        return super().getattr(obj, attribute)

    def getitem(self, obj: object, argument: object) -> object:
        if isinstance(argument, str) and argument in HIDDEN_FIELDS and isinstance(obj, Article):
            return self.getattr(obj, argument)
        return super().getitem(obj, argument)


def make_environment(theme: Theme, strings: Strings, dates: Dates, base_path: str,
                     cache: Path | None = None) -> Environment:
    """The theme's environment; with ``cache``, compiled templates are kept there between
    runs (Jinja checks each against its source), which spares every build a few
    hundred milliseconds of compiling."""
    env = _Environment(
        loader=theme.loader,
        autoescape=True,  # every template, whatever its extension: HTML, XML, text
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        cache_size=-1,
        bytecode_cache=_bytecode_cache(cache) if cache else None,
    )

    @pass_context
    def url(context: Context, path: str) -> str:
        """A link to a site path from the page being rendered."""
        page = context["page"]
        if page.rooted:  # the 404 page is served at any address: root links at the base path
            return base_path + path
        if path.startswith("#"):
            return path
        return urls.to_root(page.path) + path or "./"

    @pass_context
    def fragment(context: Context, *key: object, caller: Callable[[], str]) -> str:
        """``{% call fragment('card', id) %}...{% endcall %}``: render once per page depth, reuse.

        For pieces that depend only on their key and on links (an article's card
        is in up to a dozen lists): the body runs the first time, later calls with
        the same key on a page of the same depth get the same HTML. The store
        (``fragments`` in the context, a :class:`Fragments`) belongs to the
        renderer, never to the environment; the watch mode keeps it while the
        site's shape holds and drops the fragments of each article that changed,
        named by the key's second part (``fragment('card', article.id)``).
        """
        store: Fragments | None = context.get("fragments")
        if store is None:
            return caller()
        page = context["page"]
        depth = base_path if page.rooted else urls.to_root(page.path)
        found = store.get(key, depth)
        if found is None:
            found = store.put(key, depth, caller())
        return found

    env.globals.update(t=strings, url=url, fragment=fragment, language=strings.language)
    env.filters.update(
        full_date=dates.full,
        long_date=dates.long,
        month_name=dates.month,
        time=dates.time,
        moment=dates.moment,
        number=dates.number,
        iso=_iso,
        host=_host,
    )
    return env


class Fragments:
    """Rendered pieces of HTML by key and page depth, grouped by what they show (the
    key's second part, such as an article's id) so that one article's can be dropped."""

    def __init__(self) -> None:
        self._by_subject: dict[object, dict[tuple[tuple[object, ...], str], str]] = {}

    def get(self, key: tuple[object, ...], depth: str) -> str | None:
        group = self._by_subject.get(_subject(key))
        return group.get((key, depth)) if group is not None else None

    def put(self, key: tuple[object, ...], depth: str, html: str) -> str:
        self._by_subject.setdefault(_subject(key), {})[(key, depth)] = html
        return html

    def forget(self, subjects: Iterable[object]) -> None:
        """Drop every fragment that shows one of ``subjects``."""
        for subject in subjects:
            self._by_subject.pop(subject, None)


def _subject(key: tuple[object, ...]) -> object:
    """What a fragment shows: the part of its key after its kind ('card', ID, ...)."""
    return key[1] if len(key) > 1 else None


def _bytecode_cache(folder: Path) -> FileSystemBytecodeCache | None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # a read-only briefing still builds, compiling as it goes
    return FileSystemBytecodeCache(str(folder))


def _host(url: str) -> str:
    """'https://www.understandingwar.org/x' -> 'understandingwar.org': says where a link goes."""
    return (urlsplit(url).hostname or url).removeprefix("www.")


def _iso(when: date | datetime) -> str:
    """RFC 3339 for datetimes (feeds, <time datetime>), ISO 8601 for days."""
    return when.isoformat()


def template_problem(exc: BaseException, theme: Theme, page: str) -> Problem | None:
    """A failure inside a template as a problem at the template's file and line.

    None when no template is involved: then the failure is a bug of briefing itself.
    """
    location = None
    if isinstance(exc, TemplateSyntaxError) and exc.name:
        location = Location(_shown(theme, exc.name), exc.lineno or 0, 1)
    else:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            shown = _template_file(theme, frame.filename)
            if shown:
                location = Location(shown, frame.lineno or 0, 1)
                break
    if location is None:
        if isinstance(exc, TemplateError | MissingString):
            location = Location("templates")
        else:
            return None
    kind = type(exc).__name__
    message = str(exc.args[0]) if isinstance(exc, MissingString) and exc.args else str(exc)
    return Problem(Level.ERROR, location, "", f"{kind}: {message} (while rendering {page or '/'})",
                   "fix the template; the site was not changed")


def _template_file(theme: Theme, filename: str) -> str | None:
    for folder in theme.dirs:
        prefix = str(folder) + "/"
        if filename.startswith(prefix):
            return _shown(theme, filename[len(prefix):])
    return None


def _shown(theme: Theme, name: str) -> str:
    path = theme.find(name)
    return theme.shown(path) if path else f"templates/{name}"

