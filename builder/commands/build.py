"""`atlas build`: build into a temporary directory, then swap it in as the published site."""

from __future__ import annotations

import time
from pathlib import Path

from ..errors import AtlasError
from ..render.tiles import Tiles
from ..site import build_site
from ..stages import Stages
from .report import print_problems, print_warnings


def run(project: Path, out: Path, tiles: Tiles | None = None, output: str = "lines", use_cache: bool = True) -> int:
    """Build; `output` is lines (a line per stage), profile (and a table), quiet or json."""
    started = time.perf_counter()
    stages = Stages(output)
    try:
        result = build_site(project.resolve(), out, tiles, stages, use_cache)
    except AtlasError as error:
        code = print_problems(error, "构建", "build")
        if output == "json":
            print(stages.as_json(ok=False, problems=[str(problem) for problem in error.problems]))
        else:
            print(f"未发布，原有站点保持不变 (nothing published; {out} is unchanged)")
        return code
    print_warnings(result.warnings)
    seconds = time.perf_counter() - started
    if output == "json":
        print(stages.as_json(ok=True, pages=result.pages, seconds=round(seconds, 3)))
        return 0
    if output == "profile":
        print(stages.table())
    if output != "quiet":
        print(f"构建完成 (built) {result.pages} pages into {result.out} in {seconds:.1f}s")
    return 0
