"""The day's e-mail, from the same model as the day's page and PDF.

The theme's ``email/day.html`` and ``email/day.txt`` get the day's briefing as
the day's page does (:func:`briefing.units.days.briefing_context`: headline,
cut-off, takeaways, figures, articles with their claims in words), with every
link absolute, how the PDF reaches this subscriber, and how to leave the list.
Rendering is deterministic: the same day and subscriber give the same text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from briefing import urls
from briefing.errors import Location, Problems
from briefing.layout import CONFIG_NAME
from briefing.mail.message import DayPdf, InlineImage, MailContent, PdfChoice
from briefing.mail.settings import EmailSettings, unsubscribe_key
from briefing.mail.subscribers import Subscriber
from briefing.mail.unsubscribe import unsubscribe_url
from briefing.units.days import briefing_context
from briefing.units.maps import MapView, read_day_map
from briefing.units.renderer import Renderer

HTML = "email/day.html"
TEXT = "email/day.txt"


@dataclass(frozen=True, slots=True)
class Leaving:
    """How a subscriber leaves the list: always an address, a one-click page when there is one."""

    mailto: str
    url: str | None


class DayMail:
    """Composes one day's message for each subscriber (the ``compose`` of ``send_day``)."""

    def __init__(self, renderer: Renderer, on: date, settings: EmailSettings, pdf: DayPdf | None,
                 problems: Problems | None = None) -> None:
        self.r, self.on, self.settings, self.pdf = renderer, on, settings, pdf
        self.briefing = briefing_context(renderer, on)  # the same for every subscriber: made once
        self._key = unsubscribe_key()
        self.map = read_day_map(renderer, on, whole=True)
        self.images: tuple[InlineImage, ...] = ()
        if self.map is not None:
            try:
                picture = map_png(self.map)
            except (OSError, ImportError) as exc:  # cairocffi finds no cairo library: a machine's lack
                if problems is None:
                    raise
                problems.error(Location(CONFIG_NAME), "email",
                               f"the day's map cannot be drawn as a picture for the e-mail: {exc}",
                               "install the cairo library that CairoSVG draws with "
                               "(Debian: apt-get install libcairo2)")
                return
            self.images = (InlineImage(f"peta-{on.isoformat()}@{settings.list_id}", picture,
                                       f"peta-{on.isoformat()}.png"),)

    def __call__(self, subscriber: Subscriber, choice: PdfChoice) -> MailContent:
        values = self._values(subscriber, choice)
        env = self.r.tools.env
        html = env.get_template(HTML).render(**values)
        text = env.get_template(TEXT).render(**values)
        return MailContent(self.subject(), text, html, origin=f"templates/{HTML}", images=self.images)

    def subject(self) -> str:
        d = self.briefing
        return self.r.t("mail.subject", title=self.r.config.title, date=self.r.dates.long(self.on),
                        headline=d["headline"] or self.r.t("day.title", date=self.r.dates.full(self.on)))

    def _values(self, subscriber: Subscriber, choice: PdfChoice) -> dict[str, Any]:
        config = self.r.config
        base = config.base_url
        leaving = self.settings.unsubscribe
        url = None
        if leaving.url is not None and self._key is not None:
            url = unsubscribe_url(leaving.url, self._key, self.settings.list_id, subscriber.id)
        return {
            "config": config, "d": self.briefing, "subscriber": subscriber,
            "web": urls.absolute(base, urls.day_path(self.on)),
            "absolute": lambda path: urls.absolute(base, path),
            "pdf_choice": choice, "pdf_url": self.pdf.url if self.pdf is not None else None,
            "leaving": Leaving(leaving.mailto, url),
            "map": self.map, "map_cid": self.images[0].cid if self.images else None,
        }


def map_png(view: MapView) -> bytes:
    """The day's map as a PNG twice its size (sharp on dense screens): mail clients show no SVG
    (Gmail and Outlook drop it), and a picture sent inside the message is shown where a linked
    one is blocked until the reader allows it."""
    import cairosvg  # only the e-mail needs it; it needs the system's cairo library

    return bytes(cairosvg.svg2png(bytestring=view.svg.encode(), output_width=view.width * 2))
