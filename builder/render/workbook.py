"""One XLSX workbook with a sheet per dataset: numbers as numbers, dates as dates, text as text.

openpyxl writes the workbook. Two things are ours: a string cell is always stored as a string
(openpyxl would turn a string starting with "=" into a formula) and, like the CSV files, carries
OWASP's leading quote when it starts with = + - @ or a control character; and the file is made
byte-identical for the same input — openpyxl stamps the document properties and every zip entry
with the current time, so both are set to the build's date.
"""

from __future__ import annotations

import hashlib
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


def tables_digest(tables: list[Table]) -> str:
    """What a workbook of these tables is a function of (its cache key), hashed row by row: one
    repr of all of them was a string as large as the workbook's text (at 100× the content,
    hundreds of megabytes). A row's repr escapes newlines, so the rows cannot run together."""
    digest = hashlib.sha256()
    for table in tables:
        digest.update(repr((table.name, table.header, table.kinds, len(table.rows))).encode() + b"\n")
        for row in table.rows:
            digest.update(repr(row).encode() + b"\n")
    return digest.hexdigest()


def write_workbook(tables: list[Table], when: date, creator: str = CREATOR) -> bytes:
    """The workbook, written row by row (openpyxl's write-only mode): a workbook of cell objects
    held whole took hundreds of megabytes at 100× the content, and longer to write."""
    from openpyxl import Workbook  # imported when a workbook is written: a cached build needs none
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    stamp = datetime(when.year, when.month, when.day)
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = creator
    bold = Font(bold=True)
    for table in tables:
        sheet = book.create_sheet(table.name[:SHEET_NAME_LIMIT])
        for index, kind in enumerate(table.kinds, start=1):  # a streamed sheet's layout comes before its rows
            sheet.column_dimensions[get_column_letter(index)].width = 14 if kind != "text" else 24
        sheet.freeze_panes = "B2"

        def styled(value, font=None, number_format=None, sheet=sheet):
            cell = WriteOnlyCell(sheet, value=value)
            if font is not None:
                cell.font = font
            if number_format is not None:
                cell.number_format = number_format
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            return cell

        sheet.append([styled(spreadsheet_safe(h), font=bold) for h in table.header])
        for row in table.rows:
            cells = []
            for value, kind in zip(row, table.kinds):
                value = _cell(value, kind)
                if value is None:
                    cells.append(None)
                elif kind == "date":
                    cells.append(styled(value, number_format="yyyy-mm-dd"))
                elif kind == "text" and value.startswith("="):  # openpyxl would store it as a formula
                    cells.append(styled(value))
                else:
                    cells.append(value)
            sheet.append(cells)
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
