"""Parse a plan's cleaned text (`content/plans/<id>/text.md`) into anchored blocks.

The file is ordinary Markdown that MkDocs renders as the plan page; anchors are explicit attr_list
ids so they survive edits (`## 一、… {#s1}` for headings, a closing `{: #s1-p2 }` line for
paragraphs). Citations point at those anchors, and this parser gives validation the plain text of
each block to look quotes up in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Location, Problems
from .markdown_safety import LINK_SCHEMES, unsafe_links
from .yamlsource import not_utf8

# 专栏 boxes and tables are wrapped in md_in_html divs; the marker lines carry no anchor.
CONTAINER_MARKERS = ('<div class="atlas-box" markdown>', '<div class="atlas-table" markdown>', "</div>")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*\{#([A-Za-z][\w-]*)\}\s*$")
_PARA_ANCHOR = re.compile(r"^\{:\s*#([A-Za-z][\w-]*)\s*\}\s*$")
_EMPHASIS = re.compile(r"\*\*|__")
_LINE_BREAK = re.compile(r"<br\s*/?>")
_SPACES = re.compile(r"\s+")


def plain(text: str) -> str:
    """Text as a reader sees it, with whitespace runs collapsed — the form quotes are matched in."""
    return _SPACES.sub(" ", _LINE_BREAK.sub(" ", _EMPHASIS.sub("", text))).strip()


@dataclass(frozen=True)
class Block:
    anchor: str
    kind: str  # "heading", "paragraph" or "marker" (a box/table container line)
    level: int  # heading level; 0 for paragraphs
    markdown: str
    text: str  # plain()
    line: int


@dataclass
class PlanText:
    path: str
    blocks: list[Block] = field(default_factory=list)
    by_anchor: dict[str, Block] = field(default_factory=dict)
    readable: bool = True  # False when the file is missing or not UTF-8 (already reported)

    def heading_for(self, anchor: str) -> Block | None:
        """The heading a paragraph sits under, for labelling citations ("四、（四）…").

        Headings inside a closed box or table do not govern the body text after it. Worked out
        for every block at the first call (a build asks thousands of times, each a walk of the
        text before), and kept outside the dataclass's fields, so that what digests and compares
        a text (`page_cache.Fingerprints`) never sees it."""
        headings = self.__dict__.get("_headings")
        if headings is None:
            headings = self.__dict__["_headings"] = self._headings()
        return headings.get(anchor)

    def _headings(self) -> dict[str, Block | None]:
        found: dict[str, Block | None] = {}
        current, outer = None, []
        for block in self.blocks:
            if block.kind == "marker":
                if block.markdown == "</div>":
                    current = outer.pop() if outer else current
                else:
                    outer.append(current)
            elif block.kind == "heading":
                current = block
            found.setdefault(block.anchor, current if block.kind == "paragraph" else block)
        return found


def parse_plan_text(markdown: str, shown_as: str, problems: Problems) -> PlanText:
    """Split on blank lines; every block must carry a unique anchor."""
    result = PlanText(path=shown_as)
    lines = markdown.splitlines()
    start = 0
    while start < len(lines):
        if not lines[start].strip():
            start += 1
            continue
        end = start
        while end < len(lines) and lines[end].strip():
            end += 1
        _add_block(result, lines[start:end], start + 1, shown_as, problems)
        start = end
    _warn_unsafe_links(result, lines, problems)
    return result


def _warn_unsafe_links(text: PlanText, lines: list[str], problems: Problems) -> None:
    """Links the build will remove (javascript:, data: …), each at the line that holds it."""
    for block in text.blocks:
        for url in unsafe_links(block.markdown):
            line = next(
                (block.line + i for i, raw in enumerate(lines[block.line - 1 :]) if url in raw), block.line
            )
            problems.warn(
                Location(text.path, line),
                f"已移除不安全的链接 (unsafe link removed) '{url[:60]}': only {', '.join(LINK_SCHEMES)} "
                "and relative links are published; fix or delete it",
            )


def _add_block(result: PlanText, chunk: list[str], line: int, shown_as: str, problems: Problems) -> None:
    if len(chunk) == 1 and chunk[0].strip() in CONTAINER_MARKERS:
        result.blocks.append(Block("", "marker", 0, chunk[0].strip(), "", line))
        return
    heading = _HEADING.match(chunk[0])
    if heading and len(chunk) == 1:
        hashes, title, anchor = heading.groups()
        block = Block(anchor, "heading", len(hashes), f"{hashes} {title}", plain(title), line)
    elif chunk[0].startswith("#"):
        problems.add(Location(shown_as, line), "标题缺少锚点 (heading needs an anchor): end it with {#some-id}")
        return
    else:
        anchor_match = _PARA_ANCHOR.match(chunk[-1])
        if not anchor_match or len(chunk) < 2:
            problems.add(
                Location(shown_as, line),
                "段落缺少锚点 (paragraph needs an anchor): add a line `{: #some-id }` at its end",
            )
            return
        body = "\n".join(chunk[:-1])
        block = Block(anchor_match.group(1), "paragraph", 0, body, plain(body), line)
    if block.anchor in result.by_anchor:
        first = result.by_anchor[block.anchor]
        problems.add(
            Location(shown_as, line),
            f"重复的锚点 (duplicate anchor) '{block.anchor}', first used at line {first.line}",
        )
        return
    result.blocks.append(block)
    result.by_anchor[block.anchor] = block


def read_plan_text(path: Path, shown_as: str, problems: Problems) -> PlanText:
    try:
        markdown = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.add(Location(shown_as), "规划全文缺失 (plan text missing): import the document with `atlas import`")
        return PlanText(path=shown_as, readable=False)
    except UnicodeDecodeError as exc:
        problems.add(*not_utf8(path, shown_as, exc))
        return PlanText(path=shown_as, readable=False)
    return parse_plan_text(markdown, shown_as, problems)
