"""Search: the index answers substring queries exactly, and the page behaves in Chromium."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from builder.search.index import documents_of, fold, read_packed
from builder.site import build_site
from conftest import copy_project

pytestmark = pytest.mark.browser


def documents(site: Path) -> list[str]:
    return [doc["text"] for doc in documents_of(read_packed(site))]


def expected(texts: list[str], query: str) -> set[int]:
    terms = [t for t in fold(query).split() if t]
    return {i for i, text in enumerate(texts) if all(t in fold(text) for t in terms)}


def run_search(page, site_url: str, query: str = "") -> None:
    page.goto(site_url + "search/")
    page.wait_for_function("() => window.AtlasSearch !== undefined")
    page.evaluate("AtlasSearch.ready")
    if query:
        page.fill(".atlas-search__form input[name=q]", query)
        page.wait_for_selector(f"[data-atlas-search][data-search-done='{query}']", state="attached")


def test_every_page_with_the_substring_is_found_and_nothing_else(page, site_url, built_site):
    texts = documents(built_site)
    rng = random.Random(20261123)
    queries = ["半导体", "园区", "集成电路", "龙岗", "5G", "AIoT", "2025", "平方公里", "一步拓", "区工业", "细胞与基因", "专栏", "m²", "坂田 半导体"]
    for _ in range(40):  # random 2–6 character substrings taken from the text
        text = rng.choice(texts)
        size = rng.randint(2, 6)
        start = rng.randrange(0, max(1, len(text) - size))
        query = text[start : start + size]
        if query.strip() and "\n" not in query:
            queries.append(query.strip())
    run_search(page, site_url)
    for query in queries:
        found = page.evaluate("q => AtlasSearch.query(q)", query)
        assert len(found) == len(set(found))
        assert set(found) == expected(texts, query), query
    assert page.watch.errors == [] and page.watch.foreign == []


def test_typing_shows_highlighted_results_and_facets_narrow_them(page, site_url):
    run_search(page, site_url, "集成电路")
    results = page.locator(".atlas-result")
    assert results.count() == 10  # first page
    assert "集成电路" in page.locator(".atlas-result mark").first.inner_text()
    total = int(page.locator(".atlas-search__status").inner_text().split()[1])
    assert total > 10
    page.locator("[data-facet=type] label", has_text="园区与地点").locator("input").check()
    page.wait_for_function("() => !document.querySelector('[data-atlas-search]').hasAttribute('aria-busy')")
    narrowed = int(page.locator(".atlas-search__status").inner_text().split()[1])
    assert 0 < narrowed < total
    types = page.locator(".atlas-result__type").all_inner_texts()
    assert types and set(types) == {"园区与地点"}
    assert "type=%E5%9B%AD" in page.url  # the facet is in the URL, so the list can be shared


def test_query_and_facets_from_the_url_and_more_button(page, site_url):
    page.goto(site_url + "search/?q=%E4%BA%A7%E4%B8%9A&type=%E8%A7%84%E5%88%92%E5%8E%9F%E6%96%87")  # 产业, 规划原文
    page.wait_for_selector("[data-search-done='产业']", state="attached")
    assert page.locator(".atlas-search__form input").input_value() == "产业"
    assert page.locator("[data-facet=type] input:checked").count() == 1
    assert page.locator(".atlas-result").count() == 10
    page.locator(".atlas-search__more").click()
    page.wait_for_function("() => document.querySelectorAll('.atlas-result').length === 20")


def test_header_box_goes_to_the_search_page(page, site_url):
    page.goto(site_url + "places/longgang-west/")
    page.fill(".atlas-search-box input", "智能终端")
    page.press(".atlas-search-box input", "Enter")
    page.wait_for_url("**/search/?q=*")
    page.wait_for_selector("[data-search-done='智能终端']", state="attached")
    assert page.locator(".atlas-result").count() > 0


def test_no_match_says_so_and_offers_to_clear_facets(page, site_url):
    run_search(page, site_url, "不存在的词语组合")
    assert "没有找到" in page.locator(".atlas-search__status").inner_text()
    page.goto(site_url + "search/?q=%E9%BE%99%E5%B2%97&kind=%E4%B8%8D%E5%AD%98%E5%9C%A8")  # 龙岗 + a kind nobody has
    page.wait_for_selector("[data-search-done='龙岗']", state="attached")
    page.locator(".atlas-search__clear").click()
    page.wait_for_function("() => document.querySelectorAll('.atlas-result').length > 0")


@pytest.mark.parametrize("query", ["", " ", "x" * 500, "半导体" * 170, "(.*", "[a-", "<script>alert(1)</script>", "ＡＩ", "５Ｇ", "積體電路", "\\", "%"])
def test_odd_queries_never_break_the_page(page, site_url, query):
    run_search(page, site_url)
    found = page.evaluate("q => AtlasSearch.query(q)", query)
    assert isinstance(found, list)
    assert page.watch.errors == []


def test_full_width_matches_half_width(page, site_url):
    run_search(page, site_url)
    assert page.evaluate("AtlasSearch.query('５Ｇ')") == page.evaluate("AtlasSearch.query('5G')") != []


def test_markup_in_content_is_escaped_in_snippets(tmp_path, browser):
    project = copy_project(tmp_path / "project")
    places = project / "content" / "places" / "longgang.yaml"
    text = places.read_text(encoding="utf-8")
    places.write_text(
        text.replace("  kind: 先进制造业园区\n", '  kind: 先进制造业园区\n  description: "注入测试<img src=x onerror=alert(1)>标记"\n', 1),
        encoding="utf-8",
    )
    out = tmp_path / "site"
    build_site(project, out)
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(SimpleHTTPRequestHandler, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/search/?q=%E6%B3%A8%E5%85%A5%E6%B5%8B%E8%AF%95")  # 注入测试
        page.wait_for_selector(".atlas-result__snippet")
        snippet = page.locator(".atlas-result__snippet").first
        assert "<img src=x onerror=alert(1)>" in snippet.inner_text()
        assert page.locator(".atlas-result img").count() == 0
        assert dialogs == []
    finally:
        page.close()
        server.shutdown()


def test_a_query_in_traditional_characters_is_retried_in_simplified(page, site_url):
    run_search(page, site_url)
    assert page.evaluate("AtlasSearch.query('龍崗')") == page.evaluate("AtlasSearch.query('龙岗')") != []
    run_search(page, site_url, "產業園區")
    assert "已按简体“产业园区”查找" in page.locator(".atlas-search__status").inner_text()
    assert "产业园区" in page.locator(".atlas-result mark").first.inner_text()


def test_ranking_puts_the_closest_title_first(page, site_url):
    run_search(page, site_url, "龙岗")
    first = page.locator(".atlas-result__title").first.inner_text()
    assert first == "龙岗区"
    run_search(page, site_url, "半导体与集成电路产业集群")
    assert page.locator(".atlas-result__type").first.inner_text() == "产业集群"
