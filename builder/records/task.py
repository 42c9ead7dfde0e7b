"""Key tasks with the departments named in the parentheses after them."""

from __future__ import annotations

from ..model import Task
from ..search.document import SearchDocument
from ._columns import EN_SEPARATOR, cluster_ids, cluster_names, cluster_names_en, ids_en, plan_title_en
from .base import Column, RecordType, Sheet


def _names(atlas, ids) -> str:
    return "、".join(atlas.departments[d].name for d in ids if d in atlas.departments)


def _search(atlas, task: Task):
    yield SearchDocument(
        "任务", task.title, _names(atlas, [*task.lead, *task.departments]), TYPE.url(task),
        {"plan": [task.plan], "cluster": list(task.clusters)},
    )  # fmt: skip


def _names_en(atlas, en, ids) -> str:
    return EN_SEPARATOR.join(en.plain(atlas.departments[d]) for d in ids if d in atlas.departments)


SHEET = Sheet(
    "tasks.csv",
    (
        Column("id", lambda atlas, t: t.id, en="id", about="The task's identifier"),
        Column("规划", lambda atlas, t: atlas.plans[t.plan].short_title, en="plan", english=lambda atlas, en, t: plan_title_en(atlas, en, t.plan),
               zh="plan_zh", about="The plan that sets the task (short title)"),
        Column("规划id", lambda atlas, t: t.plan, en="plan_id", about="Its identifier"),
        Column("任务", lambda atlas, t: t.title, en="title", english=lambda atlas, en, t: en.plain(t), zh="title_zh",
               about="The task (the English is an editorial translation of the plan's wording)"),
        Column("牵头单位", lambda atlas, t: _names(atlas, t.lead), en="lead", english=lambda atlas, en, t: _names_en(atlas, en, t.lead),
               zh="lead_zh", about="The departments that lead it"),
        Column("牵头单位id", lambda atlas, t: "、".join(t.lead), en="lead_ids", english=lambda atlas, en, t: ids_en(t.lead), about="Their identifiers"),
        Column("责任单位", lambda atlas, t: _names(atlas, t.departments), en="departments",
               english=lambda atlas, en, t: _names_en(atlas, en, t.departments), zh="departments_zh",
               about="The other departments responsible for it"),
        Column("责任单位id", lambda atlas, t: "、".join(t.departments), en="department_ids", english=lambda atlas, en, t: ids_en(t.departments),
               about="Their identifiers"),
        Column("产业集群", lambda atlas, t: cluster_names(atlas, t.clusters), en="clusters",
               english=lambda atlas, en, t: cluster_names_en(atlas, en, t.clusters), zh="clusters_zh", about="The clusters the task is for"),
        Column("产业集群id", lambda atlas, t: cluster_ids(t.clusters), en="cluster_ids", english=lambda atlas, en, t: ids_en(t.clusters),
               about="Their identifiers"),
    ),
    en_label="Tasks",
    en_about="Key tasks of the plans, with the departments named in the parentheses after them.",
)

TYPE = RecordType(
    name="task",
    model=Task,
    folder="tasks",
    noun="任务",
    label="任务",
    title=lambda task: task.title,
    references={"plan": "plan", "lead": "department", "departments": "department", "clusters": "cluster"},
    anchor=lambda task: f"plans/{task.plan}/#task-{task.id}",
    search=_search,
    sheet=SHEET,
    english=("title",),
)
