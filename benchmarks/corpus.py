"""A realistic synthetic briefing, the same for every generator that is measured.

:func:`make_corpus` draws N articles (deterministic for a seed): days of 10–40
articles, 600–900 word Indonesian-looking bodies with section headings, key
figures, claims with statuses, places/actors/topics/sources from registries of
a year's size, every place located (so that its pages have maps) and, with
``followed``, 40 series and 200 threads that most days' figures and claims join.
:func:`write_briefing` writes it in this project's format, half
as raw outlet text (``.txt`` + ``.yaml``) and half as Markdown with front matter;
:mod:`benchmarks.peers` writes the very same articles for Pelican and Hugo.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import yaml

WIB = timezone(timedelta(hours=7))
FIRST_DAY = date(2024, 1, 1)
STATUSES = ("confirmed", "corroborated", "claimed", "disputed", "false")

_WORDS = (  # noqa: SIM905 - a paragraph of words reads better than a list of 100 strings
    "pasukan serangan wilayah perbatasan warga pemerintah laporan militer kota desa jalan jembatan "
    "sungai bantuan evakuasi pengungsi gubernur kementerian pertahanan pejabat sumber resmi "
    "menurut menyebut mengatakan dilaporkan sekitar lebih dari kurang hingga sejak setelah sebelum "
    "selama pekan hari malam pagi wilayah distrik oblast garis depan pertempuran posisi drone rudal "
    "artileri logistik pasokan listrik gas stasiun pembangkit tentara relawan tawanan korban sipil "
    "luka tewas kerusakan rumah sekolah rumah-sakit analis pengamat lembaga kajian satelit citra "
    "peta klaim verifikasi independen belum dapat dipastikan membantah menegaskan menambahkan "
    "operasi kontra teror status darurat federal regional keamanan perundingan diplomasi sanksi"
).split()
_HEADINGS = ("Garis Depan", "Situasi Warga", "Reaksi Moskwa", "Reaksi Kyiv", "Logistik",
             "Penilaian Analis", "Korban dan Kerusakan", "Latar Belakang", "Langkah Berikutnya")
_OUTLETS = ("kontan", "kompas", "tempo", "antara", "detik", "liputan6", "cnn-indonesia", "tirto",
            "republika", "bbc-indonesia", "voa-indonesia", "dw-indonesia")
_WIRES = ("reuters", "afp", "ap", "bbc", "telegraph", "kyiv-independent", "meduza", "tass",
          "isw", "interfax", "ukrinform", "rbc")


UNITS = ("warga", "prajurit", "desa", "km2")
SERIES, THREADS = 40, 200


@dataclass(frozen=True)
class Figure:
    value: int
    qualifier: str
    unit: str
    label: str
    place: str
    series: str = ""


@dataclass(frozen=True)
class Claim:
    id: str
    text: str
    by: str
    status: str
    thread: str = ""


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    date: datetime
    outlet: str
    based_on: str
    editor: str
    summary: str
    topics: tuple[str, ...]
    places: tuple[str, ...]
    actors: tuple[str, ...]
    figures: tuple[Figure, ...]
    claims: tuple[Claim, ...]
    sections: tuple[tuple[str, tuple[str, ...]], ...]  # (heading, paragraphs); first heading ""
    raw: bool  # written as the outlet's .txt + .yaml

    @property
    def words(self) -> int:
        return sum(len(p.split()) for _, paras in self.sections for p in paras)


@dataclass
class Corpus:
    articles: list[Article]
    sources: dict[str, dict[str, object]]
    places: dict[str, dict[str, object]]
    actors: dict[str, dict[str, object]]
    topics: dict[str, dict[str, object]]
    curated: dict[date, dict[str, object]] = field(default_factory=dict)
    series: dict[str, dict[str, object]] = field(default_factory=dict)
    threads: dict[str, dict[str, object]] = field(default_factory=dict)

    def days(self) -> dict[date, list[Article]]:
        by_day: dict[date, list[Article]] = {}
        for article in self.articles:
            by_day.setdefault(article.date.date(), []).append(article)
        return by_day


def _sentence(rng: random.Random, low: int = 9, high: int = 22) -> str:
    words = rng.choices(_WORDS, k=rng.randint(low, high))
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(3, 5)))


def _name(source_id: str) -> str:
    return source_id.replace("-", " ").title()


def _registries(rng: random.Random) -> tuple[dict[str, dict[str, object]], ...]:
    sources: dict[str, dict[str, object]] = {}
    for outlet in _OUTLETS:
        sources[outlet] = {"name": _name(outlet), "url": f"https://{outlet}.example.id",
                           "country": "ID", "language": "id", "reliability": rng.choice("ABC")}
    for wire in _WIRES:
        sources[wire] = {"name": _name(wire), "url": f"https://{wire}.example.com",
                         "reliability": rng.choice("ABCD")}
    places: dict[str, dict[str, object]] = {}
    for r in range(12):
        region = f"oblast-{r:02d}"
        lat, lon = round(rng.uniform(44, 56), 2), round(rng.uniform(22, 40), 2)
        places[region] = {"name": f"Oblast {r:02d}", "kind": "region", "country": rng.choice(("RU", "UA")),
                          "coordinates": [lat, lon]}
        for d in range(24):
            places[f"distrik-{r:02d}-{d:02d}"] = {
                "name": f"Distrik {r:02d}-{d:02d}", "kind": "district", "within": region,
                "coordinates": [round(lat + rng.uniform(-0.8, 0.8), 2),
                                round(lon + rng.uniform(-1.2, 1.2), 2)]}
    actors: dict[str, dict[str, object]] = {
        "rusia": {"name": "Rusia", "kind": "state"}, "ukraina": {"name": "Ukraina", "kind": "state"}}
    for a in range(148):
        kind = rng.choice(("person", "unit", "organisation"))
        actors[f"aktor-{a:03d}"] = {"name": f"Aktor {a:03d}", "kind": kind,
                                    "part_of": rng.choice(("rusia", "ukraina")),
                                    "description": _sentence(rng)}
    topics: dict[str, dict[str, object]] = {
        f"topik-{t:02d}": {"name": f"Topik {t:02d}", "description": _sentence(rng)} for t in range(40)}
    return sources, places, actors, topics


def make_corpus(n: int, seed: int = 2024, *, followed: bool = False) -> Corpus:
    """N articles over as many days as days of 10–40 articles take, newest last. With
    ``followed``, figures join series and claims join threads; they are drawn from a random
    stream of their own, so the articles are the same either way."""
    rng = random.Random(seed)
    sources, places, actors, topics = _registries(rng)
    place_ids, actor_ids, topic_ids = list(places), list(actors), list(topics)
    articles: list[Article] = []
    day = FIRST_DAY
    curated: dict[date, dict[str, object]] = {}
    while len(articles) < n:
        count = min(rng.randint(10, 40), n - len(articles))
        todays: list[Article] = []
        for i in range(count):
            number = len(articles) + i
            morning = datetime(day.year, day.month, day.day, 6, 0, tzinfo=WIB)
            when = morning + timedelta(minutes=i * 25 + rng.randint(0, 20))
            sections: list[tuple[str, tuple[str, ...]]] = []
            target = rng.randint(600, 900)
            words = 0
            headings = iter(rng.sample(_HEADINGS, len(_HEADINGS)))
            heading = ""
            while words < target:
                paras = tuple(_paragraph(rng) for _ in range(rng.randint(2, 3)))
                words += sum(len(p.split()) for p in paras)
                sections.append((heading, paras))
                heading = next(headings)
            my_places = tuple(rng.sample(place_ids, rng.randint(1, 4)))
            claims = tuple(Claim(f"klaim-{c}", _sentence(rng), rng.choice(actor_ids), rng.choice(STATUSES))
                           for c in range(rng.randint(0, 3)))
            figures = tuple(Figure(rng.randint(2, 50000), rng.choice(("exact", "about", "more-than")),
                                   rng.choice(UNITS),
                                   _sentence(rng, 4, 8)[:-1],
                                   rng.choice(my_places)) for _ in range(rng.randint(0, 3)))
            todays.append(Article(
                id=f"{day.isoformat()}-berita-{number:05d}",
                title=_sentence(rng, 6, 11)[:-1],
                date=when,
                outlet=rng.choice(_OUTLETS),
                based_on=rng.choice(_WIRES) if rng.random() < 0.6 else "",
                editor=rng.choice(("Handoyo", "Dimas Prasetyo", "Sri Wahyuni", "Yudho Winarto")),
                summary=" ".join(_sentence(rng) for _ in range(2)),
                topics=tuple(rng.sample(topic_ids, rng.randint(1, 3))),
                places=my_places,
                actors=tuple(rng.sample(actor_ids, rng.randint(1, 4))),
                figures=figures,
                claims=claims,
                sections=tuple(sections),
                raw=number % 2 == 0,
            ))
        if rng.random() < 0.3:
            curated[day] = {"headline": todays[0].title,
                            "as_of": datetime(day.year, day.month, day.day, 22, 0, tzinfo=WIB),
                            "takeaways": [a.summary.split(".")[0] + "." for a in todays[:4]],
                            "articles": [a.id for a in todays[:3]]}
        articles.extend(todays)
        day += timedelta(days=1)
    corpus = Corpus(articles, sources, places, actors, topics, curated)
    return _follow(corpus, random.Random(seed + 1)) if followed else corpus


def _follow(corpus: Corpus, rng: random.Random) -> Corpus:
    """The corpus with series (each of one unit) and threads, and about two thirds of the
    figures and claims in them."""
    places = list(corpus.places)
    for number in range(SERIES):
        unit = UNITS[number % len(UNITS)]
        corpus.series[f"seri-{number:02d}"] = {"name": f"Seri {number:02d}", "unit": unit,
                                               "place": rng.choice(places)}
    for number in range(THREADS):
        corpus.threads[f"utas-{number:03d}"] = {"question": _sentence(rng, 5, 9)[:-1] + "?",
                                                "places": [rng.choice(places)]}
    by_unit = {unit: [i for i, e in corpus.series.items() if e["unit"] == unit] for unit in UNITS}
    threads = list(corpus.threads)
    for index, article in enumerate(corpus.articles):
        figures = tuple(dataclasses.replace(f, series=rng.choice(by_unit[f.unit]))
                        if rng.random() < 0.66 else f for f in article.figures)
        claims = tuple(dataclasses.replace(c, thread=rng.choice(threads)) if rng.random() < 0.66 else c
                       for c in article.claims)
        corpus.articles[index] = dataclasses.replace(article, figures=figures, claims=claims)
    return corpus


def _dump(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")


def metadata(article: Article) -> dict[str, object]:
    """The article's metadata as a curator writes it (without the body)."""
    source: dict[str, object] = {"outlet": article.outlet}
    if article.based_on:
        source["based_on"] = article.based_on
    source["editor"] = article.editor
    data: dict[str, object] = {
        "title": article.title, "date": article.date.isoformat(), "source": source,
        "summary": article.summary, "topics": list(article.topics), "places": list(article.places),
        "actors": list(article.actors)}
    data.update(figures_and_claims(article))
    return data


def figures_and_claims(article: Article) -> dict[str, object]:
    """The article's figures and claims as metadata keys (none when it has none): every tool
    measured gets the same ones."""
    found: dict[str, object] = {}
    if article.figures:
        found["figures"] = [{"value": f.value, "qualifier": f.qualifier, "unit": f.unit, "label": f.label,
                             "place": f.place, **({"series": f.series} if f.series else {})}
                            for f in article.figures]
    if article.claims:
        found["claims"] = [{"id": c.id, "text": c.text, "by": c.by, "status": c.status,
                            **({"thread": c.thread} if c.thread else {})} for c in article.claims]
    return found


def raw_text(article: Article) -> str:
    """The body as an outlet sends it: header line, dateline, plain-line headings, a teaser."""
    header = _name(article.based_on or article.outlet)
    lines = [f"Sumber: {header} | Editor: {article.editor} ."]
    for index, (heading, paras) in enumerate(article.sections):
        if heading:
            lines.append(heading)
        for p_index, para in enumerate(paras):
            dateline = f"{article.outlet.upper()}.CO.ID - JAKARTA. " if index == 0 and p_index == 0 else ""
            lines.append(dateline + para)
        if index == 0:
            lines.append("Baca Juga: Harga Emas Hari Ini Naik Tipis")
    return "\n".join(lines) + "\n"


def markdown_text(article: Article) -> str:
    parts = []
    for heading, paras in article.sections:
        if heading:
            parts.append(f"## {heading}")
        parts.extend(paras)
    return "\n\n".join(parts) + "\n"


def _article_files(article: Article) -> Iterator[tuple[str, str]]:
    folder = f"content/articles/{article.date:%Y/%m}/{article.id}"
    if article.raw:
        yield folder + ".yaml", yaml.safe_dump(metadata(article), allow_unicode=True, sort_keys=False,
                                               width=100)
        yield folder + ".txt", raw_text(article)
    else:
        front = yaml.safe_dump(metadata(article), allow_unicode=True, sort_keys=False, width=100)
        yield folder + ".md", f"---\n{front}---\n\n{markdown_text(article)}"


def write_briefing(corpus: Corpus, root: Path, *, pdf: bool = False) -> None:
    """The corpus as a briefing folder of this project (``briefing build`` ready)."""
    _dump(root / "briefing.yml", {
        "title": "Briefing Sintetis", "description": "Korpus sintetis untuk mengukur kecepatan build.",
        "language": "id", "timezone": "Asia/Jakarta", "base_url": "https://bench.example.org/",
        "editors": ["Redaksi"], "pdf": {"enabled": pdf}})
    for name, data in (("sources", corpus.sources), ("places", corpus.places),
                       ("actors", corpus.actors), ("topics", corpus.topics),
                       ("series", corpus.series), ("threads", corpus.threads)):
        if data:
            _dump(root / "content" / "data" / f"{name}.yaml", data)
    for day, curation in corpus.curated.items():
        _dump(root / "content" / "briefings" / f"{day.isoformat()}.yaml",
              {**curation, "as_of": curation["as_of"].isoformat()})  # type: ignore[attr-defined]
    made: set[Path] = set()
    for article in corpus.articles:
        for rel, text in _article_files(article):
            path = root / rel
            if path.parent not in made:
                path.parent.mkdir(parents=True, exist_ok=True)
                made.add(path.parent)
            path.write_text(text, encoding="utf-8")


def edit_target(corpus: Corpus, root: Path) -> Path:
    """The file a one-edit benchmark changes: a Markdown article in the middle of the corpus."""
    middle = next(a for a in corpus.articles[len(corpus.articles) // 2:] if not a.raw)
    return root / f"content/articles/{middle.date:%Y/%m}/{middle.id}.md"
