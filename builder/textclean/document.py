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
    if not cover:  # no TOC: the title lines before the first blank-separated prose
        lead = [u for u in body[:12] if u]
        probe = Outline([])
        for u in lead[:6]:
            too_wide = width(u.text) > (240 if DOC_TITLE.search(u.text) else 80)
            if u.kind != "line" or ends_sentence(u.text) or too_wide or probe.classify(u.text):
                break
            cover.append(u.text)
        if len(cover) == len(lead[:6]):
            cover = []
        body = [u for u in body if u][len(cover) :]
    lines = relocate_notes([u for u in body if u])
    wrap = wrap_width(lines)
    outline = Outline(toc_titles)
    blocks: list[str] = []
    counters: Counter[str] = Counter()
    current = "intro"
    outer = current  # the heading a box/table sits under; body text after it resumes its numbering
    box: Container | None = None
    para = ""  # the paragraph being assembled from broken lines
    para_start: Unit | None = None  # its first line
    para_full = False  # its last line filled a hard-wrapped line, so its 。 may not end it

    def close() -> None:
        nonlocal box, current
        if box:
            blocks.append("</div>")
            box, current = None, outer

    def emit(text: str, first: Unit) -> None:
        if box and not box.takes(text, first.kind, first.bullet):
            close()
        counters[current] += 1
        blocks.append(f"{escape_block(text)}\n{{: #{current}-p{counters[current]} }}")

    def flush() -> None:
        nonlocal para, para_full, para_start
        if para and para_start:
            emit(clean_inline(para), para_start)
            para, para_full, para_start = "", False, None

    if cover:
        cover_lines = [clean_inline(c) for c in cover]
        blocks.append("<br>".join(cover_lines) + "\n{: #cover }")
    prev_row: list[str] | None = None
    for k, u in enumerate(lines):
        if u.kind == "row":
            flush()
            cells = u.cells
            if prev_row and not cells[0] and len(cells) == len(prev_row) and not u.cellwise:
                # a row with an empty first cell continues the previous one (two-line header)
                cells = [f"{a} {b}" if a and b else a or b for a, b in zip(prev_row, cells)]
                blocks.pop()
                counters[current] -= 1
            emit(row_text(cells, u.cellwise), u)
            prev_row = cells
            continue
        prev_row = None
        heading = outline.classify(u.text) if u.kind == "line" else None
        if not heading and is_table_title(u, lines[k + 1 : k + 2], para) and not (box and box.kind == "table"):
            # an unnumbered table title ("…情况表", "附表：…"): its id follows the enclosing heading
            base = "annex" if u.text.startswith("附表") else outer if box else current
            outline.in_box = True
            heading = Heading(4, normalise_punct(u.text), outline.unique(f"{base}-tab"), "table")
        if heading:
            flush()
            close()
            if heading.kind in ("box", "table"):
                outer, box = current, Container(heading.kind)
                blocks.append(f'<div class="atlas-{heading.kind}" markdown>')
            current = heading.id
            blocks.append(f"{'#' * heading.level} {clean_inline(heading.text)} {{#{heading.id}}}")
            continue
        continues = (
            para
            and not hard
            and u.kind == "line"
            and (not ends_sentence(para) or para_full)
            and not ITEM_START.match(u.text)
        )
        if continues:
            para = join_lines(para, u.text)
        else:
            flush()
            para, para_start = u.text, u
        para_full = bool(wrap) and width(u.text) >= wrap - 2
    flush()
    close()
    return "\n\n".join(blocks) + "\n"
