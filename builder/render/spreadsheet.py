"""Cells that spreadsheets will not run as formulas, and CSV that Excel opens in Chinese.

A text cell starting with = + - @, a tab or a carriage return is read as a formula by Excel and
LibreOffice (`=HYPERLINK(…)` can send data elsewhere); OWASP's advice is to prefix a `'`, which
makes it plain text. A cell that is a plain number (-3.5) is no formula and stays as it is. CSV
files are UTF-8 with a byte-order mark, which Excel needs to read Chinese correctly.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


def spreadsheet_safe(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def _csv_text(value) -> str:
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e15 else repr(value)
    if isinstance(value, date):
        return value.isoformat()
    return spreadsheet_safe(value)


def csv_text(header: list[str], rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([spreadsheet_safe(cell) for cell in header])
    writer.writerows([_csv_text(cell) for cell in row] for row in rows)
    return "\ufeff" + buffer.getvalue()
