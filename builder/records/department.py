"""Government bodies named as responsible for tasks."""

from __future__ import annotations

from ..model import Department
from ..search.document import SearchDocument
from ._columns import district_name, page_url
from .base import Column, RecordType, Sheet


def _page(renderer, department: Department, path: str) -> dict:
    tasks = renderer.atlas.tasks_by_department.get(department.id, [])
    lead_count = sum(1 for t in tasks if department.id in t.lead)
    return {"department": department, "tasks": tasks, "lead_count": lead_count}


def _search(atlas, department: Department):
    plans = sorted({t.plan for t in atlas.tasks_by_department.get(department.id, [])})
    yield SearchDocument(
        "部门", department.name, "、".join(department.aliases), TYPE.url(department), {"plan": plans},
        aliases=list(department.aliases),
    )  # fmt: skip


SHEET = Sheet(
    "departments.csv",
    (
        Column("id", lambda atlas, d: d.id),
        Column("名称", lambda atlas, d: d.name),
        Column("简称", lambda atlas, d: "、".join(d.aliases)),
        Column("层级", lambda atlas, d: d.level.value),
        Column("行政区", lambda atlas, d: district_name(atlas, d.district)),
        Column("任务数", lambda atlas, d: len(atlas.tasks_by_department.get(d.id, [])), "number"),
        Column("牵头任务数", lambda atlas, d: sum(1 for t in atlas.tasks_by_department.get(d.id, []) if d.id in t.lead), "number"),
        Column("页面", lambda atlas, d: page_url(atlas, d)),
    ),
)

def _describe(atlas, department: Department) -> str:
    tasks = atlas.tasks_by_department.get(department.id, [])
    return f"{department.name}承担的重点任务（{len(tasks)} 项），出自深圳市产业集群行动计划。"


TYPE = RecordType(
    name="department",
    model=Department,
    folder="departments",
    noun="部门",
    label="部门",
    references={"district": "district"},
    section="departments",
    template="department.md.j2",
    page_context=_page,
    describe=_describe,
    search=_search,
    sheet=SHEET,
    english=("name",),
)
