"""`briefing send` as a curator runs it: the repository's sample, a real SMTP server on
127.0.0.1 (aiosmtpd), the CLI in a process of its own."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest
from mailkit import Sink, smtp_server
from sitekit import copy_sample

from briefing.build import BuildOptions, build_site

pytestmark = pytest.mark.slow

ADDRESSES = ["ana@example.org", "budi@example.org", "citra@example.org"]  # dewi unsubscribed


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return copy_sample(tmp_path / "briefing")


def _relay(root: Path, port: int) -> None:
    """Point the sample's relay at the test server (plain SMTP: it is on this machine)."""
    path = root / "briefing.yml"
    path.write_text(path.read_text().replace(
        "smtp: {host: smtp.example.org, port: 587, security: starttls, username: redaksi}",
        f"smtp: {{host: 127.0.0.1, port: {port}, security: none, helo: localhost, timeout: 10}}"))


def _send(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "briefing", "--root", str(root), "send", *args],
                          capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
                          env={**os.environ, "COLUMNS": "200"}, check=False)


@pytest.fixture
def relay(sample: Path) -> Iterator[Sink]:
    sink = Sink()
    with smtp_server(sink) as port:
        _relay(sample, port)
        yield sink


def test_a_dry_run_of_the_latest_day_writes_every_message_and_sends_nothing(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "preview"
    done = _send(sample, "--dry-run", "--latest", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "3 messages written" in done.stdout
    assert sorted(p.name for p in out.iterdir()) == [f"{n}.{kind}" for n in ("ana", "budi", "citra")
                                                     for kind in ("eml", "html", "txt")]
    message = message_from_bytes((out / "budi.eml").read_bytes(), policy=default)
    assert isinstance(message, EmailMessage)
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Unduh briefing (PDF): https://briefing.example.org/kursk/2024/08/16/" in text  # budi: link
    assert "Diklaim oleh Mykola Oleshchuk. Status redaksi: terkonfirmasi" in text
    claims = [line.strip() for line in text.splitlines() if line.strip().startswith("* ")]
    assert len(claims) >= 3 and all(line.count("Status redaksi:") == 1 for line in claims)  # one a line
    assert any(line.endswith("dibantah oleh Institute for the Study of War") for line in claims)
    assert "berhenti@example.org" in text
    assert not (sample / "examples/sent").exists()  # nothing recorded
    # The day's map travels inside the message as a PNG its HTML shows by cid; the text names its places.
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    found = re.search(r'<img [^>]*src="cid:([^"]+)"[^>]*class="map-picture"|<img [^>]*class="map-picture"[^>]*src="cid:([^"]+)"', html)
    assert found, "no map picture in the HTML part"
    cid = found.group(1) or found.group(2)
    (picture,) = [part for part in message.walk() if part.get("Content-ID") == f"<{cid}>"]
    assert picture.get_content_type() == "image/png"
    assert picture.get_content()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Peta tidak menunjukkan garis kendali" in text and "1. " in text


def test_every_active_subscriber_gets_one_message_and_a_second_run_sends_none(sample: Path, relay: Sink) -> None:
    first = _send(sample, "--latest", "--yes", "--late")
    assert first.returncode == 0, first.stderr + first.stdout
    assert sorted(r for m in relay.received for r in m.recipients) == ADDRESSES
    assert "3 sent now" in first.stdout
    again = _send(sample, "--latest", "--yes", "--late")
    assert again.returncode == 0, again.stderr
    assert len(relay.received) == 3
    status = _send(sample, "--latest", "--status")
    assert "3 sent, 0 not yet, 0 deferred, 0 in doubt, 0 refused" in status.stdout, status.stdout


def test_the_attachment_is_the_day_s_pdf_byte_for_byte(sample: Path, relay: Sink) -> None:
    done = _send(sample, "--latest", "--yes", "--late")
    assert done.returncode == 0, done.stderr
    build_site(sample, BuildOptions(search=False), use_cache=False)
    published = (sample / "site/2024/08/16/briefing-kursk-2024-08-16.pdf").read_bytes()
    [ana] = relay.to("ana@example.org")
    attachment = next(part for part in ana.message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == published
    for header in ("Date", "Message-ID", "List-Id", "List-Unsubscribe"):
        assert ana.message[header], header


def test_a_stale_briefing_is_refused_without_late(sample: Path, relay: Sink) -> None:
    done = _send(sample, "--latest", "--yes")
    assert done.returncode == 1
    assert "the briefing of 2024-08-16 is stale" in done.stderr and "--late" in done.stderr
    assert relay.received == []


def test_without_a_terminal_it_asks_for_yes_instead_of_sending(sample: Path, relay: Sink) -> None:
    done = _send(sample, "--latest", "--late")
    assert done.returncode == 2
    assert "add --yes" in done.stderr
    assert relay.received == []


def test_a_test_copy_goes_to_one_address_marked_as_such(sample: Path, relay: Sink) -> None:
    done = _send(sample, "--latest", "--to", "redaksi@example.org")
    assert done.returncode == 0, done.stderr
    [copy] = relay.received
    assert copy.recipients == ["redaksi@example.org"]
    assert str(copy.message["Subject"]).startswith("[UJI] Briefing Kursk, 16 Agustus 2024:")
    assert not any((sample / "examples").glob("sent/*.jsonl")) or "redaksi" not in "".join(
        p.read_text() for p in (sample / "examples/sent").glob("*.jsonl"))


@pytest.mark.usefixtures("relay")
def test_no_subscriber_address_ever_reaches_the_site(sample: Path) -> None:
    assert _send(sample, "--latest", "--yes", "--late").returncode == 0
    build_site(sample, BuildOptions(), use_cache=False)
    for path in (sample / "site").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for address in [*ADDRESSES, "dewi@example.org"]:
                assert address.encode() not in data, (path, address)


def test_a_list_under_content_is_refused(sample: Path) -> None:
    path = sample / "briefing.yml"
    path.write_text(path.read_text().replace("subscribers: examples/subscribers.yaml",
                                             "subscribers: content/subscribers.yaml"))
    done = _send(sample, "--dry-run", "--latest")
    assert done.returncode == 1
    assert "briefing.yml" in done.stderr and "the subscriber list must not be in content/" in done.stderr


def test_a_missing_list_says_how_to_make_one(sample: Path) -> None:
    (sample / "examples/subscribers.yaml").unlink()
    done = _send(sample, "--dry-run", "--latest")
    assert done.returncode == 1
    assert "examples/subscribers.yaml" in done.stderr
    assert "Traceback" not in done.stderr
