"""Indicators: targets, baselines and results from plans' tables and text."""

from __future__ import annotations

from ..model import Indicator
from ..search.document import SearchDocument, joined, plan_facets
from ..render import english_format
from ._columns import (
    COMPARATORS_EN, cluster_ids, cluster_names, cluster_names_en, district_name, district_name_en, figure_en, ids_en, plan_title_en,
)
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


def _figure_columns(label: str, attribute: str, en: str, meaning: str) -> tuple[Column, ...]:
    def figure(i):
        return getattr(i, attribute)

    return (
        Column(f"{label}（原文）", lambda atlas, i: figure(i).value if figure(i) else "", en=en,
               english=lambda atlas, _, i: figure_en(figure(i).value, i.unit) if figure(i) else "", zh=f"{en}_as_written",
               about=f"The {meaning}, in English (empty when the plan's words cannot be read as a figure)"),
        Column(f"{label}年份", lambda atlas, i: figure(i).year if figure(i) else None, "number", en=f"{en}_year",
               about=f"The year of the {meaning}"),
        Column(f"{label}（比较）", lambda atlas, i: (figure(i).comparator or "") if figure(i) else "", en=f"{en}_comparator",
               english=lambda atlas, _, i: COMPARATORS_EN.get(figure(i).comparator or "", "") if figure(i) else "",
               about="The qualifier written with it: at least, over, about, up to …; range for a range"),
        Column(f"{label}（数值）", lambda atlas, i: figure(i).number if figure(i) else None, "number", en=f"{en}_number",
               about=f"The {meaning} as a number, in the indicator's unit (the low end of a range)"),
        Column(f"{label}（上限）", lambda atlas, i: figure(i).high if figure(i) else None, "number", en=f"{en}_high",
               about="The high end of a range"),
    )


SHEET = Sheet(
    "indicators.csv",
    (
        Column("id", lambda atlas, i: i.id, en="id", about="The indicator's identifier"),
        Column("规划", lambda atlas, i: atlas.plans[i.plan].short_title, en="plan", english=lambda atlas, en, i: plan_title_en(atlas, en, i.plan),
               zh="plan_zh", about="The plan that sets or reports it (short title)"),
        Column("规划id", lambda atlas, i: i.plan, en="plan_id", about="Its identifier"),
        Column("指标", lambda atlas, i: i.name, en="name", english=lambda atlas, en, i: en.plain(i), zh="name_zh",
               about="The indicator's English name (see en_source); the Chinese when it has none yet"),
        Column("单位", lambda atlas, i: i.unit or "", en="unit", english=lambda atlas, en, i: (english_format.unit_label(i.unit) or "") if i.unit else "",
               zh="unit_zh", about="Its unit in English (count: a number of firms, projects …; empty when the unit is not known)"),
        Column("类别", lambda atlas, i: i.group or "", en="group", english=lambda atlas, en, i: en.text(i, "group") or "", zh="group_zh",
               about="The category row of the plan's table"),
        Column("属性", lambda atlas, i: i.nature.value if i.nature else "", en="nature", english=lambda atlas, en, i: en.label(i.nature),
               about="Expected or binding, where the plan says"),
        Column("行政区", lambda atlas, i: district_name(atlas, _district(atlas, i)), en="district",
               english=lambda atlas, en, i: district_name_en(atlas, en, _district(atlas, i)), zh="district_zh",
               about="The district it is for (its plan's district when it names none); empty for the city"),
        Column("行政区id", lambda atlas, i: _district(atlas, i) or "", en="district_id", about="Its identifier"),
        Column("产业集群", lambda atlas, i: cluster_names(atlas, i.clusters), en="clusters",
               english=lambda atlas, en, i: cluster_names_en(atlas, en, i.clusters), zh="clusters_zh", about="The clusters it measures"),
        Column("产业集群id", lambda atlas, i: cluster_ids(i.clusters), en="cluster_ids", english=lambda atlas, en, i: ids_en(i.clusters),
               about="Their identifiers"),
        *_figure_columns("基数", "base", "base", "baseline"),
        *_figure_columns("目标", "target", "target", "target"),
        *_figure_columns("实际", "actual", "actual", "value reached"),
        Column("评估", lambda atlas, i: i.assessment or "", en="assessment_zh",
               about="An evaluation's verdict on it (completed, exceeded …), in Chinese as written"),
        Column("评估对象", lambda atlas, i: i.reports_on or "", en="reports_on", about="The indicator of an earlier plan that this one reports on"),
    ),
    en_label="Indicators",
    en_about="Indicators: the baselines, targets and results in the plans' tables and text, as written and as numbers.",
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
