"""Detectors: where the plans disagree with each other or with themselves.

Each detector reads the joined Atlas (records and plan texts) and returns findings whose every
side quotes the words of one paragraph. They are deliberately narrow: a finding must be worth a
reader's time, so each rule says what it leaves out (round numbers that coincide, rates within
rounding, parts that may not be all listed). Editors' notes confirm, explain or dismiss them.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict

from ..atlas import Atlas
from .findings import Finding, Side

_PUNCT = "，。；、：:|（）()！？\n“”"
_LABEL_PREFIX = re.compile(r"^(?:\d{4}\s*年(?:底|末)?|截至|全区|全市|全年|实现|完成|达到|达|为|由|约|共|累计|其中|以及|和|及|其)+")
_UNITS = r"(?:万亿元|亿元|万元|家|个|%|平方公里|公顷|万平方米|件|项|人)"


def _normal(name: str) -> str:
    """A label reduced to its measure: 规上 → 规模以上, no brackets, units or spaces."""
    name = re.sub(r"（[^）]*）|\([^)]*\)", "", name)
    name = name.replace("规上", "规模以上").replace(" ", "")
    return re.sub(_UNITS + "$", "", name)


def _same_measure(a: str, b: str) -> bool:
    a, b = _normal(a), _normal(b)
    return bool(a and b) and (a in b or b in a)


def _side(record, label: str) -> Side:
    """A record's side of a finding: its first citation."""
    citation = record.citations[0]
    return Side(citation.plan, citation.para, citation.quote, label)


def same_figure_different_labels(atlas: Atlas) -> list[Finding]:
    """A measured figure (decimals, ≥ 4 digits) that the text gives under another name than a record.

    Round numbers (14000) coincide too easily to mean anything; a figure such as 11304.35 does not.
    """
    findings: dict[tuple, Finding] = {}
    for indicator in atlas.indicators.values():
        cited = {(c.plan, c.para) for c in indicator.citations}
        for figure in (indicator.base, indicator.target, indicator.actual):
            if not figure or not re.fullmatch(r"\d{2,}\.\d{2,}", figure.value.strip()):
                continue
            number = figure.value.strip()
            blocks, index = atlas.plan_blocks()
            for plan_id, block in (blocks[i] for i in index.containing(number)):
                if (plan_id, block.anchor) in cited:
                    continue
                for match in re.finditer(re.escape(number), block.text):
                    before = block.text[max(0, match.start() - 24) : match.start()]
                    label = _LABEL_PREFIX.sub("", re.split(f"[{re.escape(_PUNCT)}]", before)[-1].strip())
                    label = re.sub(r"(达到|达|为|约|超过)\s*$", "", label).strip()
                    if len(label) < 3 or _same_measure(label, indicator.name):
                        continue
                    unit = re.match(r"\s*" + _UNITS, block.text[match.end() :])
                    start = block.text.rfind(label, 0, match.start())
                    quote = block.text[start : match.end() + (unit.end() if unit else 0)]
                    key = (number, plan_id, block.anchor, label)
                    if key in findings:  # another record holds the same figure: it concerns that one too
                        found = findings[key]
                        findings[key] = Finding(found.kind, found.title, found.sides, found.computed, (*found.records, ("indicator", indicator.id)))
                        continue
                    findings[key] = Finding(
                        "figure-labels",
                        f"{number} 既是“{indicator.name}”，又被称为“{label}”",
                        (_side(indicator, f"{indicator.name} {number}"), Side(plan_id, block.anchor, quote, f"{label} {number}")),
                        records=(("indicator", indicator.id),),
                    )
    return list(findings.values())


_ACTIONS = re.compile(r"^(?:市级以上|市级及以上|累计建设|累计|新增|新建|建设|培育|引进|打造|全区|全市|达到)+")


def _measure(name: str) -> str:
    """What an indicator counts, without the verbs and floors around it (累计建设…, 市级以上…).

    Level words (国家级, 省级) stay: 国家级 and 省级 集群 are different measures.
    """
    return re.sub(r"(数量|个数|数)$", "", _ACTIONS.sub("", _normal(name)))


def same_label_different_figures(atlas: Atlas) -> list[Finding]:
    """Two indicators of one plan that measure the same thing for the same year with different targets."""
    findings = []
    by_plan = defaultdict(list)
    for indicator in atlas.indicators.values():
        if indicator.target and indicator.target.number is not None:
            by_plan[indicator.plan].append(indicator)
    for indicators in by_plan.values():
        for i, first in enumerate(indicators):
            for second in indicators[i + 1 :]:
                if first.target.year != second.target.year or first.target.number == second.target.number:
                    continue
                if first.unit and second.unit and _normal(first.unit) != _normal(second.unit):
                    continue
                if _measure(first.name) != _measure(second.name) or "预计" in first.name + second.name:
                    continue
                findings.append(
                    Finding(
                        "label-figures",
                        f"{first.target.year or ''}年目标：“{first.name}”{first.target.value}，“{second.name}”{second.target.value}",
                        (
                            _side(first, f"{first.name} {first.target.value}"),
                            _side(second, f"{second.name} {second.target.value}"),
                        ),
                        records=(("indicator", first.id), ("indicator", second.id)),
                    )
                )
    return findings


_GROWTH = re.compile(
    rf"([\u4e00-\u9fff]{{2,16}})由\s*(\d+(?:\.\d+)?)\s*({_UNITS})\s*(?:增长|增加|提高|提升)(?:到|至)\s*(?:(\d{{4}})\s*年的?\s*)?"
    rf"(\d+(?:\.\d+)?)\s*({_UNITS})[，,]\s*年均增长\s*(\d+(?:\.\d+)?)\s*%"
)


def growth_rates(atlas: Atlas) -> list[Finding]:
    """A stated 年均增长 recomputed from the same sentence's start and end values.

    With no start year in the sentence, the period is taken as five years (a 五年规划's), and the
    finding says so; a rate within rounding (±0.15 points) is not reported.
    """
    findings = []
    for plan_id, block in atlas.plan_blocks()[0]:
        for match in _GROWTH.finditer(block.text):
            label, start, _unit, end_year, end, _unit2, stated = match.groups()
            label = re.sub(r"^(?:完成|实现|推动|全区)+", "", label)
            start_value, end_value, rate = float(start), float(end), float(stated) / 100
            if start_value <= 0 or end_value <= 0:
                continue
            years = 5
            computed = (end_value / start_value) ** (1 / years) - 1
            if abs(computed - rate) <= 0.0015:
                continue
            fits = math.log(end_value / start_value) / math.log(1 + rate) if rate > 0 else float("nan")
            findings.append(
                Finding(
                    "growth-rate",
                    f"{label}：由 {start} 增长到 {end}，按五年计年均增长应为 {computed:.1%}，文中为 {stated}%",
                    (Side(plan_id, block.anchor, match.group(0), f"{label} 年均增长 {stated}%"),),
                    computed=f"({end} ÷ {start})^(1/{years}) − 1 = {computed:.2%}；{stated}% 对应约 {fits:.1f} 年",
                )
            )
    return findings


def district_lists(atlas: Atlas) -> list[Finding]:
    """A cluster's districts as the opinion lists them, against its action plan's roles and the
    district plans that develop it."""
    findings = []
    for cluster in atlas.clusters.values():
        if not cluster.is_city:
            continue
        listed = {d.id for d in atlas.districts_of(cluster)}
        roles = atlas.roles_by_cluster.get(cluster.id, [])
        with_roles = {r.district for r in roles if r.district}
        names_of = lambda d: (atlas.districts[d].name, *atlas.districts[d].aliases)  # noqa: E731
        opinion = next((c for c in cluster.citations if any(n in c.quote for d in listed for n in names_of(d))), None)
        name = lambda ids: "、".join(atlas.districts[d].name for d in sorted(ids, key=list(atlas.districts).index))  # noqa: E731
        opinion_side = Side(opinion.plan, opinion.para, opinion.quote, f"意见：{name(listed)}") if opinion else None
        if listed and with_roles and listed != with_roles and opinion:
            role = roles[0].citations[0]
            findings.append(
                Finding(
                    "district-lists",
                    f"{cluster.name}：市级意见列 {name(listed)}，行动计划给 {name(with_roles)} 定位",
                    (opinion_side, Side(role.plan, role.para, role.quote, f"行动计划：{name(with_roles)}")),
                    computed=f"仅意见列出：{name(listed - with_roles) or '无'}；仅行动计划给定位：{name(with_roles - listed) or '无'}",
                    records=(("cluster", cluster.id),),
                )  # fmt: skip
            )
        for local in atlas.correspondents.get(cluster.id, []):
            if local.district and local.district not in listed | with_roles and opinion and not local.correspondence_is_judgement:
                side = local.citations[0]
                findings.append(
                    Finding(
                        "district-lists",
                        f"{cluster.name}：{atlas.districts[local.district].name}的规划将其列为本区集群，市级意见与行动计划均未列该区",
                        (opinion_side, Side(side.plan, side.para, side.quote, f"{atlas.districts[local.district].name}：{local.name}")),
                        records=(("cluster", cluster.id), ("cluster", local.id)),
                    )  # fmt: skip
                )
    return findings


_STREET = re.compile(r"([\u4e00-\u9fff]{2,3}街道)")
_AFTER = re.compile(r"[：:，,]?\s*(?:项目)?位于([\u4e00-\u9fff]{2,3}街道)")


def place_locations(atlas: Atlas) -> list[Finding]:
    """A place the plans put in different streets (the street written just before its name)."""
    findings = []
    for place in atlas.places.values():
        names = sorted({place.name, *place.aliases}, key=len, reverse=True)
        streets: dict[str, Side] = {}
        blocks, index = atlas.plan_blocks()
        for plan_id, block in (blocks[i] for i in sorted({i for name in names for i in index.containing(name)})):
            for name in names:
                positions = atlas.name_positions(block.text, name) if name in block.text else []
                if not positions:
                    continue
                at = positions[0]
                before = _STREET.findall(block.text[max(0, at - 8) : at + len(name)])
                after = _AFTER.match(block.text, at + len(name))
                if before:
                    street = before[-1]
                    start = block.text.rfind(street, 0, at + len(name))
                    quote = block.text[start : at + len(name)]
                elif after:
                    street, quote = after.group(1), block.text[at : after.end()]
                else:
                    break
                streets.setdefault(street, Side(plan_id, block.anchor, quote, street))
                break
        if len(streets) > 1:
            findings.append(
                Finding(
                    "place-location",
                    f"{place.name}：规划分别写作位于{'、'.join(streets)}",
                    tuple(streets.values()),
                    records=(("place", place.id),),
                )
            )
    return findings


def revisions(atlas: Atlas) -> list[Finding]:
    """An evaluation's value for a target year that differs from the plan's target (a revision or a projection)."""
    findings = []
    for indicator in atlas.indicators.values():
        original = atlas.indicators.get(indicator.reports_on) if indicator.reports_on else None
        if not (original and indicator.target and original.target) or indicator.target.number is None:
            continue
        if indicator.target.number == original.target.number or indicator.target.year != original.target.year:
            continue
        what = "预计值" if "预计" in indicator.name else "调整后目标"
        findings.append(
            Finding(
                "revision",
                f"{original.name}：原目标 {original.target.value}，中期评估{what} {indicator.target.value}",
                (_side(original, f"原目标 {original.target.value}"),
                 _side(indicator, f"{what} {indicator.target.value}")),
                records=(("indicator", original.id), ("indicator", indicator.id)),
            )  # fmt: skip
        )
    return findings


def sums(atlas: Atlas) -> list[Finding]:
    """Places inside another whose areas add up to more than the whole."""
    findings = []
    for parent in atlas.places.values():
        parts = atlas.places_within.get(parent.id, [])
        with_area = [p for p in parts if p.area]
        if not parent.area or not with_area:
            continue
        total = sum(p.area.km2 for p in with_area)
        if total > parent.area.km2 * 1.01:
            findings.append(
                Finding(
                    "sum",
                    f"{parent.name}：所含地点面积之和大于其总面积",
                    (_side(parent, f"{parent.name} {parent.area.as_written}"),
                     *(_side(p, f"{p.name} {p.area.as_written}") for p in with_area)),
                    computed=" + ".join(f"{p.area.km2:.2f}" for p in with_area) + f" = {total:.2f} km² > {parent.area.km2:.2f} km²",
                    records=(("place", parent.id), *(("place", p.id) for p in with_area)),
                )  # fmt: skip
            )
    return findings


DETECTORS = (
    same_figure_different_labels, same_label_different_figures, growth_rates, district_lists, place_locations,
    revisions, sums,
)  # fmt: skip


def detect(atlas: Atlas) -> list[Finding]:
    return [finding for detector in DETECTORS for finding in detector(atlas)]

