"""Editors' notes on consistency findings: confirmed, explained, or a false positive (then hidden).

A note must name a finding the detectors still produce; `builder/consistency` checks that after
the join, because findings are computed from the joined records and texts.
"""

from __future__ import annotations

from ..model import FindingNote
from .base import RecordType

TYPE = RecordType(
    name="note",
    model=FindingNote,
    folder="finding_notes",
    noun="核对说明",
    label="核对说明",
    title=lambda note: note.note,
    anchor=lambda note: f"consistency/#finding-{note.finding}",
)
