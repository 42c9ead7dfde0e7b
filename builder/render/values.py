"""Numbers and dates read from text as written, for spreadsheets and charts.

Records keep every figure as the plan writes it ("约 10 亿元", "2022年11月25日"); these helpers
give the typed value beside it, or None when the text does not say it exactly (a season, a range
of years, words). The text always stays next to the number, so nothing is lost by reading it.
"""

from __future__ import annotations

import re
from datetime import date

_MONEY = re.compile(r"(\d+(?:\.\d+)?)\s*(万亿|亿|万)元")
_FULL_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_YEAR = re.compile(r"(19|20)\d{2}")
_TO_YI = {"万亿": 10_000, "亿": 1, "万": 0.0001}


def money_in_yi(text: str | None) -> float | None:
    """An amount of money in 亿元: "约 10 亿元" → 10; "5000万元" → 0.5; None without a clear amount."""
    if not text:
        return None
    found = _MONEY.findall(text.replace(",", ""))
    if len(found) != 1:  # none, or several amounts (phases): no single number
        return None
    number, unit = found[0]
    return round(float(number) * _TO_YI[unit], 6)


def full_date(text: str | None) -> date | None:
    """A date written to the day ("2022年11月25日"); None for a year, a month or a season."""
    match = _FULL_DATE.search(text or "")
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def first_year(text: str | None) -> int | None:
    match = _YEAR.search(text or "")
    return int(match.group()) if match else None


def plan_date(text: str | None) -> date | None:
    """A plan's publication date as recorded (YYYY, YYYY-MM or YYYY-MM-DD), to the first day it can mean."""
    if not text:
        return None
    parts = [int(p) for p in text.split("-")] + [1, 1]
    return date(parts[0], parts[1], parts[2])
