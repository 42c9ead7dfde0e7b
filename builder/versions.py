"""Plan versions: a draft (征求意见稿) replaced by a final text, and what changed between them.

`atlas import NEW --id pingshan-15th --version 正式稿` moves the current `text.md` to
`content/plans/<id>/versions/<n>/text.md` and records it in `content/plans/<id>/versions.yaml`:

    current: 正式稿
    previous:
      - label: 征求意见稿          # the plan's status when it was replaced
        text: versions/1/text.md
        citations_checked: false  # set true once staff have re-read the citations into changed paragraphs
        names: [...]              # the places and clusters citing the plan then: the change page lists dropped ones

Paragraphs are compared by anchor (anchors follow the document's own numbering, so a lightly edited
document keeps them): added, removed, edited (with a word-level diff). Until `citations_checked`
is true, `atlas check` warns about every citation whose paragraph changed.
"""

from __future__ import annotations

import difflib
import json
import re
import shutil
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from markupsafe import Markup

from .errors import AtlasError, Location, Problems, relative_path
from .plantext import PlanText, read_plan_text
from .yamlsource import load_yaml

VERSIONS_FILE = "versions.yaml"


@dataclass
class Version:
    label: str
    text: PlanText
    citations_checked: bool = False
    names: list[str] = field(default_factory=list)  # the plan's places and clusters when it was replaced


@dataclass
class Change:
    kind: str  # added, removed, edited
    anchor: str
    old: str = ""
    new: str = ""

    @property
    def diff(self) -> Markup:
        """The edit as escaped HTML: deleted runs in <del>, inserted runs in <ins>.

        Compared by token — a number or a Latin word whole, each Chinese character alone — so a
        changed figure reads 5000 → 5200, not 5[0→2]00.
        """
        old, new = _tokens(self.old), _tokens(self.new)
        parts = []
        for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
            if op == "equal":
                parts.append(escape("".join(old[a1:a2])))
            if op in ("delete", "replace"):
                parts.append(f"<del>{escape(''.join(old[a1:a2]))}</del>")
            if op in ("insert", "replace"):
                parts.append(f"<ins>{escape(''.join(new[b1:b2]))}</ins>")
        return Markup("".join(parts))


@dataclass
class Comparison:
    previous: Version
    current_label: str
    changes: list[Change] = field(default_factory=list)

    def changed_anchors(self) -> set[str]:
        return {c.anchor for c in self.changes if c.kind != "added"}


def read_versions(plan_dir: Path, root: Path, problems: Problems) -> tuple[str | None, list[Version]]:
    path = plan_dir / VERSIONS_FILE
    if not path.exists():
        return None, []
    shown = relative_path(path, root)
    try:
        data = load_yaml(path, shown) or {}
    except AtlasError as exc:
        problems.extend(exc.problems)
        return None, []
    if not isinstance(data, dict) or not isinstance(data.get("previous", []), list):
        problems.add(Location(shown, 1), "versions.yaml: write `current: <label>` and a `previous:` list of {label, text}")
        return None, []
    versions = []
    for entry in data.get("previous") or []:
        if not isinstance(entry, dict) or not entry.get("label") or not entry.get("text"):
            problems.add(Location(shown, getattr(entry, "line", 1)), "each previous version needs `label` and `text` (e.g. versions/1/text.md)")
            continue
        text_path = plan_dir / str(entry["text"])
        text = read_plan_text(text_path, relative_path(text_path, root), Problems())  # an old text's own flaws are not the new one's
        names = [str(n) for n in entry.get("names") or []]
        versions.append(Version(str(entry["label"]), text, bool(entry.get("citations_checked", False)), names))
    return (str(data["current"]) if data.get("current") else None), versions


def compare(previous: Version, current: PlanText, current_label: str) -> Comparison:
    """Paragraphs and headings compared by anchor, in the order of the current text (removed ones last)."""
    comparison = Comparison(previous, current_label)
    old = {b.anchor: b.text for b in previous.text.blocks if b.anchor}
    new = {b.anchor: b.text for b in current.blocks if b.anchor}
    for anchor, text in new.items():
        if anchor not in old:
            comparison.changes.append(Change("added", anchor, new=text))
        elif old[anchor] != text:
            comparison.changes.append(Change("edited", anchor, old=old[anchor], new=text))
    comparison.changes += [Change("removed", anchor, old=text) for anchor, text in old.items() if anchor not in new]
    return comparison


def _tokens(text: str) -> list[str]:
    return re.findall(r"\d+(?:\.\d+)?|[A-Za-z]+|\s+|.", text)


def numbers(text: str) -> list[str]:
    return re.findall(r"\d+(?:\.\d+)?", text)


def keep_previous(plan_dir: Path, project: Path, label: str, previous_label: str, names: list[str] = ()) -> None:
    """Move the current text aside as a previous version before a new one is written."""
    text_path = plan_dir / "text.md"
    if not text_path.exists():
        raise AtlasError(f"没有可保留的旧版本 (no current text to keep as a previous version): {relative_path(text_path, project)}", Location("--version"))
    path = plan_dir / VERSIONS_FILE
    data = load_yaml(path, relative_path(path, project)) if path.exists() else None
    data = dict(data or {})
    previous = list(data.get("previous") or [])
    number = len(previous) + 1
    target = plan_dir / "versions" / str(number) / "text.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(text_path, target)
    previous.append({"label": previous_label, "text": f"versions/{number}/text.md", "citations_checked": False, "names": list(names)})
    lines = [
        "# Earlier versions of this plan's text (atlas import --version). Set citations_checked: true once the",
        "# citations into changed paragraphs have been re-read (atlas check warns about them until then).",
        f"current: {label}",
        "previous:",
    ]
    for entry in previous:
        lines += [f"  - label: {entry['label']}", f"    text: {entry['text']}", f"    citations_checked: {str(bool(entry.get('citations_checked'))).lower()}"]
        if entry.get("names"):
            lines.append("    names:  # the plan's places and clusters in this version")
            lines += [f"      - {json.dumps(n, ensure_ascii=False)}" for n in entry["names"]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
