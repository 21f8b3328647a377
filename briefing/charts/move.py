"""How a series moved between two points, and the one sentence a chart's title says about it.

Two points are comparable only when both are single values, exact or about (a range, a bound
such as "more than 1.000" or an unknown value has no distance to another), in the unit of
their one series. A move is never told between points that are not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from briefing.charts.points import Number, Point, Series
from briefing.charts.words import ChartWords, MoveWords
from briefing.model import ClaimStatus, Qualifier

COMPARABLE = (Qualifier.EXACT, Qualifier.ABOUT)


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"
    SAME = "same"

    @property
    def symbol(self) -> str:
        """▲, ▼ or =: the mark CrisisWatch-style lists put before a change."""
        return {Direction.UP: "▲", Direction.DOWN: "▼", Direction.SAME: "="}[self]


@dataclass(frozen=True, slots=True)
class Move:
    """From ``before`` to ``after`` (both single values): which way and by how much (never negative)."""

    series: Series
    before: Point
    after: Point
    direction: Direction
    by: float


def comparable(before: Point, after: Point) -> bool:
    """Whether a move between the two may be told: both single values, exact or about."""
    return (isinstance(before.amount, Number) and isinstance(after.amount, Number)
            and before.qualifier in COMPARABLE and after.qualifier in COMPARABLE)


def move_between(series: Series, before: Point, after: Point) -> Move | None:
    """The move from ``before`` to ``after`` in ``series``, or None when they are not comparable."""
    if not (isinstance(before.amount, Number) and isinstance(after.amount, Number)
            and comparable(before, after)):
        return None
    change = after.amount.value - before.amount.value
    direction = Direction.UP if change > 0 else Direction.DOWN if change < 0 else Direction.SAME
    return Move(series, before, after, direction, abs(change))


def move_mark(move: Move, words: ChartWords) -> str:
    """'▲ 150 km²', '▼ 20', or '=' for no change."""
    if move.direction is Direction.SAME:
        return move.direction.symbol
    return f"{move.direction.symbol} {words.quantity(move.by, move.series.unit)}"


def describe_move(move: Move, words: ChartWords, sentences: MoveWords | None = None) -> str:
    """The move in the caller's sentence for its direction (``sentences``, else ``words.moves``).

    E.g. "naik dari 1.000 km² pada 12 Agustus" from ``up="naik dari {before} pada {before_date}"``.
    """
    chosen = sentences or words.moves
    template = {Direction.UP: chosen.up, Direction.DOWN: chosen.down, Direction.SAME: chosen.same}
    unit = move.series.unit
    return template[move.direction].format(
        series=move.series.name,
        before=words.amount(move.before, unit), before_date=words.format_date(move.before.day),
        after=words.amount(move.after, unit), after_date=words.format_date(move.after.day),
        by=words.quantity(move.by, unit), symbol=move.direction.symbol)


def summary(series: Series, ordered: Sequence[Point], words: ChartWords) -> str:
    """What the chart shows, in the caller's ``summary`` (or ``empty``) sentence."""
    if not ordered:
        return words.empty.format(series=series.name)
    sources = sorted({point.source for point in ordered})
    return words.summary.format(series=series.name, count=len(ordered),
                                first_date=words.format_date(ordered[0].day),
                                last_date=words.format_date(ordered[-1].day), sources=", ".join(sources))


def overall_move(series: Series, ordered: Sequence[Point]) -> Move | None:
    """Where the series started and where it stands: from the earliest to the latest comparable point.

    The latest single value that has a comparable one on an earlier day ends the move, the earliest
    such one starts it; false points are left aside. None when no two points can be compared.
    """
    kept = [p for p in ordered if p.status is not ClaimStatus.FALSE and isinstance(p.amount, Number)]
    for after in reversed(kept):
        for before in kept:
            if before.day < after.day and comparable(before, after):
                return move_between(series, before, after)
    return None


def takeaway(series: Series, ordered: Sequence[Point], words: ChartWords) -> str:
    """The chart's one sentence: its overall move, else its summary."""
    move = overall_move(series, ordered)
    return describe_move(move, words) if move is not None else summary(series, ordered, words)
