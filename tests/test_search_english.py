"""Search on the English edition (/en/search/) in Chromium: English names, Chinese names and pinyin
find the records, Latin terms match word starts, results link to English pages, the UI is English.

The expected answers come from the built English index itself (`matches`, the reference of
test_search_english_index.py), so recall and precision are both held at exactly 1.0 here too.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from urllib.parse import quote

import pytest

from builder.search.index import ENGLISH_INDEX_DIR, documents_of, read_packed
from english_chrome import chinese_chrome
from test_search_english_index import matches

pytestmark = pytest.mark.browser


def english_documents(site: Path) -> list[dict]:
    return documents_of(read_packed(site, ENGLISH_INDEX_DIR), ENGLISH_INDEX_DIR)


def search(page, site_url: str, query: str) -> None:
    page.goto(f"{site_url}en/search/?q={quote(query)}")
    page.wait_for_selector(f"[data-atlas-search][data-search-done='{query}']", state="attached")


def first_results(page, count: int = 10) -> list[tuple[str, str]]:
    """(title, resolved link) of the first results shown."""
    links = page.locator(".atlas-result__title")
    return [(links.nth(i).inner_text(), links.nth(i).evaluate("a => a.href")) for i in range(min(count, links.count()))]


@pytest.fixture
def english_page(browser):
    from conftest import watched_pages

    yield from watched_pages(browser, locale="en-US")


def test_semiconductor_finds_the_cluster_and_links_to_its_english_page(english_page, site_url):
    page = english_page
    search(page, site_url, "semiconductor")
    results = first_results(page, 5)
    assert ("Semiconductors and Integrated Circuits Cluster", site_url + "en/clusters/semiconductor/") in results, results
    assert all(href.startswith(site_url + "en/") for _, href in first_results(page))
    status = page.locator(".atlas-search__status").inner_text()
    assert re.fullmatch(r"Found \d+ results", status), status
    assert "Industry cluster" in page.locator(".atlas-result__type").all_inner_texts()
    assert page.locator(".atlas-facet legend").all_inner_texts()[:3] == ["Type", "District", "Industry cluster"]
    assert "semiconductor" in page.locator(".atlas-result mark").first.inner_text().lower()
    page.locator(".atlas-result__title", has_text="Semiconductors and Integrated Circuits Cluster").first.click()
    page.wait_for_url("**/en/clusters/semiconductor/")
    assert page.locator("article h1").inner_text().strip() == "Semiconductors and Integrated Circuits Cluster"
    assert page.watch.errors == [] and page.watch.foreign == []


@pytest.mark.parametrize("query", ["pingshan", "Pingshan", "坪山区"])
def test_pinyin_english_and_chinese_names_find_pingshan_district(english_page, site_url, query):
    page = english_page
    search(page, site_url, query)
    results = first_results(page, 3)
    assert ("Pingshan District", site_url + "en/districts/pingshan/") in results, results
    if query != "Pingshan":  # found by its Chinese name or the name's pinyin: the result says which
        title = page.locator(".atlas-result__title", has_text=re.compile(r"^Pingshan District$"))
        aliases = page.locator(".atlas-result", has=title).locator(".atlas-result__alias").inner_text()
        assert aliases.startswith("Also matches: ") and "坪山区 (pingshanqu)" in aliases
    assert chinese_chrome(page.locator("article").inner_html()) == []  # Chinese in results is marked lang="zh-CN"


@pytest.mark.parametrize(
    "query, title, url",
    [
        ("Longgang West", "Longgang West Advanced Manufacturing Park", "en/places/longgang-west/"),
        ("longgang", "Longgang District", "en/districts/longgang/"),
        ("biomedicine", "Biomedicine Cluster", "en/clusters/biomedicine/"),
    ],
)  # fmt: skip
def test_the_brief_s_queries_find_their_records_on_the_first_page(english_page, site_url, query, title, url):
    page = english_page
    search(page, site_url, query)
    assert (title, site_url + url) in first_results(page), (query, first_results(page))


def test_every_english_query_finds_exactly_the_reference_answer(english_page, site_url, built_site):
    texts = [doc["text"] for doc in english_documents(built_site)]
    queries = ["semiconductor", "semi", "conductor", "Pingshan", "pingshan", "Longgang West", "longgang", "biomedicine", "bio", "5G",
               "AI", "park", "2025", "坪山", "半导体", "集成电路", "bandaoti", "shenzhen", "x", "b", "Bao'an", "'an", "-tech", "ＰＩＮＧＳＨＡＮ"]  # fmt: skip
    rng = random.Random(20261207)
    words = sorted({w for text in texts for w in re.findall(r"[A-Za-z][A-Za-z0-9]+", text)})
    for _ in range(30):  # random word prefixes, random inner pieces of words (must find nothing there), Chinese substrings
        word = rng.choice(words)
        queries.append(word[: rng.randint(1, len(word))])
        if len(word) > 3:
            queries.append(word[rng.randint(1, len(word) - 2) :])
        text = rng.choice(texts)
        chinese = re.findall(r"[\u4e00-\u9fff]{2,}", text)
        if chinese:
            run = rng.choice(chinese)
            start = rng.randrange(len(run) - 1)
            queries.append(run[start : start + rng.randint(2, 4)])
    search(english_page, site_url, "")
    for query in dict.fromkeys(queries):
        found = english_page.evaluate("q => AtlasSearch.query(q)", query)
        assert len(found) == len(set(found)), query
        assert set(found) == matches(texts, query), query
    assert english_page.watch.errors == []


def test_more_no_results_and_the_link_to_the_chinese_search(english_page, site_url, built_site):
    page = english_page
    search(page, site_url, "park")
    total = int(re.match(r"Found (\d+) results", page.locator(".atlas-search__status").inner_text()).group(1))
    assert total > 10 and page.locator(".atlas-result").count() == 10
    more = page.locator(".atlas-search__more")
    assert more.inner_text() == f"More ({total - 10} left)"
    more.click()
    page.wait_for_selector(f"[data-atlas-search][data-shown='{min(total, 20)}']", state="attached")
    other = page.locator("a[data-atlas-search-other]")
    assert other.evaluate("a => a.href") == site_url + "search/?q=park"  # the plan texts, searched on the Chinese site
    page.locator("[data-facet=type] label", has_text="Park or area").locator("input").check()
    page.wait_for_function("() => !document.querySelector('[data-atlas-search]').hasAttribute('aria-busy')")
    assert set(page.locator(".atlas-result__type").all_inner_texts()) == {"Park or area"}
    assert "(filtered)" in page.locator(".atlas-search__status").inner_text() and "type=Park+or+area" in page.url

    search(page, site_url, "nosuchwordanywhere")
    assert page.locator(".atlas-search__status").inner_text() == "No results for “nosuchwordanywhere”."
    search(page, site_url, "conductor")  # inside "semiconductor" only: not a word of the cluster's
    titles = [title for title, _ in first_results(page, 100)]
    assert "Semiconductors and Integrated Circuits Cluster" not in titles
    assert chinese_chrome(page.locator("article").inner_html()) == []
    assert page.watch.errors == []


def test_the_header_box_of_an_english_page_searches_the_english_index(english_page, site_url):
    page = english_page
    page.goto(site_url + "en/clusters/semiconductor/")
    page.fill(".atlas-search-box input", "biomedicine")
    page.press(".atlas-search-box input", "Enter")
    page.wait_for_url("**/en/search/?q=*")
    page.wait_for_selector("[data-search-done='biomedicine']", state="attached")
    assert page.locator(".atlas-result").count() > 0
    assert all("/en/" in href for _, href in first_results(page))
