"""Assembling the cleaned document: the lines are grouped into paragraphs, headings, boxes and
tables, and each block is written out with its anchor (the `text.md` contract)."""

from __future__ import annotations

import re
from collections import Counter

from .containers import Container, is_table_title, relocate_notes, row_text
from .inline import ITEM_START, clean_inline, ends_sentence, join_lines, normalise_punct, width
from .lines import Unit, hard_line_ends, preprocess, rejoin_soft_wraps, split_front_matter, wrap_width
from .outline import Heading, Outline

# A long first line can still be the document's title (a notice title wrapped over several lines).
DOC_TITLE = re.compile(r"(的通知|的意见|规划|计划|方案|纲要|办法)$")


def escape_block(text: str) -> str:
    """Keep a paragraph a paragraph: a leading '1. ' or '+ ' would turn it into a Markdown list."""
    return re.sub(r"^(\d+)\. ", r"\1\\. ", re.sub(r"^([+*>]) ", r"\\\1 ", text))


def clean_plan_text(raw: str) -> str:
    """Return the cleaned Markdown document (UTF-8 text, ending in one newline)."""
    units = preprocess(raw)
    hard = hard_line_ends(units)
    if hard:  # every line end that is not a soft wrap is a paragraph end
        units = rejoin_soft_wraps(units)
    cover, toc_titles, body = split_front_matter(units)
    if not cover:
        cover, body = guess_cover(body)
    lines = relocate_notes([u for u in body if u])
    document = _Assembler(Outline(toc_titles), hard, wrap_width(lines))
    if cover:
        document.blocks.append("<br>".join(clean_inline(c) for c in cover) + "\n{: #cover }")
    for k, unit in enumerate(lines):
        document.add(unit, lines[k + 1 : k + 2])
    return document.finish()


def guess_cover(body: list[Unit]) -> tuple[list[str], list[Unit]]:
    """With no table of contents, the cover is the title lines before the first prose.

    At most six short lines that are neither sentences nor headings; when all six qualify, the
    document has no such lines after all and nothing is taken.
    """
    lead = [u for u in body[:12] if u]
    probe = Outline([])
    cover: list[str] = []
    for u in lead[:6]:
        too_wide = width(u.text) > (240 if DOC_TITLE.search(u.text) else 80)
        if u.kind != "line" or ends_sentence(u.text) or too_wide or probe.classify(u.text):
            break
        cover.append(u.text)
    if len(cover) == len(lead[:6]):
        cover = []
    return cover, [u for u in body if u][len(cover) :]


class _Assembler:
    """Groups lines into blocks: paragraphs joined from broken lines, headings, boxes, tables.

    Each paragraph is numbered within the heading it sits under (`s4-4-p2`); text after a box or
    table resumes the numbering of the heading outside it.
    """

    def __init__(self, outline: Outline, hard: bool, wrap: int):
        self.outline, self.hard, self.wrap = outline, hard, wrap
        self.blocks: list[str] = []
        self.counters: Counter[str] = Counter()
        self.current = "intro"
        self.outer = self.current  # the heading a box/table sits under
        self.box: Container | None = None
        self.para = ""  # the paragraph being assembled from broken lines
        self.para_start: Unit | None = None  # its first line
        self.para_full = False  # its last line filled a hard-wrapped line, so its 。 may not end it
        self.prev_row: list[str] | None = None

    def add(self, u: Unit, following: list[Unit]) -> None:
        if u.kind == "row":
            self._row(u)
            return
        self.prev_row = None
        heading = self.outline.classify(u.text) if u.kind == "line" else None
        if not heading and is_table_title(u, following, self.para) and not (self.box and self.box.kind == "table"):
            # an unnumbered table title ("…情况表", "附表：…"): its id follows the enclosing heading
            base = "annex" if u.text.startswith("附表") else self.outer if self.box else self.current
            self.outline.in_box = True
            heading = Heading(4, normalise_punct(u.text), self.outline.unique(f"{base}-tab"), "table")
        if heading:
            self._heading(heading)
        else:
            self._line(u)

    def finish(self) -> str:
        self._flush()
        self._close()
        return "\n\n".join(self.blocks) + "\n"

    def _row(self, u: Unit) -> None:
        self._flush()
        cells = u.cells
        if self.prev_row and not cells[0] and len(cells) == len(self.prev_row) and not u.cellwise:
            # a row with an empty first cell continues the previous one (two-line header)
            cells = [f"{a} {b}" if a and b else a or b for a, b in zip(self.prev_row, cells)]
            self.blocks.pop()
            self.counters[self.current] -= 1
        self._emit(row_text(cells, u.cellwise), u)
        self.prev_row = cells

    def _heading(self, heading: Heading) -> None:
        self._flush()
        self._close()
        if heading.kind in ("box", "table"):
            self.outer, self.box = self.current, Container(heading.kind)
            self.blocks.append(f'<div class="atlas-{heading.kind}" markdown>')
        self.current = heading.id
        self.blocks.append(f"{'#' * heading.level} {clean_inline(heading.text)} {{#{heading.id}}}")

    def _line(self, u: Unit) -> None:
        continues = (
            self.para
            and not self.hard
            and u.kind == "line"
            and (not ends_sentence(self.para) or self.para_full)
            and not ITEM_START.match(u.text)
        )
        if continues:
            self.para = join_lines(self.para, u.text)
        else:
            self._flush()
            self.para, self.para_start = u.text, u
        self.para_full = bool(self.wrap) and width(u.text) >= self.wrap - 2

    def _close(self) -> None:
        if self.box:
            self.blocks.append("</div>")
            self.box, self.current = None, self.outer

    def _emit(self, text: str, first: Unit) -> None:
        if self.box and not self.box.takes(text, first.kind, first.bullet):
            self._close()
        self.counters[self.current] += 1
        self.blocks.append(f"{escape_block(text)}\n{{: #{self.current}-p{self.counters[self.current]} }}")

    def _flush(self) -> None:
        if self.para and self.para_start:
            self._emit(clean_inline(self.para), self.para_start)
            self.para, self.para_full, self.para_start = "", False, None
