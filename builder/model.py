"""The content model: what staff write in `content/`, field by field.

Read this module as the data dictionary of the atlas. Every record type below corresponds to YAML in
`content/` and every record must cite the plan paragraph it comes from. Models only check the shape
of one record; cross-record rules (unknown ids, quotes present in the text, geometry inside its
district) live in `validate.py`, which sees everything at once.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints, field_validator

from .errors import Location

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]
"""Stable ASCII id used in URLs and references, e.g. `longgang-west`."""

Anchor = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$", max_length=80)]
"""Paragraph anchor inside a plan's cleaned text, e.g. `s4-4-p2`."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Record(BaseModel):
    """Common base: unknown fields are errors (a typo must not be silently ignored)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    _origin: Location = PrivateAttr(default=Location("<memory>"))
    _field_lines: dict = PrivateAttr(default_factory=dict)  # field → line of its key, item → line of each item

    @property
    def origin(self) -> Location:
        """The `file:line` this record was read from."""
        return self._origin

    def origin_of(self, field_name: str, index: int | None = None) -> Location:
        """The `file:line` of one field (or of item `index` of a list field), else the record's."""
        line = self._field_lines.get((field_name, index)) if index is not None else None
        line = line or self._field_lines.get(field_name)
        return Location(self._origin.file, line) if line else self._origin


class Citation(Record):
    """A fact's provenance: an exact quote from one paragraph of a plan's cleaned text."""

    plan: Slug
    para: Anchor = Field(description="paragraph anchor in content/plans/<plan>/text.md")
    quote: Text = Field(description="copied verbatim from that paragraph")


class Cited(Record):
    """A record that states facts and therefore needs at least one citation."""

    citations: list[Citation] = Field(min_length=1)


class PlanStatus(str, Enum):
    published = "正式印发"
    draft = "征求意见稿"
    evaluation = "中期评估"


class Plan(Cited):
    """One plan document (or one action plan inside a compilation)."""

    id: Slug
    title: Text
    short_title: Text
    issuer: Text
    date: Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")] | None = Field(
        default=None,
        description="publication date as printed: YYYY, YYYY-MM or YYYY-MM-DD; omit when the document gives none",
    )
    period: Text = Field(description="planning period as written, e.g. 2021—2025")
    status: PlanStatus
    district: Slug | None = Field(default=None, description="issuing district; empty for city-wide plans")
    source: Text = Field(description="original document under content/sources/")
    source_lines: Annotated[str, StringConstraints(pattern=r"^\d+-\d+$")] | None = Field(
        default=None, description="line range within the source, for documents bundled in one file"
    )
    summary: Text | None = None


class ClusterLevel(str, Enum):
    city_cluster = "city-cluster"
    city_future = "city-future"
    district_cluster = "district-cluster"
    district_future = "district-future"

    @property
    def label(self) -> str:
        return {
            "city-cluster": "市级战略性新兴产业集群",
            "city-future": "市级未来产业",
            "district-cluster": "区级产业集群",
            "district-future": "区级未来产业",
        }[self.value]


class Cluster(Cited):
    """An industry cluster named by a plan, at city or district level."""

    id: Slug
    name: Text
    aliases: list[Text] = Field(default_factory=list, description="other names people search for")
    level: ClusterLevel
    plan: Slug = Field(description="plan that defines this cluster")
    district: Slug | None = Field(default=None, description="for district clusters: the district whose plan names it")
    districts: list[Slug] = Field(
        default_factory=list, description="for city clusters: the districts the plan names for its 集聚区/布局"
    )
    corresponds_to: list[Slug] = Field(default_factory=list, description="city clusters this district cluster maps to")
    correspondence_is_judgement: bool = Field(
        default=False, description="true when the mapping to city clusters is our reading, not the plan's words"
    )
    focus: Text | None = Field(default=None, description="重点发展 sub-fields as written")

    @property
    def is_city(self) -> bool:
        """A city-wide cluster (the 20 clusters and 8 future industries), not a district's own."""
        return self.level in (ClusterLevel.city_cluster, ClusterLevel.city_future)


class PlaceKind(str, Enum):
    advanced_manufacturing_park = "先进制造业园区"
    agglomeration_area = "集聚区"
    industrial_area = "产业片区"
    renewal_unit = "更新单元"
    science_city = "科技城"
    corridor = "走廊"
    park = "园区"
    industrial_park = "产业园"
    base = "基地"
    town = "小镇"
    cooperation_zone = "合作区"
    pilot_zone = "试验区"
    demonstration_zone = "示范区"
    other = "其他"


class Precision(str, Enum):
    """How exactly a place is drawn, and on whose authority."""

    schematic = "示意范围"  # a shape drawn from the plan's words (streets, roads, landmarks)
    approximate = "近似位置"  # a point the plan's words locate (a street, a landmark)
    editorial = "编者推定"  # a point or shape the plan does not locate: the editors' own knowledge
    district_only = "仅区级"  # the plan gives only the district

    @property
    def explanation(self) -> str:
        return {
            "示意范围": "示意范围：按规划文字所述方位绘制，非法定边界",
            "近似位置": "近似位置：按规划所述街道或地标标示大致位置",
            "编者推定": "编者推定：规划未写明位置，由编者依一般了解标注，仅供参考",
            "仅区级": "仅区级：规划未给出具体位置，只标示所在行政区",
        }[self.value]


_UNIT_TO_KM2 = {
    "平方公里": 1.0,
    "km²": 1.0,
    "km2": 1.0,
    "公顷": 0.01,
    "万m²": 0.01,
    "万平方米": 0.01,
    "m²": 1e-6,
    "平方米": 1e-6,
    "亩": 1 / 1500,
}


class Area(Record):
    """An area as the plan writes it, with a normalised km² value for comparison."""

    as_written: Text = Field(description="the figure with its unit exactly as in the plan, e.g. 约 703 万 m²")
    value: float = Field(gt=0)
    unit: Text

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, unit: str) -> str:
        if re.sub(r"\s+", "", unit) not in _UNIT_TO_KM2:
            raise ValueError(f"unknown area unit {unit!r}; expected one of: {', '.join(_UNIT_TO_KM2)}")
        return unit

    @property
    def km2(self) -> float:
        return self.value * _UNIT_TO_KM2[re.sub(r"\s+", "", self.unit)]


class GeometryRef(Record):
    """Where a place's shape lives in `geo/places/*.geojson`, and how exact it is."""

    ref: Slug | None = Field(default=None, description="feature id in geo/places/*.geojson; none for 仅区级")
    precision: Precision


class Place(Cited):
    """A named location where a plan puts industry: park, agglomeration area, 片区 …"""

    id: Slug
    name: Text
    aliases: list[Text] = Field(default_factory=list, description="other names the plans use for it")
    kind: PlaceKind
    district: Slug
    street: Text | None = Field(default=None, description="街道 (or 社区, road) as written, e.g. 宝龙街道")
    within: Slug | None = Field(
        default=None, description="the place it lies in, where the text relates them (a 集聚区 in its 先进制造业园区)"
    )
    clusters: list[Slug] = Field(default_factory=list)
    area: Area | None = None
    geometry: GeometryRef = Field(default_factory=lambda: GeometryRef(precision=Precision.district_only))
    status: Text | None = Field(default=None, description="phase/status as written, e.g. 启动区")
    description: Text | None = None


class District(Cited):
    """An administrative district of Shenzhen, joined to its boundary in `geo/districts.geojson`."""

    id: Slug
    name: Text
    aliases: list[Text] = Field(default_factory=list, description="other names, e.g. 深汕 for 深汕特别合作区")
    geometry: Slug | None = Field(default=None, description="feature id in geo/districts.geojson; none if no boundary")
    label_at: tuple[float, float] | None = Field(
        default=None, description="[lon, lat] for the map label when the shape's own centre misleads (龙岗 incl. 大鹏)"
    )


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_RANGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[-—~～至]\s*(\d+(?:\.\d+)?)")
_COMPARATORS = (
    ("不少于", "不少于"), ("不低于", "不低于"), ("超过", "超过"), ("突破", "突破"), ("力争", "力争"), ("达到", "达到"),
    ("超", "超过"), ("约", "约"), ("近", "近"), ("≥", "≥"), ("＞", ">"), (">", ">"), ("≤", "≤"), ("<", "<"),
)  # fmt: skip
_SUFFIXES = ("以上", "以内", "以下", "左右", "余", "多")


class Figure(Record):
    """A number as the plan writes it ("≥3500", "约 200", "60%"), with the year it refers to.

    The text stays as written; `number`, `high`, `comparator` and `percent` read it for tables,
    charts and spreadsheets ("30-35" → 30 and 35; "超过 200" → 超过 200; "80 以上" → 以上 80).
    A value in words ("全覆盖", "两千亿级") has no number.
    """

    value: Text = Field(description="as written, including qualifiers such as 约 or ≥")
    year: int | None = Field(default=None, ge=1949, le=2100)

    @property
    def number(self) -> float | None:
        """The first number in the text (the low end of a range); None when the value is words."""
        match = _NUMBER.search(self.value.replace(",", ""))
        return float(match.group()) if match else None

    @property
    def high(self) -> float | None:
        """The high end of a range such as 30-35; None otherwise."""
        match = _RANGE.match(self.value.replace(",", ""))
        return float(match.group(2)) if match else None

    @property
    def comparator(self) -> str | None:
        """The qualifier as written, before or after the number: 超过, 约, ≥, 以上, 左右 …"""
        text = re.sub(r"\s+", "", self.value)
        for prefix, shown in _COMPARATORS:
            if text.startswith(prefix):
                return shown
        match = _NUMBER.search(text)
        rest = text[match.end() :] if match else ""
        for suffix in _SUFFIXES:
            if suffix in rest[:6]:
                return suffix
        return "区间" if self.high is not None else None

    @property
    def percent(self) -> bool:
        return "%" in self.value or "％" in self.value


class IndicatorNature(str, Enum):
    expected = "预期性"
    binding = "约束性"


class Indicator(Cited):
    """A target, baseline or result from a plan's indicator table or text."""

    id: Slug
    plan: Slug
    name: Text
    unit: Text | None = None
    group: Text | None = Field(default=None, description="category row of the table, e.g. 产业综合实力")
    nature: IndicatorNature | None = None
    base: Figure | None = Field(default=None, description="baseline value and year")
    target: Figure | None = Field(default=None, description="target value and year")
    actual: Figure | None = Field(default=None, description="value reached (results, mid-term progress)")
    assessment: Text | None = Field(default=None, description="as written, e.g. 完成 / 超额完成 / 进度滞后")
    reports_on: Slug | None = Field(default=None, description="indicator of another plan whose progress this reports")
    district: Slug | None = None
    clusters: list[Slug] = Field(default_factory=list)


class ProjectStage(str, Enum):
    """Where a project stands, normalised from the words of the plan or evaluation that reports it."""

    planned = "规划"  # listed as a project to build
    under_construction = "在建"  # 开工, 在建, 主体封顶 …
    completed = "建成"  # 竣工, 建成, 投产, 投入使用 …


class Project(Cited):
    """A key project (重点项目), usually from a 专栏 list; every field as the text gives it."""

    id: Slug
    plan: Slug
    name: Text
    district: Slug | None = None
    place: Slug | None = Field(default=None, description="the named park or area it is built in")
    street: Text | None = Field(default=None, description="街道 (or 社区, road) as written")
    clusters: list[Slug] = Field(default_factory=list)
    investment: Text | None = Field(default=None, description="total investment as written, e.g. 约 6.6 亿元")
    land_area: Area | None = Field(default=None, description="用地面积 as written")
    floor_area: Area | None = Field(default=None, description="建筑面积 as written")
    output: Text | None = Field(default=None, description="expected output as written, e.g. 预计年产值 50 亿元")
    start: Text | None = Field(default=None, description="start of construction as written, e.g. 2022年11月25日")
    completion: Text | None = Field(default=None, description="completion as written, e.g. 2024年")
    stage: ProjectStage | None = None
    stage_as_written: Text | None = Field(default=None, description="the words the stage is read from, e.g. 已开工建设")
    description: Text | None = None


class SpatialRole(Cited):
    """A district's (or place's) role in a city cluster's layout, as a plan's 空间布局 section gives it.

    One record per cluster × district (or place) per plan: the role as written (设计企业集聚区,
    核心承载区, 重点发展区 …), the function where the text gives one (研发设计, 生产制造 …) and the
    overall pattern phrase (东部硅基、西部化合物、中部设计). An action plan and the opinion may list
    different districts for the same cluster: both are kept, each cited, never reconciled.
    """

    id: Slug
    plan: Slug = Field(description="the plan that states the role")
    cluster: Slug
    district: Slug | None = None
    place: Slug | None = Field(default=None, description="when the role is given to a named place")
    role: Text = Field(description="the role as written, e.g. 化合物半导体集聚区")
    function: Text | None = Field(default=None, description="研发设计 / 生产制造 / 应用示范 … where the text gives it")
    pattern: Text | None = Field(default=None, description="the overall pattern phrase, e.g. 东部硅基、西部化合物、中部设计")


class NoteStatus(str, Enum):
    confirmed = "确认"  # the plans do disagree; the finding stays, with the note
    explained = "已解释"  # they disagree for a reason the note gives (different scope, a projection …)
    false_positive = "误报"  # not a disagreement: the finding is no longer shown


class FindingNote(Cited):
    """An editor's note on a consistency finding (see the 规划之间的差异与核对 page)."""

    id: Slug
    finding: Annotated[str, StringConstraints(pattern=r"^[a-z-]+-[0-9a-f]{10}$")] = Field(
        description="the finding's id, as shown on the consistency page and by atlas check --consistency"
    )
    status: NoteStatus
    note: Text = Field(description="a short explanation for readers")


class DepartmentLevel(str, Enum):
    city = "市级"
    district = "区级"


class Department(Cited):
    """A government body named as responsible for tasks."""

    id: Slug
    name: Text
    aliases: list[Text] = Field(default_factory=list, description="short forms used in the plans, e.g. 工业和信息化局")
    level: DepartmentLevel
    district: Slug | None = Field(default=None, description="for a district's own government: the district")


class Task(Cited):
    """A key task with the departments named in the parentheses after it."""

    id: Slug
    plan: Slug
    title: Text
    lead: list[Slug] = Field(default_factory=list, description="牵头 departments")
    departments: list[Slug] = Field(default_factory=list, description="departments responsible (按职责分工负责, 责任单位)")
    clusters: list[Slug] = Field(default_factory=list)
