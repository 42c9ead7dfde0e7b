"""Search benchmark: our substring index vs MkDocs Material search (jieba) vs Pagefind, same pages.

The corpus is the atlas's own search documents (every plan paragraph and record), each written as
one page, so all three engines index exactly the same texts. A result is correct when the page's
text contains the query (after the folding every engine applies: full-width → half-width, case).
Queries: domain terms plus random 2–6 character substrings of the text (fixed seed).
Measured in headless Chromium: recall, precision, P@10, bytes fetched for a cold first query and
for a later query, index size on disk, warm query latency (median).
"""

from __future__ import annotations

import functools
import random
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlparse

from builder.atlas import build_atlas
from builder.search.document import SearchDocument
from builder.search.documents import build_documents
from builder.search.index import fold, index_documents, squash

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]  # fmt: skip
TERMS = [
    "半导体", "园区", "集成电路", "细胞与基因", "坪山", "龙岗", "龙华", "先进制造业园区", "集聚区", "新能源", "生物医药",
    "智能终端", "5G", "AI", "2025", "平方公里", "亿元", "专栏", "工业母机", "低空经济", "新材料", "光明", "宝安",
    "人工智能", "未来产业", "数字创意", "高端医疗器械", "海洋", "前沿新材料", "智能网联汽车", "合成生物", "脑科学",
]  # fmt: skip


@dataclass
class EngineResult:
    name: str
    recall: list[float] = field(default_factory=list)
    precision: list[float] = field(default_factory=list)
    p_at_10: list[float] = field(default_factory=list)
    latency_ms: list[float] = field(default_factory=list)
    zero_correct: int = 0
    cold_bytes: int = 0
    warm_bytes: int = 0
    index_bytes: int = 0


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


def write_corpus(work: Path) -> list[dict]:
    """One Markdown page per search document; returns [{path, text}] with text as searched."""
    atlas = build_atlas(ROOT)
    docs_dir = work / "docs"
    docs_dir.mkdir(parents=True)
    (docs_dir / "index.md").write_text("# 检索基准\n\n本站用于比较检索引擎。\n", encoding="utf-8")
    pages = []
    for number, doc in enumerate(build_documents(atlas)):
        title, body = squash(doc.title), squash(doc.body)
        escaped = body.replace("<", "&lt;").replace("*", "\\*").replace("_", "\\_").replace("#", "\\#")
        (docs_dir / f"d{number}.md").write_text(f"# {title.replace('#', ' ')}\n\n{escaped}\n", encoding="utf-8")
        pages.append({"path": f"d{number}/", "text": title + "\n" + body, "title": title, "body": body})
    return pages


def build_material(work: Path) -> Path:
    config = work / "mkdocs.yml"
    config.write_text(
        "site_name: bench\nuse_directory_urls: true\ntheme:\n  name: material\n  language: zh\n  font: false\n"
        "plugins:\n  - search:\n      lang: zh\n",
        encoding="utf-8",
    )
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)], check=True, cwd=work)
    return work / "site"


def add_pagefind(site: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site), "--root-selector", "article", "--force-language", "zh", "--quiet"],
        check=True,
    )
    (site / "pagefind-host.html").write_text(
        "<!doctype html><meta charset=utf-8><title>pagefind</title><script type=module>"
        "window.pf = await import('./pagefind/pagefind.js'); await window.pf.init(); window.pfReady = true;"
        "</script>",
        encoding="utf-8",
    )


def add_ours(site: Path, pages: list[dict]) -> None:
    """Our index over the same pages, with the real client on a bare host page."""
    documents = [SearchDocument("页面", p["title"], p["body"], p["path"], {"type": ["页面"]}) for p in pages]
    files = index_documents(documents).packed()  # as the site stores them, compressed
    for relative, data in files.items():
        target = site / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    scripts = ("search-engine.js", "search-url.js", "search.js")
    for name in scripts:
        shutil.copy(ROOT / "site_src" / "assets" / "atlas" / name, site / f"atlas-{name}")
    (site / "ours-host.html").write_text(
        "<!doctype html><meta charset=utf-8><title>ours</title><div data-atlas-search data-atlas-root=''>"
        "<form><input name=q></form><p class=atlas-search__status></p><div class=atlas-search__facets></div>"
        "<ol class=atlas-search__results></ol><button class=atlas-search__more hidden></button><p class=atlas-search__end hidden></p></div>"
        + "".join(f"<script src='atlas-{name}'></script>" for name in scripts),
        encoding="utf-8",
    )


def make_queries(pages: list[dict], count: int = 100, seed: int = 20261123) -> list[str]:
    rng = random.Random(seed)
    queries = list(TERMS)
    texts = [p["body"] for p in pages if len(p["body"]) > 20]
    while len(queries) < count:
        text = rng.choice(texts)
        size = rng.choice([2, 3, 4, 6])
        start = rng.randrange(0, len(text) - size)
        query = text[start : start + size]
        if not any(c.isspace() or not (c.isalnum() or "\u4e00" <= c <= "\u9fff") for c in query) and query not in queries:
            queries.append(query)
    return queries


def truth(pages: list[dict], query: str) -> set[str]:
    needle = fold(query)
    return {p["path"] for p in pages if needle in fold(p["text"])}


def score(engine: EngineResult, expected: set[str], returned: list[str]) -> None:
    found = set(returned)
    engine.recall.append(len(found & expected) / len(expected) if expected else 1.0)
    engine.precision.append(len(found & expected) / len(found) if found else (1.0 if not expected else 0.0))
    top = returned[:10]
    engine.p_at_10.append(sum(1 for r in top if r in expected) / len(top) if top else (1.0 if not expected else 0.0))
    if expected and not (found & expected):
        engine.zero_correct += 1


def file_bytes(site: Path, urls: list[str]) -> int:
    total = 0
    for url in dict.fromkeys(urls):
        path = unquote(urlparse(url).path).lstrip("/")
        file = site / path
        if file.is_dir():
            file = file / "index.html"
        if file.is_file():
            total += file.stat().st_size
    return total


def run_engines(site: Path, pages: list[dict], queries: list[str]) -> list[EngineResult]:
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    results = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for engine in (_ours, _pagefind, _material):
                results.append(engine(browser, base, site, pages, queries))
            browser.close()
    finally:
        server.shutdown()
    return results


def _timed(page, script: str, query: str):
    started = time.perf_counter()
    value = page.evaluate(script, query)
    return value, (time.perf_counter() - started) * 1000


def _cold_and_warm(browser, base: str, site: Path, host: str, ready: str, run: str, queries: list[str], skip) -> tuple[int, int]:
    """Bytes a fresh visitor fetches for the first query (engine code + index) and for a second one."""
    context = browser.new_context()
    page = context.new_page()
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    page.goto(base + host)
    page.wait_for_function(ready)
    page.evaluate(run, queries[0])
    cold = file_bytes(site, [u for u in urls if not skip(u)])
    seen = len(urls)
    page.evaluate(run, queries[1])
    warm = file_bytes(site, [u for u in urls[seen:] if not skip(u)])
    context.close()
    return cold, warm


OURS_RUN = "q => AtlasSearch.query(q)"
PAGEFIND_RUN = """async q => { const r = await window.pf.search(q); if (!r) return [];
  const data = await Promise.all(r.results.map(x => x.data())); return data.map(d => d.url); }"""


def _ours(browser, base, site, pages, queries) -> EngineResult:
    engine = EngineResult("本站（子串索引）")
    page = browser.new_page()
    page.goto(base + "ours-host.html")
    page.wait_for_function("window.AtlasSearch !== undefined")
    page.evaluate("AtlasSearch.ready")
    for query in queries:
        ids, ms = _timed(page, OURS_RUN, query)
        engine.latency_ms.append(ms)
        score(engine, truth(pages, query), [pages[i]["path"] for i in ids])
    engine.latency_ms = [_timed(page, OURS_RUN, q)[1] for q in queries]  # warm: shards now cached
    page.close()
    engine.cold_bytes, engine.warm_bytes = _cold_and_warm(
        browser, base, site, "ours-host.html", "window.AtlasSearch !== undefined", OURS_RUN, ["园区", "半导体"],
        lambda u: u.endswith("ours-host.html"),
    )
    engine.index_bytes = sum(f.stat().st_size for f in (site / "search").rglob("*.json.gz"))
    return engine


def _pagefind(browser, base, site, pages, queries) -> EngineResult:
    engine = EngineResult("Pagefind 1.5.2 extended")
    page = browser.new_page()
    page.goto(base + "pagefind-host.html")
    page.wait_for_function("window.pfReady === true")
    for query in queries:
        urls, _ = _timed(page, PAGEFIND_RUN, query)
        score(engine, truth(pages, query), [urlparse(u).path.lstrip("/") for u in urls])
    engine.latency_ms = [_timed(page, "async q => (await window.pf.search(q))?.results.length", q)[1] for q in queries]
    page.close()
    engine.cold_bytes, engine.warm_bytes = _cold_and_warm(
        browser, base, site, "pagefind-host.html", "window.pfReady === true", PAGEFIND_RUN, ["园区", "半导体"],
        lambda u: u.endswith("pagefind-host.html"),
    )
    engine.index_bytes = sum(f.stat().st_size for f in (site / "pagefind").rglob("*") if f.is_file())
    return engine


MATERIAL_COLLECT = """async before => {
  const meta = document.querySelector('.md-search-result__meta');
  const wrap = document.querySelector('.md-search__scrollwrap');
  const t0 = performance.now();
  let count = 0, ms = 0, stable = 0, last = null;
  for (let i = 0; i < 500 && stable < 3; i++) {
    await new Promise(r => setTimeout(r, 10));
    const text = meta.textContent;
    if (text === before) continue;
    if (!ms) ms = performance.now() - t0;
    stable = text === last ? stable + 1 : 0;
    last = text;
    const m = text.match(/(\\d+)/);
    count = m ? Number(m[1]) : 0;
  }
  for (let i = 0; i < 2000; i++) {
    const items = document.querySelectorAll('.md-search-result__item');
    if (items.length >= count) break;
    // Material appends 4 more results each time the list is scrolled to the bottom again.
    wrap.scrollTop = 0; await new Promise(r => setTimeout(r, 5));
    wrap.scrollTop = wrap.scrollHeight; await new Promise(r => setTimeout(r, 25));
  }
  const urls = [...document.querySelectorAll('.md-search-result__item > a.md-search-result__link')].map(a => a.href);
  return {urls, ms};
}"""


def _material_query(page, query: str) -> dict:
    """Type like a person; wait until Material's result count settles; scroll until all are listed."""
    before = page.locator(".md-search-result__meta").text_content()
    started = time.perf_counter()
    page.fill("input.md-search__input", query)
    page.press("input.md-search__input", "End")  # Material reads the query on key events
    outcome = page.evaluate(MATERIAL_COLLECT, before)
    outcome["ms"] = outcome["ms"] or (time.perf_counter() - started) * 1000
    return outcome


def _material(browser, base, site, pages, queries) -> EngineResult:
    engine = EngineResult("MkDocs Material 9.8.1 search (lang: zh, jieba)")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base)
    page.wait_for_selector("input.md-search__input")
    page.click("input.md-search__input")  # opens the search overlay, whose list scrolls
    for query in queries:
        outcome = _material_query(page, query)
        engine.latency_ms.append(outcome["ms"])
        score(engine, truth(pages, query), [urlparse(u).path.lstrip("/") for u in outcome["urls"]])
    page.close()
    context = browser.new_context()
    page = context.new_page()
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    page.goto(base)
    page.wait_for_selector("input.md-search__input")
    page.click("input.md-search__input")
    searchy = lambda u: any(key in u for key in ("search", "lunr", "worker"))  # noqa: E731
    _material_query(page, "园区")
    engine.cold_bytes = file_bytes(site, [u for u in urls if searchy(u)])
    seen = len(urls)
    _material_query(page, "半导体")
    engine.warm_bytes = file_bytes(site, [u for u in urls[seen:] if searchy(u)])
    context.close()
    engine.index_bytes = (site / "search" / "search_index.json").stat().st_size
    return engine


def run(work: Path) -> dict:
    if work.exists():
        shutil.rmtree(work)
    pages = write_corpus(work)
    site = build_material(work)
    add_pagefind(site)
    add_ours(site, pages)
    queries = make_queries(pages)
    engines = run_engines(site, pages, queries)
    return {"pages": len(pages), "characters": sum(len(p["text"]) for p in pages), "queries": len(queries), "engines": engines}
