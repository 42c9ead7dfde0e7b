"""The compare view in English (/en/compare/): its data (compare.en.json), its page, and in the
browser one compare.js that speaks the page's language and links to the English pages."""

from __future__ import annotations

import json
import re

import pytest

from builder.atlas import build_atlas
from builder.render.compare import COMPARE_EN_URL, COMPARE_URL, compare_data, compare_data_en
from builder.render.english_data import english_compare
from builder.render.english_pages import EnglishText
from builder.render.pages import PageRenderer
from conftest import ROOT
from english_chrome import chinese_chrome

CJK = re.compile(r"[\u3400-\u9fff]")
ROWS_EN = ("Kind", "District", "Industry clusters", "Roles in the city's layout", "Area", "Key projects", "Projects",
           "Targets naming it", "Plans mentioning it", "Location precision")  # fmt: skip


@pytest.fixture(scope="module")
def atlas():
    return build_atlas(ROOT)


def test_the_english_data_has_every_item_of_the_chinese_in_english(atlas):
    chinese = json.loads(compare_data(atlas))["items"]
    english = json.loads(compare_data_en(atlas, EnglishText(atlas)))["items"]
    assert list(english) == list(chinese)
    for item_id, item in english.items():
        assert item["name_zh"] == chinese[item_id]["name"] and item["url"] == chinese[item_id]["url"], item_id
        assert set(item) == set(chinese[item_id]) | {"name_zh", "investment"}
        assert len(item["projects"]) == len(chinese[item_id]["projects"]) and item["investment_yi"] == chinese[item_id]["investment_yi"]
        for key in ("kind", "precision"):  # labels are always English
            assert not CJK.search(item[key]), (item_id, key)
    west = english["longgang-west"]
    assert west["name"] == "Longgang West Advanced Manufacturing Park" and west["district"] == "Longgang District"
    assert west["kind"] == "Advanced manufacturing park" and west["precision"] == "Schematic extent"
    assert english["district:pingshan"]["kind"] == "District" and english["district:pingshan"]["name"] == "Pingshan District"
    invested = [i for i in english.values() if i["investment_yi"] is not None]
    assert invested and all(i["investment"].startswith("RMB ") for i in invested)


def test_the_english_compare_page_reads_the_english_data_and_links_to_english_pages(atlas):
    renderer = PageRenderer(atlas, ROOT / "templates", lang="en")
    context = english_compare(renderer)
    renderer.page("en/compare/index.md", "compare.md.j2", title="Compare", **context)
    page = renderer.files.text("en/compare/index.md")
    assert renderer.files.text(COMPARE_EN_URL) == compare_data_en(atlas, renderer.english) and COMPARE_URL not in renderer.files.generated
    assert 'data-atlas-root="../../en/"' in page and 'data-atlas-lang="en"' in page
    assert f'data-atlas-data="../../{COMPARE_EN_URL}"' in page and 'src="../../assets/atlas/compare.js"' in page
    assert chinese_chrome(page) == []


def test_one_script_with_a_strings_table_per_language():
    script = (ROOT / "site_src/assets/atlas/compare.js").read_text(encoding="utf-8")
    assert "var STRINGS = {" in script and "zh: {" in script and "en: {" in script
    outside = script[: script.index("var STRINGS")] + script[script.index("var T = STRINGS[lang]") :]
    code = re.sub(r"^\s*(/?\*|//).*$", "", outside, flags=re.M)  # comments may be Chinese
    assert not CJK.search(code), "UI strings belong in STRINGS"


@pytest.mark.browser
def test_english_compare_shows_english_headers_and_names(page, site_url):
    page.goto(site_url + "en/compare/?ids=longgang-west,jinsha-bihu")
    page.wait_for_selector("[data-atlas-compare][data-compare-ids='longgang-west,jinsha-bihu']")
    heads = page.locator(".atlas-compare__table thead th").all_inner_texts()
    assert "Longgang West Advanced Manufacturing Park" in heads[1] and "Jinsha-Bihu Advanced Manufacturing Park" in heads[2]
    assert "Remove" in heads[1]
    rows = page.locator(".atlas-compare__table tbody th").all_inner_texts()
    for label in ROWS_EN:
        assert label in rows
    assert not [r for r in rows if CJK.search(r)]
    assert "Comparing 2 items." in page.locator(".atlas-compare__status").inner_text()
    link = page.locator(".atlas-compare__table th[data-id='longgang-west'] a")
    assert link.get_attribute("href").endswith("en/places/longgang-west/")
    cells = page.locator(".atlas-compare__table tbody td").all_inner_texts()
    assert any("Advanced manufacturing park" in c for c in cells) and any("Longgang District" in c for c in cells)
    unmarked = page.evaluate("""() => [...document.querySelectorAll('.atlas-compare__table *')]
        .filter(e => e.children.length === 0 && /[\\u3400-\\u9fff]/.test(e.textContent) && !(e.closest('[lang]') || {lang: ''}).lang.startsWith('zh'))
        .map(e => e.textContent)""")
    assert unmarked == []  # any Chinese left (a name without English) is marked as Chinese
    page.fill(".atlas-compare__add input", "Pingshan District")
    page.locator(".atlas-compare__add button").click()
    page.wait_for_selector("[data-compare-ids='longgang-west,jinsha-bihu,district:pingshan']")
    page.locator(".atlas-compare__table th[data-id='longgang-west'] .atlas-compare__remove").click()
    page.wait_for_selector("[data-compare-ids='jinsha-bihu,district:pingshan']")
    page.fill(".atlas-compare__add input", "no such park")
    page.locator(".atlas-compare__add button").click()
    page.wait_for_selector(".atlas-compare__status:has-text('Nothing found for')")
    assert page.watch.errors == []
