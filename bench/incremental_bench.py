"""Incremental rebuilds: `atlas build` after one edit, against a clean build (`--no-cache`).

On a copy of the project, in one run: a clean build `RUNS` times (the baseline), then, with the
cache warm, `RUNS` rebuilds after each kind of edit staff make most: a sentence added to a plan's
text, a place's description changed, an indicator renamed. Each rebuilt site is compared with a
clean build of the same content: they must be byte-identical, or the benchmark fails.
"""

from __future__ import annotations

import filecmp
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from builder.publish import TRASH_PREFIX

ROOT = Path(__file__).resolve().parents[1]
RUNS = 3
TARGET = 0.2  # issue 13: a rebuild after one edit takes at most 0.2× a clean build
PROJECT_PARTS = ("content", "geo", "templates", "site_src", "mkdocs.yml")


def copy_project(target: Path) -> Path:
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target / part)
    return target


def _replace(path: Path, pattern: str, new: str) -> None:
    """Replace the first match of `pattern` (which also matches what an earlier edit wrote)."""
    text = path.read_text(encoding="utf-8")
    edited, count = re.subn(pattern, new, text, count=1)
    if not count:
        raise SystemExit(f"benchmark edit: {pattern!r} not found in {path}")
    path.write_text(edited, encoding="utf-8")


def edit_plan_text(project: Path, n: int) -> None:
    """A sentence added at the end of a plan's text (no citation quotes it)."""
    text = project / "content" / "plans" / "longgang-14th" / "text.md"
    lines = text.read_text(encoding="utf-8").split("\n")
    last = max(i for i, line in enumerate(lines) if line.strip() and not line.startswith("{:"))
    lines[last] += f"第{n}次修订。"
    text.write_text("\n".join(lines), encoding="utf-8")


def edit_place(project: Path, n: int) -> None:
    _replace(project / "content" / "places" / "longgang.yaml", r"规划未给出其范围(（修订\d+）)?。", f"规划未给出其范围（修订{n}）。")


def edit_indicator(project: Path, n: int) -> None:
    _replace(project / "content" / "indicators" / "longgang-14th.yaml", r"  name: 规上工业总产值(（修订\d+）)?\n", f"  name: 规上工业总产值（修订{n}）\n")


EDITS = {"a plan's text": edit_plan_text, "a place": edit_place, "an indicator": edit_indicator}


def _build(project: Path, out: Path, *extra: str) -> tuple[float, dict]:
    command = [sys.executable, "-m", "builder.cli", "build", "--json", "--project", str(project), "--out", str(out), *extra]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"build failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return seconds, json.loads(result.stdout)


def wait_for_removals(folder: Path, seconds: float = 600) -> None:
    """Wait until the sites that builds in `folder` replaced are removed (a process of their own
    removes them after the build: `publish._remove_later`), so that `folder` can be removed."""
    deadline = time.monotonic() + seconds
    while list(folder.glob(TRASH_PREFIX + "*")) and time.monotonic() < deadline:
        time.sleep(0.05)


def _differences(left: Path, right: Path) -> list[str]:
    comparison = filecmp.dircmp(left, right)
    found = [str(Path(left.name) / name) for name in comparison.left_only + comparison.right_only + comparison.funny_files]
    _, mismatch, errors = filecmp.cmpfiles(left, right, comparison.common_files, shallow=False)
    found += [str(left / name) for name in mismatch + errors]
    for sub in comparison.common_dirs:
        found += _differences(left / sub, right / sub)
    return found


def run(work: Path) -> dict:
    project = copy_project(work / "incremental" / "project")
    site, clean_site = work / "incremental" / "site", work / "incremental" / "clean-site"
    clean = [_build(project, clean_site, "--no-cache")[0] for _ in range(RUNS)]
    _build(project, site)  # fills the cache
    rows = {}
    for label, edit in EDITS.items():
        times, rendered = [], []
        for n in range(1, RUNS + 1):
            edit(project, n)
            seconds, report = _build(project, site)
            times.append(seconds)
            rendered.append(next(s for s in report["stages"] if s["name"] == "mkdocs").get("rendered", 0))
        _build(project, clean_site, "--no-cache")
        differences = _differences(site, clean_site)
        if differences:
            raise SystemExit(f"after editing {label}, the rebuilt site differs from a clean build: {differences[:10]}")
        rows[label] = {"seconds": statistics.median(times), "rendered": statistics.median(rendered)}
    wait_for_removals(work / "incremental")
    shutil.rmtree(work / "incremental")
    baseline = statistics.median(clean)
    return {"clean": baseline, "rows": {k: {**v, "ratio": v["seconds"] / baseline} for k, v in rows.items()}}


def section(work: Path) -> str:
    result = run(work)
    worst = max(row["ratio"] for row in result["rows"].values())
    verdict = "meets" if worst <= TARGET else "misses"
    table = ["| rebuild after editing | wall (median) | pages MkDocs rendered | ÷ clean build |", "|---|---|---|---|"]
    table += [
        f"| {label} | {row['seconds']:.2f} s | {row['rendered']:.0f} | {row['ratio']:.2f}× |" for label, row in result["rows"].items()
    ]
    return "\n".join(
        [
            "## Incremental rebuilds",
            "",
            f"A clean build (`atlas build --no-cache`, fresh process, median of {RUNS}) takes {result['clean']:.2f} s. "
            f"With the cache warm, the median of {RUNS} rebuilds after each kind of edit, every one checked "
            f"byte-identical to a clean build of the same content. Target: ≤ {TARGET}× a clean build; this run {verdict} it.",
            "",
            *table,
            "",
        ]
    )


if __name__ == "__main__":  # pragma: no cover
    print(section(ROOT / "bench" / "work"))
