"""Coverage: how much of each plan the structured data captures, and which figures it misses.

`atlas check --coverage` prints record counts per type and per plan, then every figure in the plan
texts (a number followed by a unit such as 亿元, 万 m², 平方公里, %, 家, 个) that no record cites:
a figure counts as captured when a citation on the same paragraph quotes it, or an indicator or
area citing that paragraph holds it. Gaps become a visible to-do list instead of silent omissions.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from .atlas import Atlas
from .geometry import area_km2
from .model import Cited
from .placenames import report_place_names
from .records import REGISTRY
from .records.place import area_deviation

UNITS = r"(?:万亿元|亿元|万元|元|万\s*m²|万平方米|平方米|m²|平方公里|km²|公顷|亩|%|个百分点|家|个|项|座|条|人|名|倍|万辆|万台|GW|MW|万吨)"
FIGURE = re.compile(rf"(\d[\d,]*(?:\.\d+)?)\s*({UNITS})")
RECORD_KINDS = tuple(rt.folder for rt in REGISTRY)


@dataclass(frozen=True)
class MissedFigure:
    plan: str
    anchor: str
    line: int
    figure: str
    context: str


@dataclass
class Coverage:
    counts: dict[str, int]
    per_plan: dict[str, Counter]
    missed: list[MissedFigure]
    figures: int


def _records(atlas: Atlas) -> dict[str, list[Cited]]:
    return {kind: list(getattr(atlas, kind).values()) for kind in RECORD_KINDS}


def _captured_text(atlas: Atlas) -> dict[tuple[str, str], str]:
    """All text that records hold for each cited paragraph, squashed of spaces."""
    held: dict[tuple[str, str], list[str]] = defaultdict(list)
    for records in _records(atlas).values():
        for record in records:
            values = [str(v) for v in _figure_values(record)]
            for citation in record.citations:
                held[(citation.plan, citation.para)].extend([citation.quote, *values])
    return {key: re.sub(r"\s+", "", " ".join(parts)) for key, parts in held.items()}


def _figure_values(record: Cited):
    for name in ("base", "target", "actual"):
        figure = getattr(record, name, None)
        if figure is not None:
            yield figure.value
    area = getattr(record, "area", None)
    if area is not None:
        yield area.as_written


def measure(atlas: Atlas) -> Coverage:
    records = _records(atlas)
    per_plan: dict[str, Counter] = {pid: Counter() for pid in atlas.plans}
    for kind, items in records.items():
        for record in items:
            for plan_id in dict.fromkeys(c.plan for c in record.citations):
                per_plan.setdefault(plan_id, Counter())[kind] += 1
    held = _captured_text(atlas)
    missed, total = [], 0
    for plan_id, text in atlas.texts.items():
        for block in text.blocks:
            if block.kind != "paragraph":
                continue
            captured = held.get((plan_id, block.anchor), "")
            for match in FIGURE.finditer(block.text):
                total += 1
                number, unit = match.group(1), re.sub(r"\s+", "", match.group(2))
                if number + unit in captured or (number in captured and unit in captured):
                    continue
                start = max(0, match.start() - 18)
                missed.append(
                    MissedFigure(plan_id, block.anchor, block.line, number + unit, block.text[start : match.end() + 6])
                )
    return Coverage({k: len(v) for k, v in records.items()}, per_plan, missed, total)


def report(atlas: Atlas) -> str:
    coverage = measure(atlas)
    lines = ["记录数 (records): " + ", ".join(f"{k} {v}" for k, v in coverage.counts.items()), "", "按规划 (per plan):"]
    for plan_id, counter in coverage.per_plan.items():
        missed = sum(1 for m in coverage.missed if m.plan == plan_id)
        parts = ", ".join(f"{k} {counter[k]}" for k in RECORD_KINDS if counter[k])
        lines.append(f"  {plan_id}: {parts or 'no records'}; figures not captured: {missed}")
    lines += ["", "面积对照 (drawn area vs the plan's figure):"]
    for place in atlas.places.values():
        shape = atlas.shape_of(place)
        deviation = area_deviation(place, shape.geom) if shape else None
        if deviation is not None:
            lines.append(
                f"  {place.id}: drawn {area_km2(shape.geom):.2f} km², plan {place.area.as_written} "
                f"({place.area.km2:.2f} km²), {deviation:+.0%}"
            )
    captured = coverage.figures - len(coverage.missed)
    lines += ["", f"数字覆盖 (figures captured): {captured} of {coverage.figures}", "", "未被记录引用的数字 (figures no record captures):"]
    for m in coverage.missed:
        lines.append(f"  content/plans/{m.plan}/text.md:{m.line} #{m.anchor}: {m.figure} — …{m.context}…")
    lines += ["", *report_place_names(atlas)]
    return "\n".join(lines)
