"""One subscriber's message: the caller's content in the shape mail clients and relays expect.

    multipart/mixed                    (only when the PDF is attached)
      multipart/alternative
        text/plain; charset=utf-8      first: clients show the last part they can
        text/html; charset=utf-8       CSS inlined, one <style> kept for @media
      application/pdf                  the day's PDF, byte for byte

One message per subscriber, never Bcc: each carries its own To, its own
unsubscribe link and its own Message-ID.

The bytes are a pure function of (mailing list, subscriber, content, key, date):
the Message-ID comes from (list id, day, subscriber id, kind, number), the MIME
boundaries from the Message-ID, so a message sent again after a crash repeats the
Message-ID that lets clients and relays drop the duplicate. ``Date`` is the
caller's choice; :mod:`briefing.mail.send` gives the time the message is sent
(RFC 5322: the moment it was ready to go), so that is the one header that
differs between a first try and a retry. No open or click tracking of any kind:
no pixels, no rewritten links, nothing per reader but the unsubscribe token.
"""

from __future__ import annotations

import base64
import hashlib
import html as html_lib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from typing import Literal

import css_inline

from briefing.errors import Level, Location, Problem
from briefing.mail.settings import EmailSettings, PdfSettings
from briefing.mail.subscribers import Subscriber
from briefing.mail.unsubscribe import unsubscribe_url

Kind = Literal["normal", "correction", "test"]
#: How a message carries the day's PDF: attached, as a link in the content, or not at all.
PdfChoice = Literal["attach", "link", "none"]

#: Gmail clips a message whose HTML passes ~102 KB; warn well before.
HTML_WARN_BYTES = 80 * 1024

# Remote stylesheets are never fetched (a send must not depend on the network, and a
# <link> is dropped); at-rules (@media, prefers-color-scheme) stay in one <style>,
# the only CSS that inline style attributes cannot express.
_INLINER = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False,
                                 keep_link_tags=False)
_STYLE_BLOCK = re.compile(r"<style\b[^>]*>(.*?)</style>", re.IGNORECASE | re.DOTALL)
_IMPORT = re.compile(r"@import\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DayPdf:
    """The day's PDF, the same for every subscriber: attached or linked per subscriber."""

    data: bytes
    url: str  # where it is on the site, for those who get a link
    filename: str  # the attachment's name, like briefing-2024-08-16.pdf
    digest: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "digest", hashlib.sha256(self.data).hexdigest())


@dataclass(frozen=True, slots=True)
class InlineImage:
    """A picture inside the HTML part (``<img src="cid:...">``), sent with the message: mail
    clients show these without asking, where they block a linked picture until the reader agrees."""

    cid: str  # the Content-ID without its brackets, as the HTML refers to it after "cid:"
    data: bytes  # PNG
    filename: str


@dataclass(frozen=True, slots=True)
class MailContent:
    """What the caller's templates made for one subscriber: the words, not the envelope."""

    subject: str
    text: str
    html: str
    #: What the content was made from (a template's path), where problems about it point.
    origin: str = "email"
    images: tuple[InlineImage, ...] = ()  # pictures the HTML shows, sent inside the message


@dataclass(frozen=True, slots=True)
class MessageKey:
    """Which message of a day this is, for a subscriber: the normal one (number 0), or the
    n-th correction of it. The Message-ID is derived from it, so a resend repeats it."""

    day: date
    subscriber: str
    kind: Kind = "normal"
    number: int = 0


@dataclass(frozen=True, slots=True)
class Composed:
    """A message ready for the relay."""

    message_id: str
    data: bytes  # CRLF line ends, as sent
    digest: str  # of the content, see content_digest
    text: str
    html: str  # as sent, CSS inlined
    pdf: PdfChoice
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not any(p.level is Level.ERROR for p in self.problems)


@dataclass(frozen=True, slots=True)
class MailingList:
    """What every message of the list shares: the settings and the unsubscribe key."""

    settings: EmailSettings
    unsubscribe_key: bytes | None = None

    def message_id(self, key: MessageKey) -> str:
        return derived_message_id(self.settings.list_id, key)

    def unsubscribe_header(self, subscriber_id: str) -> str:
        """RFC 2369: the https one-click address first when there is one, mailto always."""
        options = self.settings.unsubscribe
        mailto = f"<mailto:{options.mailto}?subject=unsubscribe>"
        if options.url is None:
            return mailto
        if self.unsubscribe_key is None:
            raise ValueError("an unsubscribe url needs the unsubscribe key")  # checked by the caller
        url = unsubscribe_url(options.url, self.unsubscribe_key, self.settings.list_id, subscriber_id)
        return f"<{url}>, {mailto}"


def derived_message_id(list_id: str, key: MessageKey) -> str:
    """``<base32 of a hash@list id>``: the same key gives the same id, run after run.

    120 bits of hash: no two messages of a list collide, and ``Message-ID: <...>`` stays
    on one line of 78 characters for a list id of up to 40 (a folded id is legal, but
    some parsers keep the fold's space)."""
    basis = f"{list_id}\0{key.day.isoformat()}\0{key.subscriber}\0{key.kind}\0{key.number}"
    token = base64.b32encode(hashlib.sha256(basis.encode()).digest()[:15]).decode().lower()
    return f"<{token}@{list_id}>"


def pdf_choice(subscriber: Subscriber, pdf: DayPdf | None, options: PdfSettings) -> PdfChoice:
    """Attached when the subscriber asked for it and it is small enough, else linked; the
    caller's content must then show ``pdf.url``."""
    if pdf is None:
        return "none"
    if subscriber.pdf == "attach" and len(pdf.data) <= options.attach_max_kb * 1024:
        return "attach"
    return "link"


def content_digest(content: MailContent, choice: PdfChoice, pdf: DayPdf | None) -> str:
    """A digest of what the reader gets (not of the envelope: not Date, not the prefixes),
    so that a briefing changed after some subscribers got it can be told from one that did not."""
    hasher = hashlib.sha256()
    pdf_part = pdf.digest if pdf is not None and choice != "none" else ""
    for part in (content.subject, content.text, content.html, choice, pdf_part):
        hasher.update(part.encode())
        hasher.update(b"\0")
    for image in content.images:
        hasher.update(hashlib.sha256(image.data).digest())
    return "sha256:" + hasher.hexdigest()


def inline_css(html: str) -> str:
    """The HTML with its CSS in style attributes, as mail clients need; @media rules stay."""
    return _INLINER.inline(html)


def _boundary(message_id: str, part: str) -> str:
    # "=_" cannot occur in base64 or quoted-printable text, the encodings of every part.
    return "=_" + hashlib.sha256(f"{message_id}/{part}".encode()).hexdigest()[:32]


def _drop_mime_version(part: object) -> None:
    assert isinstance(part, EmailMessage)
    del part["MIME-Version"]
    for inner in part.iter_parts():
        _drop_mime_version(inner)


def build_message(mailing_list: MailingList, subscriber: Subscriber, content: MailContent,
                  key: MessageKey, *, when: datetime, pdf: DayPdf | None = None,
                  subject_prefix: str = "", message_id: str | None = None,
                  replying_to: Sequence[str] = ()) -> Composed:
    """The message for one subscriber.

    ``replying_to``: the Message-IDs this one follows, oldest first (a correction's
    original and earlier corrections), for In-Reply-To and References.
    ``message_id``: only for test copies, which must not repeat a subscriber's.
    """
    settings = mailing_list.settings
    origin = Location(content.origin)
    message_id = message_id or mailing_list.message_id(key)
    choice = pdf_choice(subscriber, pdf, settings.pdf)
    problems: list[Problem] = []
    if choice == "link" and pdf is not None:
        in_html = pdf.url in content.html or html_lib.escape(pdf.url) in content.html
        if pdf.url not in content.text or not in_html:
            missing = "text" if pdf.url not in content.text else "HTML"
            problems.append(Problem(
                Level.ERROR, origin, "", f"the PDF is linked for {subscriber.id}, but the {missing} of "
                f"the e-mail does not contain its address {pdf.url}",
                "show the link when the PDF is not attached (the content is told which)"))
    html = inline_css(content.html)
    if any(_IMPORT.search(block) for block in _STYLE_BLOCK.findall(html)):
        problems.append(Problem(
            Level.ERROR, origin, "", "the e-mail's CSS imports a stylesheet (@import): every mail "
            "client would fetch it, which tells the server who opened the e-mail",
            "put the CSS itself in the template's <style>"))
    size = len(html.encode())
    if size > HTML_WARN_BYTES:
        problems.append(Problem(
            Level.WARNING, origin, "",
            f"the HTML of the e-mail is {size / 1024:.0f} KB; Gmail clips messages above about 102 KB",
            "put less in the e-mail: summaries with links to the site, not whole articles"))

    message = EmailMessage(policy=SMTP)
    message["From"] = settings.sender_address
    message["To"] = Address(display_name=subscriber.name or "", addr_spec=subscriber.email)
    message["Subject"] = subject_prefix + content.subject
    message["Date"] = format_datetime(when)
    message["Message-ID"] = message_id
    if replying_to:
        message["In-Reply-To"] = replying_to[-1]
        message["References"] = " ".join(replying_to)
    list_name = settings.sender_address.display_name
    message["List-Id"] = f"{list_name} <{settings.list_id}>" if list_name else f"<{settings.list_id}>"
    message["List-Unsubscribe"] = mailing_list.unsubscribe_header(subscriber.id)
    if settings.unsubscribe.url is not None:
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Precedence"] = "bulk"
    # Quoted-printable whatever the text: lines stay under 1000 octets, and the boundaries
    # ("=_...") can never occur in a part.
    message.set_content(content.text, cte="quoted-printable")
    message.add_alternative(html, subtype="html", cte="quoted-printable")
    if content.images:
        html_part = message.get_payload(1)
        assert isinstance(html_part, EmailMessage)
        for image in content.images:
            html_part.add_related(image.data, maintype="image", subtype="png", cid=f"<{image.cid}>",
                                  filename=image.filename, disposition="inline")
        html_part.set_boundary(_boundary(message_id, "related"))
    if choice == "attach" and pdf is not None:
        message.add_attachment(pdf.data, maintype="application", subtype="pdf", filename=pdf.filename)
        message.set_boundary(_boundary(message_id, "mixed"))
        alternative = message.get_payload(0)
        assert isinstance(alternative, EmailMessage)
        alternative.set_boundary(_boundary(message_id, "alternative"))
    else:
        message.set_boundary(_boundary(message_id, "alternative"))
    for part in message.iter_parts():  # the email package repeats it in parts made by add_*
        _drop_mime_version(part)
    return Composed(message_id, message.as_bytes(policy=SMTP), content_digest(content, choice, pdf),
                    content.text, html, choice, tuple(problems))
