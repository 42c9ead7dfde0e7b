"""`atlas build`: build into a temporary directory, then swap it in as the published site."""

from __future__ import annotations

import time
from pathlib import Path

from ..errors import AtlasError
from ..render.tiles import Tiles
from ..site import build_site
from .report import print_problems, print_warnings


def run(project: Path, out: Path, tiles: Tiles | None = None) -> int:
    started = time.perf_counter()
    try:
        result = build_site(project.resolve(), out, tiles)
    except AtlasError as error:
        code = print_problems(error, "构建", "build")
        print(f"未发布，原有站点保持不变 (nothing published; {out} is unchanged)")
        return code
    print_warnings(result.atlas.warnings)
    seconds = time.perf_counter() - started
    print(f"构建完成 (built) {result.pages} pages into {result.out} in {seconds:.1f}s")
    return 0
