"""Character-level text helpers every stage of the cleaner shares.

They live apart because the line reader, the heading outline, the box/table containers and the
document assembly all need the same notions of a CJK character, a sentence end, a heading-like
title, a heading key and an inline repair (`clean_inline`, `join_lines`).
"""

from __future__ import annotations

import re
import unicodedata

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CN_DIGITS = "〇零一二三四五六七八九十百"
# A line ending in one of these closes a sentence, so a break after it is a real paragraph break.
TERMINAL = set("。；！？：…”」』;!?:")
SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"

# Starts of lines that open a new block even after an unfinished sentence.
ITEM_START = re.compile(
    rf"^(\d{{1,2}}[、.．](?!\d)|[（(]\d{{1,2}}[）)]|[（(]?[{CN_DIGITS}]+[、）)]|[①-⑳]|——|注\s*[：:]|资料来源)"
)
# A superscript after a Latin letter is an exponent (m², km²); anywhere else it is a note mark.
EXPONENT = re.compile(r"(?<![A-Za-z])([kcm]?m)\s?(?:\^\s?([23])(?!\d)|([²³]))")
NOTE_MARK = re.compile(rf"(?<![A-Za-z])\s*(?<![A-Za-z])[{SUPERSCRIPTS}]+\s*")
# After a Latin letter only ² and ³ can be exponents; any other superscript is a note mark (CSO⁴).
LATIN_NOTE_MARK = re.compile(r"(?<=[A-Za-z])[¹⁴⁵⁶⁷⁸⁹⁰][¹²³⁴⁵⁶⁷⁸⁹⁰]*")
PAIRED = re.compile(r"[（(]([^（）()]*)[）)]")


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

