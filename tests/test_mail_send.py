"""send_day against a real SMTP server on 127.0.0.1: each subscriber once, whatever happens."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from mailkit import (
    DAY,
    PDF_URL,
    SECRETS,
    FakeClock,
    Sink,
    compose_with,
    make_certificates,
    sender_command,
    settings_for,
    small_pdf,
    smtp_server,
    subscribers_of,
    write_subscribers,
)

from briefing.errors import Level
from briefing.mail.ledger import day_path, send_lock
from briefing.mail.send import SendOptions, SendSummary, dry_run, read_status, send_day, send_test
from briefing.mail.settings import EmailSettings

ACTIVE = ["ana@example.org", "citra@example.org", "dewi@example.org", "eko@example.org"]


def run(root: Path, settings: EmailSettings, clock: FakeClock | None = None, **kwargs: object) -> SendSummary:
    compose = kwargs.pop("compose", compose_with())
    return send_day(root, settings, DAY, subscribers_of(root, settings), compose,  # type: ignore[arg-type]
                    pdf=kwargs.pop("pdf", small_pdf()), clock=clock or FakeClock(),  # type: ignore[arg-type]
                    environ=kwargs.pop("environ", SECRETS), **kwargs)  # type: ignore[arg-type]


def ledger_lines(root: Path) -> list[dict[str, object]]:
    path = day_path(root / "private" / "sent", DAY)
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def after(line: dict[str, object]) -> timedelta:
    """How long a deferred line says to wait."""
    return datetime.fromisoformat(str(line["retry_after"])) - datetime.fromisoformat(str(line["at"]))


def errors(summary: SendSummary) -> list[str]:
    return [p.message for p in summary.problems if p.level is Level.ERROR]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    write_subscribers(tmp_path)
    return tmp_path


def test_every_active_subscriber_gets_exactly_one_message(root: Path) -> None:
    sink = Sink()
    with smtp_server(sink) as port:
        summary = run(root, settings_for(port))
    assert summary.exit_status == 0, summary.problems
    assert (summary.sent, summary.status.sent, summary.status.pending) == (4, 4, 0)
    assert sorted(r.recipients[0] for r in sink.received) == ACTIVE  # budi unsubscribed: none
    assert all(len(r.recipients) == 1 for r in sink.received)  # one recipient a message, never Bcc
    assert {r.sender for r in sink.received} == {"redaksi@example.org"}
    received = sink.to("ana@example.org")[0].message
    assert received["To"] == "Ana <ana@example.org>"
    (attachment,) = received.iter_attachments()
    assert attachment.get_content() == small_pdf().data
    text = received.get_body(("plain",))
    assert text is not None and "\r\n.\r\n" in text.get_content()  # the lone dot arrived as it was
    dewi = sink.to("dewi@example.org")[0].message
    assert list(dewi.iter_attachments()) == []
    assert PDF_URL in dewi.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_a_second_run_sends_nothing(root: Path) -> None:
    sink = Sink()
    with smtp_server(sink) as port:
        run(root, settings_for(port))
        again = run(root, settings_for(port))
    assert (again.sent, again.skipped, again.exit_status) == (0, 4, 0)
    assert len(sink.received) == 4
    assert sink.connections == 1  # nothing to send: not even a connection


def test_the_ledger_records_attempt_then_outcome_and_no_addresses(root: Path) -> None:
    with smtp_server(Sink()) as port:
        run(root, settings_for(port))
    lines = ledger_lines(root)
    assert [(line["event"], line["id"]) for line in lines[:2]] == [("attempt", "ana"), ("sent", "ana")]
    assert lines[1]["reply"] == "250 2.0.0 OK: queued as 1"
    assert str(lines[0]["digest"]).startswith("sha256:") and lines[0]["digest"] == lines[1]["digest"]
    assert "example.org" not in json.dumps([{k: v for k, v in line.items() if k != "message_id"}
                                            for line in lines])
    assert (root / "private" / "sent" / "2024-08-16.jsonl").stat().st_mode & 0o777 == 0o600


def test_a_refused_address_is_rejected_and_the_rest_delivered(root: Path) -> None:
    sink = Sink(rcpt_replies={"citra@example.org": ["550 5.1.1 <citra@example.org>: no such user"]})
    with smtp_server(sink) as port:
        summary = run(root, settings_for(port))
        again = run(root, settings_for(port))
    assert (summary.sent, summary.rejected, summary.exit_status) == (3, 1, 0)
    assert sorted(r.recipients[0] for r in sink.received) == [a for a in ACTIVE if a != "citra@example.org"]
    rejected = [line for line in ledger_lines(root) if line["event"] == "rejected"]
    assert [(line["id"], line["reply"]) for line in rejected] == [
        ("citra", "550 5.1.1 <citra@example.org>: no such user")]
    assert (again.sent, again.status.rejected) == (0, 1)  # refused for good: not tried again


def test_a_policy_refusal_stops_the_run(root: Path) -> None:
    sink = Sink(rcpt_replies={"citra@example.org": ["550 5.7.1 Relaying denied"]})
    with smtp_server(sink) as port:
        summary = run(root, settings_for(port))
    assert summary.exit_status == 1
    assert "policy grounds" in errors(summary)[0] and "5.7.1" in errors(summary)[0]
    assert [r.recipients[0] for r in sink.received] == ["ana@example.org"]
    assert summary.status.pending == 2


def test_wrong_password_stops_the_run_with_nothing_marked_sent(root: Path, tmp_path: Path) -> None:
    certificates = make_certificates(tmp_path / "certs")
    sink = Sink()
    with smtp_server(sink, security="starttls", certificates=certificates, auth=True) as port:
        summary = run(root, settings_for(port, security="starttls", username="redaksi"),
                      environ={**SECRETS, "BRIEFING_SMTP_PASSWORD": "salah"},
                      ssl_context=certificates.client_context())
    assert summary.exit_status == 1
    (message,) = errors(summary)
    assert message.startswith("the relay refused the user name or password: 535")
    assert sink.received == []
    assert summary.status.sent == 0 and summary.status.pending == 4
    path = day_path(root / "private" / "sent", DAY)
    assert not path.exists() or path.read_text() == ""


def test_starttls_with_a_verified_certificate_and_auth_delivers(root: Path, tmp_path: Path) -> None:
    certificates = make_certificates(tmp_path / "certs")
    sink = Sink()
    with smtp_server(sink, security="starttls", certificates=certificates, auth=True) as port:
        summary = run(root, settings_for(port, security="starttls", username="redaksi"),
                      ssl_context=certificates.client_context())
    assert summary.exit_status == 0, summary.problems
    assert len(sink.received) == 4


def test_implicit_tls_and_auth_delivers(root: Path, tmp_path: Path) -> None:
    certificates = make_certificates(tmp_path / "certs")
    sink = Sink()
    with smtp_server(sink, security="tls", certificates=certificates, auth=True) as port:
        summary = run(root, settings_for(port, security="tls", username="redaksi"),
                      ssl_context=certificates.client_context())
    assert summary.exit_status == 0, summary.problems
    assert len(sink.received) == 4


def test_an_untrusted_certificate_is_refused(root: Path, tmp_path: Path) -> None:
    certificates = make_certificates(tmp_path / "certs")
    sink = Sink()
    with smtp_server(sink, security="starttls", certificates=certificates, auth=True) as port:
        summary = run(root, settings_for(port, security="starttls", username="redaksi"))  # system CAs
    assert summary.exit_status == 1
    assert "certificate of localhost could not be verified" in errors(summary)[0]
    assert sink.received == []


def test_a_relay_without_starttls_is_refused(root: Path) -> None:
    sink = Sink()
    with smtp_server(sink, security="starttls", starttls_offered=False) as port:
        summary = run(root, settings_for(port, security="starttls", username="redaksi",
                                         smtp={"host": "localhost"}))
    assert summary.exit_status == 1
    assert "does not offer STARTTLS" in errors(summary)[0]
    assert sink.received == []


def test_no_password_in_the_environment_is_a_clear_error(root: Path) -> None:
    summary = run(root, settings_for(2525, username="redaksi"), environ={"BRIEFING_UNSUBSCRIBE_KEY": "k"})
    (problem,) = summary.problems
    assert problem.message == "no password for the relay user 'redaksi'"
    assert "BRIEFING_SMTP_PASSWORD" in problem.hint


def test_no_unsubscribe_key_is_a_clear_error(root: Path) -> None:
    summary = run(root, settings_for(2525), environ={})
    (problem,) = summary.problems
    assert problem.field == "email.unsubscribe.url" and "BRIEFING_UNSUBSCRIBE_KEY" in problem.message


def test_451_defers_with_backoff_then_a_later_run_delivers(root: Path) -> None:
    sink = Sink(rcpt_replies={"citra@example.org": ["451 4.7.1 greylisted, try again later",
                                                    "451 4.7.1 still greylisted"]})
    clock = FakeClock()
    with smtp_server(sink) as port:
        first = run(root, settings_for(port), clock)
        assert (first.sent, first.deferred, first.exit_status) == (3, 1, 75)
        deferred = [line for line in ledger_lines(root) if line["event"] == "deferred"]
        assert deferred[0]["reply"] == "451 4.7.1 greylisted, try again later"
        assert after(deferred[0]) == timedelta(minutes=5)

        clock.advance(timedelta(minutes=4))
        early = run(root, settings_for(port), clock)
        assert (early.sent, early.skipped, early.status.deferred, early.exit_status) == (0, 4, 1, 75)

        clock.advance(timedelta(minutes=2))
        second = run(root, settings_for(port), clock)  # greylisted once more: twice the wait
        assert (second.deferred, second.exit_status) == (1, 75)
        deferred = [line for line in ledger_lines(root) if line["event"] == "deferred"]
        assert after(deferred[1]) == timedelta(minutes=10)

        clock.advance(timedelta(minutes=11))
        third = run(root, settings_for(port), clock)
    assert (third.sent, third.exit_status, third.status.sent) == (1, 0, 4)
    assert len(sink.to("citra@example.org")) == 1


def test_a_connection_dropped_before_the_data_is_retried_on_a_new_one(root: Path) -> None:
    sink = Sink(rcpt_replies={"citra@example.org": ["DROP"]})
    with smtp_server(sink) as port:
        summary = run(root, settings_for(port))
    assert (summary.sent, summary.in_doubt, summary.exit_status) == (4, 0, 0), summary.problems
    assert sorted(r.recipients[0] for r in sink.received) == ACTIVE
    assert sink.connections == 2


def test_a_connection_dropped_after_the_data_leaves_that_one_in_doubt(root: Path) -> None:
    sink = Sink(drop_after_data={2})  # citra's data arrives, the reply never does
    with smtp_server(sink) as port:
        summary = run(root, settings_for(port))
        assert (summary.sent, summary.in_doubt, summary.exit_status) == (3, 1, 75)
        assert summary.status.in_doubt == 1
        assert sink.connections == 2  # reconnected for dewi and eko
        again = run(root, settings_for(port))
        assert (again.sent, again.status.in_doubt) == (0, 1)  # left alone
        resent = run(root, settings_for(port), options=SendOptions(resend_in_doubt=True))
    assert (resent.sent, resent.exit_status) == (1, 0)
    citra = [line for line in ledger_lines(root) if line["id"] == "citra"]
    assert [line["event"] for line in citra] == ["attempt", "attempt", "sent"]
    assert len({line["message_id"] for line in citra}) == 1  # the same Message-ID


def test_reconnects_every_k_messages(tmp_path: Path) -> None:
    write_subscribers(tmp_path, "".join(f"p{i:02d}: {{email: p{i:02d}@example.org}}\n" for i in range(7)))
    sink = Sink()
    with smtp_server(sink) as port:
        summary = run(tmp_path, settings_for(port, smtp={"reconnect_every": 3}))
    assert summary.sent == 7
    assert sink.connections == 3


def test_five_failures_in_a_row_stop_the_run(tmp_path: Path) -> None:
    write_subscribers(tmp_path, "".join(f"p{i:02d}: {{email: p{i:02d}@example.org}}\n" for i in range(8)))
    sink = Sink(rcpt_replies={f"p{i:02d}@example.org": ["452 4.2.2 mailbox full"] for i in range(1, 8)})
    with smtp_server(sink) as port:
        summary = run(tmp_path, settings_for(port))
    assert summary.exit_status == 1
    assert errors(summary)[0].startswith("5 failures in a row, the run stops; the last: 452 4.2.2")
    assert (summary.sent, summary.deferred, summary.status.pending) == (1, 5, 2)


def test_an_unreachable_relay_stops_after_the_failures_with_nothing_sent(root: Path) -> None:
    from mailkit import free_port

    clock = FakeClock()
    summary = run(root, settings_for(free_port()), clock)
    assert summary.exit_status == 1
    assert "cannot reach 127.0.0.1" in errors(summary)[0]
    assert summary.status.pending == 4 and clock.slept > 0


def test_the_rate_per_second_spaces_the_messages(root: Path) -> None:
    clock = FakeClock()
    with smtp_server(Sink()) as port:
        run(root, settings_for(port, rate={"per_second": 2, "per_day": 1000}), clock)
    assert clock.slept == pytest.approx(1.5)  # 4 messages, half a second apart


def test_the_daily_limit_leaves_the_rest_for_the_next_run(root: Path) -> None:
    sink = Sink()
    clock = FakeClock()
    with smtp_server(sink) as port:
        limited = settings_for(port, rate={"per_second": 1000, "per_day": 3})
        first = run(root, limited, clock)
        assert (first.sent, first.status.pending, first.exit_status) == (3, 1, 75)
        assert "daily limit of 3 messages" in first.problems[0].message
        clock.advance(timedelta(hours=1))
        assert run(root, limited, clock).sent == 0  # still within the same 24 hours
        clock.advance(timedelta(hours=24))
        last = run(root, limited, clock)
    assert (last.sent, last.exit_status) == (1, 0)
    assert len(sink.received) == 4


def test_progress_is_reported(root: Path) -> None:
    seen: list[tuple[str, int, int]] = []
    with smtp_server(Sink()) as port:
        run(root, settings_for(port), progress=lambda what, done, total: seen.append((what, done, total)))
    assert seen == [("Sending 2024-08-16", n, 4) for n in range(1, 5)]


def test_a_changed_briefing_is_refused_then_sent_as_a_correction(root: Path) -> None:
    sink = Sink(rcpt_replies={"eko@example.org": ["550 5.1.1 no such user"]})
    with smtp_server(sink) as port:
        write_subscribers(root, textwrap.dedent("""\
            ana: {email: ana@example.org, name: Ana}
            citra: {email: citra@example.org}
            eko: {email: eko@example.org}
        """))
        run(root, settings_for(port))
        write_subscribers(root, textwrap.dedent("""\
            ana: {email: ana@example.org, name: Ana}
            citra: {email: citra@example.org}
            dewi: {email: dewi@example.org}
            eko: {email: eko@example.org}
        """))
        refused = run(root, settings_for(port), compose=compose_with("v2"))
        assert refused.exit_status == 1 and refused.sent == 0
        assert errors(refused) == ["the briefing of 2024-08-16 changed after 2 subscribers got it "
                                   "(ana, citra); nothing was sent"]
        assert len(sink.received) == 2

        corrected = run(root, settings_for(port), compose=compose_with("v2"),
                        options=SendOptions(correction=True, correction_prefix="Koreksi: "))
        assert (corrected.sent, corrected.corrections, corrected.exit_status) == (3, 2, 0)
        again = run(root, settings_for(port), compose=compose_with("v2"),
                    options=SendOptions(correction=True, correction_prefix="Koreksi: "))
        assert again.sent == 0
    ana = sink.to("ana@example.org")
    assert [m.message["Subject"] for m in ana] == ["Briefing 16 Agustus 2024 (v1)",
                                                   "Koreksi: Briefing 16 Agustus 2024 (v2)"]
    assert ana[1].message["In-Reply-To"] == ana[0].message_id
    assert ana[1].message["References"] == ana[0].message_id
    assert ana[1].message_id != ana[0].message_id
    (dewi,) = sink.to("dewi@example.org")  # never got v1: the new version, not a correction
    assert dewi.message["Subject"] == "Briefing 16 Agustus 2024 (v2)" and dewi.message["In-Reply-To"] is None
    assert sink.to("eko@example.org") == []  # refused for good: no correction either


def test_a_second_sender_is_refused_naming_the_first(root: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from datetime import datetime, UTC
            from pathlib import Path
            from briefing.mail.ledger import send_lock
            with send_lock(Path({str(root / "private" / "sent")!r}), datetime.now(UTC)):
                print("locked", flush=True)
                sys.stdin.read()
        """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)})
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        sink = Sink()
        with smtp_server(sink) as port:
            summary = run(root, settings_for(port))
        (problem,) = summary.problems
        assert str(problem.location) == "private/sent/.lock"
        assert problem.message.startswith(f"another send of this briefing is running (pid {holder.pid}, started ")
        assert summary.exit_status == 1 and sink.received == []
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=10)
    with send_lock(root / "private" / "sent", FakeClock().now()):
        pass  # released when the holder ended


def test_a_sender_killed_mid_run_resumes_each_subscriber_once(tmp_path: Path) -> None:
    write_subscribers(tmp_path, "".join(f"p{i:02d}: {{email: p{i:02d}@example.org}}\n" for i in range(10)))
    sink = Sink(hold_after=4)  # the 5th message's reply is held until the sender is dead
    with smtp_server(sink) as port:
        sender = subprocess.Popen(sender_command(tmp_path, port), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE,
                                  env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)})
        try:
            assert sink.holding.wait(timeout=60), sender.communicate(timeout=5)
        finally:
            sender.send_signal(signal.SIGKILL)
            sender.wait(timeout=10)
        sink.release.set()
        assert sender.returncode == -signal.SIGKILL
        assert len(sink.received) == 5  # p04's message reached the server; its sender never heard
        time.sleep(0.1)

        settings = settings_for(port)
        status, _ = read_status(tmp_path, settings, DAY, subscribers_of(tmp_path, settings))
        assert (status.sent, status.in_doubt, status.pending) == (4, 1, 5)
        sink.hold_after = None
        resumed = run(tmp_path, settings)
        assert (resumed.sent, resumed.skipped, resumed.exit_status) == (5, 5, 75)
        counts = Counter(r.recipients[0] for r in sink.received)
        assert counts == Counter(f"p{i:02d}@example.org" for i in range(10))  # each exactly once
        assert resumed.status.in_doubt == 1

        resent = run(tmp_path, settings, options=SendOptions(resend_in_doubt=True))
    assert (resent.sent, resent.exit_status) == (1, 0)
    first, second = sink.to("p04@example.org")
    assert first.message_id == second.message_id  # a duplicate that clients can recognise


def test_dry_run_writes_files_and_sends_nothing(root: Path, tmp_path: Path) -> None:
    sink = Sink()
    out = tmp_path / "preview"
    with smtp_server(sink) as port:
        settings = settings_for(port)
        summary = dry_run(settings, DAY, subscribers_of(root, settings), compose_with(), out,
                          pdf=small_pdf(), clock=FakeClock(), environ={})
    assert summary.written == 4 and summary.exit_status == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{i}.{ext}" for i in ("ana", "citra", "dewi", "eko") for ext in ("eml", "html", "txt"))
    assert b"Subject: Briefing 16 Agustus 2024 (v1)" in (out / "ana.eml").read_bytes()
    assert 'style="' in (out / "ana.html").read_text(encoding="utf-8")
    assert "Halo Ana," in (out / "ana.txt").read_text(encoding="utf-8")
    assert sink.received == [] and sink.connections == 0
    assert not (root / "private" / "sent" / "2024-08-16.jsonl").exists()
    assert "placeholder key" in summary.problems[0].message  # no secrets needed for a preview


def test_a_test_copy_goes_only_to_the_given_address_and_stays_out_of_the_ledger(root: Path) -> None:
    sink = Sink()
    with smtp_server(sink) as port:
        settings = settings_for(port)
        ana = subscribers_of(root, settings)[0]
        first = send_test(settings, DAY, compose_with(), "editor@example.org", prefix="[UJI] ",
                          subscriber=ana, pdf=small_pdf(), environ=SECRETS)
        second = send_test(settings, DAY, compose_with(), "editor@example.org", prefix="[UJI] ",
                           subscriber=ana, pdf=small_pdf(), environ=SECRETS)
        summary = run(root, settings)
    assert first.exit_status == 0 and first.outcome is not None and first.outcome.result == "sent"
    copies = sink.to("editor@example.org")
    assert [c.message["Subject"] for c in copies] == ["[UJI] Briefing 16 Agustus 2024 (v1)"] * 2
    assert "Halo Ana," in copies[0].message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert first.message_id != second.message_id
    assert copies[0].message_id not in {r.message_id for r in sink.to("ana@example.org")}
    assert summary.sent == 4  # the test copies did not count as ana's
    assert all(line["id"] != "test" for line in ledger_lines(root))


def test_a_torn_last_line_from_a_crash_is_tolerated(root: Path) -> None:
    sink = Sink()
    with smtp_server(sink) as port:
        run(root, settings_for(port))
        path = day_path(root / "private" / "sent", DAY)
        lines = path.read_bytes().splitlines(keepends=True)
        path.write_bytes(b"".join(lines[:-2]) + lines[-2][:30])  # eko's attempt torn, no outcome
        summary = run(root, settings_for(port))
    assert (summary.sent, summary.exit_status) == (1, 0), summary.problems
    assert len(sink.to("eko@example.org")) == 2  # the torn attempt had never reached the relay
    assert all(line.endswith(b"\n") for line in path.read_bytes().splitlines(keepends=True))
    assert ledger_lines(root)[-2]["event"] == "attempt"


def test_an_unreadable_line_in_the_ledger_stops_the_run_located(root: Path) -> None:
    path = day_path(root / "private" / "sent", DAY)
    path.parent.mkdir(parents=True)
    path.write_text('{"event": "attempt"}\nnot json\n', encoding="utf-8")
    sink = Sink()
    with smtp_server(sink) as port:
        summary = run(root, settings_for(port))
    assert summary.exit_status == 1 and sink.received == []
    assert [str(p.location) for p in summary.problems] == ["private/sent/2024-08-16.jsonl:1:1",
                                                          "private/sent/2024-08-16.jsonl:2:1"]


def test_a_deferred_correction_is_retried_only_with_its_prefix(root: Path) -> None:
    write_subscribers(root, "ana: {email: ana@example.org, name: Ana}\n")
    sink = Sink()
    clock = FakeClock()
    correction = SendOptions(correction=True, correction_prefix="Koreksi: ")
    with smtp_server(sink) as port:
        run(root, settings_for(port), clock)
        sink.rcpt_replies["ana@example.org"] = ["451 4.3.0 try later"]
        deferred = run(root, settings_for(port), clock, compose=compose_with("v2"), options=correction)
        assert (deferred.deferred, deferred.exit_status) == (1, 75)
        clock.advance(timedelta(hours=1))
        plain = run(root, settings_for(port), clock, compose=compose_with("v2"))
        assert (plain.sent, plain.exit_status) == (0, 75)
        assert plain.problems[0].message == "1 correction(s) wait to be sent again"
        retried = run(root, settings_for(port), clock, compose=compose_with("v2"), options=correction)
    assert (retried.sent, retried.corrections, retried.exit_status) == (1, 1, 0)
    original, fixed = sink.to("ana@example.org")
    assert fixed.message["Subject"] == "Koreksi: Briefing 16 Agustus 2024 (v2)"
    assert fixed.message["In-Reply-To"] == original.message_id
