"""Folium's part of a map script: the map object, its bounds, and calls into the map's spec.

Kept apart from `maps.py` because Folium (with pandas behind it) takes half a second to import,
and a rebuild whose map frames all come from the cache never needs it.
"""

from __future__ import annotations

import folium
from branca.element import MacroElement
from jinja2 import Template

from ..geometry import wgs_to_gcj_point
from .maps import id_prefix
from .tiles import Tiles


class _Quiet:
    """Folium maps without the CDN links Folium adds by default: the site serves Leaflet itself."""

    default_js: list = []
    default_css: list = []


class AtlasFoliumMap(_Quiet, folium.Map):
    pass


class SharedGeoLayer(folium.map.Layer):
    """A Folium layer drawn from the shared geometry; its options live in the map's spec."""

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = AtlasMap.layer({{ this._parent.get_name() }}, AtlasMap.spec("{{ this.slug }}"), {{ this.index }});
{% endmacro %}"""
    )

    def __init__(self, slug: str, index: int):
        super().__init__(control=False)
        self._name = "SharedGeoLayer"
        self.slug, self.index = slug, index


class _SpecCall(MacroElement):
    """`AtlasMap.<function>(map, spec)`: a part of the map whose every text comes from the spec."""

    _template = Template(
        """{% macro script(this, kwargs) %}
AtlasMap.{{ this.function }}({{ this._parent.get_name() }}, AtlasMap.spec("{{ this.slug }}"));
{% endmacro %}"""
    )

    def __init__(self, function: str, slug: str):
        super().__init__()
        self._name = "AtlasMap" + function.title()
        self.function, self.slug = function, slug


def _new_map(bounds, tiles: Tiles) -> AtlasFoliumMap:
    fmap = AtlasFoliumMap(location=None, tiles=None, control_scale=True, prefer_canvas=False, zoom_snap=0.25)
    lon_min, lat_min, lon_max, lat_max = bounds
    if tiles.source and tiles.source.gcj02:  # the map opens on GCJ-02 geometry; so are the bounds
        lon_min, lat_min = wgs_to_gcj_point((lon_min, lat_min))
        lon_max, lat_max = wgs_to_gcj_point((lon_max, lat_max))
    fmap.fit_bounds([[lat_min, lon_min], [lat_max, lon_max]], padding=(12, 12))
    return fmap


def draw(frame) -> tuple[str, str]:
    """The script Folium writes for a `MapFrame`, and the name it gave the map element."""
    fmap = _new_map(frame.bounds, frame.tiles)
    for index in frame.layers:
        SharedGeoLayer(frame.slug, index).add_to(fmap)
    for part in frame.parts:
        _SpecCall(part, frame.slug).add_to(fmap)
    _stable_ids(fmap, frame.slug)
    figure = fmap.get_root()
    figure.render()
    return figure.script.render().strip() + "\n", fmap.get_name()


def _stable_ids(element, slug: str) -> None:
    """Folium names elements with random hex; fixed names keep builds byte-identical."""
    counter = iter(range(10_000))
    prefix = id_prefix(slug)

    def visit(node):
        node._id = f"{prefix}_{next(counter)}"
        for child in node._children.values():
            visit(child)

    visit(element)
