"""Maps drawn at build time: the shipped base geography, a projection, clipping and an SVG drawer.

- :mod:`briefing.geo.data`: every first-level region (ISO 3166-2) and country of the world,
  from Natural Earth, borders as the UN recognises them (Crimea is Ukraine).
- :mod:`briefing.geo.project`: :class:`LatLon` (the order of a pair is named where it enters),
  boxes, and the equirectangular projection of a map frame.
- :mod:`briefing.geo.spec`: :class:`MapSpec`, what a map shows, and :func:`frame_around`.
- :mod:`briefing.geo.draw`: :func:`draw_map`, a spec to one self-contained SVG string.

Usage::

    from briefing.geo.draw import draw_map
    from briefing.geo.project import LatLon
    from briefing.geo.spec import Emphasis, MapSpec, Marker, Shade, frame_around

    sudzha = Marker(LatLon.from_registry([51.19, 35.27]), "Sudzha", number=1)
    frame = frame_around([sudzha.at], ["RU-KRS", "UA-59"])
    if frame is not None:  # None: nothing to locate, so no map
        svg = draw_map(MapSpec(frame=frame, title="Peta Sudzha", description="...", id_prefix="peta-1",
                               language="id", shades=(Shade("RU-KRS"), Shade("UA-59", Emphasis.CONTEXT)),
                               markers=(sudzha,)))

The clipping (:mod:`~briefing.geo.clip`), thinning (:mod:`~briefing.geo.thin`), label placement
(:mod:`~briefing.geo.labels`) and SVG text (:mod:`~briefing.geo.svg`) are the drawer's parts.
"""
