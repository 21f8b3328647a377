"""Loading a briefing: every rule of the content model, with located messages."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from conftest import META, Briefing, dedent

from briefing.content.articles import discover, same_articles
from briefing.content.files import MAX_TEXT_BYTES
from briefing.errors import Problems
from briefing.model import ClaimStatus, Heading, MarkdownBody, Paragraph, RawBody

ARTICLE = "content/articles/2024/08/2024-08-15-evakuasi.md"


def test_sample_article_loads_into_the_typed_model(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-evakuasi")
    site = briefing.site()
    article = site.articles["2024-08-15-evakuasi"]
    assert article.slug == "evakuasi"
    assert article.day == date(2024, 8, 15)
    assert article.published == datetime.fromisoformat("2024-08-15T09:30:00+07:00")
    assert article.language == "id"
    assert isinstance(article.body, MarkdownBody) and article.body.line == 11
    assert article.path == ARTICLE
    assert list(site.days) == [date(2024, 8, 15)]


def test_duplicate_key_in_front_matter_names_file_line_and_field(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-evakuasi", META + "title: Judul kedua\n")
    error = briefing.only_error()
    assert error.location.path == ARTICLE
    assert error.location.line == 10  # front matter starts on line 2
    assert error.field == "title"
    assert "duplicate key" in error.message and "line 2" in error.message


def test_unknown_key_suggests_the_right_one(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-evakuasi", META + "sumary: x\n")
    error = briefing.only_error()
    assert (error.location.line, error.location.column) == (10, 1)
    assert error.field == "sumary"
    assert error.message == "unknown field 'sumary'"
    assert error.hint == "did you mean 'summary'?"


def test_unknown_nested_key_suggests_within_its_mapping(briefing: Briefing) -> None:
    meta = META.replace("  outlet: kontan\n", "  outlet: kontan\n  editr: Handoyo\n")
    briefing.markdown("2024-08-15-evakuasi", meta)
    error = briefing.only_error()
    assert error.field == "source.editr"
    assert error.hint == "did you mean 'editor'?"


def test_unknown_place_id_suggests_nearest_ids(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-evakuasi", META.replace("[glushkov]", "[korenevo, glushkov, korenev]"))
    error = briefing.only_error()
    assert error.location.path == ARTICLE
    assert error.location.line == 8
    assert error.field == "places[2]"
    assert "unknown place 'korenev'" in error.message
    assert error.hint == "did you mean 'korenevo'?"


def test_unknown_id_written_as_a_name_suggests_the_id(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-evakuasi", META.replace("[glushkov]", "[glushkovo]"))
    error = briefing.only_error()
    assert error.hint == "did you mean 'glushkov'?"  # matched through alt_names


def test_an_error_without_a_hint_of_its_own_says_what_goes_there(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-evakuasi", META.replace("  outlet: kontan\n", '  outlet: ""\n'))
    error = briefing.only_error()
    assert (error.field, error.message) == ("source.outlet", "must not be empty")
    assert error.hint.startswith("what goes here: ") and "sources.yaml" in error.hint
    briefing.markdown("2024-08-15-evakuasi", META + "priority: 0\n")
    error = briefing.only_error()
    assert (error.field, error.hint) == ("priority", "what goes here: 1 is the lead of its day.")
    briefing.markdown("2024-08-15-evakuasi", META + "slug: '---'\n")
    error = briefing.only_error()
    assert (error.field, error.hint) == ("slug", "")  # its description only names the default


def test_impossible_date_is_located(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-evakuasi", META.replace("2024-08-15T09:30:00+07:00", "2024-02-30"))
    error = briefing.only_error()
    assert (error.location.line, error.location.column) == (3, 7)
    assert error.field == "date"
    assert "2024-02-30" in error.message and "no such day" in error.message


def test_date_in_words_is_refused_with_format_hint(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-evakuasi", META.replace("2024-08-15T09:30:00+07:00", "15 Agustus 2024"))
    error = briefing.only_error()
    assert error.field == "date"
    assert "YYYY-MM-DD" in error.hint


def test_missing_required_field(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-evakuasi", META.replace("title: Rusia perintahkan evakuasi warga dari Glushkov\n", ""))
    error = briefing.only_error()
    assert error.field == "title"
    assert error.message == "required field is missing"
    assert error.location.path == ARTICLE and error.location.line == 2


def test_missing_outlet_points_into_source(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-evakuasi", META.replace("  outlet: kontan\n", "  editor: Handoyo\n"))
    error = briefing.only_error()
    assert error.field == "source.outlet"
    assert error.location.line == 5  # the 'source' mapping's first line


def test_yaml11_boolean_where_text_is_expected_says_how_it_was_read(briefing: Briefing) -> None:
    briefing.registry("sources", "nrk: {name: NRK, country: NO}\nkontan: {name: Kontan}\n")
    briefing.markdown("2024-08-15-evakuasi")
    error = briefing.only_error()
    assert error.location.path == "content/data/sources.yaml"
    assert error.field == "nrk.country"
    assert "found NO (YAML 1.1 reads it as false)" in error.message
    assert error.hint == 'quote it: "NO"'


def test_number_where_text_is_expected(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-evakuasi", META.replace("  outlet: kontan\n", "  outlet: kontan\n  editor: 2024\n"))
    error = briefing.only_error()
    assert error.field == "source.editor"
    assert "expected text, found the number 2024" in error.message


def test_figure_value_in_words_is_refused(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-evakuasi", META + dedent("""
        figures:
          - value: 20000
            label: warga
          - value: dua puluh ribu
            label: warga
        """))
    error = briefing.only_error()
    assert error.field == "figures[1].value"
    assert error.message == "expected a number, found 'dua puluh ribu'"
    assert error.location.line == 13


def test_figure_needs_value_or_range(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-evakuasi", META + "figures:\n  - {label: warga, min: 5, max: 2}\n")
    error = briefing.only_error()
    assert error.field == "figures[0]"
    assert "larger than max" in error.message


def test_unknown_status_suggests_the_word(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-evakuasi", META + "claims:\n  - {id: a, text: b, by: rusia, status: confirmd}\n")
    error = briefing.only_error()
    assert error.field == "claims[0].status"
    assert error.hint == "did you mean 'confirmed'?"


def test_status_false_unquoted_is_the_status_word(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-evakuasi", META + "claims:\n  - {id: a, text: b, by: rusia, status: false}\n")
    assert briefing.site().articles["2024-08-15-evakuasi"].claims[0].status is ClaimStatus.FALSE


def test_claim_by_actor_id_or_quoted_free_text(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-evakuasi", META + dedent("""
        claims:
          - {id: a, text: x, by: ukraina, status: claimed}
          - {id: b, text: y, by: "Gubernur Kursk", status: corroborated, admiralty: B3}
        """))
    a, b = briefing.site().articles["2024-08-15-evakuasi"].claims
    assert (a.by_actor, a.by_text) == ("ukraina", None)
    assert (b.by_actor, b.by_text, b.admiralty) == (None, "Gubernur Kursk", "B3")


def _basis_warnings(briefing: Briefing, claims: str, url: str = "") -> list[tuple[int, str, str]]:
    meta = META.replace("  outlet: kontan\n", f"  outlet: kontan\n  url: {url}\n") if url else META
    briefing.markdown("2024-08-15-evakuasi", meta + "claims:\n" + dedent(claims))
    problems = briefing.problems()
    assert not problems.errors
    assert all(p.level == "error" for p in problems.strict())  # --strict: each one an error
    return [(p.location.line, p.field, p.message) for p in problems.warnings]


def test_a_rating_without_its_basis_is_a_warning_at_the_status(briefing: Briefing) -> None:
    """confirmed and false cite evidence; corroborated rests on a second report; disputed
    names who disputes it or cites evidence. Each miss is located at the claim's status."""
    found = _basis_warnings(briefing, """\
          - {id: a, text: x, by: rusia, status: confirmed}
          - {id: b, text: x, by: rusia, status: false}
          - {id: c, text: x, by: rusia, status: corroborated}
          - {id: d, text: x, by: rusia, status: disputed}
          - {id: e, text: x, by: rusia, status: claimed}
        """)
    assert [(line, field) for line, field, _ in found] == [
        (11, "claims[0].evidence"), (12, "claims[1].evidence"), (13, "claims[2].evidence"),
        (14, "claims[3].disputed_by")]
    assert "rated 'confirmed' without evidence" in found[0][2]
    assert "rated 'false' without evidence" in found[1][2]
    assert "corroboration needs a second, independent report" in found[2][2]
    assert "without saying who disputes it" in found[3][2]


def test_a_rating_with_its_basis_passes(briefing: Briefing) -> None:
    assert _basis_warnings(briefing, """\
          - {id: a, text: x, by: rusia, status: confirmed, evidence: [https://isw.example/a]}
          - {id: b, text: x, by: rusia, status: false, evidence: [https://isw.example/b]}
          - {id: c, text: x, by: rusia, status: corroborated, evidence: [https://reuters.example/c]}
          - {id: d, text: x, by: rusia, status: disputed, disputed_by: ukraina}
          - {id: e, text: x, by: rusia, status: disputed, disputed_by: "Analis independen"}
          - {id: f, text: x, by: rusia, status: disputed, evidence: [https://isw.example/f]}
        """, url="https://www.kontan.example/berita") == []


def test_corroboration_counts_sites_not_links(briefing: Briefing) -> None:
    """Two links on one site, or a link to the article's own site, are still one report."""
    found = _basis_warnings(briefing, """\
          - {id: a, text: x, by: rusia, status: corroborated, evidence: [https://kontan.example/lain]}
        """, url="https://www.kontan.example/berita")
    assert [field for _, field, _ in found] == ["claims[0].evidence"]


def test_disputed_by_is_an_actor_id_or_quoted_free_text(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-evakuasi", META + dedent("""
        claims:
          - {id: a, text: x, by: rusia, status: disputed, disputed_by: ukraina}
          - {id: b, text: y, by: rusia, status: disputed, disputed_by: "Analis independen"}
        """))
    a, b = briefing.site().articles["2024-08-15-evakuasi"].claims
    assert (a.disputed_by_actor, a.disputed_by_text) == ("ukraina", None)
    assert (b.disputed_by_actor, b.disputed_by_text) == (None, "Analis independen")
    briefing.markdown("2024-08-15-evakuasi", META + dedent("""
        claims:
          - {id: a, text: x, by: rusia, status: disputed, disputed_by: ukrain}
        """))
    error = briefing.only_error()
    assert error.field == "claims[0].disputed_by"
    assert "unknown actor 'ukrain'" in error.message and "ukraina" in error.hint


def test_unquoted_free_text_claimant_must_be_an_actor(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-evakuasi", META + "claims:\n  - {id: a, text: x, by: Gubernur Kursk, status: claimed}\n")
    error = briefing.only_error()
    assert error.field == "claims[0].by"
    assert "unknown actor 'Gubernur Kursk'" in error.message


def test_figure_claim_must_exist_in_the_article(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-evakuasi", META + dedent("""
        claims:
          - {id: wilayah, text: x, by: ukraina, status: claimed}
        figures:
          - {value: 1000, unit: km2, label: wilayah, claim: wilayh}
        """))
    error = briefing.only_error()
    assert error.field == "figures[0].claim"
    assert "claims of this article: wilayah" in error.hint


def test_javascript_url_is_refused(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-evakuasi", META.replace("  outlet: kontan\n", "  outlet: kontan\n  url: javascript:alert(1)\n"))
    error = briefing.only_error()
    assert error.field == "source.url"
    assert "https://" in error.message


def test_image_needs_alt_text(briefing: Briefing) -> None:
    briefing.write("content/images/peta.png", b"\x89PNG\r\n\x1a\n")
    briefing.markdown("2024-08-15-evakuasi", META + "image: {src: images/peta.png}\n")
    error = briefing.only_error()
    assert error.field == "image.alt"
    assert error.message == "required field is missing"


def test_image_outside_content_or_remote_is_refused(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-a", META + "image: {src: ../../etc/passwd, alt: x}\n")
    briefing.markdown("2024-08-15-b", META + "image: {src: 'file:///etc/passwd', alt: x}\n")
    briefing.markdown("2024-08-15-c", META + "image: {src: images/none.png, alt: x}\n")
    messages = sorted(p.message for p in briefing.problems().errors)
    assert any("outside content/" in m for m in messages)
    assert any("must be files under content/" in m for m in messages)
    assert any("no file content/images/none.png" in m for m in messages)


def test_non_utf8_file_names_line_and_byte(briefing: Briefing) -> None:
    briefing.write(f"{ARTICLE}", b"---\ntitle: Serangan\n" + b"summary: caf\xe9\n---\n")
    error = briefing.only_error()
    assert (error.location.path, error.location.line, error.location.column) == (ARTICLE, 3, 13)
    assert "not UTF-8" in error.message and "0xe9" in error.message


def test_empty_and_oversized_files(briefing: Briefing) -> None:
    briefing.write("content/articles/2024/08/2024-08-15-a.md", "  \n")
    briefing.write("content/articles/2024/08/2024-08-15-b.md", "x" * (MAX_TEXT_BYTES + 1))
    messages = sorted(p.message for p in briefing.problems().errors)
    assert messages[0] == "file is too large: 1,048,577 bytes, the limit is 1,048,576"
    assert messages[1] == "the file is empty"


def test_raw_text_with_bom_and_crlf_is_read_clean(briefing: Briefing) -> None:
    briefing.raw("2024-08-15-evakuasi", text=(
        "\ufeffSumber: Telegraph | Editor: Handoyo .  \r\n"
        "KONTAN.CO.ID - JAKARTA. Rusia memerintahkan evakuasi.  \r\n"
        "Serangan Ukraina\r\n"
        "Kyiv mengklaim kemajuan.\r\n"
    ))
    article = briefing.site().articles["2024-08-15-evakuasi"]
    assert isinstance(article.body, RawBody)
    assert article.body.blocks == (
        Paragraph("Rusia memerintahkan evakuasi.", 2),
        Heading("Serangan Ukraina", 3),
        Paragraph("Kyiv mengklaim kemajuan.", 4),
    )
    assert article.source.editor == "Handoyo"
    assert article.source.dateline == "Jakarta"
    assert article.source.based_on == "telegraph"  # 'Sumber: Telegraph' matched to the registry


def test_yaml_overrides_what_the_raw_header_says(briefing: Briefing) -> None:
    meta = META.replace("  outlet: kontan\n", "  outlet: kontan\n  editor: Yudho\n  author: null\n")
    briefing.raw("2024-08-15-evakuasi", meta=meta)
    source = briefing.site().articles["2024-08-15-evakuasi"].source
    assert (source.editor, source.author) == ("Yudho", None)


def test_raw_text_needs_its_metadata_and_the_other_way_round(briefing: Briefing) -> None:
    briefing.write("content/articles/2024/08/2024-08-15-a.txt", "Teks.\n")
    briefing.write("content/articles/2024/08/2024-08-15-b.yaml", META)
    errors = {p.location.path: p.message for p in briefing.problems().errors}
    assert errors == {
        "content/articles/2024/08/2024-08-15-a.txt": "raw text without metadata",
        "content/articles/2024/08/2024-08-15-b.yaml": "metadata without its raw text",
    }


def test_same_id_in_two_folders_is_an_error(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-evakuasi", folder="2024/08")
    briefing.markdown("2024-08-15-evakuasi", folder="arsip")
    error = briefing.only_error()
    assert "same name" in error.message
    assert "content/articles/2024/08/2024-08-15-evakuasi.md" in f"{error.location} {error.message}"
    assert "content/articles/arsip/2024-08-15-evakuasi.md" in f"{error.location} {error.message}"


def test_duplicate_slug_on_one_day_names_both_files(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-evakuasi")
    briefing.markdown("2024-08-15-evakuasi-lagi", META + "slug: evakuasi\n")
    error = briefing.only_error()
    assert error.field == "slug"
    both = f"{error.location.path} {error.message}"
    assert "content/articles/2024/08/2024-08-15-evakuasi.md" in both
    assert "content/articles/2024/08/2024-08-15-evakuasi-lagi.md" in both
    assert "'evakuasi' on 2024-08-15" in error.message


def test_files_linked_from_outside_the_briefing_are_neither_read_nor_published(
        briefing: Briefing, tmp_path: Path) -> None:
    """Nothing in a briefing can make the build read a file elsewhere: a link out of the
    folder is refused where it stands; a link within the briefing is just a file."""
    secret = tmp_path / "secret.md"
    secret.write_text(f"---\n{META}---\nRahasia.\n", encoding="utf-8")
    (tmp_path / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    briefing.markdown("2024-08-15-evakuasi")
    articles = briefing.root / "content/articles/2024/08"
    (articles / "2024-08-15-bocor.md").symlink_to(secret)
    media = briefing.write("content/images/peta.png", b"\x89PNG\r\n\x1a\n").parent
    (media / "bocor.png").symlink_to(tmp_path / "secret.png")
    (media / "alias.png").symlink_to(media / "peta.png")
    site, problems = briefing.load()
    assert site is None
    (briefing.root / ".env").write_text("TOKEN=rahasia\n", encoding="utf-8")
    (media / "env.png").symlink_to(briefing.root / ".env")  # in the folder, but not content
    (media / "lingkaran.png").symlink_to(media / "lingkaran.png")  # a loop: no crash
    site, problems = briefing.load()
    assert site is None
    refused = {p.location.path: p.message for p in problems.errors}
    assert refused.keys() == {"content/articles/2024/08/2024-08-15-bocor.md", "content/images/bocor.png",
                              "content/images/env.png", "content/images/lingkaran.png"}
    assert refused["content/images/bocor.png"] == f"a link to {tmp_path / 'secret.png'}, which is not in content/"
    assert refused["content/images/lingkaran.png"] == "a link that leads to no file"
    for name in ("bocor.png", "env.png", "lingkaran.png"):
        (media / name).unlink()
    (articles / "2024-08-15-bocor.md").unlink()
    (articles / "2024-08-15-lingkaran.md").symlink_to(articles / "2024-08-15-lingkaran.md")
    assert "Too many levels of symbolic links" in briefing.only_error().message
    (articles / "2024-08-15-lingkaran.md").unlink()
    assert briefing.site().media == ("images/alias.png", "images/peta.png")


def test_a_settings_file_linked_from_outside_is_refused(briefing: Briefing, tmp_path: Path) -> None:
    config = briefing.root / "briefing.yml"
    config.rename(tmp_path / "shared.yml")
    config.symlink_to(tmp_path / "shared.yml")
    error = briefing.only_error()
    assert (error.location.path, error.message) == (
        "briefing.yml", f"a link to {tmp_path / 'shared.yml'}, which is not in the briefing folder")


def test_folders_linked_from_outside_are_not_followed(briefing: Briefing, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "2024").mkdir(parents=True)
    (elsewhere / "2024" / "2024-08-15-jauh.md").write_text(f"---\n{META}---\nJauh.\n", encoding="utf-8")
    briefing.markdown("2024-08-15-evakuasi")
    (briefing.root / "content/articles/2023").symlink_to(elsewhere / "2024")
    site, problems = briefing.load()
    assert site is not None and list(site.articles) == ["2024-08-15-evakuasi"]
    assert [(w.location.path, "not followed" in w.message) for w in problems.warnings] == \
        [("content/articles/2023", True)]
    data = briefing.root / "content/data"
    data.rename(elsewhere / "data")
    data.symlink_to(elsewhere / "data")  # the registries, kept outside: nothing is read
    site, problems = briefing.load()
    assert site is None
    assert [e.location.path for e in problems.errors] == ["content/data"]


def test_content_kept_elsewhere_through_one_link_still_builds(briefing: Briefing, tmp_path: Path) -> None:
    briefing.markdown("2024-08-15-evakuasi")
    (briefing.root / "content").rename(tmp_path / "content-repo")
    (briefing.root / "content").symlink_to(tmp_path / "content-repo")
    assert list(briefing.site().articles) == ["2024-08-15-evakuasi"]


def test_bad_file_name_gets_a_slug_hint(briefing: Briefing) -> None:
    briefing.markdown("Evakuasi Glushkov")
    error = briefing.only_error()
    assert error.hint.startswith("rename it to 'evakuasi-glushkov'")


def test_warnings_for_future_date_no_summary_and_claim_without_claimant(briefing: Briefing) -> None:
    meta = META.replace("2024-08-15T09:30:00+07:00", "2031-01-01").replace(
        "summary: Rusia memerintahkan evakuasi tambahan dari distrik perbatasan.\n", "")
    briefing.markdown("2031-01-01-nanti", meta + "claims:\n  - {id: a, text: x, status: claimed}\n")
    problems = briefing.problems()
    assert not problems.errors
    fields = sorted(p.field for p in problems.warnings)
    assert fields == ["claims[0].by", "date", "summary"]
    assert all(p.location.path.endswith("2031-01-01-nanti.md") for p in problems.warnings)
    assert [p.level for p in problems.strict()] == ["error"] * 3


def test_bare_date_is_read_in_the_site_time_zone(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-a", META.replace("2024-08-15T09:30:00+07:00", "2024-08-15"))
    briefing.markdown("2024-08-15-b", META.replace("2024-08-15T09:30:00+07:00", "2024-08-15T20:00:00+00:00"))
    site = briefing.site()
    a, b = site.articles["2024-08-15-a"], site.articles["2024-08-15-b"]
    assert a.published.isoformat() == "2024-08-15T00:00:00+07:00" and not a.has_time
    assert b.day == date(2024, 8, 16)  # 20:00 UTC is already the 16th in Jakarta


def test_day_without_curation_orders_by_priority_then_newest(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-pagi", META.replace("09:30", "07:00"))
    briefing.markdown("2024-08-15-siang", META.replace("09:30", "12:00"))
    briefing.markdown("2024-08-15-utama", META.replace("09:30", "06:00") + "priority: 1\n")
    day = briefing.site().days[date(2024, 8, 15)]
    assert day.article_ids == ("2024-08-15-utama", "2024-08-15-siang", "2024-08-15-pagi")
    assert not day.curated


def test_curated_day_orders_listed_articles_first(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-a", META.replace("09:30", "07:00"))
    briefing.markdown("2024-08-15-b", META.replace("09:30", "08:00"))
    briefing.markdown("2024-08-15-c", META.replace("09:30", "09:00"))
    briefing.day("2024-08-15", dedent("""
        headline: Judul hari ini
        as_of: 2024-08-15T08:00:00+07:00
        takeaways: [Satu., Dua., Tiga.]
        articles: [2024-08-15-a]
        """))
    day = briefing.site().days[date(2024, 8, 15)]
    assert day.article_ids == ("2024-08-15-a", "2024-08-15-c", "2024-08-15-b")
    assert day.headline == "Judul hari ini" and day.curated
    assert day.as_of == datetime.fromisoformat("2024-08-15T08:00:00+07:00")


def test_curation_naming_unknown_or_other_days_article(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-evakuasi")
    briefing.markdown("2024-08-14-kemarin", META.replace("2024-08-15", "2024-08-14"))
    briefing.day("2024-08-15", "headline: H\narticles: [2024-08-15-evakuasl, 2024-08-14-kemarin]\n")
    errors = briefing.problems().errors
    assert [(e.location.path, e.location.line, e.field) for e in errors] == [
        ("content/briefings/2024-08-15.yaml", 2, "articles[0]"),
        ("content/briefings/2024-08-15.yaml", 2, "articles[1]"),
    ]
    assert errors[0].hint == "did you mean '2024-08-15-evakuasi'?"
    assert "belongs to the briefing of 2024-08-14" in errors[1].message
    assert "briefing: 2024-08-15" in errors[1].hint


def test_article_carried_by_a_later_briefing(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-evakuasi", META + "briefing: 2024-08-16\n")
    site = briefing.site()
    assert list(site.days) == [date(2024, 8, 16)]


def test_drafts_are_checked_but_not_published(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-evakuasi")
    briefing.markdown("2024-08-15-draf", META + "draft: true\n")
    assert list(briefing.site().articles) == ["2024-08-15-evakuasi"]
    assert len(briefing.site(drafts=True).articles) == 2


def test_every_error_of_a_run_is_collected(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-a", META + "sumary: x\n")
    briefing.markdown("2024-08-15-b", META.replace("[glushkov]", "[nowhere]"))
    briefing.registry("topics", "evakuasi: {name: Evakuasi, colour: red}\n")
    paths = {p.location.path for p in briefing.problems().errors}
    assert paths == {"content/articles/2024/08/2024-08-15-a.md",
                     "content/articles/2024/08/2024-08-15-b.md",
                     "content/data/topics.yaml"}


def test_registry_parent_cycle_and_unknown_parent(briefing: Briefing) -> None:
    briefing.registry("places", "a: {name: A, within: b}\nb: {name: B, within: a}\nc: {name: C, within: d}\n")
    errors = briefing.problems().errors
    messages = " | ".join(e.message for e in errors)
    assert "circular within" in messages
    assert "unknown place 'd'" in messages


def test_registry_id_must_be_a_slug(briefing: Briefing) -> None:
    briefing.registry("topics", "Evakuasi Warga: {name: Evakuasi}\n")
    error = briefing.problems().errors[0]
    assert error.field == "Evakuasi Warga"
    assert error.hint == "write 'evakuasi-warga'"


def test_config_errors_are_located(make_briefing) -> None:  # type: ignore[no-untyped-def]
    bad = make_briefing(config="title: X\nbase_url: example.org\ntimezone: Asia/Jakrta\nlangauge: id\n")
    errors = bad.problems().errors
    assert {e.field for e in errors} == {"base_url", "timezone", "langauge"}
    by_field = {e.field: e for e in errors}
    assert by_field["timezone"].hint == "did you mean 'Asia/Jakarta'?"
    assert by_field["langauge"].hint == "did you mean 'language'?"
    assert all(e.location.path == "briefing.yml" for e in errors)


def test_same_articles_tells_when_the_set_of_article_files_changed(briefing: Briefing) -> None:
    b = briefing
    b.markdown("2024-08-15-satu", META)
    root = b.root
    _, listings = discover(root, Problems())
    known = "content/articles/2024/08/2024-08-15-satu.md"
    assert same_articles(root, listings, [known])  # an edit
    assert same_articles(root, listings, ["content/articles/2024/08/.2024-08-15-satu.md.swp"])
    assert same_articles(root, listings, ["content/data/places.yaml", "briefing.yml"])
    b.markdown("2024-08-15-dua", META)
    assert not same_articles(root, listings, ["content/articles/2024/08/2024-08-15-dua.md"])
    (root / known).unlink()
    assert not same_articles(root, listings, [known])
    (root / "content/articles/2024/09").mkdir()
    assert not same_articles(root, listings, ["content/articles/2024/09"])


def test_a_cut_off_before_an_article_of_its_day_is_a_warning(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-pagi", META)
    briefing.markdown("2024-08-15-malam", META.replace("09:30", "22:10"))
    briefing.day("2024-08-15", "headline: H\ntakeaways: [Satu., Dua., Tiga.]\nas_of: 2024-08-15T20:00:00+07:00\n")
    problems = briefing.problems()
    assert not problems.errors
    (warning,) = problems.warnings
    assert (warning.location.path, warning.location.line, warning.field) == (
        "content/briefings/2024-08-15.yaml", 3, "as_of")
    assert "'2024-08-15-malam' (2024-08-15T22:10+07:00)" in warning.message
    assert "as_of: 2024-08-15T22:10+07:00 or later" in warning.hint
    briefing.day("2024-08-15", "headline: H\ntakeaways: [Satu., Dua., Tiga.]\nas_of: 2024-08-15T22:30:00+07:00\n")
    assert not briefing.problems().warnings
