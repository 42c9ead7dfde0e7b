"""Map tile choices: one named type for the CLI, the maps and the Content-Security-Policy.

`none` draws our own district basemap and needs no tile server (the default: the site then works
offline and loads fast from mainland China). The others add a street map from a tile host, which
the page's Content-Security-Policy must then allow for images.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class TileSource:
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
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "&copy; OpenStreetMap contributors", "abc", False,
        "https://tile.openstreetmap.org",
    ),
    Tiles.amap: TileSource(
        "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
        "&copy; 高德地图", "1234", True, "https://*.is.autonavi.com",
    ),
}  # fmt: skip
_HELP = {
    Tiles.none: "our own district basemap, no tile server",
    Tiles.osm: "OpenStreetMap tiles",
    Tiles.amap: "Amap (高德) tiles, geometry shifted to GCJ-02",
}


def tiles_help() -> str:
    return "Map tiles: " + "; ".join(f"{t.value} ({t.help})" for t in Tiles) + "."


def parse_tiles(value: "str | Tiles") -> Tiles:
    """The Tiles member for `value`; ValueError with the choices when it is unknown."""
    try:
        return Tiles(value)
    except ValueError:
        raise ValueError(f"unknown tiles '{value}'; expected one of: {', '.join(t.value for t in Tiles)}") from None
