"""Series and threads: series.yaml and threads.yaml, read as strictly as the registries, and
what figures and claims that name them must hold to."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from conftest import META, Briefing, dedent

from briefing.errors import Problem
from briefing.model import Series, Thread
from briefing.yamlio import parse_yaml

REPO = Path(__file__).resolve().parent.parent
ARTICLE = "content/articles/2024/08/2024-08-15-evakuasi.md"

SERIES = dedent("""
    wilayah-dikuasai-ukraina:
      name: Wilayah Rusia yang diklaim dikuasai Ukraina di Kursk
      unit: km²
      place: kursk-oblast
      description: Luas wilayah menurut klaim Kyiv dan penilaian independen.
    pengungsi-kursk: {name: Warga Oblast Kursk yang dievakuasi, unit: warga, place: kursk-oblast}
""")

THREADS = dedent("""
    sudzha-dikuasai:
      question: Apakah Ukraina menguasai kota Sudzha?
      places: [sudzha]
      actors: [ukraina, rusia]
""")

#: An article with a figure in each series and a claim in the thread: nothing left unused.
IN_ALL = META + dedent("""
    figures:
      - {value: 1150, unit: km², label: wilayah yang diklaim dikuasai Kyiv, series: wilayah-dikuasai-ukraina}
      - {value: 20000, label: warga diperintahkan mengungsi, series: pengungsi-kursk}
    claims:
      - id: sudzha
        text: Panglima Ukraina menyatakan Sudzha sepenuhnya dikuasai.
        by: ukraina
        status: claimed
        thread: sudzha-dikuasai
""")


def _followed(briefing: Briefing, series: str = SERIES, threads: str = THREADS) -> None:
    briefing.registry("series", series)
    briefing.registry("threads", threads)


def _errors(briefing: Briefing) -> list[Problem]:
    return briefing.problems().errors


def test_series_and_threads_load_into_the_model(briefing: Briefing) -> None:
    _followed(briefing)
    briefing.markdown("2024-08-15-evakuasi", IN_ALL)
    site = briefing.site()
    assert site.series["wilayah-dikuasai-ukraina"] == Series(
        "wilayah-dikuasai-ukraina", "Wilayah Rusia yang diklaim dikuasai Ukraina di Kursk", "km²",
        "kursk-oblast", "Luas wilayah menurut klaim Kyiv dan penilaian independen.")
    assert list(site.series) == ["wilayah-dikuasai-ukraina", "pengungsi-kursk"]
    assert site.threads == {"sudzha-dikuasai": Thread("sudzha-dikuasai", "Apakah Ukraina menguasai kota Sudzha?",
                                                      ("sudzha",), ("ukraina", "rusia"))}
    article = site.articles["2024-08-15-evakuasi"]
    assert [f.series for f in article.figures] == ["wilayah-dikuasai-ukraina", "pengungsi-kursk"]
    assert article.claims[0].thread == "sudzha-dikuasai"
    assert not briefing.problems()


def test_a_briefing_without_series_or_threads_is_fine(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-evakuasi")
    site = briefing.site()
    assert site.series == {} and site.threads == {}
    assert site.articles["2024-08-15-evakuasi"].figures == ()
    briefing.registry("series", "# nothing followed yet\n")
    assert not briefing.problems()


def test_only_the_name_of_a_series_and_the_question_of_a_thread_are_required(briefing: Briefing) -> None:
    _followed(briefing, "tawanan: {unit: prajurit}\n", "jembatan: {places: [glushkov]}\n")
    found = sorted((e.location.path, e.field, e.message, e.hint) for e in _errors(briefing))
    assert found == [("content/data/series.yaml", "tawanan.name", "required field is missing", "add 'name:' here"),
                     ("content/data/threads.yaml", "jembatan.question", "required field is missing",
                      "add 'question:' here")]


def test_an_unknown_field_in_series_or_threads_suggests_the_right_one(briefing: Briefing) -> None:
    _followed(briefing, "tawanan:\n  name: Tawanan perang\n  unti: prajurit\n",
              "jembatan: {question: Apakah jembatan Seym runtuh?, place: [glushkov]}\n")
    errors = sorted(_errors(briefing), key=lambda e: e.location)
    assert [(str(e.location), e.field, e.message, e.hint) for e in errors] == [
        ("content/data/series.yaml:3:3", "tawanan.unti", "unknown field 'unti'", "did you mean 'unit'?"),
        ("content/data/threads.yaml:1:52", "jembatan.place", "unknown field 'place'", "did you mean 'places'?"),
    ]


def test_a_duplicate_id_in_series_names_both_lines(briefing: Briefing) -> None:
    _followed(briefing, SERIES + "pengungsi-kursk: {name: Lagi}\n")
    error = briefing.only_error()
    assert str(error.location) == "content/data/series.yaml:7:1"
    assert "duplicate key 'pengungsi-kursk'" in error.message and "line 6" in error.message


def test_an_id_that_is_not_a_slug_gets_one(briefing: Briefing) -> None:
    _followed(briefing, "Tawanan Perang: {name: Tawanan perang}\n")
    error = briefing.only_error()
    assert (error.field, error.hint) == ("Tawanan Perang", "write 'tawanan-perang'")


def test_places_and_actors_of_series_and_threads_are_checked_against_the_registries(
        briefing: Briefing) -> None:
    _followed(briefing, "luas: {name: Luas, place: kursk-obl}\n",
              "sudzha: {question: Siapa menguasai Sudzha?, places: [sudzha, sudja], actors: [ukrain, rusia]}\n")
    errors = sorted(_errors(briefing), key=lambda e: e.location)
    assert [(e.location.path, e.field, e.message) for e in errors] == [
        ("content/data/series.yaml", "luas.place",
         "unknown place 'kursk-obl': content/data/places.yaml does not define it"),
        ("content/data/threads.yaml", "sudzha.places[1]",
         "unknown place 'sudja': content/data/places.yaml does not define it"),
        ("content/data/threads.yaml", "sudzha.actors[0]",
         "unknown actor 'ukrain': content/data/actors.yaml does not define it"),
    ]
    assert [e.hint for e in errors] == ["did you mean 'kursk-oblast'?", "did you mean 'sudzha'?",
                                        "did you mean 'ukraina'?"]


def test_an_unknown_series_in_a_figure_suggests_the_nearest(briefing: Briefing) -> None:
    _followed(briefing)
    briefing.markdown("2024-08-15-evakuasi", IN_ALL.replace("series: pengungsi-kursk", "series: pengungsi"))
    error = briefing.only_error()
    assert error.location.path == ARTICLE
    assert error.field == "figures[1].series"
    assert error.message == "unknown series 'pengungsi': content/data/series.yaml does not define it"
    assert error.hint == "did you mean 'pengungsi-kursk'?"


def test_an_unknown_thread_in_a_claim_suggests_the_nearest(briefing: Briefing) -> None:
    _followed(briefing)
    briefing.markdown("2024-08-15-evakuasi", IN_ALL.replace("thread: sudzha-dikuasai", "thread: sudzha-dikuasa"))
    error = briefing.only_error()
    assert (error.location.path, error.location.line) == (ARTICLE, 18)
    assert error.field == "claims[0].thread"
    assert error.message == "unknown thread 'sudzha-dikuasa': content/data/threads.yaml does not define it"
    assert error.hint == "did you mean 'sudzha-dikuasai'?"


def test_naming_a_series_without_a_series_file_says_where_to_add_it(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-evakuasi", META + "figures:\n  - {value: 1, label: x, series: luas}\n")
    error = briefing.only_error()
    assert error.hint == "add 'luas' to content/data/series.yaml"


def test_a_figure_in_another_unit_than_its_series_is_an_error_naming_both(briefing: Briefing) -> None:
    _followed(briefing)
    briefing.markdown("2024-08-15-evakuasi", IN_ALL.replace("value: 1150, unit: km²", "value: 444, unit: mi²"))
    error = briefing.only_error()
    assert (error.location.path, error.location.line) == (ARTICLE, 11)
    assert error.field == "figures[0].unit"
    assert error.message == ("the unit 'mi²' is not the unit of its series 'wilayah-dikuasai-ukraina', 'km²': "
                             "a series compares its points as they are, never converted")
    assert error.hint.startswith("give the number in km²")


def test_a_figure_without_a_unit_takes_its_series_unit(briefing: Briefing) -> None:
    _followed(briefing, SERIES + "tanpa-satuan: {name: Sesuatu yang dihitung}\n")
    briefing.markdown("2024-08-15-evakuasi", IN_ALL.replace("figures:\n", dedent("""
        figures:
          - {value: 3, label: tanpa satuan, series: tanpa-satuan}
          - {value: 4, unit: desa, label: satuan sendiri, series: tanpa-satuan}
          - {value: 5, label: di luar seri}
    """)))
    figures = briefing.site().articles["2024-08-15-evakuasi"].figures
    assert [(f.label, f.unit) for f in figures] == [
        ("tanpa satuan", ""),  # the series has no unit: nothing to take
        ("satuan sendiri", "desa"),  # nor any to differ from
        ("di luar seri", ""),
        ("wilayah yang diklaim dikuasai Kyiv", "km²"),
        ("warga diperintahkan mengungsi", "warga"),  # taken from pengungsi-kursk
    ]


def test_a_series_or_thread_no_article_uses_is_a_warning_at_its_entry(briefing: Briefing) -> None:
    _followed(briefing, SERIES, THREADS + "jembatan-seym: {question: Apakah jembatan Seym runtuh?}\n")
    briefing.markdown("2024-08-15-evakuasi", IN_ALL.replace(", series: pengungsi-kursk", ""))
    warnings = sorted(briefing.problems().warnings, key=lambda w: w.location)
    assert [(str(w.location), w.field, w.message, w.hint) for w in warnings] == [
        ("content/data/series.yaml:6:1", "pengungsi-kursk",
         "no published article has a figure in this series: it follows nothing yet",
         "add series: pengungsi-kursk to an article's figure, or remove the entry"),
        ("content/data/threads.yaml:5:1", "jembatan-seym",
         "no published article has a claim in this thread: it follows nothing yet",
         "add thread: jembatan-seym to an article's claim, or remove the entry"),
    ]
    assert not briefing.problems().errors


def test_a_series_only_a_draft_uses_is_a_warning_unless_drafts_are_built(briefing: Briefing) -> None:
    _followed(briefing)
    briefing.markdown("2024-08-15-evakuasi", IN_ALL + "draft: true\n")
    briefing.markdown("2024-08-15-lain", META)
    site, problems = briefing.load()
    assert site is not None
    assert sorted(w.field for w in problems.warnings) == ["pengungsi-kursk", "sudzha-dikuasai",
                                                         "wilayah-dikuasai-ukraina"]
    assert all(w.message.startswith("only drafts have a ") for w in problems.warnings)
    assert not briefing.load(drafts=True)[1].warnings


def test_an_invalid_series_entry_does_not_make_its_figures_unknown(briefing: Briefing) -> None:
    _followed(briefing, SERIES.replace("unit: warga,", "unit: warga, colour: red,"))
    briefing.markdown("2024-08-15-evakuasi", IN_ALL)
    error = briefing.only_error()
    assert (error.location.path, error.field) == ("content/data/series.yaml", "pengungsi-kursk.colour")


def test_a_claim_in_a_thread_shows_what_its_rating_rests_on(briefing: Briefing) -> None:
    """A thread's status moves with its claims' ratings: each follows the rule of every claim."""
    _followed(briefing)
    briefing.markdown("2024-08-15-evakuasi", IN_ALL.replace("status: claimed", "status: false"))
    warnings = briefing.problems().warnings
    assert [(w.field, w.message.split(":")[0]) for w in warnings] == [
        ("claims[0].evidence", "rated 'false' without evidence")]
    briefing.markdown("2024-08-15-evakuasi", IN_ALL.replace(
        "status: claimed", "status: confirmed\n    evidence: [https://example.org/geolokasi]"))
    assert not briefing.problems()


def test_the_schemas_of_series_and_threads_check_what_briefing_check_checks() -> None:
    """The JSON Schemas editors use accept the sample and refuse what the loader refuses."""
    for name, good, bad in (("series", SERIES, "luas: {unit: km², colour: red}\n"),
                            ("threads", THREADS, "sudzha: {question: Siapa?, actors: ukraina}\n")):
        schema = json.loads((REPO / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
        validator = jsonschema.Draft202012Validator(schema)
        for text, valid in ((good, True), (bad, False)):
            doc, problems = parse_yaml(text, f"{name}.yaml")
            assert doc is not None and not problems
            assert validator.is_valid(doc.data) is valid, (name, text)
