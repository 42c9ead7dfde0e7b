"""What search finds: one document per plan paragraph and per record, with its facet values.

Plan paragraphs are searched individually so a result links to the exact paragraph; records
(plans, clusters, places, districts, indicators, projects, departments, tasks) are searched with
their names, aliases and the quotes they are based on, and link to their page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..atlas import Atlas, url_for
from ..model import Cited, Cluster, ClusterLevel


@dataclass
class SearchDocument:
    type: str  # record type label shown in results and used as a facet value
    title: str
    body: str
    url: str  # site-relative
    facets: dict[str, list[str]] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)


TYPE_LABELS = ("规划原文", "规划", "产业集群", "园区与地点", "行政区", "指标", "项目", "部门", "任务")


def _join(parts) -> str:
    return " · ".join(parts)


def _plans_cited(record: Cited) -> list[str]:
    return list(dict.fromkeys(c.plan for c in record.citations))


def _quotes(record: Cited) -> str:
    return " ".join(dict.fromkeys(c.quote for c in record.citations))


def _cluster_districts(cluster: Cluster) -> list[str]:
    return [cluster.district] if cluster.district else list(cluster.districts)


def build_documents(atlas: Atlas) -> list[SearchDocument]:
    docs: list[SearchDocument] = []
    for plan in atlas.plans.values():
        district = [plan.district] if plan.district else []
        docs.append(
            SearchDocument(
                "规划",
                plan.title,
                _join(filter(None, [plan.short_title, plan.issuer, plan.period, plan.status.value, plan.summary])),
                url_for(plan),
                {"plan": [plan.id], "district": district},
            )
        )
        text = atlas.texts.get(plan.id)
        # One document per paragraph, titled by its heading (so headings are searched too).
        for block in text.blocks if text else []:
            if block.kind != "paragraph" or block.anchor == "cover":
                continue
            heading = text.heading_for(block.anchor)
            docs.append(
                SearchDocument(
                    "规划原文",
                    heading.text if heading else plan.short_title,
                    block.text,
                    f"{url_for(plan)}#{block.anchor}",
                    {"plan": [plan.id], "district": district},
                )
            )
    for cluster in atlas.clusters.values():
        hosts = atlas.places_by_cluster.get(cluster.id, [])
        body = [
            cluster.level.label,
            f"别称：{'、'.join(cluster.aliases)}" if cluster.aliases else "",
            cluster.focus or "",
            "、".join(p.name for p in hosts),
            _quotes(cluster),
        ]
        city = cluster.level in (ClusterLevel.city_cluster, ClusterLevel.city_future)
        targets = [cluster.id, *cluster.corresponds_to] if not city else [cluster.id]
        docs.append(
            SearchDocument(
                "产业集群",
                cluster.name,
                _join(filter(None, body)),
                url_for(cluster),
                {"plan": [cluster.plan], "district": _cluster_districts(cluster), "cluster": targets},
                aliases=list(cluster.aliases),
            )
        )
    for place in atlas.places.values():
        district = atlas.districts.get(place.district)
        body = [
            place.kind.value,
            district.name if district else "",
            "、".join(atlas.clusters[c].name for c in place.clusters if c in atlas.clusters),
            place.area.as_written if place.area else "",
            place.description or "",
            _quotes(place),
        ]
        docs.append(
            SearchDocument(
                "园区与地点",
                place.name,
                _join(filter(None, body)),
                url_for(place),
                {
                    "plan": _plans_cited(place),
                    "district": [place.district],
                    "cluster": list(place.clusters),
                    "kind": [place.kind.value],
                },
            )
        )
    for district in atlas.districts.values():
        places = atlas.places_by_district.get(district.id, [])
        docs.append(
            SearchDocument(
                "行政区",
                district.name,
                _join(filter(None, ["、".join(district.aliases), "、".join(p.name for p in places)])),
                url_for(district),
                {"district": [district.id], "plan": _plans_cited(district)},
                aliases=list(district.aliases),
            )
        )
    for indicator in atlas.indicators.values():
        figures = [
            f"{label}{f.year or ''}：{f.value}"
            for label, f in (("基数", indicator.base), ("目标", indicator.target), ("实际", indicator.actual))
            if f
        ]
        docs.append(
            SearchDocument(
                "指标",
                indicator.name,
                _join(filter(None, [indicator.group or "", indicator.unit or "", *figures, indicator.assessment or ""])),
                atlas.cite(indicator.citations[0]).url,
                _plan_facets(atlas, indicator),
            )
        )
    for project in atlas.projects.values():
        docs.append(
            SearchDocument(
                "项目",
                project.name,
                _join(filter(None, [project.investment or "", project.description or "", _quotes(project)])),
                atlas.cite(project.citations[0]).url,
                _plan_facets(atlas, project),
            )
        )
    for department in atlas.departments.values():
        docs.append(
            SearchDocument(
                "部门",
                department.name,
                "、".join(department.aliases),
                url_for(department),
                {"plan": sorted({t.plan for t in atlas.tasks_by_department.get(department.id, [])})},
                aliases=list(department.aliases),
            )
        )
    for task in atlas.tasks.values():
        names = [atlas.departments[d].name for d in (*task.lead, *task.departments) if d in atlas.departments]
        docs.append(
            SearchDocument(
                "任务",
                task.title,
                "、".join(names),
                atlas.cite(task.citations[0]).url,
                {"plan": [task.plan], "cluster": list(task.clusters)},
            )
        )
    for doc in docs:
        doc.facets["type"] = [doc.type]
    return docs


def _plan_facets(atlas: Atlas, record) -> dict[str, list[str]]:
    """Facets of a record that belongs to one plan: its own district, else the plan's."""
    plan = atlas.plans.get(record.plan)
    district = record.district or (plan.district if plan else None)
    return {"plan": [record.plan], "district": [district] if district else [], "cluster": list(record.clusters)}
