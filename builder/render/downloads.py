"""Data downloads: every record as JSON (with its citations) and the main tables as CSV.

Investors and researchers want the data, not only pages: `downloads/atlas.json` holds all records
exactly as validated; the CSV files (UTF-8 with BOM so Excel opens Chinese correctly) flatten the
tables people filter and chart — places, indicators, projects, tasks — each row with a link to the
paragraph it is cited from.
"""

from __future__ import annotations

import csv
import io
import json
import re

from ..atlas import Atlas

DOWNLOAD_DIR = "downloads"
KINDS = ("plans", "clusters", "places", "districts", "indicators", "projects", "departments", "tasks")


def _cited(atlas: Atlas, record) -> tuple[str, str]:
    citation = atlas.cite(record.citations[0])
    return citation.url, citation.quote


def _figure(figure) -> str:
    return f"{figure.value}（{figure.year}）" if figure and figure.year else (figure.value if figure else "")


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


def spreadsheet_safe(value) -> str:
    """A cell Excel and LibreOffice will not run as a formula (OWASP: prefix a quote).

    A text cell starting with = + - @, a tab or a carriage return would be read as a formula
    (`=HYPERLINK(…)` can send data elsewhere); a leading `'` makes it plain text. A cell that is
    a plain number (-3.5) is no formula and stays as it is.
    """
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def _csv(header: list[str], rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([spreadsheet_safe(cell) for cell in header])
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)
    return "\ufeff" + buffer.getvalue()


def build_downloads(atlas: Atlas, site_url: str = "") -> dict[str, str]:
    """Files to add to the site: path → text."""
    everything = {
        kind: [record.model_dump(mode="json", exclude_none=True) for record in getattr(atlas, kind).values()] for kind in KINDS
    }
    files = {f"{DOWNLOAD_DIR}/atlas.json": json.dumps(everything, ensure_ascii=False, indent=1, sort_keys=True) + "\n"}

    def link(record) -> list[str]:
        url, quote = _cited(atlas, record)
        return [site_url + url, quote]

    files[f"{DOWNLOAD_DIR}/places.csv"] = _csv(
        ["id", "名称", "类型", "行政区", "产业集群", "面积（原文）", "面积（平方公里）", "位置精度", "出处", "引文"],
        [
            [p.id, p.name, p.kind.value, atlas.districts[p.district].name if p.district in atlas.districts else p.district,
             "、".join(atlas.clusters[c].name for c in p.clusters if c in atlas.clusters),
             p.area.as_written if p.area else "", f"{p.area.km2:.3f}" if p.area else "", p.geometry.precision.value, *link(p)]
            for p in atlas.places.values()
        ],
    )  # fmt: skip
    files[f"{DOWNLOAD_DIR}/indicators.csv"] = _csv(
        ["id", "规划", "指标", "单位", "类别", "属性", "基数", "目标", "实际", "评估", "评估对象", "出处", "引文"],
        [
            [i.id, atlas.plans[i.plan].short_title, i.name, i.unit or "", i.group or "", i.nature.value if i.nature else "",
             _figure(i.base), _figure(i.target), _figure(i.actual), i.assessment or "", i.reports_on or "", *link(i)]
            for i in atlas.indicators.values()
        ],
    )  # fmt: skip
    files[f"{DOWNLOAD_DIR}/projects.csv"] = _csv(
        ["id", "规划", "项目", "行政区", "地点", "产业集群", "总投资", "说明", "出处", "引文"],
        [
            [p.id, atlas.plans[p.plan].short_title, p.name, p.district or "", p.place or "", "、".join(p.clusters),
             p.investment or "", p.description or "", *link(p)]
            for p in atlas.projects.values()
        ],
    )  # fmt: skip
    files[f"{DOWNLOAD_DIR}/tasks.csv"] = _csv(
        ["id", "规划", "任务", "牵头单位", "责任单位", "出处", "引文"],
        [
            [t.id, atlas.plans[t.plan].short_title, t.title,
             "、".join(atlas.departments[d].name for d in t.lead if d in atlas.departments),
             "、".join(atlas.departments[d].name for d in t.departments if d in atlas.departments), *link(t)]
            for t in atlas.tasks.values()
        ],
    )  # fmt: skip
    return files
