"""``briefing send``: a day's briefing made ready for the post, then handed to briefing.mail.

Before any real send the day must pass ``briefing check --strict``, its PDF is
made (the same bytes the site publishes), and the briefing may not be stale
(over a day past its cut-off) unless the curator says it is late on purpose.
The subscriber list is private: it may never lie in content/ or the site.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from briefing import urls
from briefing.build import BuildOptions, config_for, day_pdf, prepare_site
from briefing.content.load import load_site
from briefing.errors import BriefingError, Location, Problems
from briefing.layout import CONFIG_NAME
from briefing.mail.compose import DayMail
from briefing.mail.message import DayPdf
from briefing.mail.settings import EmailSettings, check_private_place
from briefing.mail.subscribers import Subscriber, load_subscribers
from briefing.model import Site
from briefing.parallel import make_renderer
from briefing.views import Views

#: A briefing this long past its cut-off is stale: sending it needs --late.
STALE_AFTER = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Prepared:
    """Everything a run of ``briefing send`` needs: the settings, the day, who gets it, the
    PDF and the content."""

    settings: EmailSettings
    day: date
    subscribers: list[Subscriber]
    pdf: DayPdf | None
    compose: DayMail
    problems: Problems  # warnings found on the way


def prepare(root: Path, *, day: date | None, strict: bool, late: bool, now: datetime | None = None,
            out: Path | None = None) -> Prepared:
    """Load, check and make ready one day (the latest when ``day`` is None); raises
    BriefingError with every problem found. ``strict``: warnings stop it too (a real send)."""
    problems = Problems()
    config = config_for(root, BuildOptions(), problems)
    settings = config.email
    if settings is None:
        problems.error(Location(CONFIG_NAME), "email", f"no email: section in {CONFIG_NAME}",
                       "add one (README, 'Subscribers'): email: {from: 'Briefing <redaksi@example.org>', "
                       "list_id: ..., subscribers: private/subscribers.yaml, smtp: {host: ...}, "
                       "unsubscribe: {mailto: ...}}")
        raise BriefingError(problems)
    check_private_place(settings, root, (out or root / "site").resolve(), problems)
    subscribers = load_subscribers(root, settings, problems)
    site, found = load_site(root, now=now, config=config)
    problems.extend(found.strict() if strict else found)
    if site is None or subscribers is None or problems.errors:
        raise BriefingError(problems)
    on = _day(site, day, problems)
    ready = prepare_site(root, site, problems, pdf=config.pdf.enabled)
    pdf = None
    if config.pdf.enabled:
        data = day_pdf(root, site, ready, on, problems)
        pdf = DayPdf(data, urls.absolute(config.base_url, ready.plan.index.pdfs[on]),
                     urls.pdf_name(config.title, on))
    renderer = make_renderer(site, ready)
    _check_fresh(site, on, Views(renderer.reads, ready.tools.strings, ready.tools.dates), late=late,
                 now=now or datetime.now(config.tz), problems=problems)
    if problems.errors:
        raise BriefingError(problems)
    compose = DayMail(renderer, on, settings, pdf, problems)
    if problems.errors:
        raise BriefingError(problems)
    return Prepared(settings, on, subscribers, pdf, compose, problems)


def _day(site: Site, day: date | None, problems: Problems) -> date:
    if day is None:
        if not site.days:
            problems.error(Location("content/articles"), "", "there is no briefing to send: no article yet")
            raise BriefingError(problems)
        return next(iter(site.days))
    if day not in site.days:
        problems.error(Location("content/articles"), "date", f"no briefing on {day.isoformat()}",
                       "days with articles: " + ", ".join(d.isoformat() for d in list(site.days)[:7]))
        raise BriefingError(problems)
    return day


def _check_fresh(site: Site, on: date, views: Views, *, late: bool, now: datetime,
                 problems: Problems) -> None:
    """A subscriber opening a briefing days old would take it for today's: refuse it unless
    the curator says it is late on purpose."""
    cut_off = views.cut_off(site.days[on])
    if not late and now - cut_off > STALE_AFTER:
        day = site.days[on]
        problems.error(Location(day.path or "content/briefings"), "as_of",
                       f"the briefing of {on.isoformat()} is stale: its data cut-off "
                       f"({cut_off.isoformat()}) is more than a day ago",
                       "send it anyway with --late, or send a newer day")


def environment_ok() -> bool:
    """Whether a real send may ask its question: a terminal is there to answer it."""
    return os.isatty(0)
