"""Indicators: targets, baselines and results from plans' tables and text."""

from __future__ import annotations

from ..model import Indicator
from ..search.document import SearchDocument, joined, plan_facets
from ._columns import cluster_ids, cluster_names, district_name
from .base import Column, RecordType, Sheet


def _reports_on_another_plan(indicator: Indicator, checker, problems) -> None:
    target = checker.ids["indicator"].get(indicator.reports_on) if indicator.reports_on else None
    if target is not None and target.plan == indicator.plan:
        problems.add(
            indicator.origin,
            f"Indicator '{indicator.id}': reports_on '{indicator.reports_on}' is in the same plan; "
            "it should name the indicator of the plan being evaluated",
        )


def _has_a_figure(indicator: Indicator, checker, problems) -> None:
    if not (indicator.base or indicator.target or indicator.actual):
        problems.add(indicator.origin, f"Indicator '{indicator.id}': give at least one of base, target, actual")


def _search(atlas, indicator: Indicator):
    figures = [
        f"{label}{f.year or ''}：{f.value}"
        for label, f in (("基数", indicator.base), ("目标", indicator.target), ("实际", indicator.actual))
        if f
    ]
    body = joined([indicator.group, indicator.unit, *figures, indicator.assessment])
    yield SearchDocument("指标", indicator.name, body, TYPE.url(indicator), plan_facets(atlas, indicator))


def figure_text(figure) -> str:
    return f"{figure.value}（{figure.year}）" if figure and figure.year else (figure.value if figure else "")


def _district(atlas, indicator: Indicator) -> str | None:
    plan = atlas.plans.get(indicator.plan)
    return indicator.district or (plan.district if plan else None)


def _figure_columns(label: str, attribute: str) -> tuple[Column, ...]:
    def figure(i):
        return getattr(i, attribute)

    return (
        Column(f"{label}（原文）", lambda atlas, i: figure(i).value if figure(i) else ""),
        Column(f"{label}年份", lambda atlas, i: figure(i).year if figure(i) else None, "number"),
        Column(f"{label}（比较）", lambda atlas, i: (figure(i).comparator or "") if figure(i) else ""),
        Column(f"{label}（数值）", lambda atlas, i: figure(i).number if figure(i) else None, "number"),
        Column(f"{label}（上限）", lambda atlas, i: figure(i).high if figure(i) else None, "number"),
    )


SHEET = Sheet(
    "indicators.csv",
    (
        Column("id", lambda atlas, i: i.id),
        Column("规划", lambda atlas, i: atlas.plans[i.plan].short_title),
        Column("规划id", lambda atlas, i: i.plan),
        Column("指标", lambda atlas, i: i.name),
        Column("单位", lambda atlas, i: i.unit or ""),
        Column("类别", lambda atlas, i: i.group or ""),
        Column("属性", lambda atlas, i: i.nature.value if i.nature else ""),
        Column("行政区", lambda atlas, i: district_name(atlas, _district(atlas, i))),
        Column("行政区id", lambda atlas, i: _district(atlas, i) or ""),
        Column("产业集群", lambda atlas, i: cluster_names(atlas, i.clusters)),
        Column("产业集群id", lambda atlas, i: cluster_ids(i.clusters)),
        *_figure_columns("基数", "base"),
        *_figure_columns("目标", "target"),
        *_figure_columns("实际", "actual"),
        Column("评估", lambda atlas, i: i.assessment or ""),
        Column("评估对象", lambda atlas, i: i.reports_on or ""),
    ),
)

TYPE = RecordType(
    name="indicator",
    model=Indicator,
    folder="indicators",
    noun="指标",
    label="指标",
    references={"plan": "plan", "district": "district", "clusters": "cluster", "reports_on": "indicator"},
    anchor=lambda indicator: f"plans/{indicator.plan}/#ind-{indicator.id}",
    checks=(_reports_on_another_plan, _has_a_figure),
    search=_search,
    sheet=SHEET,
    english=("name", "group"),
)
