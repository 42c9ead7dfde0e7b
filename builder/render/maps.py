"""Maps: Folium builds each map; geometry comes from one shared file, text from a JSON spec.

Folium writes the map object, bounds and tiles. Branca compiles every rendered element's output
again as a Jinja template, so nothing taken from content may ever reach a Folium template: every
name, label and note a map shows goes into the map's *spec*, a JSON object that Python serialises
(`json.dumps`, never a template) at the top of the map's script file. Folium's templates only
carry our own identifiers and indices into that spec (`AtlasMap.spec("place-x").layers[3]`).

`SharedGeoLayer` is a Folium `Layer` whose script asks our client (`assets/atlas/atlas-map.js`)
to fetch the shared `atlas.geojson` once and draw the features it selects; the client turns
every text into DOM text nodes or HTML it escaped itself. Leaflet is served from the site
(`assets/vendor/leaflet/`), so no page needs a CDN.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import folium
from branca.element import MacroElement
from jinja2 import Template
from shapely.ops import unary_union

from ..atlas import Atlas, url_for
from ..model import Place, Precision
from ..geometry import wgs_to_gcj_point
from .geodata import GEO_URL
from .palette import cluster_colors
from .tiles import Tiles

MAP_JS_DIR = "assets/atlas/maps"

PARK_STYLE = {"color": "#c2410c", "weight": 2.5, "fillColor": "#fb923c", "fillOpacity": 0.18, "dashArray": "6 4"}
DISTRICT_STYLE = {"color": "#94a3b8", "weight": 1, "fillColor": "#ffffff", "fillOpacity": 1}
FOCUS_DISTRICT_STYLE = {"color": "#334155", "weight": 2.5, "fillColor": "#f8fafc", "fillOpacity": 1}
PLACE_CONTEXT_DEG = 0.03  # ~3 km of surroundings around a single place
SHADED_DISTRICT_STYLE = {"color": "#6366f1", "weight": 1.5, "fillColor": "#c7d2fe", "fillOpacity": 0.55}
POINT_STYLE = {"color": "#c2410c", "weight": 2, "fillColor": "#fff7ed", "fillOpacity": 0.95, "radius": 6}
EDITORIAL_STYLE = {"color": "#6b7280", "weight": 2, "fillColor": "#f3f4f6", "fillOpacity": 0.9, "radius": 6, "dashArray": "3 3"}
EDITORIAL_AREA_STYLE = {"color": "#6b7280", "weight": 2, "fillColor": "#9ca3af", "fillOpacity": 0.15, "dashArray": "3 3"}


class _Quiet:
    """Folium maps without the CDN links Folium adds by default: the site serves Leaflet itself."""

    default_js: list = []
    default_css: list = []


class AtlasFoliumMap(_Quiet, folium.Map):
    pass


_SLUG = re.compile(r"^[a-z0-9-]+$")


@dataclass
class MapSpec:
    """The data of one map, as JSON: layer options (with names) and the legend.

    `ref()` gives the JavaScript expression Folium's templates use to reach an entry; it contains
    only the map's slug (an ASCII id we checked) and an index, never content.
    """

    slug: str
    layers: list[dict] = field(default_factory=list)
    legend: dict | None = None

    def __post_init__(self):
        if not _SLUG.match(self.slug):
            raise ValueError(f"map slug must be an ASCII id, got {self.slug!r}")

    def add_layer(self, options: dict) -> str:
        self.layers.append(options)
        return f'AtlasMap.spec("{self.slug}").layers[{len(self.layers) - 1}]'

    def script(self) -> str:
        data = {"layers": self.layers, "legend": self.legend}
        payload = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return f'AtlasMap.define("{self.slug}", {payload});\n'


class SharedGeoLayer(folium.map.Layer):
    """A Folium layer drawn from the shared atlas.geojson; its options live in the map's spec."""

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = AtlasMap.layer({{ this._parent.get_name() }}, {{ this.spec_ref }});
{% endmacro %}"""
    )

    def __init__(self, spec: MapSpec, name: str, select: dict, style: dict, *, popup=True, label=None, cls=None, control=True, **kwargs):
        super().__init__(control=control, **kwargs)
        self._name = "SharedGeoLayer"
        self.spec_ref = spec.add_layer(
            {
                "name": name if control else None,
                "geo": GEO_URL,
                "select": select,
                "style": style,
                "popup": popup,
                "label": label,
                "cls": cls or "atlas-feature",
            }
        )


class _SpecCall(MacroElement):
    """`AtlasMap.<function>(map, spec)`: a control whose every text comes from the spec."""

    _template = Template(
        """{% macro script(this, kwargs) %}
AtlasMap.{{ this.function }}({{ this._parent.get_name() }}, AtlasMap.spec("{{ this.slug }}"));
{% endmacro %}"""
    )

    def __init__(self, function: str, spec: MapSpec):
        super().__init__()
        self._name = "AtlasMap" + function.title()
        self.function, self.slug = function, spec.slug


@dataclass(frozen=True)
class RenderedMap:
    """What a page needs: the map's div (HTML) and its script file (path and text)."""

    html: str
    script_path: str
    script: str


def _new_map(bounds, tiles: Tiles) -> AtlasFoliumMap:
    fmap = AtlasFoliumMap(location=None, tiles=None, control_scale=True, prefer_canvas=False, zoom_snap=0.25)
    tile = tiles.source
    lon_min, lat_min, lon_max, lat_max = bounds
    if tile:
        folium.TileLayer(tile.url, attr=tile.attribution, subdomains=tile.subdomains, name="底图", control=False, max_zoom=18).add_to(fmap)
        if tile.gcj02:  # the shared geometry is shifted to GCJ-02 for these tiles; so are the bounds
            lon_min, lat_min = wgs_to_gcj_point((lon_min, lat_min))
            lon_max, lat_max = wgs_to_gcj_point((lon_max, lat_max))
    fmap.fit_bounds([[lat_min, lon_min], [lat_max, lon_max]], padding=(12, 12))
    return fmap


def _basemap(fmap, spec: MapSpec, focus_district: str | None, shade: list[str], tiles: Tiles) -> None:
    """Our own district geometry as the basemap: maps work with no tile server at all."""
    style = DISTRICT_STYLE if tiles is Tiles.none else {**DISTRICT_STYLE, "fillOpacity": 0.0}
    SharedGeoLayer(spec, "行政区", {"kind": "district"}, style, popup=True, label="permanent", cls="atlas-district", control=False).add_to(fmap)
    if shade:
        SharedGeoLayer(spec, "布局行政区", {"kind": "district", "ids": shade}, SHADED_DISTRICT_STYLE, popup=False, cls="atlas-district-shaded", overlay=True).add_to(fmap)
    if focus_district:
        SharedGeoLayer(spec, "本区", {"kind": "district", "ids": [focus_district]}, FOCUS_DISTRICT_STYLE, popup=False, cls="atlas-district-focus", control=False).add_to(fmap)


def _place_layers(atlas: Atlas, fmap, spec: MapSpec, places: list[Place], colors: dict[str, str], city_wide: bool, only: set[str] | None) -> list[dict]:
    """All places outlined in one layer; one overlay per cluster fills the places that host it.

    City-wide maps group by city cluster (district clusters fold into the city cluster they map to),
    so the layer list stays the city's 20+8; local maps group by the clusters the plan names.
    """
    legend = []
    clusters_of = {p.id: (atlas.city_clusters_of(p) if city_wide else p.clusters) for p in places}
    used = [cid for cid in atlas.clusters if any(cid in clusters_of[p.id] for p in places) and (only is None or cid in only)]
    for cid in used:
        hosts = [p.id for p in places if cid in clusters_of[p.id]]
        style = {"color": colors[cid], "weight": 1, "fillColor": colors[cid], "fillOpacity": 0.28, "radius": 9}
        name = atlas.clusters[cid].name
        SharedGeoLayer(spec, f"集群：{name}", {"kind": "place", "ids": hosts}, style, cls=f"atlas-cluster atlas-cluster-{cid}", overlay=True).add_to(fmap)
        legend.append({"color": colors[cid], "label": name, "url": url_for(atlas.clusters[cid])})
    editorial = {p.id for p in places if p.geometry.precision is Precision.editorial}
    polygons = [p.id for p in places if atlas.shape_of(p).geom.geom_type != "Point" and p.id not in editorial]
    points = [p.id for p in places if atlas.shape_of(p).geom.geom_type == "Point" and p.id not in editorial]
    if polygons:
        SharedGeoLayer(spec, "园区范围", {"kind": "place", "ids": polygons}, PARK_STYLE, label="hover", cls="atlas-place", overlay=True).add_to(fmap)
    if points:
        SharedGeoLayer(spec, "地点（近似位置）", {"kind": "place", "ids": points}, POINT_STYLE, label="hover", cls="atlas-place atlas-point", overlay=True).add_to(fmap)
    editorial_areas = [p.id for p in places if p.id in editorial and atlas.shape_of(p).geom.geom_type != "Point"]
    editorial_points = [p.id for p in places if p.id in editorial and atlas.shape_of(p).geom.geom_type == "Point"]
    if editorial_areas:
        SharedGeoLayer(spec, "范围（编者推定）", {"kind": "place", "ids": editorial_areas}, EDITORIAL_AREA_STYLE, label="hover", cls="atlas-place atlas-editorial", overlay=True).add_to(fmap)
    if editorial_points:
        SharedGeoLayer(spec, "地点（编者推定）", {"kind": "place", "ids": editorial_points}, EDITORIAL_STYLE, label="hover", cls="atlas-place atlas-editorial atlas-point", overlay=True).add_to(fmap)
    return legend


def render_map(
    atlas: Atlas,
    slug: str,
    places: list[Place],
    focus_district: str | None,
    root: str,
    tiles: Tiles = Tiles.none,
    extra_bounds=None,
    city_wide: bool = False,
    finder: bool = False,
    shade: list[str] = (),
    only_clusters: set[str] | None = None,
) -> RenderedMap:
    """One Folium map: basemap, places by cluster, legend, layer control (and a find-by-name box)."""
    colors = cluster_colors(atlas)
    spec = MapSpec(slug)
    places = [p for p in places if atlas.shape_of(p)]
    shapes = [atlas.shape_of(p).geom for p in places if atlas.shape_of(p)]
    if len(shapes) == 1:  # one place: show it with its surroundings, not the whole district
        shapes = [shapes[0].buffer(PLACE_CONTEXT_DEG)]
    elif focus_district and atlas.district_shape(focus_district):
        shapes.append(atlas.district_shape(focus_district).geom)
    shapes += [atlas.district_shape(d).geom for d in shade if atlas.district_shape(d)]
    if extra_bounds is not None:
        shapes.append(extra_bounds)
    if not shapes:
        shapes = [s.geom for s in atlas.district_shapes.values() if s.properties.get("precision") != Precision.schematic.value]
    fmap = _new_map(unary_union(shapes).bounds, tiles)
    _basemap(fmap, spec, focus_district, list(shade), tiles)
    legend = _place_layers(atlas, fmap, spec, places, colors, city_wide, only_clusters)
    precisions = {p.geometry.precision for p in places}
    if Precision.schematic in precisions:
        legend.append({"color": PARK_STYLE["color"], "label": "园区范围（示意范围）", "outline": True})
    if Precision.approximate in precisions:
        legend.append({"color": POINT_STYLE["color"], "label": "地点（近似位置）", "outline": True, "point": True})
    if Precision.editorial in precisions:
        legend.append({"color": EDITORIAL_STYLE["color"], "label": "地点（编者推定）", "outline": True, "point": True})
    notes = [p.explanation for p in (Precision.schematic, Precision.approximate, Precision.editorial) if p in precisions]
    notes.append("仅区级地点：点击行政区查看")
    spec.legend = {"title": "产业集群", "items": legend, "note": "；".join(notes)}
    _SpecCall("legend", spec).add_to(fmap)
    if finder:
        _SpecCall("finder", spec).add_to(fmap)
    _SpecCall("layerControl", spec).add_to(fmap)
    return _finish(fmap, spec, root)


def _finish(fmap, spec: MapSpec, root: str) -> RenderedMap:
    _stable_ids(fmap, spec.slug)
    figure = fmap.get_root()
    figure.render()
    script = spec.script() + figure.script.render().strip() + "\n"
    div_id = fmap.get_name()
    html = (
        f'<div class="atlas-map" data-atlas-root="{root}">'
        f'<div class="folium-map" id="{div_id}" role="region" aria-label="地图"></div></div>\n'
        f'<script src="{root}{MAP_JS_DIR}/{spec.slug}.js" defer></script>'
    )
    return RenderedMap(html=html, script_path=f"{MAP_JS_DIR}/{spec.slug}.js", script=script)


def _stable_ids(element, slug: str) -> None:
    """Folium names elements with random hex; fixed names keep builds byte-identical."""
    counter = iter(range(10_000))
    prefix = slug.replace("/", "_").replace("-", "_")

    def visit(node):
        node._id = f"{prefix}_{next(counter)}"
        for child in node._children.values():
            visit(child)

    visit(element)
