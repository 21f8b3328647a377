"""The corpus of :mod:`benchmarks.corpus` as a Pelican project and as a Hugo site.

A comparison means something only when every tool renders the same articles:
the same titles, dates, summaries and Markdown bodies (``##`` headings), the
places, actors and topics as taxonomies, the outlet and the wire as metadata.
Raw ``.txt`` articles of ours become the Markdown of the same sections here
(their outlet header, dateline and teaser are noise our reader drops).

Pelican gets its default theme and no plugins (what a new Pelican user has),
with its content cache on so that its rebuilds are as fast as it can make
them. Hugo has no default theme, so it gets a small one of its own
(:data:`HUGO_LAYOUTS`) that shows what our article page shows: title, date,
source, summary, key figures, body, claims and the terms, with registry names
read from ``data/``. Nothing is fetched from the network.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml

from benchmarks.corpus import Article, Corpus, edit_target, figures_and_claims, markdown_text

Tool = Literal["pelican", "hugo"]

#: Where each tool writes its site, relative to the project (as the benchmark runs it).
OUTPUT = {"pelican": "output", "hugo": "public"}


def _name(registry: dict[str, dict[str, object]], key: str) -> str:
    return str(registry.get(key, {}).get("name", key))


def _write(path: Path, text: str, made: set[Path]) -> None:
    if path.parent not in made:
        path.parent.mkdir(parents=True, exist_ok=True)
        made.add(path.parent)
    path.write_text(text, encoding="utf-8")


# --- Pelican -----------------------------------------------------------------------------------

PELICANCONF = '''\
"""Pelican settings of the benchmark: default theme, no plugins, content cache on."""

AUTHOR = "Redaksi"
SITENAME = "Briefing Sintetis"
SITEURL = ""
RELATIVE_URLS = True
PATH = "content"
TIMEZONE = "Asia/Jakarta"
DEFAULT_LANG = "id"

PLUGINS: list[str] = []  # None would load every installed namespace plugin
DELETE_OUTPUT_DIRECTORY = False

# Reuse what earlier runs read, so that a no-op or one-edit rebuild is as fast as Pelican can be.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"
CHECK_MODIFIED_METHOD = "mtime"
CONTENT_CACHING_LAYER = "generator"  # the faster of its two layers; it breaks only some plugins

# Year/month folders as ours and Hugo's (not 10,000 files in one folder).
ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{date:%m}/{slug}/index.html"

# Default feeds (all articles, per category, per author) stay; none per tag.
DEFAULT_PAGINATION = False
'''


def _pelican_article(article: Article, corpus: Corpus) -> str:
    """Markdown with Pelican's ``Key: value`` metadata: category = first topic, tags = the rest."""
    tags = [_name(corpus.places, p) for p in article.places] + \
        [_name(corpus.actors, a) for a in article.actors] + \
        [_name(corpus.topics, t) for t in article.topics[1:]]
    lines = [
        f"Title: {article.title}",
        f"Date: {article.date.isoformat()}",
        f"Slug: {article.id}",
        f"Category: {_name(corpus.topics, article.topics[0])}",
        f"Tags: {', '.join(tags)}",
        f"Author: {article.editor}",
        f"Summary: {article.summary}",
        f"Outlet: {_name(corpus.sources, article.outlet)}",
    ]
    if article.based_on:
        lines.append(f"Based_on: {_name(corpus.sources, article.based_on)}")
    return "\n".join(lines) + "\n\n" + markdown_text(article)


def pelican_article_path(article: Article, root: Path) -> Path:
    return root / "content" / f"{article.date:%Y}" / f"{article.date:%m}" / f"{article.id}.md"


def write_pelican(corpus: Corpus, root: Path) -> None:
    """The corpus as a Pelican project: ``pelicanconf.py`` and one ``.md`` per article."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pelicanconf.py").write_text(PELICANCONF, encoding="utf-8")
    made: set[Path] = set()
    for article in corpus.articles:
        _write(pelican_article_path(article, root), _pelican_article(article, corpus), made)


# --- Hugo --------------------------------------------------------------------------------------

HUGO_CONFIG = '''\
# Hugo settings of the benchmark: our four registries as taxonomies, no theme download.
baseURL = "https://bench.example.org/"
title = "Briefing Sintetis"
locale = "id"
defaultContentLanguage = "id"
timeZone = "Asia/Jakarta"
enableRobotsTXT = false

[taxonomies]
  place = "places"
  actor = "actors"
  topic = "topics"
  source = "sources"

# One Atom-like feed on the home page and a sitemap, as ours; no feed per list page.
[outputs]
  home = ["html", "rss"]
  section = ["html"]
  taxonomy = ["html"]
  term = ["html"]

[services.rss]
  limit = 100
'''

_CSS = ("body{font:16px/1.5 Georgia,serif;max-width:46rem;margin:0 auto;padding:0 1rem;color:#222}"
        "header,footer{font-family:system-ui,sans-serif;font-size:.9rem}nav a{margin-right:.6rem}"
        "table{border-collapse:collapse}td{border-bottom:1px solid #ddd;padding:.2rem .5rem}"
        ".meta{color:#555;font-size:.9rem}.status{font-size:.8rem;text-transform:uppercase}")

#: The theme: paths under layouts/ (Hugo ≥ 0.146 template names) and their text.
HUGO_LAYOUTS: dict[str, str] = {
    "baseof.html": """<!DOCTYPE html>
<html lang="{{ site.Language.Locale }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title>
<link rel="canonical" href="{{ .Permalink }}">
{{ with .OutputFormats.Get "rss" -}}
<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}">
{{- end }}
<style>""" + _CSS + """</style>
</head>
<body>
<header>
<a href="{{ "/" | relURL }}"><strong>{{ site.Title }}</strong></a>
<nav><a href="{{ "/posts/" | relURL }}">Arsip</a>
<a href="{{ "/topics/" | relURL }}">Topik</a>
<a href="{{ "/places/" | relURL }}">Tempat</a>
<a href="{{ "/actors/" | relURL }}">Aktor</a>
<a href="{{ "/sources/" | relURL }}">Sumber</a></nav>
</header>
<main>{{ block "main" . }}{{ end }}</main>
<footer><p>{{ site.Title }} · {{ now.Year }}</p></footer>
</body>
</html>
""",
    "_partials/terms.html": """{{- /* (dict "page" P "plural" "places") → links with registry names */ -}}
{{- $registry := index hugo.Data .plural -}}
{{- with .page.GetTerms .plural -}}
<ul class="terms">{{ range . }}<li><a href="{{ .RelPermalink }}">
{{- with index $registry .Data.Term }}{{ .name }}{{ else }}{{ .LinkTitle }}{{ end }}</a></li>{{ end }}</ul>
{{- end -}}
""",
    "_partials/item.html": """<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
<span class="meta"><time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">
{{- .Date | time.Format ":date_long" }}</time>
{{ with index hugo.Data.sources .Params.outlet }}· {{ .name }}{{ end }}</span>
<p>{{ .Summary }}</p></li>
""",
    "home.html": """{{ define "main" }}
<h1>{{ site.Title }}</h1>
{{ $posts := (where site.RegularPages "Section" "posts").ByDate.Reverse }}
<p class="meta">{{ len $posts }} artikel</p>
<ol class="articles">{{ range first 25 $posts }}{{ partial "item.html" . }}{{ end }}</ol>
{{ end }}
""",
    "page.html": """{{ define "main" }}
{{ $qualifier := dict "exact" "" "about" "sekitar" "more-than" "lebih dari" "less-than" "kurang dari" }}
<article>
<h1>{{ .Title }}</h1>
<p class="meta"><time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">
{{- .Date | time.Format ":date_long" }} {{ .Date.Format "15.04" }} WIB</time>
{{ with index hugo.Data.sources .Params.outlet }}· {{ .name }}{{ end }}</p>
<p class="meta">Sumber: {{ with index hugo.Data.sources .Params.outlet }}{{ .name }}{{ end }}
{{- with .Params.based_on }}, berdasarkan {{ with index hugo.Data.sources . }}{{ .name }}{{ end }}{{ end }}
· Editor: {{ .Params.editor }}</p>
<section class="summary"><h2>Ringkasan</h2><p>{{ .Summary }}</p></section>
{{ with .Params.figures }}
<section class="figures"><h2>Angka kunci</h2>
<table>{{ range . }}
<tr><td>{{ .label }}</td>
<td>{{ index $qualifier .qualifier }} {{ lang.FormatNumber 0 .value }} {{ .unit }}</td>
<td>{{ with index hugo.Data.places .place }}{{ .name }}{{ end }}</td></tr>{{ end }}
</table></section>
{{ end }}
<div class="body">{{ .Content }}</div>
{{ with .Params.claims }}
<section class="claims"><h2>Klaim</h2>
<ul>{{ range . }}
<li id="{{ .id }}"><span class="status">{{ .status }}</span> {{ .text }}
— {{ with index hugo.Data.actors .by }}{{ .name }}{{ else }}{{ .by }}{{ end }}</li>{{ end }}
</ul></section>
{{ end }}
<aside>
<h2>Tempat</h2>{{ partial "terms.html" (dict "page" . "plural" "places") }}
<h2>Aktor</h2>{{ partial "terms.html" (dict "page" . "plural" "actors") }}
<h2>Topik</h2>{{ partial "terms.html" (dict "page" . "plural" "topics") }}
</aside>
<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">← {{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }} →</a>{{ end }}</nav>
</article>
{{ end }}
""",
    "section.html": """{{ define "main" }}
<h1>Arsip</h1>
{{ range .RegularPagesRecursive.GroupByDate "January 2006" }}
<h2>{{ .Key }}</h2>
<ul>{{ range .Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <span class="meta">{{ .Date.Format "02.01" }}</span></li>
{{- end }}</ul>
{{ end }}
{{ end }}
""",
    "taxonomy.html": """{{ define "main" }}
{{ $registry := index hugo.Data .Data.Plural }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}
<li><a href="{{ .Page.RelPermalink }}">
{{- with index $registry .Name }}{{ .name }}{{ else }}{{ .Page.LinkTitle }}{{ end }}</a> ({{ .Count }})</li>
{{- end }}
</ul>
{{ end }}
""",
    "term.html": """{{ define "main" }}
{{ $entry := index (index hugo.Data .Data.Plural) .Data.Term }}
<h1>{{ with $entry }}{{ .name }}{{ else }}{{ .Title }}{{ end }}</h1>
{{ with $entry }}{{ with .description }}<p>{{ . }}</p>{{ end }}{{ end }}
<ol class="articles">{{ range .Pages.ByDate.Reverse }}{{ partial "item.html" . }}{{ end }}</ol>
{{ end }}
""",
}


def _hugo_front_matter(article: Article) -> dict[str, object]:
    """Taxonomies at the top (Hugo needs them there), the rest of our metadata under ``params``."""
    params: dict[str, object] = {"outlet": article.outlet}
    if article.based_on:
        params["based_on"] = article.based_on
    params["editor"] = article.editor
    params.update(figures_and_claims(article))
    return {
        "title": article.title, "date": article.date.isoformat(), "summary": article.summary,
        "places": list(article.places), "actors": list(article.actors), "topics": list(article.topics),
        "sources": [article.outlet] + ([article.based_on] if article.based_on else []),
        "params": params,
    }


def hugo_article_path(article: Article, root: Path) -> Path:
    return root / "content" / "posts" / f"{article.date:%Y}" / f"{article.date:%m}" / f"{article.id}.md"


def write_hugo(corpus: Corpus, root: Path) -> None:
    """The corpus as a Hugo site: ``hugo.toml``, registries in ``data/``, its own small theme."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    made: set[Path] = set()
    for name, registry in (("sources", corpus.sources), ("places", corpus.places),
                           ("actors", corpus.actors), ("topics", corpus.topics)):
        _write(root / "data" / f"{name}.yaml",
               yaml.safe_dump(registry, allow_unicode=True, sort_keys=False, width=100), made)
    for rel, text in HUGO_LAYOUTS.items():
        _write(root / "layouts" / rel, text, made)
    _write(root / "content" / "posts" / "_index.md", "---\ntitle: Arsip\n---\n", made)
    for article in corpus.articles:
        front = yaml.safe_dump(_hugo_front_matter(article), allow_unicode=True, sort_keys=False, width=100)
        _write(hugo_article_path(article, root), f"---\n{front}---\n\n{markdown_text(article)}", made)


# --- The one-edit benchmark --------------------------------------------------------------------

def edited_article(corpus: Corpus) -> Article:
    """The article :func:`benchmarks.corpus.edit_target` picks (read from its file name, so the
    choice is made in one place)."""
    stem = edit_target(corpus, Path()).stem
    return next(a for a in corpus.articles if a.id == stem)


def peer_edit_target(tool: Tool, corpus: Corpus, root: Path) -> Path:
    """The file of the same article in the peer's project."""
    article = edited_article(corpus)
    if tool == "pelican":
        return pelican_article_path(article, root)
    return hugo_article_path(article, root)


def peer_page(tool: Tool, article: Article, root: Path) -> Path:
    """The HTML page the peer writes for ``article`` (to check that an edit reached it)."""
    month = f"{article.date:%Y}/{article.date:%m}"
    if tool == "pelican":
        return root / OUTPUT[tool] / month / article.id / "index.html"
    return root / OUTPUT[tool] / "posts" / month / article.id / "index.html"
