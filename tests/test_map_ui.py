"""The map as a visitor uses it: never over the navigation, street tiles on request, labels in place."""

from __future__ import annotations

import base64
import json

import pytest
from shapely.geometry import Point, shape

from conftest import LEAFLET_MAP

BLANK_PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")
MAP_READY = ".folium-map[data-atlas-loaded='1']"


def test_district_labels_sit_inside_their_own_district(built_site):
    data = json.loads((built_site / "assets/atlas/geo/atlas.geojson").read_text(encoding="utf-8"))
    districts = {f["id"]: shape(f["geometry"]) for f in data["features"] if f["properties"]["kind"] == "district"}
    for feature in data["features"]:
        if feature["properties"]["kind"] != "district":
            continue
        at = Point(feature["properties"]["label_at"])
        inside = [d for d, geom in districts.items() if geom.contains(at)]
        assert inside == [feature["id"]], (feature["id"], inside)


def _top_element_inside(page, x: float, y: float, selector: str) -> bool:
    return page.evaluate("([x, y, s]) => { const e = document.elementFromPoint(x, y); return !!(e && e.closest(s)); }", [x, y, selector])


@pytest.mark.browser
@pytest.mark.parametrize("size", [(1366, 900), (390, 844)])
def test_the_map_never_covers_the_header(browser, site_url, size):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    try:
        page.goto(site_url + "places/longgang-west/")
        page.wait_for_selector(MAP_READY)
        box = page.locator(".atlas-map").bounding_box()
        header = page.locator(".md-header").bounding_box()
        page.evaluate("y => window.scrollTo(0, y)", box["y"] - header["height"] / 2)  # the map now runs under the header
        page.wait_for_function("() => window.scrollY > 0")
        for x in (20, size[0] / 2, size[0] - 20):
            assert _top_element_inside(page, x, header["height"] / 2, ".md-header"), (size, x)
    finally:
        context.close()


@pytest.mark.browser
def test_the_open_menu_on_a_phone_is_never_under_the_map(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(site_url)
        page.wait_for_selector(MAP_READY)
        page.locator("label.md-header__button[for='__drawer']").click()
        drawer = page.locator(".md-sidebar--primary")
        page.wait_for_function("() => document.getElementById('__drawer').checked")
        page.wait_for_function(
            "() => { const r = document.querySelector('.md-sidebar--primary').getBoundingClientRect(); return r.left >= 0 && r.width > 200; }"
        )
        area = drawer.bounding_box()
        map_box = page.locator(".atlas-map").bounding_box()
        top, bottom = max(area["y"], map_box["y"]), min(area["y"] + area["height"], map_box["y"] + map_box["height"])
        assert bottom > top, "the test needs the menu to overlap the map"
        for fraction in (0.1, 0.5, 0.9):
            y = top + (bottom - top) * fraction
            for x in (area["x"] + 20, area["x"] + area["width"] - 20):
                assert _top_element_inside(page, x, y, ".md-sidebar--primary"), (x, y)
        # Every menu entry can be tapped: none is under the map.
        for link in page.locator(".md-sidebar--primary .md-nav__link").all()[:12]:
            if link.is_visible():
                b = link.bounding_box()
                assert _top_element_inside(page, b["x"] + b["width"] / 2, b["y"] + b["height"] / 2, ".md-sidebar--primary")
    finally:
        context.close()


@pytest.mark.browser
def test_street_tiles_load_only_when_a_visitor_chooses_them(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tiles: list[str] = []

    def serve_blank(route):
        tiles.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=BLANK_PNG)

    context.route("**/*.is.autonavi.com/**", serve_blank)
    page = context.new_page()
    geometry: list[str] = []
    page.on("request", lambda r: "/assets/atlas/geo/" in r.url and geometry.append(r.url.rsplit("/", 1)[1]))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(site_url)
        page.wait_for_selector(MAP_READY)
        before = page.evaluate("() => { const l = [...document.querySelectorAll('path.atlas-id-longgang-west')][0]; return l.getAttribute('d'); }")
        assert tiles == [] and geometry == ["atlas.geojson"]
        page.locator(".leaflet-control-layers").hover()
        page.locator(".leaflet-control-layers-base label", has_text="高德街道图").locator("input").check()
        page.wait_for_selector(".folium-map[data-atlas-basemap='amap']")
        page.wait_for_function("() => document.querySelectorAll('.leaflet-tile-loaded').length > 0")
        assert tiles and all("autonavi.com" in t for t in tiles)
        page.wait_for_function(
            "before => { const l = document.querySelector('path.atlas-id-longgang-west'); return l && l.getAttribute('d') !== before; }", arg=before
        )
        assert "atlas-gcj.geojson" in geometry  # the geometry shifted to GCJ-02, to match the tiles
        page.locator(".leaflet-control-layers").hover()
        page.locator(".leaflet-control-layers-base label", has_text="本站底图").locator("input").check()
        page.wait_for_selector(".folium-map[data-atlas-basemap='none']")
        assert page.locator(".leaflet-tile").count() == 0
        assert errors == []
    finally:
        context.close()


@pytest.mark.browser
def test_attribution_is_plain_text(page, site_url):
    page.goto(site_url)
    page.wait_for_selector(MAP_READY)
    attribution = page.locator(".leaflet-control-attribution")
    assert "Leaflet" in attribution.inner_text() and "数据" in attribution.inner_text()
    assert attribution.locator("svg, img").count() == 0  # no flag icon
    assert page.evaluate(f"{LEAFLET_MAP}.attributionControl.options.prefix") == "Leaflet"
