"""Government bodies named as responsible for tasks."""

from __future__ import annotations

from ..model import Department
from ..search.document import SearchDocument
from ._columns import district_name, district_name_en, english_page_url, page_url
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
        Column("id", lambda atlas, d: d.id, en="id", about="The department's identifier, as in its page's URL"),
        Column("名称", lambda atlas, d: d.name, en="name", english=lambda atlas, en, d: en.plain(d), zh="name_zh",
               about="The department's English name (see en_source); the Chinese when it has none yet"),
        Column("简称", lambda atlas, d: "、".join(d.aliases), en="aliases_zh", about="The short Chinese names the plans use for it"),
        Column("层级", lambda atlas, d: d.level.value, en="level", english=lambda atlas, en, d: en.label(d.level), about="City or district"),
        Column("行政区", lambda atlas, d: district_name(atlas, d.district), en="district",
               english=lambda atlas, en, d: district_name_en(atlas, en, d.district), zh="district_zh",
               about="For a district's department: the district"),
        Column("任务数", lambda atlas, d: len(atlas.tasks_by_department.get(d.id, [])), "number", en="tasks",
               about="How many key tasks name it as lead or responsible department"),
        Column("牵头任务数", lambda atlas, d: sum(1 for t in atlas.tasks_by_department.get(d.id, []) if d.id in t.lead), "number",
               en="lead_tasks", about="How many of them it leads"),
        Column("页面", lambda atlas, d: page_url(atlas, d), en="page", english=lambda atlas, en, d: english_page_url(atlas, d),
               about="The department's page on this site (English edition), relative to the site's root"),
    ),
    en_label="Departments",
    en_about="Government bodies the plans name as responsible for their key tasks.",
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
