"""Heading detection: the plan's own numbering (parts, chapters, sections, subsections, 专栏
boxes, 表 tables) is followed as it runs, and each heading gets a stable id from it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .inline import CN_DIGITS, cn_number, is_heading_text, key, normalise_punct

PREFACE = re.compile(r"^(前\s*言|序\s*言|序)$")
PART = re.compile(rf"^第([{CN_DIGITS}]+)部分\s*(.*)$")
CHAPTER = re.compile(rf"^([{CN_DIGITS}]+)\s*、\s*(.+)$")
SECTION = re.compile(rf"^[（(]\s*([{CN_DIGITS}]+)\s*[）)]\s*(.+)$")
SECTION_ARABIC = re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]\s*(.+)$")
SUBSECTION = re.compile(r"^(\d{1,2})\s*([.、．])\s*(?!\d)(.+)$")
BOX = re.compile(r"^专栏\s*(\d+(?:\s*[-－–—.．]\s*\d+)*)\s*([：:]?)\s*(.*)$")
TABLE = re.compile(r"^表\s*(\d+(?:\s*[-－–—]\s*\d+)*)\s*([：:.．]?)\s*(.+)$")


@dataclass
class Heading:
    level: int
    text: str
    id: str
    kind: str


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

