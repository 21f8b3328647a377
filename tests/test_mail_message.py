"""One subscriber's message: its shape, its headers, its bytes."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from html.parser import HTMLParser

from mailkit import DAY, KEY, PDF_URL, compose_with, settings_for, small_pdf

from briefing.errors import Level, Location
from briefing.mail.message import (
    DayPdf,
    MailContent,
    MailingList,
    MessageKey,
    build_message,
    content_digest,
    derived_message_id,
    pdf_choice,
)
from briefing.mail.subscribers import Subscriber
from briefing.mail.unsubscribe import token_subscriber, unsubscribe_token

SETTINGS = settings_for(2525)
LIST = MailingList(SETTINGS, KEY.encode())
WHEN = datetime(2024, 8, 16, 1, 0, tzinfo=UTC)
ANA = Subscriber("ana", "ana@example.org", "Ana Ümlaut", "id", "attach", "active", None, Location("x"))
DEWI = Subscriber("dewi", "dewi@example.org", None, None, "link", "active", None, Location("x"))


def build(subscriber: Subscriber = ANA, *, pdf: DayPdf | None = None, key: MessageKey | None = None,
          mailing_list: MailingList = LIST, **kwargs: object):  # type: ignore[no-untyped-def]
    pdf = pdf if pdf is not None else small_pdf()
    key = key or MessageKey(DAY, subscriber.id)
    content = compose_with()(subscriber, pdf_choice(subscriber, pdf, mailing_list.settings.pdf))
    return build_message(mailing_list, subscriber, content, key, when=WHEN, pdf=pdf, **kwargs)  # type: ignore[arg-type]


def parse(data: bytes) -> EmailMessage:
    message = message_from_bytes(data, policy=default)
    assert isinstance(message, EmailMessage)
    return message


def test_layout_is_mixed_holding_alternative_plain_first_then_the_pdf() -> None:
    message = parse(build().data)
    assert [p.get_content_type() for p in message.walk()] == [
        "multipart/mixed", "multipart/alternative", "text/plain", "text/html", "application/pdf"]


def test_the_attachment_is_the_pdf_byte_for_byte() -> None:
    pdf = small_pdf(300_000)
    message = parse(build(pdf=pdf).data)
    (attachment,) = message.iter_attachments()
    assert attachment.get_content() == pdf.data
    assert attachment.get_filename() == "briefing-2024-08-16.pdf"


def test_the_headers() -> None:
    composed = build()
    message = parse(composed.data)
    assert message["From"] == "Briefing Kursk <redaksi@example.org>"
    assert message["To"] == "Ana Ümlaut <ana@example.org>"
    assert message["Subject"] == "Briefing 16 Agustus 2024 (v1)"
    assert message["Date"].datetime == WHEN
    assert message["Message-ID"] == composed.message_id
    assert re.fullmatch(r"<[a-z2-7]{24}@kursk\.briefing\.example\.org>", composed.message_id)
    assert message["List-Id"] == "Briefing Kursk <kursk.briefing.example.org>"
    assert message["List-Unsubscribe"] == (
        f"<https://example.org/berhenti?t={unsubscribe_token(KEY.encode(), SETTINGS.list_id, 'ana')}>, "
        "<mailto:berhenti@example.org?subject=unsubscribe>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["MIME-Version"] == "1.0"
    assert message["Precedence"] == "bulk"
    for absent in ("Bcc", "Cc", "In-Reply-To", "References", "Auto-Submitted"):
        assert message[absent] is None
    # MIME-Version once, at the top; every line within SMTP's limit and CRLF-ended.
    assert composed.data.count(b"MIME-Version") == 1
    assert all(len(line) <= 998 for line in composed.data.split(b"\r\n"))
    assert b"\n" not in composed.data.replace(b"\r\n", b"")


def test_to_without_a_name_is_the_bare_address() -> None:
    assert parse(build(DEWI).data)["To"] == "dewi@example.org"


def test_mailto_only_without_a_url_and_no_one_click_header() -> None:
    plain = settings_for(2525, unsubscribe={"mailto": "berhenti@example.org"})
    message = parse(build(mailing_list=MailingList(plain)).data)
    assert message["List-Unsubscribe"] == "<mailto:berhenti@example.org?subject=unsubscribe>"
    assert message["List-Unsubscribe-Post"] is None


def test_the_unsubscribe_token_names_the_subscriber_and_cannot_be_forged() -> None:
    token = unsubscribe_token(b"k", "list.example.org", "ana")
    assert token_subscriber(b"k", "list.example.org", token) == "ana"
    assert token_subscriber(b"other key", "list.example.org", token) is None
    assert token_subscriber(b"k", "list.example.org", "budi." + token.split(".")[1]) is None
    assert token_subscriber(b"k", "list.example.org", "garbage") is None


def test_same_day_and_subscriber_give_the_same_bytes() -> None:
    assert build().data == build().data
    assert build().message_id == derived_message_id(SETTINGS.list_id, MessageKey(DAY, "ana"))


def test_boundaries_come_from_the_message_id() -> None:
    first, other = build(), build(key=MessageKey(date(2024, 8, 17), "ana"))
    boundary = parse(first.data).get_boundary()
    assert boundary is not None and boundary.startswith("=_")
    assert boundary != parse(other.data).get_boundary()
    assert first.message_id != other.message_id


def test_message_ids_differ_by_kind_number_day_and_subscriber() -> None:
    keys = [MessageKey(DAY, "ana"), MessageKey(DAY, "ana", "correction", 1),
            MessageKey(DAY, "ana", "correction", 2), MessageKey(DAY, "dewi"),
            MessageKey(date(2024, 8, 17), "ana")]
    assert len({derived_message_id(SETTINGS.list_id, k) for k in keys}) == len(keys)


def test_a_correction_is_threaded_to_the_original() -> None:
    original = derived_message_id(SETTINGS.list_id, MessageKey(DAY, "ana"))
    composed = build(key=MessageKey(DAY, "ana", "correction", 1), subject_prefix="Koreksi: ",
                     replying_to=(original,))
    message = parse(composed.data)
    assert message["Subject"] == "Koreksi: Briefing 16 Agustus 2024 (v1)"
    assert message["In-Reply-To"] == original
    assert message["References"] == original
    assert composed.message_id != original


def test_large_pdf_is_linked_not_attached() -> None:
    settings = settings_for(2525, pdf={"mode": "attach", "attach_max_kb": 100})
    pdf = small_pdf(150 * 1024)
    assert pdf_choice(ANA, pdf, settings.pdf) == "link"
    composed = build(pdf=pdf, mailing_list=MailingList(settings, KEY.encode()))
    message = parse(composed.data)
    assert composed.pdf == "link" and composed.ok
    assert message.get_content_type() == "multipart/alternative"
    assert list(message.iter_attachments()) == []
    body = message.get_body(("plain",))
    assert body is not None and f"PDF: {PDF_URL}" in body.get_content()


def test_a_subscriber_who_wants_a_link_gets_one() -> None:
    assert pdf_choice(DEWI, small_pdf(), SETTINGS.pdf) == "link"
    assert pdf_choice(ANA, None, SETTINGS.pdf) == "none"


def test_a_linked_pdf_missing_from_the_content_is_an_error() -> None:
    content = compose_with(link_in_text=False)(DEWI, "link")
    composed = build_message(LIST, DEWI, content, MessageKey(DAY, "dewi"), when=WHEN, pdf=small_pdf())
    (problem,) = composed.problems
    assert problem.level is Level.ERROR and not composed.ok
    assert str(problem.location) == "templates/email/day.html"
    assert "the text of the e-mail does not contain its address" in problem.message


class _Styles(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.styles: list[str] = []
        self.style_blocks: list[str] = []
        self.links: list[str] = []
        self.images = 0
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "style":
            self._in_style = True
        if tag == "link":
            self.links.append(values.get("href") or "")
        if tag == "img":
            self.images += 1
        if values.get("style"):
            self.styles.append(f"{tag}: {values['style']}")

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False if tag == "style" else self._in_style

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style_blocks.append(data)


def test_css_is_inlined_and_only_at_rules_stay_in_one_style() -> None:
    composed = build()
    html_part = parse(composed.data).get_body(("html",))
    assert html_part is not None
    parser = _Styles()
    parser.feed(html_part.get_content())
    assert any(s.startswith("h1:") and "font-size: 22px" in s for s in parser.styles)
    (block,) = parser.style_blocks
    assert "prefers-color-scheme: dark" in block and "max-width: 600px" in block
    assert ".judul {" not in block.split("@media")[0]  # plain rules went into the attributes
    assert parser.links == []  # the remote stylesheet is neither fetched nor linked
    assert parser.images == 0  # no tracking pixel


def test_big_html_is_a_warning_that_gmail_clips() -> None:
    content = compose_with(extra_html="<p>" + "kata " * 20_000 + "</p>")(ANA, "attach")
    composed = build_message(LIST, ANA, content, MessageKey(DAY, "ana"), when=WHEN, pdf=small_pdf())
    (problem,) = composed.problems
    assert problem.level is Level.WARNING and composed.ok
    assert "Gmail clips" in problem.message


def test_the_digest_follows_the_content_not_the_envelope() -> None:
    pdf = small_pdf()
    content = compose_with()(ANA, "attach")
    assert content_digest(content, "attach", pdf) == build().digest
    later = build_message(LIST, ANA, content, MessageKey(DAY, "ana"), when=datetime(2024, 8, 17, tzinfo=UTC),
                          pdf=pdf, subject_prefix="Koreksi: ")
    assert later.digest == build().digest
    changed = MailContent(content.subject, content.text + "Ralat.\n", content.html)
    assert content_digest(changed, "attach", pdf) != build().digest
    assert content_digest(content, "link", pdf) != build().digest
    assert content_digest(content, "attach", small_pdf(30_000)) != build().digest


def test_lines_starting_with_a_dot_survive() -> None:
    content = MailContent("Titik", ".\n.baris dengan titik\n", "<p>x</p>")
    composed = build_message(LIST, ANA, content, MessageKey(DAY, "ana"), when=WHEN)
    body = parse(composed.data).get_body(("plain",))
    # Parsed from the wire, the text keeps its CRLF line ends, as any client would read it.
    assert body is not None and body.get_content().replace("\r\n", "\n") == ".\n.baris dengan titik\n"


def test_a_css_import_is_refused_as_it_would_tell_who_opened_it() -> None:
    content = compose_with()(ANA, "attach")
    imported = MailContent(content.subject, content.text,
                           content.html.replace("<style>", "<style>@import url(https://example.org/t.css);"))
    composed = build_message(LIST, ANA, imported, MessageKey(DAY, "ana"), when=WHEN, pdf=small_pdf())
    (problem,) = composed.problems
    assert problem.level is Level.ERROR and "@import" in problem.message
