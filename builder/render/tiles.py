"""Map tile choices: one named type for the CLI, the maps and the Content-Security-Policy.

`none` draws our own district basemap and needs no tile server (the default: the site then works
offline and loads fast from mainland China). The others add a street map from a tile host. Every
map offers 高德 street tiles in its basemap switch (loaded only when chosen), and the build's
`--tiles` choice decides which basemap a map opens with; the Content-Security-Policy allows the
hosts of the basemaps offered.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class TileSource:
    name: str  # as the basemap switch shows it
    url: str  # Leaflet URL template
    attribution: str  # our own constant, shown by Leaflet as HTML
    subdomains: str
    gcj02: bool  # drawn in GCJ-02 (Amap): our WGS84 geometry is shifted to match
    image_host: str  # for the CSP's img-src


class Tiles(str, Enum):
    none = "none"
    osm = "osm"
    amap = "amap"

    @property
    def source(self) -> TileSource | None:
        return _SOURCES.get(self)

    @property
    def help(self) -> str:
        return _HELP[self]


_SOURCES = {
    Tiles.osm: TileSource(
        "OpenStreetMap", "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "&copy; OpenStreetMap contributors", "abc", False,
        "https://tile.openstreetmap.org",
    ),
    Tiles.amap: TileSource(
        "高德街道图", "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
        "&copy; 高德地图", "1234", True, "https://*.is.autonavi.com",
    ),
}  # fmt: skip
_HELP = {
    Tiles.none: "our own district basemap, no tile server",
    Tiles.osm: "OpenStreetMap tiles",
    Tiles.amap: "Amap (高德) tiles, geometry shifted to GCJ-02",
}


OWN_BASEMAP = "本站底图"
SWITCHABLE = (Tiles.amap,)
"""Street tiles every map offers in its basemap switch, fetched only when a visitor picks them."""


def basemap_choices(initial: Tiles) -> list[Tiles]:
    """The basemaps a map offers: ours, the switchable street tiles, and the build's choice."""
    return list(dict.fromkeys([Tiles.none, *SWITCHABLE, initial]))


def tiles_help() -> str:
    return "Map tiles: " + "; ".join(f"{t.value} ({t.help})" for t in Tiles) + "."


def parse_tiles(value: "str | Tiles") -> Tiles:
    """The Tiles member for `value`; ValueError with the choices when it is unknown."""
    try:
        return Tiles(value)
    except ValueError:
        raise ValueError(f"unknown tiles '{value}'; expected one of: {', '.join(t.value for t in Tiles)}") from None
