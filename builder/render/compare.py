"""Data for the compare view (`compare/?ids=longgang-west,jinsha-bihu`): one summary per place and
district, written as JSON at build time and read by `assets/atlas/compare.js`.

Rows: kind and district, clusters, the city's roles for them, area, projects (count and the total
investment the texts give), targets and tasks naming the place, and the plans that mention it.
"""

from __future__ import annotations

import json

from ..atlas import Atlas, url_for
from .values import money_in_yi

COMPARE_URL = "assets/atlas/compare.json"


def _investment(projects) -> float | None:
    amounts = [money_in_yi(p.investment) for p in projects]
    known = [a for a in amounts if a is not None]
    return round(sum(known), 2) if known else None


def _place(atlas: Atlas, place) -> dict:
    projects = atlas.projects_by_place.get(place.id, [])
    district = atlas.districts.get(place.district)
    roles = [f"{c.name}：{'；'.join(r.role for r in rs)}" for c, rs in atlas.city_roles_of(place) if rs]
    return {
        "type": "place", "name": place.name, "url": url_for(place), "kind": place.kind.value,
        "district": district.name if district else "", "street": place.street or "",
        "clusters": [atlas.clusters[c].name for c in place.clusters if c in atlas.clusters], "roles": roles,
        "area": place.area.as_written if place.area else "", "area_km2": round(place.area.km2, 3) if place.area else None,
        "projects": [p.name for p in projects], "investment_yi": _investment(projects),
        "targets": [i.name for i in atlas.naming("indicators", place)],
        "plans": [plan.short_title for plan, _ in atlas.mentions(place)], "precision": place.geometry.precision.value,
    }  # fmt: skip


def _district(atlas: Atlas, district) -> dict:
    projects = [p for p in atlas.projects.values() if p.district == district.id]
    roles = [f"{atlas.clusters[r.cluster].name}：{r.role}" for r in atlas.roles_by_district.get(district.id, [])]
    return {
        "type": "district", "name": district.name, "url": url_for(district), "kind": "行政区", "district": district.name,
        "street": "", "clusters": [c.name for c in atlas.clusters.values() if c.district == district.id], "roles": roles,
        "area": "", "area_km2": None, "projects": [p.name for p in projects], "investment_yi": _investment(projects),
        "targets": [i.name for i in atlas.indicators.values() if i.district == district.id],
        "plans": [p.short_title for p in atlas.plans_by_district.get(district.id, [])], "precision": "",
    }  # fmt: skip


def compare_data(atlas: Atlas) -> str:
    items = {p.id: _place(atlas, p) for p in atlas.places.values()}
    for district in atlas.districts.values():
        items[f"district:{district.id}"] = _district(atlas, district)
    return json.dumps({"items": items}, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
