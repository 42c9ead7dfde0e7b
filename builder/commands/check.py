"""`atlas check`: validate content, geometry and templates without writing anything.

Pages are rendered in memory (not handed to MkDocs), so a template that would fail the build
fails the check at the same file and line.
"""

from __future__ import annotations

from pathlib import Path

from ..atlas import build_atlas
from ..coverage import report
from .consistency import report as consistency_report
from ..errors import AtlasError, Problems
from ..settings import load_settings
from ..render.pages import PageRenderer
from ..render.template_errors import check_theme_templates
from .report import print_problems, print_warnings


def run(project: Path, coverage: bool = False, consistency: bool = False) -> int:
    root = project.resolve()
    try:
        load_settings(root)
        atlas = build_atlas(root)
        theme = Problems()
        check_theme_templates(root, theme)
        theme.raise_if_any()
        PageRenderer(atlas, root / "templates").render_all()  # templates: syntax and undefined fields
    except AtlasError as error:
        return print_problems(error, "检查", "check")
    print_warnings(atlas.warnings)
    if coverage:
        print(report(atlas))
    if consistency:
        print(consistency_report(atlas))
    print(
        f"检查通过 (check passed): {len(atlas.plans)} plans, {len(atlas.clusters)} clusters, "
        f"{len(atlas.places)} places, {len(atlas.districts)} districts"
    )
    return 0
