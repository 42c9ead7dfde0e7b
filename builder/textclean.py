"""Turn a raw plan text extracted from PDF/DOCX into clean, anchored Markdown.

The result is the `text.md` contract read by `builder.plantext`: blocks separated by one blank
line, headings carrying `{#id}`, every other block closed by a `{: #anchor }` line.  A 专栏 box or
a 表 table is wrapped in a `<div class="atlas-box" markdown>` / `<div class="atlas-table"
markdown>` … `</div>` container (md_in_html; each marker line is a block of its own, with no
anchor); the body text after it goes on with the enclosing section's paragraph numbering.
Anchors are derived from the document's own numbering so they stay stable when the text is
re-imported.  Only extraction artefacts are repaired; the wording itself is never changed.

Extraction styles handled: DOCX text with `[bookmark: …]` tags and tables flattened one cell per
line (rebuilt into ` | ` rows; a one-cell "table" framing a 专栏 box is read as text); Markdown
export (`#`, `**`, `<sup>` footnotes); PDF text hard-wrapped at a fixed width, either with no other
signal (a line that does not end a sentence, or that fills the width, runs on) or with a trailing
space on every real line end (then a line without one is a soft wrap, wherever it breaks, and bare
page numbers between the wrapped lines are dropped).  Headings follow the plan's numbering:
第…部分 parts (which push chapters one level down), 一、 chapters, （一） sections — also when a
plan switches to （2） half-way — and 1. subsections, including task numbers that run on through a
chapter (5. … 29.); a numbered line that is a full sentence stays a paragraph.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CN_DIGITS = "〇零一二三四五六七八九十百"
# A line ending in one of these closes a sentence, so a break after it is a real paragraph break.
TERMINAL = set("。；！？：…”」』;!?:")
SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"

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
PREFACE = re.compile(r"^(前\s*言|序\s*言|序)$")
PART = re.compile(rf"^第([{CN_DIGITS}]+)部分\s*(.*)$")
CHAPTER = re.compile(rf"^([{CN_DIGITS}]+)\s*、\s*(.+)$")
SECTION = re.compile(rf"^[（(]\s*([{CN_DIGITS}]+)\s*[）)]\s*(.+)$")
SECTION_ARABIC = re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]\s*(.+)$")
# A long first line can still be the document's title (a notice title wrapped over several lines).
DOC_TITLE = re.compile(r"(的通知|的意见|规划|计划|方案|纲要|办法)$")
SUBSECTION = re.compile(r"^(\d{1,2})\s*([.、．])\s*(?!\d)(.+)$")
BOX = re.compile(r"^专栏\s*(\d+(?:\s*[-－–—.．]\s*\d+)*)\s*([：:]?)\s*(.*)$")
TABLE = re.compile(r"^表\s*(\d+(?:\s*[-－–—]\s*\d+)*)\s*([：:.．]?)\s*(.+)$")
# Starts of lines that open a new block even after an unfinished sentence.
ITEM_START = re.compile(
    rf"^(\d{{1,2}}[、.．](?!\d)|[（(]\d{{1,2}}[）)]|[（(]?[{CN_DIGITS}]+[、）)]|[①-⑳]|——|注\s*[：:]|资料来源)"
)
# Lines that annotate the box or table above them rather than resume the body text.
NOTE_START = re.compile(r"^[（(]?(注\s*\d*\s*[：:]|备注\s*[：:]|说明\s*[：:]|(资料|数据)来源)")
PRIMARY_ITEM = re.compile(r"^(\d{1,2})\s*[、.．](?!\d)")
SECONDARY_ITEM = re.compile(r"^(?:[（(](\d{1,2})[）)]|([①-⑳]))")
DASH_ITEM = re.compile(r"^(——|[-•●▪]\s)")
FOOTNOTE_LINE = re.compile(rf"^[{SUPERSCRIPTS}]+\s*(?=\S)")
# A superscript after a Latin letter is an exponent (m², km²); anywhere else it is a note mark.
EXPONENT = re.compile(r"(?<![A-Za-z])([kcm]?m)\s?(?:\^\s?([23])(?!\d)|([²³]))")
NOTE_MARK = re.compile(rf"(?<![A-Za-z])\s*(?<![A-Za-z])[{SUPERSCRIPTS}]+\s*")
# After a Latin letter only ² and ³ can be exponents; any other superscript is a note mark (CSO⁴).
LATIN_NOTE_MARK = re.compile(r"(?<=[A-Za-z])[¹⁴⁵⁶⁷⁸⁹⁰][¹²³⁴⁵⁶⁷⁸⁹⁰]*")
PAIRED = re.compile(r"[（(]([^（）()]*)[）)]")
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


@dataclass
class Heading:
    level: int
    text: str
    id: str
    kind: str


def cn_number(s: str) -> int:
    """Chinese numerals up to 99 (一…九十九), enough for chapter/section numbering."""
    vals = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (vals.get(tens, 1) if tens else 1) * 10 + (vals.get(ones, 0) if ones else 0)
    return vals.get(s, 0) if len(s) == 1 else int("".join(str(vals.get(c, 0)) for c in s))


def width(s: str) -> int:
    """Display width: hard-wrapped PDFs break lines at a fixed width, not character count."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def key(s: str) -> str:
    """Comparable form of a heading: numbering, punctuation and spaces removed."""
    s = re.sub(rf"^([{CN_DIGITS}]+、|[（(][{CN_DIGITS}]+[）)]|\d{{1,2}}[.、．]|专栏|表)\s*", "", s.strip())
    return "".join(c for c in s if c.isalnum())


def ends_sentence(s: str) -> bool:
    s = s.rstrip()
    return bool(s) and s[-1] in TERMINAL


def is_heading_text(title: str, limit: int = 50, stop_ok: bool = False) -> bool:
    """Headings are short and carry no sentence punctuation (sections may end in a lone 。)."""
    body = title[:-1] if stop_ok and title.endswith("。") and len(title) <= 25 else title
    return 0 < len(title) <= limit and not re.search(r"[。；！？;!?]", body) and body[-1:] not in "：:，,、"


def normalise_punct(s: str) -> str:
    """Half-width ,;:() inside Chinese text are extractor artefacts; use the full-width forms."""
    full = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
    s = re.sub(rf"(?<=[{CJK}）”])\s*([,;:!?])\s*(?=\S)", lambda m: full[m.group(1)], s)
    while True:  # innermost bracket pairs first; \x00/\x01 mark converted, \x02/\x03 untouched
        m = PAIRED.search(s)
        if not m:
            break
        inner, whole = m.group(1), m.group(0)
        if "（" in whole and "）" in whole:
            marks = "\x00\x01"
        elif re.search(f"[{CJK}]", inner) or "（" in whole or "）" in whole:
            marks = "\x04\x05"  # converted from half-width: its padding spaces go too
        else:
            marks = "\x02\x03"
        s = s[: m.start()] + marks[0] + inner + marks[1] + s[m.end() :]
    s = re.sub(rf"(?<=[{CJK}])\s+(?=\x04)|(?<=\x05)\s+(?=[{CJK}])", "", s)
    return s.translate(str.maketrans("\x00\x01\x02\x03\x04\x05", "（）()（）"))


def note_gap(m: re.Match[str]) -> str:
    """A dropped note mark leaves one space only where two Latin/digit words would touch."""
    around = m.string[m.start() - 1 : m.start()] + m.string[m.end() : m.end() + 1]
    return " " if re.fullmatch(r"[A-Za-z0-9]{2}", around) else ""


def clean_inline(s: str) -> str:
    """Repair one block's text: exponents, note marks, punctuation width, runs of spaces."""
    s = EXPONENT.sub(lambda m: m.group(1) + (m.group(3) or "²³"[int(m.group(2)) - 2]), s)
    s = NOTE_MARK.sub(note_gap, s)
    s = LATIN_NOTE_MARK.sub("", s)
    s = normalise_punct(s)
    s = re.sub(r"[ \t\u3000\u00a0]+", " ", s)
    s = re.sub(r" (?=[）》」』，。；：、！？])", "", s)  # padding before closing punctuation
    return s.strip()


def join_lines(a: str, b: str) -> str:
    """Rejoin a line broken by extraction: Chinese needs no space, Latin/digit words keep one."""
    a, b = a.rstrip(), b.lstrip()
    return a + (" " if re.search(r"[A-Za-z0-9%]$", a) and re.match(r"[A-Za-z0-9]", b) else "") + b


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


class Outline:
    """Recognises headings from the running chapter/section numbering and assigns their ids."""

    def __init__(self, toc_titles: list[str]):
        self.toc_subs = {key(t) for t in toc_titles if SUBSECTION.match(t)}
        self.used: set[str] = set()
        self.part = ""
        self.chapter = self.section = self.sub = 0
        self.chapter_id = self.section_id = ""
        self.in_box = False
        self.prev_sub = 0  # the last sub number of the previous section: some plans number on
        self.paren_items = False  # a "（1）" item was seen in the current section

    def unique(self, id_: str) -> str:
        base, n = id_, 1
        while id_ in self.used:
            n += 1
            id_ = f"{base}_{n}"
        self.used.add(id_)
        return id_

    @property
    def shift(self) -> int:
        """Inside 第…部分 parts, chapters sit one level below the part heading."""
        return 1 if self.part else 0

    def classify(self, text: str) -> Heading | None:
        heading = self._classify(text)
        if not heading and SECTION_ARABIC.match(text):
            self.paren_items = True
        return heading

    def _classify(self, text: str) -> Heading | None:
        if PREFACE.match(text):
            self.chapter, self.chapter_id, self.section, self.section_id = 0, self.unique(f"{self.part}s0"), 0, ""
            return Heading(2, text.replace(" ", "").replace("\u3000", ""), self.chapter_id, "preface")
        if (m := PART.match(text)) and is_heading_text(m.group(2) or "部分"):
            n = cn_number(m.group(1))
            self.part, self.chapter, self.section, self.chapter_id, self.section_id = f"part{n}-", 0, 0, "", ""
            self.sub = self.prev_sub = 0
            return Heading(2, text, self.unique(f"part{n}"), "part")
        if (m := BOX.match(text)) and is_heading_text(m.group(3) or "专栏", 60):
            num = re.sub(r"\s*[-－–—.．]\s*", "-", m.group(1))
            title = f"专栏 {num}" + (f"：{m.group(3)}" if m.group(3) else "")
            self.in_box = True
            return Heading(4, normalise_punct(title), self.unique(f"box{num}"), "box")
        if (m := TABLE.match(text)) and is_heading_text(m.group(3), 60):
            num = re.sub(r"\s*[-－–—]\s*", "-", m.group(1))
            sep = {":": "：", "：": "：", "": " "}.get(m.group(2), m.group(2))
            self.in_box = True
            return Heading(4, normalise_punct(f"表 {num}{sep}{m.group(3)}"), self.unique(f"tab{num}"), "table")
        if (m := CHAPTER.match(text)) and is_heading_text(m.group(2)):
            n = cn_number(m.group(1))
            if n in (self.chapter + 1, 1):
                self.chapter, self.section, self.section_id, self.in_box = n, 0, "", False
                self.sub = self.prev_sub = 0
                self.chapter_id = self.unique(f"{self.part}s{n}")
                title = normalise_punct(f"{m.group(1)}、{m.group(2)}")
                return Heading(2 + self.shift, title, self.chapter_id, "chapter")
        if (m := SECTION.match(text)) and is_heading_text(m.group(2), stop_ok=True):
            n = cn_number(m.group(1))
            if n in (self.section + 1, 1):
                return self.open_section(n, normalise_punct(f"（{m.group(1)}）{m.group(2)}"))
        if (m := SECTION_ARABIC.match(text)) and self.section and not self.paren_items:
            # "（一）…" then "（2）…": the plan's own numbering switched style mid-sequence
            n = int(m.group(1))
            if n == self.section + 1 and is_heading_text(m.group(2), 25, stop_ok=True):
                return self.open_section(n, normalise_punct(f"（{n}）{m.group(2).strip()}"))
        if (m := SUBSECTION.match(text)) and self.section_id and is_heading_text(m.group(3), 40):
            n = int(m.group(1))
            in_toc = not self.toc_subs or key(text) in self.toc_subs
            running = self.sub == 0 and n > 1 and n == self.prev_sub + 1  # numbered through the chapter
            if (n == self.sub + 1 or running) and in_toc and not (self.in_box and "：" in m.group(3)):
                self.sub, self.in_box = n, False
                title = f"{n}{m.group(2)}{m.group(3)}"
                return Heading(4 + self.shift, normalise_punct(title), self.unique(f"{self.section_id}-{n}"), "sub")
        return None

    def open_section(self, n: int, title: str) -> Heading:
        self.prev_sub = self.sub or self.prev_sub
        self.section, self.sub, self.in_box, self.paren_items = n, 0, False, False
        self.section_id = self.unique(f"{self.chapter_id or self.part + 's0'}-{n}")
        return Heading(3 + self.shift, title, self.section_id, "section")


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
