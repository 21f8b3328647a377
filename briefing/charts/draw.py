"""A series as one self-contained SVG chart: the full chart of a series page, or a sparkline.

Pure: the same series, points and words give the same bytes (points in :func:`chart_order`,
every number through :func:`briefing.geo.svg.num`, every text escaped by ``geo.svg``).

How a reader tells a rating without colour: confirmed and corroborated points are filled (a disc,
a diamond), claimed and disputed ones hollow (a ring, a hollow diamond), a false one is a cross;
the line between two points is solid only when both are confirmed or corroborated, and a legend
under the chart says each in the caller's words. Colour only repeats the rating.

What is drawn as what: a range is a bar from its low to its high end with the marker at its
middle; an unknown value breaks the line and leaves a mark on the bottom axis, labelled with the
caller's word, never a zero; several points of one day are all drawn, side by side, never
averaged; a "more than" or "less than" value has a chevron above or below its marker. False
points are not joined by the line (a refuted number is no step in the series), but drawn.

Made for both renderers we ship to, like the maps: shapes, dashes and text only (no script, no
``foreignObject``), ``currentColor`` for ink so the chart takes the page's text colour, status
colours in CSS classes scoped to ``.chart`` with a ``prefers-color-scheme: dark`` block, which
browsers apply and WeasyPrint (print) leaves aside.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from briefing.charts.move import summary, takeaway
from briefing.charts.points import STRENGTH, Point, Range, Series, chart_order, values
from briefing.charts.scale import DayAxis, ValueAxis, day_axis, value_axis
from briefing.charts.words import ChartWords
from briefing.geo.clip import XY
from briefing.geo.labels import text_width
from briefing.geo.svg import attr, num, path_data, text
from briefing.model import ClaimStatus, Qualifier

FONT = 10.5  # px, ticks and legend
SOLID = (ClaimStatus.CONFIRMED, ClaimStatus.CORROBORATED)
SHAPES = {ClaimStatus.CONFIRMED: "disc", ClaimStatus.CORROBORATED: "diamond",
          ClaimStatus.CLAIMED: "ring", ClaimStatus.DISPUTED: "hollow-diamond", ClaimStatus.FALSE: "cross"}

STYLE = """\
.chart{font-family:"DejaVu Sans","Noto Sans",Arial,sans-serif}\
.chart text{fill:currentColor;font-size:10.5px}.chart .chart-unknown-label{font-size:9px}\
.chart .chart-grid{stroke:currentColor;stroke-opacity:.18;stroke-width:1}\
.chart .chart-axis{stroke:currentColor;stroke-width:1}\
.chart .chart-line{fill:none;stroke:currentColor;stroke-width:1.6;stroke-linecap:round}\
.chart .chart-dashed{stroke-dasharray:4.5 3}\
.chart .chart-range,.chart .chart-bound{fill:none;stroke:currentColor;stroke-width:1.4}\
.chart .chart-filled{fill:currentColor;stroke:none}\
.chart .chart-hollow{fill:none;stroke:currentColor;stroke-width:1.6}\
.chart .chart-cross{fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round}\
.chart .chart-unknown{fill:none;stroke:currentColor;stroke-width:1.4}\
.chart .status-confirmed{color:#1d6b35}.chart .status-corroborated{color:#0f5f6b}\
.chart .status-claimed{color:#7a4a00}.chart .status-disputed{color:#6b3f9b}\
.chart .status-false{color:#a3201b}\
@media (prefers-color-scheme:dark){\
.chart .status-confirmed{color:#8fdca4}.chart .status-corroborated{color:#7fd4df}\
.chart .status-claimed{color:#f2c46d}.chart .status-disputed{color:#cdb0f5}\
.chart .status-false{color:#ff9f98}}"""


@dataclass(frozen=True, slots=True)
class Size:
    """A chart's canvas in pixels; a sparkline has no axes, labels or legend."""

    width: int
    height: int
    marker: float  # radius
    labelled: bool


FULL = Size(640, 280, 4.5, True)
SPARKLINE = Size(160, 40, 2.5, False)


@dataclass(frozen=True, slots=True)
class Chart:
    """The SVG, and the sentence its ``<title>`` says (for a caption or the page's text)."""

    svg: str
    takeaway: str


@dataclass(frozen=True, slots=True)
class _Plot:
    """Where values and days land: the plot's rectangle and its two axes."""

    left: float
    top: float
    right: float
    bottom: float
    days: DayAxis
    values: ValueAxis
    inset: float  # room inside the plot before the first and after the last day

    def x(self, day: date) -> float:
        span = self.days.days or 1
        return self.left + self.inset + (day - self.days.first).days / span * (self.right - self.left
                                                                               - 2 * self.inset)

    def y(self, value: float) -> float:
        span = (self.values.high - self.values.low) or 1.0
        return self.bottom - (value - self.values.low) / span * (self.bottom - self.top)


@dataclass(frozen=True, slots=True)
class _Placed:
    """A point on the canvas: ``y`` is its marker's height, None when the value is unknown."""

    point: Point
    x: float
    y: float | None


def draw_chart(series: Series, points: Iterable[Point], words: ChartWords, *, id_prefix: str,
               size: Size = FULL) -> Chart:
    """The chart of ``points`` in ``series``; ``id_prefix`` keeps its ids apart from others on a page."""
    ordered = chart_order(points)
    sentence = takeaway(series, ordered, words)
    legend = _legend_rows(ordered, words, size) if size.labelled else []
    plot = _plot(ordered, words, size, len(legend))
    placed = _place(ordered, plot, size)
    out = [*_head(size, id_prefix, sentence, summary(series, ordered, words))]
    if size.labelled:
        out += _axes(plot, words, size)
    out += _lines(placed, size.marker)
    out += _unknowns(placed, plot, words, size)
    out += [piece for one in placed for piece in _point(one, plot, series, words, size)]
    if legend:
        out += _legend(legend, plot, words, size)
    out.append("</svg>")
    return Chart("".join(out), sentence)


def draw_sparkline(series: Series, points: Iterable[Point], words: ChartWords, *, id_prefix: str) -> Chart:
    """A 160 × 40 chart of the same marks, without axes or legend, for place and actor pages."""
    return draw_chart(series, points, words, id_prefix=id_prefix, size=SPARKLINE)


def _head(size: Size, pid: str, title: str, description: str) -> list[str]:
    width, height = size.width, size.height
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="100%" viewBox="0 0 {width} {height}"'
        f' role="img" aria-labelledby="{pid}-title {pid}-desc"'
        f' font-family="DejaVu Sans, Noto Sans, Arial, sans-serif">',
        f'<title id="{pid}-title">{text(title)}</title>',
        f'<desc id="{pid}-desc">{text(description)}</desc>',
        f"<style>{STYLE}</style>",
    ]


def _plot(ordered: Sequence[Point], words: ChartWords, size: Size, legend_rows: int) -> _Plot:
    """The plot's rectangle: room on the left for the value ticks, below for dates and the legend."""
    numbers = values(ordered)
    ticks = value_axis(numbers, most=6 if size.labelled else 1)
    days = [p.day for p in ordered] or [date(1970, 1, 1)]
    if not size.labelled:
        return _Plot(3.0, 4.0, size.width - 3.0, size.height - 5.0, day_axis(days), ticks, size.marker + 1)
    left = 8.0 + max(text_width(words.format_number(t), FONT) for t in ticks.ticks)
    right = size.width - 12.0
    widest = text_width(words.format_date(days[-1]), FONT) + 18.0
    most = max(2, min(7, int((right - left) // widest)))
    bottom = size.height - 24.0 - 18.0 * legend_rows
    return _Plot(left, 10.0, right, bottom, day_axis(days, most=most), ticks, 12.0)


def _place(ordered: Sequence[Point], plot: _Plot, size: Size) -> list[_Placed]:
    """Each point's position; points of one day stand side by side, in chart order, around the day."""
    by_day: dict[date, list[Point]] = defaultdict(list)
    for point in ordered:
        by_day[point.day].append(point)
    per_day = (plot.right - plot.left - 2 * plot.inset) / (plot.days.days or 1)
    out = []
    for point in ordered:
        same = by_day[point.day]
        gap = min(size.marker * 2 + 2, 0.8 * per_day / len(same))
        shift = (same.index(point) - (len(same) - 1) / 2) * gap
        middle = point.middle
        out.append(_Placed(point, plot.x(point.day) + shift, None if middle is None else plot.y(middle)))
    return out


def _axes(plot: _Plot, words: ChartWords, size: Size) -> list[str]:
    """Grid lines at the value ticks with their numbers, the bottom axis and its dates."""
    out = []
    for tick in plot.values.ticks:
        y = plot.y(tick)
        css = "chart-axis" if tick == plot.values.low else "chart-grid"
        out.append(_rule(css, (plot.left, y), (plot.right, y)))
        out.append(f'<text x="{num(plot.left - 5)}" y="{num(y + 3.6)}" text-anchor="end">'
                   f"{text(words.format_number(tick))}</text>")
    for day in plot.days.ticks:
        x = plot.x(day)
        label = words.format_date(day)
        half = text_width(label, FONT) / 2
        anchor = "start" if x - half < 2 else "end" if x + half > size.width - 2 else "middle"
        out.append(_rule("chart-axis", (x, plot.bottom), (x, plot.bottom + 4)))
        out.append(f'<text x="{num(x)}" y="{num(plot.bottom + 15)}" text-anchor="{anchor}">'
                   f"{text(label)}</text>")
    return out


def _rule(css: str, start: XY, end: XY) -> str:
    return f'<path class="{css}" d="{path_data([[start, end]], closed=False)}"/>'


def _weaker(a: ClaimStatus, b: ClaimStatus) -> ClaimStatus:
    return a if STRENGTH[a] >= STRENGTH[b] else b


def _lines(placed: Sequence[_Placed], radius: float) -> list[str]:
    """The line from day to day through each day's best-rated point, broken where a day has none.

    A day's other points stand beside it unjoined: a line between two sources of one day would
    read as a move that no one reported. False points are no step of the series and are passed by;
    a day with only unknown values breaks the line. Each segment stops short of its markers (so a
    hollow marker stays hollow) and is classed by its weaker end: solid only between two confirmed
    or corroborated points.
    """
    days: set[date] = set()
    best: dict[date, _Placed] = {}
    for one in placed:
        if one.point.status is ClaimStatus.FALSE:
            continue
        days.add(one.point.day)
        current = best.get(one.point.day)
        if one.y is not None and (current is None
                                  or STRENGTH[one.point.status] < STRENGTH[current.point.status]):
            best[one.point.day] = one
    out = []
    for a, b in pairwise(best.get(day) for day in sorted(days)):
        if a is not None and b is not None:
            out += _segment(a, b, radius)
    return out


def _segment(a: _Placed, b: _Placed, radius: float) -> list[str]:
    assert a.y is not None and b.y is not None
    dx, dy = b.x - a.x, b.y - a.y
    length = (dx * dx + dy * dy) ** 0.5
    cut = radius + 1.5
    if length <= 2 * cut:
        return []
    ux, uy = dx / length, dy / length
    start, end = (a.x + ux * cut, a.y + uy * cut), (b.x - ux * cut, b.y - uy * cut)
    status = _weaker(a.point.status, b.point.status)
    dash = "chart-solid" if status in SOLID else "chart-dashed"
    return [_rule(f"chart-line {dash} status-{status.value}", start, end)]


def _unknowns(placed: Sequence[_Placed], plot: _Plot, words: ChartWords, size: Size) -> list[str]:
    """A small open triangle on the bottom axis for each unknown value, labelled unless crowded."""
    out = []
    labelled_until = -1e9
    for one in placed:
        if one.y is not None:
            continue
        x, y, r = one.x, plot.bottom, size.marker
        tip = path_data([[(x, y - r * 1.6), (x - r, y), (x + r, y)]], closed=True)
        out.append(f'<path class="chart-unknown status-{one.point.status.value}" d="{tip}"/>')
        if size.labelled:
            half = text_width(words.unknown, 9.0) / 2
            if x - half > labelled_until:
                out.append(f'<text class="chart-unknown-label" x="{num(x)}" y="{num(y - r * 1.6 - 3)}"'
                           f' text-anchor="middle">{text(words.unknown)}</text>')
                labelled_until = x + half + 4
    return out


def _marker(status: ClaimStatus, x: float, y: float, r: float) -> str:
    """One rating's marker at ``(x, y)``; the diamonds are a little larger so they weigh as the discs."""
    shape = SHAPES[status]
    if shape in ("disc", "ring"):
        css = "chart-filled" if shape == "disc" else "chart-hollow"
        return f'<circle class="{css}" cx="{num(x)}" cy="{num(y)}" r="{num(r)}"/>'
    if shape == "cross":
        d = r * 0.85
        lines = [[(x - d, y - d), (x + d, y + d)], [(x - d, y + d), (x + d, y - d)]]
        return f'<path class="chart-cross" d="{path_data(lines, closed=False)}"/>'
    d = r * 1.25
    css = "chart-filled" if shape == "diamond" else "chart-hollow"
    ring = [(x, y - d), (x + d, y), (x, y + d), (x - d, y)]
    return f'<path class="{css}" d="{path_data([ring], closed=True)}"/>'


def _point(one: _Placed, plot: _Plot, series: Series, words: ChartWords, size: Size) -> list[str]:
    """A point's group: a tooltip (date, value, rating, source), its range bar, bound and marker."""
    if one.y is None:
        return []
    point, x, y, r = one.point, one.x, one.y, size.marker
    tip = (f"{words.format_date(point.day)}: {words.amount(point, series.unit)}, "
           f"{words.status(point.status)}, {point.source}")
    out = [f'<g class="chart-point status-{point.status.value}" data-target={attr(point.target)}>'
           f"<title>{text(tip)}</title>"]
    if isinstance(point.amount, Range):
        out.append(_range_bar(x, plot.y(point.amount.high), y, plot.y(point.amount.low), r))
    if point.qualifier in (Qualifier.MORE_THAN, Qualifier.LESS_THAN):
        sign = -1 if point.qualifier is Qualifier.MORE_THAN else 1
        tip_y, base_y = y + sign * (r + 5), y + sign * (r + 2)
        chevron = [[(x - 3, base_y), (x, tip_y), (x + 3, base_y)]]
        out.append(f'<path class="chart-bound" d="{path_data(chevron, closed=False)}"/>')
    out.append(_marker(point.status, x, y, r))
    out.append("</g>")
    return out


def _range_bar(x: float, top: float, y: float, bottom: float, r: float) -> str:
    """The bar from a range's high end (``top``) to its low end, with caps, left open around the marker."""
    cap = r * 0.9
    pieces = []
    if top < y - r - 1:
        pieces.append([(x, top), (x, y - r - 1)])
    if bottom > y + r + 1:
        pieces.append([(x, y + r + 1), (x, bottom)])
    pieces += [[(x - cap, top), (x + cap, top)], [(x - cap, bottom), (x + cap, bottom)]]
    return f'<path class="chart-range" d="{path_data(pieces, closed=False)}"/>'


def _legend_rows(ordered: Sequence[Point], words: ChartWords, size: Size) -> list[list[ClaimStatus]]:
    """The ratings drawn, strongest first, in rows that fit the width."""
    shown = sorted({p.status for p in ordered if p.amount is not None}, key=STRENGTH.__getitem__)
    rows: list[list[ClaimStatus]] = []
    width = 0.0
    for status in shown:
        item = _legend_width(words.status(status))
        if not rows or width + item > size.width - 24:
            rows.append([])
            width = 0.0
        rows[-1].append(status)
        width += item
    return rows


def _legend_width(word: str) -> float:
    return 30.0 + text_width(word, FONT) + 16.0


def _legend(rows: Sequence[Sequence[ClaimStatus]], plot: _Plot, words: ChartWords, size: Size) -> list[str]:
    """Under the dates: for each rating drawn, its marker on a piece of its line, and its word.

    A false point's marker stands alone, as in the chart: the line never joins one.
    """
    out = ['<g class="chart-legend">']
    for number, row in enumerate(rows):
        y = plot.bottom + 34.0 + 18.0 * number
        x = plot.left
        for status in row:
            dash = "chart-solid" if status in SOLID else "chart-dashed"
            sample = "" if status is ClaimStatus.FALSE else _rule(f"chart-line {dash}", (x, y - 3.5),
                                                                   (x + 24, y - 3.5))
            out.append(f'<g class="status-{status.value}">{sample}'
                       f"{_marker(status, x + 12, y - 3.5, size.marker)}</g>")
            word = words.status(status)
            out.append(f'<text x="{num(x + 30)}" y="{num(y)}">{text(word)}</text>')
            x += _legend_width(word)
    out.append("</g>")
    return out
