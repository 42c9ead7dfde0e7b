"""Government bodies named as responsible for tasks."""

from __future__ import annotations

from ..model import Department
from ..search.document import SearchDocument
from .base import RecordType


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
    search=_search,
)
