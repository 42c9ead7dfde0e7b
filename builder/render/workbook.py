"""One XLSX workbook with a sheet per dataset: numbers as numbers, dates as dates, text as text.

openpyxl writes the workbook. Two things are ours: a string cell is always stored as a string
(openpyxl would turn a string starting with "=" into a formula) and, like the CSV files, carries
OWASP's leading quote when it starts with = + - @ or a control character; and the file is made
byte-identical for the same input — openpyxl stamps the document properties and every zip entry
with the current time, so both are set to the build's date.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from .spreadsheet import spreadsheet_safe

SHEET_NAME_LIMIT = 31  # Excel's limit


@dataclass(frozen=True)
class Table:
    name: str  # sheet name
    header: list[str]
    kinds: list[str]  # per column: text, number or date
    rows: list[list]


CREATOR = "深圳产业地图 atlas build"


def write_workbook(tables: list[Table], when: date, creator: str = CREATOR) -> bytes:
    from openpyxl import Workbook  # imported when a workbook is written: a cached build needs none
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    stamp = datetime(when.year, when.month, when.day)
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = creator
    for table in tables:
        sheet = book.create_sheet(table.name[:SHEET_NAME_LIMIT])
        sheet.append([spreadsheet_safe(h) for h in table.header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_cell(value, kind) for value, kind in zip(row, table.kinds)])
        for index, kind in enumerate(table.kinds, start=1):
            if kind == "text":
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    if cell.value is not None:
                        cell.data_type = "s"  # never a formula, whatever the text starts with
            elif kind == "date":
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = "yyyy-mm-dd"
            sheet.column_dimensions[get_column_letter(index)].width = 14 if kind != "text" else 24
        sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip(buffer.getvalue(), stamp)


def _cell(value, kind: str):
    if value is None or value == "":
        return None
    if kind == "number":
        return value if isinstance(value, (int, float)) else None
    if kind == "date":
        return value if isinstance(value, date) else None
    return spreadsheet_safe(value)


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _fixed_zip(data: bytes, stamp: datetime) -> bytes:
    """The same zip with every entry dated 1980-01-01 and the document's "modified" time set to the
    build's date (openpyxl writes the time of saving there): builds are reproducible."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, content)
    return out.getvalue()
