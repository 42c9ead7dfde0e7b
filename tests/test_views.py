"""The district × cluster matrix agrees with the records; charts carry their numbers as text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from builder.atlas import build_atlas
from builder.render.charts import bars_of
from builder.render.views import plans_by_group
from conftest import ROOT


@pytest.fixture(scope="module")
def atlas():
    return build_atlas(ROOT)


class _Cells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.cells: dict[tuple[str, str], tuple[str, str | None]] = {}
        self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "td" and "data-cluster" in attrs:
            self._cell = (attrs["data-district"], attrs["data-cluster"])
            self.cells[self._cell] = (attrs["data-evidence"], None)
        elif tag == "a" and self._cell:
            self.cells[self._cell] = (self.cells[self._cell][0], attrs.get("href"))

    def handle_endtag(self, tag):
        if tag == "td":
            self._cell = None


def test_the_matrix_agrees_with_the_records(built_site, atlas):
    parser = _Cells()
    parser.feed((built_site / "matrix/index.html").read_text(encoding="utf-8"))
    city = [c for c in atlas.clusters.values() if c.is_city]
    assert len(parser.cells) == len(atlas.districts) * len(city)  # every district × every city cluster
    for (district_id, cluster_id), (evidence, href) in parser.cells.items():
        cluster, district = atlas.clusters[cluster_id], atlas.districts[district_id]
        related = {cluster.id, *(c.id for c in atlas.correspondents.get(cluster.id, []))}
        expected = {
            "role": any(r.cluster == cluster_id and r.district == district_id for r in atlas.roles.values()),
            "district-plan": any(c.district == district_id and cluster_id in c.corresponds_to for c in atlas.clusters.values()),
            "park": any(
                p.district == district_id and (related & set(p.clusters) or any(r.place == p.id and r.cluster == cluster_id for r in atlas.roles.values()))
                for p in atlas.places.values()
            ),
            "opinion": district_id in cluster.districts,
        }
        assert set(evidence.split()) == {k for k, v in expected.items() if v}, (district_id, cluster_id)
        if evidence:
            assert href == f"../clusters/{cluster_id}/{district_id}/"
            assert (built_site / f"clusters/{cluster_id}/{district_id}/index.html").is_file()


def test_the_semiconductor_column_shows_the_action_plans_roles(built_site):
    page = (built_site / "matrix/index.html").read_text(encoding="utf-8")
    cell = re.search(r'<td[^>]*data-district="baoan" data-cluster="semiconductor"[^>]*>(.*?)</td>', page, re.S).group(1)
    assert "化合物半导体集聚区" in cell and "意见" in cell


def test_charts_carry_their_numbers_as_text_without_javascript(built_site, atlas):
    page = (built_site / "plans/longgang-14th/index.html").read_text(encoding="utf-8")
    indicator = atlas.indicators["lg14-industrial-value-added"]
    bars = bars_of(indicator, atlas.progress_of.get(indicator.id, []))
    assert [b.key for b in bars] == ["base", "latest", "target"]
    desc = re.search(r'<desc id="chart-lg14-industrial-value-added-d">([^<]*)</desc>', page).group(1)
    for bar in bars:
        assert bar.text in desc
    assert "完成进度" in desc
    svg = re.search(r'<svg class="atlas-chart"[^>]*aria-labelledby="chart-lg14-industrial-value-added-t[^>]*>.*?</svg>', page, re.S).group(0)
    assert "<script" not in svg and "style=" not in svg
    assert svg.count("<rect") == 3  # one axis per indicator: only its own three figures


@pytest.mark.browser
def test_charts_render_with_javascript_disabled(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(site_url + "plans/longgang-14th/")
        charts = page.locator("svg.atlas-chart")
        assert charts.count() > 0
        box = charts.first.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 20
    finally:
        context.close()


@pytest.mark.browser
def test_target_tables_stack_on_a_phone(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(site_url + "plans/longgang-14th/")
        cell = page.locator("table.atlas-indicators td[data-label='指标']").first
        row = page.locator("table.atlas-indicators tbody tr").first
        assert abs(cell.bounding_box()["width"] - row.bounding_box()["width"]) < 4  # a full-width line, not a column
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


@pytest.mark.browser
def test_compare_from_a_shared_url_then_add_and_remove(page, site_url):
    page.goto(site_url + "compare/?ids=longgang-west,jinsha-bihu")
    page.wait_for_selector("[data-atlas-compare][data-compare-ids='longgang-west,jinsha-bihu']")
    heads = page.locator(".atlas-compare__table thead th").all_inner_texts()
    assert "龙岗西先进制造业园区" in heads[1] and "金沙-碧湖先进制造业园区" in heads[2]
    rows = page.locator(".atlas-compare__table tbody th").all_inner_texts()
    for label in ("产业集群", "市级布局定位", "面积", "重点项目", "涉及的目标", "提及的规划"):
        assert label in rows
    page.fill(".atlas-compare__add input", "坪山区")
    page.locator(".atlas-compare__add button").click()
    page.wait_for_selector("[data-compare-ids='longgang-west,jinsha-bihu,district:pingshan']")
    assert "ids=longgang-west,jinsha-bihu,district%3Apingshan" in page.url or "district:pingshan" in page.url
    page.locator(".atlas-compare__table th[data-id='longgang-west'] .atlas-compare__remove").click()
    page.wait_for_selector("[data-compare-ids='jinsha-bihu,district:pingshan']")
    assert "longgang-west" not in page.url
    assert page.watch.errors == []


@pytest.mark.browser
def test_add_to_compare_from_a_place_page(page, site_url):
    page.goto(site_url + "places/longgang-east/")
    page.locator("a.atlas-compare-add").click()
    page.wait_for_selector("[data-atlas-compare][data-compare-ids$='longgang-east']")
    page.goto(site_url + "districts/longgang/")
    page.locator("a.atlas-compare-add").click()
    page.wait_for_selector("[data-compare-ids='longgang-east,district:longgang']")  # joins the items last used


def _menu_plans(nav: list, section: str) -> list:
    return next(entry[section] for entry in nav if isinstance(entry, dict) and section in entry)


def _leaves(items) -> list[str]:
    found = []
    for item in items:
        values = [item] if isinstance(item, str) else list(item.values())
        for value in values:
            found.extend([value] if isinstance(value, str) else _leaves(value))
    return found


def test_the_menu_lists_each_plan_by_district_while_plans_are_few(atlas, monkeypatch):
    from types import SimpleNamespace

    from builder.render import english_views, views
    from builder.render.english_pages import EnglishText

    renderer = SimpleNamespace(atlas=atlas, english=EnglishText(atlas))
    zh, en = _menu_plans(views.navigation(atlas), "规划文件"), _menu_plans(english_views.navigation(renderer), "Plans")
    assert _leaves(zh) == ["plans/index.md", *(f"plans/{p.id}/index.md" for _, group in views.plans_by_group(atlas) for p in group)]
    assert set(_leaves(zh)) == {"plans/index.md", *(f"plans/{p}/index.md" for p in atlas.plans)}
    assert _leaves(en) == [f"en/{path}" for path in _leaves(zh)]
    assert [next(iter(group)) for group in zh[1:]][0] == views.CITY_GROUP  # the city's plans first
    # Past the limit the menu carries the plans index only: Material prints the open section on
    # each of its pages, so every plan in the menu would grow the plan pages quadratically.
    monkeypatch.setattr(views, "MENU_PLAN_LIMIT", len(atlas.plans) - 1)
    assert _menu_plans(views.navigation(atlas), "规划文件") == ["plans/index.md"]
    assert _menu_plans(english_views.navigation(renderer), "Plans") == ["en/plans/index.md"]


def test_the_plans_index_lists_every_plan_under_its_issuer(built_site, atlas):
    html = (built_site / "plans/index.html").read_text(encoding="utf-8")
    sections = re.split(r'<h2 id="', html)[1:]
    listed = {section.split('"', 1)[0]: re.findall(r'<h3 class="atlas-card__title"><a href="[^"]*plans/([^"/]+)/"', section) for section in sections}
    expected = {(d.id if d else "city"): [p.id for p in plans] for d, plans in plans_by_group(atlas)}
    assert listed == expected
    assert sum(map(len, listed.values())) == len(atlas.plans)
    assert all(atlas.plans[p].district == d for d, plans in listed.items() if d != "city" for p in plans)
