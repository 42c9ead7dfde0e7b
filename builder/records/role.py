"""Spatial roles: each district's (or place's) part in a city cluster's layout (空间布局)."""

from __future__ import annotations

from ..model import SpatialRole
from ..search.document import SearchDocument, joined, quotes
from ._columns import plan_title_en
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


def _place(atlas, role: SpatialRole):
    return atlas.places.get(role.place) if role.place else None


SHEET = Sheet(
    "roles.csv",
    (
        Column("id", lambda atlas, r: r.id, en="id", about="The role's identifier"),
        Column("规划", lambda atlas, r: atlas.plans[r.plan].short_title, en="plan", english=lambda atlas, en, r: plan_title_en(atlas, en, r.plan),
               zh="plan_zh", about="The action plan that lays the cluster out (short title)"),
        Column("产业集群", lambda atlas, r: atlas.clusters[r.cluster].name, en="cluster", english=lambda atlas, en, r: en.plain(atlas.clusters[r.cluster]),
               zh="cluster_zh", about="The city cluster"),
        Column("产业集群id", lambda atlas, r: r.cluster, en="cluster_id", about="Its identifier"),
        Column("行政区", lambda atlas, r: atlas.districts[r.district].name if r.district in atlas.districts else "", en="district",
               english=lambda atlas, en, r: en.plain(atlas.districts[r.district]) if r.district in atlas.districts else "", zh="district_zh",
               about="The district the role is given to"),
        Column("行政区id", lambda atlas, r: r.district or "", en="district_id", about="Its identifier"),
        Column("地点", lambda atlas, r: atlas.places[r.place].name if r.place in atlas.places else "", en="place",
               english=lambda atlas, en, r: en.plain(_place(atlas, r)) if _place(atlas, r) else "", zh="place_zh",
               about="The place the role is given to, when the plan names one"),
        Column("定位（原文）", lambda atlas, r: r.role, en="role", english=lambda atlas, en, r: en.text(r, "role") or "", zh="role_zh",
               about="The role, in English (empty when not yet translated); role_zh is the plan's words"),
        Column("功能", lambda atlas, r: r.function or "", en="function", english=lambda atlas, en, r: en.text(r, "function") or "",
               zh="function_zh", about="What the district or place is to do for the cluster"),
        Column("总体格局", lambda atlas, r: r.pattern or "", en="pattern", english=lambda atlas, en, r: en.text(r, "pattern") or "",
               zh="pattern_zh", about="The overall layout pattern the plan describes"),
    ),
    en_label="Layout roles",
    en_about="Spatial roles: each district's (or place's) part in a city cluster's layout, as the cluster's action plan gives it.",
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
