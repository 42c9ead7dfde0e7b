"""`atlas check`: validate content and geometry without building anything."""

from __future__ import annotations

from pathlib import Path

from ..atlas import build_atlas
from ..coverage import report
from ..errors import AtlasError
from .report import print_problems


def run(project: Path, coverage: bool = False) -> int:
    try:
        atlas = build_atlas(project.resolve())
    except AtlasError as error:
        return print_problems(error, "检查", "check")
    if coverage:
        print(report(atlas))
    print(
        f"检查通过 (check passed): {len(atlas.plans)} plans, {len(atlas.clusters)} clusters, "
        f"{len(atlas.places)} places, {len(atlas.districts)} districts"
    )
    return 0
