"""Maps in headless Chromium, and geometry input errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from builder.atlas import build_atlas
from builder.site import build_site
from conftest import LEAFLET_MAP, ROOT, copy_project


def map_pages(site: Path) -> list[str]:
    pages = []
    for html in sorted(site.rglob("index.html")):
        if 'class="atlas-map"' in html.read_text(encoding="utf-8"):
            relative = html.parent.relative_to(site).as_posix()
            pages.append("" if relative == "." else relative + "/")
    return pages


@pytest.mark.browser
def test_every_map_page_loads_without_errors_or_foreign_requests(browser, site_url, built_site):
    pages = map_pages(built_site)
    assert len(pages) > 50
    context = browser.new_context()
    page = context.new_page()
    errors, foreign = [], []
    page.on("console", lambda m: m.type == "error" and errors.append(f"{page.url}: {m.text}"))
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    page.on("request", lambda r: r.url.startswith("http://127.0.0.1:") or foreign.append(r.url))
    try:
        for path in pages:
            page.goto(site_url + path, wait_until="domcontentloaded")
            page.wait_for_selector(".folium-map[data-atlas-loaded='1']")
            assert page.locator("path.atlas-district").count() >= 9, path
    finally:
        context.close()
    assert errors == []
    assert foreign == []


@pytest.mark.browser
def test_maps_draw_exactly_the_places_they_should(page, site_url):
    atlas = build_atlas(ROOT)
    drawn = {p.id for p in atlas.places.values() if atlas.shape_of(p)}
    page.goto(site_url)
    page.wait_for_selector(".folium-map[data-atlas-loaded='1']")
    ids = set(page.evaluate("[...document.querySelectorAll('.atlas-place')].map(e => [...e.classList].find(c => c.startsWith('atlas-id-')).slice(9))"))
    assert ids == drawn
    cluster = atlas.clusters["semiconductor"]
    expected = {p.id for p in atlas.hosts_of(cluster) if atlas.shape_of(p)}
    page.goto(site_url + "clusters/semiconductor/")
    page.wait_for_selector(".folium-map[data-atlas-loaded='1']")
    ids = set(page.evaluate("[...document.querySelectorAll('.atlas-place')].map(e => [...e.classList].find(c => c.startsWith('atlas-id-')).slice(9))"))
    assert ids == expected and expected
    shaded = page.locator("path.atlas-district-shaded").count()
    assert shaded == len([d for d in atlas.districts_of(cluster) if d.geometry])


@pytest.mark.browser
def test_find_by_name_zooms_to_the_place_and_opens_its_popup(page, site_url):
    page.goto(site_url)
    page.wait_for_selector(".folium-map[data-atlas-loaded='1']")
    zoom_before = page.evaluate(f"{LEAFLET_MAP}.getZoom()")
    finder = page.locator(".atlas-finder input")
    finder.fill("龙岗东先进制造业园区")
    finder.press("Enter")
    page.wait_for_selector(".atlas-finder[data-found='longgang-east']")
    assert page.evaluate(f"{LEAFLET_MAP}.getZoom()") > zoom_before
    assert "龙岗东先进制造业园区" in page.locator(".leaflet-popup-content").inner_text()


def test_amap_tiles_use_the_geometry_shifted_to_gcj02(tmp_path, built_site):
    from test_build import map_spec

    geo = lambda name: {f["id"]: f for f in json.loads((built_site / "assets/atlas/geo" / name).read_text(encoding="utf-8"))["features"]}  # noqa: E731
    wgs, gcj = geo("atlas.geojson")["longgang-west"], geo("atlas-gcj.geojson")["longgang-west"]
    dx = gcj["geometry"]["coordinates"][0][0][0] - wgs["geometry"]["coordinates"][0][0][0]
    dy = gcj["geometry"]["coordinates"][0][0][1] - wgs["geometry"]["coordinates"][0][0][1]
    assert 0.004 < dx < 0.006 and -0.004 < dy < -0.002  # GCJ-02 is ~500 m east, ~300 m south here
    plain = map_spec(built_site / "assets/atlas/maps/home.js")["basemaps"]
    amap_choice = next(c for c in plain["choices"] if c["id"] == "amap")
    assert plain["initial"] == "none" and amap_choice["gcj"] is True and "autonavi.com" in amap_choice["url"]
    amap = tmp_path / "amap"
    build_site(ROOT, amap, tiles="amap")  # a site that opens on 高德 tiles
    assert map_spec(amap / "assets/atlas/maps/home.js")["basemaps"]["initial"] == "amap"


def _set_geometry(project: Path, feature_id: str, geometry: dict, crs: str | None = "WGS84") -> Path:
    path = project / "geo/places/longgang.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    for feature in data["features"]:
        if feature["id"] == feature_id:
            feature["geometry"] = geometry
    header = f'"crs_name":"{crs}",' if crs else ""
    path.write_text(
        '{"type":"FeatureCollection",' + header + '"features":[\n'
        + ",\n".join(json.dumps(f, ensure_ascii=False) for f in data["features"]) + "\n]}\n",
        encoding="utf-8",
    )
    return path


def _check(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "builder.cli", "check", "--project", str(project)], capture_output=True, text=True)


@pytest.mark.parametrize(
    "geometry, crs, message",
    [
        ({"type": "Polygon", "coordinates": [[[114.10, 22.65], [114.12, 22.67], [114.12, 22.65], [114.10, 22.67], [114.10, 22.65]]]}, "WGS84", "invalid geometry.*Self-intersection"),
        ({"type": "Point", "coordinates": [116.40, 39.90]}, "WGS84", "outside Shenzhen"),
        ({"type": "Point", "coordinates": [22.66, 114.12]}, "WGS84", "longitude/latitude swapped"),
        ({"type": "Point", "coordinates": [114.12, 22.66]}, None, "coordinate system not declared"),
        ({"type": "Polygon", "coordinates": [[[114.1, 22.6]]]}, "WGS84", "invalid geometry"),
    ],
)
def test_bad_geometry_names_file_and_feature(tmp_path, geometry, crs, message):
    project = copy_project(tmp_path / "project")
    _set_geometry(project, "longgang-west", geometry, crs)
    result = _check(project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert re.search(r"geo/places/longgang\.geojson:\d+: ", result.stderr), result.stderr
    assert re.search(message, result.stderr), result.stderr
    if crs:
        assert "longgang-west" in result.stderr


def test_place_in_an_unknown_district(tmp_path):
    project = copy_project(tmp_path / "project")
    places = project / "content/places/longgang.yaml"
    places.write_text(places.read_text(encoding="utf-8").replace("  district: longgang\n", "  district: longgan\n", 1), encoding="utf-8")
    result = _check(project)
    assert result.returncode == 1
    assert "content/places/longgang.yaml:" in result.stderr and "unknown district) 'longgan'" in result.stderr


def test_gcj02_input_is_converted_to_wgs84(tmp_path):
    project = copy_project(tmp_path / "project")
    before = build_atlas(project).place_shapes["longgang-west"].geom
    path = project / "geo/places/longgang.geojson"
    path.write_text(path.read_text(encoding="utf-8").replace('"crs_name":"WGS84"', '"crs_name":"GCJ-02"'), encoding="utf-8")
    after = build_atlas(project).place_shapes["longgang-west"].geom
    shift = before.centroid.x - after.centroid.x
    assert 0.004 < shift < 0.006  # read as GCJ-02, the same numbers mean a point ~500 m further west


def test_a_schematic_shape_far_from_the_plans_area_is_an_error(tmp_path):
    project = copy_project(tmp_path / "project")
    places = project / "content/places/longgang.yaml"
    text = places.read_text(encoding="utf-8")
    # Give 龙岗西 (≈30 km² drawn) an area figure of 5 平方公里: a +500 % deviation.
    places.write_text(text.replace("  kind: 先进制造业园区\n", '  kind: 先进制造业园区\n  area: {as_written: "5平方公里", value: 5, unit: 平方公里}\n', 1), encoding="utf-8")
    result = _check(project)
    assert result.returncode == 1
    assert re.search(r"geo/places/longgang\.geojson:\d+: 面积与规划不符 .*'longgang-west'.*beyond ±50%", result.stderr), result.stderr


@pytest.mark.browser
def test_places_located_only_by_district_are_listed_in_its_popup(page, site_url):
    atlas = build_atlas(ROOT)
    unlocated = [p.name for p in atlas.places_by_district["pingshan"] if not atlas.shape_of(p)]
    assert unlocated
    page.goto(site_url)
    page.wait_for_selector(".folium-map[data-atlas-loaded='1']")
    page.evaluate(
        "() => { const map = " + LEAFLET_MAP + """;
        map.eachLayer(l => { if (l.feature && l.feature.properties.kind === 'district' && l.feature.properties.id === 'pingshan' && l.getPopup()) l.openPopup(); }); }"""
    )
    popup = page.locator(".leaflet-popup-content").first
    popup.wait_for()
    text = popup.inner_text()
    assert "坪山区" in text and f"{len(unlocated)} 处" in text
    assert unlocated[0] in text


def test_the_maps_job_collects_each_maps_garbage_although_a_worker_runs_without_the_collector(tmp_path, monkeypatch):
    """A background child runs with the collector off; Folium's trees are cyclic, so without the
    job's own collections every drawn map would stay in memory until the child exits."""
    import gc

    from builder import generate
    from builder.atlas import build_atlas
    from builder.render.tiles import Tiles
    from builder.site import build_date
    from builder.stages import Stages

    atlas = build_atlas(ROOT)
    renderer = generate.render_pages(ROOT, atlas, Tiles.none, "", build_date(atlas), Stages())
    renderer.map_jobs[:] = renderer.map_jobs[:60]

    def garbage_left(every: int) -> int:
        monkeypatch.setattr(generate, "MAPS_PER_COLLECTION", every)
        gc.collect()
        gc.disable()
        try:
            generate.maps_into(renderer, tmp_path / f"maps-{every}")
            return gc.collect()  # what the job left for the collector
        finally:
            gc.enable()

    left_uncollected, left_collected = garbage_left(10**9), garbage_left(10)
    assert left_uncollected > 60 * 50  # 60 maps' trees
    assert left_collected < left_uncollected / 5  # at most the last few maps'
