"""A real SMTP server for the mail tests (aiosmtpd on 127.0.0.1), and the pieces around it.

aiosmtpd traps, as met here: ``auth_require_tls`` defaults to true (AUTH is not
even offered before STARTTLS); under implicit TLS (``ssl_context``) the server
does not know the connection is encrypted, so AUTH needs ``auth_require_tls=False``
there (aio-libs/aiosmtpd#281); STARTTLS needs ``tls_context``, while
``ssl_context`` means implicit TLS (#179). The controller checks that the server
answers by connecting to its port, so it needs a real port, not 0.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import socket
import ssl
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from briefing.errors import Problems
from briefing.mail.message import DayPdf, MailContent, PdfChoice
from briefing.mail.settings import EmailSettings
from briefing.mail.subscribers import Subscriber, load_subscribers

DAY = date(2024, 8, 16)
PASSWORD = "rahasia"
KEY = "kunci-uji-yang-panjang"
SECRETS = {"BRIEFING_SMTP_PASSWORD": PASSWORD, "BRIEFING_UNSUBSCRIBE_KEY": KEY}
PDF_URL = "https://example.org/briefing/2024/08/16/briefing-2024-08-16.pdf"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# -- certificates ------------------------------------------------------------

@dataclass(frozen=True)
class Certificates:
    folder: Path

    @property
    def ca(self) -> Path:
        return self.folder / "ca.pem"

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.folder / "server.pem", self.folder / "server.key")
        return context

    def client_context(self) -> ssl.SSLContext:
        """What the sender uses: verification on, trusting only the test CA."""
        return ssl.create_default_context(cafile=str(self.ca))


def make_certificates(folder: Path) -> Certificates:
    """A CA, and a certificate it signed for localhost and 127.0.0.1."""
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "briefing test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False,
                                       encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([
                x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (folder / "server.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "server.key").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return Certificates(folder)


# -- the server --------------------------------------------------------------

@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.data, policy=default)
        assert isinstance(parsed, EmailMessage)
        return parsed

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"]).strip()


@dataclass
class Sink:
    """An aiosmtpd handler that keeps what it accepts and answers as a test tells it.

    ``rcpt_replies``: per address, the replies to give to RCPT, one per try, then 250
    ("DROP" cuts the connection instead).
    ``drop_after_data``: numbers (1-based, counting every DATA received) after whose data
    the connection is cut without a reply. ``hold_after``: after this many accepted
    messages, the next DATA waits for ``release`` before answering (so that a test can
    kill the sender while a message is in flight)."""

    rcpt_replies: dict[str, list[str]] = field(default_factory=dict)
    drop_after_data: set[int] = field(default_factory=set)
    hold_after: int | None = None
    received: list[Received] = field(default_factory=list)
    data_count: int = 0
    connections: int = 0
    release: threading.Event = field(default_factory=threading.Event)
    holding: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_EHLO(self, server: SMTP, session: Session, envelope: Envelope, hostname: str,
                          responses: list[str]) -> list[str]:
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          rcpt_options: list[str]) -> str:
        with self.lock:
            queue = self.rcpt_replies.get(address)
            reply = queue.pop(0) if queue else None
        if reply == "DROP":  # cut the connection before the data
            assert server.transport is not None
            server.transport.abort()
            return "250 never heard"
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        with self.lock:
            self.data_count += 1
            number = self.data_count
            accepted = len(self.received)
        content = envelope.content
        assert isinstance(content, bytes)
        item = Received(str(envelope.mail_from), list(envelope.rcpt_tos), content)
        if number in self.drop_after_data:
            assert server.transport is not None
            server.transport.abort()
            return "250 never heard"
        if self.hold_after is not None and accepted >= self.hold_after:
            with self.lock:
                self.received.append(item)  # the relay has it, but the sender never hears so
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait)
            return "250 2.0.0 OK: queued late"
        with self.lock:
            self.received.append(item)
        return f"250 2.0.0 OK: queued as {number}"

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.recipients]


def authenticator(*args: Any) -> AuthResult:
    """aiosmtpd calls it as (server, session, envelope, mechanism, auth_data)."""
    auth_data = args[-1]
    ok = isinstance(auth_data, LoginPassword) and auth_data.password == PASSWORD.encode()
    # handled=False: aiosmtpd then answers 535 itself; with the default (True) it assumes
    # the authenticator already replied, and the client waits for an answer that never comes.
    return AuthResult(success=ok, handled=False)


class CountingSMTP(SMTP):
    def __init__(self, sink: Sink, *args: Any, **kwargs: Any) -> None:
        super().__init__(sink, *args, **kwargs)
        with sink.lock:
            sink.connections += 1


class SinkController(Controller):
    def factory(self) -> SMTP:
        return CountingSMTP(self.handler, **self.SMTP_kwargs)


@contextmanager
def smtp_server(sink: Sink, *, security: str = "none", certificates: Certificates | None = None,
                auth: bool = False, starttls_offered: bool = True) -> Iterator[int]:
    """Run ``sink`` on 127.0.0.1 and yield its port."""
    port = free_port()
    kwargs: dict[str, Any] = {"hostname": "127.0.0.1", "port": port, "server_hostname": "localhost"}
    if auth:
        kwargs["authenticator"] = authenticator
    if security == "starttls" and starttls_offered:
        assert certificates is not None
        kwargs["tls_context"] = certificates.server_context()
        kwargs["require_starttls"] = True
    elif security == "tls":
        assert certificates is not None
        kwargs["ssl_context"] = certificates.server_context()
        kwargs["auth_require_tls"] = False  # #281: implicit TLS is not seen as TLS
    elif auth:
        kwargs["auth_require_tls"] = False  # loopback without TLS
    controller = SinkController(sink, **kwargs)
    controller.start()
    sink.connections = 0  # the controller's own probe that the server answers
    try:
        yield port
    finally:
        sink.release.set()
        controller.stop()


# -- a briefing that sends ----------------------------------------------------

SUBSCRIBERS = """\
ana: {email: ana@example.org, name: Ana, language: id, pdf: attach, since: 2024-08-01}
budi: {email: budi@example.org, pdf: link, status: unsubscribed}
citra: {email: citra@example.org, name: Citra Dewi}
dewi: {email: dewi@example.org, pdf: link}
eko: {email: eko@example.org, name: Eko}
"""


def settings_for(port: int, *, security: str = "none", username: str | None = None,
                 **extra: Any) -> EmailSettings:
    smtp: dict[str, Any] = {"host": "127.0.0.1" if security == "none" else "localhost", "port": port,
                            "security": security, "helo": "localhost", "timeout": 10}
    if username:
        smtp["username"] = username
    smtp.update(extra.pop("smtp", {}))
    data: dict[str, Any] = {
        "from": "Briefing Kursk <redaksi@example.org>",
        "list_id": "kursk.briefing.example.org",
        "smtp": smtp,
        "unsubscribe": {"mailto": "berhenti@example.org", "url": "https://example.org/berhenti?t={token}"},
        "rate": {"per_second": 1000, "per_day": 100000},
        **extra,
    }
    return EmailSettings.model_validate(data)


def write_subscribers(root: Path, text: str = SUBSCRIBERS) -> Path:
    path = root / "private" / "subscribers.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def subscribers_of(root: Path, settings: EmailSettings) -> list[Subscriber]:
    problems = Problems()
    found = load_subscribers(root, settings, problems)
    assert found is not None, "\n".join(p.format() for p in problems)
    return found


def many_subscribers(count: int) -> str:
    return "".join(f"s{i:06d}: {{email: s{i:06d}@example.org, name: Pembaca {i}}}\n" for i in range(count))


def small_pdf(size: int = 20_000) -> DayPdf:
    body = bytes((i * 7 + 13) % 256 for i in range(size))
    return DayPdf(b"%PDF-1.7\n" + body + b"\n%%EOF\n", PDF_URL, "briefing-2024-08-16.pdf")


HTML = """<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>{subject}</title>
<style>
  body {{ margin: 0; font-family: system-ui, sans-serif; }}
  .judul {{ font-size: 22px; color: #111; }}
  @media (prefers-color-scheme: dark) {{ .judul {{ color: #eee; }} }}
  @media (max-width: 600px) {{ .kolom {{ width: 100% !important; }} }}
</style>
<link rel="stylesheet" href="https://example.org/remote.css"></head>
<body><table role="presentation" class="kolom" width="600"><tr><td>
<h1 class="judul">{subject}</h1><p>Halo {name},</p>{pdf}{extra}
</td></tr></table></body></html>
"""


def compose_with(version: str = "v1", *, extra_html: str = "",
                 link_in_text: bool = True) -> Callable[[Subscriber, PdfChoice], MailContent]:
    """A stand-in for the lead's templates: one subject, a greeting, the PDF's link when linked."""

    def compose(subscriber: Subscriber, pdf: PdfChoice) -> MailContent:
        subject = f"Briefing 16 Agustus 2024 ({version})"
        name = subscriber.name or "Pembaca"
        link = f"PDF: {PDF_URL}\n" if pdf == "link" and link_in_text else ""
        html_link = f'<p>PDF: <a href="{PDF_URL}">{PDF_URL}</a></p>' if pdf == "link" else ""
        # The lone dot would end the SMTP data if the sender did not double it.
        text = f"{subject}\n\nHalo {name},\n\nIsi briefing {version}.\n.\n{link}"
        html = HTML.format(subject=subject, name=name, pdf=html_link, extra=extra_html)
        return MailContent(subject, text, html, origin="templates/email/day.html")

    return compose


class FakeClock:
    """A clock that only moves when told to, or when slept on."""

    def __init__(self, start: datetime | None = None) -> None:
        self.moment = start or datetime(2024, 8, 16, 1, 0, tzinfo=UTC)
        self.slept = 0.0
        self._mono = 0.0

    def now(self) -> datetime:
        return self.moment

    def monotonic(self) -> float:
        return self._mono

    def sleep(self, seconds: float) -> None:
        self.slept += seconds
        self._mono += seconds
        self.moment += dt.timedelta(seconds=seconds)

    def advance(self, delta: dt.timedelta) -> None:
        self.moment += delta
        self._mono += delta.total_seconds()


SENDER_SCRIPT = """
import sys
from pathlib import Path
sys.path.insert(0, {tests!r})
import mailkit
from briefing.mail.send import send_day
root = Path({root!r})
settings = mailkit.settings_for({port})
summary = send_day(root, settings, mailkit.DAY, mailkit.subscribers_of(root, settings),
                   mailkit.compose_with(), pdf=mailkit.small_pdf(), environ=mailkit.SECRETS)
print(summary.exit_status, summary.sent)
"""


def sender_command(root: Path, port: int) -> list[str]:
    """A separate process that sends the day to the server at ``port`` (to be killed)."""
    script = SENDER_SCRIPT.format(tests=str(Path(__file__).parent), root=str(root), port=port)
    return [sys.executable, "-c", script]
