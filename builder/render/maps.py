"""Maps: Folium builds each map; geometry comes from one shared file.

Folium writes the map object, layer control and bounds. Its stock GeoJson layer would inline the
geometry into every page (or load it with synchronous jQuery), so `SharedGeoLayer` below is a
Folium `Layer` whose script asks our small client (`assets/atlas/atlas-map.js`) to fetch the
shared `atlas.geojson` once and draw the features it selects. Leaflet itself is served from the
site (`assets/vendor/leaflet/`), so no page needs a CDN.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import folium
from branca.element import MacroElement
from jinja2 import Template
from shapely.geometry import mapping
from shapely.ops import polylabel, unary_union

from ..atlas import Atlas, url_for
from ..geometry import rounded
from ..model import Place, Precision

GEO_URL = "assets/atlas/geo/atlas.geojson"
MAP_JS_DIR = "assets/atlas/maps"

CLUSTER_PALETTE = [
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf",
    "#e377c2", "#8c564b", "#bcbd22", "#393b79", "#637939", "#843c39",
]  # fmt: skip
PARK_STYLE = {"color": "#c2410c", "weight": 2.5, "fillColor": "#fb923c", "fillOpacity": 0.18, "dashArray": "6 4"}
DISTRICT_STYLE = {"color": "#94a3b8", "weight": 1, "fillColor": "#ffffff", "fillOpacity": 1}
FOCUS_DISTRICT_STYLE = {"color": "#334155", "weight": 2.5, "fillColor": "#f8fafc", "fillOpacity": 1}
PLACE_CONTEXT_DEG = 0.03  # ~3 km of surroundings around a single place
TILES = {
    "none": None,
    "osm": ("OpenStreetMap", "&copy; OpenStreetMap contributors"),
}


class _Quiet:
    """Folium maps without the CDN links Folium adds by default: the site serves Leaflet itself."""

    default_js: list = []
    default_css: list = []


class AtlasFoliumMap(_Quiet, folium.Map):
    pass


class SharedGeoLayer(folium.map.Layer):
    """A Folium layer drawn from the shared atlas.geojson instead of inlined data."""

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = AtlasMap.layer({{ this._parent.get_name() }}, {{ this.options|tojson }});
{% endmacro %}"""
    )

    def __init__(self, name: str, select: dict, style: dict, *, popup=True, label=None, cls=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self._name = "SharedGeoLayer"
        self.options = {
            "geo": GEO_URL,
            "select": select,
            "style": style,
            "popup": popup,
            "label": label,
            "cls": cls or "atlas-feature",
        }


class Legend(MacroElement):
    _template = Template(
        """{% macro script(this, kwargs) %}
AtlasMap.legend({{ this._parent.get_name() }}, {{ this.title|tojson }}, {{ this.items|tojson }}, {{ this.note|tojson }});
{% endmacro %}"""
    )

    def __init__(self, title: str, items: list[dict], note: str | None = None):
        super().__init__()
        self._name = "Legend"
        self.title, self.items, self.note = title, items, note


@dataclass(frozen=True)
class RenderedMap:
    """What a page needs: the map's div (HTML) and its script file (path and text)."""

    html: str
    script_path: str
    script: str


def cluster_colors(atlas: Atlas) -> dict[str, str]:
    return {cid: CLUSTER_PALETTE[i % len(CLUSTER_PALETTE)] for i, cid in enumerate(atlas.clusters)}


def shared_geojson(atlas: Atlas) -> str:
    """The one geometry file all maps read: districts, places, and cluster names/colours."""
    colors = cluster_colors(atlas)
    features = []
    for district in atlas.districts.values():
        shape = atlas.district_shapes.get(district.geometry)
        if shape:
            features.append(_feature(district.id, shape.geom, district.label_at, kind="district", name=district.name, url=url_for(district)))
    known = {d.geometry for d in atlas.districts.values()}
    for feature_id, shape in sorted(atlas.district_shapes.items()):
        if feature_id not in known:  # districts no plan covers yet still draw the basemap
            features.append(_feature(feature_id, shape.geom, kind="district", name=shape.properties.get("name", feature_id), url=""))
    for place in atlas.places.values():
        shape = atlas.shape_of(place)
        if shape:
            features.append(_place_feature(atlas, place, shape.geom))
    clusters = {
        cid: {"name": c.name, "url": url_for(c), "color": colors[cid]} for cid, c in atlas.clusters.items()
    }
    collection = {"type": "FeatureCollection", "clusters": clusters, "features": features}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"


def _feature(feature_id: str, geom, label_at=None, **properties) -> dict:
    label_at = label_at or _label_point(geom)
    return {
        "type": "Feature",
        "id": feature_id,
        "properties": {"id": feature_id, "label_at": [round(label_at[0], 5), round(label_at[1], 5)], **properties},
        "geometry": mapping(rounded(geom)),
    }


def _label_point(geom) -> tuple[float, float]:
    """Where a name reads best: the pole of inaccessibility of the largest part."""
    largest = max(getattr(geom, "geoms", [geom]), key=lambda part: part.area)
    point = polylabel(largest, tolerance=0.0005) if largest.geom_type == "Polygon" else largest.representative_point()
    return point.x, point.y


def _place_feature(atlas: Atlas, place: Place, geom) -> dict:
    district = atlas.districts.get(place.district)
    return _feature(
        place.id,
        geom,
        kind="place",
        name=place.name,
        url=url_for(place),
        place_kind=place.kind.value,
        district=place.district,
        district_name=district.name if district else "",
        clusters=place.clusters,
        precision=place.geometry.precision.value,
        precision_note=place.geometry.precision.explanation,
    )


def _new_map(slug: str, bounds, tiles: str) -> AtlasFoliumMap:
    tile = TILES[tiles]
    fmap = AtlasFoliumMap(
        location=None,
        tiles=tile[0] if tile else None,
        attr=tile[1] if tile else None,
        control_scale=True,
        prefer_canvas=False,
        zoom_snap=0.25,
    )
    (lon_min, lat_min, lon_max, lat_max) = bounds
    fmap.fit_bounds([[lat_min, lon_min], [lat_max, lon_max]], padding=(12, 12))
    fmap._atlas_slug = slug
    return fmap


def _basemap(fmap, focus_district: str | None) -> None:
    """Our own district geometry as the basemap: maps work with no tile server at all."""
    SharedGeoLayer("行政区", {"kind": "district"}, DISTRICT_STYLE, popup=False, label="permanent", cls="atlas-district", control=False).add_to(fmap)
    if focus_district:
        SharedGeoLayer("本区", {"kind": "district", "ids": [focus_district]}, FOCUS_DISTRICT_STYLE, popup=False, cls="atlas-district-focus", control=False).add_to(fmap)


def _park_layers(atlas: Atlas, fmap, places: list[Place], colors: dict[str, str]) -> list[dict]:
    """Parks outlined in one layer; one overlay per cluster fills the parks that host it."""
    legend = []
    used = [cid for cid in atlas.clusters if any(cid in p.clusters for p in places)]
    for cid in used:
        hosts = [p.id for p in places if cid in p.clusters]
        style = {"color": colors[cid], "weight": 1, "fillColor": colors[cid], "fillOpacity": 0.28}
        name = atlas.clusters[cid].name
        SharedGeoLayer(f"集群：{name}", {"kind": "place", "ids": hosts}, style, cls=f"atlas-cluster atlas-cluster-{cid}", overlay=True).add_to(fmap)
        legend.append({"color": colors[cid], "label": name, "url": url_for(atlas.clusters[cid])})
    SharedGeoLayer("园区范围", {"kind": "place", "ids": [p.id for p in places]}, PARK_STYLE, label="hover", cls="atlas-place", overlay=True).add_to(fmap)
    return legend


def render_map(atlas: Atlas, slug: str, places: list[Place], focus_district: str | None, root: str, tiles: str = "none", extra_bounds=None) -> RenderedMap:
    """One Folium map: basemap, parks by cluster, legend, layer control."""
    colors = cluster_colors(atlas)
    shapes = [atlas.shape_of(p).geom for p in places if atlas.shape_of(p)]
    if len(shapes) == 1:  # one place: show it with its surroundings, not the whole district
        shapes = [shapes[0].buffer(PLACE_CONTEXT_DEG)]
    elif focus_district and atlas.district_shape(focus_district):
        shapes.append(atlas.district_shape(focus_district).geom)
    if extra_bounds is not None:
        shapes.append(extra_bounds)
    if not shapes:
        shapes = [s.geom for s in atlas.district_shapes.values()]
    fmap = _new_map(slug, unary_union(shapes).bounds, tiles)
    _basemap(fmap, focus_district)
    legend = _park_layers(atlas, fmap, places, colors)
    legend.append({"color": PARK_STYLE["color"], "label": "园区范围（示意）", "outline": True})
    note = Precision.schematic.explanation if any(p.geometry.precision is Precision.schematic for p in places) else None
    Legend("产业集群", legend, note).add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    return _finish(fmap, slug, root)


def _finish(fmap, slug: str, root: str) -> RenderedMap:
    _stable_ids(fmap, slug)
    figure = fmap.get_root()
    figure.render()
    script = figure.script.render().strip() + "\n"
    div_id = fmap.get_name()
    html = (
        f'<div class="atlas-map" data-atlas-root="{root}">'
        f'<div class="folium-map" id="{div_id}" role="region" aria-label="地图"></div></div>\n'
        f'<script src="{root}{MAP_JS_DIR}/{slug}.js" defer></script>'
    )
    return RenderedMap(html=html, script_path=f"{MAP_JS_DIR}/{slug}.js", script=script)


def _stable_ids(element, slug: str) -> None:
    """Folium names elements with random hex; fixed names keep builds byte-identical."""
    counter = iter(range(10_000))
    prefix = slug.replace("/", "_").replace("-", "_")

    def visit(node):
        node._id = f"{prefix}_{next(counter)}"
        for child in node._children.values():
            visit(child)

    visit(element)
