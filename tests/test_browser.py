"""The site in real headless Chromium: maps draw, popups navigate, nothing leaves 127.0.0.1."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PARKS = ("longgang-west", "longgang-central", "longgang-east")


def open_map(page, url: str):
    page.goto(url)
    page.wait_for_selector(".folium-map[data-atlas-loaded='1']")
    page.wait_for_selector("path.atlas-place")


def test_home_map_draws_the_three_parks_without_errors_or_foreign_requests(page, site_url):
    open_map(page, site_url)
    for park in PARKS:
        assert page.locator(f"path.atlas-place.atlas-id-{park}").count() == 1, park
    assert page.locator("path.atlas-district").count() >= 9  # our own basemap: every district
    assert page.locator(".atlas-legend").count() == 1
    assert "示意范围" in page.locator(".atlas-legend").inner_text()
    assert page.locator(".leaflet-tile").count() == 0  # tiles are off by default
    assert page.locator(".atlas-finder input").count() == 1
    assert page.watch.errors == []
    assert page.watch.foreign == []


def test_popup_link_opens_the_park_page(page, site_url):
    open_map(page, site_url)
    # Open the park's popup as a click on its shape would (points of other places may sit on top of
    # the shape's centre, so a blind click at the centre could hit them instead).
    from conftest import open_popup

    open_popup(page, "longgang-west")
    popup = page.locator(".leaflet-popup-content .atlas-popup")
    assert "网络与通信产业集群" in popup.inner_text()
    popup.locator("a.atlas-popup__title").click()
    page.wait_for_url("**/places/longgang-west/")
    assert page.locator("h1").first.inner_text().strip() == "龙岗西先进制造业园区"
    open_map(page, page.url)  # the park page has its own map
    assert page.locator("path.atlas-place.atlas-id-longgang-west").count() == 1
    assert page.watch.errors == []
    assert page.watch.foreign == []


def _drawn_places(page) -> set[str]:
    return set(page.evaluate("[...document.querySelectorAll('.atlas-place')].map(e => [...e.classList].find(c => c.startsWith('atlas-id-')).slice(9))"))


def _shaded_districts(page) -> set[str]:
    return set(page.evaluate(
        "[...document.querySelectorAll('path.atlas-district')].filter(e => e.getAttribute('fill') === '#c7d2fe')"
        ".map(e => [...e.classList].find(c => c.startsWith('atlas-id-')).slice(9))"
    ))


def test_the_cluster_filter_shows_one_cluster_and_where_it_is_laid_out(page, site_url):
    from builder.atlas import build_atlas
    from builder.render.maps import _laid_out_in
    from conftest import ROOT

    atlas = build_atlas(ROOT)
    mapped = {p.id for p in atlas.places.values() if atlas.shape_of(p)}
    # City-wide maps fold district clusters into the city cluster they map to (龙岗 新能源 → new-energy).
    hosts = {p.id for p in atlas.places.values() if atlas.shape_of(p) and "new-energy" in atlas.city_clusters_of(p)}
    assert "longgang-east" in hosts and hosts < mapped
    open_map(page, site_url)
    assert _drawn_places(page) == mapped and _shaded_districts(page) == set()
    row = page.locator(".atlas-legend__cluster[data-cluster='new-energy']")
    row.hover()
    row.locator(".atlas-legend__only").click()
    page.wait_for_selector(".folium-map[data-atlas-filter='new-energy']")
    assert _drawn_places(page) == hosts
    drawn_districts = {d for d in _laid_out_in(atlas, atlas.clusters["new-energy"]) if atlas.district_shape(d)}
    assert _shaded_districts(page) == drawn_districts  # 大鹏 has no outline of its own to shade
    assert "cluster=new-energy" in page.url
    row.locator(".atlas-legend__toggle").click()  # hide it too: the map never goes blank, it shows it alone
    page.locator(".atlas-legend__all").click()
    page.wait_for_selector(".folium-map[data-atlas-filter='']")
    assert _drawn_places(page) == mapped and "cluster=" not in page.url
    assert page.watch.errors == []


def test_a_filtered_map_opens_from_its_url(page, site_url):
    open_map(page, site_url + "?cluster=semiconductor")
    page.wait_for_selector(".folium-map[data-atlas-filter='semiconductor']")
    drawn = _drawn_places(page)
    assert drawn and all(page.locator(f"path.atlas-id-{p}.atlas-cluster-semiconductor").count() for p in drawn)
    assert {"nanshan", "baoan", "pingshan"} <= _shaded_districts(page)  # roles, even with no place drawn there
    page.goto(site_url + "clusters/semiconductor/")
    page.locator("a.atlas-city-map").click()
    page.wait_for_selector(".folium-map[data-atlas-filter='semiconductor']")


def test_citation_link_lands_on_the_quoted_paragraph(page, site_url):
    page.goto(site_url + "places/longgang-east/")
    page.locator("a.atlas-cite__link").first.click()
    page.wait_for_url("**/plans/longgang-14th/#s4-4-p2")
    target = page.locator("#s4-4-p2")
    assert "龙岗东先进制造业园区重点发展半导体与集成电路" in target.inner_text()
    assert page.evaluate("document.querySelector(':target').id") == "s4-4-p2"
    assert page.watch.errors == []


def test_pages_work_on_a_phone_screen(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    try:
        open_map(page, site_url + "places/longgang-central/")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"page scrolls sideways on a phone ({width}px)"
        box = page.locator(".folium-map").bounding_box()
        assert box["width"] > 300 and box["height"] > 250
    finally:
        context.close()


def test_city_map_screenshot(page, site_url, tmp_path):
    """The README's screenshot comes from here: `make screenshots` writes docs/screenshots/home.png."""
    import os
    from pathlib import Path

    import struct

    open_map(page, site_url)
    # the state the picture needs: no zoom animation running, every label placed
    page.wait_for_function(
        "() => !document.querySelector('.leaflet-zoom-anim') && [...document.querySelectorAll('.leaflet-tooltip')]"
        ".every(t => t.style.transform || t.style.left)"
    )
    # what it must show: the parks drawn inside the map, the legend on screen
    frame = page.locator(".folium-map").bounding_box()
    for park in PARKS:
        shape = page.locator(f"path.atlas-place.atlas-id-{park}").bounding_box()
        assert shape and shape["width"] > 2 and frame["x"] <= shape["x"] <= frame["x"] + frame["width"], park
    assert page.locator(".atlas-legend").is_visible() and page.locator(".atlas-legend").bounding_box()["y"] < page.viewport_size["height"]
    target = Path(__file__).resolve().parents[1] / "docs" / "screenshots" / "home.png"
    if not os.environ.get("ATLAS_SCREENSHOTS"):
        target = tmp_path / "home.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target))
    png = target.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (page.viewport_size["width"], page.viewport_size["height"])
    assert len(png) > 20_000  # a blank page compresses to a few kilobytes


def test_wait_predicates_are_functions_so_the_sites_csp_allows_them():
    """Playwright evaluates a bare-expression predicate with eval() when it polls, and the
    site's CSP (script-src 'self') forbids eval: such a wait passes when the state is already
    there and fails on a slower machine. Every wait_for_function predicate is a function."""
    import pathlib
    import re

    bare = []
    for path in sorted(pathlib.Path(__file__).parent.glob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = re.search(r"wait_for_function\(\s*(['\"])(.*)", line)
            if match and not re.match(r"\(?\w*\)?\s*=>|\w+\s*=>", match.group(2)):
                bare.append(f"{path.name}:{number}")
    assert not bare, f"bare-expression predicates: {bare}"
