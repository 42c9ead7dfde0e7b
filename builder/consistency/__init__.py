"""Stage 3b — consistency: where the plans disagree, found on every build (`detectors.py`), with
the editors' notes on each finding (`content/findings/*.yaml`, record type `note`).

A note that names a finding the detectors no longer produce is an error: the texts changed, and
the note must be re-read.
"""

from __future__ import annotations

from ..errors import Problems
from .detectors import detect
from .findings import KINDS, Finding, Side

__all__ = ["KINDS", "Finding", "Side", "review"]


def review(atlas, problems: Problems) -> list[Finding]:
    """Run every detector; check the editors' notes against the findings."""
    findings = detect(atlas)
    ids = {f.id for f in findings}
    for note in atlas.finding_notes.values():
        if note.finding not in ids:
            problems.add(
                note.origin,
                f"核对说明指向不存在的差异 (note '{note.id}' names finding '{note.finding}', which the detectors no "
                f"longer report): the texts or records changed; {_candidates(note, findings)}update or delete the note",
            )
    return findings


def _candidates(note, findings: list[Finding]) -> str:
    """Findings of the same kind about the paragraphs the note cites: most likely the one it meant."""
    kind = note.finding.rsplit("-", 1)[0]
    cited = {(c.plan, c.para) for c in note.citations}
    near = [f for f in findings if f.kind == kind and (cited & {(s.plan, s.anchor) for s in f.sides} or not cited)]
    near = near or [f for f in findings if f.kind == kind]
    if not near:
        return ""
    return "findings of that kind now: " + "; ".join(f"{f.id} ({f.title[:30]})" for f in near[:5]) + "; "
