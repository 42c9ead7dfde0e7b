"""Search: pressing 更多 until the end lists exactly the stated total, once each, and the control goes.

The expected totals come from the built documents themselves (every document containing every
term), not from the page, so a count that drifts from the result set is caught.
"""

from __future__ import annotations

import random
from urllib.parse import quote

import pytest

from bench.search_bench import TERMS
from test_search import documents, expected

pytestmark = pytest.mark.browser

PAGE = 10

EXPAND_TO_THE_END = """
async () => {
  const root = document.querySelector('[data-atlas-search]');
  const more = root.querySelector('.atlas-search__more');
  const end = root.querySelector('.atlas-search__end');
  const listed = () => root.querySelectorAll('.atlas-result').length;
  const drawn = (n) => new Promise((resolve, reject) => {
    let frames = 0;  // a ceiling in frames, not time: a stuck list fails instead of hanging
    const check = () => {
      const titles = root.querySelectorAll('.atlas-result .atlas-result__title').length;
      if (listed() === n && titles === n) resolve();
      else if (++frames > 5000) reject(new Error('list stuck at ' + listed() + ', expected ' + n));
      else requestAnimationFrame(check);
    };
    check();
  });
  const total = Number(root.querySelector('.atlas-search__status').textContent.match(/找到 (\\d+) 条/)[1]);
  await drawn(Math.min(total, 10));
  const counts = [];  // [count the control shows, results not yet listed] before each press
  while (more.offsetParent !== null) {
    counts.push([Number(more.textContent.match(/还有 (-?\\d+) 条/)[1]), total - listed()]);
    if (listed() >= total) break;  // the control should have gone: stop and report it
    const target = Math.min(total, listed() + 10);
    more.click();
    await drawn(target);
  }
  const links = [...root.querySelectorAll('.atlas-result__title')].map(a => a.getAttribute('href'));
  return {total, counts, links, listed: listed(), moreVisible: more.offsetParent !== null,
          moreHidden: more.hidden, endText: end.hidden ? '' : end.textContent,
          focused: document.activeElement && document.activeElement.className};
}
"""


def expand(page, site_url: str, query: str, facet: str = "") -> dict:
    page.goto(f"{site_url}search/?q={quote(query)}{facet}")
    page.wait_for_selector(f"[data-atlas-search][data-search-done='{query}']", state="attached")
    return page.evaluate(EXPAND_TO_THE_END)


def assert_complete(result: dict, query: str) -> None:
    total = result["total"]
    assert result["listed"] == total, query
    assert len(set(result["links"])) == len(result["links"]) == total, f"{query}: a result listed twice"
    assert all(shown == left for shown, left in result["counts"]), f"{query}: {result['counts']}"
    assert all(left > 0 for _, left in result["counts"]), query
    assert len(result["counts"]) == (total - 1) // PAGE, query  # one press per further page
    assert not result["moreVisible"] and result["moreHidden"], f"{query}: 更多 still shown"
    assert result["endText"] == (f"已显示全部 {total} 条结果" if total > PAGE else ""), query


def pick_queries(texts: list[str]) -> dict[str, str]:
    """Queries whose totals are under one page, exactly one page and exactly one page plus one."""
    wanted = {"under": lambda n: 1 < n < PAGE, "one page": lambda n: n == PAGE, "one more": lambda n: n == PAGE + 1}
    rng = random.Random(20261202)
    picked: dict[str, str] = {}
    for _ in range(20000):
        text = rng.choice(texts)
        size = rng.choice([2, 3, 4])
        start = rng.randrange(0, max(1, len(text) - size))
        query = text[start : start + size]
        if not all("\u4e00" <= c <= "\u9fff" for c in query):
            continue
        count = len(expected(texts, query))
        for name, fits in wanted.items():
            if name not in picked and fits(count):
                picked[name] = query
        if len(picked) == len(wanted):
            return picked
    raise AssertionError(f"no queries found for {set(wanted) - set(picked)}")


def test_expanding_every_benchmark_query_lists_exactly_its_total(page, site_url, built_site):
    texts = documents(built_site)
    for query in TERMS:
        result = expand(page, site_url, query)
        assert result["total"] == len(expected(texts, query)), query
        assert_complete(result, query)
    assert page.watch.errors == []


def test_totals_of_one_page_exactly_one_page_and_one_more(page, site_url, built_site):
    texts = documents(built_site)
    for name, query in pick_queries(texts).items():
        result = expand(page, site_url, query)
        assert result["total"] == len(expected(texts, query)), (name, query)
        assert_complete(result, query)


def test_with_a_facet_the_count_and_control_follow_the_filtered_set(page, site_url, built_site):
    texts = documents(built_site)
    for query in ("龙岗", "半导体"):
        unfiltered = len(expected(texts, query))
        result = expand(page, site_url, query, "&type=" + quote("规划原文"))
        assert PAGE < result["total"] < unfiltered, query
        assert_complete(result, query)
        types = page.locator(".atlas-result__type").all_inner_texts()
        assert set(types) == {"规划原文"}


def test_after_more_focus_moves_to_the_first_new_result(page, site_url):
    page.goto(site_url + "search/?q=" + quote("园区"))
    page.wait_for_selector("[data-search-done='园区'][data-shown='10']", state="attached")
    page.locator(".atlas-search__more").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-atlas-search][data-shown='20']", state="attached")
    eleventh = page.locator(".atlas-result").nth(10).locator("a")
    page.wait_for_function("() => document.activeElement && document.activeElement.classList.contains('atlas-result__title')")
    assert eleventh.evaluate("a => a === document.activeElement")


def test_at_phone_width_the_control_goes_away_too(browser, site_url, built_site):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    try:
        result = expand(page, site_url, "坪山")
        assert result["total"] == len(expected(documents(built_site), "坪山"))
        assert_complete(result, "坪山")
    finally:
        context.close()
