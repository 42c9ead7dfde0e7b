"""builder.render.downloads on the small every-field project, in-process: each file's exact shape.

The full-size downloads (every record of the bundled plans) are checked in test_downloads.py.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import date

import pytest

from builder.atlas import build_atlas
from builder.records import REGISTRY
from builder.render.downloads import CITATION_COLUMNS, build_downloads, districts_geojson, places_geojson, tables
from hostile import make_project

SITE = "https://atlas.example/"


@pytest.fixture(scope="module")
def atlas(tmp_path_factory):
    return build_atlas(make_project(tmp_path_factory.mktemp("downloads") / "project", "x"))


@pytest.fixture
def downloads(atlas):
    """Made in each test that uses it: a mutation run ties a module fixture's work to one test."""
    return build_downloads(atlas, SITE, date(2024, 1, 1))


def test_the_json_holds_every_record_of_every_type_as_validated(atlas, downloads):
    files, _ = downloads
    text = files["downloads/atlas.json"]
    assert text.endswith("}\n") and text.startswith('{\n "clusters": [')  # sorted keys, indented
    data = json.loads(text)
    assert set(data) == {rt.folder for rt in REGISTRY}
    for rt in REGISTRY:
        expected = [r.model_dump(mode="json", exclude_none=True) for r in atlas.records[rt.folder].values()]
        assert data[rt.folder] == expected, rt.folder
    assert "street" in data["places"][0] and "street" not in data["places"][1]  # None fields are left out
    assert "园区x" in text  # Chinese as written, not \\u escapes


def test_places_geojson_has_the_drawn_places_with_their_properties(atlas):
    data = json.loads(places_geojson(atlas, SITE))
    assert data["type"] == "FeatureCollection" and data["crs_name"] == "WGS84"
    assert [f["id"] for f in data["features"]] == ["park-x", "point-x"]  # district-only-x has no shape
    park = data["features"][0]
    assert park["properties"] == {
        "id": "park-x", "name": "园区x", "kind": "先进制造业园区", "district": "longgang", "district_name": "甲区x",
        "clusters": ["district-x"], "precision": "示意范围", "basis": "依据x", "url": SITE + "places/park-x/",
    }  # fmt: skip
    ring = park["geometry"]["coordinates"][0]
    source = atlas.shape_of(atlas.places["park-x"]).geom.exterior.coords
    assert {tuple(point) for point in ring} == {(round(x, 5), round(y, 5)) for x, y in source}
    assert data["features"][1]["geometry"] == {"type": "Point", "coordinates": [114.2, 22.7]}


def test_places_geojson_is_compact_and_keys_are_sorted(atlas):
    text = places_geojson(atlas)
    assert text.endswith("}\n") and ", " not in text and '": ' not in text
    assert text.startswith('{"crs_name":"WGS84","features":[{"geometry":')
    assert json.loads(text)["features"][0]["properties"]["url"] == "places/park-x/"  # relative without a site URL


def test_a_place_whose_basis_is_missing_says_what_its_precision_means(atlas):
    shape = atlas.shape_of(atlas.places["park-x"])
    saved = dict(shape.properties)
    try:
        shape.properties.pop("basis")
        park = json.loads(places_geojson(atlas))["features"][0]
    finally:
        shape.properties.clear()
        shape.properties.update(saved)
    assert park["properties"]["basis"] == atlas.places["park-x"].geometry.precision.explanation != ""


def test_districts_geojson(atlas):
    data = json.loads(districts_geojson(atlas, SITE))
    assert data["crs_name"] == "WGS84"
    assert [f["id"] for f in data["features"]] == ["longgang", "pingshan"]
    props = {f["id"]: f["properties"] for f in data["features"]}
    assert props["longgang"] == {"id": "longgang", "name": "甲区x", "url": SITE + "districts/longgang/", "precision": None, "basis": "依据x"}
    shape = atlas.district_shape("pingshan")
    saved = dict(shape.properties)
    try:
        shape.properties.pop("basis")
        pingshan = json.loads(districts_geojson(atlas, SITE))["features"][1]["properties"]
    finally:
        shape.properties.clear()
        shape.properties.update(saved)
    assert pingshan == {"id": "pingshan", "name": "乙区x", "url": SITE + "districts/pingshan/"}  # no basis, no precision


def test_each_dataset_is_a_csv_with_its_columns_and_a_citation_per_row(atlas, downloads):
    files, datasets = downloads
    by_name = {rt.name: rt for rt in REGISTRY}
    assert [d.name for d in datasets] == [rt.name for rt in REGISTRY if rt.sheet is not None]
    for dataset in datasets:
        rt = by_name[dataset.name]
        rows = list(csv.reader(io.StringIO(files[f"downloads/{dataset.file}"].removeprefix("\ufeff"))))
        header = [c.header for c in rt.sheet.columns] + [h for h, _ in CITATION_COLUMNS]
        assert rows[0] == header and dataset.columns == [(c.header, c.kind) for c in rt.sheet.columns] + CITATION_COLUMNS
        assert dataset.records == len(rows) - 1 == len(atlas.records[rt.folder]) and dataset.label == rt.label
        for row, record in zip(rows[1:], atlas.records[rt.folder].values()):
            first = record.citations[0]
            assert row[-1] == first.quote
            assert row[-2] == f"{SITE}plans/{first.plan}/#{first.para}"


def test_tables_match_the_csv_files(atlas, downloads):
    files, _ = downloads
    for dataset, table in tables(atlas, SITE):
        assert table.header == [h for h, _ in dataset.columns] and table.name == dataset.label
        assert len(table.rows) == dataset.records
        assert f"downloads/{dataset.file}" in files


def test_the_workbook_is_one_xlsx_with_a_sheet_per_dataset_and_its_date(atlas, downloads):
    files, datasets = downloads
    workbook = files["downloads/atlas.xlsx"]
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        names = archive.namelist()
        core = archive.read("docProps/core.xml").decode()
    assert len([n for n in names if n.startswith("xl/worksheets/sheet")]) == len(datasets)
    assert "2024-01-01" in core
    same, _ = build_downloads(atlas, SITE, date(2024, 1, 1))
    later, _ = build_downloads(atlas, SITE, date(2025, 6, 1))
    assert same["downloads/atlas.xlsx"] == workbook != later["downloads/atlas.xlsx"]
    undated, _ = build_downloads(atlas, SITE)
    with zipfile.ZipFile(io.BytesIO(undated["downloads/atlas.xlsx"])) as archive:
        assert "2020-01-01" in archive.read("docProps/core.xml").decode()


def test_the_file_list(downloads):
    files, datasets = downloads
    expected = {"downloads/atlas.json", "downloads/places.geojson", "downloads/districts.geojson", "downloads/atlas.xlsx"}
    assert set(files) == expected | {f"downloads/{d.file}" for d in datasets}


def test_without_a_site_url_every_link_is_relative(atlas):
    files, _ = build_downloads(atlas)
    place = json.loads(files["downloads/places.geojson"])["features"][0]["properties"]
    district = json.loads(files["downloads/districts.geojson"])["features"][0]["properties"]
    rows = list(csv.reader(io.StringIO(files["downloads/places.csv"].removeprefix("\ufeff"))))
    assert (place["url"], district["url"], rows[1][-2]) == ("places/park-x/", "districts/longgang/", "plans/hostile-plan/#s1-p1")
    with_site, _ = build_downloads(atlas, SITE)
    assert json.loads(with_site["downloads/places.geojson"])["features"][0]["properties"]["url"] == SITE + "places/park-x/"
    assert json.loads(with_site["downloads/districts.geojson"])["features"][0]["properties"]["url"] == SITE + "districts/longgang/"


def test_a_place_without_a_shape_does_not_stop_the_ones_after_it(tmp_path):
    project = make_project(tmp_path / "project", "x")
    places = project / "content/places/places.yaml"
    text = places.read_text("utf-8")
    last = text.index("- id: district-only-x")
    places.write_text(text[last:] + text[:last], "utf-8")  # the place without a shape comes first
    data = json.loads(places_geojson(build_atlas(project)))
    assert [f["id"] for f in data["features"]] == ["park-x", "point-x"]


def test_the_workbook_is_kept_in_the_cache_and_made_again_when_a_table_changes(tmp_path, monkeypatch):
    import builder.render.downloads as downloads_module
    from builder.cache import BuildCache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    project = make_project(tmp_path / "project", "x")
    made = []
    real = downloads_module.write_workbook
    monkeypatch.setattr(downloads_module, "write_workbook", lambda *args: made.append(1) or real(*args))
    with BuildCache.open(project) as cache:
        first, _ = build_downloads(build_atlas(project), SITE, date(2024, 1, 1), cache)
        again, _ = build_downloads(build_atlas(project), SITE, date(2024, 1, 1), cache)
        assert len(made) == 1 and again["downloads/atlas.xlsx"] == first["downloads/atlas.xlsx"]
        assert list((cache.folder / "workbook").rglob("*"))
        places = project / "content/places/places.yaml"
        places.write_text(places.read_text("utf-8").replace("name: 园区x", "name: 新园区x园区x", 1), "utf-8")
        changed, _ = build_downloads(build_atlas(project), SITE, date(2024, 1, 1), cache)
    assert len(made) == 2 and changed["downloads/atlas.xlsx"] != first["downloads/atlas.xlsx"]


def test_features_are_geojson_features_and_chinese_is_written_as_is(atlas):
    for text in (places_geojson(atlas), districts_geojson(atlas)):
        assert "\\u" not in text and ("园区x" in text or "甲区x" in text)
        for feature in json.loads(text)["features"]:
            assert sorted(feature) == ["geometry", "id", "properties", "type"] and feature["type"] == "Feature"
            assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon", "Point")


def test_a_district_drawn_schematically_says_so(atlas):
    shape = atlas.district_shape("longgang")
    shape.properties["precision"] = "示意范围"
    try:
        longgang = json.loads(districts_geojson(atlas))["features"][0]["properties"]
    finally:
        del shape.properties["precision"]
    assert (longgang["precision"], longgang["basis"]) == ("示意范围", "依据x")


def test_a_streamed_workbook_keeps_the_layout_and_types_of_its_cells():
    from datetime import datetime

    from openpyxl import load_workbook

    from builder.render.workbook import Table, write_workbook

    table = Table("项目", ["名称", "投资", "开工"], ["text", "number", "date"],
                  [["=1+1", 12.5, date(2024, 3, 1)], ["园区", None, None], ["", 3, "not a date"]])  # fmt: skip
    data = write_workbook([table], date(2025, 1, 2))
    assert data == write_workbook([table], date(2025, 1, 2))  # reproducible
    sheet = load_workbook(io.BytesIO(data))["项目"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["名称", "投资", "开工"], ["'=1+1", 12.5, datetime(2024, 3, 1)], ["园区", None, None], [None, 3, None],
    ]  # fmt: skip
    assert all(c.font.bold for c in sheet[1]) and not sheet["A2"].font.bold
    assert sheet["A2"].data_type == "s" and sheet["B2"].data_type == "n" and sheet["C2"].number_format == "yyyy-mm-dd"
    assert sheet.freeze_panes == "B2"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # columns of one width are one <col> element
        columns = re.findall(r'<col min="(\d+)" max="(\d+)" width="([\d.]+)"', archive.read("xl/worksheets/sheet1.xml").decode())
    widths = {column: float(width) for low, high, width in columns for column in range(int(low), int(high) + 1)}
    assert [int(widths[column]) for column in (1, 2, 3)] == [24, 14, 14]  # as Excel shows them (it stores padding too)


def test_json_downloads_hold_one_record_a_line_and_read_back_the_same():
    from builder.render.downloads import json_text

    data = {"places": [{"id": "b", "名称": "园区\"甲\"", "area": 1.5}, {"id": "a", "tags": [1, None]}], "clusters": []}
    text = json_text(data, sort_keys=True)
    assert json.loads(text) == data and text.endswith("}\n")
    assert text.splitlines()[1:4] == [' "clusters": [],', ' "places": [', '  {"area": 1.5, "id": "b", "名称": "园区\\"甲\\""},']
    assert list(json.loads(json_text(data))) == ["places", "clusters"]  # unsorted: as given
