"""The geometry every map reads: `assets/atlas/geo/atlas.geojson`, and its GCJ-02 twin.

Districts and places with the properties popups need (names, URLs, clusters, precision), and a
dictionary of cluster names and colours. Coordinates are rounded to ~1 m. 高德 tiles are drawn in
GCJ-02, so the same data shifted to GCJ-02 is written beside it (`atlas-gcj.geojson`); a map
fetches it only when a visitor switches to those tiles (or the site opens on them).
"""

from __future__ import annotations

import json

from shapely.geometry import mapping
from shapely.ops import polylabel

from ..atlas import Atlas, url_for
from ..geometry import rounded, wgs_to_gcj, wgs_to_gcj_point
from .english_pages import PRECISION_NOTES, EnglishText
from .palette import cluster_colors

GEO_URL = "assets/atlas/geo/atlas.geojson"
GEO_GCJ_URL = "assets/atlas/geo/atlas-gcj.geojson"
def shared_geojson(atlas: Atlas, gcj: bool = False) -> str:
    """Every feature carries its texts twice: Chinese, and under `en` the English the /en/ maps show."""
    colors = cluster_colors(atlas)
    en = EnglishText(atlas)
    features = []
    named = {d.geometry: d for d in atlas.districts.values() if d.geometry}
    for feature_id, shape in sorted(atlas.district_shapes.items()):
        district = named.get(feature_id)
        properties = {"kind": "district", "name": district.name if district else shape.properties.get("name", feature_id)}
        properties["url"] = url_for(district) if district else ""
        # Places the plans locate only by district (仅区级) are shown through their district's popup.
        unlocated = [p for p in atlas.places_by_district.get(district.id, []) if not atlas.shape_of(p)] if district else []
        properties["places_here"] = [[p.name, url_for(p)] for p in unlocated]
        properties["en"] = {"name": en.plain(district) if district else properties["name"], "places_here": [[en.plain(p), url_for(p)] for p in unlocated]}
        if shape.properties.get("basis"):
            properties["precision_note"] = shape.properties["basis"]
            properties["en"]["precision_note"] = "Schematic outline: the boundary data has none for this district; not a statutory boundary"
        features.append(_feature(district.id if district else feature_id, shape.geom, gcj, district.label_at if district else None, **properties))
    for place in atlas.places.values():
        shape = atlas.shape_of(place)
        if shape is None:
            continue
        district = atlas.districts.get(place.district)
        features.append(
            _feature(
                place.id, shape.geom, gcj, None,
                kind="place", name=place.name, url=url_for(place), place_kind=place.kind.value,
                district_name=district.name if district else "", clusters=place.clusters,
                precision=place.geometry.precision.value,
                precision_note=shape.properties.get("basis") or place.geometry.precision.explanation,
                en={
                    "name": en.plain(place), "place_kind": en.label(place.kind), "district_name": en.plain(district) if district else "",
                    "precision": en.label(place.geometry.precision), "precision_note": PRECISION_NOTES[place.geometry.precision],
                },
            )
        )  # fmt: skip
    clusters = {cid: {"name": c.name, "en": en.plain(c), "url": url_for(c), "color": colors[cid]} for cid, c in atlas.clusters.items()}
    collection = {"type": "FeatureCollection", "clusters": clusters, "features": features}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"


def _feature(feature_id: str, geom, gcj: bool, label_at, **properties) -> dict:
    """A feature; shapes (not points) carry `label_at`, a point inside them for labels and hovering."""
    label = label_at or (_label_point(geom) if geom.geom_type != "Point" else None)
    if gcj:
        geom = wgs_to_gcj(geom)
        label = wgs_to_gcj_point(label) if label else None
    head = {"id": feature_id, **({"label_at": [round(label[0], 5), round(label[1], 5)]} if label else {})}
    return {"type": "Feature", "id": feature_id, "properties": {**head, **properties}, "geometry": mapping(rounded(geom))}


def _label_point(geom) -> tuple[float, float]:
    """Where a name reads best: the pole of inaccessibility of the largest part."""
    largest = max(getattr(geom, "geoms", [geom]), key=lambda part: part.area)
    point = polylabel(largest, tolerance=0.0005) if largest.geom_type == "Polygon" else largest.representative_point()
    return point.x, point.y
