"""Hostile content in real Chromium: the Content-Security-Policy, and a property test that builds
sites full of attack strings and uses them as a visitor would (hover, click, search)."""

from __future__ import annotations

import functools
import json
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from builder.search.index import squash
from builder.site import build_site
from conftest import LEAFLET_MAP, QuietServer, _QuietHandler
from hostile import SCRIPT_PAYLOADS, english_texts, TEMPLATE_PAYLOAD, make_project, texts

pytestmark = pytest.mark.browser

WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));
"""
MAP_READY = ".folium-map[data-atlas-loaded='1']"


def normal(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def csp_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors
    yield page
    context.close()


@pytest.mark.parametrize(
    "path, ready",
    [
        ("", MAP_READY),
        ("plans/longgang-14th/", "#s4-4-p2"),
        ("clusters/semiconductor/", MAP_READY),
        ("places/longgang-west/", MAP_READY),
        ("search/?q=半导体", ".atlas-result"),
    ],
)
def test_pages_work_under_the_content_security_policy(csp_page, site_url, path, ready):
    csp_page.goto(site_url + path)
    csp_page.wait_for_selector(ready)
    csp_page.wait_for_load_state("networkidle")
    policy = csp_page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert csp_page.evaluate("window.__violations") == []
    assert csp_page.errors == []


def test_the_policy_is_in_force(csp_page, site_url):
    """Markup that slipped into a page could not run: the browser itself refuses."""
    csp_page.goto(site_url + "places/longgang-west/")
    csp_page.wait_for_selector(MAP_READY)
    csp_page.evaluate(
        """() => {
        document.body.insertAdjacentHTML('beforeend', '<img src="data:," onerror="window.__ran = 1">');
        const s = document.createElement('script'); s.textContent = 'window.__ran = 2'; document.body.appendChild(s);
        const d = document.createElement('div'); d.setAttribute('style', 'color: red'); document.body.appendChild(d);
      }"""
    )
    csp_page.wait_for_function("() => window.__violations.length >= 2")
    assert csp_page.evaluate("window.__ran") is None
    directives = " ".join(csp_page.evaluate("window.__violations"))
    assert "script-src" in directives


# --- the property test ---------------------------------------------------------------------------

FRAGMENTS = [*SCRIPT_PAYLOADS, TEMPLATE_PAYLOAD, "[点我](javascript:alert(1))", "{: onclick=alert(1) }", "<br>", "&amp;"]
HOSTILE = st.lists(
    st.one_of(
        st.sampled_from(FRAGMENTS),
        st.lists(st.sampled_from([*"<>\"'&{}%#/=:;()[]! *_`|\\甲乙园区", "javascript:", "onerror=", "<img "]), min_size=1, max_size=12).map("".join),
    ),
    min_size=1,
    max_size=3,
).map(" ".join)


@contextmanager
def served(directory: Path):
    server = QuietServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class Visit:
    """One browser tab that records everything a payload could cause if it ever ran."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.add_init_script(WATCH_VIOLATIONS)
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def assert_nothing_ran(self, where: str) -> None:
        page = self.page
        assert self.dialogs == [], where
        assert self.errors == [], where
        assert page.evaluate("window.__pwned") is None, where
        assert page.locator("#pwned, [data-pwned]").count() == 0, where
        assert page.evaluate("window.__violations") == [], where


def _feature_point(page, feature_id: str) -> dict:
    """Screen position of a point inside the feature (its label point, computed at build time)."""
    return page.evaluate(
        "(id) => { const map = " + LEAFLET_MAP + """; let found = null;
        map.eachLayer(l => { if (!found && l.feature && l.feature.properties.id === id) found = l; });
        const at = found.feature.properties.label_at;
        const p = map.latLngToContainerPoint([at[1], at[0]]);
        const box = map.getContainer().getBoundingClientRect();
        return {x: box.left + p.x, y: box.top + p.y}; }""",
        feature_id,
    )


def _exercise(browser, base: str, values: dict[str, str]) -> None:
    visit = Visit(browser)
    page = visit.page
    try:
        page.goto(base)
        page.wait_for_selector(MAP_READY)
        page.wait_for_selector("path.atlas-place.atlas-id-park-x")
        labels = normal(" ".join(page.locator(".atlas-label").all_inner_texts()))
        assert normal(values["district_a"]) in labels  # permanent district labels, as text
        at = _feature_point(page, "park-x")
        page.mouse.move(at["x"], at["y"])
        tooltip = page.locator(".atlas-hover")
        tooltip.wait_for()
        assert normal(tooltip.inner_text()) == normal(values["park"])
        page.mouse.click(at["x"], at["y"])
        popup = page.locator(".leaflet-popup-content .atlas-popup")
        popup.wait_for()
        assert normal(values["park"]) in normal(popup.inner_text())
        names = [normal(n) for n in page.locator(".atlas-legend__name").all_inner_texts()]
        assert normal(values["city_cluster"]) in names  # the legend (and cluster filter), as text
        page.locator(".atlas-legend__cluster").first.hover()
        page.locator(".atlas-legend__only").first.click()  # filtering redraws the places: still text
        page.wait_for_selector(".folium-map[data-atlas-filter='city-x']")
        visit.assert_nothing_ran("home map")

        page.goto(base + "places/park-x/")
        page.wait_for_selector(MAP_READY)
        assert normal(page.locator("article h1").inner_text()) == normal(values["park"])
        assert normal(values["park_description"]) in normal(page.locator("article").inner_text())
        visit.assert_nothing_ran("place page")

        english = {key: value.strip() for key, value in english_texts(values["payload"]).items()}
        page.goto(base + "en/")  # the English map: English names from content/english/, as text
        page.wait_for_selector(MAP_READY)
        page.wait_for_selector("path.atlas-place.atlas-id-park-x")
        at = _feature_point(page, "park-x")
        page.mouse.click(at["x"], at["y"])
        popup = page.locator(".leaflet-popup-content .atlas-popup")
        popup.wait_for()
        assert normal(english["park"]) in normal(popup.inner_text())
        page.goto(base + "en/places/park-x/")
        page.wait_for_selector(MAP_READY)
        assert normal(page.locator("article h1").inner_text()) == normal(english["park"])
        visit.assert_nothing_ran("English pages")

        page.goto(base + "plans/hostile-plan/")
        page.wait_for_selector("#s1-p1")
        assert normal(values["indicator"]) in normal(page.locator(".atlas-indicators").inner_text())
        visit.assert_nothing_ran("plan page")

        page.goto(base + "search/?q=" + "项目说明")
        # Results draw one by one as their documents load: wait until the whole list is drawn.
        page.wait_for_selector("[data-atlas-search][data-search-done='项目说明']", state="attached")
        titles = page.locator("a.atlas-result__title")
        # The record's name, literally, as the result's title (search drops spaces next to Chinese).
        found = [i for i, title in enumerate(titles.all_inner_texts()) if normal(title) == normal(squash(values["project"]))]
        assert found, titles.all_inner_texts()
        titles.nth(found[0]).click()
        page.wait_for_selector("article h1")
        visit.assert_nothing_ran("search")
    finally:
        visit.context.close()


@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI must not depend on luck
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@example(payload=" ".join(SCRIPT_PAYLOADS))
@example(payload=TEMPLATE_PAYLOAD)
@given(payload=HOSTILE)
def test_hostile_strings_never_run_and_read_literally(browser, tmp_path_factory, payload):
    project = make_project(tmp_path_factory.mktemp("prop") / "project", payload)
    try:
        build_site(project, project / "site")
        # As the model reads them: text fields are stripped of surrounding whitespace.
        values = {**{key: value.strip() for key, value in texts(payload).items()}, "payload": payload}
        geo = json.loads((project / "site/assets/atlas/geo/atlas.geojson").read_text(encoding="utf-8"))
        assert values["park"] in {f["properties"]["name"] for f in geo["features"]}
        with served(project / "site") as base:
            _exercise(browser, base, values)
    finally:
        shutil.rmtree(project, ignore_errors=True)
