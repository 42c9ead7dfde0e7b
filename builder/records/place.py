"""Places where plans put industry: parks, agglomeration areas, 片区, renewal units …"""

from __future__ import annotations

from .. import geometry
from ..model import Place, Precision
from ..search.document import SearchDocument, joined, plans_cited, quotes
from ._columns import (
    cluster_ids, cluster_names, cluster_names_en, district_name, district_name_en, english_page_url, figure_en, ids_en, page_url,
)
from .base import Column, RecordType, Sheet

AREA_TOLERANCE = 0.5
"""A schematic shape may differ from the plan's area figure by at most this fraction."""


def area_deviation(place: Place, geom) -> float | None:
    """(drawn − plan) / plan for polygons of places whose plan gives an area; None otherwise."""
    if place.area is None or geom.geom_type not in ("Polygon", "MultiPolygon"):
        return None
    return geometry.area_km2(geom) / place.area.km2 - 1


def _geometry_matches_the_plan(place: Place, checker, problems) -> None:
    """A shape exists when the precision needs one, lies inside its district, and has the plan's area."""
    content = checker.content
    ref, precision = place.geometry.ref, place.geometry.precision
    where = place.geometry.origin
    if precision is Precision.district_only:
        if ref:
            problems.add(where, f"Place '{place.id}': precision 仅区级 takes no geometry ref (remove ref: {ref})")
        return
    if not ref:
        problems.add(where, f"Place '{place.id}': precision {precision.value} needs a geometry ref in geo/places/")
        return
    shape = content.place_shapes.get(ref)
    if shape is None:
        if not content.place_geometry_incomplete:
            problems.add(where, f"Place '{place.id}': geometry '{ref}' not found in geo/places/*.geojson")
        return
    district = checker.ids["district"].get(place.district)
    district_shape = content.district_shapes.get(district.geometry) if district and district.geometry else None
    if district_shape is not None and not geometry.lies_within(shape.geom, district_shape.geom):
        problems.add(
            shape.location,
            f"几何超出所属行政区 (geometry '{ref}' of place '{place.id}' lies outside district "
            f"'{place.district}'): move its coordinates inside {district.name}",
        )
    deviation = area_deviation(place, shape.geom)
    if deviation is not None and abs(deviation) > AREA_TOLERANCE:
        problems.add(
            shape.location,
            f"面积与规划不符 (drawn area of '{ref}' is {geometry.area_km2(shape.geom):.2f} km², the plan says "
            f"{place.area.as_written} ≈ {place.area.km2:.2f} km²; {deviation:+.0%} is beyond ±{AREA_TOLERANCE:.0%}): "
            "resize the shape",
        )


def _page(renderer, place: Place, path: str) -> dict:
    atlas = renderer.atlas
    fmap = renderer.map(f"place-{place.id}", path, [place] if atlas.shape_of(place) else [], place.district)
    mentions = atlas.mentions(place)
    return {"place": place, "map": fmap, "mentions": mentions, "mention_count": sum(len(blocks) for _, blocks in mentions)}


def _search(atlas, place: Place):
    district = atlas.districts.get(place.district)
    body = [
        place.kind.value,
        district.name if district else "",
        "、".join(atlas.clusters[c].name for c in place.clusters if c in atlas.clusters),
        place.area.as_written if place.area else "",
        place.description,
        quotes(place),
    ]
    facets = {"plan": plans_cited(place), "district": [place.district], "cluster": list(place.clusters), "kind": [place.kind.value]}
    yield SearchDocument("园区与地点", place.name, joined(body), TYPE.url(place), facets)


def _district_name(atlas, place: Place) -> str:
    district = atlas.districts.get(place.district)
    return district.name if district else place.district


def _point(atlas, place: Place, axis: int) -> float | None:
    shape = atlas.shape_of(place)
    if shape is None:
        return None
    point = shape.geom if shape.geom.geom_type == "Point" else shape.geom.representative_point()
    return round((point.x, point.y)[axis], 5)


def _within(atlas, place: Place):
    return atlas.places.get(place.within) if place.within else None


SHEET = Sheet(
    "places.csv",
    (
        Column("id", lambda atlas, p: p.id, en="id", about="The place's identifier, as in its page's URL"),
        Column("名称", lambda atlas, p: p.name, en="name", english=lambda atlas, en, p: en.plain(p), zh="name_zh",
               about="The place's English name (see en_source); the Chinese when it has none yet"),
        Column("别称", lambda atlas, p: "、".join(p.aliases), en="aliases_zh", about="Other Chinese names the plans use for it"),
        Column("类型", lambda atlas, p: p.kind.value, en="kind", english=lambda atlas, en, p: en.label(p.kind),
               about="Kind of place: advanced manufacturing park, cluster zone, industrial area, urban renewal unit …"),
        Column("行政区", lambda atlas, p: district_name(atlas, p.district), en="district",
               english=lambda atlas, en, p: district_name_en(atlas, en, p.district), zh="district_zh", about="The district it lies in"),
        Column("行政区id", lambda atlas, p: p.district, en="district_id", about="The district's identifier"),
        Column("街道", lambda atlas, p: p.street or "", en="street", english=lambda atlas, en, p: en.text(p, "street") or "",
               zh="street_zh", about="The subdistrict (jiedao) the plan places it in, in English (empty when not yet translated)"),
        Column("位于", lambda atlas, p: atlas.places[p.within].name if p.within in atlas.places else "", en="within",
               english=lambda atlas, en, p: en.plain(_within(atlas, p)) if _within(atlas, p) else "", zh="within_zh",
               about="The larger place it is part of"),
        Column("产业集群", lambda atlas, p: cluster_names(atlas, p.clusters), en="clusters",
               english=lambda atlas, en, p: cluster_names_en(atlas, en, p.clusters), zh="clusters_zh",
               about="The industry clusters the plans assign to it"),
        Column("产业集群id", lambda atlas, p: cluster_ids(p.clusters), en="cluster_ids", english=lambda atlas, en, p: ids_en(p.clusters),
               about="Their identifiers"),
        Column("面积（原文）", lambda atlas, p: p.area.as_written if p.area else "", en="area",
               english=lambda atlas, en, p: figure_en(p.area.as_written, p.area.unit) if p.area else "", zh="area_as_written",
               about="The area the plan gives, in English (empty when it cannot be read)"),
        Column("面积（平方公里）", lambda atlas, p: round(p.area.km2, 4) if p.area else None, "number", en="area_km2",
               about="The same area in square kilometres"),
        Column("位置精度", lambda atlas, p: p.geometry.precision.value, en="precision", english=lambda atlas, en, p: en.label(p.geometry.precision),
               about="What the drawn location is worth: schematic extent (not a statutory boundary), approximate location, "
                     "editors' estimate, or district only"),
        Column("位置依据", lambda atlas, p: (atlas.shape_of(p).properties.get("basis") if atlas.shape_of(p) else "") or p.geometry.precision.explanation,
               en="location_basis_zh", about="What the location is drawn from, in Chinese"),
        Column("经度", lambda atlas, p: _point(atlas, p, 0), "number", en="longitude",
               about="Longitude (WGS84) of a point on the place: the point itself, or a point inside its shape"),
        Column("纬度", lambda atlas, p: _point(atlas, p, 1), "number", en="latitude", about="Latitude (WGS84) of that point"),
        Column("页面", lambda atlas, p: page_url(atlas, p), en="page", english=lambda atlas, en, p: english_page_url(atlas, p),
               about="The place's page on this site (English edition), relative to the site's root"),
    ),
    en_label="Parks and places",
    en_about="Places the plans put industry in: parks, cluster zones, industrial areas, urban renewal units, science cities …",
)

def _describe(atlas, place: Place) -> str:
    district = atlas.districts.get(place.district)
    where = (district.name if district else "") + (place.street or "")
    clusters = "、".join(atlas.clusters[c].name for c in place.clusters if c in atlas.clusters)
    area = f"，面积{place.area.as_written}" if place.area else ""
    focus = f"，重点发展{clusters}" if clusters else ""
    return f"{place.name}：{place.kind.value}，位于{where}{area}{focus}。规划原文出处、项目与布局。"


TYPE = RecordType(
    name="place",
    model=Place,
    folder="places",
    noun="地点",
    label="园区与地点",
    references={"district": "district", "clusters": "cluster", "within": "place"},
    quoted=("area.as_written", "street"),
    section="places",
    template="place.md.j2",
    page_context=_page,
    checks=(_geometry_matches_the_plan,),
    describe=_describe,
    search=_search,
    sheet=SHEET,
    english=("name", "street", "description"),
)
