"""The daily briefing by e-mail (``briefing send``): one message per subscriber, each once.

- :mod:`~briefing.mail.settings`: the ``email:`` settings of briefing.yml.
- :mod:`~briefing.mail.subscribers`: the private subscriber list, read strictly.
- :mod:`~briefing.mail.message`: one subscriber's message, as deterministic bytes.
- :mod:`~briefing.mail.ledger`: the append-only record of what was sent, and the lock.
- :mod:`~briefing.mail.transport`: the SMTP connection and what each reply means.
- :mod:`~briefing.mail.send`: a day's run over the list: skip, send, retry; dry run; test copy.

The day's content itself (subject, text and HTML) is the caller's: a ``compose``
callable turns a subscriber (and how the PDF reaches them) into
:class:`~briefing.mail.message.MailContent`.
"""

from briefing.mail.message import DayPdf, MailContent, PdfChoice
from briefing.mail.send import (
    Compose,
    CopyResult,
    DryRunSummary,
    SendOptions,
    SendSummary,
    dry_run,
    read_status,
    send_day,
    send_test,
)
from briefing.mail.settings import EmailSettings, check_private_place, read_settings
from briefing.mail.subscribers import Subscriber, load_subscribers, write_example

__all__ = [
    "Compose",
    "CopyResult",
    "DayPdf",
    "DryRunSummary",
    "EmailSettings",
    "MailContent",
    "PdfChoice",
    "SendOptions",
    "SendSummary",
    "Subscriber",
    "check_private_place",
    "dry_run",
    "load_subscribers",
    "read_settings",
    "read_status",
    "send_day",
    "send_test",
    "write_example",
]
