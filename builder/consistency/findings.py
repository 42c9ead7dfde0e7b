"""A finding: two (or more) places in the plans that disagree, each side cited to its paragraph.

A finding's id is stable: it is made from its kind and the paragraphs and values of its sides, so an
editor's note keeps pointing at the same finding across builds as long as the texts say the same.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property

KINDS = {
    "figure-labels": "同一数字，不同名称",
    "label-figures": "同一指标，不同数字",
    "growth-rate": "增速与起止数值不符",
    "district-lists": "布局行政区名单不一致",
    "place-location": "同一地点，不同位置",
    "revision": "中期评估与原目标不同",
    "sum": "分项之和与总数不符",
}
"""Kinds of findings, with the heading the public page gives them."""


@dataclass(frozen=True)
class Side:
    plan: str
    anchor: str
    quote: str  # the words on this side, verbatim from the paragraph
    label: str = ""  # what this side says, in short: "规上工业总产值 11304.35 亿元"


@dataclass(frozen=True)
class Finding:
    kind: str
    title: str
    sides: tuple[Side, ...]
    computed: str = ""  # the arithmetic, shown with its formula
    records: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (record type, id) the finding concerns

    @cached_property  # pages ask for it often; a frozen dataclass keeps it in its __dict__
    def id(self) -> str:
        key = "|".join([self.kind, *sorted(f"{s.plan}#{s.anchor}:{s.label}" for s in self.sides), *sorted(f"{t}:{i}" for t, i in self.records)])
        return f"{self.kind}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:10]}"

    @property
    def heading(self) -> str:
        return KINDS[self.kind]
