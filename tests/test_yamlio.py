"""Strict YAML: duplicate keys, YAML 1.1 traps, aliases, locations."""

from __future__ import annotations

from briefing.yamlio import MAX_DEPTH, MAX_NODES, parse_yaml


def test_duplicate_key_names_both_lines() -> None:
    doc, problems = parse_yaml("title: a\nsummary: b\ntitle: c\n", "x.yaml")
    [problem] = problems.errors
    assert (problem.location.line, problem.location.column) == (3, 1)
    assert problem.field == "title"
    assert "already set on line 1" in problem.message
    assert doc is not None and doc.data["title"] == "a"


def test_nested_duplicate_key_has_field_path() -> None:
    _, problems = parse_yaml("source:\n  outlet: a\n  outlet: b\n", "x.yaml")
    [problem] = problems.errors
    assert problem.field == "source.outlet"
    assert problem.location.line == 3


def test_keys_stay_the_text_typed() -> None:
    doc, problems = parse_yaml("on: 1\nno: 2\n2024-08-16: 3\n", "x.yaml")
    assert not problems
    assert doc is not None and doc.data == {"on": 1, "no": 2, "2024-08-16": 3}


def test_timestamps_stay_text_for_the_schema() -> None:
    doc, _ = parse_yaml("a: 2024-08-15T09:30:00+07:00\nb: 2024-02-30\n", "x.yaml")
    assert doc is not None
    assert doc.data == {"a": "2024-08-15T09:30:00+07:00", "b": "2024-02-30"}


def test_sexagesimal_time_is_refused_with_quote_hint() -> None:
    _, problems = parse_yaml("time: 1:20\n", "x.yaml")
    [problem] = problems.errors
    assert "base-60" in problem.message
    assert problem.hint == "quote it: '1:20'"
    assert (problem.location.line, problem.location.column) == (1, 7)


def test_leading_zero_octal_is_refused() -> None:
    _, problems = parse_yaml("value: 012345\n", "x.yaml")
    assert "octal" in problems.errors[0].message


def test_indonesian_thousands_separator_is_refused() -> None:
    _, problems = parse_yaml("value: 20.000\n", "x.yaml")
    [problem] = problems.errors
    assert "thousands separator" in problem.message
    assert "20000" in problem.hint


def test_yes_no_are_booleans_but_remember_the_word() -> None:
    doc, problems = parse_yaml("country: NO\n", "x.yaml")
    assert not problems and doc is not None
    assert doc.data == {"country": False}
    mark = doc.mark(("country",))
    assert mark is not None and mark.text == "NO" and not mark.quoted


def test_quoted_values_are_marked() -> None:
    doc, _ = parse_yaml("a: 'x'\nb: x\n", "x.yaml")
    assert doc is not None
    assert doc.is_quoted(("a",)) and not doc.is_quoted(("b",))


def test_alias_bomb_is_bounded() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for level in "bcdefgh":
        prev = chr(ord(level) - 1)
        bomb += f"{level}: &{level} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
    _, problems = parse_yaml(bomb, "x.yaml")
    assert any(f"more than {MAX_NODES}" in p.message for p in problems.errors)


def test_merge_keys_and_python_tags_are_refused() -> None:
    _, problems = parse_yaml("a: &a {x: 1}\nb:\n  <<: *a\n", "x.yaml")
    assert "merge keys" in problems.errors[0].message
    _, problems = parse_yaml("a: !!python/object:os.system {}\n", "x.yaml")
    assert "not supported" in problems.errors[0].message


def test_syntax_error_has_line_and_column() -> None:
    doc, problems = parse_yaml("title: a\n  bad: [\n", "x.yaml", line_offset=1)
    assert doc is None
    [problem] = problems.errors
    assert problem.location.path == "x.yaml"
    assert problem.location.line >= 3  # the offset of front matter is applied
    assert problem.message.startswith("not valid YAML")


def test_locations_fall_back_to_the_nearest_ancestor() -> None:
    doc, _ = parse_yaml("source:\n  outlet: kontan\n", "x.yaml")
    assert doc is not None
    location = doc.location(("source", "editor"))
    assert (location.line, location.column) == (2, 3)


def test_nesting_deeper_than_the_bound_is_an_error_where_it_goes_too_deep() -> None:
    """600 nested lists on one line, 500 nested mappings, 2,000 levels of block indentation
    and 200,000 unclosed brackets (libyaml's own composer crashed the process on those)."""
    block = "".join(" " * (2 * i) + "k:\n" for i in range(2000))
    cases = {"x: " + "[" * 600 + "]" * 600: (2, 53), "a: 1\nb: " + "{a: " * 500 + "1" + "}" * 500: (3, 200),
             "[" * 200_000: (2, 51), block: (52, 101)}
    for text, (line, column) in cases.items():
        doc, problems = parse_yaml(text, "x.yaml", line_offset=1)
        assert doc is None
        [error] = problems.errors
        assert (error.location.line, error.location.column) == (line, column)
        assert error.message == f"nested more than {MAX_DEPTH} levels deep"
        assert "brackets" in error.hint
    fine = "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)  # the mapping is a level too
    doc, problems = parse_yaml(fine, "x.yaml")
    assert not problems and doc is not None


def test_aliases_cannot_nest_a_document_past_the_bound() -> None:
    """Each alias nests a whole section inside another: composed within the bound, built beyond it."""
    text = "a: &a " + "[" * 40 + "1" + "]" * 40 + "\n"
    for name, prev in zip("bcd", "abc", strict=False):
        text += f"{name}: &{name} " + "[" * 40 + f"*{prev}" + "]" * 40 + "\n"
    doc, problems = parse_yaml(text, "x.yaml")
    [error] = problems.errors
    assert error.message == f"nested more than {MAX_DEPTH} levels deep" and error.field == "b"
    assert doc is not None and doc.data["a"] is not None
