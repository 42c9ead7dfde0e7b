"""builder.geometry on its own: each fault in a GeoJSON file at the exact line of the feature, and
the conversions checked against values worked out here, not against the module's own output."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from shapely.geometry import Point, Polygon, box

from builder.errors import Problems
from builder.geometry import (
    SHENZHEN_LAT,
    SHENZHEN_LON,
    area_km2,
    gcj_to_wgs,
    lies_within,
    read_features,
    rounded,
    wgs_to_gcj,
    wgs_to_gcj_point,
)

SQUARE = [[[114.10, 22.60], [114.11, 22.60], [114.11, 22.61], [114.10, 22.61], [114.10, 22.60]]]


def feature(feature_id, geometry=None, **extra) -> dict:
    out = {"type": "Feature", "properties": {"name": "x"}, "geometry": geometry or {"type": "Polygon", "coordinates": SQUARE}}
    if feature_id is not None:
        out["id"] = feature_id
    return {**out, **extra}


def write(tmp_path: Path, features: list, crs: str | None = "WGS84") -> Path:
    """One feature per line after a header line, the layout of the files under geo/."""
    header = '{"type":"FeatureCollection",' + (f'"crs_name":"{crs}",' if crs else "") + '"features":['
    rows = [json.dumps(f, ensure_ascii=False) for f in features]
    path = tmp_path / "places.geojson"
    path.write_text(header + "\n" + ",\n".join(rows) + "\n]}\n", encoding="utf-8")
    return path


def line_with(path: Path, needle: str, occurrence: int = 1) -> int:
    numbers = [n for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1) if needle in line]
    return numbers[occurrence - 1]


def read(path: Path):
    problems = Problems()
    shapes = read_features(path, "geo/places.geojson", problems)
    return shapes, [(p.location.line, p.message) for p in problems]


def test_good_features_are_returned_with_their_lines_and_properties(tmp_path):
    path = write(tmp_path, [feature("a"), feature("b", {"type": "Point", "coordinates": [114.2, 22.7]})])
    shapes, problems = read(path)
    assert problems == []
    assert list(shapes) == ["a", "b"]
    assert shapes["a"].location.line == line_with(path, '"id": "a"') == 2
    assert shapes["b"].location.line == 3 and shapes["b"].geom.equals(Point(114.2, 22.7))
    assert shapes["a"].properties == {"name": "x"} and shapes["a"].geojson["type"] == "Polygon"
    assert [shape.id for shape in shapes.values()] == ["a", "b"]


def test_an_id_in_the_properties_counts_and_numbers_become_text(tmp_path):
    by_property = {"type": "Feature", "properties": {"id": "p"}, "geometry": {"type": "Point", "coordinates": [114.2, 22.7]}}
    shapes, problems = read(write(tmp_path, [by_property, feature(7)]))
    assert problems == [] and list(shapes) == ["p", "7"]


@pytest.mark.parametrize(
    "bad, words",
    [
        (feature(None), 'feature #2 has no "id"'),
        (feature("", properties=None), 'feature #2 has no "id"'),
        (feature("bad", properties=["not", "an", "object"]), "'bad' 的 properties 应为对象"),
        (feature("bad", {"type": "Polygon", "coordinates": []}), "'bad' 几何为空 (empty geometry)"),
        ({"type": "Feature", "id": "bad", "properties": {}}, "要素 'bad' 缺少几何 (feature has no geometry): add a \"geometry\" object"),
        (feature("bad", geometry=None) | {"geometry": "Point"}, "要素 'bad' 缺少几何 (feature has no geometry)"),
        (feature("bad", {"type": "Polygon", "coordinates": [[[114.1, 22.6]]]}), "'bad' 几何无效 (invalid geometry)"),
        (feature("bad", {"type": "Triangle", "coordinates": [1, 2]}), "'bad' 几何无效 (invalid geometry)"),
        (feature("bad", {"type": "Point", "coordinates": [116.40, 39.90]}), "'bad' 不在深圳范围内 (outside Shenzhen)"),
        (feature("bad", {"type": "Point", "coordinates": [22.7, 114.2]}), "'bad' 经纬度顺序颠倒"),
        (
            feature("bad", {"type": "Polygon", "coordinates": [[[114.10, 22.65], [114.12, 22.67], [114.12, 22.65], [114.10, 22.67], [114.10, 22.65]]]}),
            "'bad' 几何无效 (invalid geometry): Self-intersection",
        ),
    ],
)
def test_each_bad_feature_is_reported_at_its_own_line_and_the_others_are_kept(tmp_path, bad, words):
    path = write(tmp_path, [feature("good"), bad, feature("after")])
    shapes, problems = read(path)
    assert list(shapes) == ["good", "after"]
    assert len(problems) == 1
    line, message = problems[0]
    assert path.read_text("utf-8").splitlines()[line - 1].rstrip(",") == json.dumps(bad, ensure_ascii=False)
    assert words in message, message


def test_a_duplicate_id_is_reported_at_the_second_feature(tmp_path):
    path = write(tmp_path, [feature("a"), feature("b"), feature("a", {"type": "Point", "coordinates": [114.2, 22.7]})])
    shapes, problems = read(path)
    assert list(shapes) == ["a", "b"] and shapes["a"].geom.geom_type == "Polygon"  # the first one is kept
    assert problems == [(4, "重复的要素 id (duplicate feature id) 'a'")]  # its own line, not the first one's


def test_a_feature_that_is_not_an_object(tmp_path):
    path = write(tmp_path, [feature("a"), "text", feature("c")])
    shapes, problems = read(path)
    assert list(shapes) == ["a", "c"]
    assert problems == [(3, "要素 #2 不是对象 (feature #2 is not an object): write {\"type\": \"Feature\", …}")]


def test_a_feature_on_a_line_we_cannot_place_reports_line_zero(tmp_path):
    path = tmp_path / "one-line.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "crs_name": "WGS84", "features": [feature(None)]}), "utf-8")
    _, problems = read(path)
    assert problems == [(0, '要素缺少 id (feature #1 has no "id")')]


@pytest.mark.parametrize(
    "text, line, words",
    [
        ('{"type":"FeatureCollection","crs_name":"WGS84","features":[\n{"id": "a",}\n]}\n', 2, "cannot parse GeoJSON"),
        ('[1, 2]\n', 1, "expected a FeatureCollection"),
        ('{"type":"Feature"}\n', 1, "expected a FeatureCollection"),
        ('{"type":"FeatureCollection","features":[]}\n', 1, 'coordinate system not declared): add "crs_name": one of WGS84, GCJ-02'),
        ('{"type":"FeatureCollection","crs_name":"BD-09","features":[]}\n', 1, "coordinate system not declared"),
        ('{"type":"FeatureCollection","crs_name":"WGS84","features":{}}\n', 1, '"features" must be a list'),
    ],
)
def test_a_file_that_cannot_be_read_as_a_whole(tmp_path, text, line, words):
    path = tmp_path / "bad.geojson"
    path.write_text(text, "utf-8")
    shapes, problems = read(path)
    assert shapes is None
    assert len(problems) == 1 and problems[0][0] == line and words in problems[0][1], problems


def test_a_file_not_in_utf8(tmp_path):
    path = tmp_path / "gbk.geojson"
    path.write_bytes('{"type":"FeatureCollection","crs_name":"WGS84","features":[{"id":"园区"}]}'.encode("gbk"))
    shapes, problems = read(path)
    assert shapes is None and len(problems) == 1 and "cannot parse GeoJSON" in problems[0][1]


@pytest.mark.parametrize("lon, lat", [(SHENZHEN_LON[0], SHENZHEN_LAT[0]), (SHENZHEN_LON[1], SHENZHEN_LAT[1])])
def test_the_shenzhen_box_includes_its_edges(tmp_path, lon, lat):
    shapes, problems = read(write(tmp_path, [feature("edge", {"type": "Point", "coordinates": [lon, lat]})]))
    assert problems == [] and list(shapes) == ["edge"]


def test_gcj02_files_are_converted_to_wgs84(tmp_path):
    wgs_point = Point(114.10, 22.60)
    gcj_point = wgs_to_gcj(wgs_point)
    path = write(tmp_path, [feature("p", {"type": "Point", "coordinates": [gcj_point.x, gcj_point.y]})], crs="GCJ-02")
    shapes, problems = read(path)
    assert problems == []
    assert shapes["p"].geom.distance(wgs_point) < 1e-6


def test_the_gcj02_shift_is_the_known_few_hundred_metres_and_inverts():
    """GCJ-02 moves points in Shenzhen by roughly 300–700 m, east and south (published comparisons)."""
    lon, lat = 114.05, 22.55
    glon, glat = wgs_to_gcj_point((lon, lat))
    metres = math.hypot((glon - lon) * 111_320 * math.cos(math.radians(lat)), (glat - lat) * 110_574)
    assert 300 < metres < 700 and glon > lon and glat < lat
    assert wgs_to_gcj(Point(lon, lat)).distance(Point(glon, glat)) < 1e-9
    back = gcj_to_wgs(Point(glon, glat))
    assert abs(back.x - lon) < 1e-7 and abs(back.y - lat) < 1e-7
    square = Polygon(SQUARE[0])
    assert gcj_to_wgs(wgs_to_gcj(square)).hausdorff_distance(square) < 1e-7


def test_area_in_square_kilometres():
    """A 0.01° × 0.01° cell at 22.6° N, from the ellipsoid's metres per degree there."""
    lat = math.radians(22.605)
    a, e2 = 6_378_137.0, 0.00669437999014
    per_lon = math.pi * a * math.cos(lat) / (180 * math.sqrt(1 - e2 * math.sin(lat) ** 2))
    per_lat = math.pi * a * (1 - e2) / (180 * (1 - e2 * math.sin(lat) ** 2) ** 1.5)
    expected = 0.01 * per_lon * 0.01 * per_lat / 1e6
    assert area_km2(box(114.10, 22.60, 114.11, 22.61)) == pytest.approx(expected, rel=2e-3)
    assert area_km2(box(114.10, 22.60, 114.12, 22.61)) == pytest.approx(2 * expected, rel=2e-3)


def test_lies_within_allows_about_fifty_metres():
    district = box(114.0, 22.5, 114.1, 22.6)
    metres = 1 / 110_574  # one metre of latitude, in degrees
    assert lies_within(Point(114.05, 22.55), district)
    assert lies_within(Point(114.05, 22.6 + 30 * metres), district)
    assert not lies_within(Point(114.05, 22.6 + 80 * metres), district)
    assert not lies_within(box(114.05, 22.55, 114.2, 22.58), district)


def test_rounded_keeps_five_decimals():
    geom = rounded(Point(114.123456789, 22.987654321))
    assert (geom.x, geom.y) == pytest.approx((114.12346, 22.98765), abs=1e-12)
    assert rounded(Point(114.123456789, 22.987654321), 2).x == pytest.approx(114.12, abs=1e-12)


def test_a_box_straddling_shenzhens_edge_is_outside_and_only_a_fully_swapped_one_is_swapped(tmp_path):
    half_swapped = {"type": "LineString", "coordinates": [[22.6, 114.1], [40.0, 114.2]]}  # lat, lon then far away
    straddling = {"type": "LineString", "coordinates": [[114.1, 22.6], [116.4, 39.9]]}  # Shenzhen to Beijing
    north = {"type": "Point", "coordinates": [114.1, 30.0]}  # Shenzhen's longitude, not its latitude
    shapes, problems = read(write(tmp_path, [feature("a", half_swapped), feature("b", straddling), feature("c", north)]))
    assert shapes == {}
    assert [message.split(" (")[1].split(")")[0] for _, message in problems] == ["outside Shenzhen"] * 3


def test_a_pretty_printed_file_reports_the_line_of_the_features_id(tmp_path):
    """Not one feature per line: the feature is found by its id, written as the file writes it."""
    bad = feature("园区乙", {"type": "Point", "coordinates": [116.4, 39.9]})
    path = tmp_path / "pretty.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "crs_name": "WGS84", "features": [feature("园区甲"), bad]},
                               ensure_ascii=False, indent=2), "utf-8")  # fmt: skip
    _, problems = read(path)
    assert [line for line, _ in problems] == [line_with(path, '"id": "园区乙"')]


def test_the_last_feature_on_the_closing_line_keeps_its_line(tmp_path):
    path = tmp_path / "tight.geojson"
    rows = [json.dumps(feature("a")), json.dumps(feature(None))]
    path.write_text('{"type":"FeatureCollection","crs_name":"WGS84","features":[\n' + rows[0] + ",\n" + rows[1] + "]}\n", "utf-8")
    _, problems = read(path)
    assert [line for line, _ in problems] == [3]


def test_whole_file_problems_name_the_file(tmp_path):
    for text, message in [
        ("[1]", "应为 GeoJSON FeatureCollection (expected a FeatureCollection)"),
        ('{"type":"FeatureCollection","crs_name":"WGS84","features":{}}', '"features" 应为列表 ("features" must be a list of Feature objects)'),
        ('{"type":"FeatureCollection","features":[]}', '未声明坐标系 (coordinate system not declared): add "crs_name": one of WGS84, GCJ-02'),
    ]:
        path = tmp_path / "f.geojson"
        path.write_text(text, "utf-8")
        problems = Problems()
        assert read_features(path, "geo/f.geojson", problems) is None
        assert [(p.location.file, p.location.line, p.message) for p in problems] == [("geo/f.geojson", 1, message)]
    path.write_bytes('{"type":"FeatureCollection","features":[{"id":"园区"}]}'.encode("gbk"))
    problems = Problems()
    read_features(path, "geo/f.geojson", problems)
    assert [(p.location.file, p.location.line) for p in problems] == [("geo/f.geojson", 0)]  # the file as a whole
