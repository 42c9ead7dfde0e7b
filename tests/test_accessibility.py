"""Accessibility (docs/accessibility.md): axe-core clean, a map usable by keyboard and screen reader,
colours with contrast, a page structure assistive technology can follow.

axe-core is vendored for these tests only (tests/vendor/axe-core, from the npm registry) and is
injected into a context that bypasses the page's Content-Security-Policy: it never reaches the
built site.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from builder.render.mapstyle import DISTRICT_STYLE, FOCUS_DISTRICT_STYLE, OUTLINES, PLACE_FILL_OPACITY
from builder.render.palette import CLUSTER_PALETTE

AXE = Path(__file__).parent / "vendor/axe-core/axe.min.js"
DOC = Path(__file__).parent.parent / "docs/accessibility.md"
MAP_READY = ".folium-map[data-atlas-loaded='1']"
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}
KEY_PAGES = {
    "home": ("", MAP_READY),
    "plan": ("plans/longgang-14th/", "article h1"),
    "cluster": ("clusters/semiconductor/", MAP_READY),
    "place": ("places/longgang-west/", MAP_READY),
    "district": ("districts/longgang/", MAP_READY),
    "search": ("search/?q=%E5%8D%8A%E5%AF%BC%E4%BD%93", ".atlas-search__results li"),
    "matrix": ("matrix/", "table"),
    "compare": ("compare/?ids=longgang-west,district:pingshan", ".atlas-compare__table th[data-id='district:pingshan']"),
}


# --- colour -------------------------------------------------------------------------------------


def _luminance(rgb: tuple[float, float, float]) -> float:
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    return tuple(int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))


def _contrast(a, b) -> float:
    low, high = sorted([_luminance(a), _luminance(b)])
    return (high + 0.05) / (low + 0.05)


def _over(colour, alpha: float, background):
    return tuple(alpha * c + (1 - alpha) * b for c, b in zip(colour, background))


def test_the_contrast_formula_matches_wcag_examples():
    assert _contrast(_rgb("#000000"), _rgb("#ffffff")) == pytest.approx(21.0)
    assert _contrast(_rgb("#767676"), _rgb("#ffffff")) == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("basemap", [DISTRICT_STYLE["fillColor"], FOCUS_DISTRICT_STYLE["fillColor"]])
def test_every_cluster_fill_has_3_to_1_contrast_with_the_basemap(basemap):
    background = _rgb(basemap)
    weak = {c: round(_contrast(_over(_rgb(c), PLACE_FILL_OPACITY, background), background), 2) for c in CLUSTER_PALETTE}
    assert {c: r for c, r in weak.items() if r < 3} == {}


@pytest.mark.parametrize("basemap", [DISTRICT_STYLE["fillColor"], FOCUS_DISTRICT_STYLE["fillColor"]])
def test_every_place_outline_has_3_to_1_contrast_with_the_basemap(basemap):
    for kind, style in OUTLINES.items():
        assert _contrast(_rgb(style["color"]), _rgb(basemap)) >= 3, kind
        assert style["fillOpacity"] >= PLACE_FILL_OPACITY, kind


def test_cluster_colours_are_all_different():
    assert len(set(CLUSTER_PALETTE)) == len(CLUSTER_PALETTE)


# --- structure of every built page ----------------------------------------------------------------


class _Structure(HTMLParser):
    def __init__(self):
        super().__init__()
        self.lang = None
        self.headings: list[int] = []
        self.unscoped_th = 0
        self.tables: list[list] = []  # [class, has caption]
        self._article = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "article":
            self._article += 1
        elif re.fullmatch(r"h[1-6]", tag) and self._article:
            self.headings.append(int(tag[1]))
        elif tag == "th" and "scope" not in attrs:
            self.unscoped_th += 1
        elif tag == "table":
            self.tables.append([attrs.get("class") or "", False])
        elif tag == "caption" and self.tables:
            self.tables[-1][1] = True

    def handle_endtag(self, tag):
        if tag == "article":
            self._article -= 1


@pytest.fixture(scope="module")
def page_structures(built_site):
    structures = {}
    for path in sorted(built_site.rglob("*.html")):
        if "assets" in path.relative_to(built_site).parts:
            continue
        parser = _Structure()
        parser.feed(path.read_text(encoding="utf-8"))
        structures[path.relative_to(built_site).as_posix()] = parser
    assert len(structures) > 300
    return structures


def test_every_page_has_one_h1_and_no_skipped_heading_level(page_structures):
    problems = {}
    for name, page in page_structures.items():
        if page.headings.count(1) != 1 or page.headings[0] != 1:
            problems[name] = f"h1 ×{page.headings.count(1)}"
        skips = [(a, b) for a, b in zip(page.headings, page.headings[1:]) if b > a + 1]
        if skips:
            problems[name] = f"h{skips[0][0]} → h{skips[0][1]}"
    assert problems == {}


def test_every_page_declares_its_language(page_structures):
    expected = lambda name: "en" if name.startswith("en/") else "zh"  # noqa: E731 - the English edition under en/
    assert {name for name, page in page_structures.items() if page.lang != expected(name)} == set()
    assert sum(1 for name in page_structures if name.startswith("en/")) > 500


def test_table_headers_have_scope_and_indicator_tables_a_caption(page_structures):
    assert {name: p.unscoped_th for name, p in page_structures.items() if p.unscoped_th} == {}
    indicator_tables = [(name, caption) for name, p in page_structures.items() for cls, caption in p.tables if "atlas-indicators" in cls]
    assert len(indicator_tables) > 20
    assert [name for name, caption in indicator_tables if not caption] == []


def _home_map_place_ids(built_site) -> list[str]:
    script = (built_site / "assets/atlas/maps/home.js").read_text(encoding="utf-8")
    spec = json.JSONDecoder().raw_decode(script, script.index("{"))[0]
    return spec["places"]["ids"]


def test_the_home_map_has_a_text_list_of_exactly_the_places_it_draws(built_site):
    html = (built_site / "index.html").read_text(encoding="utf-8")
    block = re.search(r'<details class="atlas-map-list">(.*?)</details>', html, re.S)
    assert block, "no text alternative next to the home map"
    linked = re.findall(r'<li><a href="places/([^/"]+)/">', block.group(1))
    ids = _home_map_place_ids(built_site)
    assert len(ids) > 50
    assert sorted(linked) == sorted(ids)
    assert f"地图上的 {len(ids)} 处地点" in block.group(1)


# --- in the browser ----------------------------------------------------------------------------


def _axe(page) -> list[dict]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return page.evaluate("() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)")


def _documented_moderate_rules() -> set[str]:
    return set(re.findall(r"^\| `([a-z0-9-]+)` \| moderate", DOC.read_text(encoding="utf-8"), re.M))


@pytest.mark.browser
@pytest.mark.parametrize("size", sorted(SIZES))
def test_axe_finds_no_serious_violation_on_the_key_pages(browser, site_url, size):
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    found, undocumented = {}, {}
    documented = _documented_moderate_rules()
    try:
        for name, (path, ready) in KEY_PAGES.items():
            page.goto(site_url + path)
            page.wait_for_selector(ready, state="attached")
            if ready == MAP_READY:  # every shape has its name before axe reads them
                page.wait_for_function("() => !document.querySelector('path.atlas-place:not([aria-label])')")
            if page.locator("th:not([scope])").count():  # tables drawn by scripts too
                found[f"{name}: th without scope"] = "table headers need scope"
            for violation in _axe(page):
                where = f"{name}: {violation['id']} at {violation['nodes'][0]['target']}"
                if violation["impact"] in ("serious", "critical"):
                    found[where] = violation["help"]
                elif violation["id"] not in documented:
                    undocumented[where] = violation["help"]
    finally:
        context.close()
    assert found == {}
    assert undocumented == {}, "list moderate findings in docs/accessibility.md with a reason"


def _focused(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement;
        return {tag: e.tagName.toLowerCase(), text: (e.textContent || '').trim(), id: e.id,
                label: e.getAttribute('aria-label'), popup: !!e.closest('.leaflet-popup')}; }"""
    )


@pytest.mark.browser
@pytest.mark.parametrize("size", sorted(SIZES))
def test_by_keyboard_alone_the_finder_opens_a_parks_popup_and_follows_its_link(browser, site_url, size):
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(site_url)
        page.wait_for_selector(MAP_READY)
        page.keyboard.press("Tab")
        assert _focused(page)["text"] == "跳到正文"
        page.keyboard.press("Tab")
        assert _focused(page)["text"] == "跳到地图：按名称查找地点"
        page.keyboard.press("Enter")
        assert _focused(page)["label"] == "按名称查找地点"
        page.keyboard.type("龙岗西先进制造业园区")
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.activeElement.closest('.leaflet-popup')")
        assert _focused(page)["text"] == "龙岗西先进制造业园区"
        page.keyboard.press("Escape")
        page.wait_for_function("() => !document.querySelector('.leaflet-popup')")
        assert _focused(page)["label"] == "按名称查找地点"  # focus is back where it was
        page.keyboard.press("Enter")  # open it again, and follow the link in it
        page.wait_for_function("() => document.activeElement.closest('.leaflet-popup')")
        page.keyboard.press("Enter")
        page.wait_for_url("**/places/longgang-west/")
        assert page.locator("article h1").inner_text() == "龙岗西先进制造业园区"
    finally:
        context.close()


@pytest.mark.browser
def test_every_shape_is_a_named_button_reached_by_tab(page, site_url, built_site):
    page.goto(site_url)
    page.wait_for_selector(MAP_READY)
    page.wait_for_function("() => !document.querySelector('path.atlas-place:not([aria-label])')")
    shapes = page.evaluate(
        """() => [...document.querySelectorAll('.atlas-place')].map(e => ({
             id: [...e.classList].find(c => c.startsWith('atlas-id-')).slice(9),
             role: e.getAttribute('role'), tab: e.getAttribute('tabindex'), label: e.getAttribute('aria-label')}))"""
    )
    assert sorted(s["id"] for s in shapes) == sorted(_home_map_place_ids(built_site))
    assert {(s["role"], s["tab"]) for s in shapes} == {("button", "0")}
    west = next(s for s in shapes if s["id"] == "longgang-west")
    assert west["label"] == "龙岗西先进制造业园区（先进制造业园区，龙岗区）"
    districts = page.evaluate("() => [...document.querySelectorAll('path.atlas-district[aria-label]')].map(e => e.getAttribute('aria-label'))")
    assert "龙岗区（行政区）" in districts
    skips = page.evaluate("() => [...document.querySelectorAll('.atlas-skip')].map(a => a.textContent)")
    assert skips == ["跳到正文", "跳到地图：按名称查找地点", "跳到地图图例（按产业集群筛选）"]
    page.locator(".atlas-skip").nth(2).focus()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.classList.contains('atlas-legend__title')")
    for shape in ("path.atlas-place.atlas-id-longgang-west", "path.atlas-district.atlas-id-longgang"):  # focus is drawn
        page.focus(shape)
        assert page.evaluate("s => getComputedStyle(document.querySelector(s)).strokeWidth", shape) == "4px", shape
    page.focus("path.atlas-id-longgang-west")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.closest('.leaflet-popup')")
    assert _focused(page)["text"] == "龙岗西先进制造业园区"
    page.keyboard.press("Escape")
    page.wait_for_function("() => document.activeElement.matches('path.atlas-id-longgang-west')")
    assert page.watch.errors == []


@pytest.mark.browser
def test_nothing_moves_when_reduced_motion_is_asked_for(browser, site_url):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    try:
        page.goto(site_url)
        page.wait_for_selector(MAP_READY)
        page.fill("input[aria-label='按名称查找地点']", "龙岗西先进制造业园区")
        page.press("input[aria-label='按名称查找地点']", "Enter")
        page.wait_for_selector(".leaflet-popup")
        still = page.evaluate(
            "() => { const m = Object.values(window).find(v => v && v._container && v.getZoom);"
            " return {zoom: m._zoomAnimated, pan: !(m._panAnim && m._panAnim._inProgress)}; }"
        )
        assert still == {"zoom": False, "pan": True}
        duration = page.evaluate("() => getComputedStyle(document.querySelector('.md-header')).transitionDuration")
        assert all(float(d.rstrip("ms")) < 0.02 for d in duration.split(", ")), duration
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("width,scale", [(320, 1), (683, 2)])  # 320 px; 1366 px at 200 % zoom
def test_no_page_scrolls_sideways_at_narrow_widths_and_200_percent_zoom(browser, site_url, width, scale):
    context = browser.new_context(viewport={"width": width, "height": 800}, device_scale_factor=scale)
    page = context.new_page()
    wide = {}
    try:
        for name, (path, ready) in KEY_PAGES.items():
            page.goto(site_url + path)
            page.wait_for_selector(ready, state="attached")
            overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                wide[name] = overflow
    finally:
        context.close()
    assert wide == {}
