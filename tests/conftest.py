"""Tiny briefings on disk for tests: `make_briefing(tmp_path)` and friends."""

from __future__ import annotations

import signal
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from briefing.content.load import load_site
from briefing.errors import Problem, Problems
from briefing.model import Site

# A test runner started in the background of a shell without job control ignores
# SIGINT, and the `briefing serve` processes the tests stop with it (Ctrl-C) would
# inherit that and never stop: give them the default back.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

CONFIG = """\
title: Briefing Uji
language: id
timezone: Asia/Jakarta
base_url: https://example.org/briefing/
editors: [Redaksi Uji]
"""

REGISTRIES = {
    "sources": """\
kontan: {name: Kontan, url: https://www.kontan.co.id, country: ID, language: id, reliability: B}
telegraph: {name: The Telegraph, url: https://www.telegraph.co.uk, country: GB, language: en}
kompas: {name: Kompas, url: https://www.kompas.com, country: ID, alt_names: [KOMPAS.com]}
""",
    "places": """\
rusia: {name: Rusia, kind: country, country: RU}
kursk-oblast: {name: Oblast Kursk, kind: region, country: RU, within: rusia, coordinates: [51.73, 36.19]}
glushkov: {name: Distrik Glushkov, kind: district, within: kursk-oblast, alt_names: [Glushkovo]}
korenevo: {name: Korenevo, kind: town, within: kursk-oblast}
sudzha: {name: Sudzha, kind: town, within: kursk-oblast}
""",
    "actors": """\
rusia: {name: Rusia, kind: state}
ukraina: {name: Ukraina, kind: state}
khorne-group: {name: Khorne Group, kind: unit, part_of: ukraina}
""",
    "topics": """\
evakuasi: {name: Evakuasi}
serangan-lintas-batas: {name: Serangan lintas batas}
""",
}

META = """\
title: Rusia perintahkan evakuasi warga dari Glushkov
date: 2024-08-15T09:30:00+07:00
source:
  outlet: kontan
summary: Rusia memerintahkan evakuasi tambahan dari distrik perbatasan.
topics: [evakuasi]
places: [glushkov]
actors: [rusia]
"""

BODY = "Paragraf pertama artikel.\n\n## Subjudul\n\nParagraf kedua.\n"

#: A moment after every date the tests use, so that no test depends on the clock.
NOW = datetime.fromisoformat("2024-12-31T00:00:00+07:00")


@dataclass
class Briefing:
    """A briefing folder under tmp_path that tests fill file by file."""

    root: Path

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def markdown(self, stem: str, meta: str = META, body: str = BODY,
                 folder: str = "2024/08") -> Path:
        return self.write(f"content/articles/{folder}/{stem}.md", f"---\n{meta}---\n{body}")

    def raw(self, stem: str, meta: str = META, text: str = "Sumber: Telegraph | Editor: Handoyo .\n"
            "KONTAN.CO.ID - JAKARTA. Paragraf pertama.\n", folder: str = "2024/08") -> Path:
        self.write(f"content/articles/{folder}/{stem}.txt", text)
        return self.write(f"content/articles/{folder}/{stem}.yaml", meta)

    def registry(self, kind: str, text: str) -> Path:
        return self.write(f"content/data/{kind}.yaml", text)

    def day(self, day: str, text: str) -> Path:
        return self.write(f"content/briefings/{day}.yaml", text)

    def load(self, *, drafts: bool = False) -> tuple[Site | None, Problems]:
        return load_site(self.root, drafts=drafts, now=NOW)

    def site(self, *, drafts: bool = False) -> Site:
        site, problems = self.load(drafts=drafts)
        assert site is not None, "\n".join(p.format() for p in problems)
        return site

    def problems(self) -> Problems:
        return self.load(drafts=True)[1]

    def only_error(self) -> Problem:
        errors = self.problems().errors
        assert len(errors) == 1, "\n".join(p.format() for p in errors)
        return errors[0]


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


@pytest.fixture
def make_briefing(tmp_path: Path) -> Callable[..., Briefing]:
    def make(*, config: str = CONFIG, registries: dict[str, str] | None = None,
             folder: str = "briefing") -> Briefing:
        briefing = Briefing(tmp_path / folder)
        briefing.write("briefing.yml", config)
        for kind, text in (REGISTRIES if registries is None else registries).items():
            briefing.registry(kind, text)
        return briefing

    return make


@pytest.fixture
def briefing(make_briefing: Callable[..., Briefing]) -> Briefing:
    return make_briefing()


@pytest.fixture(scope="session")
def sample_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This repository's sample briefing, copied and built once per test session
    (website, PDFs and search index)."""
    from sitekit import copy_sample

    from briefing.build import BuildOptions, build_site

    root = copy_sample(tmp_path_factory.mktemp("sample") / "briefing")
    build_site(root, BuildOptions(now=NOW), use_cache=False)
    return root


@pytest.fixture(scope="session")
def sample_site(sample_root: Path) -> Path:
    return sample_root / "site"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session (Debian's, driven by Playwright)."""
    from playwright.sync_api import sync_playwright
    from sitekit import CHROMIUM_ARGS

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                              args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def browser_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()
