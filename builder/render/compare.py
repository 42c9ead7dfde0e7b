"""Data for the compare view (`compare/?ids=longgang-west,jinsha-bihu`): one summary per place and
district, written as JSON at build time and read by `assets/atlas/compare.js`.

Rows: kind and district, clusters, the city's roles for them, area, projects (count and the total
investment the texts give), targets and tasks naming the place, and the plans that mention it.
`compare_data_en` is the English twin (`/en/compare/`): names and labels in English (`EnglishText`,
the Chinese where there is no English yet), `name_zh` beside the name, figures in English where
they can be read; `url` is the same site-relative path, which the English page prefixes with `en/`.
"""

from __future__ import annotations

import json

from ..atlas import Atlas, url_for
from . import english_format
from .values import money_in_yi

COMPARE_URL = "assets/atlas/compare.json"
COMPARE_EN_URL = "assets/atlas/compare.en.json"  # the English edition's: the same items, in English


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


def _roles_en(en, pairs) -> list[str]:
    return [f"{en.plain(cluster)}: {'; '.join(en.text(r, 'role') or r.role for r in roles)}" for cluster, roles in pairs if roles]


def _investment_en(amount: float | None) -> str:
    return english_format.amount(amount, "亿元") if amount is not None else ""


def _place_en(atlas: Atlas, en, place) -> dict:
    projects = atlas.projects_by_place.get(place.id, [])
    district = atlas.districts.get(place.district)
    area = (english_format.figure(place.area.as_written, place.area.unit) or place.area.as_written) if place.area else ""
    investment = _investment(projects)
    return {
        "type": "place", "name": en.plain(place), "name_zh": place.name, "url": url_for(place), "kind": en.label(place.kind),
        "district": en.plain(district) if district else "", "street": (en.text(place, "street") or place.street or ""),
        "clusters": [en.plain(atlas.clusters[c]) for c in place.clusters if c in atlas.clusters],
        "roles": _roles_en(en, atlas.city_roles_of(place)),
        "area": area, "area_km2": round(place.area.km2, 3) if place.area else None,
        "projects": [en.plain(p) for p in projects], "investment_yi": investment, "investment": _investment_en(investment),
        "targets": [en.plain(i) for i in atlas.naming("indicators", place)],
        "plans": [en.plain(plan, "short_title") for plan, _ in atlas.mentions(place)], "precision": en.label(place.geometry.precision),
    }  # fmt: skip


def _district_en(atlas: Atlas, en, district) -> dict:
    projects = [p for p in atlas.projects.values() if p.district == district.id]
    roles = [f"{en.plain(atlas.clusters[r.cluster])}: {en.text(r, 'role') or r.role}" for r in atlas.roles_by_district.get(district.id, [])]
    investment = _investment(projects)
    return {
        "type": "district", "name": en.plain(district), "name_zh": district.name, "url": url_for(district), "kind": "District",
        "district": en.plain(district), "street": "", "clusters": [en.plain(c) for c in atlas.clusters.values() if c.district == district.id],
        "roles": roles, "area": "", "area_km2": None, "projects": [en.plain(p) for p in projects], "investment_yi": investment,
        "investment": _investment_en(investment), "targets": [en.plain(i) for i in atlas.indicators.values() if i.district == district.id],
        "plans": [en.plain(p, "short_title") for p in atlas.plans_by_district.get(district.id, [])], "precision": "",
    }  # fmt: skip


def compare_data_en(atlas: Atlas, en) -> str:
    """The compare view's data for the English edition; `en` is its `EnglishText`."""
    items = {p.id: _place_en(atlas, en, p) for p in atlas.places.values()}
    for district in atlas.districts.values():
        items[f"district:{district.id}"] = _district_en(atlas, en, district)
    return json.dumps({"items": items}, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
