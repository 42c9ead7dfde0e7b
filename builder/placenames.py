"""Place names in the plan texts that no record holds: the next gap, made visible.

`atlas check --coverage` lists them the way it lists uncaptured figures. A candidate is a run of
characters ending in a place-kind word (园区, 产业园, 基地, 小镇, 科技城, 合作区, 示范区, 集聚区,
片区, 更新单元 …), cut back to where a name can start: after punctuation, or after a verb or
function word such as 建设, 打造, 依托, 在, 的. It is *covered* when a place record has it (or a
longer form of it) as its name or an alias.

What is left is either a gap, or explained:
- a generic phrase, recognised by its first word (一批…, 特色产业园区, 国家级…): counted, not listed;
- a decision written down in `content/coverage/unrecorded-places.yaml`, one `{name, reason}` per
  entry (an enterprise's own base, a place the text gives no district for, a policy title such
  as 先行示范区): listed with its reason.
No regular expression knows what a place is; the file is where people record what they decided.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .atlas import Atlas
from .errors import AtlasError
from .yamlsource import load_yaml

EXPLANATIONS = "content/coverage/unrecorded-places.yaml"
KIND_WORDS = (
    "先进制造业园区", "产业园区", "更新单元", "集聚区", "聚集区", "片区", "产业园", "科技园", "园区", "基地", "小镇",
    "科技城", "合作区", "试验区", "示范区", "生物谷", "创新港", "产业城",
)  # fmt: skip
_CANDIDATE = re.compile(rf"[\u4e00-\u9fffA-Za-z0-9·—\-]{{1,24}}?(?:{'|'.join(KIND_WORDS)})")
_LEAD = re.compile(
    r"^(?:.*?(?:建设|打造|推进|依托|加快|支持|推动|围绕|聚焦|布局|发挥|争创|创建|形成|规划|做强|提升|引进|联动|结合|衔接|"
    r"强化|完善|加强|鼓励|探索|设立|成立|位于|用于|谋划|拥有|积极|优先|制定|促进|发展|加大|匹配|培育|划定|原则|基于|主动|融入|"
    r"共建|构建|构筑|整合|增强|提高|建立|实现|编制|出台|导入|安排|开展|委托|方面|根据|研究|梳理|占|以|在|和|与|及|等|的|为|是|"
    r"到|将|把|由|对|向|从|至|了|、|握|接))+"
)
_GENERIC = re.compile(
    r"^(?:\d|[一二三四五六七八九十两百千]+[个大]|一批|若干|各类|各|多个|一个|这些|该|其|本|我市|全市|全国|特色|专业|重点|相关|新型|"
    r"示范|综合|现有|传统|老旧|工业|产业|配套|主题|高水平|高品质|高标准|世界级|国家级|省级|市级|区级|一流|核心|绿色|零碳|近零碳|"
    r"智慧|全光|企业|总部|生产|研发|制造|孵化|实训|培训|创新|应用|先进|高端|上|中试|中小试|小试|人才|创投|博士后|国际化|公共|"
    r"全产业链|全链条|一体化|城市更新|海外|飞地|集群|规模化|周边|-|—)"
)


@dataclass(frozen=True)
class Mention:
    plan: str
    line: int
    anchor: str


@dataclass
class PlaceNameCoverage:
    gaps: dict[str, list[Mention]] = field(default_factory=dict)  # name → where it occurs
    explained: dict[str, tuple[str, list[Mention]]] = field(default_factory=dict)  # name → (reason, where)
    generic: int = 0
    covered: int = 0


def candidates(text: str) -> list[str]:
    names = []
    for match in _CANDIDATE.finditer(text):
        name = _LEAD.sub("", match.group())
        if len(name) >= 4 and name not in KIND_WORDS:
            names.append(name)
    return names


def load_explanations(root: Path) -> dict[str, str]:
    path = root / EXPLANATIONS
    if not path.exists():
        return {}
    data = load_yaml(path, EXPLANATIONS) or []
    if not isinstance(data, list) or not all(isinstance(e, dict) and e.get("name") and e.get("reason") for e in data):
        raise AtlasError(f"{EXPLANATIONS} 应为列表 (must be a list of {{name, reason}} entries)")
    return {str(e["name"]): str(e["reason"]) for e in data}


def measure_place_names(atlas: Atlas) -> PlaceNameCoverage:
    known = [n for p in atlas.places.values() for n in (p.name, *p.aliases)]
    explanations = load_explanations(atlas.root)
    found: dict[str, list[Mention]] = defaultdict(list)
    for plan_id, text in atlas.texts.items():
        for block in text.blocks:
            if block.kind == "marker":
                continue
            for name in candidates(block.text):
                found[name].append(Mention(plan_id, block.line, block.anchor))
    result = PlaceNameCoverage()
    for name, where in sorted(found.items()):
        if any(name in k or (k in name and len(k) >= 4) for k in known):
            result.covered += 1
        elif name in explanations:
            result.explained[name] = (explanations[name], where)
        elif _GENERIC.match(name):
            result.generic += 1
        else:
            result.gaps[name] = where
    return result


def report_place_names(atlas: Atlas) -> list[str]:
    coverage = measure_place_names(atlas)
    lines = [
        f"地名覆盖 (place names in the texts): {coverage.covered} are place records, {len(coverage.explained)} explained, "
        f"{coverage.generic} generic phrases, {len(coverage.gaps)} not captured",
        "",
        "未收录的地名 (place names no record holds):",
    ]
    for name, where in coverage.gaps.items():
        first = where[0]
        lines.append(f"  content/plans/{first.plan}/text.md:{first.line} #{first.anchor}: {name} ({len(where)}×)")
    lines += ["", f"已说明的未收录地名 (explained in {EXPLANATIONS}):"]
    for name, (reason, where) in coverage.explained.items():
        lines.append(f"  {name} ({len(where)}×): {reason}")
    return lines
