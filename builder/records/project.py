"""Key projects (重点项目), usually from a plan's 专栏 lists."""

from __future__ import annotations

from ..model import Project
from ..search.document import SearchDocument, joined, plan_facets, quotes
from .base import Column, RecordType, Sheet


def _search(atlas, project: Project):
    body = joined([project.investment, project.description, quotes(project)])
    yield SearchDocument("项目", project.name, body, TYPE.url(project), plan_facets(atlas, project))


SHEET = Sheet(
    "projects.csv",
    (
        Column("id", lambda atlas, p: p.id),
        Column("规划", lambda atlas, p: atlas.plans[p.plan].short_title),
        Column("项目", lambda atlas, p: p.name),
        Column("行政区", lambda atlas, p: p.district or ""),
        Column("地点", lambda atlas, p: p.place or ""),
        Column("产业集群", lambda atlas, p: "、".join(p.clusters)),
        Column("总投资", lambda atlas, p: p.investment or ""),
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
    anchor=lambda project: f"plans/{project.plan}/#proj-{project.id}",
    search=_search,
    sheet=SHEET,
)
