"""Interface text and dates in the briefing's language.

Every string a theme shows comes from a translation table,
``templates/i18n/<language>.yaml`` (Indonesian and English ship with the
default theme), overridden key by key by ``strings:`` in briefing.yml. Dates
and numbers are formatted by Babel in the same language.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_skeleton, format_time
from babel.numbers import format_decimal

from briefing.config import CONFIG_NAME, Config
from briefing.errors import Location, Problems, did_you_mean
from briefing.render.theme import I18N_DIR, Theme
from briefing.yamlio import parse_yaml

FALLBACK = "en"


class MissingString(KeyError):
    """A template asked for a key no translation table has."""


#: A table entry: the text, or its plural forms by CLDR category ("one", "other", ...).
Text = str | Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Strings:
    """A translation table: ``t("key", name=value)`` in templates.

    An entry with plural forms picks the form for ``count`` by the language's
    CLDR rules: ``{one: "{count} article", other: "{count} articles"}``.
    """

    language: str
    table: Mapping[str, Text]

    def __call__(self, key: str, /, **values: object) -> str:
        try:
            entry = self.table[key]
        except KeyError:
            raise MissingString(
                f"no interface text '{key}' in {I18N_DIR}/{self.language}.yaml"
                + (f"; {hint}" if (hint := did_you_mean(key, self.table)) else "")
            ) from None
        if not isinstance(entry, str):
            count = values.get("count", 0)
            form = _locale(self.language).plural_form(count if isinstance(count, int | float) else 0)
            entry = entry.get(form) or entry["other"]
        return entry.format(**values) if values else entry


def load_strings(theme: Theme, config: Config, problems: Problems) -> Strings:
    """The table for the config's language, completed from English and config overrides."""
    language = config.language
    english = _table(theme, FALLBACK, problems) or {}
    table: dict[str, Text] | None = None
    for candidate in (language, language.split("-")[0]):
        table = _table(theme, candidate, problems)
        if table is not None:
            break
    if table is None:
        problems.warning(
            Location(CONFIG_NAME), "language",
            f"the theme has no interface text in '{language}'; English is used",
            f"add templates/{I18N_DIR}/{language}.yaml (copy en.yaml and translate it)",
        )
        table = {}
    missing = sorted(set(english) - set(table))
    if missing and language != FALLBACK:
        problems.warning(
            Location(f"templates/{I18N_DIR}/{language}.yaml"), "",
            f"{len(missing)} interface texts are not translated and show in English: "
            + ", ".join(missing[:8]) + ("..." if len(missing) > 8 else ""),
            "add them to the table",
        )
    merged = {**english, **table}
    for key, text in config.strings.items():
        if key not in merged:
            problems.error(Location(CONFIG_NAME), f"strings.{key}",
                           f"the theme has no interface text '{key}'",
                           did_you_mean(key, merged) or "see templates/i18n/en.yaml for the keys")
            continue
        merged[key] = text
    return Strings(language, merged)


def _locale(language: str) -> Locale:
    return Locale.parse(language.replace("-", "_"))


def _table(theme: Theme, language: str, problems: Problems) -> dict[str, Text] | None:
    name = f"{I18N_DIR}/{language}.yaml"
    path = theme.find(name)
    if path is None:
        return None
    doc, found = parse_yaml(path.read_text(encoding="utf-8-sig"), f"templates/{name}")
    problems.extend(found)
    if doc is None or not isinstance(doc.data, dict):
        return None
    table: dict[str, Text] = {}
    for key, text in doc.data.items():
        plural = isinstance(text, dict) and "other" in text and \
            all(isinstance(v, str) for v in text.values())
        if not (isinstance(text, str) or plural):
            problems.error(doc.location((key,)), key, f"expected text, found {text!r}",
                           "quote the text, or give plural forms as {one: ..., other: ...}")
            continue
        table[key] = text
    return table


class Dates:
    """Dates, times and numbers as readers of the language write them."""

    def __init__(self, language: str, tz: tzinfo) -> None:
        self.locale = _locale(language)
        self.tz = tz
        # The same dates come back on page after page; Babel's formatting is not cheap.
        for name in ("full", "long", "day_month", "month", "time", "moment", "zone", "number"):
            setattr(self, name, functools.lru_cache(maxsize=65536)(getattr(self, name)))

    def _local(self, when: date | datetime) -> date | datetime:
        return when.astimezone(self.tz) if isinstance(when, datetime) else when

    def full(self, when: date | datetime) -> str:
        """'Jumat, 16 Agustus 2024', 'Senin, 1 Januari 2024' (no zero before a day below 10,
        which CLDR's full Indonesian pattern has, unlike the long one and a printed masthead)."""
        pattern = self.locale.date_formats["full"].pattern.replace("dd", "d")
        return format_date(self._local(when), pattern, locale=self.locale)

    def long(self, when: date | datetime) -> str:
        """'16 Agustus 2024'."""
        return format_date(self._local(when), "long", locale=self.locale)

    def month(self, when: date) -> str:
        """'Agustus 2024'."""
        return format_date(when, "LLLL y", locale=self.locale)

    def day_month(self, when: date) -> str:
        """'12 Agustus' ('August 12'): a date within the story told, without its year."""
        return format_skeleton("MMMMd", when, locale=self.locale)

    def short(self, when: date) -> str:
        """'12 Agu' ('Aug 12'): a chart's axis."""
        return format_skeleton("MMMd", when, locale=self.locale)

    def time(self, when: datetime) -> str:
        """'08.00 WIB'."""
        local = when.astimezone(self.tz)
        return f"{format_time(local, 'short', locale=self.locale)} {self.zone(local)}"

    def moment(self, when: datetime) -> str:
        """'16 Agustus 2024 08.00 WIB'."""
        return f"{self.long(when)} {self.time(when)}"

    def zone(self, when: datetime) -> str:
        return format_datetime(when, "zzz", tzinfo=self.tz, locale=self.locale)

    def number(self, value: float) -> str:
        """'20.000' in Indonesian, '20,000' in English; whole numbers without decimals."""
        shown: float | int = int(value) if float(value).is_integer() else value
        return format_decimal(shown, locale=self.locale)
