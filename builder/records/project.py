"""Key projects (重点项目), usually from a plan's 专栏 lists."""

from __future__ import annotations

from ..model import Project
from ..search.document import SearchDocument, joined, plan_facets, quotes
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
        Column("项目", lambda atlas, p: p.name),
        Column("行政区", lambda atlas, p: atlas.districts[p.district].name if p.district in atlas.districts else ""),
        Column("地点", lambda atlas, p: atlas.places[p.place].name if p.place in atlas.places else ""),
        Column("街道", lambda atlas, p: p.street or ""),
        Column("产业集群", lambda atlas, p: "、".join(atlas.clusters[c].name for c in p.clusters if c in atlas.clusters)),
        Column("总投资", lambda atlas, p: p.investment or ""),
        Column("用地面积", lambda atlas, p: p.land_area.as_written if p.land_area else ""),
        Column("建筑面积", lambda atlas, p: p.floor_area.as_written if p.floor_area else ""),
        Column("预计产出", lambda atlas, p: p.output or ""),
        Column("开工", lambda atlas, p: p.start or ""),
        Column("竣工", lambda atlas, p: p.completion or ""),
        Column("进展", lambda atlas, p: p.stage.value if p.stage else ""),
        Column("说明", lambda atlas, p: p.description or ""),
    ),
)

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
    search=_search,
    sheet=SHEET,
)
