"""Geometry files: read, convert to WGS84, check the checks a map-maker would do by eye.

Files under `geo/` are GeoJSON FeatureCollections, one feature per line, each declaring its
coordinate system in a top-level `"crs_name"` ("WGS84" or "GCJ-02"). GCJ-02 — the offset system of
Amap and most Chinese map services — is converted to WGS84 on reading with `prcoords` (CC0), so the
rest of the pipeline only ever sees WGS84.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import prcoords
import shapely
from pyproj import Transformer
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from .errors import Location, Problems

CRS_NAMES = ("WGS84", "GCJ-02")
# Shenzhen proper plus the 深汕特别合作区 exclave to the east, with a small margin.
SHENZHEN_LON = (113.70, 115.60)
SHENZHEN_LAT = (22.35, 23.20)
INSIDE_TOLERANCE_DEG = 0.0005  # ~50 m: schematic shapes may touch a simplified boundary


@dataclass
class Shape:
    id: str
    geom: BaseGeometry
    properties: dict[str, Any] = field(default_factory=dict)
    location: Location = field(default_factory=lambda: Location("<memory>"))

    @property
    def geojson(self) -> dict:
        return mapping(self.geom)


def read_features(path: Path, shown_as: str, problems: Problems) -> dict[str, Shape] | None:
    """Read one FeatureCollection; every bad feature is reported, good ones are returned.

    None means the file as a whole could not be read (already reported).
    """
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", 0)
        problems.add(Location(shown_as, line), f"GeoJSON 无法解析 (cannot parse GeoJSON): {exc}")
        return None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        problems.add(Location(shown_as, 1), "应为 GeoJSON FeatureCollection (expected a FeatureCollection)")
        return None
    crs_name = data.get("crs_name")
    if crs_name not in CRS_NAMES:
        problems.add(
            Location(shown_as, 1),
            f"未声明坐标系 (coordinate system not declared): add \"crs_name\": one of {', '.join(CRS_NAMES)}",
        )
        return None
    features = data.get("features")
    if not isinstance(features, list):
        problems.add(Location(shown_as, 1), "\"features\" 应为列表 (\"features\" must be a list of Feature objects)")
        return None
    lines = text.splitlines()
    shapes: dict[str, Shape] = {}
    for index, feature in enumerate(features):
        if not isinstance(feature, dict):
            where = Location(shown_as, _line_of_index(lines, index))
            problems.add(where, f"要素 #{index + 1} 不是对象 (feature #{index + 1} is not an object): write {{\"type\": \"Feature\", …}}")
            continue
        properties = feature.get("properties")
        if properties is not None and not isinstance(properties, dict):
            properties = None
        feature_id = feature.get("id") or (properties or {}).get("id")
        if feature_id is not None and not isinstance(feature_id, str):
            feature_id = str(feature_id)
        where = Location(shown_as, _line_of_feature(lines, feature_id, index))
        if not feature_id:
            problems.add(where, f"要素缺少 id (feature #{index + 1} has no \"id\")")
            continue
        if feature.get("properties") is not None and properties is None:
            problems.add(where, f"要素 '{feature_id}' 的 properties 应为对象 (properties must be an object or null)")
            continue
        if feature_id in shapes:
            problems.add(where, f"重复的要素 id (duplicate feature id) '{feature_id}'")
            continue
        geom = _parse_geometry(feature, feature_id, crs_name, where, problems)
        if geom is not None:
            shapes[feature_id] = Shape(feature_id, geom, dict(properties or {}), where)
    return shapes


def _line_of_feature(lines: list[str], feature_id: str | None, index: int) -> int:
    """The feature's own line: where the one-feature-per-line layout puts it if its id is there
    (so a duplicate is shown at its second occurrence), else the first line naming its id."""
    by_index = _line_of_index(lines, index)
    if feature_id:
        needle = re.compile(r'"id"\s*:\s*' + re.escape(json.dumps(feature_id, ensure_ascii=False)))
        if by_index and needle.search(lines[by_index - 1]):
            return by_index
        for number, line in enumerate(lines, start=1):
            if needle.search(line):
                return number
    return by_index


def _line_of_index(lines: list[str], index: int) -> int:
    """Files are written one feature per line after the header line; 0 when that does not hold."""
    number = index + 2
    return number if number <= len(lines) and lines[number - 1].strip() not in ("", "]}", "]") else 0


def _parse_geometry(feature: dict, feature_id: str, crs_name: str, where: Location, problems: Problems):
    if not isinstance(feature.get("geometry"), dict):
        problems.add(where, f"要素 '{feature_id}' 缺少几何 (feature has no geometry): add a \"geometry\" object")
        return None
    try:
        geom = shape(feature["geometry"])
    except Exception as exc:  # shapely raises several types for malformed input
        problems.add(where, f"要素 '{feature_id}' 几何无效 (invalid geometry): {exc}")
        return None
    if geom.is_empty:
        problems.add(where, f"要素 '{feature_id}' 几何为空 (empty geometry)")
        return None
    lon_min, lat_min, lon_max, lat_max = geom.bounds
    if not _inside_shenzhen(lon_min, lat_min) or not _inside_shenzhen(lon_max, lat_max):
        if _inside_shenzhen(lat_min, lon_min) and _inside_shenzhen(lat_max, lon_max):
            problems.add(
                where,
                f"要素 '{feature_id}' 经纬度顺序颠倒 (longitude/latitude swapped): GeoJSON order is [lon, lat], "
                f"e.g. [114.25, 22.7]",
            )
        else:
            problems.add(
                where,
                f"要素 '{feature_id}' 不在深圳范围内 (outside Shenzhen): bounds {lon_min:.4f},{lat_min:.4f} – "
                f"{lon_max:.4f},{lat_max:.4f}; expected lon {SHENZHEN_LON}, lat {SHENZHEN_LAT}",
            )
        return None
    if crs_name == "GCJ-02":
        geom = gcj_to_wgs(geom)
    if not geom.is_valid:
        problems.add(where, f"要素 '{feature_id}' 几何无效 (invalid geometry): {explain_validity(geom)}")
        return None
    return geom


def _inside_shenzhen(lon: float, lat: float) -> bool:
    return SHENZHEN_LON[0] <= lon <= SHENZHEN_LON[1] and SHENZHEN_LAT[0] <= lat <= SHENZHEN_LAT[1]


def _convert(coords: np.ndarray, function) -> np.ndarray:
    """Apply a prcoords conversion to an (N, 2) array of lon, lat (shapely.transform's contract)."""
    points = [function(prcoords.Coords(lat, lon)) for lon, lat in coords]
    return np.array([[p.lon, p.lat] for p in points]).reshape(coords.shape)


def gcj_to_wgs(geom: BaseGeometry) -> BaseGeometry:
    """GCJ-02 (Amap and most Chinese map services) → WGS84, precise iterative inverse."""
    return shapely.transform(geom, lambda coords: _convert(coords, prcoords.gcj_wgs_bored))


def wgs_to_gcj(geom: BaseGeometry) -> BaseGeometry:
    """For Amap tiles, which are drawn in GCJ-02: shift our WGS84 shapes to line up."""
    return shapely.transform(geom, lambda coords: _convert(coords, prcoords.wgs_gcj))


def wgs_to_gcj_point(point: tuple[float, float]) -> tuple[float, float]:
    """One (lon, lat) pair shifted to GCJ-02, for map bounds and label positions."""
    shifted = prcoords.wgs_gcj(prcoords.Coords(point[1], point[0]))
    return shifted.lon, shifted.lat


def lies_within(inner: BaseGeometry, outer: BaseGeometry) -> bool:
    """True when `inner` is inside `outer`, allowing the ~50 m slack of a simplified boundary."""
    return outer.buffer(INSIDE_TOLERANCE_DEG).contains(inner)


@lru_cache(maxsize=1)
def _to_utm50n() -> Transformer:
    return Transformer.from_crs("EPSG:4326", "EPSG:32650", always_xy=True)


def area_km2(geom: BaseGeometry) -> float:
    """Area in km², measured in UTM zone 50N (Shenzhen lies in it)."""
    to_utm = _to_utm50n()
    return shapely.transform(geom, lambda c: np.column_stack(to_utm.transform(c[:, 0], c[:, 1]))).area / 1e6


def rounded(geom: BaseGeometry, digits: int = 5) -> BaseGeometry:
    """Round coordinates (~1 m at 5 digits) so published files are small and reproducible."""
    return shapely.set_precision(geom, 10 ** -digits)
