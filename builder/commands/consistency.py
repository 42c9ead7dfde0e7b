"""`atlas check --consistency`: every finding as `file:line` lines, for staff to read or annotate."""

from __future__ import annotations

from ..atlas import Atlas


def _where(atlas: Atlas, side) -> str:
    text = atlas.texts.get(side.plan)
    block = text.by_anchor.get(side.anchor) if text else None
    return f"{text.path}:{block.line}" if block else f"content/plans/{side.plan}/text.md"


def report(atlas: Atlas) -> str:
    lines = []
    for finding in atlas.findings:
        notes = atlas.notes_by_finding.get(finding.id, [])
        status = f" [{'；'.join(n.status.value for n in notes)}]" if notes else ""
        first, *others = finding.sides
        lines.append(f"{_where(atlas, first)}: {finding.heading} {finding.id}{status}: {finding.title}")
        lines.append(f"    #{first.anchor} “{first.quote}”")
        for side in others:
            lines.append(f"    {_where(atlas, side)} #{side.anchor} “{side.quote}”")
        if finding.computed:
            lines.append(f"    计算：{finding.computed}")
    shown = len(atlas.shown_findings())
    lines.append(f"差异与核对 (consistency): {len(atlas.findings)} findings, {len(atlas.findings) - shown} dismissed as false positives")
    return "\n".join(lines)
