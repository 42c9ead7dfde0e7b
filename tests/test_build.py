"""Building the bundled content: pages exist, links and citation anchors resolve, nothing external."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlparse

import pytest

from builder.site import build_site
from conftest import ROOT, copy_project

import yaml


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.assets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in ("script", "img") and attrs.get("src"):
            self.assets.append(attrs["src"])
        if tag == "link" and attrs.get("href") and "stylesheet" in (attrs.get("rel") or ""):
            self.assets.append(attrs["href"])


def parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def page_file(site: Path, page: Path, href: str) -> tuple[Path, str]:
    """Resolve a relative href from `page` to a file in `site` and its fragment."""
    url, fragment = urldefrag(href)
    base = "/" + page.relative_to(site).as_posix()
    target = urlparse(urljoin(base, url)).path if url else base
    target = unquote(target).lstrip("/")
    path = site / target
    if target == "" or target.endswith("/"):
        path = path / "index.html"
    return path, fragment


def records(kind: str) -> list[dict]:
    found = []
    for path in sorted((ROOT / "content" / kind).glob("*.yaml")):
        found.extend(yaml.safe_load(path.read_text(encoding="utf-8")))
    return found


def test_every_record_has_a_page(built_site):
    assert (built_site / "index.html").exists()
    assert (built_site / "about" / "index.html").exists()
    assert (built_site / "plans" / "longgang-14th" / "index.html").exists()
    for cluster in records("clusters"):
        assert (built_site / "clusters" / cluster["id"] / "index.html").exists(), cluster["id"]
    for place in records("places"):
        assert (built_site / "places" / place["id"] / "index.html").exists(), place["id"]
    for park in ("longgang-west", "longgang-central", "longgang-east"):
        html = (built_site / "places" / park / "index.html").read_text(encoding="utf-8")
        assert "先进制造业园区" in html and "示意范围" in html


def test_park_page_lists_the_clusters_the_plan_assigns(built_site):
    html = (built_site / "places" / "longgang-west" / "index.html").read_text(encoding="utf-8")
    clusters = re.search(r'id="clusters".*?</p>', html, re.S).group(0)
    for name in ("网络与通信产业集群", "半导体与集成电路产业集群", "智能终端产业集群"):
        assert name in clusters
    assert "新能源产业集群" not in clusters


def test_plan_page_has_the_cleaned_text_with_linkable_paragraphs(built_site):
    page = built_site / "plans" / "longgang-14th" / "index.html"
    html = page.read_text(encoding="utf-8")
    ids = parse(page).ids
    assert {"s4-4", "s4-4-p2", "box4-8", "s0-p1"} <= ids
    assert "[bookmark" not in html
    assert "龙岗西先进制造业园区重点发展网络与通信、半导体与集成电路、智能终端产业集群" in html


def test_every_internal_link_and_citation_anchor_resolves(built_site):
    citation_links = 0
    for page in sorted(built_site.rglob("*.html")):
        for href in parse(page).links:
            if href.startswith(("http://", "https://", "mailto:")):
                continue
            target, fragment = page_file(built_site, page, href)
            assert target.exists(), f"{page.relative_to(built_site)}: broken link {href}"
            if fragment and target.suffix == ".html":
                assert fragment in parse(target).ids, f"{page.relative_to(built_site)}: no #{fragment} in {href}"
                citation_links += "plans/" in href
    assert citation_links >= 40


def test_no_asset_comes_from_another_host(built_site):
    for page in sorted(built_site.rglob("*.html")):
        for src in parse(page).assets:
            assert not re.match(r"^(https?:)?//", src), f"{page}: external asset {src}"
    for script in (built_site / "assets" / "atlas" / "maps").glob("*.js"):
        spec = map_spec(script)
        choices = spec.pop("basemaps")["choices"]
        # The only other host a map names is a street-tile server, offered in its basemap switch.
        assert [c["id"] for c in choices if c.get("url")] == ["amap"] and choices[0]["id"] == "none", script
        assert not re.search(r"https?://", json.dumps(spec, ensure_ascii=False)), script
        assert not re.search(r"https?://", script.read_text(encoding="utf-8").split("\n", 1)[1]), script


def map_spec(script) -> dict:
    first = script.read_text(encoding="utf-8").split("\n", 1)[0]
    return json.loads(re.fullmatch(r'AtlasMap\.define\("[a-z0-9-]+", (.*)\);', first).group(1))


def test_geometry_is_shared_not_inlined(built_site):
    for name in ("atlas.geojson", "atlas-gcj.geojson"):
        assert (built_site / "assets" / "atlas" / "geo" / name).exists()
    for script in (built_site / "assets" / "atlas" / "maps").glob("*.js"):
        text = script.read_text(encoding="utf-8")
        assert "coordinates" not in text and "atlas.geojson" in text
        assert len(text.encode()) < 20_000


def _tree(folder: Path) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_builds_are_byte_identical_across_processes_and_with_or_without_the_second_core(tmp_path, built_site):
    """Two more builds in separate processes, with different hash seeds: one indexes on a forked
    worker (the default), one serially (ATLAS_SERIAL=1). All three must be byte-identical."""
    first = _tree(built_site)
    for seed, serial in (("1", "0"), ("2", "1")):
        out = tmp_path / f"seed-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "ATLAS_SERIAL": serial}
        result = subprocess.run([sys.executable, "-m", "builder.cli", "build", "--quiet", "--out", str(out)],
                                cwd=ROOT, env=env, capture_output=True, text=True)  # fmt: skip
        assert result.returncode == 0, result.stderr
        again = _tree(out)
        assert first.keys() == again.keys()
        assert not [str(path) for path in first if first[path] != again[path]], f"PYTHONHASHSEED={seed}"


def test_text_from_content_is_escaped(tmp_path):
    project = copy_project(tmp_path / "project")
    places = project / "content" / "places" / "longgang.yaml"
    text = places.read_text(encoding="utf-8")
    places.write_text(text.replace("name: 龙岗西先进制造业园区", 'name: "龙岗西<script>alert(1)</script>园区"', 1), encoding="utf-8")
    out = tmp_path / "site"
    build_site(project, out)
    page = (out / "places" / "longgang-west" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)" in page
    for html in out.rglob("*.html"):
        assert "<script>alert(1)" not in html.read_text(encoding="utf-8"), html


def test_page_html_is_set_aside_compressed_and_given_back_to_the_written_page():
    from types import SimpleNamespace

    from builder.mkdocs_run import _ContentAside

    aside = _ContentAside()
    titled = SimpleNamespace(markdown="# 标题", content=None, file=SimpleNamespace(src_uri="a.md"))
    untitled = SimpleNamespace(markdown="正文", content=None, file=SimpleNamespace(src_uri="b.md"))
    titled.content = aside.on_page_content("<h1>标题</h1><p>正文</p>", titled, None, None)
    untitled.content = aside.on_page_content("<p>正文</p>", untitled, None, None)
    assert titled.markdown is None and len(titled.content) < 30
    # the theme adds its own h1 only when the content has none: the marker answers as the HTML would
    assert "<h1" in titled.content and "<h1" not in untitled.content
    page = aside.on_post_page(f"<main>{titled.content}</main>", titled, None)
    assert page == "<main><h1>标题</h1><p>正文</p></main>" and len(aside.aside) == 1
    with pytest.raises(RuntimeError, match="b.md"):
        aside.on_post_page("<main></main>", untitled, None)  # a theme that dropped the content
