"""`atlas import PATH --id ID`: a plan document becomes content/plans/<id>/ (text.md + plan.yaml)."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import AtlasError, Location
from ..importer import import_plan
from .report import print_problems


def parse_lines(spec: str | None) -> tuple[int, int] | None:
    if not spec:
        return None
    try:
        first, last = (int(part) for part in spec.split("-", 1))
    except ValueError:
        raise AtlasError(f"无效的行范围 '{spec}' (invalid line range): write it as START-END, e.g. 409-733", Location("--lines")) from None
    return first, last


def run(project: Path, source: Path, plan_id: str, lines: str | None, force: bool, version: str | None = None) -> int:
    try:
        result = import_plan(source, plan_id, project.resolve(), lines=parse_lines(lines), force=force, version=version)
    except AtlasError as error:
        return print_problems(error, "导入", "import")
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if version:
        print(f"旧版本已保留 (previous version kept): see {result.plan_dir}/versions.yaml; the plan page links to what changed")
    blocks = result.text.count("\n{: #") + result.text.count("\n#")
    print(f"导入完成 (imported) {source.name} → {result.plan_dir} ({blocks} blocks)")
    missing = [name for name in ("title", "issuer", "date", "period") if not result.metadata.get(name)]
    if missing:
        print(f"请在 plan.yaml 中补充 (fill in plan.yaml): {', '.join(missing)}")
    return 0
