"""Points on the Earth, boxes around them, and the projection of a map frame onto pixels.

Two orders of a coordinate pair meet here: the registry writes ``[lat, lon]``
(``coordinates: [51.73, 36.19]``) and GeoJSON writes ``[lon, lat]``. Nothing
in :mod:`briefing.geo` takes a bare pair: a point is a :class:`LatLon`, made
with :meth:`LatLon.from_registry` or :meth:`LatLon.from_geojson`, so the order
is named where a pair enters and cannot be mixed up afterwards.

The projection is equirectangular with longitudes scaled by the cosine of the
frame's central latitude (a "plate carrée" of the frame's own parallel). At the
1:1M–1:20M scales of a briefing map a frame spans a few hundred to a few
thousand kilometres, where this keeps distances true along the central
parallel and every meridian and shapes close to a conformal projection
(at ±10° of latitude from the centre, east–west distances are off by at most
about 15 % at 50° N); it needs no library, is exact to invert, and keeps north
up with straight parallels, which makes clipping to the frame and a scale bar
trivial. A projection for whole continents is out of its range.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from briefing.frozen import Value

KM_PER_DEGREE = 111.32  # one degree of latitude (and of longitude at the equator), in km


@dataclass(frozen=True, slots=True)
class LatLon(Value):
    """A point on the Earth in degrees: latitude (north positive), longitude (east positive)."""

    lat: float
    lon: float

    def __post_init__(self) -> None:
        if not (-90.0 <= self.lat <= 90.0) or not (-180.0 <= self.lon <= 180.0):
            raise ValueError(f"not a latitude and longitude: lat={self.lat}, lon={self.lon}")

    @classmethod
    def from_registry(cls, pair: Sequence[float]) -> LatLon:
        """From the registry's ``coordinates: [lat, lon]`` (``Place.coordinates``)."""
        lat, lon = pair
        return cls(float(lat), float(lon))

    @classmethod
    def from_geojson(cls, position: Sequence[float]) -> LatLon:
        """From a GeoJSON position ``[lon, lat]`` (an altitude after them is ignored)."""
        return cls(float(position[1]), float(position[0]))


def wrap_longitude(degrees: float) -> float:
    """A longitude difference brought into [-180, 180]; 180 stays 180 (not -180)."""
    while degrees > 180.0:
        degrees -= 360.0
    while degrees < -180.0:
        degrees += 360.0
    return degrees


@dataclass(frozen=True, slots=True)
class Box(Value):
    """A latitude/longitude box; ``west > east`` means it crosses the 180° meridian."""

    south: float
    west: float
    north: float
    east: float

    @property
    def lon_span(self) -> float:
        span = self.east - self.west
        return span if span >= 0 else span + 360.0

    @property
    def lat_span(self) -> float:
        return self.north - self.south

    @property
    def centre(self) -> LatLon:
        lon = wrap_longitude(self.west + self.lon_span / 2)
        return LatLon((self.south + self.north) / 2, lon)

    def contains(self, point: LatLon) -> bool:
        if not self.south <= point.lat <= self.north:
            return False
        return self.lon_span >= 360.0 or (point.lon - self.west) % 360.0 <= self.lon_span

    def intersects(self, other: Box) -> bool:
        """Whether two boxes overlap, across the 180° meridian too."""
        if other.south > self.north or other.north < self.south:
            return False
        if self.lon_span >= 360.0 or other.lon_span >= 360.0:
            return True
        start = (other.west - self.west) % 360.0  # other's west edge, measured eastwards from ours
        return start <= self.lon_span or start + other.lon_span >= 360.0

    def padded(self, fraction: float, min_km: float) -> Box:
        """Grown by ``fraction`` of its size on each side and to at least ``min_km`` each way."""
        centre = self.centre
        cos_lat = max(math.cos(math.radians(centre.lat)), 0.01)
        lat_half = max(self.lat_span * (0.5 + fraction), min_km / KM_PER_DEGREE / 2)
        lon_half = max(self.lon_span * (0.5 + fraction), min_km / KM_PER_DEGREE / cos_lat / 2)
        lon_half = min(lon_half, 180.0)
        south = max(centre.lat - lat_half, -89.0)
        north = min(centre.lat + lat_half, 89.0)
        if lon_half >= 180.0:
            return Box(south, -180.0, north, 180.0)
        return Box(south, wrap_longitude(centre.lon - lon_half), north, wrap_longitude(centre.lon + lon_half))

    @classmethod
    def around(cls, points: Iterable[LatLon]) -> Box | None:
        """The smallest box around the points (across 180° when shorter that way); None if none."""
        points = list(points)
        if not points:
            return None
        lons = sorted({p.lon for p in points})
        # The box leaves out the widest gap between neighbouring longitudes, the gap over 180° included.
        gaps = [(lons[0] + 360.0 - lons[-1], len(lons) - 1)]
        gaps += [(lons[i + 1] - lons[i], i) for i in range(len(lons) - 1)]
        _, after = max(gaps, key=lambda g: (g[0], -g[1]))
        west, east = lons[(after + 1) % len(lons)], lons[after]
        return cls(min(p.lat for p in points), west, max(p.lat for p in points), east)

    @classmethod
    def union(cls, boxes: Iterable[Box]) -> Box | None:
        corners = []
        for box in boxes:
            corners += [LatLon(box.south, box.west), LatLon(box.north, box.east)]
            if box.lon_span > 180.0:  # the corners alone would not tell which way round
                corners.append(LatLon(box.south, wrap_longitude(box.west + box.lon_span / 2)))
        return cls.around(corners)


@dataclass(frozen=True, slots=True)
class Projection(Value):
    """A frame's projection onto a ``width`` × ``height`` pixel canvas, y growing downwards."""

    centre: LatLon
    px_per_degree: float  # pixels per degree of latitude
    width: int
    height: int

    @classmethod
    def fit(cls, frame: Box, width: int, height: int) -> Projection:
        """The projection that shows all of ``frame`` centred on the canvas, the spare side widened."""
        if width <= 0 or height <= 0:
            raise ValueError(f"a map needs a positive size, not {width}×{height} px")
        if frame.lat_span <= 0 or frame.lon_span <= 0:
            raise ValueError(f"a map frame needs an extent, not {frame}")
        centre = frame.centre
        cos_lat = max(math.cos(math.radians(centre.lat)), 0.01)
        scale = min(width / (frame.lon_span * cos_lat), height / frame.lat_span)
        return cls(centre, scale, width, height)

    @property
    def cos_lat(self) -> float:
        return max(math.cos(math.radians(self.centre.lat)), 0.01)

    @property
    def km_per_px(self) -> float:
        """Kilometres per pixel, true along the central parallel and along meridians."""
        return KM_PER_DEGREE / self.px_per_degree

    def to_px(self, point: LatLon) -> tuple[float, float]:
        """The pixel ``(x, y)`` of a point."""
        return self.lonlat_to_px(point.lon, point.lat)

    def lonlat_to_px(self, lon: float, lat: float) -> tuple[float, float]:
        """The pixel ``(x, y)`` of a longitude and latitude, given in that (x, y) order."""
        x = self.width / 2 + wrap_longitude(lon - self.centre.lon) * self.cos_lat * self.px_per_degree
        y = self.height / 2 - (lat - self.centre.lat) * self.px_per_degree
        return x, y

    def to_latlon(self, x: float, y: float) -> LatLon:
        """The point at pixel ``(x, y)``; the inverse of :meth:`to_px`."""
        lat = self.centre.lat - (y - self.height / 2) / self.px_per_degree
        lon = self.centre.lon + (x - self.width / 2) / (self.cos_lat * self.px_per_degree)
        return LatLon(max(-90.0, min(90.0, lat)), wrap_longitude(lon))

    def visible(self, margin_px: float = 0.0) -> Box:
        """The latitude/longitude box of the canvas, grown by ``margin_px`` on every side."""
        lat_half = (self.height / 2 + margin_px) / self.px_per_degree
        lon_half = (self.width / 2 + margin_px) / (self.cos_lat * self.px_per_degree)
        south = max(self.centre.lat - lat_half, -90.0)
        north = min(self.centre.lat + lat_half, 90.0)
        if lon_half >= 180.0:
            return Box(south, -180.0, north, 180.0)
        lon = self.centre.lon
        return Box(south, wrap_longitude(lon - lon_half), north, wrap_longitude(lon + lon_half))

    def lonlat_path_to_px(self, points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
        """Pixels of a line given as ``(lon, lat)`` pairs, kept in one piece across the 180° meridian.

        Longitudes are unwrapped along the line, then the whole line moves by 360° if its middle
        is on the far side of the globe: a line never jumps across the picture.
        """
        if not points:
            return []
        lon0 = self.centre.lon
        rel: list[float] = []
        previous = points[0][0]
        offset = wrap_longitude(previous - lon0)
        for lon, _ in points:
            offset += wrap_longitude(lon - previous)
            previous = lon
            rel.append(offset)
        middle = (min(rel) + max(rel)) / 2
        shift = -360.0 if middle > 180.0 else 360.0 if middle < -180.0 else 0.0
        kx = self.cos_lat * self.px_per_degree
        k = self.px_per_degree
        cx, cy, lat0 = self.width / 2, self.height / 2, self.centre.lat
        return [(cx + (d + shift) * kx, cy - (lat - lat0) * k)
                for d, (_, lat) in zip(rel, points, strict=True)]
