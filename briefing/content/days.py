"""content/briefings/YYYY-MM-DD.yaml and the days they curate.

Every day with articles gets a briefing. A curation file adds the headline,
cut-off, takeaways and note, and orders the articles; articles it does not
list follow, lead articles (priority) first, then the newest.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from briefing.config import Config
from briefing.content.files import MAX_YAML_BYTES, in_content, read_text
from briefing.content.schema import DayMeta
from briefing.errors import Location, Problems, did_you_mean
from briefing.model import Article, Day
from briefing.validation import validate
from briefing.yamlio import parse_yaml

BRIEFINGS_DIR = "content/briefings"
MIN_TAKEAWAYS, MAX_TAKEAWAYS = 3, 7


@dataclass(frozen=True, slots=True)
class Curation:
    """A day's curation file, read but not yet checked against the articles."""

    day: date
    path: str
    meta: DayMeta
    as_of: datetime | None
    as_of_location: Location
    article_locations: tuple[Location, ...]
    note_line: int


def load_curations(root: Path, config: Config, problems: Problems) -> dict[date, Curation]:
    """Every curation file, by day; files with errors are left out."""
    folder = root / BRIEFINGS_DIR
    curations: dict[date, Curation] = {}
    if not folder.is_dir():
        return curations
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.is_dir():  # a pipe or a device is refused by read_text
            continue
        shown = f"{BRIEFINGS_DIR}/{path.name}"
        if path.suffix not in (".yaml", ".yml"):
            problems.warning(Location(shown), "", "not a briefing file; it is ignored",
                             "briefing files are named YYYY-MM-DD.yaml")
            continue
        try:
            day = date.fromisoformat(path.stem)
        except ValueError:
            problems.error(Location(shown), "", f"'{path.stem}' is not a day",
                           "name briefing files after their day: 2024-08-16.yaml")
            continue
        curation = _read(root, path, shown, day, config, problems)
        if curation is not None:
            curations[day] = curation
    return curations


def _read(root: Path, path: Path, shown: str, day: date, config: Config,
          problems: Problems) -> Curation | None:
    text = read_text(path, shown, problems, limit=MAX_YAML_BYTES, within=in_content(root))
    if text is None:
        return None
    doc, found = parse_yaml(text, shown)
    problems.extend(found)
    if doc is None:
        return None
    meta, found = validate(DayMeta, doc)
    problems.extend(found)
    if meta is None:
        return None
    count = len(meta.takeaways)
    if count and not MIN_TAKEAWAYS <= count <= MAX_TAKEAWAYS:
        problems.warning(doc.location(("takeaways",)), "takeaways",
                         f"{count} takeaways; a briefing reads best with "
                         f"{MIN_TAKEAWAYS} to {MAX_TAKEAWAYS}",
                         "merge or split points so that each is one sentence")
    as_of = None
    if meta.as_of is not None:
        when = meta.as_of
        if isinstance(when, datetime):
            as_of = when if when.tzinfo else when.replace(tzinfo=config.tz)
        else:
            as_of = datetime.combine(when, time(0, 0), tzinfo=config.tz)
    note_mark = doc.mark(("note",))
    return Curation(
        day=day,
        path=shown,
        meta=meta,
        as_of=as_of,
        as_of_location=doc.location(("as_of",)),
        article_locations=tuple(doc.location(("articles", i)) for i in range(len(meta.articles))),
        note_line=note_mark.line if note_mark else 0,
    )


def reading_order(articles: list[Article]) -> list[Article]:
    """Lead articles by priority, then the rest newest first."""
    by_time = sorted(articles, key=lambda a: (a.published, a.id), reverse=True)
    return sorted(by_time, key=lambda a: a.priority if a.priority is not None else 1 << 30)


def assemble_days(articles: Mapping[str, Article], curations: Mapping[date, Curation],
                  problems: Problems) -> dict[date, Day]:
    """The days, newest first, each with its articles in reading order.

    ``articles`` holds every article that will be published; ``curations`` may
    name others (drafts), which are checked elsewhere and skipped here.
    """
    by_day: dict[date, list[Article]] = {}
    for article in articles.values():
        by_day.setdefault(article.day, []).append(article)
    days: dict[date, Day] = {}
    for day in sorted(set(by_day) | set(curations), reverse=True):
        ordered = reading_order(by_day.get(day, []))
        curation = curations.get(day)
        if curation is None:
            days[day] = Day(day, tuple(a.id for a in ordered))
            continue
        if not ordered:
            problems.warning(Location(curation.path), "",
                             "no article belongs to this day; the briefing is not published",
                             "set `briefing:` in an article's metadata to carry it on this day")
            continue
        _check_cut_off(curation, ordered, problems)
        listed = [i for i in curation.meta.articles if i in articles and articles[i].day == day]
        rest = [a.id for a in ordered if a.id not in listed]
        meta = curation.meta
        days[day] = Day(
            date=day,
            article_ids=tuple(dict.fromkeys(listed + rest)),
            headline=meta.headline,
            as_of=curation.as_of,
            takeaways=tuple(meta.takeaways),
            note=meta.note,
            note_line=curation.note_line,
            path=curation.path,
        )
    return days


def _check_cut_off(curation: Curation, articles: list[Article], problems: Problems) -> None:
    """A day's data cut-off is after every article it carries: the page would otherwise say
    its data ends before a story it lists."""
    if curation.as_of is None:
        return
    later = [a for a in articles if a.has_time and a.published > curation.as_of]
    if later:
        last = max(later, key=lambda a: a.published)
        problems.warning(curation.as_of_location, "as_of",
                         f"the data cut-off {curation.as_of.isoformat(timespec='minutes')} is before "
                         f"'{last.id}' ({last.published.isoformat(timespec='minutes')}), which this "
                         "briefing carries",
                         f"set as_of: {last.published.isoformat(timespec='minutes')} or later, or "
                         f"carry the article on the next day (briefing: in {last.path})")


def check_curations(curations: Mapping[date, Curation], articles: Mapping[str, Article],
                    problems: Problems) -> None:
    """Each id a curation lists must be an article of that day, listed once."""
    for day, curation in curations.items():
        seen: set[str] = set()
        for index, article_id in enumerate(curation.meta.articles):
            where, field = curation.article_locations[index], f"articles[{index}]"
            article = articles.get(article_id)
            if article is None:
                problems.error(where, field, f"no article '{article_id}'",
                               did_you_mean(article_id, articles)
                               or "list article ids: file names without extension")
            elif article.day != day:
                problems.error(
                    where, field,
                    f"'{article_id}' belongs to the briefing of {article.day.isoformat()}",
                    f"set `briefing: {day.isoformat()}` in {article.path} to carry it on this day",
                )
            elif article_id in seen:
                problems.error(where, field, f"'{article_id}' is listed twice", "remove the repeat")
            seen.add(article_id)
