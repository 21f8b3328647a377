"""The `briefing` command: check, new, init, schema; exit codes; python -m briefing."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import META, Briefing

from briefing.cli import main
from briefing.schemas import SCHEMAS, schema_text
from briefing.yamlio import parse_yaml

REPO = Path(__file__).resolve().parent.parent


def run(briefing: Briefing, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--root", str(briefing.root), *args])
    return result.exit_code, result.output


def test_check_passes_with_summary(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-evakuasi")
    code, output = run(briefing, "check", "--now", "2024-12-01")
    assert code == 0
    assert "0 errors, 0 warnings in 1 articles over 1 days" in output


def test_check_prints_located_errors_grouped_by_file_and_exits_1(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-a", META + "sumary: x\n")
    briefing.markdown("2024-08-15-b", META.replace("[glushkov]", "[glushkow]"))
    code, output = run(briefing, "check")
    assert code == 1
    lines = output.splitlines()
    assert "content/articles/2024/08/2024-08-15-a.md" in lines
    assert ("  content/articles/2024/08/2024-08-15-a.md:10:1: error: sumary: unknown field 'sumary'"
            in lines)
    assert "      hint: did you mean 'summary'?" in lines
    assert any(line.endswith("error: places[0]: unknown place 'glushkow': "
                             "content/data/places.yaml does not define it") for line in lines)
    assert "2 errors, 0 warnings" in output


def test_check_in_the_briefing_folder_itself(briefing: Briefing, monkeypatch: pytest.MonkeyPatch) -> None:
    """The default root is '.': paths must come out whole (they came out as 'ntent/articles/...')."""
    briefing.markdown("2024-08-15-evakuasi")
    monkeypatch.chdir(briefing.root)
    result = CliRunner().invoke(main, ["check", "--now", "2024-12-01"])
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings in 1 articles over 1 days" in result.output


def test_strict_turns_warnings_into_errors(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-evakuasi", META.replace(
        "summary: Rusia memerintahkan evakuasi tambahan dari distrik perbatasan.\n", ""))
    assert run(briefing, "check", "--now", "2024-12-01")[0] == 0
    code, output = run(briefing, "check", "--strict", "--now", "2024-12-01")
    assert code == 1
    assert "error: summary: no summary" in output


def test_usage_errors_exit_2(briefing: Briefing) -> None:
    assert run(briefing, "check", "--no-such-option")[0] == 2
    assert run(briefing, "new")[0] == 2


def test_missing_config_says_what_to_do(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--root", str(tmp_path), "check"])
    assert result.exit_code == 1
    assert "no briefing.yml" in result.output
    assert "briefing init" in result.output


def test_new_markdown_article_passes_check_after_filling_in(briefing: Briefing) -> None:
    code, output = run(briefing, "new", "Serangan Drone di Kursk", "--date", "2024-08-15T10:00",
                       "--outlet", "kontan")
    assert code == 0
    path = briefing.root / "content/articles/2024/08/2024-08-15-serangan-drone-di-kursk.md"
    assert output.strip() == str(path)
    text = path.read_text()
    assert text.startswith('---\ntitle: "Serangan Drone di Kursk"\ndate: 2024-08-15T10:00:00+07:00\n')
    problems = briefing.problems()
    assert not problems.errors
    assert [p.field for p in problems.warnings] == ["summary"]


def test_new_from_raw_text_copies_it_unchanged_and_prefills(briefing: Briefing, tmp_path: Path) -> None:
    raw = tmp_path / "kiriman.txt"
    original = ("\ufeffSumber: Telegraph | Editor: Handoyo .\r\n"
                "KONTAN.CO.ID - JAKARTA. Rusia memerintahkan evakuasi.\r\n").encode()
    raw.write_bytes(original)
    code, output = run(briefing, "new", "Evakuasi Glushkov", "--date", "2024-08-15", "--from", str(raw))
    assert code == 0
    txt, yml = (Path(line) for line in output.split())
    assert txt.name == "2024-08-15-evakuasi-glushkov.txt"
    assert txt.read_bytes() == original
    meta = yml.read_text()
    assert "  outlet: kontan" in meta  # from the dateline KONTAN.CO.ID and sources.yaml
    assert "  based_on: telegraph" in meta  # from 'Sumber: Telegraph'
    assert '  editor: "Handoyo"' in meta
    assert '  dateline: "Jakarta"' in meta
    assert not briefing.problems().errors


def test_new_refuses_to_overwrite(briefing: Briefing) -> None:
    assert run(briefing, "new", "Judul", "--date", "2024-08-15")[0] == 0
    code, output = run(briefing, "new", "Judul", "--date", "2024-08-15")
    assert code == 1
    assert "already exists" in output


def test_new_rejects_bad_date(briefing: Briefing) -> None:
    code, output = run(briefing, "new", "Judul", "--date", "15/08/2024")
    assert code == 2
    assert "not a date" in output


def test_init_creates_a_briefing_that_checks(tmp_path: Path) -> None:
    target = tmp_path / "baru"
    result = CliRunner().invoke(main, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert (target / "briefing.yml").is_file()
    assert (target / "schemas/article.schema.json").is_file()
    assert json.loads((target / ".vscode/settings.json").read_text())["yaml.schemas"]
    assert "site/" in (target / ".gitignore").read_text()
    check = CliRunner().invoke(main, ["--root", str(target), "check", "--strict"])
    assert check.exit_code == 0, check.output
    again = CliRunner().invoke(main, ["init", str(target)])
    assert again.exit_code == 1
    assert "not empty" in again.output


def test_init_writes_an_example_subscriber_list_that_git_ignores(tmp_path: Path) -> None:
    target = tmp_path / "baru"
    assert CliRunner().invoke(main, ["init", str(target)]).exit_code == 0
    listed = target / "private/subscribers.yaml"
    assert listed.stat().st_mode & 0o777 == 0o600  # it holds people's addresses
    subprocess.run(["git", "init", "-q", str(target)], check=True)
    ignored = subprocess.run(["git", "-C", str(target), "check-ignore", "-q", "private/subscribers.yaml"],
                             check=False)
    assert ignored.returncode == 0
    config = target / "briefing.yml"
    on = re.sub(r"^# (email:|  )", r"\1", config.read_text(encoding="utf-8"), flags=re.MULTILINE)
    config.write_text(on, encoding="utf-8")
    sent = CliRunner().invoke(main, ["--root", str(target), "send", "--latest", "--dry-run",
                                     "--out", str(tmp_path / "preview")])
    assert sent.exit_code == 0, sent.output
    assert (tmp_path / "preview/ana.eml").is_file() and not (tmp_path / "preview/budi.eml").exists()


def test_python_dash_m_briefing_is_the_same_command(briefing: Briefing) -> None:
    briefing.markdown("2024-08-15-evakuasi")
    done = subprocess.run([sys.executable, "-m", "briefing", "--root", str(briefing.root), "check",
                           "--now", "2024-12-01"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "0 errors" in done.stdout
    helped = subprocess.run([sys.executable, "-m", "briefing", "--help"],
                            capture_output=True, text=True, check=True)
    for command in ("check", "new", "init", "schema"):
        assert command in helped.stdout


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_published_schemas_are_current_and_valid(name: str) -> None:
    model, _globs = SCHEMAS[name]
    committed = (REPO / "schemas" / name).read_text()
    assert committed == schema_text(model, name), "run `briefing schema` and commit schemas/"
    jsonschema.Draft202012Validator.check_schema(json.loads(committed))


def test_sample_content_matches_the_published_schemas() -> None:
    """What editors' language servers check agrees with what `briefing check` accepts."""
    validators = {name: jsonschema.Draft202012Validator(json.loads((REPO / "schemas" / name).read_text()))
                  for name in SCHEMAS}
    checked = 0
    for name, (_model, globs) in SCHEMAS.items():
        for pattern in globs:
            for path in sorted(REPO.glob(pattern)):
                doc, problems = parse_yaml(path.read_text(encoding="utf-8-sig"), str(path))
                assert doc is not None and not problems
                errors = list(validators[name].iter_errors(doc.data))
                assert not errors, f"{path}: {errors[0].message}"
                checked += 1
    assert checked >= 6
