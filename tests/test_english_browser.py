"""The English edition in real headless Chromium, at phone and desktop width: an investor starts at
/en/, reaches the English cluster page with its map, switches to Chinese and back."""

from __future__ import annotations

import pytest

from conftest import open_popup, watched_pages

pytestmark = pytest.mark.browser

MAP_READY = ".folium-map[data-atlas-loaded='1']"


@pytest.fixture(params=[(390, 844), (1366, 900)], ids=["phone", "desktop"])
def visitor(browser, request):
    width, height = request.param
    yield from watched_pages(browser, locale="en-US", width=width, height=height)


def no_sideways_scroll(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"{page.url} scrolls sideways ({width}px > {viewport}px)"


def test_from_the_english_home_to_a_cluster_and_across_languages(visitor, site_url):
    page = visitor
    page.goto(site_url + "en/")
    page.wait_for_selector(MAP_READY)
    assert page.evaluate("() => document.documentElement.lang") == "en"
    assert page.locator(".atlas-legend__title").inner_text().strip() == "Industry clusters"
    no_sideways_scroll(page)

    page.locator(".atlas-entry a.atlas-chip", has_text="Semiconductors and Integrated Circuits").click()
    page.wait_for_url("**/en/clusters/semiconductor/")
    page.wait_for_selector(MAP_READY)
    assert page.locator("article h1").inner_text().strip() == "Semiconductors and Integrated Circuits Cluster"
    assert page.locator("#layout").count() == 1 and page.locator(".atlas-roles-table").count() >= 1
    no_sideways_scroll(page)

    page.locator(".atlas-lang-switch").click()
    page.wait_for_url("**/clusters/semiconductor/")
    assert "/en/" not in page.url
    assert page.locator("article h1").inner_text().strip() == "半导体与集成电路产业集群"
    assert page.evaluate("() => document.documentElement.lang") == "zh"

    page.locator(".atlas-lang-switch").click()
    page.wait_for_url("**/en/clusters/semiconductor/")
    assert page.locator("article h1").inner_text().strip() == "Semiconductors and Integrated Circuits Cluster"
    assert page.watch.errors == []
    assert page.watch.foreign == []


def test_english_map_popups_and_legend_are_english_and_link_to_english_pages(visitor, site_url):
    page = visitor
    page.goto(site_url + "en/")
    page.wait_for_selector(MAP_READY)
    page.wait_for_selector("path.atlas-place.atlas-id-longgang-west")
    labels = page.locator(".atlas-label").all_inner_texts()
    assert "Longgang District" in labels
    open_popup(page, "longgang-west")
    popup = page.locator(".leaflet-popup-content .atlas-popup")
    text = popup.inner_text()
    assert "Longgang West Advanced Manufacturing Park" in text
    assert "Network and Communications Cluster" in text and "Advanced manufacturing park" in text
    popup.locator("a.atlas-popup__title").click()
    page.wait_for_url("**/en/places/longgang-west/")
    page.wait_for_selector(MAP_READY)
    assert page.locator("article h1").inner_text().strip() == "Longgang West Advanced Manufacturing Park"
    no_sideways_scroll(page)
    assert page.watch.errors == []


def test_the_english_legend_filters_by_cluster(visitor, site_url):
    page = visitor
    page.goto(site_url + "en/?cluster=semiconductor")
    page.wait_for_selector(".folium-map[data-atlas-filter='semiconductor']")
    legend = page.locator(".atlas-legend")
    if "atlas-legend--folded" in (legend.get_attribute("class") or ""):
        legend.locator(".atlas-legend__title").click()
    names = legend.locator(".atlas-legend__name").all_inner_texts()
    assert "Semiconductors and Integrated Circuits Cluster" in names
    assert legend.locator(".atlas-legend__only").first.text_content().strip() == "Only this"  # shown on hover
    assert page.watch.errors == []
