"""Where every page lives: the site's URL scheme, and links between pages.

Paths are relative to the site root, without a leading slash; a page's path
ends with '/' and is written as 'index.html' inside that folder. Links between
pages are relative, so that the site works under any sub-path of any host;
absolute URLs (canonical, feeds, sitemap) join the configured base URL.
"""

from __future__ import annotations

import functools
import posixpath
from datetime import date

from briefing.model import Article, ClaimStatus, RegistryKind
from briefing.output import SEARCH_INDEX
from briefing.slugs import slugify

HOME = ""
ARCHIVE = "archive/"
TIMELINE = "timeline/"
CLAIMS = "claims/"
SEARCH = "search/"
FEED_ARTICLES = "feeds/articles.xml"
FEED_BRIEFINGS = "feeds/briefings.xml"
FEED_JSON = "feeds/articles.json"
DATA_ARTICLES = "data/articles.json"
SERIES = "series/"
THREADS = "threads/"
DATA_SERIES = "data/series.json"
DATA_THREADS = "data/threads.json"
DATA_SERIES_CSV = "data/series.csv"
DATA_THREADS_CSV = "data/threads.csv"
CHART_STYLE = "static/charts.css"
MAP_STYLE = "static/maps.css"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
NOT_FOUND = "404.html"
MEDIA = "media/"
PAGEFIND = f"{SEARCH_INDEX}/"


def article_path(article: Article) -> str:
    return f"{day_path(article.day)}{article.slug}/"


@functools.lru_cache(maxsize=8192)
def day_path(day: date) -> str:
    return f"{day:%Y/%m/%d}/"  # strftime is slow, and a year's plan asks for every day thousands of times


def month_path(year: int, month: int) -> str:
    return f"{year:04d}/{month:02d}/"


def year_path(year: int) -> str:
    return f"{year:04d}/"


def timeline_path(year: int, month: int) -> str:
    return f"{TIMELINE}{year:04d}-{month:02d}/"


def registry_index_path(kind: RegistryKind) -> str:
    return f"{kind}/"


def registry_path(kind: RegistryKind, entry_id: str, page: int = 1) -> str:
    return f"{kind}/{entry_id}/" + (f"page/{page}/" if page > 1 else "")


def series_path(series_id: str) -> str:
    return f"{SERIES}{series_id}/"


def thread_path(thread_id: str) -> str:
    return f"{THREADS}{thread_id}/"


def claims_path(status: ClaimStatus, page: int = 1) -> str:
    return f"{CLAIMS}{status.value}/" + (f"page/{page}/" if page > 1 else "")


def media_path(content_path: str) -> str:
    """Where a file under content/ (an image) is published."""
    return f"{MEDIA}{content_path}"


def content_path(src: str) -> str:
    """An image address in an article ('./images/peta.png', '/images/peta.png') as the
    path under content/ it names: how pages and the PDF alike look it up."""
    return src.removeprefix("./").removeprefix("/")


def pdf_name(title: str, day: date) -> str:
    """A day's PDF file: 'briefing-kursk-2024-08-16.pdf' (a downloaded file says what it is)."""
    return f"{slugify(title) or 'briefing'}-{day.isoformat()}.pdf"


def pdf_path(title: str, day: date) -> str:
    """Where a day's PDF is published: beside the day's page."""
    return day_path(day) + pdf_name(title, day)


def file_of(path: str) -> str:
    """The file a path is written to: pages are folders with an index.html."""
    return f"{path}index.html" if path == "" or path.endswith("/") else path


def to_root(from_path: str) -> str:
    """The way from a page's folder back to the site's root: '' or '../../'.

    Theme links are this plus the site path: the same fragment of HTML (an
    article's card, the navigation) then reads the same on every page of one
    depth, so it is rendered once per depth and reused (see render.jinja).
    """
    folder = from_path if from_path.endswith("/") or not from_path else posixpath.dirname(from_path) + "/"
    return "../" * folder.count("/")


def relative(from_path: str, to_path: str) -> str:
    """A link from the page at ``from_path`` to ``to_path``, relative to the page's folder.

    Both are site paths (no leading slash, no '..'), so plain string work does
    what posixpath.relpath would, without touching the file system: a page
    has thousands of links and a site tens of thousands of pages.
    """
    if to_path.startswith("#"):
        return to_path
    base = from_path if from_path.endswith("/") or not from_path else posixpath.dirname(from_path) + "/"
    if base == "/":
        base = ""
    common = 0
    limit = min(len(base), len(to_path))
    while common < limit and base[common] == to_path[common]:
        common += 1
    common = base.rfind("/", 0, common) + 1  # back to a whole folder
    ups = base.count("/", common)
    rest = to_path[common:]
    link = "../" * ups + rest
    return link or "./"


def absolute(base_url: str, path: str) -> str:
    """The public URL of a path, for canonical links, feeds and the sitemap."""
    return base_url + path
