"""Page metadata: a description of its own per page, Open Graph, titles without repetition."""

from __future__ import annotations

import re
from collections import Counter


def _meta(html: str, attribute: str, name: str) -> str | None:
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', html)
    return match.group(1) if match else None


def test_record_pages_describe_themselves(built_site):
    pages = {p: p.read_text(encoding="utf-8") for p in built_site.glob("*/*/index.html")}
    descriptions = Counter(_meta(html, "name", "description") for html in pages.values())
    assert len(pages) > 300
    assert descriptions.most_common(1)[0][1] < 5, descriptions.most_common(3)  # no longer one description for all
    place = pages[built_site / "places/longgang-west/index.html"]
    assert "龙岗西先进制造业园区" in _meta(place, "name", "description")
    assert _meta(place, "property", "og:title") == "龙岗西先进制造业园区"
    assert _meta(place, "property", "og:description") == _meta(place, "name", "description")


def test_titles_do_not_repeat_the_site_name(built_site):
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert "<title>深圳产业地图</title>" in home
    place = (built_site / "places/longgang-west/index.html").read_text(encoding="utf-8")
    assert "<title>龙岗西先进制造业园区 - 深圳产业地图</title>" in place


def test_every_page_has_a_skip_link_and_our_favicon(built_site):
    for page in [built_site / "index.html", built_site / "plans/longgang-14th/index.html", built_site / "search/index.html"]:
        html = page.read_text(encoding="utf-8")
        assert 'class="atlas-skip" href="#atlas-content"' in html and 'id="atlas-content"' in html
        assert re.search(r'rel="icon" href="[./]*assets/atlas/favicon.svg"', html)


def test_leaflet_loads_only_on_pages_with_a_map(built_site):
    plan = (built_site / "plans/longgang-14th/index.html").read_text(encoding="utf-8")
    search = (built_site / "search/index.html").read_text(encoding="utf-8")
    place = (built_site / "places/longgang-west/index.html").read_text(encoding="utf-8")
    for html in (plan, search):
        assert "leaflet.js" not in html and "leaflet.css" not in html and "atlas-map.js" not in html
    assert "leaflet.js" in place and "leaflet.css" in place and "atlas-map.js" in place
