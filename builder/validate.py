"""Stage 2 — validate: the rules that need all records at once.

Unique ids, references between records, citation quotes found verbatim in the cited paragraph,
and geometry that lies inside its district. Each rule reports at the line a person should edit.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import geometry
from .errors import Problems
from .load import Content
from .model import Cited, Cluster, ClusterLevel, Department, District, Indicator, Place, Plan, Precision
from .plantext import plain


class _Ids(dict):
    """Records of one type by id, and the ids whose records could not be read.

    A reference to a record in a file that did not parse, or to a record rejected for its shape,
    is not reported again as unknown: the first problem already says what to fix.
    """

    def __init__(self, records, content: Content, model: type):
        super().__init__((r.id, r) for r in records)
        self.all_excused = model in content.unreadable
        self.excused = content.rejected.get(model, set())

    def excuses(self, ref: str) -> bool:
        return self.all_excused or ref in self.excused


def validate(content: Content, problems: Problems) -> None:
    _unique_ids(content, problems)
    plans = _Ids(content.plans, content, Plan)
    clusters = _Ids(content.clusters, content, Cluster)
    districts = _Ids(content.districts, content, District)

    for plan in content.plans:
        _known(plan.district, districts, "district", plan, problems)
        sources = (content.root / "content" / "sources").resolve()
        source = (sources / plan.source).resolve()
        if not source.is_relative_to(sources):
            problems.add(plan.origin, f"Plan '{plan.id}': source '{plan.source}' must be a file inside content/sources/")
        elif not source.is_file():
            problems.add(plan.origin, f"Plan '{plan.id}': source file 'content/sources/{plan.source}' not found")
    for cluster in content.clusters:
        _known(cluster.plan, plans, "plan", cluster, problems)
        _known(cluster.district, districts, "district", cluster, problems)
        for target in cluster.corresponds_to:
            if _known(target, clusters, "cluster", cluster, problems) and clusters[target].level not in (
                ClusterLevel.city_cluster,
                ClusterLevel.city_future,
            ):
                problems.add(cluster.origin, f"Cluster '{cluster.id}': corresponds_to '{target}' is not a city cluster")
    for cluster in content.clusters:
        for district_id in cluster.districts:
            _known(district_id, districts, "district", cluster, problems)
    for district in content.districts:
        if district.geometry and content.district_shapes and district.geometry not in content.district_shapes:
            problems.add(
                district.origin,
                f"District '{district.id}': geometry '{district.geometry}' not found in geo/districts.geojson",
            )
    for place in content.places:
        _known(place.district, districts, "district", place, problems)
        for cluster_id in place.clusters:
            _known(cluster_id, clusters, "cluster", place, problems)
        _check_place_geometry(place, content, districts, problems)

    _check_indicators_projects_tasks(content, plans, clusters, districts, problems)
    for record in _all_records(content):
        _check_citations(record, content, problems)


def _check_indicators_projects_tasks(content: Content, plans, clusters, districts, problems: Problems) -> None:
    indicators = _Ids(content.indicators, content, Indicator)
    places = _Ids(content.places, content, Place)
    departments = _Ids(content.departments, content, Department)
    for indicator in content.indicators:
        _known(indicator.plan, plans, "plan", indicator, problems)
        _known(indicator.district, districts, "district", indicator, problems)
        for cluster_id in indicator.clusters:
            _known(cluster_id, clusters, "cluster", indicator, problems)
        if _known(indicator.reports_on, indicators, "indicator", indicator, problems) and indicator.reports_on:
            if indicators[indicator.reports_on].plan == indicator.plan:
                problems.add(
                    indicator.origin,
                    f"Indicator '{indicator.id}': reports_on '{indicator.reports_on}' is in the same plan; "
                    "it should name the indicator of the plan being evaluated",
                )
        if not (indicator.base or indicator.target or indicator.actual):
            problems.add(indicator.origin, f"Indicator '{indicator.id}': give at least one of base, target, actual")
    for project in content.projects:
        _known(project.plan, plans, "plan", project, problems)
        _known(project.district, districts, "district", project, problems)
        _known(project.place, places, "place", project, problems)
        for cluster_id in project.clusters:
            _known(cluster_id, clusters, "cluster", project, problems)
    for task in content.tasks:
        _known(task.plan, plans, "plan", task, problems)
        for department_id in (*task.lead, *task.departments):
            _known(department_id, departments, "department", task, problems)
        for cluster_id in task.clusters:
            _known(cluster_id, clusters, "cluster", task, problems)


def _all_records(content: Content) -> Iterable[Cited]:
    yield from content.plans
    yield from content.clusters
    yield from content.places
    yield from content.districts
    yield from content.indicators
    yield from content.projects
    yield from content.departments
    yield from content.tasks


def _unique_ids(content: Content, problems: Problems) -> None:
    for label, records in (
        ("plan", content.plans),
        ("cluster", content.clusters),
        ("place", content.places),
        ("district", content.districts),
        ("indicator", content.indicators),
        ("project", content.projects),
        ("department", content.departments),
        ("task", content.tasks),
    ):
        seen: dict[str, Cited] = {}
        for record in records:
            first = seen.setdefault(record.id, record)
            if first is not record:
                problems.add(
                    record.origin,
                    f"重复的 id (duplicate {label} id) '{record.id}', first defined at {first.origin}; ids must be unique",
                )


def _known(ref: str | None, known: _Ids, kind: str, record: Cited, problems: Problems) -> bool:
    """True when `ref` names a known record; reports it unless it names one that could not be read."""
    if ref is None or ref in known:
        return True
    if known.excuses(ref):
        return False
    hint = ", ".join(sorted(known)[:12]) or "none defined"
    problems.add(
        record.origin,
        f"{type(record).__name__} '{record.id}': 未知的{_KIND_ZH[kind]} (unknown {kind}) '{ref}'; known: {hint}",
    )
    return False


_KIND_ZH = {
    "plan": "规划",
    "cluster": "产业集群",
    "district": "行政区",
    "place": "地点",
    "indicator": "指标",
    "department": "部门",
}


def _check_citations(record: Cited, content: Content, problems: Problems) -> None:
    for citation in record.citations:
        where = citation.origin
        text = content.texts.get(citation.plan)
        if text is None:
            if not (Plan in content.unreadable or citation.plan in content.rejected.get(Plan, ())):
                problems.add(where, f"引用了未知的规划 (citation names unknown plan) '{citation.plan}'")
            continue
        if not text.readable:
            continue  # the text itself is missing or unreadable, reported once at the file
        block = text.by_anchor.get(citation.para)
        if block is None:
            problems.add(where, f"引用的段落不存在 (no paragraph '#{citation.para}' in {text.path})")
            continue
        if plain(citation.quote) not in block.text:
            problems.add(
                where,
                f"引文未在段落中找到 (quote not found verbatim in {text.path}:{block.line} #{citation.para}): "
                f"“{_shorten(citation.quote)}” — copy it exactly from the cleaned text",
            )


def _check_place_geometry(place, content: Content, districts, problems: Problems) -> None:
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
        if geometry.Shape not in content.unreadable:
            problems.add(where, f"Place '{place.id}': geometry '{ref}' not found in geo/places/*.geojson")
        return
    district = districts.get(place.district)
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


AREA_TOLERANCE = 0.5
"""A schematic shape may differ from the plan's area figure by at most this fraction."""


def area_deviation(place, geom) -> float | None:
    """(drawn − plan) / plan for polygons of places whose plan gives an area; None otherwise."""
    if place.area is None or geom.geom_type not in ("Polygon", "MultiPolygon"):
        return None
    return geometry.area_km2(geom) / place.area.km2 - 1


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
