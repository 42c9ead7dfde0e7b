"""Administrative districts, joined to their boundaries in `geo/districts.geojson`."""

from __future__ import annotations

from ..model import District
from ..search.document import SearchDocument, joined, plans_cited
from ._columns import english_page_url, page_url
from .base import Column, RecordType, Sheet, Storage


def _geometry_exists(district: District, checker, problems) -> None:
    shapes = checker.content.district_shapes
    if district.geometry and shapes and district.geometry not in shapes:
        problems.add(district.origin, f"District '{district.id}': geometry '{district.geometry}' not found in geo/districts.geojson")


def _page(renderer, district: District, path: str) -> dict:
    atlas = renderer.atlas
    places = atlas.places_by_district.get(district.id, [])
    fmap = renderer.map(f"district-{district.id}", path, [p for p in places if atlas.shape_of(p)], district.id)
    clusters = [c for c in atlas.clusters.values() if c.district == district.id]
    city_clusters = [c for c in atlas.clusters.values() if district.id in c.districts]
    own_plans = atlas.plans_by_district.get(district.id, [])
    roles = atlas.roles_by_district.get(district.id, [])
    projects = [p for p in atlas.projects.values() if p.district == district.id]
    indicators = [i for i in atlas.indicators.values() if i.district == district.id]
    departments = atlas.departments_by_district.get(district.id, [])
    return {
        "district": district, "places": places, "clusters": clusters, "city_clusters": city_clusters, "map": fmap,
        "own_plans": own_plans, "roles": roles, "projects": projects, "indicators": indicators, "departments": departments,
    }  # fmt: skip


def _search(atlas, district: District):
    places = atlas.places_by_district.get(district.id, [])
    yield SearchDocument(
        "行政区", district.name, joined(["、".join(district.aliases), "、".join(p.name for p in places)]),
        TYPE.url(district), {"district": [district.id], "plan": plans_cited(district)}, aliases=list(district.aliases),
    )  # fmt: skip


SHEET = Sheet(
    "districts.csv",
    (
        Column("id", lambda atlas, d: d.id, en="id", about="The district's identifier, as in its page's URL"),
        Column("名称", lambda atlas, d: d.name, en="name", english=lambda atlas, en, d: en.plain(d), zh="name_zh",
               about="The district's English name (see en_source); the Chinese when it has none yet"),
        Column("别称", lambda atlas, d: "、".join(d.aliases), en="aliases_zh", about="Other Chinese names the plans use for it"),
        Column("园区与地点数", lambda atlas, d: len(atlas.places_by_district.get(d.id, [])), "number", en="places",
               about="How many of the atlas's parks and places lie in it"),
        Column("空间布局定位数", lambda atlas, d: len(atlas.roles_by_district.get(d.id, [])), "number", en="layout_roles",
               about="How many roles the city's cluster action plans give it in their spatial layout"),
        Column("页面", lambda atlas, d: page_url(atlas, d), en="page", english=lambda atlas, en, d: english_page_url(atlas, d),
               about="The district's page on this site (English edition), relative to the site's root"),
    ),
    en_label="Districts",
    en_about="Shenzhen's districts, including Dapeng New District and the Shenzhen-Shanwei Special Cooperation Zone.",
)

def _describe(atlas, district: District) -> str:
    roles = len(atlas.roles_by_district.get(district.id, []))
    places = len(atlas.places_by_district.get(district.id, []))
    return f"{district.name}在深圳市产业集群中的定位（{roles} 项）、园区与地点（{places} 处）、重点项目与目标。"


TYPE = RecordType(
    name="district",
    model=District,
    folder="districts",
    noun="行政区",
    label="行政区",
    storage=Storage.single_file,
    section="districts",
    template="district.md.j2",
    page_context=_page,
    checks=(_geometry_exists,),
    describe=_describe,
    search=_search,
    sheet=SHEET,
    english=("name",),
)
