"""Series charts: the SVG parsed as a reader's tools see it, the axes, the moves, and a real PDF."""

from __future__ import annotations

import math
from datetime import date, timedelta
from itertools import pairwise, permutations

import pytest
from babel.dates import format_date
from babel.numbers import format_decimal

from briefing.charts.move import Direction, describe_move, move_between, move_mark, takeaway
from briefing.charts.points import Number, Point, Range, Series, chart_order
from briefing.charts.scale import day_axis, value_axis, zero_in_reason
from briefing.charts.words import ChartWords, MoveWords
from briefing.model import ClaimStatus, Qualifier

C, R, K, D, F = (ClaimStatus.CONFIRMED, ClaimStatus.CORROBORATED, ClaimStatus.CLAIMED, ClaimStatus.DISPUTED,
                 ClaimStatus.FALSE)


def number(value: float) -> str:
    return format_decimal(int(value) if float(value).is_integer() else value, locale="id")


WORDS = ChartWords(
    format_date=lambda day: format_date(day, "d MMM", locale="id"),
    format_number=number,
    statuses={C: "terkonfirmasi", R: "terkorroborasi", K: "diklaim", D: "dibantah", F: "keliru"},
    unknown="tidak diketahui",
    moves=MoveWords(up="{series}: naik dari {before} ({before_date}) ke {after} ({after_date})",
                    down="{series}: turun dari {before} ({before_date}) ke {after} ({after_date})",
                    same="{series}: tetap {after} sejak {before_date}"),
    summary="{series}: {count} titik data, {first_date}–{last_date} ({sources})",
    empty="{series}: belum ada data",
    qualifiers={Qualifier.ABOUT: "sekitar {}", Qualifier.MORE_THAN: "lebih dari {}",
                Qualifier.LESS_THAN: "kurang dari {}"},
)
WILAYAH = Series("Wilayah yang diklaim dikuasai Kyiv", "km²")
AUG = date(2024, 8, 12)


def day(n: int) -> date:
    return AUG + timedelta(days=n)


def point(n: int, value: float | Range | None, status: ClaimStatus = C, source: str = "ANTARA",
          qualifier: Qualifier = Qualifier.EXACT) -> Point:
    amount = value if isinstance(value, Range) or value is None else Number(value)
    return Point(day(n), amount, status, source, f"t{n}-{source}", qualifier)


# --- points and axes ---------------------------------------------------------------


def test_chart_order_does_not_depend_on_the_callers_order() -> None:
    same_day = [point(1, 900, K, "TASS"), point(1, Range(600, 800), R, "ISW"), point(1, None, K, "Kompas"),
                point(1, 900, C, "Reuters"), point(0, 1000, K)]
    orders = {tuple(chart_order(p)) for p in permutations(same_day)}
    assert len(orders) == 1
    (order,) = orders
    assert [p.source for p in order] == ["ANTARA", "ISW", "Reuters", "TASS", "Kompas"]  # unknown last


def test_a_range_runs_low_to_high_and_values_are_finite() -> None:
    with pytest.raises(ValueError, match="above its high end"):
        Range(800, 600)
    with pytest.raises(ValueError, match="finite"):
        Number(math.nan)
    with pytest.raises(ValueError, match="finite"):
        Range(0, math.inf)


@pytest.mark.parametrize("data", [[1000, 1150], [99_000, 99_500], [0.1, 0.7], [-5, 12], [5], [0], [-3],
                                  [121_000, 132_000, 150_000], [2.5, 3, 7], [0.3, 0.9], [17, 17_000]])
def test_value_ticks_are_round_steps_of_one_two_or_five(data: list[float]) -> None:
    axis = value_axis(data)
    assert axis.low <= min(data) and axis.high >= max(data)
    assert 2 <= len(axis.ticks) <= 7
    steps = {round(b - a, 9) for a, b in pairwise(axis.ticks)}
    assert len(steps) == 1
    (step,) = steps
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert round(mantissa, 9) in (1, 2, 5)
    assert all(round(t / step, 9).is_integer() for t in axis.ticks)  # multiples of the step: 0.3, not 0.30000000000000004
    assert all(repr(t) == repr(round(t, 9)) for t in axis.ticks)


def test_a_count_starts_at_zero_unless_zero_would_flatten_it() -> None:
    assert value_axis([1000, 1150]).low == 0
    assert zero_in_reason([121_000, 132_000])
    assert not zero_in_reason([99_000, 99_500])  # from zero a change of 0.5 % would not be seen
    assert value_axis([99_000, 99_500]).low == 99_000
    assert not zero_in_reason([-5, 12])
    assert value_axis([-5, 12]).ticks == (-5, 0, 5, 10, 15)


def test_date_ticks_are_days_weeks_months_or_years_within_the_span() -> None:
    days = day_axis([day(0), day(3)])
    assert days.ticks == (day(0), day(1), day(2), day(3))
    weeks = day_axis([day(0), day(40)])
    assert {(b - a).days for a, b in pairwise(weeks.ticks)} == {7}
    months = day_axis([date(2024, 1, 1), date(2024, 9, 30)])
    assert {t.day for t in months.ticks} == {1} and len(months.ticks) <= 7
    years = day_axis([date(2014, 2, 24), date(2024, 9, 30)])
    assert all((t.month, t.day) == (1, 1) for t in years.ticks) and years.ticks[0] > date(2014, 2, 24)
    single = day_axis([day(0)])
    assert single.first < day(0) < single.last


# --- moves -------------------------------------------------------------------------


def test_a_move_up_says_from_where_and_by_how_much() -> None:
    move = move_between(WILAYAH, point(0, 1000, K), point(3, 1150, K))
    assert move is not None and move.direction is Direction.UP and move.by == 150
    assert move_mark(move, WORDS) == "▲ 150\u00a0km²"
    sentence = describe_move(move, WORDS, MoveWords(up="naik dari {before} pada {before_date}", down="", same=""))
    assert sentence == "naik dari 1.000\u00a0km² pada 12 Agu"


def test_a_move_down_or_none() -> None:
    down = move_between(WILAYAH, point(0, 1150), point(1, 1000, qualifier=Qualifier.ABOUT))
    assert down is not None and down.direction is Direction.DOWN and move_mark(down, WORDS) == "▼ 150\u00a0km²"
    assert "ke sekitar 1.000\u00a0km²" in describe_move(down, WORDS)
    same = move_between(WILAYAH, point(0, 1000), point(1, 1000))
    assert same is not None and same.direction is Direction.SAME and move_mark(same, WORDS) == "="


@pytest.mark.parametrize("other", [
    point(1, Range(900, 1200)),
    point(1, None),
    point(1, 1200, qualifier=Qualifier.MORE_THAN),
    point(1, 800, qualifier=Qualifier.LESS_THAN),
])
def test_ranges_bounds_and_unknowns_are_not_comparable(other: Point) -> None:
    assert move_between(WILAYAH, point(0, 1000), other) is None
    assert move_between(WILAYAH, other, point(2, 1000)) is None


def test_the_takeaway_is_the_overall_move_else_a_summary() -> None:
    claimed = [point(0, 1000, K, "Reuters"), point(3, 1150, K), point(4, 5000, F, "Telegram")]
    assert takeaway(WILAYAH, chart_order(claimed), WORDS) == (
        "Wilayah yang diklaim dikuasai Kyiv: naik dari 1.000\u00a0km² (12 Agu) ke 1.150\u00a0km² (15 Agu)")
    only_ranges = [point(0, Range(1, 2)), point(1, None)]
    assert takeaway(WILAYAH, chart_order(only_ranges), WORDS) == (
        "Wilayah yang diklaim dikuasai Kyiv: 2 titik data, 12 Agu–13 Agu (ANTARA)")
    assert takeaway(WILAYAH, [], WORDS) == "Wilayah yang diklaim dikuasai Kyiv: belum ada data"
