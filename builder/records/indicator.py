"""Indicators: targets, baselines and results from plans' tables and text."""

from __future__ import annotations

from ..model import Indicator
from ..search.document import SearchDocument, joined, plan_facets
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


SHEET = Sheet(
    "indicators.csv",
    (
        Column("id", lambda atlas, i: i.id),
        Column("规划", lambda atlas, i: atlas.plans[i.plan].short_title),
        Column("指标", lambda atlas, i: i.name),
        Column("单位", lambda atlas, i: i.unit or ""),
        Column("类别", lambda atlas, i: i.group or ""),
        Column("属性", lambda atlas, i: i.nature.value if i.nature else ""),
        Column("基数", lambda atlas, i: figure_text(i.base)),
        Column("目标", lambda atlas, i: figure_text(i.target)),
        Column("实际", lambda atlas, i: figure_text(i.actual)),
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
)
