"""Page weight: bytes a visitor transfers for home, a cluster, a place and a plan page — this build
against the last landed one (`BASELINE`), both built and measured in the same run.

Two numbers per page, measured in Chromium (response bodies actually sent, uncompressed):
- *first visit*: a fresh browser opens the page — the page and everything it loads;
- *after the home page*: the visitor came from the home page, so the shared assets are cached.
The baseline is checked out with `git worktree` and built with its own code.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "86a2826"  # the site as it was before the work of issues 9–11
PAGES = [
    ("首页", ""),
    ("产业集群：半导体与集成电路", "clusters/semiconductor/"),
    ("园区：龙岗西先进制造业园区", "places/longgang-west/"),
    ("规划：龙岗区工业“十四五”规划", "plans/longgang-14th/"),
]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]  # fmt: skip


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


def build_baseline(work: Path) -> Path:
    tree, site = work / "baseline-src", work / "baseline-site"
    if tree.exists():
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False, capture_output=True)
        shutil.rmtree(tree, ignore_errors=True)
    subprocess.run(["git", "worktree", "add", "--detach", str(tree), BASELINE], cwd=ROOT, check=True, capture_output=True)
    try:
        env = {**os.environ, "PYTHONPATH": str(tree)}  # its own builder package, not this checkout's
        subprocess.run([sys.executable, "-m", "builder.cli", "build", "--project", str(tree), "--out", str(site)],
                       cwd=tree, env=env, check=True, capture_output=True)  # fmt: skip
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False, capture_output=True)
    return site


def build_current(work: Path) -> Path:
    from builder.site import build_site

    site = work / "current-site"
    build_site(ROOT, site)
    return site


def _transferred(page, url: str, wait: str) -> int:
    sizes: list[int] = []
    page.on("requestfinished", lambda r: sizes.append(max(0, r.sizes()["responseBodySize"])))
    page.goto(url, wait_until="networkidle")
    if wait:
        page.wait_for_selector(wait, timeout=20_000)
    page.wait_for_load_state("networkidle")
    return sum(sizes)


def measure_site(site: Path) -> dict[str, tuple[int, int]]:
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    result = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for label, path in PAGES:
                wait = ".folium-map[data-atlas-loaded='1']" if (site / path / "index.html").read_text(encoding="utf-8").count("folium-map") else ""
                context = browser.new_context()
                first = _transferred(context.new_page(), base + path, wait)
                context.close()
                context = browser.new_context()
                home = context.new_page()
                home.goto(base, wait_until="networkidle")
                after = _transferred(context.new_page(), base + path, wait) if path else 0
                context.close()
                result[label] = (first, after)
            browser.close()
    finally:
        server.shutdown()
    return result


def section(work: Path) -> str:
    work.mkdir(parents=True, exist_ok=True)
    before, after = measure_site(build_baseline(work)), measure_site(build_current(work))
    rows = ["| page | first visit, before | first visit, now | after the home page, before | after the home page, now |", "|---|---|---|---|---|"]
    for label, _ in PAGES:
        (b1, b2), (a1, a2) = before[label], after[label]
        second = f"| {b2 / 1024:.1f} KB | {a2 / 1024:.1f} KB |" if b2 or a2 else "| — | — |"
        rows.append(f"| {label} | {b1 / 1024:.1f} KB | {a1 / 1024:.1f} KB {second}")
    return "\n".join(
        [
            "## Page weight",
            "",
            f"Before = the site at commit `{BASELINE}` (built with its own code), now = this build, measured in the same run "
            "in Chromium: bytes of response bodies actually transferred (uncompressed; a static host would gzip them). "
            "“After the home page”: shared assets (theme, Leaflet, geometry, fonts) are cached.",
            "",
            *rows,
            "",
            "Pages without a map no longer load Leaflet and the map client; map pages now also carry the cluster filter, "
            "the basemap switch and the larger data of 152 places and 164 roles.",
            "",
        ]
    )
