"""Spatial roles: each district's (or place's) part in a city cluster's layout (空间布局)."""

from __future__ import annotations

from ..model import SpatialRole
from ..search.document import SearchDocument, joined, quotes
from .base import Column, RecordType, Sheet


def _names_a_district_or_place(role: SpatialRole, checker, problems) -> None:
    if not (role.district or role.place):
        problems.add(role.origin, f"SpatialRole '{role.id}': give the district (or the place) the role belongs to")


def _place_in_its_district(role: SpatialRole, checker, problems) -> None:
    place = checker.ids["place"].get(role.place) if role.place else None
    if place is not None and role.district and place.district != role.district:
        problems.add(
            role.origin,
            f"SpatialRole '{role.id}': place '{role.place}' lies in '{place.district}', not in district '{role.district}'",
        )


def where_of(atlas, role: SpatialRole) -> str:
    """The district's (or place's) name, as the role's subject."""
    if role.place and role.place in atlas.places:
        return atlas.places[role.place].name
    district = atlas.districts.get(role.district)
    return district.name if district else role.district


def _search(atlas, role: SpatialRole):
    cluster = atlas.clusters.get(role.cluster)
    title = f"{where_of(atlas, role)} · {cluster.name if cluster else role.cluster}：{role.role}"
    facets = {"plan": [role.plan], "district": [role.district] if role.district else [], "cluster": [role.cluster]}
    yield SearchDocument("空间布局", title, joined([role.function, role.pattern, quotes(role)]), TYPE.url(role), facets)


SHEET = Sheet(
    "roles.csv",
    (
        Column("id", lambda atlas, r: r.id),
        Column("规划", lambda atlas, r: atlas.plans[r.plan].short_title),
        Column("产业集群", lambda atlas, r: atlas.clusters[r.cluster].name),
        Column("产业集群id", lambda atlas, r: r.cluster),
        Column("行政区", lambda atlas, r: atlas.districts[r.district].name if r.district in atlas.districts else ""),
        Column("行政区id", lambda atlas, r: r.district or ""),
        Column("地点", lambda atlas, r: atlas.places[r.place].name if r.place in atlas.places else ""),
        Column("定位（原文）", lambda atlas, r: r.role),
        Column("功能", lambda atlas, r: r.function or ""),
        Column("总体格局", lambda atlas, r: r.pattern or ""),
    ),
)

TYPE = RecordType(
    name="role",
    model=SpatialRole,
    folder="roles",
    noun="空间布局",
    label="空间布局",
    title=lambda role: role.role,
    references={"plan": "plan", "cluster": "cluster", "district": "district", "place": "place"},
    quoted=("role", "function", "pattern"),
    anchor=lambda role: f"clusters/{role.cluster}/#role-{role.id}",
    checks=(_names_a_district_or_place, _place_in_its_district),
    search=_search,
    sheet=SHEET,
    english=("role", "function", "pattern"),
)
