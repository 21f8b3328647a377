"""The subscriber list and the email: settings: strict, located, with hints."""

from __future__ import annotations

from pathlib import Path

import pytest
from mailkit import settings_for, subscribers_of, write_subscribers

from briefing.errors import Problem, Problems
from briefing.mail.settings import EmailSettings, check_private_place, read_settings
from briefing.mail.subscribers import (
    EXAMPLE,
    SubscribersFile,
    load_subscribers,
    write_example,
)
from briefing.validation import validate
from briefing.yamlio import parse_yaml

SETTINGS = settings_for(2525)


def problems_of(root: Path, text: str) -> list[Problem]:
    write_subscribers(root, text)
    problems = Problems()
    assert load_subscribers(root, SETTINGS, problems) is None
    return list(problems)


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, "\n".join(p.format() for p in problems)
    return problems[0]


def test_the_issue_example_reads_with_defaults_filled_in(tmp_path: Path) -> None:
    write_subscribers(tmp_path, EXAMPLE)
    ana, budi = subscribers_of(tmp_path, SETTINGS)
    assert (ana.id, ana.email, ana.name, ana.language, ana.pdf, ana.status) == (
        "ana", "ana@example.org", "Ana", "id", "attach", "active")
    assert str(ana.since) == "2024-08-01"
    assert (budi.pdf, budi.status, budi.active) == ("link", "unsubscribed", False)
    assert str(ana.location) == "private/subscribers.yaml:9:1"


def test_pdf_defaults_to_the_settings_mode(tmp_path: Path) -> None:
    write_subscribers(tmp_path, "ana: {email: ana@example.org}\n")
    linked = settings_for(2525, pdf={"mode": "link"})
    assert subscribers_of(tmp_path, linked)[0].pdf == "link"


def test_unknown_field_is_located_with_did_you_mean(tmp_path: Path) -> None:
    problem = only(problems_of(tmp_path, "ana: {email: ana@example.org}\nbudi: {email: budi@example.org, nmae: Budi}\n"))
    assert problem.format() == (
        "private/subscribers.yaml:2:33: error: budi.nmae: unknown field 'nmae'\n"
        "    hint: did you mean 'name'?")


def test_bad_address_is_located(tmp_path: Path) -> None:
    problem = only(problems_of(tmp_path, "ana:\n  name: Ana\n  email: ana(at)example.org\n"))
    assert (problem.location.line, problem.location.column, problem.field) == (3, 10, "ana.email")
    assert "not a valid e-mail address 'ana(at)example.org'" in problem.message
    assert problem.hint == "write it like ana@example.org"


def test_duplicate_id_names_both_lines(tmp_path: Path) -> None:
    problem = only(problems_of(tmp_path, "ana: {email: a@example.org}\nbudi: {email: b@example.org}\n"
                                         "ana: {email: c@example.org}\n"))
    assert str(problem.location) == "private/subscribers.yaml:3:1"
    assert "duplicate key 'ana': it is already set on line 1" in problem.message


def test_the_same_address_twice_is_refused(tmp_path: Path) -> None:
    problem = only(problems_of(tmp_path, "ana: {email: ana@example.org}\nana2: {email: ANA@Example.org}\n"))
    assert str(problem.location) == "private/subscribers.yaml:2:15"
    assert problem.message == "the same address as 'ana' on line 1"


def test_wrong_words_get_did_you_mean(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, "ana: {email: ana@example.org, pdf: atach, status: unsubscibed}\n")
    assert [(p.field, p.hint) for p in problems] == [
        ("ana.pdf", "did you mean 'attach'?"), ("ana.status", "did you mean 'unsubscribed'?")]


def test_impossible_date_and_unknown_language(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, "ana: {email: ana@example.org, since: 2024-02-30, language: zz-qq-1}\n")
    by_field = {p.field: p for p in problems}
    assert sorted(by_field) == ["ana.language", "ana.since"]
    assert "there is no such day" in by_field["ana.since"].message
    assert by_field["ana.language"].hint.startswith("use a BCP 47 code")


def test_id_must_be_a_slug(tmp_path: Path) -> None:
    problem = only(problems_of(tmp_path, "Ana Maria: {email: ana@example.org}\n"))
    assert problem.hint == "write 'ana-maria'"


def test_not_yaml_is_located(tmp_path: Path) -> None:
    problem = only(problems_of(tmp_path, "ana: {email: ana@example.org\nbudi: x\n"))
    assert problem.message.startswith("not valid YAML")
    assert problem.location.line >= 1


def test_a_missing_list_says_how_to_make_one(tmp_path: Path) -> None:
    problems = Problems()
    assert load_subscribers(tmp_path, SETTINGS, problems) is None
    problem = only(list(problems))
    assert problem.message == "no subscriber list: private/subscribers.yaml does not exist"
    assert "briefing init" in problem.hint and "ana: {email: ana@example.org" in problem.hint
    assert "private/" in problem.hint


def test_an_empty_list_is_an_error(tmp_path: Path) -> None:
    problem = only(problems_of(tmp_path, "# nobody yet\n"))
    assert problem.message == "the subscriber list is empty"


def test_example_is_written_once_private_and_valid(tmp_path: Path) -> None:
    path = write_example(tmp_path)
    assert path == tmp_path / "private" / "subscribers.yaml"
    assert path.stat().st_mode & 0o777 == 0o600
    assert write_example(tmp_path) is None  # never overwrites a real list
    assert [s.id for s in subscribers_of(tmp_path, SETTINGS)] == ["ana", "budi"]


def test_example_matches_the_schema_model() -> None:
    doc, problems = parse_yaml(EXAMPLE, "example.yaml")
    assert doc is not None and not problems
    model, problems = validate(SubscribersFile, doc)
    assert model is not None and not problems


# -- settings ------------------------------------------------------------------

CONFIG = """\
title: Briefing Uji
base_url: https://example.org/briefing/
email:
  from: "Briefing Kursk <redaksi@example.org>"
  list_id: kursk.briefing.example.org
  subscribers: {subscribers}
  smtp: {{host: {host}, port: 587, security: {security}, username: redaksi}}
  pdf: {{mode: attach, attach_max_kb: 5000}}
  unsubscribe: {{mailto: berhenti@example.org, url: {url}}}
  rate: {{per_second: 5, per_day: 10000}}
"""


def settings_problems(tmp_path: Path, **fields: str) -> tuple[EmailSettings | None, list[Problem]]:
    values = {"subscribers": "private/subscribers.yaml", "host": "smtp.example.org",
              "security": "starttls", "url": "null", **fields}
    (tmp_path / "briefing.yml").write_text(CONFIG.format(**values), encoding="utf-8")
    problems = Problems()
    return read_settings(tmp_path, problems), list(problems)


def test_the_issue_settings_read(tmp_path: Path) -> None:
    settings, problems = settings_problems(tmp_path)
    assert settings is not None and not problems
    assert settings.sender_address.addr_spec == "redaksi@example.org"
    assert settings.smtp.effective_port == 587
    assert settings.ledger_dir(tmp_path) == tmp_path / "private" / "sent"


@pytest.mark.parametrize("path", ["content/subscribers.yaml", "site/private/list.yaml",
                                  "./content/../content/x.yaml"])
def test_a_list_in_a_published_folder_is_refused_with_its_line(tmp_path: Path, path: str) -> None:
    settings, problems = settings_problems(tmp_path, subscribers=path)
    problem = only(problems)
    assert settings is None
    assert (str(problem.location), problem.field) == ("briefing.yml:6:16", "email.subscribers")
    assert "must not be in" in problem.message
    assert "private/subscribers.yaml" in problem.hint


def test_a_list_reached_through_a_link_into_the_output_is_refused(tmp_path: Path) -> None:
    settings, _ = settings_problems(tmp_path)
    assert settings is not None
    (tmp_path / "out").mkdir()
    (tmp_path / "private").symlink_to(tmp_path / "out")
    problems = Problems()
    check_private_place(settings, tmp_path, tmp_path / "out", problems)
    assert "is in the output folder" in only(list(problems)).message


def test_plain_smtp_only_on_loopback(tmp_path: Path) -> None:
    _, problems = settings_problems(tmp_path, security="none")
    problem = only(problems)
    assert problem.field == "email.smtp" and "not this machine" in problem.message
    for host in ("127.0.0.1", "127.8.9.10", "localhost", "'::1'"):
        settings, problems = settings_problems(tmp_path, security="none", host=host)
        assert settings is not None, problems


def test_unsubscribe_url_must_be_https_and_carry_a_token(tmp_path: Path) -> None:
    _, problems = settings_problems(tmp_path, url="'http://example.org/x?t={token}'")
    assert "must start with https://" in only(problems).message
    _, problems = settings_problems(tmp_path, url="'https://example.org/berhenti'")
    assert "{token}" in only(problems).message
    _, problems = settings_problems(tmp_path, url="'https://example.org/b?u={user}&t={token}'")
    assert "unknown placeholder {user}" in only(problems).message


def test_unknown_security_gets_did_you_mean(tmp_path: Path) -> None:
    _, problems = settings_problems(tmp_path, security="starttsl")
    problem = only(problems)
    assert (problem.field, problem.hint) == ("email.smtp.security", "did you mean 'starttls'?")
    assert problem.location.line == 7


def test_settings_survive_the_json_round_trip_the_pdf_workers_make() -> None:
    assert EmailSettings.model_validate_json(SETTINGS.model_dump_json()) == SETTINGS
    assert EmailSettings.model_json_schema()["required"] == ["from", "list_id", "smtp", "unsubscribe"]
