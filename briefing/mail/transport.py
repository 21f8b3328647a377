"""The SMTP connection to the relay, and what each of its replies means for a message.

Security is never negotiated down: ``starttls`` refuses a relay that does not
offer STARTTLS, ``tls`` speaks TLS from the first byte, and certificates are
verified (``ssl.create_default_context()`` unless the caller passes a context:
the tests pass one that trusts their own CA). The password is only sent once
the connection is encrypted, or over the loopback with ``security: none``.

One transaction at a time, in steps, so that the caller learns exactly how far a
message got: :meth:`Relay.deliver` calls ``before_data`` (which writes the
ledger's attempt line) after the relay accepted the recipient and before the
message data, and a connection lost before the data is "not sent" (send it
again), while one lost after it is "in doubt" (the relay may have it).
"""

from __future__ import annotations

import contextlib
import re
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from briefing.mail.settings import PASSWORD_VARIABLE, SmtpSettings, is_loopback

Result = Literal["sent", "deferred", "rejected", "not-sent", "in-doubt"]

_ENHANCED = re.compile(r"^([245])\.(\d{1,3})\.(\d{1,3})\b")
_EOLS = re.compile(rb"\r\n|\r|\n")
_LEADING_DOT = re.compile(rb"(?m)^\.")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one message, with the relay's words."""

    result: Result
    reply: str
    #: Set when the reply means no further message can succeed (a policy refusal, the
    #: sender refused): the run must stop, and this says why.
    stop: str = ""


class RelayRefused(Exception):
    """The relay cannot be used at all (TLS, authentication, no STARTTLS): stop the run."""

    def __init__(self, message: str, hint: str = "") -> None:
        self.message = message
        self.hint = hint
        super().__init__(message)


class ConnectionLost(Exception):
    """The relay could not be reached or the connection dropped: worth trying again."""


def _reply(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {' '.join(words.split())}".strip()


def enhanced_code(reply: str) -> str:
    """``5.7.1`` from ``550 5.7.1 Message rejected``, or ''."""
    _, _, text = reply.partition(" ")
    found = _ENHANCED.match(text)
    return ".".join(found.groups()) if found else ""


def classify(code: int, reply: str, step: str) -> Outcome:
    """A non-success reply: 4xx defers, 5xx rejects this recipient, except 5.7.x (policy:
    spam, authentication, relaying) which no other recipient will escape."""
    if 400 <= code < 500:
        return Outcome("deferred", reply)
    if 500 <= code < 600:
        if enhanced_code(reply).startswith("5.7."):
            return Outcome("rejected", reply, f"the relay refused the message on policy grounds "
                                              f"at {step}: {reply}")
        return Outcome("rejected", reply)
    return Outcome("deferred", f"unexpected reply at {step}: {reply}")


def prepare_data(data: bytes) -> bytes:
    """The message as it goes after DATA: CRLF line ends, leading dots doubled, the final dot."""
    quoted = _LEADING_DOT.sub(b"..", _EOLS.sub(b"\r\n", data))
    if not quoted.endswith(b"\r\n"):
        quoted += b"\r\n"
    return quoted + b".\r\n"


@dataclass(slots=True)
class _Progress:
    """How far one transaction got: a connection lost before the data differs from one lost after."""

    step: str = "MAIL FROM"
    data_sent: bool = False

    def lost(self, exc: OSError) -> Outcome:
        if self.data_sent:
            return Outcome("in-doubt", f"connection lost after the data, before the reply: {exc}")
        return Outcome("not-sent", f"connection lost before {self.step}: {exc}")


class Relay:
    """A connection to the relay, opened on demand and counted, so that the caller can
    reconnect every so many messages (relays drop long connections)."""

    def __init__(self, settings: SmtpSettings, password: str | None = None,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        if settings.username and not password:
            raise RelayRefused(f"no password for the relay user '{settings.username}'",
                               f"set {PASSWORD_VARIABLE} in the environment (never in a file)")
        self.settings = settings
        self._password = password
        self._context = ssl_context
        self._smtp: smtplib.SMTP | None = None
        self.messages = 0  # handed over on this connection

    @property
    def connected(self) -> bool:
        return self._smtp is not None

    def connect(self) -> None:
        """Open, secure and log in; RelayRefused when that can never work, ConnectionLost
        when it may work later."""
        self.close()
        settings = self.settings
        host, port = settings.host, settings.effective_port
        smtp: smtplib.SMTP | None = None
        try:
            if settings.security == "tls":
                smtp = smtplib.SMTP_SSL(host, port, local_hostname=settings.helo, timeout=settings.timeout,
                                        context=self._tls())
            else:
                smtp = smtplib.SMTP(host, port, local_hostname=settings.helo, timeout=settings.timeout)
            self._hello(smtp)
            if settings.security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise RelayRefused(f"{host}:{port} does not offer STARTTLS, and security: starttls "
                                       "requires it", "check the relay's port (587 for STARTTLS, 465 for "
                                       "tls); never send the password or the list unencrypted")
                code, text = smtp.starttls(context=self._tls())
                if code != 220:
                    raise RelayRefused(f"{host}:{port} refused STARTTLS: {_reply(code, text)}")
                self._hello(smtp)
            if settings.username:
                self._login(smtp)
        except ssl.SSLCertVerificationError as exc:
            _quietly_close(smtp)
            raise RelayRefused(f"the certificate of {host} could not be verified: {exc.verify_message}",
                               "the relay must present a certificate valid for its name; check "
                               "email.smtp.host") from None
        except RelayRefused:
            _quietly_close(smtp)
            raise
        except (smtplib.SMTPException, OSError) as exc:
            _quietly_close(smtp)
            raise ConnectionLost(f"cannot reach {host}:{port}: {exc}") from None
        self._smtp = smtp
        self.messages = 0

    def _tls(self) -> ssl.SSLContext:
        """The caller's context, or the system's CAs with host names checked (made once: loading
        the CAs takes a noticeable moment, and a run reconnects every so many messages)."""
        if self._context is None:
            self._context = ssl.create_default_context()
        return self._context

    def _hello(self, smtp: smtplib.SMTP) -> None:
        code, text = smtp.ehlo()
        if code != 250:
            raise RelayRefused(f"the relay refused EHLO: {_reply(code, text)}",
                               "set email.smtp.helo to this machine's public name")

    def _login(self, smtp: smtplib.SMTP) -> None:
        settings = self.settings
        encrypted = settings.security != "none"
        if not encrypted and not is_loopback(settings.host):  # pragma: no cover - settings refuse it
            raise RelayRefused("the password would be sent unencrypted")
        try:
            smtp.login(settings.username or "", self._password or "")
        except smtplib.SMTPAuthenticationError as exc:
            raise RelayRefused(
                f"the relay refused the user name or password: {_reply(exc.smtp_code, exc.smtp_error)}",
                f"check email.smtp.username in briefing.yml and {PASSWORD_VARIABLE}") from None
        except smtplib.SMTPNotSupportedError:
            raise RelayRefused(f"{settings.host} offers no AUTH on this connection",
                               "remove email.smtp.username if the relay needs no login, or check "
                               "email.smtp.security") from None

    def deliver(self, sender: str, recipient: str, data: bytes,
                before_data: Callable[[], None]) -> Outcome:
        """One transaction: MAIL, RCPT, then ``before_data()``, then DATA. The connection
        must be open; after "not-sent" or "in-doubt" it is closed."""
        smtp = self._smtp
        assert smtp is not None, "connect() first"
        progress = _Progress()
        try:
            refused = self._up_to_data(smtp, sender, recipient, before_data, progress)
            if refused is not None:
                return refused
            code, text = self._send_data(smtp, data, progress)
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self.close()
            return progress.lost(exc)
        reply = _reply(code, text)
        if code == 250:
            return Outcome("sent", reply)
        return self._refused(code, reply, progress.step)

    def _up_to_data(self, smtp: smtplib.SMTP, sender: str, recipient: str,
                    before_data: Callable[[], None], progress: _Progress) -> Outcome | None:
        """MAIL, RCPT, ``before_data()`` and DATA: the refusal that ends the transaction there,
        or None once the relay asks for the data."""
        code, text = smtp.mail(sender)
        if code != 250:
            return self._refused(code, _reply(code, text), progress.step, sender_refused=True)
        progress.step = "RCPT TO"
        code, text = smtp.rcpt(recipient)
        if code not in (250, 251):
            return self._refused(code, _reply(code, text), progress.step)
        before_data()
        progress.step = "DATA"
        smtp.putcmd("data")
        code, text = smtp.getreply()
        if code != 354:
            return self._refused(code, _reply(code, text), progress.step)
        return None

    def _send_data(self, smtp: smtplib.SMTP, data: bytes, progress: _Progress) -> tuple[int, bytes]:
        """The message and the final dot, counted as handed over from here on; the relay's reply."""
        progress.step = "the end of the data"
        progress.data_sent = True
        self.messages += 1
        smtp.send(prepare_data(data))
        return smtp.getreply()

    def _refused(self, code: int, reply: str, step: str, *, sender_refused: bool = False) -> Outcome:
        if code == 421:  # the relay is closing the connection: nothing was taken
            self.close()
            return Outcome("not-sent", reply)
        self._reset()
        outcome = classify(code, reply, step)
        if sender_refused and outcome.result == "rejected":
            # A sender refused for good is refused for everyone: nothing was sent, stop.
            why = outcome.stop or f"the relay refused the sender address: {reply}"
            return Outcome("not-sent", reply, why)
        return outcome

    def _reset(self) -> None:
        if self._smtp is None:
            return
        try:
            self._smtp.rset()
        except (smtplib.SMTPException, OSError):
            self.close()

    def close(self) -> None:
        """QUIT politely; a connection that is already gone is just forgotten."""
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            _quietly_close(smtp)


def _quietly_close(smtp: smtplib.SMTP | None) -> None:
    if smtp is not None:
        with contextlib.suppress(OSError):  # closing a dead socket
            smtp.close()
