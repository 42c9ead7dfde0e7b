"""The English edition in the built site: every page has its twin, English pages are English
(lang, menu, chrome), and the investor's path has what it promises. Browser-free (html.parser)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from english_chrome import chinese_chrome


def pages(site: Path) -> dict[str, Path]:
    """Every page of the site by its URL path ("" for the home page, "en/clusters/x/" …)."""
    return {p.parent.relative_to(site).as_posix().removeprefix("."): p for p in site.rglob("index.html")}


def url_of(path: str) -> str:
    return path + "/" if path else ""


@pytest.fixture(scope="module")
def site_pages(built_site):
    return {url_of(k): v for k, v in pages(built_site).items()}


def test_every_chinese_page_has_its_english_twin_and_back(site_pages):
    chinese = {u for u in site_pages if not u.startswith("en/")}
    english = {u.removeprefix("en/") for u in site_pages if u.startswith("en/")}
    assert len(chinese) > 500
    assert sorted(chinese - english) == []
    assert sorted(english - chinese) == []


class _Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.lang, self.alternates, self.switch, self.tabs, self.in_tabs = None, {}, None, [], 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "link" and a.get("rel") == "alternate" and a.get("hreflang"):
            self.alternates[a["hreflang"]] = a["href"]
        if tag == "a" and "atlas-lang-switch" in (a.get("class") or ""):
            self.switch, self.switch_lang = a["href"], a.get("hreflang")
        if tag == "a" and "md-tabs__link" in (a.get("class") or ""):
            self.in_tabs = 1

    def handle_data(self, data):
        if self.in_tabs and data.strip():
            self.tabs.append(data.strip())
            self.in_tabs = 0


def head_of(path: Path) -> _Head:
    parser = _Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def resolve(page_url: str, href: str) -> str:
    """A relative link from a page's directory, as a site path."""
    parts = [p for p in page_url.split("/") if p]
    for piece in href.split("#")[0].split("/"):
        if piece == "..":
            parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts) + ("/" if parts else "")


@pytest.mark.parametrize("url", ["", "clusters/semiconductor/", "places/longgang-west/", "plans/longgang-14th/",
                                 "clusters/semiconductor/longgang/", "search/", "downloads/"])  # fmt: skip
def test_language_attributes_and_the_switch(site_pages, url):
    zh, en = head_of(site_pages[url]), head_of(site_pages["en/" + url])
    assert zh.lang == "zh" and en.lang == "en"
    # No <link rel="alternate">: Material would fetch a sitemap.xml beside each (404s); hreflang
    # alternates are in sitemap.xml when site_url is set (tests/test_settings.py).
    assert zh.alternates == {} and en.alternates == {}
    assert resolve(url, zh.switch) == "en/" + url  # each page's switch leads to the same record in the other language
    assert resolve("en/" + url, en.switch) == url
    assert (zh.switch_lang, en.switch_lang) == ("en", "zh-CN")


def test_english_pages_have_the_english_menu_and_chinese_pages_the_chinese(site_pages):
    en = head_of(site_pages["en/"]).tabs
    zh = head_of(site_pages[""]).tabs
    assert en[:3] == ["Home", "Plans", "Industry clusters"] and "Data downloads" in en
    assert zh[0] == "首页" and "English" not in zh and "Home" not in zh


def test_no_chinese_ui_string_is_left_in_english_pages(site_pages):
    """Chinese on an English page is only ever data (quotes, names without English), marked lang="zh-CN"."""
    found = {}
    for url, path in site_pages.items():
        if url.startswith("en/"):
            left = chinese_chrome(path.read_text(encoding="utf-8"))
            if left:
                found[url] = left[:3]
    assert found == {}


def test_the_chrome_checker_finds_unmarked_chinese():
    assert chinese_chrome('<p>Area <span lang="zh-CN">龙岗</span></p>') == []
    assert chinese_chrome("<p>Area 龙岗</p>") == ["Area 龙岗"]
    assert chinese_chrome('<a title="查看">x</a>') == ["<a title=“查看”>"]
    assert chinese_chrome('<div lang="zh-CN"><p>龙岗<b>区</b></p></div><p>ok</p>') == []
    assert chinese_chrome("<script>var a = '龙岗';</script>") == []


def article(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    return html[html.index("<article"): html.index("</article>")]


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_english_cluster_page_an_investor_lands_on(site_pages):
    body = article(site_pages["en/clusters/semiconductor/"])
    text = text_of(body)
    assert "Semiconductors and Integrated Circuits Cluster" in text
    assert "Spatial layout: district roles" in text and "Parks and places" in text and "Indicators and targets" in text
    assert 'data-atlas-lang="en"' in body  # the map links to English pages and shows English names
    assert 'href="../../../en/places/' in body and 'href="../../../places/' not in body  # English place pages
    assert 'href="../../../plans/sz-clusters-opinion/#s3-1-p2"' in body  # quotes link to the Chinese full text
    assert "Longgang District" in text


def test_english_plan_pages_say_the_text_is_chinese_and_link_to_it(site_pages):
    body = article(site_pages["en/plans/longgang-14th/"])
    assert 'href="../../../plans/longgang-14th/#full-text"' in body
    assert 'id="s1-p1"' not in body  # no full text on the English page
