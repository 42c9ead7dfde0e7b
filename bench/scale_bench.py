"""Scale: `atlas build` on synthetic corpora at k× the bundled content (bench/synth.py).

Per size: build wall time and its stages, peak memory (the largest resident set of the build and
its forked workers), output size and file count, and the search index's size and file count
against the UTF-8 size of the text it indexes. A chart of time per 1× of content is written to
docs/scale.svg. `make bench` runs 1×, 10× and 100×; `python -m bench.run scale` takes the sizes
from ATLAS_SCALES (e.g. `ATLAS_SCALES=1,2,4,10`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.incremental_bench import edit_plan_text, wait_for_removals
from bench.memory import run_measured
from bench.synth import make_corpus
from builder.search.index import ENGLISH_INDEX_DIR, INDEX_DIR, documents_of, read_packed

ROOT = Path(__file__).resolve().parents[1]
CHART = ROOT / "docs" / "scale.svg"


def _tree(folder: Path, pattern: str = "*") -> tuple[int, int]:
    files = [p for p in folder.rglob(pattern) if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


QUERIES = ("园区", "半导体", "新能源汽车", "坪山", "智能终端产业集群")  # the first is asked cold, the rest warm


def _indexed_text_bytes(site: Path, directory: str) -> int:
    """UTF-8 size of every document's text, as the index stores it (title + body)."""
    return sum(len(doc["text"].encode("utf-8")) for doc in documents_of(read_packed(site, directory), directory))


def query_bytes(site: Path) -> dict:
    """Index bytes a visitor fetches for a first (cold) and a later (warm) query, counted by the
    shipped engine under Node (bench/query_bytes.js)."""
    script = Path(__file__).with_name("query_bytes.js")
    result = subprocess.run(["node", str(script), str(site), *QUERIES], capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def measure(scale: int, work: Path) -> dict:
    corpus = work / f"corpus-{scale}x"
    make_corpus(scale, corpus)
    out = work / f"site-{scale}x"
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    result, peaks = run_measured([sys.executable, "-m", "builder.cli", "build", "--json", "--project", str(corpus), "--out", str(out)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})  # fmt: skip
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{scale}x build failed:\n{result.stderr[-2000:]}")
    report = json.loads(result.stdout)
    edit_plan_text(corpus, 1)  # then one sentence more in one plan, rebuilt from the cache
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "builder.cli", "build", "--quiet", "--project", str(corpus), "--out", str(out)],
                   check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})  # fmt: skip
    incremental = time.perf_counter() - started
    size, count = _tree(out)
    index_size, index_count = _tree(out / INDEX_DIR, "*.json.gz")  # the index's files, not the search page
    english_size, _ = _tree(out / ENGLISH_INDEX_DIR, "*.json.gz")
    text, english_text = _indexed_text_bytes(out, INDEX_DIR), _indexed_text_bytes(out, ENGLISH_INDEX_DIR)
    queried = query_bytes(out)
    row = {
        "scale": scale, "seconds": seconds, "incremental": incremental, "stages": {s["name"]: s["seconds"] for s in report["stages"]},
        "peak_mb": peaks.largest_process_mb, "total_mb": peaks.whole_build_mb, "pages": report["pages"], "size_mb": size / 1e6, "files": count,
        "index_mb": index_size / 1e6, "index_files": index_count, "text_mb": text / 1e6,
        "english_ratio": english_size / english_text, "cold_kb": queried["cold"] / 1024, "warm_kb": queried["warm"] / 1024,
    }  # fmt: skip
    shutil.rmtree(corpus)
    shutil.rmtree(out)
    wait_for_removals(work)  # the site the rebuild replaced: its removal would weigh on the next size's build
    return row


def chart(rows: list[dict]) -> str:
    """Build seconds per 1× of content against size: flat means linear growth."""
    width, height, pad = 480, 240, 40
    scales = [r["scale"] for r in rows]
    per = [r["seconds"] / r["scale"] for r in rows]
    top = max(per) * 1.2
    xs = {s: pad + (width - 2 * pad) * i / max(1, len(scales) - 1) for i, s in enumerate(scales)}
    y = lambda v: height - pad - (height - 2 * pad) * v / top  # noqa: E731
    points = " ".join(f"{xs[s]:.1f},{y(v):.1f}" for s, v in zip(scales, per))
    labels = "".join(
        f'<text x="{xs[s]:.1f}" y="{height - pad + 16}" text-anchor="middle">{s}×</text>'
        f'<text x="{xs[s]:.1f}" y="{y(v) - 8:.1f}" text-anchor="middle">{v:.1f} s</text>'
        for s, v in zip(scales, per)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">'
        f'<title>Build seconds per 1× of content, by corpus size</title>'
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#888"/>'
        f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{height - pad}" stroke="#888"/>'
        f'<polyline points="{points}" fill="none" stroke="#3949ab" stroke-width="2"/>{labels}'
        f'<text x="{pad}" y="{pad - 12}">build seconds per 1× of content (flat = linear)</text></svg>\n'
    )


def section(work: Path) -> str:
    scales = sorted(int(s) for s in os.environ.get("ATLAS_SCALES", "1,10,100").split(","))
    work.mkdir(parents=True, exist_ok=True)
    rows = [measure(scale, work) for scale in scales]
    CHART.write_text(chart(rows), encoding="utf-8")
    table = [
        "| size | pages | build | per 1× | render | consistency | MkDocs | rebuild after one edit | peak memory, largest process | peak memory, whole build | output | files | index | index files | index ÷ text | English index ÷ text | cold query | warm query |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        st = r["stages"]
        table.append(
            f"| {r['scale']}× | {r['pages']:,} | {r['seconds']:.1f} s | {r['seconds'] / r['scale']:.1f} s | {st['render']:.1f} s "
            f"| {st['consistency']:.1f} s | {st['mkdocs']:.1f} s | {r['incremental']:.1f} s | {r['peak_mb']:,.0f} MB | {r['total_mb']:,.0f} MB | {r['size_mb']:,.0f} MB | {r['files']:,} "
            f"| {r['index_mb']:,.0f} MB | {r['index_files']:,} | {r['index_mb'] / r['text_mb']:.2f}× "
            f"| {r['english_ratio']:.2f}× | {r['cold_kb']:,.0f} KB | {r['warm_kb']:,.0f} KB |"
        )
    return "\n".join(
        [
            "## Scale",
            "",
            "Synthetic corpora from `bench/synth.py` (k−1 copies of every plan and record, ids suffixed, paragraphs "
            "recombined; the 11 districts shared), each built once as a fresh process (MkDocs in a process of its own while the build draws the "
            "search index and maps), then rebuilt after one sentence is added to one plan (the cache warm). Peak memory is sampled from /proc every 0.1 s (`bench/memory.py`): the largest resident set of one process (build or worker; pages a forked worker shares with the build count in both), and the largest total of their proportional sets (shared pages split between the processes: what the machine needs). Targets "
            "(issue 13): near-linear growth, peak memory < 4 GB at 100×, index ≤ 2× the indexed text, query bytes at "
            "100× within 2× of 1×. Index sizes count the index's files as stored (`*.json.gz`), the Chinese index's under `search/`, the English edition's under `en/search/`; "
            f"query bytes are the index files the shipped engine reads (counted under Node by `bench/query_bytes.js`) for "
            f"“{QUERIES[0]}” asked first (cold: `meta.json`, the term's shards, the packs of the ten results shown) and then, "
            "with those cached, the mean of what each of " + "、".join(f"“{q}”" for q in QUERIES[1:]) + " adds (warm).",
            "",
            *table,
            "",
            "![Build seconds per 1× of content](scale.svg)",
            "",
        ]
    )
