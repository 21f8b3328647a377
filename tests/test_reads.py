"""What a page reads is what it declares: the test that keeps incremental builds from going stale.

Every output of a briefing large enough to pass every limit is rendered through
RecordingReads, each with a renderer of its own (no view or fragment made for
another page can hide a read), and what it read must be among the inputs its
unit declared. A unit that reads one more thing than it declares fails here,
not in a reader's browser after the next incremental build.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import NOW
from largekit import write_large_briefing

from briefing import inputs
from briefing.content.load import load_site
from briefing.errors import BriefingError, Problems
from briefing.index import Index
from briefing.inputs import Input, Need
from briefing.model import Site
from briefing.plan import Plan, plan_site
from briefing.reads import Reads, RecordingReads
from briefing.render.tools import Tools, make_tools
from briefing.units.base import Output
from briefing.units.renderer import Renderer
from briefing.units.table import UNITS, unit_of


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Site, Tools, Plan]:
    root = write_large_briefing(tmp_path_factory.mktemp("large") / "besar")
    site, problems = load_site(root, now=NOW)
    assert site is not None, [p.format() for p in problems]
    tools = make_tools(root, site.config, Problems())
    plan = plan_site(site, static=tools.theme.static_files(), content=root / "content", pdf=True)
    return root, site, tools, plan


def _declared(output: Output, index: Index) -> set[Input]:
    """An output's inputs, with each card spelled out (its metadata and entries) and each
    whole article standing for its metadata too."""
    found = set(output.inputs)
    for key in output.inputs:
        if inputs.need_of(key) is Need.CARD:
            found.update(index.cards[inputs.name_of(key)])
        elif inputs.need_of(key) is Need.ARTICLE:
            found.add(inputs.meta(inputs.name_of(key)))
    return found


def _render(output: Output, reads: Reads, tools: Tools, root: Path) -> bytes:
    unit, renderer = unit_of(output.kind), Renderer(reads, tools)
    if unit.in_worker:
        return unit.document(output, renderer, root / "content").html.encode()  # type: ignore[attr-defined]
    data = unit.render(output, renderer).data
    return data if isinstance(data, bytes) else b""


def test_the_large_briefing_has_every_kind_of_output(large: tuple[Path, Site, Tools, Plan]) -> None:
    _root, _site, _tools, plan = large
    assert {o.kind for o in plan.outputs} == {unit.kind for unit in UNITS}
    assert any(o.page > 2 for o in plan.outputs if o.kind == "registry-entry")
    assert any(o.page > 1 for o in plan.outputs if o.kind == "claims-status")


def test_every_output_reads_only_what_it_declares(large: tuple[Path, Site, Tools, Plan]) -> None:
    root, site, tools, plan = large
    undeclared: dict[str, list[str]] = {}
    for output in plan.outputs:
        reads = RecordingReads(site, plan.index, plan.pages)
        _render(output, reads, tools, root)
        extra = reads.read - _declared(output, plan.index)
        if extra:
            undeclared[output.path] = sorted(map(str, extra))[:5]
    assert not undeclared, f"{len(undeclared)} outputs read what they do not declare: " + \
        "; ".join(f"{path}: {keys}" for path, keys in list(undeclared.items())[:8])


def test_a_renderer_shared_by_every_page_gives_the_same_bytes(large: tuple[Path, Site, Tools, Plan]) -> None:
    """The views and fragments one page leaves for the next change no byte of it."""
    root, site, tools, plan = large
    shared = Renderer(Reads(site, plan.index, plan.pages), tools)
    pages = [o for o in plan.outputs if not unit_of(o.kind).in_worker and o.source is None]
    different = [o.path for o in pages
                 if shared.render(o).data != _render(o, Reads(site, plan.index, plan.pages), tools, root)]
    assert not different


def test_a_theme_that_reads_the_whole_site_is_told_where(make_briefing) -> None:  # type: ignore[no-untyped-def]
    """A briefing's own template cannot reach past its page's view: the build names the
    template, its line and the field, and writes nothing."""
    from conftest import META

    from briefing.build import BuildOptions, build_site

    briefing = make_briefing()
    briefing.markdown("2024-08-15-evakuasi", META)
    briefing.write("templates/home.html", "{% extends 'base.html' %}{% block main %}\n"
                                           "<p>{{ site.articles|length }} artikel</p>{% endblock %}\n")
    with pytest.raises(BriefingError) as failure:
        build_site(briefing.root, BuildOptions(pdf=False, search=False, now=NOW), use_cache=False)
    message = str(failure.value)
    assert "templates/home.html:2" in message
    assert "site.articles: templates see site.config and their page's own variables" in message
    assert not (briefing.root / "site").exists()


def test_a_card_that_shows_a_body_is_told_where(make_briefing) -> None:  # type: ignore[no-untyped-def]
    from conftest import META

    from briefing.build import BuildOptions, build_site
    from briefing.render.theme import default_theme

    briefing = make_briefing()
    briefing.markdown("2024-08-15-evakuasi", META)
    macros = (default_theme() / "partials" / "macros.html").read_text()
    briefing.write("templates/partials/macros.html", macros.replace(
        '{% if a.summary %}<p class="card-summary">', '{{ a.body }}{% if a.summary %}<p class="card-summary">'))
    with pytest.raises(BriefingError) as failure:
        build_site(briefing.root, BuildOptions(pdf=False, search=False, now=NOW), use_cache=False)
    assert "templates/partials/macros.html:" in str(failure.value)
    assert "article.body: templates get an article's body as HTML" in str(failure.value)
