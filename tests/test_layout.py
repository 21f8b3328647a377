"""Nothing widens a page on a phone: a tiny briefing of overlong things, built and opened in
Chromium at 360 px (and 320 px, the narrowest the theme supports), every kind of page."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conftest import META, NOW, REGISTRIES, Briefing, dedent
from sitekit import serve

from briefing.build import BuildOptions, build_site

pytestmark = pytest.mark.browser

PREFIX = "/briefing/"  # CONFIG's base_url path

WORD = "perbatasan" * 1000  # 10,000 letters and not one break opportunity
COMPOUND = "pertanggungjawabanpemerintahdaerahperbatasa"  # 43 letters, in a figure's label
UNIT = "kepalakeluargapengungsiinternalterdaftar"  # one long word as a figure's unit
SOURCE_URL = ("https://www.kontan.co.id/news/rusia-perintahkan-evakuasi-warga-dari-distrik-glushkov-"
              "di-oblast-kursk-setelah-serangan-lintas-batas-ukraina?utm_source=telegram&utm_medium=social")
EVIDENCE_URL = ("https://laporan-lapangan-dan-verifikasi-citra-satelit-perbatasan-kursk."
                "contoh-organisasi-pemantau-konflik.org/2024/08/16/jembatan")
CODE = "curl -s 'https://api.example.org/v1/events?region=kursk&from=2024-08-06&to=2024-08-16' | jq .[]"
TABLE = ("| " + " | ".join(f"Kolom {n}" for n in range(1, 13)) + " |\n|" + "---|" * 12 + "\n| "
         + " | ".join(f"nilai {n * 1000}" for n in range(1, 13)) + " |\n")
#: Place names that do not break either: they show in breadcrumbs, figures and filters.
PLACES = REGISTRIES["places"].replace("name: Oblast Kursk", "name: Kurskayaoblastrossiyskoyfederatsii") \
    .replace("name: Distrik Glushkov", "name: Glushkovskiymunitsipalnyyrayonkurskoy")


def _meta(title: str, hour: int) -> str:
    return dedent(f"""
        title: {title}
        date: 2024-08-16T{hour:02d}:00:00+07:00
        source:
          outlet: kontan
          based_on: telegraph
          editor: Handoyo
          dateline: Jakarta
          url: "{SOURCE_URL}"
        summary: Ringkasan {WORD} selesai.
        topics: [evakuasi]
        places: [glushkov]
        actors: [ukraina]
        figures:
          - {{value: 20000, qualifier: about, unit: {UNIT}, label: {COMPOUND} diperintahkan mengungsi,
              place: glushkov, claim: klaim-panjang, series: panjang}}
        claims:
          - id: klaim-panjang
            text: Pernyataan {WORD} tentang Sudzha.
            by: ukraina
            status: disputed
            evidence: ["{EVIDENCE_URL}", "{SOURCE_URL}"]
            thread: panjang
        """)


BODY = f"Paragraf pertama {WORD} berakhir di sini.\n\n## Kode\n\n```\n{CODE}\n```\n\n## Tabel\n\n{TABLE}\nPenutup.\n"

#: One page of each kind in the briefing below.
PAGES = {
    "home": "",
    "day": "2024/08/16/",
    "article": "2024/08/16/panjang/",
    "its neighbour": "2024/08/16/kedua/",
    "archive": "archive/",
    "year": "2024/",
    "month": "2024/08/",
    "places": "places/",
    "place": "places/glushkov/",
    "actor": "actors/ukraina/",
    "topic": "topics/evakuasi/",
    "source": "sources/kontan/",
    "claims": "claims/",
    "claim status": "claims/disputed/",
    "timeline": "timeline/",
    "timeline month": "timeline/2024-08/",
    "search": "search/",
    "series": "series/panjang/",
    "series index": "series/",
    "thread": "threads/panjang/",
    "threads": "threads/",
    "404": "2024/08/16/tidak-ada/",
}

#: The elements sticking out past the right edge that have no child doing so: the culprits.
WIDE = """(width) => [...new Set([...document.querySelectorAll("body *")].filter((el) =>
    el.getBoundingClientRect().right > width + 0.5 && el.offsetParent !== null
    && ![...el.children].some((child) => child.getBoundingClientRect().right > width + 0.5))
  .map((el) => `${el.tagName.toLowerCase()}.${el.className} ${Math.round(el.getBoundingClientRect().right)}px`))]"""


@pytest.fixture
def long_site(make_briefing: Callable[..., Briefing]) -> Iterator[str]:
    briefing = make_briefing()
    assert len(COMPOUND) == 43 and len(CODE) == 95 and len(WORD) == 10_000
    briefing.registry("sources", REGISTRIES["sources"].replace("url: https://www.kontan.co.id",
                                                               f'url: "{SOURCE_URL}"'))
    briefing.registry("places", PLACES)
    briefing.registry("series", f"panjang: {{name: Seri {COMPOUND}, unit: {UNIT}, place: glushkov}}\n")
    briefing.registry("threads", f"panjang: {{question: Apakah {COMPOUND}?, places: [glushkov]}}\n")
    briefing.markdown("2024-08-16-panjang", _meta(f"Judul {WORD} panjang", 9), BODY)
    briefing.markdown("2024-08-16-kedua", _meta(f"Kedua {WORD}", 10), BODY)
    briefing.markdown("2024-08-15-kemarin", META)
    build_site(briefing.root, BuildOptions(pdf=False, now=NOW), use_cache=False)
    with serve(briefing.root / "site", PREFIX) as url:
        yield url


@pytest.fixture
def phone(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": request.param, "height": 740})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("phone", [360, 320], indirect=True, ids=["360px", "320px"])
def test_no_page_is_wider_than_a_phone(phone: Any, long_site: str) -> None:
    width = phone.viewport_size["width"]
    wide = {}
    for name, path in PAGES.items():
        phone.goto(long_site + path)
        if phone.evaluate("() => document.documentElement.scrollWidth") > width:
            wide[name] = phone.evaluate(WIDE, width)
    phone.goto(long_site + "search/?q=Ringkasan")
    phone.locator(".search-results li").first.wait_for(timeout=15_000)
    if phone.evaluate("() => document.documentElement.scrollWidth") > width:
        wide["search results"] = phone.evaluate(WIDE, width)
    assert not wide


@pytest.mark.parametrize("phone", [360], indirect=True, ids=["360px"])
def test_code_and_tables_scroll_in_their_own_box(phone: Any, long_site: str) -> None:
    phone.goto(long_site + PAGES["article"])
    for selector in (".body pre", ".body .table-scroll"):
        box = phone.locator(selector)
        assert box.evaluate("el => el.scrollWidth > el.clientWidth"), selector  # it does scroll
        assert box.evaluate("el => el.getBoundingClientRect().right") <= 360, selector
    assert phone.locator(".body pre").inner_text().strip() == CODE  # one line, kept whole
    # A reader without a mouse reaches the code to scroll it (Chromium focuses a scroller).
    for _ in range(80):
        phone.keyboard.press("Tab")
        if phone.evaluate("() => document.activeElement.tagName") == "PRE":
            break
    else:
        pytest.fail("Tab never reached the code block")


@pytest.mark.parametrize("phone", [360], indirect=True, ids=["360px"])
def test_a_scrolling_code_block_is_a_labelled_region(phone: Any, long_site: str) -> None:
    phone.goto(long_site + PAGES["article"])
    region = phone.evaluate("""() => {
        const region = document.querySelector(".body pre").closest("[role=region]");
        return region && [region.getAttribute("aria-label"), region.getAttribute("tabindex")];
    }""")
    assert region and region[0] and region[1] == "0"


@pytest.mark.parametrize("phone", [360], indirect=True, ids=["360px"])
def test_long_words_wrap_inside_their_boxes(phone: Any, long_site: str) -> None:
    """Broken where they must be, the words are still all there, in boxes the page's width."""
    phone.goto(long_site + PAGES["day"])
    figure = phone.locator(".key-figures .figure").first
    assert COMPOUND in figure.inner_text().replace("\n", "")
    assert figure.evaluate("el => el.getBoundingClientRect().right") <= 360
    phone.goto(long_site + PAGES["article"])
    title = phone.locator("h1")
    assert WORD in title.inner_text().replace("\n", "")
    assert title.evaluate("el => el.scrollWidth <= el.clientWidth")
