"""Reading raw extracted text into source lines (`Unit`s) and the document's front matter.

This is the stage before any structure is recognised: markup and page artefacts are stripped line
by line, tables flattened one cell per line are rebuilt into rows, soft-wrapped PDF lines are
rejoined, the cover and table of contents are split off, and a fixed wrap width is detected.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from .inline import CN_DIGITS, SUPERSCRIPTS, join_lines, key, width

BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
SUP_TAG = re.compile(r"<sup>\s*(\d+)\s*</sup>")
TO_SUPERSCRIPT = str.maketrans("1234567890", SUPERSCRIPTS)
HTML_TAG = re.compile(r"</?(?:b|i|u|em|strong|span|sup|sub|font)\b[^>]*>")
PAGE_NUMBER = re.compile(r"^\s*[-—–]+[\s\-—–]*\d{1,3}[\s\-—–]*[-—–]+\s*$")
RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
MD_HEADING = re.compile(r"^#{1,6}\s+")
BULLET = re.compile(r"^[-•●▪]\s+")
TOC_TITLE = re.compile(r"^目\s*录$")
TOC_ENTRY = re.compile(r"^(.*?\S)[\s.…·．]+\d{1,3}$")
FOOTNOTE_LINE = re.compile(rf"^[{SUPERSCRIPTS}]+\s*(?=\S)")
# A table exported one cell per line: the line holds a single leading tab and its cell text.
CELL_LINE = re.compile(r"^\t[^\t]*$")
PAGE_DIGITS = re.compile(r"^\d{1,3}$")


@dataclass
class Unit:
    """One source line after artefact removal; `kind` is row, note or line."""

    text: str
    kind: str
    cells: list[str] = field(default_factory=list)
    bullet: bool = False  # the source line was a "- " list item
    soft: bool = False  # the source line had no trailing space (see `hard_line_ends`)
    cellwise: bool = False  # a row assembled from one-cell-per-line table text (DOCX export)


def preprocess(raw: str) -> list[Unit | None]:
    """Strip markup artefacts line by line; None marks a blank line (kept for cover detection).

    A table exported one cell per line (DOCX tables flattened: each cell on a line of its own
    opening with a tab, rows separated by blank lines) is read back into rows first."""
    raw = unicodedata.normalize("NFC", raw.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n"))
    units: list[Unit | None] = []
    lines = [HTML_TAG.sub("", SUP_TAG.sub(lambda m: m.group(1).translate(TO_SUPERSCRIPT), BOOKMARK.sub("", line)))
             for line in raw.split("\n")]
    i = 0
    while i < len(lines):
        if CELL_LINE.match(lines[i]):
            group, i = read_cell_group(lines, i)
            units.append(group)
            continue
        line = lines[i].replace("**", "")
        i += 1
        if PAGE_NUMBER.match(line) or RULE.match(line):
            line = ""
        is_row = "\t" in line.lstrip().rstrip(" \u3000")
        text = MD_HEADING.sub("", line.strip(" \t\u3000\u00a0"))
        bullet = bool(BULLET.match(text))
        text = BULLET.sub("", text).strip(" \t\u3000\u00a0")
        soft = not line.endswith((" ", "\u3000"))
        if not text:
            units.append(None)
        elif is_row:
            cells = [c.strip(" \u3000") for c in line.strip(" \u3000").split("\t")]
            units.append(Unit(text, "row", cells))
        elif FOOTNOTE_LINE.match(text):
            units.append(Unit(FOOTNOTE_LINE.sub("", text), "note"))
        else:
            units.append(Unit(text, "line", bullet=bullet, soft=soft))
    return resolve_cell_groups(units)


def read_cell_group(lines: list[str], i: int) -> tuple[list[list[str]], int]:
    """Read one row of a table exported one cell per line (each cell opens with a tab, a long cell
    wraps onto following lines without one; a line holding only the tab is an empty cell) up to
    the blank line that ends the row."""
    cells: list[list[str]] = []
    while i < len(lines):
        text = lines[i].replace("**", "").strip(" \t\u3000\u00a0")
        if CELL_LINE.match(lines[i]):
            cells.append([text] if text else [])
        elif text and cells:
            cells[-1].append(text)
        else:
            break
        i += 1
    return cells, i


def resolve_cell_groups(items: list) -> list[Unit | None]:
    """A group of two or more cells is a table row; a one-cell group is a row only next to other
    rows (a group label such as "一、总量和经济效益目标"); otherwise it is a text frame (a 专栏
    box exported as a one-cell table) and its lines are ordinary lines."""

    def multi(j: int, step: int) -> bool:
        j += step
        while 0 <= j < len(items) and items[j] is None:
            j += step
        return 0 <= j < len(items) and isinstance(items[j], list) and len(items[j]) >= 2

    out: list[Unit | None] = []
    for j, item in enumerate(items):
        if not isinstance(item, list):
            out.append(item)
            continue
        cells = [join_cell(c) for c in item]
        if not any(cells):
            out.append(None)
        elif len(item) >= 2 or multi(j, -1) or multi(j, 1):
            out.append(Unit(" ".join(c for c in cells if c), "row", cells, cellwise=True))
        else:
            for text in item[0]:
                bullet = bool(BULLET.match(text))
                text = BULLET.sub("", text).strip()
                if FOOTNOTE_LINE.match(text):
                    out.append(Unit(FOOTNOTE_LINE.sub("", text), "note"))
                elif text:
                    out.append(Unit(text, "line", bullet=bullet, soft=True))
            out.append(None)
    return out


def join_cell(lines: list[str]) -> str:
    text = ""
    for line in lines:
        text = join_lines(text, line) if text else line
    return text


def hard_line_ends(units: list[Unit | None]) -> bool:
    """Some PDF extractions end every real line end (paragraph end, heading, title) with a space and
    every soft wrap without one; when both kinds are common the space is the paragraph signal."""
    lines = [u for u in units if u and u.kind == "line"]
    hard = sum(1 for u in lines if not u.soft)
    return 0.1 * len(lines) <= hard <= 0.6 * len(lines) and wrap_width(lines) is not None


def rejoin_soft_wraps(units: list[Unit | None]) -> list[Unit | None]:
    """Join each soft-wrapped line to the next text line (across blank lines and page breaks) and
    drop the bare page numbers that interrupt the text."""
    out: list[Unit | None] = []
    carry: Unit | None = None
    for u in units:
        if u and u.kind == "line" and PAGE_DIGITS.match(u.text) and not u.soft:
            continue
        if u is None:
            if carry is None:
                out.append(None)
            continue
        if carry is not None and u.kind == "line":
            carry = Unit(join_lines(carry.text, u.text), "line", bullet=carry.bullet, soft=u.soft)
        else:
            if carry is not None:
                out.append(carry)
            carry = u if u.kind == "line" else None
            if carry is None:
                out.append(u)
        if carry is not None and not carry.soft:
            out.append(carry)
            carry = None
    if carry is not None:
        out.append(carry)
    return out


def split_front_matter(units: list[Unit | None]) -> tuple[list[str], list[str], list[Unit | None]]:
    """Return (cover lines, table-of-contents titles, body); the TOC itself is dropped."""
    toc_at = next((i for i, u in enumerate(units) if u and TOC_TITLE.match(u.text)), None)
    if toc_at is None:
        return [], [], units
    cover = [u.text for u in units[:toc_at] if u]
    entries = [(i, TOC_ENTRY.match(u.text)) for i, u in enumerate(units) if i > toc_at and u]
    titles, body_at = [], len(units)
    first = next((m.group(1) for _, m in entries if m), None)
    for i, m in entries:
        if m:
            titles.append(m.group(1))
        elif first and key(units[i].text) == key(first) or not re.match(rf"^([{CN_DIGITS}]+、|[（(]|\d)", units[i].text):
            body_at = i
            break
        else:
            titles.append(units[i].text)  # a wrapped entry without its page number
    return cover, titles, units[body_at:]


def wrap_width(units: list[Unit]) -> int | None:
    """Detect fixed-width hard wrapping (many lines of the same display width)."""
    widths = [width(u.text) for u in units if u.kind == "line" and width(u.text) > 40]
    if len(widths) < 20:
        return None
    mode = Counter(widths).most_common(1)[0][0]
    near = sum(1 for w in widths if mode - 8 <= w <= mode + 2)
    return mode if near >= 0.5 * len(widths) else None

