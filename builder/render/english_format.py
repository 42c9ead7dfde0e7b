"""Numbers, units, figures and dates in English conventions, for the English edition (/en/).

Plans write "约 10 亿元", "≥3500 家", "2022年11月25日", "2022—2025年"; English readers expect
"about RMB 1 billion", "at least 3,500", "November 25, 2022", "2022–2025". Every conversion the
English pages make goes through this module, so it is tested in one place (tests/test_english_format.py).

The rule is exactness: a figure is rescaled with decimal arithmetic (14000 亿元 is RMB 1.4 trillion,
11304.35 亿元 is RMB 1.130435 trillion), never rounded, so an English figure stays traceable to its
quote. Text this module cannot read completely ("百亿级规模", "全覆盖", a sentence) gives None, and
the page shows the Chinese as written rather than a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

# --- units -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """A Chinese unit: what one of it is in English, and how to write an amount of it."""

    label: str  # the unit as a column header or after "in": 亿元 → "RMB 100 million"
    scale: Decimal = Decimal(1)  # how many base units one of it is (亿元: 10^8 yuan)
    base: str = ""  # the base unit after an amount ("km²", "people"); "" for plain counts
    money: bool = False  # amounts are written "RMB 1.4 trillion"


_YI = Decimal(10) ** 8
_WAN = Decimal(10) ** 4
UNITS: dict[str, Unit] = {
    "元": Unit("RMB", Decimal(1), money=True),
    "万元": Unit("RMB 10,000", _WAN, money=True),
    "亿元": Unit("RMB 100 million", _YI, money=True),
    "万亿元": Unit("RMB trillion", Decimal(10) ** 12, money=True),
    "万元/人": Unit("RMB 10,000 per person", _WAN, "per person", money=True),
    "%": Unit("%", base="%"),
    "平方公里": Unit("km²", base="km²"),
    "km²": Unit("km²", base="km²"),
    "km2": Unit("km²", base="km²"),
    "公里": Unit("km", base="km"),
    "平方米": Unit("m²", base="m²"),
    "m²": Unit("m²", base="m²"),
    "㎡": Unit("m²", base="m²"),
    "公顷": Unit("ha", base="ha"),
    "亩": Unit("mu (1/15 ha)", base="mu"),
    "万平方米": Unit("10,000 m²", _WAN, "m²"),
    "万m²": Unit("10,000 m²", _WAN, "m²"),
    "万㎡": Unit("10,000 m²", _WAN, "m²"),
    "人": Unit("people", base="people"),
    "万人": Unit("10,000 people", _WAN, "people"),
    "万户": Unit("10,000 households", _WAN, "households"),
    "万辆": Unit("10,000 vehicles", _WAN, "vehicles"),
    "万标箱": Unit("10,000 TEU", _WAN, "TEU"),
    "万件": Unit("10,000", _WAN),
    "万个": Unit("10,000", _WAN),
}
# Measure words that only count things (firms, items, projects): the indicator's name says what.
_COUNTERS = ("家", "个", "件", "项", "名", "位", "座", "场", "宗", "条", "所", "只", "款")
for _counter in _COUNTERS:
    UNITS[_counter] = Unit("count")


def unit_of(unit: str | None) -> Unit | None:
    """The Unit for a unit as written (spaces ignored: "万 m²" is 万m²); None if unknown."""
    if unit is None:
        return None
    return UNITS.get(re.sub(r"\s+", "", unit))


def unit_label(unit: str | None) -> str | None:
    """A unit as an English header or label: 亿元 → "RMB 100 million"; None when unknown."""
    if unit is None or not unit.strip():
        return ""
    found = unit_of(unit)
    return found.label if found else None


# --- numbers -----------------------------------------------------------------------------------


def number(value: Decimal | float | int | str) -> str:
    """A number with thousands separators and no trailing zeros: 11304.350 → "11,304.35"."""
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    text = format(amount.normalize(), "f")
    whole, _, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    grouped = f"{int(whole):,}"
    return sign + grouped + ("." + fraction if fraction else "")


_MAGNITUDES = ((Decimal(10) ** 12, "trillion"), (Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million"))


def _money(low: Decimal, high: Decimal | None) -> str:
    """Yuan as "RMB 1.4 trillion" / "RMB 3–3.5 billion" / "RMB 500,000": the scale of the low end."""
    for size, word in _MAGNITUDES:
        if low >= size:
            shown = number(low / size) + (f"–{number(high / size)}" if high is not None else "")
            return f"RMB {shown} {word}"
    return "RMB " + number(low) + (f"–{number(high)}" if high is not None else "")


def amount(value: Decimal | float | str, unit: str | None, high: Decimal | float | str | None = None) -> str | None:
    """An amount (or a range) of a unit in English: (14000, 亿元) → "RMB 1.4 trillion",
    (3.7, 万m²) → "37,000 m²", (60, %) → "60%", (3500, 家) → "3,500". None if the unit is unknown."""
    found = unit_of(unit) if unit else Unit("count")
    if found is None:
        return None
    low = Decimal(str(value)) * found.scale
    top = Decimal(str(high)) * found.scale if high is not None else None
    if found.money:
        text = _money(low, top)
        return f"{text} {found.base}" if found.base else text
    shown = number(low) + (f"–{number(top)}" if top is not None else "")
    if found.base == "%":
        return shown + "%"
    return f"{shown} {found.base}" if found.base else shown


# --- figures as written ------------------------------------------------------------------------

# Qualifiers a plan writes before or after a number, and how English says them.
_BEFORE = (
    ("不少于", "at least"), ("不低于", "at least"), ("≥", "at least"), ("超过", "over"), ("突破", "over"),
    ("超", "over"), ("＞", "over"), (">", "over"), ("力争", "striving for"), ("达到", ""), ("约", "about"),
    ("近", "nearly"), ("≤", "up to"), ("<", "under"),
)  # fmt: skip
_AFTER = (("以上", "at least"), ("以内", "up to"), ("以下", "up to"), ("左右", "about"), ("余", "over"), ("多", "over"))
_FIGURE = re.compile(
    r"^(?P<before>\D*?)(?P<low>-?\d+(?:\.\d+)?)(?:[-—~～至](?P<high>\d+(?:\.\d+)?))?(?P<unit>[^\d]*?)(?P<after>以上|以内|以下|左右|余|多)?$"
)


def figure(written: str, unit: str | None = None) -> str | None:
    """A figure as the plan writes it, in English: ("≥3500", 家) → "at least 3,500",
    ("约 10 亿元", None) → "about RMB 1 billion", ("30-35", %) → "30–35%", ("80 以上", 家) → "over 80".

    The unit is the indicator's, or written inside the figure itself. None when any part of the text is
    not a qualifier, a number or a known unit (words such as 全覆盖, or two figures in one sentence).
    """
    text = re.sub(r"\s+", "", written.replace(",", "").replace("，", ""))
    match = _FIGURE.match(text)
    if not match:
        return None
    before_words = ""
    before = match.group("before")
    if before:
        found = next((english for chinese, english in _BEFORE if chinese == before), None)
        if found is None:
            return None
        before_words = found
    used = _unit_used(match.group("unit").replace("％", "%"), unit)
    if used is False:
        return None
    shown = amount(match.group("low"), used, match.group("high"))
    if shown is None:
        return None
    after = match.group("after")
    if after:
        if before_words:
            return None  # "约 80 以上": two qualifiers; keep the Chinese
        before_words = dict(_AFTER)[after]
    return f"{before_words} {shown}".strip()


def _unit_used(inner: str, unit: str | None) -> str | None | bool:
    """The unit a figure is in: the one written inside it, else the indicator's. A measure word
    inside ("3家") defers to the indicator's unit; a different real unit, or an unknown one, is False."""
    if not inner:
        return unit
    found = unit_of(inner)
    if found is None:
        return False
    if found.label == "count":
        return unit or inner
    if unit and unit_of(unit) != found:
        return False
    return inner


# --- dates and periods -------------------------------------------------------------------------

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip
_DATE = re.compile(r"^(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?$")
_HALF = {"上半年": "first half of", "下半年": "second half of", "底": "end of", "年底": "end of", "初": "early"}
_PERIOD = re.compile(r"^(\d{4})\s*[—–-]\s*(\d{4})\s*年?$")


def date(written: str) -> str | None:
    """A date as written: 2022年11月25日 → "November 25, 2022", 2024年 → "2024", 2023年上半年 →
    "first half of 2023". None for anything else (a sentence with a date in it)."""
    text = re.sub(r"\s+", "", written)
    match = _DATE.match(text)
    if match:
        year, month, day = match.groups()
        if month is None:
            return year
        if not 1 <= int(month) <= 12 or (day is not None and not 1 <= int(day) <= 31):
            return None
        name = MONTHS[int(month) - 1]
        return f"{name} {int(day)}, {year}" if day else f"{name} {year}"
    match = re.match(r"^(\d{4})年(上半年|下半年|年底|底|初)$", text)
    if match:
        return f"{_HALF[match.group(2)]} {match.group(1)}"
    return None


def period(written: str) -> str | None:
    """A plan's period: 2022—2025年 → "2022–2025"; "“十四五”时期（2021—2025年）" → "2021–2025";
    到2025年 → "to 2025". None when it is not one of these."""
    text = re.sub(r"\s+", "", written)
    inner = re.search(r"（(.+)）$", text)
    if inner:
        text = inner.group(1)
    match = _PERIOD.match(text)
    if match:
        return f"{match.group(1)}–{match.group(2)}"
    match = re.match(r"^到(\d{4})年$", text)
    return f"to {match.group(1)}" if match else None


def by_year(year: int | None) -> str:
    """A target's year: "by 2025" ("" without a year)."""
    return f"by {year}" if year else ""
