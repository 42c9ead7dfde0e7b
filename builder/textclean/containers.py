"""Boxes and tables inside the body: where a 专栏 box or 表 table ends, how its rows are written,
and moving page-foot notes that split a table or a sentence out of the way."""

from __future__ import annotations

import re

from .inline import CJK, ITEM_START, clean_inline, ends_sentence, is_heading_text
from .lines import Unit

# Lines that annotate the box or table above them rather than resume the body text.
NOTE_START = re.compile(r"^[（(]?(注\s*\d*\s*[：:]|备注\s*[：:]|说明\s*[：:]|(资料|数据)来源)")
PRIMARY_ITEM = re.compile(r"^(\d{1,2})\s*[、.．](?!\d)")
SECONDARY_ITEM = re.compile(r"^(?:[（(](\d{1,2})[）)]|([①-⑳]))")
DASH_ITEM = re.compile(r"^(——|[-•●▪]\s)")


def relocate_notes(units: list[Unit]) -> list[Unit]:
    """Footnotes printed at a page foot can split a table or a sentence; move them after it."""
    out: list[Unit] = []
    pending: list[Unit] = []
    for i, u in enumerate(units):
        if u.kind == "note":
            last = next((v for v in reversed(out) if v.kind != "note"), None)
            nxt = next((v for v in units[i + 1 :] if v.kind != "note"), None)
            in_table = last and nxt and last.kind == nxt.kind == "row"
            in_sentence = (
                last and nxt and last.kind == nxt.kind == "line"
                and not ends_sentence(last.text) and not ITEM_START.match(nxt.text)
            )
            if pending or in_table or in_sentence:
                pending.append(u)
                continue
        if pending and u.kind != out[-1].kind:
            out.extend(pending)
            pending = []
        out.append(u)
        if pending and u.kind == "line" and ends_sentence(u.text):
            out.extend(pending)
            pending = []
    return out + pending


class Container:
    """An open 专栏 box or 表 table: decides whether the next paragraph still belongs to it.

    Neither is closed by a marker in the source, so the end is read from the text.  A box holds a
    numbered list (`1、…`, `（1）…`, `①…`, `- …`/`——…`), short group labels ending in `：`, and
    the unnumbered entries under an item or label that ends in `：`; the first paragraph that is
    none of these (typically a long body paragraph opening with a topic sentence), or a number that
    breaks the box's own sequence (the section's running task numbers), ends it.  A box that opens
    with prose rather than a list gives no such signal and runs to the next heading.  A table holds
    its rows, its notes (`注：`, `资料来源`, page-foot footnotes) and short cell fragments; once it has
    had rows, a finished sentence ends it.  A table without tab-separated rows (text extracted cell
    by cell) runs to the next heading.  Any heading closes either.
    """

    def __init__(self, kind: str):
        self.kind = kind  # "box" or "table"
        self.count = 0  # paragraphs taken
        self.item = 0  # last primary item number
        self.sub: dict[str, int] = {}  # last secondary item number per style
        self.open_list = False  # the last item/label ended in "：": unnumbered entries follow
        self.after_label = False
        self.after_dash = False
        self.prose = False
        self.rows = 0

    def takes(self, text: str, kind: str, bullet: bool = False) -> bool:
        first = self.count == 0
        if self.kind == "table":
            ok = self.table_takes(text, kind)
        else:
            ok = self.box_takes(text, kind, bullet, first)
        if ok:
            self.count += 1
        return ok

    def table_takes(self, text: str, kind: str) -> bool:
        if kind == "row":
            self.rows += 1
            return True
        if kind == "note" or NOTE_START.match(text) or not self.rows:
            return True
        return len(text) <= 30 and not ends_sentence(text)  # a wrapped cell's spill-over

    def box_takes(self, text: str, kind: str, bullet: bool, first: bool) -> bool:
        if kind in ("row", "note") or NOTE_START.match(text) or self.prose:
            return True
        after_label, after_dash = self.after_label, self.after_dash
        self.after_label = self.after_dash = False
        intro = text[-1] in "：:"
        if m := PRIMARY_ITEM.match(text):
            n = int(m.group(1))
            if n != self.item + 1 and not (n == 1 and after_label):
                return False  # out of sequence: the section's own running numbering
            self.item, self.sub, self.open_list = n, {}, intro
        elif m := SECONDARY_ITEM.match(text):
            style = "paren" if m.group(1) else "circled"
            n = int(m.group(1)) if m.group(1) else ord(m.group(2)) - ord("①") + 1
            if n not in (1, self.sub.get(style, 0) + 1):
                return False
            self.sub[style] = n
            self.open_list = self.open_list or intro
        elif bullet or DASH_ITEM.match(text):
            if not (first or after_dash or self.open_list):
                return False
            self.after_dash = True
        elif len(text) <= 30 and intro and not re.search(r"[。；;]", text):
            self.after_label = self.open_list = True  # a group label: "成果产业化："
        elif first:
            self.prose = True
        else:
            return self.open_list  # an unnumbered entry under an item that ends in "："
        return True


def row_text(cells: list[str], keep_empty: bool = False) -> str:
    """One table row per block; a space between two ideographs is a wrapped-cell artefact.

    Rows read cell by cell keep their empty cells (`a | | b`, a leading `| b` under a merged
    cell) so that the columns still line up; trailing empty cells are dropped."""
    cells = [re.sub(rf"(?<=[{CJK}])\s+(?=[{CJK}])", "", clean_inline(c)) for c in cells]
    if not keep_empty:
        return " | ".join(c for c in cells if c)
    while cells and not cells[-1]:
        cells.pop()
    return re.sub(r"\|  \|", "| |", " | ".join(cells)).strip()


def is_table_title(u: Unit, following: list[Unit], para: str) -> bool:
    """A short heading-like line standing alone right before the first row of a table."""
    return (
        u.kind == "line"
        and bool(following) and following[0].kind == "row"
        and not (para and not ends_sentence(para))
        and is_heading_text(u.text, 40)
    )

