"""content/articles/: find the article files and read each into an :class:`Article`.

An article is one file stem: ``NAME.md`` (front matter + Markdown), or
``NAME.txt`` (the outlet's text as received, never written to) beside
``NAME.yaml`` (the curator's metadata). Reading one article needs only its own
files and the config, so the result can be cached per article; references to
the registries are returned as :class:`Ref` values and checked once all
registries are read.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from briefing import urls
from briefing.config import Config
from briefing.content.claims import check_basis
from briefing.content.files import (
    CONTENT_DIR,
    MAX_TEXT_BYTES,
    MAX_YAML_BYTES,
    in_content,
    linked_folder_problem,
    read_text,
)
from briefing.content.frontmatter import split_front_matter
from briefing.content.rawtext import RawHeader, read_raw_text
from briefing.content.references import Ref
from briefing.content.schema import ArticleMeta
from briefing.errors import Location, Problems
from briefing.fields import is_id
from briefing.frozen import Value
from briefing.model import (
    Article,
    Body,
    Claim,
    DataKind,
    Figure,
    Image,
    MarkdownBody,
    RawBody,
    SourceLine,
)
from briefing.slugs import slug_from_stem, slugify
from briefing.validation import validate
from briefing.yamlio import YamlDoc, format_path, parse_yaml

ARTICLES_DIR = f"{CONTENT_DIR}/articles"


@dataclass(frozen=True, slots=True)
class ArticleFiles(Value):
    """The files of one article, paths relative to the briefing root."""

    id: str
    meta: str  # the .md or the .yaml
    text: str | None = None  # the .txt of a raw article

    @property
    def format(self) -> str:
        return "raw" if self.text else "markdown"

    @property
    def paths(self) -> tuple[str, ...]:
        return (self.meta, self.text) if self.text else (self.meta,)


@dataclass(frozen=True, slots=True)
class LoadedArticle(Value):
    """An article as read from its own files, before cross-file checks."""

    article: Article
    refs: tuple[Ref, ...]
    based_on_text: str | None  # the raw header's 'Sumber:', to match against sources.yaml
    locations: dict[str, Location]  # of the fields later checks may point at


def is_ignored(name: str) -> bool:
    """Hidden files and editors' backup, swap and lock files."""
    return (
        name.startswith((".", "#", "~"))
        or name.endswith(("~", ".swp", ".swo", ".swx", ".tmp", ".bak", ".orig"))
        or name == "4913"  # vim's write test
    )


def discover(root: Path, problems: Problems) -> tuple[list[ArticleFiles], dict[str, frozenset[str]]]:
    """The articles, and what each folder under content/articles holds (for
    :func:`same_articles`)."""
    base = root / ARTICLES_DIR
    listings: dict[str, frozenset[str]] = {}
    if not base.is_dir():
        return [], listings
    # Plain strings, not Path objects: a year of articles is tens of thousands of files.
    groups: dict[str, list[_File]] = {}
    # Cut after base, not after root: Path(".") / "content" prints as "content".
    skip = len(str(base))
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = [d for d in dirnames if not is_ignored(d)]
        folder = ARTICLES_DIR + dirpath[skip:].replace(os.sep, "/")
        for name in dirnames:
            if os.path.islink(os.path.join(dirpath, name)):
                linked_folder_problem(f"{folder}/{name}", problems)
        listings[folder] = frozenset([*dirnames, *(n for n in filenames if not is_ignored(n))])
        for name in filenames:
            if is_ignored(name):
                continue
            stem, suffix = posixpath.splitext(name)
            rel = f"{folder}/{name}"
            if suffix.lower() not in _SUFFIXES:
                problems.warning(Location(rel), "", "not an article file; it is ignored",
                                 "articles are NAME.md, or NAME.txt with NAME.yaml beside it")
                continue
            # Ids are compared case-folded: the site may be served from a
            # case-insensitive file system, where Foo and foo are one page.
            groups.setdefault(stem.casefold(), []).append(_File(tuple(rel.split("/")), folder, stem,
                                                                _SUFFIXES[suffix.lower()], rel))
    found: list[ArticleFiles] = []
    for paths in sorted((sorted(g) for g in groups.values()), key=lambda g: g[0].parts):
        files = _pair(paths, problems)
        if files is not None:
            found.append(files)
    return found, listings


def same_articles(root: Path, listings: dict[str, frozenset[str]], changed: Iterable[str]) -> bool:
    """Whether content/articles still holds the files it held when ``listings`` was made,
    given that only the ``changed`` paths (relative to ``root``) may differ.

    A changed file that was there and still is (an edit, or a save through a
    temporary file) keeps the set; a file or folder that came or went does not.
    """
    for rel in changed:
        if not (rel == ARTICLES_DIR or rel.startswith(ARTICLES_DIR + "/")):
            continue
        path = root / rel
        if path.is_dir():
            return False  # a folder came or moved in: its files were not seen one by one
        folder, _, name = rel.rpartition("/")
        if is_ignored(name):
            continue
        was_there = name in listings.get(folder, frozenset()) or rel in listings
        if path.is_file() != was_there:
            return False
    return True


_SUFFIXES = {".md": ".md", ".txt": ".txt", ".yaml": ".yaml", ".yml": ".yaml"}


class _File(NamedTuple):
    parts: tuple[str, ...]  # first: files sort by their path's parts
    folder: str
    stem: str
    kind: str  # the normalised suffix: .md, .txt or .yaml
    path: str


def _pair(paths: list[_File], problems: Problems) -> ArticleFiles | None:
    """The files of one stem as an article, or None after saying what is wrong."""
    first = paths[0]
    for other in paths[1:]:
        if (other.folder, other.stem) != (first.folder, first.stem) or other.kind == first.kind:
            problems.error(
                Location(other.path), "", f"another article file has the same name: {first.path}",
                "article ids are file names and must be unique across folders; rename one",
            )
            return None
    by_kind = {p.kind: p.path for p in paths}
    md, txt, yml = by_kind.get(".md"), by_kind.get(".txt"), by_kind.get(".yaml")
    if md and (txt or yml):
        problems.error(Location(md), "", f"both {md} and {txt or yml} exist for one article",
                       "keep either the Markdown file or the .txt + .yaml pair")
        return None
    if txt and not yml:
        problems.error(Location(txt), "", "raw text without metadata",
                       f"add {first.folder}/{first.stem}.yaml beside it (`briefing new --from` writes one)")
        return None
    if yml and not txt:
        problems.error(Location(yml), "", "metadata without its raw text",
                       f"add the outlet's text as {first.folder}/{first.stem}.txt, "
                       "or write the article as a .md file with front matter")
        return None
    meta = md or yml
    assert meta is not None
    if not is_id(first.stem):
        problems.error(Location(meta), "", f"the file name '{first.stem}' is not a valid article id",
                       f"rename it to '{slugify(first.stem)}' (lowercase letters, digits, hyphens)")
        return None
    return ArticleFiles(first.stem, meta, txt)


@dataclass(frozen=True, slots=True)
class _Files:
    """An article's files as read: its metadata's YAML (and the line it starts on), the
    body, what a raw text's header says, and a digest of it all."""

    yaml: str
    yaml_line: int
    body: Body
    header: RawHeader
    digest: str


def read_article(root: Path, files: ArticleFiles, config: Config,
                 problems: Problems) -> LoadedArticle | None:
    """Read and validate one article's own files; None when it cannot be used."""
    read = _read_markdown(root, files, problems) if files.text is None else _read_raw(root, files, problems)
    if read is None:
        return None
    doc, found = parse_yaml(read.yaml, files.meta, line_offset=read.yaml_line - 1)
    problems.extend(found)
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        problems.error(doc.location(()), "", "the metadata must be a mapping of 'key: value' lines")
        return None
    meta, found = validate(ArticleMeta, doc)
    problems.extend(found)
    if meta is None:
        return None
    return _build(files, config, meta, doc, read, problems)


def _read_markdown(root: Path, files: ArticleFiles, problems: Problems) -> _Files | None:
    text = read_text(root / files.meta, files.meta, problems, limit=MAX_TEXT_BYTES, within=in_content(root))
    if text is None:
        return None
    front = split_front_matter(text)
    if front is None:
        problems.error(
            Location(files.meta, 1, 1), "",
            "a Markdown article must start with YAML front matter between '---' lines",
            "begin the file with ---, the metadata (title:, date:, source:), then ---",
        )
        return None
    return _Files(front.yaml, front.yaml_line, MarkdownBody(front.body, front.body_line), RawHeader(),
                  _digest(text))


def _read_raw(root: Path, files: ArticleFiles, problems: Problems) -> _Files | None:
    assert files.text is not None
    within = in_content(root)
    yaml_text = read_text(root / files.meta, files.meta, problems, limit=MAX_YAML_BYTES, within=within)
    raw = read_text(root / files.text, files.text, problems, limit=MAX_TEXT_BYTES, within=within)
    if yaml_text is None or raw is None:
        return None
    parsed = read_raw_text(raw)
    return _Files(yaml_text, 1, RawBody(parsed.blocks), parsed.header, _digest(yaml_text, raw))


# Images in Markdown: inline ones, and every reference definition (a reference-style
# image names its file there; a definition that is a link costs one needless input).
_INLINE_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")
_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)", re.MULTILINE)
_NOT_A_FILE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|#)")


def body_images(body: Body) -> tuple[str, ...]:
    """The files under content/ a Markdown body may show, as paths there (more rather than
    fewer: a page reads each one, and a file added later must re-render the page)."""
    if not isinstance(body, MarkdownBody) or "![" not in body.text:
        return ()
    found = [src for src in _INLINE_IMAGE.findall(body.text) + _DEFINITION.findall(body.text)
             if not _NOT_A_FILE.match(src)]
    return tuple(dict.fromkeys(urls.content_path(src) for src in found))


def _digest(*texts: str) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for text in texts:
        digest.update(text.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def _build(files: ArticleFiles, config: Config, meta: ArticleMeta, doc: YamlDoc, read: _Files,
           problems: Problems) -> LoadedArticle:
    """The article from its validated metadata: its references collected for checking
    against the registries, its claims and figures checked against each other."""
    refs = _Refs(doc)
    published, has_time = _localise(meta.date, config)
    source = _source_line(meta, read.header)
    refs.add("sources", source.outlet, "source", "outlet")
    if source.based_on:
        refs.add("sources", source.based_on, "source", "based_on")
    for kind in ("topics", "places", "actors"):
        for index, value in enumerate(getattr(meta, kind)):
            refs.add(kind, value, kind, index)
        _check_unique(getattr(meta, kind), kind, doc, problems)
    claims = _claims(meta, doc, refs, problems)
    figures = _figures(meta, doc, refs, {c.id for c in claims}, problems)
    if not meta.summary.strip():
        problems.warning(doc.location(()), "summary",
                         "no summary: the daily briefing and the feeds show the summary",
                         "add summary: one to three sentences with the bottom line")
    article = Article(
        id=files.id,
        path=files.meta,
        format="raw" if files.text else "markdown",
        title=meta.title,
        published=published,
        has_time=has_time,
        day=meta.briefing or published.astimezone(config.tz).date(),
        slug=meta.slug or slug_from_stem(files.id),
        source=source,
        language=meta.language or config.language,
        summary=meta.summary.strip(),
        body=read.body,
        topics=tuple(meta.topics),
        places=tuple(meta.places),
        actors=tuple(meta.actors),
        figures=figures,
        claims=claims,
        priority=meta.priority,
        draft=meta.draft,
        image=_image(meta, doc, problems),
        files=files.paths,
        images=body_images(read.body),
        digest=read.digest,
    )
    article = dataclasses.replace(article, meta_digest=_digest(repr(article.metadata())))
    based_on_text = read.header.based_on if "based_on" not in meta.source.model_fields_set else None
    locations = {name: doc.location((name,)) for name in ("source", "date", "slug")}
    locations["image"] = doc.location(("image", "src"))
    for index, fig in enumerate(meta.figures):
        if fig.series and fig.unit:  # checked against the series' unit once series.yaml is read
            locations[f"figures[{index}].unit"] = doc.location(("figures", index, "unit"))
    return LoadedArticle(article, tuple(refs.found), based_on_text, locations)


class _Refs:
    """The registry ids an article names, each with where it is written."""

    def __init__(self, doc: YamlDoc) -> None:
        self.doc = doc
        self.found: list[Ref] = []

    def add(self, kind: DataKind, value: str, *path: str | int) -> None:
        self.found.append(Ref(kind, value, self.doc.location(path), format_path(path)))


def _source_line(meta: ArticleMeta, header: RawHeader) -> SourceLine:
    """Who published it: the metadata, else what a raw text's header line says."""
    given = meta.source.model_fields_set
    return SourceLine(
        outlet=meta.source.outlet,
        based_on=meta.source.based_on,
        url=meta.source.url,
        author=meta.source.author if "author" in given else header.author,
        editor=meta.source.editor if "editor" in given else header.editor,
        dateline=meta.source.dateline if "dateline" in given else header.dateline,
    )


def _claims(meta: ArticleMeta, doc: YamlDoc, refs: _Refs, problems: Problems) -> tuple[Claim, ...]:
    claims: list[Claim] = []
    claim_ids: set[str] = set()
    for index, claim in enumerate(meta.claims):
        if claim.id in claim_ids:
            problems.error(doc.location(("claims", index, "id")), f"claims[{index}].id",
                           f"another claim of this article has the id '{claim.id}'",
                           "give each claim its own id")
        claim_ids.add(claim.id)
        if claim.by is None:
            problems.warning(doc.location(("claims", index)), f"claims[{index}].by",
                             "a claim without 'by': readers cannot tell who makes it",
                             "add by: an actor id, or free text in quotes")
        by_actor, by_text = _party(claim.by, doc, refs, "claims", index, "by")
        against_actor, against_text = _party(claim.disputed_by, doc, refs, "claims", index, "disputed_by")
        if claim.thread:
            refs.add("threads", claim.thread, "claims", index, "thread")
        check_basis(claim, index, doc, meta.source.url, problems)
        claims.append(Claim(claim.id, claim.text, claim.status, by_actor, by_text,
                            claim.admiralty, tuple(claim.evidence), against_actor, against_text,
                            claim.thread))
    return tuple(claims)


def _party(value: str | None, doc: YamlDoc, refs: _Refs, *path: str | int) -> tuple[str | None, str | None]:
    """Who makes (or disputes) a claim: an actor id, checked against the registry, or free
    text when quoted, by the documented convention."""
    if value is None:
        return None, None
    if doc.is_quoted(path):
        return None, value
    refs.add("actors", value, *path)
    return value, None


def _figures(meta: ArticleMeta, doc: YamlDoc, refs: _Refs, claim_ids: set[str],
             problems: Problems) -> tuple[Figure, ...]:
    figures: list[Figure] = []
    for index, fig in enumerate(meta.figures):
        if fig.place:
            refs.add("places", fig.place, "figures", index, "place")
        if fig.series:
            refs.add("series", fig.series, "figures", index, "series")
        if fig.claim and fig.claim not in claim_ids:
            problems.error(doc.location(("figures", index, "claim")), f"figures[{index}].claim",
                           f"no claim '{fig.claim}' in this article",
                           _known("claims of this article", sorted(claim_ids)))
        figures.append(Figure(fig.label, fig.value, fig.min, fig.max, fig.qualifier, fig.unit,
                              fig.place, fig.claim, fig.series))
    return tuple(figures)


def _image(meta: ArticleMeta, doc: YamlDoc, problems: Problems) -> Image | None:
    if meta.image is None:
        return None
    src = _content_path(meta.image.src, doc, problems)
    # Whether the file exists is checked with the whole site.
    return Image(src, meta.image.alt, meta.image.credit) if src is not None else None


def _localise(when: datetime | date, config: Config) -> tuple[datetime, bool]:
    """An aware datetime; bare dates and naive times are read in the site's time zone."""
    if isinstance(when, datetime):
        if when.tzinfo is None:
            return when.replace(tzinfo=config.tz), True
        return when, True
    return datetime.combine(when, time(0, 0), tzinfo=config.tz), False


def _check_unique(values: list[str], kind: str, doc: YamlDoc, problems: Problems) -> None:
    seen: set[str] = set()
    for index, value in enumerate(values):
        if value in seen:
            problems.warning(doc.location((kind, index)), f"{kind}[{index}]",
                             f"'{value}' is listed twice", "remove the repeat")
        seen.add(value)


def _known(what: str, names: list[str]) -> str:
    return f"{what}: {', '.join(names)}" if names else f"there are no {what}"


def _content_path(src: str, doc: YamlDoc, problems: Problems) -> str | None:
    """``src`` as a clean path under content/, or None after a located error."""
    where = doc.location(("image", "src"))
    if "://" in src or src.startswith(("//", "data:", "file:")):
        problems.error(where, "image.src",
                       f"images must be files under content/, found the address '{src}'",
                       "download the image into content/images/ and give its path")
        return None
    posix = PurePosixPath(src.replace("\\", "/"))
    clean = PurePosixPath(*(part for part in posix.parts if part not in ("", ".")))
    if posix.is_absolute() or ".." in clean.parts or not clean.parts:
        problems.error(where, "image.src", f"'{src}' is outside content/",
                       "give a path relative to content/, like images/peta.png")
        return None
    return clean.as_posix()
