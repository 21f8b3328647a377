"""Cache correctness: a build that reuses the last one gives exactly the site a clean build gives.

Each step edits, adds, deletes or renames something between builds, then
compares the incremental site/ with a fresh build of the same tree, byte for
byte and file for file.
"""

from __future__ import annotations

import dataclasses
import filecmp
import json
import os
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import largekit
import pytest
from conftest import META, NOW, Briefing

from briefing.build import CACHE_FILE, Builder, BuildOptions, build_site
from briefing.config import load_config
from briefing.content import reading
from briefing.content.cache import WAITING, LoadCache
from briefing.content.load import load_site
from briefing.errors import BriefingError, Problems
from briefing.render.theme import default_theme

OPTIONS = BuildOptions(pdf=False, search=False, now=NOW)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".briefing-build.json"}


def _clean_build(briefing: Briefing, tmp_path: Path) -> dict[str, bytes]:
    """The same tree built from nothing: a copy without site/ and without the cache."""
    copy = tmp_path / "clean"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(briefing.root, copy, ignore=shutil.ignore_patterns("site", ".briefing-cache"))
    build_site(copy, OPTIONS, use_cache=False)
    return _files(copy / "site")


def _assert_same_as_clean(briefing: Briefing, tmp_path: Path) -> None:
    report = build_site(briefing.root, OPTIONS)
    incremental = _files(briefing.root / "site")
    clean = _clean_build(briefing, tmp_path)
    assert sorted(incremental) == sorted(clean), set(incremental) ^ set(clean)
    different = [path for path in clean if incremental[path] != clean[path]]
    assert not different, f"differs from a clean build: {different[:10]}"
    assert report.reused > 0 or not incremental  # the cache was really used


def _article(briefing: Briefing, stem: str, day: str = "2024-08-15",
             changes: dict[str, str] | None = None) -> Path:
    meta = META.replace("2024-08-15", day)
    for old, new in (changes or {}).items():
        assert old in meta, old
        meta = meta.replace(old, new)
    return briefing.markdown(stem, meta)


def _edit_body(b: Briefing) -> None:
    path = b.root / "content/articles/2024/08/2024-08-15-evakuasi.md"
    path.write_text(path.read_text() + "\nParagraf tambahan.\n")


def _edit_title(b: Briefing) -> None:
    _article(b, "2024-08-15-evakuasi", changes={"Rusia perintahkan": "Moskwa perintahkan"})


def _move_time(b: Briefing) -> None:
    _article(b, "2024-08-15-evakuasi", changes={"09:30": "11:45"})


def _add_article(b: Briefing) -> None:
    _article(b, "2024-08-16-baru", day="2024-08-16")


def _delete_article(b: Briefing) -> None:
    (b.root / "content/articles/2024/08/2024-08-14-kemarin.md").unlink()


def _rename_article(b: Briefing) -> None:
    folder = b.root / "content/articles/2024/08"
    os.rename(folder / "2024-08-15-kedua.md", folder / "2024-08-15-kedua-baru.md")


def _move_day(b: Briefing) -> None:
    path = next((b.root / "content/articles/2024/08").glob("2024-08-15-kedua*.md"))
    path.write_text(path.read_text().replace("places: [glushkov]", "places: [glushkov]\nbriefing: 2024-08-16"))


def _curate_day(b: Briefing) -> None:
    b.day("2024-08-15", "headline: Hari yang dikurasi\ntakeaways: [Satu., Dua., Tiga.]\n"
                        "articles: [2024-08-15-evakuasi]\n")


def _rename_place(b: Briefing) -> None:
    path = b.root / "content/data/places.yaml"
    path.write_text(path.read_text().replace("Distrik Glushkov", "Distrik Glushkovo"))


def _add_topic_and_use_it(b: Briefing) -> None:
    path = b.root / "content/data/topics.yaml"
    path.write_text(path.read_text() + "bantuan: {name: Bantuan kemanusiaan}\n")
    _article(b, "2024-08-15-kedua", changes={"Rusia perintahkan": "Kedua", "[evakuasi]": "[bantuan, evakuasi]"})


def _delete_actor_use(b: Briefing) -> None:
    _article(b, "2024-08-15-evakuasi", changes={"actors: [rusia]": "actors: [ukraina]"})


def _edit_template(b: Briefing) -> None:
    own = b.root / "templates" / "partials" / "macros.html"
    own.parent.mkdir(parents=True, exist_ok=True)
    own.write_text((default_theme() / "partials" / "macros.html").read_text().replace(
        'class="card"', 'class="card card-edited"'))


def _remove_template_override(b: Briefing) -> None:
    _edit_template(b)
    build_site(b.root, OPTIONS)
    (b.root / "templates" / "partials" / "macros.html").unlink()


def _edit_static(b: Briefing) -> None:
    own = b.root / "templates" / "static" / "extra.css"
    own.parent.mkdir(parents=True, exist_ok=True)
    own.write_text("body { color: black; }\n")


def _edit_strings(b: Briefing) -> None:
    path = b.root / "briefing.yml"
    path.write_text(path.read_text() + "strings: {day.takeaways: Inti hari ini}\n")


def _edit_config(b: Briefing) -> None:
    path = b.root / "briefing.yml"
    path.write_text(path.read_text().replace("Briefing Uji", "Briefing Uji Baru"))


def _change_language(b: Briefing) -> None:
    path = b.root / "briefing.yml"
    path.write_text(path.read_text().replace("language: id", "language: en"))


def _add_image(b: Briefing) -> None:
    b.write("content/images/peta.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    _article(b, "2024-08-15-evakuasi",
             changes={"places: [glushkov]": "places: [glushkov]\nimage: {src: images/peta.png, alt: Peta}"})


def _touch_without_change(b: Briefing) -> None:
    path = b.root / "content/articles/2024/08/2024-08-15-evakuasi.md"
    path.write_text(path.read_text())


_SERIES = "pengungsi: {name: Warga yang dievakuasi, unit: warga, place: glushkov}\n"
_THREADS = "glushkov-kosong: {question: Apakah Glushkov dikosongkan?, places: [glushkov], actors: [rusia]}\n"
_IN_BOTH = {"actors: [rusia]": "actors: [rusia]\n"
            "figures:\n  - {value: 20000, label: diperintahkan mengungsi, series: pengungsi}\n"
            "claims:\n  - {id: perintah, text: Warga diperintahkan mengungsi., by: rusia, status: claimed,"
            " thread: glushkov-kosong}"}


def _add_series_and_threads(b: Briefing) -> None:
    """A figure without a unit in a series with one: the article's page shows the series' unit."""
    b.registry("series", _SERIES)
    b.registry("threads", _THREADS)
    _article(b, "2024-08-15-evakuasi", changes=_IN_BOTH)


def _edit_series_and_thread(b: Briefing) -> None:
    """The article's file stays as it was, its figure's unit (from series.yaml) does not."""
    _add_series_and_threads(b)
    build_site(b.root, OPTIONS)
    for kind, old, new in (("series", "unit: warga", "unit: orang"),
                           ("threads", "Apakah Glushkov", "Sudahkah Glushkov")):
        path = b.root / f"content/data/{kind}.yaml"
        path.write_text(path.read_text().replace(old, new))


def _rename_series_and_thread(b: Briefing) -> None:
    _add_series_and_threads(b)
    build_site(b.root, OPTIONS)
    b.registry("series", _SERIES.replace("pengungsi:", "evakuasi-glushkov:"))
    b.registry("threads", _THREADS.replace("glushkov-kosong:", "glushkov-dikosongkan:"))
    _article(b, "2024-08-15-evakuasi", changes={
        old: new.replace("series: pengungsi", "series: evakuasi-glushkov").replace(
            "thread: glushkov-kosong", "thread: glushkov-dikosongkan") for old, new in _IN_BOTH.items()})


def _delete_series_and_threads(b: Briefing) -> None:
    _add_series_and_threads(b)
    build_site(b.root, OPTIONS)
    (b.root / "content/data/series.yaml").unlink()
    (b.root / "content/data/threads.yaml").unlink()
    _article(b, "2024-08-15-evakuasi")  # which names neither any more


def _edit_series_figure(b: Briefing) -> None:
    """The series page, its index, its data and the article reporting it follow the figure."""
    _add_series_and_threads(b)
    build_site(b.root, OPTIONS)
    path = b.root / "content/articles/2024/08/2024-08-15-evakuasi.md"
    path.write_text(path.read_text().replace("value: 20000", "value: 25000"))


def _edit_series_point_and_thread_status(b: Briefing) -> None:
    """A point and a claim the day before too: the 15th's "since" section tells the move and
    the status change, and both change with the edit (so do the feed's and the home page's)."""
    _add_series_and_threads(b)
    _article(b, "2024-08-14-kemarin", day="2024-08-14", changes={
        old: new.replace("value: 20000", "value: 15000") for old, new in _IN_BOTH.items()})
    build_site(b.root, OPTIONS)
    _article(b, "2024-08-15-evakuasi", changes={
        old: new.replace("value: 20000", "value: 12000").replace(
            "status: claimed,", "status: confirmed, evidence: [https://www.understandingwar.org/x],")
        for old, new in _IN_BOTH.items()})


def _locate_places(b: Briefing) -> None:
    """Glushkov gets coordinates and the oblast its region code: the article's, the day's and the
    places' pages gain maps, and the base pictures appear."""
    path = b.root / "content/data/places.yaml"
    path.write_text(path.read_text().replace(
        "glushkov: {name: Distrik Glushkov,", "glushkov: {coordinates: [51.34, 34.64], name: Distrik Glushkov,").replace(
        "kursk-oblast: {name: Oblast Kursk,", "kursk-oblast: {iso_3166_2: RU-KRS, name: Oblast Kursk,"))


def _square(south: float, west: float, size: float = 0.3) -> str:
    ring = [[west, south], [west + size, south], [west + size, south + size], [west, south + size], [west, south]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


_LAYER = "klaim: {file: maps/klaim.geojson, name: Wilayah yang diklaim, source: kontan, as_of: 2024-08-14, status: claimed}\n"


def _add_layer(b: Briefing) -> None:
    _locate_places(b)
    b.write("content/maps/klaim.geojson", _square(51.2, 34.5))
    b.registry("layers", _LAYER)


def _edit_layer(b: Briefing) -> None:
    """Its geometry (only the GeoJSON file changes), then its status and its words."""
    _add_layer(b)
    build_site(b.root, OPTIONS)
    pictures = [p.read_text() for p in (b.root / "site/maps").glob("*.svg")]
    assert any("Wilayah yang diklaim" in picture for picture in pictures), "the step draws no layer"
    b.write("content/maps/klaim.geojson", _square(51.25, 34.55, 0.4))
    build_site(b.root, OPTIONS)
    b.registry("layers", _LAYER.replace("status: claimed", "status: assessed").replace("diklaim", "dinilai"))


def _move_layer_off_every_map(b: Briefing) -> None:
    _add_layer(b)
    build_site(b.root, OPTIONS)
    b.write("content/maps/klaim.geojson", _square(-10.0, -50.0))


def _delete_layer(b: Briefing) -> None:
    _add_layer(b)
    build_site(b.root, OPTIONS)
    (b.root / "content/data/layers.yaml").unlink()
    (b.root / "content/maps/klaim.geojson").unlink()


STEPS: dict[str, Callable[[Briefing], None]] = {
    "edit a body": _edit_body,
    "edit a title": _edit_title,
    "move an article's time within its day": _move_time,
    "add an article": _add_article,
    "delete an article": _delete_article,
    "rename an article file": _rename_article,
    "move an article to another day": _move_day,
    "curate a day": _curate_day,
    "rename a place": _rename_place,
    "add a topic and use it": _add_topic_and_use_it,
    "drop an actor from an article": _delete_actor_use,
    "override a template": _edit_template,
    "remove a template override": _remove_template_override,
    "add a static file": _edit_static,
    "override interface text": _edit_strings,
    "edit the config": _edit_config,
    "change the language": _change_language,
    "add an image": _add_image,
    "save a file unchanged": _touch_without_change,
    "add series and threads and use them": _add_series_and_threads,
    "edit a series' unit and a thread's question": _edit_series_and_thread,
    "rename a series and a thread": _rename_series_and_thread,
    "delete series.yaml and threads.yaml": _delete_series_and_threads,
    "edit a figure in a series": _edit_series_figure,
    "edit a series point and a thread claim's status": _edit_series_point_and_thread_status,
    "locate places (maps appear)": _locate_places,
    "add a map layer": _add_layer,
    "edit a map layer": _edit_layer,
    "move a map layer off every map": _move_layer_off_every_map,
    "delete a map layer": _delete_layer,
}


@pytest.fixture
def tree(make_briefing: Callable[..., Briefing]) -> Briefing:
    briefing = make_briefing()
    _article(briefing, "2024-08-15-evakuasi")
    _article(briefing, "2024-08-15-kedua", changes={"Rusia perintahkan": "Kedua"})
    _article(briefing, "2024-08-14-kemarin", day="2024-08-14")
    return briefing


@pytest.mark.parametrize("step", list(STEPS))
def test_cached_build_equals_clean_build(step: str, tree: Briefing, tmp_path: Path) -> None:
    build_site(tree.root, OPTIONS)
    STEPS[step](tree)
    _assert_same_as_clean(tree, tmp_path)


def test_every_step_in_a_row_equals_clean_build(tree: Briefing, tmp_path: Path) -> None:
    build_site(tree.root, OPTIONS)
    for step in STEPS.values():
        step(tree)
        build_site(tree.root, OPTIONS)
    _assert_same_as_clean(tree, tmp_path)


def test_nothing_changed_renders_nothing(tree: Briefing) -> None:
    build_site(tree.root, OPTIONS)
    again = build_site(tree.root, OPTIONS)
    assert again.rendered == []
    assert again.reused == again.outputs


def test_deleting_the_cache_is_safe(tree: Briefing, tmp_path: Path) -> None:
    build_site(tree.root, OPTIONS)
    shutil.rmtree(tree.root / ".briefing-cache")
    _edit_title(tree)
    _assert_same_as_clean(tree, tmp_path)


def test_a_corrupt_cache_is_ignored(tree: Briefing, tmp_path: Path) -> None:
    build_site(tree.root, OPTIONS)
    (tree.root / ".briefing-cache" / "load" / "00.pickle").write_bytes(b"not a pickle")
    _edit_body(tree)
    _assert_same_as_clean(tree, tmp_path)


def test_the_cache_file_of_older_versions_is_removed(tree: Briefing) -> None:
    (tree.root / ".briefing-cache").mkdir()
    (tree.root / ".briefing-cache" / "load.pickle").write_bytes(b"from an older version")
    build_site(tree.root, OPTIONS)
    assert not (tree.root / ".briefing-cache" / "load.pickle").exists()
    assert (tree.root / ".briefing-cache" / "load").is_dir()


def test_parallel_build_is_byte_identical_to_serial(make_briefing: Callable[..., Briefing],
                                                   tmp_path: Path) -> None:
    briefing = make_briefing()
    for day in range(1, 29):
        for n in range(12):
            stem = f"2024-08-{day:02d}-artikel-{n}"
            _article(briefing, stem, day=f"2024-08-{day:02d}",
                     changes={"Rusia perintahkan": f"Artikel {n} hari {day}"})
    serial = tmp_path / "serial"
    parallel = tmp_path / "parallel"
    build_site(briefing.root, BuildOptions(pdf=False, search=False, now=NOW, out=serial, workers=1),
               use_cache=False)
    report = build_site(briefing.root, BuildOptions(pdf=False, search=False, now=NOW, out=parallel,
                                                    workers=2), use_cache=False)
    assert report.outputs >= 400  # enough to be rendered in worker processes
    comparison = filecmp.dircmp(serial, parallel)
    assert _files(serial) == _files(parallel), comparison.diff_files


def test_articles_read_on_every_core_are_cached_as_if_read_in_one(
        make_briefing: Callable[..., Briefing], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Worker processes send each cache shard pickled, and the cache stores those bytes;
    a shard that also holds articles read before is pickled anew. Either way the cache
    on disk holds what reading every article in one process gives."""
    monkeypatch.setattr(reading, "PARALLEL_FROM", 2)  # read in workers even a small tree
    briefing = make_briefing()
    cache = briefing.root / ".briefing-cache" / CACHE_FILE
    for n in range(20):
        _article(briefing, f"2024-08-14-awal-{n}", day="2024-08-14",
                 changes={"Rusia perintahkan": f"Awal {n}"})
    build_site(briefing.root, BuildOptions(pdf=False, search=False, now=NOW, workers=2))
    for n in range(40):  # shards now hold articles read before and articles read now
        _article(briefing, f"2024-08-15-tambahan-{n}", changes={"Rusia perintahkan": f"Tambahan {n}"})
    build_site(briefing.root, BuildOptions(pdf=False, search=False, now=NOW, workers=2))
    in_workers = LoadCache.read(cache)
    assert not list(cache.glob(f"{WAITING}*"))  # each shard's bytes went into place or away
    shutil.rmtree(briefing.root / ".briefing-cache")
    build_site(briefing.root, BuildOptions(pdf=False, search=False, now=NOW, workers=1))
    in_one = LoadCache.read(cache)
    assert len(in_one.articles) == 60
    assert (in_workers.key, in_workers.articles) == (in_one.key, in_one.articles)
    _assert_same_as_clean(briefing, tmp_path)


def test_an_article_swapped_for_a_link_to_its_copy_elsewhere_is_refused(tree: Briefing,
                                                                        tmp_path: Path) -> None:
    """Moved out and linked back (mv keeps the size and time): the cache and the build
    stamp must not take the link for the file they knew."""
    _age(tree.root)
    build_site(tree.root, OPTIONS)
    path = tree.root / "content/articles/2024/08/2024-08-15-kedua.md"
    moved = tmp_path / "kedua.md"
    path.rename(moved)
    path.symlink_to(moved)
    with pytest.raises(BriefingError) as failure:
        build_site(tree.root, OPTIONS)
    assert f"a link to {moved}, which is not in content/" in str(failure.value)


def test_builds_side_by_side_keep_their_own_waiting_shards(
        make_briefing: Callable[..., Briefing], monkeypatch: pytest.MonkeyPatch) -> None:
    """Two builds of one briefing at once (another --out, another --base-url) park their
    shards under names of their own; a failed build leaves none behind."""
    monkeypatch.setattr(reading, "PARALLEL_FROM", 2)
    briefing = make_briefing()
    for n in range(12):
        _article(briefing, f"2024-08-15-artikel-{n}", changes={"Rusia perintahkan": f"Artikel {n}"})
    folder = briefing.root / ".briefing-cache" / CACHE_FILE
    first, second = LoadCache.read(folder), LoadCache.read(folder)
    load_site(briefing.root, now=NOW, cache=first, workers=2)
    load_site(briefing.root, now=NOW, cache=second, workers=2,
              config=load_config(briefing.root, Problems()).model_copy(update={"base_url": "https://b.example/"}))
    assert len(list(folder.glob(f"{WAITING}*"))) == len(first.pickled) + len(second.pickled) > 0
    first.write(folder)
    second.write(folder)
    assert LoadCache.read(folder).articles.keys() == second.articles.keys()
    assert not list(folder.glob(f"{WAITING}*"))
    briefing.markdown("2024-08-15-rusak", "title: [tanpa penutup\n")
    shutil.rmtree(briefing.root / ".briefing-cache")
    with pytest.raises(BriefingError):
        build_site(briefing.root, BuildOptions(pdf=False, search=False, now=NOW, workers=2))
    assert not list(folder.glob(f"{WAITING}*"))


def _age(root: Path, seconds: int = 3600) -> None:
    """Make every source look saved long ago, as between a curator's sessions."""
    for path in [root / "briefing.yml", *(root / "content").rglob("*")]:
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - seconds * 10**9))


def test_a_build_with_nothing_changed_is_answered_from_the_stamp(tree: Briefing) -> None:
    _article(tree, "2024-08-15-tanpa-ringkasan", changes={"summary: Rusia memerintahkan evakuasi tambahan dari distrik perbatasan.\n": ""})
    _age(tree.root)
    first = build_site(tree.root, OPTIONS)
    again = build_site(tree.root, OPTIONS)
    assert again.up_to_date and not first.up_to_date
    assert (again.outputs, again.reused, again.rendered) == (first.outputs, first.outputs, [])
    assert [p.message for p in again.problems.warnings] == [p.message for p in first.problems.warnings]


def test_a_same_size_edit_is_seen_through_the_stamp(tree: Briefing, tmp_path: Path) -> None:
    _age(tree.root)
    build_site(tree.root, OPTIONS)
    path = tree.root / "content/articles/2024/08/2024-08-15-evakuasi.md"
    text = path.read_text()
    path.write_text(text.replace("Rusia perintahkan", "Rusia perintahkaN"))  # same size
    report = build_site(tree.root, OPTIONS)
    assert not report.up_to_date and report.rendered
    _assert_same_as_clean(tree, tmp_path)


def test_an_edit_whose_modification_time_was_set_back_is_seen(tree: Briefing, tmp_path: Path) -> None:
    """cp -p, rsync -t and tar restore a file's modification time: a same-length edit
    then kept the stamp of size and mtime, and the build said nothing had changed."""
    _age(tree.root)
    build_site(tree.root, OPTIONS)
    path = tree.root / "content/articles/2024/08/2024-08-15-evakuasi.md"
    before = path.stat()
    path.write_text(path.read_text().replace("Rusia perintahkan", "Putin perintahkan"))  # same length
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    report = build_site(tree.root, OPTIONS)
    assert not report.up_to_date and report.rendered
    assert "Putin perintahkan evakuasi" in (tree.root / "site/2024/08/15/index.html").read_text()
    _assert_same_as_clean(tree, tmp_path)


def test_a_deleted_page_is_written_again(tree: Briefing) -> None:
    _age(tree.root)
    build_site(tree.root, OPTIONS)
    page = tree.root / "site/2024/08/15/index.html"
    page.unlink()
    report = build_site(tree.root, OPTIONS)
    assert not report.up_to_date and page.is_file()


def test_a_file_saved_just_before_a_build_is_not_trusted_to_its_stamp(tree: Briefing) -> None:
    _age(tree.root)
    _edit_body(tree)  # saved now: a second save in the same clock tick could keep its stamp
    build_site(tree.root, OPTIONS)
    again = build_site(tree.root, OPTIONS)
    assert not again.up_to_date  # the full comparison ran...
    assert again.rendered == []  # ...and found nothing to do


def test_a_failed_incremental_build_changes_no_file(tree: Briefing) -> None:
    build_site(tree.root, OPTIONS)
    before = _files(tree.root / "site")
    _edit_body(tree)
    tree.write("templates/article.html", (default_theme() / "article.html").read_text()
               .replace("{{ a.title }}", "{{ a.no_such_field }}", 1))
    with pytest.raises(BriefingError) as failure:
        build_site(tree.root, OPTIONS)
    assert "templates/article.html" in str(failure.value)
    assert _files(tree.root / "site") == before


def test_a_small_change_is_written_in_place_and_a_large_one_through_staging(
        tree: Briefing, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("briefing.build.IN_PLACE_LIMIT", 20)
    build_site(tree.root, OPTIONS)
    site = tree.root / "site"
    inode = site.stat().st_ino
    _edit_body(tree)
    small = build_site(tree.root, OPTIONS)
    assert 0 < len(small.rendered) <= 20
    assert site.stat().st_ino == inode  # the same folder, changed files replaced in it
    tree.write("briefing.yml", (tree.root / "briefing.yml").read_text() + "description: Baru.\n")
    large = build_site(tree.root, OPTIONS)
    assert len(large.rendered) > 20
    assert site.stat().st_ino != inode  # a new folder swapped in
    assert "Baru." in (site / "index.html").read_text()


def _edit_claim_text(b: Briefing) -> None:
    _article(b, "2024-08-15-evakuasi", changes={
        "actors: [rusia]": "actors: [rusia]\nclaims:\n  - {id: k, text: Klaim baru., by: rusia, status: claimed}"})


@pytest.mark.parametrize("told", [False, True], ids=["not told", "told what changed"])
def test_the_watch_builder_stays_equal_to_a_clean_build_through_every_step(
        tree: Briefing, tmp_path: Path, told: bool) -> None:
    """The watch mode keeps one Builder, which keeps its plan while the site's shape holds;
    told the changed paths (as `briefing serve` is), its load looks at nothing else."""
    builder = Builder(tree.root, OPTIONS)
    builder.build()
    steps = {**STEPS, "add a claim": _edit_claim_text, "edit a body again": _edit_body,
             "edit a title again": _edit_title, "add an article again": _add_article}
    for name, step in steps.items():
        before = _snapshot(tree.root)
        step(tree)
        changed = _seen_by_a_watcher(before, _snapshot(tree.root)) if told else None
        builder.update(changed)
        incremental = _files(tree.root / "site")
        clean = _clean_build(tree, tmp_path)
        different = sorted(set(incremental) ^ set(clean)) + [p for p in clean if incremental.get(p) != clean[p]]
        assert not different, f"after '{name}': differs from a clean build: {different[:10]}"


@pytest.mark.parametrize("told", [False, True], ids=["not told", "told what changed"])
def test_the_watch_builder_keeps_series_and_threads_as_a_clean_load_has_them(
        tree: Briefing, told: bool) -> None:
    """No page shows them yet, but the model the next pages will read must be fresh."""
    builder = Builder(tree.root, OPTIONS)
    builder.build()

    def edit_files(b: Briefing) -> None:
        for kind, old, new in (("series", "unit: warga", "unit: orang"),
                               ("threads", "Apakah Glushkov", "Sudahkah Glushkov")):
            path = b.root / f"content/data/{kind}.yaml"
            path.write_text(path.read_text().replace(old, new))

    def delete_thread_file(b: Briefing) -> None:
        (b.root / "content/data/threads.yaml").unlink()
        _article(b, "2024-08-15-evakuasi", changes={"actors: [rusia]": _IN_BOTH["actors: [rusia]"].split(
            "\nclaims:")[0]})

    for step in (_add_series_and_threads, edit_files, delete_thread_file):
        before = _snapshot(tree.root)
        step(tree)
        builder.update(_seen_by_a_watcher(before, _snapshot(tree.root)) if told else None)
        assert builder._last is not None
        kept = builder._last.site
        clean, _ = load_site(tree.root, now=NOW)
        assert clean is not None
        assert (kept.series, kept.threads) == (clean.series, clean.threads), step.__name__
        assert kept.articles["2024-08-15-evakuasi"] == clean.articles["2024-08-15-evakuasi"], step.__name__
    assert kept.series["pengungsi"].unit == "orang" and kept.threads == {}
    assert kept.articles["2024-08-15-evakuasi"].figures[0].unit == "orang"


def test_an_edit_that_keeps_the_shape_reuses_the_plan(tree: Briefing) -> None:
    builder = Builder(tree.root, OPTIONS)
    builder.build()
    plan = builder.update()[0]
    builder.ready_for_edits()
    assert builder._last is not None and builder._last.ready.plan._readers
    kept, renderer = builder._last.ready, builder._renderer
    _edit_body(tree)
    report, _ = builder.update()
    assert builder._last.ready is kept  # the same plan, fingerprints refreshed
    assert builder._renderer is renderer  # and the views and fragments of unchanged articles
    assert "2024/08/15/evakuasi/index.html" in report.rendered
    assert "2024/08/14/index.html" not in report.rendered  # a day that does not list it
    assert len(report.rendered) < plan.outputs == report.outputs
    _move_day(tree)  # another shape: a new plan
    builder.update()
    assert builder._last.ready is not kept
    assert builder._renderer is not renderer


def test_a_body_edit_renders_only_what_shows_the_body(tree: Briefing) -> None:
    """Lists of articles (days, timelines, registries, feeds, data) show no body: they are kept."""
    options = BuildOptions(search=False, now=NOW)  # with the daily PDFs, which print bodies
    build_site(tree.root, options)
    _edit_body(tree)
    report = build_site(tree.root, options)
    assert set(report.rendered) == {"2024/08/15/evakuasi/index.html",
                                    "2024/08/15/briefing-uji-2024-08-15.pdf"}
    _edit_title(tree)
    report = build_site(tree.root, options)
    assert {"2024/08/15/index.html", "timeline/2024-08/index.html",
            "data/articles.json"} <= set(report.rendered)
    assert "sitemap.xml" not in report.rendered  # it shows each article's address and date only
    _move_time(tree)
    assert "sitemap.xml" in build_site(tree.root, options).rendered


def _snapshot(root: Path) -> dict[str, object]:
    """Every source path with its content (None for a folder): what a watcher could see change."""
    found: dict[str, object] = {}
    for base in (root / "content", root / "templates"):
        for path in sorted(base.rglob("*")) if base.is_dir() else ():
            found[path.relative_to(root).as_posix()] = None if path.is_dir() else path.read_bytes()
    found["briefing.yml"] = (root / "briefing.yml").read_bytes()
    return found


def _seen_by_a_watcher(before: dict[str, object], after: dict[str, object]) -> set[str]:
    gone = object()
    return {p for p in before.keys() | after.keys() if before.get(p, gone) != after.get(p, gone)}


def test_an_article_told_unchanged_is_not_looked_at(tree: Briefing) -> None:
    """The watcher's word is trusted: a path it did not name is taken from the last load."""
    builder = Builder(tree.root, OPTIONS)
    builder.build()
    evakuasi = "content/articles/2024/08/2024-08-15-evakuasi.md"
    kedua = "content/articles/2024/08/2024-08-15-kedua.md"
    for rel in (evakuasi, kedua):
        path = tree.root / rel
        path.write_text(path.read_text() + "\nKalimat dari luar.\n")
    report, _ = builder.update({evakuasi})
    assert report.rendered == ["2024/08/15/evakuasi/index.html"]
    report, _ = builder.update(None)  # unknown: all looked at
    assert report.rendered == ["2024/08/15/kedua/index.html"]


def test_told_what_changed_the_checks_across_articles_still_hold(tree: Briefing) -> None:
    """Problems found across articles (dates, shared pages) survive edits to other articles
    and are found when an edit causes them."""
    _article(tree, "2024-08-15-esok", changes={"2024-08-15T09:30": "2024-08-15T23:30",
                                               "Rusia perintahkan": "Esok"})
    later = BuildOptions(pdf=False, search=False, now=datetime.fromisoformat("2024-08-15T12:00:00+07:00"))
    builder = Builder(tree.root, later)
    builder.build()
    _edit_body(tree)
    report, _ = builder.update({"content/articles/2024/08/2024-08-15-evakuasi.md"})
    assert [p.field for p in report.problems.warnings] == ["date"]  # esok is still in the future
    _article(tree, "2024-08-15-kedua", changes={"Rusia perintahkan": "Kedua", "places: [glushkov]":
                                                "places: [glushkov]\nslug: evakuasi"})
    with pytest.raises(BriefingError) as failure:
        builder.update({"content/articles/2024/08/2024-08-15-kedua.md"})
    assert "same page as" in str(failure.value)


# --- the same oracle on a briefing that passes every limit (tests/largekit.py) -------------


def _replace(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text()
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1))


def _new_article(root: Path, stem: str, day: str, extra: str = "") -> None:
    meta = (root / largekit.LEAD).read_text().split("---\n")[1]
    meta = meta.replace("2024-08-10", day).replace("priority: 1\n", "") + extra
    path = root / f"content/articles/{day[:4]}/{day[5:7]}/{stem}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{meta}---\nBadan artikel baru.\n")


LARGE_STEPS: dict[str, Callable[[Path], None]] = {
    "edit a Markdown body": lambda r: (r / largekit.LEAD).write_text((r / largekit.LEAD).read_text() + "\nTambahan.\n"),
    "edit a raw text": lambda r: (r / largekit.RAW).write_text((r / largekit.RAW).read_text() + "\nTambahan mentah.\n"),
    "edit a title": lambda r: _replace(r, largekit.LEAD, "title: Artikel 0", "title: Artikel nol"),
    "edit a summary": lambda r: _replace(r, largekit.RAW.replace(".txt", ".yaml"), "summary: Ringkasan", "summary: Inti"),
    "change a claim's status": lambda r: _replace(r, largekit.LEAD, "status: confirmed", "status: disputed"),
    "edit a claim's text": lambda r: _replace(r, largekit.LEAD, "Klaim nomor 60", "Klaim ke-60"),
    "edit a figure": lambda r: _replace(r, largekit.LEAD, "value: 1600", "value: 1650"),
    "move an article's time": lambda r: _replace(r, largekit.LEAD, "T08:00", "T23:10"),
    "move an article to another day": lambda r: _replace(r, largekit.RAW.replace(".txt", ".yaml"),
                                                         "places:", "briefing: 2024-08-09\nslug: pindah\nplaces:"),
    "add an article to a day": lambda r: _new_article(r, "2024-08-10-baru", "2024-08-10"),
    "add an article on a new day": lambda r: _new_article(r, "2024-08-17-esok", "2024-08-17"),
    "delete an article": lambda r: (r / "content/articles/2024/08/2024-08-12-artikel-2.md").unlink(),
    "rename an article file": lambda r: os.rename(r / "content/articles/2024/08/2024-08-14-artikel-0.md",
                                                  r / "content/articles/2024/08/2024-08-14-artikel-nol.md"),
    "curate a day": lambda r: (r / "content/briefings/2024-08-11.yaml").write_text(
        "headline: Hari yang dikurasi\ntakeaways: [Satu., Dua., Tiga.]\n"),
    "edit a curated headline": lambda r: _replace(r, "content/briefings/2024-08-16.yaml", "Berita utama", "Kabar utama"),
    "delete a curation": lambda r: (r / "content/briefings/2024-08-13.yaml").unlink(),
    "rename a place with places within it": lambda r: _replace(r, "content/data/places.yaml", "Oblast Kursk", "Oblast Kurskaya"),
    "rename an unused entry": lambda r: _replace(r, "content/data/sources.yaml", "Arsip Lama", "Arsip Tua"),
    "rename an outlet": lambda r: _replace(r, "content/data/sources.yaml", "name: Kontan", "name: Harian Kontan"),
    "add a topic and use it": lambda r: (
        _replace(r, "content/data/topics.yaml", "arsip:", "bantuan: {name: Bantuan}\narsip:"),
        _replace(r, largekit.LEAD, "topics: [serangan, evakuasi]", "topics: [serangan, evakuasi, bantuan]")),
    "tag an article with another place": lambda r: _replace(r, largekit.LEAD, "places: [belgorod-oblast]",
                                                            "places: [belgorod-oblast, sudzha]"),
    "add the image an article was missing": lambda r: (r / largekit.LATE_IMAGE).write_bytes(b"\x89PNG\r\n\x1a\nnanti"),
    "change an image": lambda r: (r / largekit.IMAGE).write_bytes(b"\x89PNG\r\n\x1a\n" + b"\1" * 80),
    "publish a draft": lambda r: _replace(r, "content/articles/2024/08/2024-08-16-draf.md", "draft: true", "draft: false"),
    "edit the config": lambda r: _replace(r, "briefing.yml", "Briefing Besar", "Briefing Raksasa"),
    "override a template": lambda r: (r / "templates/partials").mkdir(parents=True) or (
        r / "templates/partials/macros.html").write_text((default_theme() / "partials/macros.html").read_text()
                                                         .replace('class="card"', 'class="card card-edited"')),
}


@pytest.fixture
def large_tree(tmp_path: Path) -> Path:
    root = largekit.write_large_briefing(tmp_path / "besar")
    _age(root)
    return root


def _clean_files(root: Path, tmp_path: Path, options: BuildOptions = OPTIONS) -> dict[str, bytes]:
    """The same tree built from nothing, in its own folder (a PDF names its images by
    their paths) into another output folder, reading no cache."""
    out = tmp_path / "clean-site"
    shutil.rmtree(out, ignore_errors=True)
    build_site(root, dataclasses.replace(options, out=out), use_cache=False)
    return _files(out)


def _differences(incremental: dict[str, bytes], clean: dict[str, bytes]) -> list[str]:
    return sorted(set(incremental) ^ set(clean)) + [p for p in clean if incremental.get(p) != clean[p]]


def test_the_large_briefing_built_step_by_step_equals_a_clean_build(large_tree: Path, tmp_path: Path) -> None:
    """Every step, in a row, through the CLI's build and its cache: after each one the site
    is the one a clean build gives, byte for byte."""
    build_site(large_tree, OPTIONS)
    for name, step in LARGE_STEPS.items():
        step(large_tree)
        report = build_site(large_tree, OPTIONS)
        different = _differences(_files(large_tree / "site"), _clean_files(large_tree, tmp_path))
        assert not different, f"after '{name}': differs from a clean build: {different[:10]}"
        assert report.reused > 0 or name in ("edit the config", "override a template"), name


@pytest.mark.parametrize("told", [False, True], ids=["not told", "told what changed"])
def test_the_watch_builder_keeps_the_large_briefing_equal_to_a_clean_build(
        large_tree: Path, tmp_path: Path, told: bool) -> None:
    builder = Builder(large_tree, OPTIONS)
    builder.build()
    for name, step in LARGE_STEPS.items():
        before = _snapshot(large_tree)
        step(large_tree)
        changed = _seen_by_a_watcher(before, _snapshot(large_tree)) if told else None
        builder.update(changed)
        different = _differences(_files(large_tree / "site"), _clean_files(large_tree, tmp_path))
        assert not different, f"after '{name}': differs from a clean build: {different[:10]}"


def test_the_large_briefing_with_pdfs_equals_a_clean_build(large_tree: Path, tmp_path: Path) -> None:
    """The daily PDFs follow their articles' bodies and images, and only theirs."""
    options = BuildOptions(search=False, now=NOW)
    build_site(large_tree, options)
    for name in ("edit a Markdown body", "change an image", "add the image an article was missing"):
        LARGE_STEPS[name](large_tree)
    report = build_site(large_tree, options)
    assert sorted(p for p in report.rendered if p.endswith(".pdf")) == [
        "2024/07/29/briefing-besar-2024-07-29.pdf", "2024/08/10/briefing-besar-2024-08-10.pdf"]
    different = _differences(_files(large_tree / "site"), _clean_files(large_tree, tmp_path, options))
    assert not different, different[:10]


def _cache_a_file(cache: Path) -> None:
    shutil.rmtree(cache)
    cache.write_text("bukan folder\n")


def _load_a_file(cache: Path) -> None:
    shutil.rmtree(cache / CACHE_FILE)
    (cache / CACHE_FILE).write_text("bukan folder\n")


def _shard_a_folder(cache: Path) -> None:
    shard = next((cache / CACHE_FILE).glob("*.pickle"))
    shard.unlink()
    shard.mkdir()


def _key_not_utf8(cache: Path) -> None:
    (cache / CACHE_FILE / "key").write_bytes(b"\xff\xfe\x00 bukan teks")


def _pickles_truncated(cache: Path) -> None:
    for shard in (cache / CACHE_FILE).glob("*.pickle"):
        data = shard.read_bytes()
        shard.write_bytes(data[: len(data) // 2])


def _record_a_folder(cache: Path) -> None:
    (cache / "last-build.pickle").unlink(missing_ok=True)
    (cache / "last-build.pickle").mkdir()


BROKEN = {
    ".briefing-cache is a file": (_cache_a_file, ".briefing-cache", "not a folder"),
    "load is a file": (_load_a_file, ".briefing-cache/load", "not a folder"),
    "a shard is a folder": (_shard_a_folder, ".briefing-cache/load", "Is a directory"),
    "the key is not UTF-8": (_key_not_utf8, ".briefing-cache/load", "key: not UTF-8"),
    "the pickles are truncated": (_pickles_truncated, ".briefing-cache/load", "EOFError"),
    "the record is a folder": (_record_a_folder, ".briefing-cache/last-build.pickle", "Is a directory"),
}


@pytest.mark.parametrize("shape", list(BROKEN))
def test_a_broken_cache_is_set_aside_with_a_note_and_the_build_succeeds(shape: str, tree: Briefing,
                                                                        tmp_path: Path) -> None:
    """Each shape was a traceback, or a warning on every build after it ("not saved")."""
    breaking, where, why = BROKEN[shape]
    _age(tree.root)
    build_site(tree.root, OPTIONS)
    _edit_body(tree)
    breaking(tree.root / ".briefing-cache")
    report = build_site(tree.root, OPTIONS)
    [note] = report.problems.warnings
    assert note.location.path == where
    assert why in note.message and note.message.endswith(f"set aside as {where}.broken-1 and rebuilt")
    assert (tree.root / f"{where}.broken-1").exists()
    again = build_site(tree.root, OPTIONS)
    assert not again.problems  # healed: said once
    _assert_same_as_clean(tree, tmp_path)
