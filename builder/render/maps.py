"""Maps: Folium builds each map; geometry comes from one shared file, text from a JSON spec.

Folium writes the map object and its bounds. Branca compiles every rendered element's output
again as a Jinja template, so nothing taken from content may ever reach a Folium template: every
name, label and note a map shows goes into the map's *spec*, a JSON object that Python serialises
(`json.dumps`, never a template) at the top of the map's script file. Folium's templates only
carry our own identifiers and indices into that spec (`AtlasMap.spec("place-x")`, layer 0).

The client (`assets/atlas/atlas-map.js`) fetches the shared geometry once (WGS84, or the GCJ-02
copy for 高德 tiles), draws the districts as our own basemap and every place once, filled with its
clusters' colours and outlined by its kind (`mapstyle.py`), and offers a cluster filter (kept in
the URL as `?cluster=…`) and a basemap switch. It turns every text into DOM text nodes or HTML
it escaped itself. Leaflet is served from the site (`assets/vendor/leaflet/`): no CDN.
"""

from __future__ import annotations

import json
import re
from html import escape
from dataclasses import dataclass, field


from ..atlas import Atlas, url_for
from ..model import Place, Precision
from .english_pages import PRECISION_NOTES, EnglishText
from .geodata import GEO_GCJ_URL, GEO_URL
from .mapstyle import (
    DISTRICT_STYLE, FOCUS_DISTRICT_STYLE, KIND_OUTLINE, NO_CLUSTER_FILL, OUTLINES, SHADED_DISTRICT_STYLE, legend_shapes,
)  # fmt: skip
from .palette import cluster_colors
from .tiles import OWN_BASEMAP, Tiles, basemap_choices

MAP_JS_DIR = "assets/atlas/maps"
MAP_ASSETS = (
    "assets/vendor/leaflet/leaflet.css", "assets/vendor/leaflet/leaflet.js", "assets/atlas/atlas-map.js",
    "assets/atlas/atlas-map-controls.js",
)  # fmt: skip
"""Loaded by the pages that have a map, and only by them."""
PLACE_CONTEXT_DEG = 0.03  # ~3 km of surroundings around a single place


_SLUG = re.compile(r"^[a-z0-9-]+$")


@dataclass
class MapSpec:
    """The data of one map, as JSON: layers, places and their clusters, legend, basemaps.

    Folium's templates reach an entry by the map's slug (an ASCII id we checked) and an index,
    never by content.
    """

    slug: str
    layers: list[dict] = field(default_factory=list)
    places: dict | None = None
    legend: dict | None = None
    basemaps: dict | None = None
    lang: str = "zh"

    def __post_init__(self):
        if not _SLUG.match(self.slug):
            raise ValueError(f"map slug must be an ASCII id, got {self.slug!r}")

    def add_layer(self, options: dict) -> int:
        self.layers.append(options)
        return len(self.layers) - 1

    def script(self) -> str:
        data = {"layers": self.layers, "places": self.places, "legend": self.legend, "basemaps": self.basemaps}
        if self.lang != "zh":
            data["lang"] = self.lang
        payload = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return f'AtlasMap.define("{self.slug}", {payload});\n'


@dataclass(frozen=True)
class RenderedMap:
    """What a page needs: the map's div and scripts (HTML) and its script file (path and text)."""

    html: str
    script_path: str
    script: str


def _basemaps(tiles: Tiles) -> dict:
    choices = []
    for choice in basemap_choices(tiles):
        source = choice.source
        entry = {"id": choice.value, "name": source.name if source else OWN_BASEMAP}
        if source:
            entry.update(url=source.url, subdomains=source.subdomains, attribution=source.attribution, gcj=source.gcj02)
        choices.append(entry)
    return {"initial": tiles.value, "choices": choices, "geo": {"wgs": GEO_URL, "gcj": GEO_GCJ_URL}}


def _district_layers(spec: MapSpec, focus_district: str | None, shade: list[str]) -> list[int]:
    """Our own district geometry as the basemap: maps work with no tile server at all."""
    layers = [_layer(spec, {"kind": "district"}, DISTRICT_STYLE, popup=True, label="permanent", cls="atlas-district")]
    if shade:
        layers.append(_layer(spec, {"kind": "district", "ids": shade}, SHADED_DISTRICT_STYLE, popup=False, cls="atlas-district-shaded"))
    if focus_district:
        layers.append(_layer(spec, {"kind": "district", "ids": [focus_district]}, FOCUS_DISTRICT_STYLE, popup=False, cls="atlas-district-focus"))
    return layers


def _layer(spec: MapSpec, select: dict, style: dict, *, popup: bool, label=None, cls=None) -> int:
    return spec.add_layer({"select": select, "style": style, "popup": popup, "label": label, "cls": cls or "atlas-feature"})


def _places(atlas: Atlas, spec: MapSpec, places: list[Place], city_wide: bool, only: set[str] | None, name_of=None) -> list[dict]:
    """Every place once, with the clusters it is filled by on this map; returns the legend rows.

    City-wide maps group by city cluster (district clusters fold into the city cluster they map to),
    so the filter lists the city's 20+8; local maps group by the clusters the plans name.
    """
    colors = cluster_colors(atlas)
    clusters_of = {p.id: [c for c in (atlas.city_clusters_of(p) if city_wide else p.clusters) if only is None or c in only] for p in places}
    used = [cid for cid in atlas.clusters if any(cid in clusters_of[p.id] for p in places)]
    index = {cid: i for i, cid in enumerate(used)}
    spec.places = {
        "ids": [p.id for p in places],
        "clusters": used,
        "hosts": {p.id: [index[c] for c in clusters_of[p.id]] for p in places if clusters_of[p.id]},
        "outlines": OUTLINES,
        "kinds": KIND_OUTLINE,
        "editorial": Precision.editorial.value,
        "none": NO_CLUSTER_FILL,
        # Where each cluster is laid out: shaded when the filter shows it alone or with a few others.
        "districts": {cid: _laid_out_in(atlas, atlas.clusters[cid]) for cid in used},
        "shaded": SHADED_DISTRICT_STYLE,
    }
    name_of = name_of or (lambda cluster: cluster.name)
    return [{"id": cid, "color": colors[cid], "label": name_of(atlas.clusters[cid]), "url": url_for(atlas.clusters[cid])} for cid in used]


def _laid_out_in(atlas: Atlas, cluster) -> list[str]:
    """Districts the opinion lists for a cluster, those an action plan gives a role, or a district cluster's own."""
    roles = [r.district for r in atlas.roles_by_cluster.get(cluster.id, []) if r.district]
    return list(dict.fromkeys([d.id for d in atlas.districts_of(cluster)] + roles))


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
    cache: MapFrames | None = None,
    lang: str = "zh",
) -> RenderedMap:
    """One map: our district basemap, the places filled by cluster, legend and filter, basemap switch."""
    spec = MapSpec(slug)
    places = drawn_places(atlas, places)
    shapes = [atlas.shape_of(p).geom for p in places]
    if len(shapes) == 1:  # one place: show it with its surroundings, not the whole district
        shapes = [shapes[0].buffer(PLACE_CONTEXT_DEG)]
    elif focus_district and atlas.district_shape(focus_district):
        shapes.append(atlas.district_shape(focus_district).geom)
    shapes += [atlas.district_shape(d).geom for d in shade if atlas.district_shape(d)]
    if extra_bounds is not None:
        shapes.append(extra_bounds)
    if not shapes:
        shapes = [s.geom for s in atlas.district_shapes.values() if s.properties.get("precision") != Precision.schematic.value]
    spec.basemaps = _basemaps(tiles)
    layers = _district_layers(spec, focus_district, list(shade))
    english = EnglishText(atlas) if lang == "en" else None
    clusters = _places(atlas, spec, places, city_wide, only_clusters, english.plain if english else None)
    precisions = {p.geometry.precision for p in places}
    shown = [p for p in (Precision.schematic, Precision.approximate, Precision.editorial) if p in precisions]
    if english:
        notes = [PRECISION_NOTES[p] for p in shown] + ["Places located only by district: click the district"]
    else:
        notes = [p.explanation for p in shown] + ["仅区级地点：点击行政区查看"]
    spec.legend = {
        "title": "Industry clusters" if english else "产业集群", "clusters": clusters,
        "shapes": legend_shapes(places, atlas.shape_of, lang), "note": ("; " if english else "；").join(notes),
    }  # fmt: skip
    spec.lang = lang
    parts = ["places", "legend", *(["finder"] if finder else []), "basemapSwitch"]
    frame = MapFrame(slug, _bounds(shapes), tiles, tuple(layers), tuple(parts))
    script = spec.script() + (cache.frame(frame) if cache else frame.script())
    return RenderedMap(html=map_html(slug, root, lang), script_path=map_script_path(slug), script=script)


def _bounds(shapes: list) -> tuple[float, float, float, float]:
    """The box around all shapes: the bounds of their union, without computing the union (which
    cost more than drawing a map whose other parts are cached)."""
    boxes = [shape.bounds for shape in shapes if not shape.is_empty]
    if not boxes:  # as the union of nothing: no bounds
        return (float("nan"),) * 4
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def map_script_path(slug: str) -> str:
    return f"{MAP_JS_DIR}/{slug}.js"


def map_html(slug: str, root: str, lang: str = "zh") -> str:
    """A map's place on its page (div and scripts): known before the map is drawn, so pages can be
    rendered while the map scripts are drawn elsewhere. English maps link to English pages."""
    css, *scripts = MAP_ASSETS
    english = ' data-atlas-lang="en"' if lang == "en" else ""
    return (
        f'<div class="atlas-map" data-atlas-root="{root}"{english}><link rel="stylesheet" href="{root}{css}">'
        f'<div class="folium-map" id="{_map_name(slug)}" role="region" aria-label="{"Map" if lang == "en" else "地图"}"></div></div>\n'
        + "".join(f'<script src="{root}{path}" defer></script>' for path in scripts)
        + f'<script src="{root}{map_script_path(slug)}" defer></script>'
    )


def drawn_places(atlas: Atlas, places: list[Place]) -> list[Place]:
    """The places a map draws: those with a shape (the others are listed on their district)."""
    return [p for p in places if atlas.shape_of(p)]


def map_text_alternative(atlas: Atlas, places: list[Place], root: str) -> str:
    """The map as text, next to it: the places it shows, each a link with its kind and district.

    This is what a screen reader user (and a search engine) gets of the map, so it lists exactly
    the places the map draws (those with a shape). Escaped here: names come from content.
    """
    shown = drawn_places(atlas, places)
    if not shown:
        return '<p class="atlas-map-list">地图只显示行政区边界：本页的地点在规划中没有具体位置。</p>\n'

    def about(place: Place) -> str:
        return escape(f"（{place.kind.value}，{atlas.districts[place.district].name}）")

    def clusters(place: Place) -> str:  # colour is never the only carrier of a place's clusters
        names = [atlas.clusters[c].name for c in place.clusters if c in atlas.clusters]
        return escape("：" + "、".join(names)) if names else ""

    if len(shown) == 1:
        place = shown[0]
        return f'<p class="atlas-map-list">地图显示：{escape(place.name)}{about(place)}及周边约 3 公里。</p>\n'
    items = "".join(f'<li><a href="{root}{url_for(p)}">{escape(p.name)}</a>{about(p)}{clusters(p)}</li>' for p in shown)
    return (
        f'<details class="atlas-map-list"><summary>地图上的 {len(shown)} 处地点（文字列表）</summary>'
        f"<ul>{items}</ul></details>\n"
    )


@dataclass(frozen=True)
class MapFrame:
    """What Folium draws of a map: the map object, its bounds and the calls into the spec.

    Everything Folium writes follows from these few values (every text is in the spec), so its
    part of the script is cached by them (`MapFrames`): Folium is by far the slowest part of a map.
    """

    slug: str
    bounds: tuple[float, float, float, float]
    tiles: Tiles
    layers: tuple[int, ...]
    parts: tuple[str, ...]

    def key(self) -> str:
        return json.dumps([self.slug, [repr(b) for b in self.bounds], self.tiles.value, self.layers, self.parts])

    def script(self) -> str:
        from .folium_frame import draw  # Folium is slow to import: only when a frame must be drawn

        script, name = draw(self)
        if name != _map_name(self.slug):  # the page was written with that name
            raise RuntimeError(f"map {self.slug}: Folium named it {name}, not {_map_name(self.slug)}")
        return script


class MapFrames:
    """Folium's part of each map script, from the build cache when its frame was drawn before."""

    KIND = "maps"

    def __init__(self, cache):
        self.cache = cache

    def frame(self, frame: MapFrame) -> str:
        drawn = self.cache.get_or_make(self.KIND, self.cache.key(frame.key()), lambda: frame.script().encode("utf-8"))
        return drawn.decode("utf-8")


def id_prefix(slug: str) -> str:
    return slug.replace("/", "_").replace("-", "_")


def _map_name(slug: str) -> str:
    """Folium's name for the map element once `_stable_ids` has numbered it (the map comes first)."""
    return f"map_{id_prefix(slug)}_0"
