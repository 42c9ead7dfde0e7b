"""Downloads parsed back: CSV, the XLSX workbook, JSON and GeoJSON hold the records, numbers as numbers."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import pytest
from openpyxl import load_workbook

from builder.atlas import build_atlas
from builder.records import REGISTRY
from conftest import ROOT
from test_build import parse


@pytest.fixture(scope="module")
def atlas():
    return build_atlas(ROOT)


def _csv(built_site, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO((built_site / "downloads" / name).read_text(encoding="utf-8-sig"))))


def test_every_record_type_is_in_the_json_with_its_citations(built_site, atlas):
    data = json.loads((built_site / "downloads/atlas.json").read_text(encoding="utf-8"))
    for record_type in REGISTRY:
        records = data[record_type.folder]
        assert len(records) == len(atlas.records[record_type.folder]), record_type.name
        assert all(record["citations"] for record in records)


def test_each_csv_has_a_row_per_record_and_a_working_citation_link(built_site, atlas):
    for record_type in REGISTRY:
        if record_type.sheet is None:
            continue
        rows = _csv(built_site, record_type.sheet.file)
        assert len(rows) == len(atlas.records[record_type.folder]), record_type.sheet.file
        assert list(rows[0])[: len(record_type.sheet.columns)] == [c.header for c in record_type.sheet.columns]
        page, _, fragment = rows[0]["出处"].partition("#")
        assert fragment in parse(built_site / page / "index.html").ids


def test_indicators_carry_numbers_beside_the_text(built_site, atlas):
    rows = {r["id"]: r for r in _csv(built_site, "indicators.csv")}
    row = rows["lg14-industrial-value-added"]
    assert row["基数（原文）"] == "2784.59" and float(row["基数（数值）"]) == 2784.59 and row["基数年份"] == "2020"
    assert row["单位"] == "亿元" and row["行政区"] == "龙岗区" and row["行政区id"] == "longgang"
    numeric = [r for r in rows.values() if r["目标（原文）"]]
    with_number = [r for r in numeric if r["目标（数值）"]]
    assert len(with_number) > 0.8 * len(numeric)  # the issue: only 2 of 246 targets were numbers
    for r in with_number:
        indicator = atlas.indicators[r["id"]]
        assert float(r["目标（数值）"]) == indicator.target.number


def test_places_have_coordinates_and_projects_name_their_place(built_site, atlas):
    places = {r["id"]: r for r in _csv(built_site, "places.csv")}
    drawn = [p for p in atlas.places.values() if atlas.shape_of(p)]
    assert all(places[p.id]["经度"] and places[p.id]["纬度"] for p in drawn)
    assert 113.7 < float(places["longgang-west"]["经度"]) < 114.7
    for row in _csv(built_site, "projects.csv"):
        if row["地点id"]:
            assert row["地点"] == atlas.places[row["地点id"]].name  # names, not ids, in the name column


def test_the_workbook_has_a_typed_sheet_per_dataset(built_site, atlas):
    book = load_workbook(built_site / "downloads/atlas.xlsx")
    labels = [rt.label for rt in REGISTRY if rt.sheet]
    assert book.sheetnames == labels
    sheet = book["指标"]
    header = [c.value for c in sheet[1]]
    rows = {row[0]: dict(zip(header, row)) for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["lg14-industrial-value-added"]["基数（数值）"] == 2784.59
    assert isinstance(rows["lg14-industrial-value-added"]["基数年份"], int)
    assert len(rows) == len(atlas.indicators)
    projects = book["项目"]
    header = [c.value for c in projects[1]]
    dates = [dict(zip(header, r))["开工日期"] for r in projects.iter_rows(min_row=2, values_only=True)]
    assert any(isinstance(d, datetime) for d in dates)  # e.g. 深圳工业软件园, 2022年11月25日
    for ws in book.worksheets:
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)


def test_geojson_downloads(built_site, atlas):
    places = json.loads((built_site / "downloads/places.geojson").read_text(encoding="utf-8"))
    assert len(places["features"]) == sum(1 for p in atlas.places.values() if atlas.shape_of(p))
    assert all(f["properties"]["precision"] and f["properties"]["basis"] for f in places["features"])
    districts = json.loads((built_site / "downloads/districts.geojson").read_text(encoding="utf-8"))
    assert {f["id"] for f in districts["features"]} == {d.id for d in atlas.districts.values() if atlas.district_shape(d.id)}


def test_the_data_dictionary_lists_every_field(built_site):
    page = (built_site / "downloads/index.html").read_text(encoding="utf-8")
    for record_type in REGISTRY:
        assert f'id="dict-{record_type.name}"' in page
        for name in record_type.model.model_fields:
            assert f"<code>{name}</code>" in page, (record_type.name, name)
    assert "引用格式" in page and "原始规划文件的版权归各发布机关" in page
