"""A generated briefing large enough to pass every limit of the site, for the tests that
must see every kind of output: more days than the home page lists, list pages of
several pages, every registry (with unused entries and nested places), curated and
uncurated days in two months, raw and Markdown articles, images found and missing.

Deterministic: the same call writes the same bytes.
"""

from __future__ import annotations

import textwrap
from datetime import date, timedelta
from pathlib import Path

FIRST = date(2024, 7, 26)
DAYS = 22  # over two months, more than the home page's 14
PER_DAY = 4  # 88 articles: 'serangan' lists all of them (3 pages), 'claimed' over 30 claims

CONFIG = """\
title: Briefing Besar
description: Briefing uji yang melewati setiap batas situs.
language: id
timezone: Asia/Jakarta
base_url: https://example.org/besar/
editors: [Redaksi Uji]
publisher: Penerbit Uji
"""

REGISTRIES = {
    "sources": """\
kontan: {name: Kontan, url: https://www.kontan.co.id, country: ID, language: id, reliability: B, alt_names: [KONTAN.CO.ID]}
kompas: {name: Kompas, url: https://www.kompas.com, country: ID, language: id}
telegraph: {name: The Telegraph, url: https://www.telegraph.co.uk, country: GB, language: en}
reuters: {name: Reuters, url: https://www.reuters.com, country: GB, language: en, reliability: A}
isw: {name: Institute for the Study of War, url: https://www.understandingwar.org, country: US, language: en}
arsip-lama: {name: Arsip Lama, description: Tidak dipakai artikel mana pun.}
""",
    "places": """\
rusia: {name: Rusia, kind: country, country: RU}
ukraina: {name: Ukraina, kind: country, country: UA}
kursk-oblast: {name: Oblast Kursk, kind: region, country: RU, within: rusia, coordinates: [51.73, 36.19]}
belgorod-oblast: {name: Oblast Belgorod, kind: region, country: RU, within: rusia}
sumy-oblast: {name: Oblast Sumy, kind: region, country: UA, within: ukraina}
sudzha: {name: Sudzha, kind: town, within: kursk-oblast, coordinates: [51.19, 35.27]}
korenevo: {name: Korenevo, kind: town, within: kursk-oblast}
glushkov: {name: Distrik Glushkov, kind: district, within: kursk-oblast, alt_names: [Glushkovo]}
sungai-seym: {name: Sungai Seym, kind: water, within: kursk-oblast}
krimea: {name: Krimea, kind: region, country: UA, within: ukraina, description: Tidak dipakai artikel mana pun.}
""",
    "actors": """\
rusia: {name: Rusia, kind: state}
ukraina: {name: Ukraina, kind: state}
khorne-group: {name: Khorne Group, kind: unit, part_of: ukraina}
staf-umum: {name: Staf Umum Ukraina, kind: military, part_of: ukraina}
iaea: {name: IAEA, kind: organisation}
smirnov: {name: Alexei Smirnov, kind: person, part_of: rusia}
wagner: {name: Wagner, kind: armed-group, description: Tidak dipakai artikel mana pun.}
""",
    "topics": """\
serangan: {name: Serangan lintas batas}
evakuasi: {name: Evakuasi}
diplomasi: {name: Diplomasi}
energi: {name: Energi, description: Gas dan listrik.}
arsip: {name: Arsip, description: Tidak dipakai artikel mana pun.}
""",
}

#: Numbers and questions followed across days: most articles feed one (tests/test_reads.py, test_cache.py).
SERIES = """\
wilayah: {name: Wilayah yang diklaim, unit: km², place: kursk-oblast}
prajurit: {name: Prajurit yang hilang, unit: prajurit}
warga: {name: Warga mengungsi, unit: warga, place: sumy-oblast, description: Rentang menurut pejabat.}
"""
THREADS = """\
utas-0: {question: Apakah Sudzha dikuasai?, places: [sudzha], actors: [ukraina, rusia]}
utas-1: {question: Apakah jembatan Seym runtuh?, places: [sungai-seym]}
utas-2: {question: Apakah IAEA diizinkan masuk?, actors: [iaea], description: Tentang PLTN.}
"""

_PLACES = ("sudzha", "korenevo", "glushkov", "sungai-seym", "belgorod-oblast", "sumy-oblast", "kursk-oblast")
_ACTORS = ("rusia", "ukraina", "khorne-group", "staf-umum", "iaea", "smirnov")
_TOPICS = ("evakuasi", "diplomasi", "energi")
_STATUSES = ("claimed", "claimed", "corroborated", "disputed", "confirmed", "false", "claimed")
_OUTLETS = ("kontan", "kompas")
_WIRES = (None, "telegraph", "reuters", None, "isw")

#: Files every step of the tests may touch, by what they are.
LEAD = "content/articles/2024/08/2024-08-10-artikel-0.md"  # a Markdown lead article
RAW = "content/articles/2024/08/2024-08-10-artikel-1.txt"  # a raw outlet text (its .yaml beside it)
IMAGE = "content/images/peta.png"
LATE_IMAGE = "content/images/nanti.png"  # referenced by an article before the file exists


def day_of(n: int) -> date:
    return FIRST + timedelta(days=n)


def stem(on: date, k: int) -> str:
    return f"{on.isoformat()}-artikel-{k}"


def _meta(n: int, k: int, on: date) -> str:
    index = n * PER_DAY + k
    place = _PLACES[index % len(_PLACES)]
    actor = _ACTORS[index % len(_ACTORS)]
    topic = _TOPICS[index % len(_TOPICS)]
    wire = _WIRES[index % len(_WIRES)]
    status = _STATUSES[index % len(_STATUSES)]
    lines = [
        f"title: Artikel {k} tanggal {on.day} {on:%B} di {place}",
        f"date: {on.isoformat()}T{8 + k * 3:02d}:{(index * 7) % 60:02d}:00+07:00",
        "source:",
        f"  outlet: {_OUTLETS[index % 2]}",
        *([f"  based_on: {wire}"] if wire else []),
        *(["  editor: Handoyo", "  dateline: Jakarta"] if k == 1 else []),
        f"summary: Ringkasan artikel {k} pada {on.isoformat()} tentang {place} dan {actor}.",
        f"topics: [serangan, {topic}]",
        f"places: [{place}]",
        f"actors: [{actor}]",
        "figures:",
        f"  - {{value: {1000 + index * 10}, qualifier: about, unit: km², label: wilayah yang diklaim, "
        f"place: {place}, claim: k{index}{', series: wilayah' if index % 3 else ''}}}",
        *(["  - {value: null, unit: prajurit, label: jumlah prajurit, series: prajurit}"] if index % 5 == 0 else []),
        *(["  - {min: 400, max: 500, unit: warga, label: warga mengungsi, series: warga}"] if index % 6 == 0 else []),
        "claims:",
        f"  - {{id: k{index}, text: Klaim nomor {index} tentang {place}., by: {actor}, status: {status}, "
        f"evidence: [https://example.org/bukti/{index}]{f', thread: utas-{index % 3}' if index % 2 == 0 else ''}}}",
        *([f'  - {{id: t{index}, text: Klaim kedua., by: "Blogger militer", status: disputed}}']
          if index % 4 == 0 else []),
    ]
    if k == 0:
        lines.append("priority: 1")
    return "\n".join(lines) + "\n"


def _body(n: int, k: int) -> str:
    text = f"Paragraf pertama artikel {k} hari {n}.\n\n## Subjudul\n\nParagraf kedua.\n"
    if (n, k) == (15, 0):
        text += "\n![Peta](images/peta.png)\n"
    if (n, k) == (15, 2):
        text += "\n![Peta berikut][nanti]\n\n[nanti]: ./images/nanti.png\n"
    return text


def write_large_briefing(root: Path) -> Path:
    """The generated briefing at ``root`` (created); returns ``root``."""
    files: dict[str, str | bytes] = {"briefing.yml": CONFIG}
    for kind, text in {**REGISTRIES, "series": SERIES, "threads": THREADS}.items():
        files[f"content/data/{kind}.yaml"] = text
    files[IMAGE] = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    for n in range(DAYS):
        on = day_of(n)
        folder = f"content/articles/{on:%Y/%m}"
        for k in range(PER_DAY):
            meta = _meta(n, k, on)
            if (n, k) == (3, 3):
                meta += "image: {src: images/peta.png, alt: Peta uji, credit: Redaksi}\n"
            if k % 2:
                files[f"{folder}/{stem(on, k)}.txt"] = (
                    "Sumber: Telegraph | Editor: Handoyo .\n"
                    f"KONTAN.CO.ID - JAKARTA. Paragraf pertama teks mentah {k} hari {n}.\n\n"
                    "Situasi Warga\n\nParagraf kedua teks mentah.\n")
                files[f"{folder}/{stem(on, k)}.yaml"] = meta
            else:
                files[f"{folder}/{stem(on, k)}.md"] = f"---\n{meta}---\n{_body(n, k)}"
        if n % 3 == 0:
            files[f"content/briefings/{on.isoformat()}.yaml"] = textwrap.dedent(f"""\
                headline: Berita utama hari {n}
                as_of: {on.isoformat()}T22:00:00+07:00
                takeaways: [Poin satu hari {n}., Poin dua., Poin tiga.]
                note: Catatan **redaksi** hari {n}.
                articles: [{stem(on, 2)}]
                """)
    files["content/articles/2024/08/2024-08-16-draf.md"] = (
        "---\n" + _meta(21, 3, date(2024, 8, 16)) + "draft: true\n---\nDraf.\n")
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return root
