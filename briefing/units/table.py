"""Every kind of output the site has, in one table: the plan, the fingerprints, the full
build, the cache and the watch mode all read it. Adding a kind is adding a unit here."""

from __future__ import annotations

from briefing.units.articles import ArticlePage
from briefing.units.base import Unit
from briefing.units.claims import ClaimsIndex, ClaimsStatus
from briefing.units.data import ArticlesData, JsonFeed
from briefing.units.days import Archive, ArchiveMonth, ArchiveYear, DayPage, Home
from briefing.units.feeds import AtomArticles, AtomBriefings, Robots, Sitemap
from briefing.units.files import MediaFiles, StaticFiles
from briefing.units.maps import MapBases, MapStyle
from briefing.units.pages import NotFound, Search
from briefing.units.pdf import DailyPdf
from briefing.units.registries import RegistryEntry, RegistryIndex
from briefing.units.series import (
    ChartStyle,
    SeriesData,
    SeriesIndex,
    SeriesPage,
    ThreadIndex,
    ThreadPage,
    ThreadsData,
)
from briefing.units.timeline import Timeline

#: In the order the plan lists their outputs.
UNITS: tuple[Unit, ...] = (
    Home(), DayPage(), DailyPdf(), ArticlePage(),
    Archive(), ArchiveYear(), ArchiveMonth(),
    RegistryIndex(), RegistryEntry(),
    ClaimsIndex(), ClaimsStatus(),
    SeriesIndex(), SeriesPage(), ThreadIndex(), ThreadPage(),
    Timeline(), Search(), NotFound(),
    AtomArticles(), JsonFeed(), AtomBriefings(), ArticlesData(),
    SeriesData(), ThreadsData(), Sitemap(), Robots(),
    StaticFiles(), ChartStyle(), MapStyle(), MapBases(), MediaFiles(),
)

_BY_KIND = {unit.kind: unit for unit in UNITS}
assert len(_BY_KIND) == len(UNITS), "two units of one kind"


def unit_of(kind: str) -> Unit:
    """The unit that makes outputs of ``kind``."""
    return _BY_KIND[kind]
