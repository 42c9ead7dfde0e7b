"""Settings in mkdocs.yml (`site_url`, `extra.atlas`): validated with precise messages, used by builds."""

from __future__ import annotations

import csv
import html
import io
import re
import subprocess
import sys

from builder.site import build_site
from hostile import make_project


def _set(project, old: str, new: str) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new, 1), encoding="utf-8")


def _check(project) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "builder.cli", "check", "--project", str(project)], capture_output=True, text=True)


def test_a_wrong_setting_is_reported_at_its_line(tmp_path):
    project = make_project(tmp_path / "project", "x")
    _set(project, "    tiles: none", "    tiles: google")
    _set(project, "    language: zh", "    language: fr")
    line = next(i for i, row in enumerate((project / "mkdocs.yml").read_text(encoding="utf-8").splitlines(), 1) if "tiles: google" in row)
    result = _check(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(rf"^mkdocs.yml:{line}: 设置无效 \(invalid setting\) extra.atlas.tiles: Expected one of: \['none', 'osm', 'amap'\] but received: 'google'", result.stderr, re.M), result.stderr
    assert "extra.atlas.language: Expected one of: ('zh',) but received: 'fr'" in result.stderr
    _set(project, "# site_url: https://atlas.example.cn/", "site_url: not a url")
    assert "invalid setting) site_url:" in _check(project).stderr


def test_tiles_and_site_url_from_the_settings(tmp_path):
    project = make_project(tmp_path / "project", "x")
    _set(project, "    tiles: none", "    tiles: osm")
    _set(project, "# site_url: https://atlas.example.cn/", "site_url: https://atlas.example.cn/")
    build_site(project, project / "site")
    home = html.unescape((project / "site/index.html").read_text(encoding="utf-8"))
    assert "img-src 'self' data: https://*.is.autonavi.com https://tile.openstreetmap.org;" in home
    assert '"initial":"osm"' in (project / "site/assets/atlas/maps/home.js").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO((project / "site/downloads/places.csv").read_text(encoding="utf-8-sig"))))
    assert rows[1][rows[0].index("出处")].startswith("https://atlas.example.cn/plans/hostile-plan/#")
    pages = sorted((project / "site").rglob("index.html"))
    sitemap = (project / "site/sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count("<loc>") == len(pages) and "<loc>https://atlas.example.cn/places/park-x/</loc>" in sitemap
    # Every page names its twin in the other language (hreflang), the English one under en/.
    for loc in ("https://atlas.example.cn/places/park-x/", "https://atlas.example.cn/en/places/park-x/"):
        entry = sitemap[sitemap.index(f"<loc>{loc}</loc>"):].split("</url>")[0]
        assert '<xhtml:link rel="alternate" hreflang="zh-CN" href="https://atlas.example.cn/places/park-x/"/>' in entry
        assert '<xhtml:link rel="alternate" hreflang="en" href="https://atlas.example.cn/en/places/park-x/"/>' in entry
    assert sitemap.count('hreflang="en"') == len(pages)
    place = (project / "site/places/park-x/index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://atlas.example.cn/places/park-x/">' in place
    assert '<meta property="og:url" content="https://atlas.example.cn/places/park-x/">' in place
    build_site(project, project / "site", tiles="none")  # the command line wins for one build
    assert "tile.openstreetmap.org" not in (project / "site/index.html").read_text(encoding="utf-8")
    assert '"initial":"none"' in (project / "site/assets/atlas/maps/home.js").read_text(encoding="utf-8")
