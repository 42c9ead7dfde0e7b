"""Build time: `atlas build` against a plain `mkdocs build` of exactly the same generated pages.

The baseline is what MkDocs alone costs for this site: the docs directory the atlas generates
(site_src plus every generated page, map script, geometry file, download and search-index file)
and the same mkdocs.yml with the atlas's nav, built by the `mkdocs` command. Both run as fresh
processes, alternating, `RUNS` times each, in the same run; the table gives medians of wall,
user and system time and the ratio, so the figure holds on any machine.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
RUNS = 5
TARGET = 1.5  # issue 13: a full build at most 1.5× plain MkDocs


def prepare_plain(work: Path) -> Path:
    """A plain MkDocs project holding the atlas's generated docs; returns its mkdocs.yml."""
    from builder.atlas import build_atlas
    from builder.settings import load_settings
    from builder.generate import generate
    from builder.render.output import unpacked
    from builder.site import _source_date_epoch, build_date

    settings = load_settings(ROOT)
    atlas = build_atlas(ROOT)
    files = generate(ROOT, atlas, settings.tiles, settings.site_url, build_date(atlas))
    docs = work / "plain" / "docs"
    shutil.rmtree(docs.parent, ignore_errors=True)
    shutil.copytree(ROOT / "site_src", docs)
    for relative, content in files.generated.items():
        target = docs / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(unpacked(content))
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config.update(docs_dir=str(docs), site_dir=str(work / "plain" / "site"), nav=files.nav)
    config["theme"]["custom_dir"] = str(ROOT / "templates" / "overrides")
    config["extra"]["atlas_csp"] = "default-src 'self'"
    config_file = docs.parent / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    (docs.parent / "epoch").write_text(str(_source_date_epoch(atlas)))
    return config_file


def _timed(command: list[str], env: dict) -> tuple[tuple[float, float, float], str]:
    """(wall, user, system) seconds of one run, and what it printed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (wall, after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime), result.stdout


def run(work: Path) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    config_file = prepare_plain(work)
    env = {**os.environ, "SOURCE_DATE_EPOCH": (config_file.parent / "epoch").read_text(), "NO_MKDOCS_2_WARNING": "1"}
    mkdocs = [str(Path(sys.executable).with_name("mkdocs")), "build", "--quiet", "--config-file", str(config_file)]
    atlas = [sys.executable, "-m", "builder.cli", "build", "--json", "--no-cache", "--out", str(work / "atlas-site")]
    times: dict[str, list[tuple[float, float, float]]] = {"atlas": [], "mkdocs": []}
    stages: list[dict] = []
    for warm_up in (mkdocs, atlas):  # fill the file cache for both before measuring
        _timed(warm_up, env)
    for _ in range(RUNS):
        times["mkdocs"].append(_timed(mkdocs, env)[0])
        measured, printed = _timed(atlas, env)
        times["atlas"].append(measured)
        stages.append({s["name"]: s["seconds"] for s in json.loads(printed)["stages"]})
    medians = {name: [statistics.median(t[i] for t in runs) for i in range(3)] for name, runs in times.items()}
    stage_medians = {name: statistics.median(s[name] for s in stages) for name in stages[0]}
    return {"medians": medians, "stages": stage_medians, "ratio": medians["atlas"][0] / medians["mkdocs"][0]}


def section(work: Path) -> str:
    result = run(work)
    atlas, mkdocs = result["medians"]["atlas"], result["medians"]["mkdocs"]
    verdict = "meets" if result["ratio"] <= TARGET else "misses"
    rows = [
        "| build | wall (median) | user | system |",
        "|---|---|---|---|",
        f"| plain `mkdocs build` of the same generated docs | {mkdocs[0]:.2f} s | {mkdocs[1]:.2f} s | {mkdocs[2]:.2f} s |",
        f"| `atlas build` (load, validate, render, maps, index, MkDocs, publish) | {atlas[0]:.2f} s | {atlas[1]:.2f} s | {atlas[2]:.2f} s |",
        f"| **ratio** | **{result['ratio']:.2f}×** | {atlas[1] / mkdocs[1]:.2f}× | {atlas[2] / mkdocs[2]:.2f}× |",
    ]
    stage_rows = ["| stage | seconds (median) |", "|---|---|"] + [
        f"| {name} | {seconds:.2f} |" for name, seconds in result["stages"].items()
    ]
    return "\n".join(
        [
            "## Build time",
            "",
            f"{RUNS} runs each, alternating, as fresh processes (user and system time include child processes). "
            f"Target: `atlas build` ≤ {TARGET}× plain MkDocs; this run {verdict} it.",
            "",
            *rows,
            "",
            "Where `atlas build`'s time goes (`atlas build --profile`). The English pages render on the other "
            "core while the Chinese ones do (inside `render`). MkDocs runs in a process of its own, forked at the "
            "start of the build, while the build draws the search index and then the map scripts (`maps`; a "
            "rebuild whose postings are kept starts the index with the rendering, and `index` is the time the "
            "build still had to wait for it). `mkdocs` and `maps` overlap, so the rows add up to more than the "
            "wall time:",
            "",
            *stage_rows,
            "",
        ]
    )
