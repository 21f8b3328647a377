"""The ``email:`` settings of briefing.yml: who sends, through which relay, to whom, how fast.

Secrets never live here: the relay's password and the key that signs
unsubscribe links come from the environment (:data:`PASSWORD_VARIABLE`,
:data:`UNSUBSCRIBE_KEY_VARIABLE`), so that briefing.yml can be committed.
"""

from __future__ import annotations

import ipaddress
import os
import posixpath
import re
import string
from collections.abc import Mapping
from email.headerregistry import Address, AddressHeader, HeaderRegistry
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, ConfigDict, Field, WithJsonSchema, model_validator

from briefing.errors import Location, Problems
from briefing.fields import Strict, Text, WebUrl, custom_error
from briefing.layout import CONFIG_NAME
from briefing.mail.addresses import check_address

#: Environment variable holding the relay's password (never a file: briefing.yml is committed).
PASSWORD_VARIABLE = "BRIEFING_SMTP_PASSWORD"
#: Environment variable holding the key that signs one-click unsubscribe links.
UNSUBSCRIBE_KEY_VARIABLE = "BRIEFING_UNSUBSCRIBE_KEY"

#: Where problems with these settings are reported (the CLI knows no better place).
SETTINGS_FILE = CONFIG_NAME

#: Folders a subscriber list must never be in: content/ is published and committed,
#: site/ is the output folder that is uploaded to the web host as it is.
PUBLISHED_FOLDERS = ("content", "site")

Security = Literal["starttls", "tls", "none"]
PdfMode = Literal["attach", "link"]

_DEFAULT_PORT: dict[str, int] = {"starttls": 587, "tls": 465, "none": 25}
# RFC 2919: the list-id is a dot-atom, by convention a domain name that the sender owns.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_LIST_ID = re.compile(rf"^{_LABEL}(?:\.{_LABEL})+$")
_URL_FIELDS = {"id", "token"}
_HEADERS = HeaderRegistry()


#: The ledger's folder, from the briefing's root.
LEDGER_DIR = Path("private") / "sent"


def _addresses(value: str) -> tuple[tuple[Address, ...], bool]:
    """The addresses of a From line, and whether the email package found it malformed."""
    header = _HEADERS("From", value)
    assert isinstance(header, AddressHeader)
    return header.addresses, bool(header.defects)


def _check_sender(value: str) -> str:
    """A From line: an address, with a display name or without."""
    addresses, malformed = _addresses(value)
    if len(addresses) != 1 or malformed:
        raise custom_error(f"expected one address like 'Briefing Kursk <redaksi@example.org>', "
                           f"found '{value}'",
                           "put the address in <angle brackets> after the name; a name with a comma "
                           "goes in double quotes inside the single ones")
    check_address(addresses[0].addr_spec)
    return value


def _check_list_id(value: str) -> str:
    if not _LIST_ID.match(value):
        raise custom_error(f"expected a domain-like name such as 'kursk.briefing.example.org', "
                           f"found '{value}'",
                           "RFC 2919: letters, digits, hyphens and dots, under a domain you own")
    return value


def _check_mailbox(value: str) -> str:
    return check_address(value)


def _check_subscribers_path(value: str) -> str:
    """A subscriber list is private: never where the build publishes from or to."""
    if os.path.isabs(value):
        return value  # checked against the real folders by check_private_place
    normal = posixpath.normpath(value.replace("\\", "/"))
    first = normal.split("/", 1)[0]
    if first in PUBLISHED_FOLDERS or normal.startswith("../"):
        where = "outside the briefing folder" if normal.startswith("../") else f"in {first}/"
        raise custom_error(
            f"the subscriber list must not be {where}: '{value}'",
            "keep it in private/ (private/subscribers.yaml), a folder that is never "
            "published and that .gitignore leaves out",
        )
    if normal in (".", "") or not normal.endswith((".yaml", ".yml")):
        raise custom_error(f"expected the path of a .yaml file, found '{value}'",
                           "write private/subscribers.yaml")
    return value


def _check_unsubscribe_url(value: str) -> str:
    if not value.startswith("https://"):
        raise custom_error(f"a one-click unsubscribe address must start with https://, found '{value}'",
                           "RFC 8058 requires https; leave url: null to offer the mailto: address only")
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
    except ValueError:
        raise custom_error(f"unbalanced {{ or }} in '{value}'",
                           "the only placeholders are {token} and {id}") from None
    unknown = names - _URL_FIELDS
    if unknown:
        raise custom_error(f"unknown placeholder {{{sorted(unknown)[0]}}} in '{value}'",
                           "the only placeholders are {token} and {id}")
    if "token" not in names:
        raise custom_error(
            f"the unsubscribe address must name the subscriber with {{token}}: '{value}'",
            "write it like https://example.org/berhenti?t={token}: the token is signed with "
            f"{UNSUBSCRIBE_KEY_VARIABLE}, so no one can unsubscribe someone else",
        )
    return value


Sender = Annotated[str, AfterValidator(_check_sender),
                   WithJsonSchema({"type": "string", "examples": ["Briefing Kursk <redaksi@example.org>"]})]
Mailbox = Annotated[str, AfterValidator(_check_mailbox),
                    WithJsonSchema({"type": "string", "format": "email",
                                    "examples": ["berhenti@example.org"]})]
ListId = Annotated[str, AfterValidator(_check_list_id),
                   WithJsonSchema({"type": "string", "examples": ["kursk.briefing.example.org"]})]
SubscribersPath = Annotated[str, AfterValidator(_check_subscribers_path),
                            WithJsonSchema({"type": "string", "examples": ["private/subscribers.yaml"]})]
UnsubscribeUrl = Annotated[WebUrl, AfterValidator(_check_unsubscribe_url)]


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine (127.0.0.0/8, ::1, localhost): mail sent there
    without TLS never crosses a network."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class SmtpSettings(Strict):
    """The relay that delivers the mail (the provider's submission server)."""

    host: Text = Field(description="The relay's host name.", examples=["smtp.example.org"])
    port: int | None = Field(None, ge=1, le=65535,
                             description="Default: 587 for starttls, 465 for tls, 25 for none.")
    security: Security = Field(
        "starttls",
        description="starttls (port 587, STARTTLS required), tls (implicit TLS, port 465), "
                    "or none (only for a relay on this machine: 127.0.0.1, ::1, localhost).")
    username: str | None = Field(
        None, description=f"User name for AUTH; the password comes from {PASSWORD_VARIABLE}.",
        examples=["redaksi"])
    helo: str | None = Field(None, description="Name given in EHLO. Default: this machine's name.")
    timeout: float = Field(60, gt=0, description="Seconds to wait for the relay's reply.")
    reconnect_every: int = Field(
        100, ge=1, description="Open a new connection after this many messages: relays drop long ones.")
    max_failures: int = Field(
        5, ge=1, description="Stop the run after this many failed messages in a row.")

    @model_validator(mode="after")
    def _plain_only_on_loopback(self) -> SmtpSettings:
        if self.security == "none" and not is_loopback(self.host):
            raise custom_error(
                f"security: none sends the password and every address in clear text; "
                f"'{self.host}' is not this machine",
                "use security: starttls (port 587) or tls (port 465); none is only for a relay "
                "on 127.0.0.1, ::1 or localhost",
            )
        return self

    @property
    def effective_port(self) -> int:
        return self.port if self.port is not None else _DEFAULT_PORT[self.security]


class PdfSettings(Strict):
    mode: PdfMode = Field("attach", description="attach the day's PDF, or link to it on the site; "
                                                "a subscriber's own pdf: wins.")
    attach_max_kb: int = Field(5000, ge=0, description="A larger PDF is linked, not attached.")


class UnsubscribeSettings(Strict):
    """How readers leave the list (RFC 2369 List-Unsubscribe, RFC 8058 one-click)."""

    mailto: Mailbox = Field(description="Address that takes unsubscribe requests; always offered.",
                            examples=["berhenti@example.org"])
    url: UnsubscribeUrl | None = Field(
        None,
        description="A one-click endpoint (RFC 8058): https, takes a POST, no redirect; "
                    "{token} is replaced by the subscriber's signed token, {id} by the id.",
        examples=["https://example.org/berhenti?t={token}"])


class RateSettings(Strict):
    per_second: float = Field(5, gt=0, description="Most messages sent in one second.")
    per_day: int = Field(10000, ge=1,
                         description="Most messages sent in 24 hours; the rest wait for the next run.")


class EmailSettings(Strict):
    """The ``email:`` section of briefing.yml: the daily briefing by e-mail."""

    # `from` is a Python keyword, so the field is `sender` with the alias `from`. The
    # build sends the config to its PDF workers as model_dump_json(), which writes field
    # names: accept the name too, or that round trip fails.
    model_config = ConfigDict(**Strict.model_config, populate_by_name=True)

    sender: Sender = Field(alias="from", description="The From line: name and address.",
                           examples=["Briefing Kursk <redaksi@example.org>"])
    list_id: ListId = Field(description="RFC 2919 List-Id: a name under a domain you own.",
                            examples=["kursk.briefing.example.org"])
    subscribers: SubscribersPath = Field(
        "private/subscribers.yaml",
        description="The subscriber list, relative to the briefing folder; never under content/ or site/.")
    smtp: SmtpSettings
    pdf: PdfSettings = Field(default_factory=PdfSettings)
    unsubscribe: UnsubscribeSettings
    rate: RateSettings = Field(default_factory=RateSettings)

    @cached_property
    def sender_address(self) -> Address:
        """The From line as an address (parsed once: every message needs it)."""
        found = _addresses(self.sender)[0][0]
        return Address(display_name=found.display_name, addr_spec=check_address(found.addr_spec))

    def subscribers_path(self, root: Path) -> Path:
        return root / self.subscribers

    def ledger_dir(self, root: Path) -> Path:
        """Where the record of what was sent lives: private/sent/, whatever list is used
        (it names people's addresses, and private/ is the folder git ignores)."""
        return root / LEDGER_DIR


def smtp_password(environ: Mapping[str, str] | None = None) -> str | None:
    """The relay's password from the environment, or None when it is not set."""
    value = (os.environ if environ is None else environ).get(PASSWORD_VARIABLE)
    return value or None


def unsubscribe_key(environ: Mapping[str, str] | None = None) -> bytes | None:
    value = (os.environ if environ is None else environ).get(UNSUBSCRIBE_KEY_VARIABLE)
    return value.encode() if value else None


def check_private_place(settings: EmailSettings, root: Path, out: Path, problems: Problems,
                        where: Location | None = None) -> None:
    """Refuse a subscriber list that lies, once every link is followed, in content/ or in the
    output folder (``--out`` may move it): either would publish every reader's address.

    The settings' own check sees only the path as typed; this one sees the folders."""
    where = where or Location(SETTINGS_FILE)
    real = Path(os.path.realpath(settings.subscribers_path(root)))
    for folder, name in ((root / "content", "content/"), (out, "the output folder")):
        if real.is_relative_to(os.path.realpath(folder)):
            problems.error(where, "email.subscribers",
                           f"the subscriber list {real} is in {name}, which is published",
                           "keep it in private/ (private/subscribers.yaml)")


def read_settings(root: Path, problems: Problems) -> EmailSettings | None:
    """The ``email:`` section of ``root/briefing.yml``, with located problems; an error
    saying how to add one when there is none."""
    from briefing.config import load_config

    config = load_config(root, problems)
    if config is None:
        return None
    if config.email is None:
        problems.error(Location(CONFIG_NAME), "email", f"no email: section in {CONFIG_NAME}",
                       "add one: email: {from: 'Name <redaksi@example.org>', list_id: ..., "
                       "smtp: {host: ...}, unsubscribe: {mailto: ...}} (README: Subscribers)")
        return None
    return config.email
