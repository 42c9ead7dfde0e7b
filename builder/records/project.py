"""Key projects (重点项目), usually from a plan's 专栏 lists."""

from __future__ import annotations

from ..model import Project
from ..render.values import first_year, full_date, money_in_yi
from ..search.document import SearchDocument, joined, plan_facets, quotes
from ._columns import cluster_ids, cluster_names, district_name, page_url
from .base import Column, RecordType, Sheet


def _search(atlas, project: Project):
    place = atlas.places.get(project.place) if project.place else None
    body = joined([place.name if place else None, project.street, project.investment, project.description, quotes(project)])
    yield SearchDocument("项目", project.name, body, TYPE.url(project), plan_facets(atlas, project))


SHEET = Sheet(
    "projects.csv",
    (
        Column("id", lambda atlas, p: p.id),
        Column("规划", lambda atlas, p: atlas.plans[p.plan].short_title),
        Column("规划id", lambda atlas, p: p.plan),
        Column("项目", lambda atlas, p: p.name),
        Column("行政区", lambda atlas, p: district_name(atlas, p.district)),
        Column("行政区id", lambda atlas, p: p.district or ""),
        Column("地点", lambda atlas, p: atlas.places[p.place].name if p.place in atlas.places else ""),
        Column("地点id", lambda atlas, p: p.place or ""),
        Column("街道", lambda atlas, p: p.street or ""),
        Column("产业集群", lambda atlas, p: cluster_names(atlas, p.clusters)),
        Column("产业集群id", lambda atlas, p: cluster_ids(p.clusters)),
        Column("总投资（原文）", lambda atlas, p: p.investment or ""),
        Column("总投资（亿元）", lambda atlas, p: money_in_yi(p.investment), "number"),
        Column("用地面积（原文）", lambda atlas, p: p.land_area.as_written if p.land_area else ""),
        Column("用地面积（公顷）", lambda atlas, p: round(p.land_area.km2 * 100, 4) if p.land_area else None, "number"),
        Column("建筑面积（原文）", lambda atlas, p: p.floor_area.as_written if p.floor_area else ""),
        Column("建筑面积（万平方米）", lambda atlas, p: round(p.floor_area.km2 * 100, 4) if p.floor_area else None, "number"),
        Column("预计产出", lambda atlas, p: p.output or ""),
        Column("开工（原文）", lambda atlas, p: p.start or ""),
        Column("开工日期", lambda atlas, p: full_date(p.start), "date"),
        Column("开工年份", lambda atlas, p: first_year(p.start), "number"),
        Column("竣工（原文）", lambda atlas, p: p.completion or ""),
        Column("竣工年份", lambda atlas, p: first_year(p.completion), "number"),
        Column("进展", lambda atlas, p: p.stage.value if p.stage else ""),
        Column("进展（原文）", lambda atlas, p: p.stage_as_written or ""),
        Column("说明", lambda atlas, p: p.description or ""),
        Column("页面", lambda atlas, p: page_url(atlas, p)),
    ),
)

def _describe(atlas, project: Project) -> str:
    facts = [f for f in (project.investment and f"总投资{project.investment}", project.land_area and f"用地{project.land_area.as_written}",
                         project.stage and project.stage.value) if f]
    place = atlas.places.get(project.place) if project.place else None
    where = f"，位于{place.name}" if place else ""
    return f"{project.name}{where}" + (f"：{'，'.join(facts)}" if facts else "") + "。出自" + f"《{atlas.plans[project.plan].short_title}》。"


TYPE = RecordType(
    name="project",
    model=Project,
    folder="projects",
    noun="项目",
    label="项目",
    references={"plan": "plan", "district": "district", "place": "place", "clusters": "cluster"},
    quoted=(
        "investment", "street", "land_area.as_written", "floor_area.as_written", "output", "start", "completion",
        "stage_as_written",
    ),
    section="projects",
    template="project.md.j2",
    describe=_describe,
    search=_search,
    sheet=SHEET,
    english=("name",),
)
