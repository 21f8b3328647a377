"""Generated input against the loaders: no exception but located problems, ever.

Hypothesis writes YAML (random text, and text built from YAML's own punctuation,
nesting and escapes), pasted outlet text, and whole article files into a tiny
briefing. Whatever comes in, the loaders return values and problems, and every
problem names its file and a line.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from conftest import CONFIG, META, NOW, REGISTRIES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.content.load import load_site
from briefing.content.rawtext import read_raw_text
from briefing.errors import Problems
from briefing.yamlio import MAX_DEPTH, _shallow, parse_yaml

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: YAML's punctuation, whitespace, escapes and characters it or XML refuse, for text that
#: reaches deep into the parser rather than ending at its first character.
_PIECES = st.sampled_from([
    "a", "b", "key", ": ", ":", "- ", "-", "? ", "[", "]", "{", "}", ", ", "&x ", "*x", "!!str ", "!!python/object ",
    "<<: ", "'", '"', "\\x0b", "\\u0000", "\\ud800", "|", ">", "#", "\n", "\n  ", "\n    ", "\t", " ", "---\n",
    "...\n", "%YAML 1.1\n", "012", "1:20", "20.000", "yes", "~", "2024-02-30", "\x00", "\x0b", "\x1b", "\ufffe",
    "\u2028", "\x85", "\ufeff", "é", "日本",
])
_YAML_TEXT = st.one_of(st.text(max_size=300), st.lists(_PIECES, max_size=80).map("".join))


def _located(problems: Problems, path: str) -> None:
    for problem in problems:
        assert problem.location.path == path and problem.location.line >= 1, problem.format()


@FAST
@given(text=_YAML_TEXT, offset=st.integers(min_value=0, max_value=5))
def test_parse_yaml_gives_values_or_located_problems(text: str, offset: int) -> None:
    doc, problems = parse_yaml(text, "x.yaml", line_offset=offset)
    _located(problems, "x.yaml")
    assert problems.errors or doc is not None
    for problem in problems:
        assert problem.location.line > offset


_TREES = st.recursive(st.integers() | st.text(max_size=5),
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner,
                                                                                   max_size=3),
                      max_leaves=80)


def _depth(node: yaml.Node) -> int:
    if isinstance(node, yaml.SequenceNode):
        return 1 + max((_depth(item) for item in node.value), default=0)
    if isinstance(node, yaml.MappingNode):
        return 1 + max((max(_depth(k), _depth(v)) for k, v in node.value), default=0)
    return 0


@FAST
@given(tree=_TREES, flow=st.none() | st.booleans(), indent=st.integers(min_value=2, max_value=9))
def test_the_cheap_depth_bound_never_lets_a_deeper_document_through(tree: object, flow: bool | None,
                                                                     indent: int) -> None:
    """yamlio hands a text that passes _shallow to libyaml's own composer, which recurses
    without a bound: the bound must hold for every style YAML can be written in."""
    text = yaml.safe_dump(tree, default_flow_style=flow, indent=indent, allow_unicode=True)
    if _shallow(text):
        assert _depth(yaml.compose(text, Loader=yaml.SafeLoader)) <= MAX_DEPTH


@FAST
@given(text=st.text(max_size=400) | st.lists(st.sampled_from([
    "Sumber: Telegraph | Editor: Handoyo .", "KONTAN.CO.ID - JAKARTA. ", "JAKARTA, KOMPAS.com - ", "Baca Juga: x",
    "Video: judul", "ADVERTISEMENT", "\n", "\r\n", "\r", "\x00", "\x1b[31m", "\ufeff", "\u200b", " ", "Judul Bagian",
    "Paragraf yang panjang.", "|", ":"]), max_size=40).map("".join))
def test_the_raw_text_reader_takes_any_text(text: str) -> None:
    raw = read_raw_text(text)
    lines = text.count("\n") + text.count("\r") + 1
    for block in raw.blocks:
        assert 1 <= block.line <= lines
    for dropped in raw.dropped:
        assert 1 <= dropped.line <= lines


#: Problems about a file as a whole, which have no line to point at.
_WHOLE_FILE = ("the file is empty", "raw text without metadata", "metadata without its raw text")
_ARTICLE_BYTES = st.one_of(
    st.binary(max_size=300),
    st.tuples(_YAML_TEXT, st.text(max_size=200)).map(lambda p: f"---\n{META}{p[0]}\n---\n{p[1]}".encode(
        "utf-8", "surrogatepass")),
    st.tuples(_YAML_TEXT, st.text(max_size=200)).map(lambda p: f"---\n{p[0]}\n---\n{p[1]}".encode(
        "utf-8", "surrogatepass")),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markdown=_ARTICLE_BYTES, raw_meta=_ARTICLE_BYTES, raw_text=st.binary(max_size=300) | st.text(
    max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_the_article_loader_gives_an_article_or_located_problems(markdown: bytes, raw_meta: bytes,
                                                                 raw_text: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "briefing.yml").write_text(CONFIG, encoding="utf-8")
        (root / "content/data").mkdir(parents=True)
        for kind, text in REGISTRIES.items():
            (root / f"content/data/{kind}.yaml").write_text(text, encoding="utf-8")
        articles = root / "content/articles/2024/08"
        articles.mkdir(parents=True)
        (articles / "2024-08-15-acak.md").write_bytes(markdown)
        (articles / "2024-08-15-mentah.yaml").write_bytes(raw_meta)
        (articles / "2024-08-15-mentah.txt").write_bytes(raw_text)
        site, problems = load_site(root, now=NOW)
    for problem in problems:
        assert problem.location.path.startswith("content/articles/2024/08/2024-08-15-"), problem.format()
        assert problem.location.line >= 1 or problem.message.startswith(_WHOLE_FILE), problem.format()
    assert site is not None or problems.errors
