"""Run the benchmarks and write docs/benchmarks.md (machine and date included).

Usage: `make bench` (or `.venv/bin/python -m bench.run [search|maps|weight|build|scale]`). Every figure is measured in
the same run against its baselines, so ratios are comparable across machines.
"""

from __future__ import annotations

import datetime
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "work"
OUT = ROOT / "docs" / "benchmarks.md"


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    chromium = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True).stdout.strip()
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, {chromium}"


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def search_section() -> str:
    from bench.search_bench import run

    result = run(WORK / "search")
    rows = [
        "| engine | recall | precision | P@10 | queries with 0 correct | cold first query | later query | index on disk | warm query (median) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for e in result["engines"]:
        rows.append(
            f"| {e.name} | {statistics.mean(e.recall):.3f} | {statistics.mean(e.precision):.3f} | {statistics.mean(e.p_at_10):.3f} "
            f"| {e.zero_correct}/{result['queries']} | {e.cold_bytes / 1024:.0f} KB | {e.warm_bytes / 1024:.1f} KB "
            f"| {e.index_bytes / 1024 / 1024:.2f} MB | {median(e.latency_ms):.1f} ms |"
        )
    return "\n".join(
        [
            "## Search",
            "",
            f"Corpus: the atlas's own search documents, one page each — {result['pages']} pages, "
            f"{result['characters']:,} characters; {result['queries']} queries (domain terms plus random 2/3/4/6-character "
            "substrings of the text, fixed seed). A result is correct when the page contains the query (after folding "
            "full-width to half-width and case). Bytes are the files fetched for a fresh visitor's first query — engine "
            "code plus index — and then for a second query, at their size as stored (our index and Pagefind's are stored "
            "gzip-compressed; the engine code and MkDocs' `search_index.json` are plain, and a server that compresses "
            "responses would shrink those); the host page itself is not counted, nor Material's theme bundle. Latency: time to answer a query in Chromium with the index already loaded.",
            "",
            *rows,
            "",
        ]
    )


SECTIONS = ("search", "maps", "weight", "build", "incremental", "scale")


def _run(part: str) -> str:
    if part == "search":
        return search_section()
    if part == "maps":
        from bench.maps_bench import section

        return section(WORK / "maps")
    if part == "scale":
        from bench.scale_bench import section

        return section(WORK / "scale")
    if part == "build":
        from bench.build_bench import section

        return section(WORK / "build")
    if part == "incremental":
        from bench.incremental_bench import section

        return section(WORK)
    from bench.weight_bench import section

    return section(WORK / "weight")


def _existing() -> dict[str, str]:
    """The sections already in docs/benchmarks.md, by title: a partial run keeps the others."""
    if not OUT.exists():
        return {}
    found, title = {}, None
    for line in OUT.read_text(encoding="utf-8").splitlines(keepends=True):
        if line.startswith("## "):
            title = line[3:].strip()
            found[title] = ""
        if title:
            found[title] += line
    return found


def main(argv: list[str]) -> None:
    parts = argv or list(SECTIONS)
    measured = f"Measured {datetime.date.today().isoformat()} on {machine()}."
    sections = _existing()
    for part in parts:
        text = _run(part)
        title, rest = text.split("\n", 1)
        sections[title[3:].strip()] = f"{title}\n\n{measured}\n{rest}"
    header = [
        "# Benchmarks",
        "",
        "Targets (from the issues): search recall and precision 1.0, cold query ≤ Pagefind's bytes, warm query ≤ 50 ms;",
        "a place page's map ≤ 150 KB beyond cached shared assets; the city overview ≤ 1/3 of a plain Folium map;",
        "a full `atlas build` ≤ 1.5× a plain `mkdocs build` of the same generated pages; a rebuild after one edit ≤ 0.2× a clean build.",
        "Each section says when and where it was measured; reproduce with `make bench` (or `python -m bench.run weight`).",
        "",
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    body = "\n".join(s.rstrip("\n") + "\n" for s in sections.values())
    OUT.write_text("\n".join(header) + "\n" + body, encoding="utf-8")
    print(OUT.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main(sys.argv[1:])
