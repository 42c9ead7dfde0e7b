"""Key tasks with the departments named in the parentheses after them."""

from __future__ import annotations

from ..model import Task
from ..search.document import SearchDocument
from ._columns import cluster_ids, cluster_names
from .base import Column, RecordType, Sheet


def _names(atlas, ids) -> str:
    return "、".join(atlas.departments[d].name for d in ids if d in atlas.departments)


def _search(atlas, task: Task):
    yield SearchDocument(
        "任务", task.title, _names(atlas, [*task.lead, *task.departments]), TYPE.url(task),
        {"plan": [task.plan], "cluster": list(task.clusters)},
    )  # fmt: skip


SHEET = Sheet(
    "tasks.csv",
    (
        Column("id", lambda atlas, t: t.id),
        Column("规划", lambda atlas, t: atlas.plans[t.plan].short_title),
        Column("规划id", lambda atlas, t: t.plan),
        Column("任务", lambda atlas, t: t.title),
        Column("牵头单位", lambda atlas, t: _names(atlas, t.lead)),
        Column("牵头单位id", lambda atlas, t: "、".join(t.lead)),
        Column("责任单位", lambda atlas, t: _names(atlas, t.departments)),
        Column("责任单位id", lambda atlas, t: "、".join(t.departments)),
        Column("产业集群", lambda atlas, t: cluster_names(atlas, t.clusters)),
        Column("产业集群id", lambda atlas, t: cluster_ids(t.clusters)),
    ),
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
)
