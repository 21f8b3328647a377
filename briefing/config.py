"""briefing.yml: the briefing's settings, typed and validated."""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import AfterValidator, Field, WithJsonSchema

from briefing.content.files import MAX_YAML_BYTES, read_text
from briefing.errors import Location, Problems, did_you_mean
from briefing.fields import LanguageCode, Strict, Text, WebUrl, custom_error
from briefing.layout import CONFIG_NAME
from briefing.mail.settings import EmailSettings
from briefing.validation import validate
from briefing.yamlio import parse_yaml

PdfVariant = Literal["pdf/ua-1", "pdf/a-1b", "pdf/a-2b", "pdf/a-3b", "pdf/a-4b",
                     "pdf/a-2u", "pdf/a-3u", "none"]


def _check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise custom_error(
            f"unknown time zone '{name}'",
            did_you_mean(name, available_timezones()) or "use an IANA name such as Asia/Jakarta",
        ) from None
    return name


def _with_trailing_slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"


TimeZoneName = Annotated[
    str,
    AfterValidator(_check_timezone),
    WithJsonSchema({"type": "string", "examples": ["Asia/Jakarta", "Europe/Kyiv"]}),
]


class MarkdownOptions(Strict):
    raw_html: bool = Field(False, description="Pass raw HTML in Markdown through. Off: it is shown as text.")


class PdfOptions(Strict):
    enabled: bool = Field(True, description="Write each day's PDF during `briefing build`.")
    page_size: Literal["A4", "Letter"] = "A4"
    variant: PdfVariant = Field(
        "pdf/ua-1", description="pdf/ua-1 (tagged, accessible) or a PDF/A variant for archiving.")


def _check_host(value: str) -> str:
    """A plain host name: it goes into every page's Content-Security-Policy, where anything
    else could widen the policy."""
    if not _HOST.match(value):
        raise custom_error(f"expected a host name like upload.wikimedia.org, found '{value}'",
                           "write the host alone: no scheme (https://), path, spaces or quotes")
    return value.lower()


_HOST = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                   r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(?::[0-9]{1,5})?$")
HostName = Annotated[str, AfterValidator(_check_host),
                     WithJsonSchema({"type": "string", "examples": ["upload.wikimedia.org"]})]


class NetworkOptions(Strict):
    allowed_hosts: list[HostName] = Field(
        default_factory=list,
        description="Hosts the build may fetch from (images, fonts). Empty: no network at all.",
        examples=[["upload.wikimedia.org"]],
    )


class Config(Strict):
    """The settings in briefing.yml."""

    title: Text = Field(examples=["Briefing Perang Rusia–Ukraina"])
    description: str = Field("", description="One sentence under the title, in feeds and metadata.")
    language: LanguageCode = Field("id", description="Language of the site and its interface text.")
    timezone: TimeZoneName = Field("Asia/Jakarta", description="IANA time zone of the briefing.")
    base_url: Annotated[WebUrl, AfterValidator(_with_trailing_slash)] = Field(
        description="Where the site is published; its path is the site's base path.",
        examples=["https://example.org/briefing/"],
    )
    editors: list[Text] = Field(default_factory=list, examples=[["Handoyo"]])
    publisher: str = Field("", description="Organisation that publishes the briefing.")
    copyright: str = ""
    markdown: MarkdownOptions = Field(default_factory=MarkdownOptions)
    pdf: PdfOptions = Field(default_factory=PdfOptions)
    network: NetworkOptions = Field(default_factory=NetworkOptions)
    strings: dict[str, str] = Field(
        default_factory=dict, description="Overrides of the theme's interface text, by key.")
    email: EmailSettings | None = Field(
        None, description="The daily briefing by e-mail (`briefing send`). Default: no e-mail.")

    @cached_property
    def site_json(self) -> str:
        """The settings the site is built from, as JSON: everything but the e-mail's, whose
        change must not re-render the site (the build's caches and fingerprints key on it)."""
        return self.model_dump_json(exclude={"email"})

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def base_path(self) -> str:
        """The URL path the site lives under, always with a trailing slash: '/briefing/'."""
        return urlsplit(self.base_url).path or "/"


def load_config(root: Path, problems: Problems) -> Config | None:
    """Read ``root/briefing.yml``; problems go to ``problems``."""
    path = root / CONFIG_NAME
    if not path.is_file():
        problems.error(
            Location(CONFIG_NAME), "",
            f"no {CONFIG_NAME} in {root}",
            "run this inside a briefing folder, pass --root, or create one with `briefing init DIR`",
        )
        return None
    text = read_text(path, CONFIG_NAME, problems, limit=MAX_YAML_BYTES,
                     within=(root, "the briefing folder"))
    if text is None:
        return None
    doc, found = parse_yaml(text, CONFIG_NAME)
    problems.extend(found)
    if doc is None or found.errors:
        return None
    config, found = validate(Config, doc)
    problems.extend(found)
    return config


__all__ = ["CONFIG_NAME", "Config", "load_config"]
