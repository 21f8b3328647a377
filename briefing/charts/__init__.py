"""Charts of a series drawn at build time as static SVG, the same in the site and the daily PDF.

- :mod:`briefing.charts.points`: :class:`Series`, :class:`Point` (a :class:`Number`, a
  :class:`Range` or None for unknown) and the one :func:`chart_order`.
- :mod:`briefing.charts.words`: :class:`ChartWords`, every word, date and number a chart writes,
  supplied by the caller (no language lives here).
- :mod:`briefing.charts.scale`: round value ticks (1-2-5) and date ticks.
- :mod:`briefing.charts.move`: :func:`move_between` two comparable points, :func:`describe_move`,
  :func:`move_mark` ("▲ 150 km²") and the chart's :func:`takeaway`.
- :mod:`briefing.charts.draw`: :func:`draw_chart` (640 × 280) and :func:`draw_sparkline` (160 × 40).
- :mod:`briefing.charts.table`: :func:`table_rows`, the data table in chart order.

Usage::

    from briefing.charts.draw import draw_chart
    from briefing.charts.table import table_rows

    chart = draw_chart(series, points, words, id_prefix="seri-wilayah")
    chart.svg       # '<svg … role="img" aria-labelledby="seri-wilayah-title seri-wilayah-desc">…'
    chart.takeaway  # 'Wilayah …: naik dari 1.000 km² (12 Agu) ke 1.150 km² (15 Agu)'
    rows = table_rows(series, points, words)

Hand-written like the maps (:mod:`briefing.geo.draw`), reusing their number format and escaping
(:mod:`briefing.geo.svg`): a few line charts cost no dependency.
"""
