"""Data downloads: every record as JSON (with its citations) and the main tables as CSV.

Investors and researchers want the data, not only pages: `downloads/atlas.json` holds all records
exactly as validated; the CSV files (UTF-8 with BOM so Excel opens Chinese correctly) flatten the
tables people filter and chart — each record type's `sheet` in the registry (places, indicators,
projects, tasks) — each row with a link to the paragraph it is cited from.
"""

from __future__ import annotations

import csv
import io
import json
import re

from ..atlas import Atlas
from ..records import REGISTRY

DOWNLOAD_DIR = "downloads"


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


def spreadsheet_safe(value) -> str:
    """A cell Excel and LibreOffice will not run as a formula (OWASP: prefix a quote).

    A text cell starting with = + - @, a tab or a carriage return would be read as a formula
    (`=HYPERLINK(…)` can send data elsewhere); a leading `'` makes it plain text. A cell that is
    a plain number (-3.5) is no formula and stays as it is.
    """
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def _csv(header: list[str], rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([spreadsheet_safe(cell) for cell in header])
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)
    return "\ufeff" + buffer.getvalue()


def build_downloads(atlas: Atlas, site_url: str = "") -> dict[str, str]:
    """Files to add to the site: path → text. JSON holds every record type; CSV the declared sheets."""
    everything = {
        rt.folder: [record.model_dump(mode="json", exclude_none=True) for record in atlas.records[rt.folder].values()]
        for rt in REGISTRY
    }
    files = {f"{DOWNLOAD_DIR}/atlas.json": json.dumps(everything, ensure_ascii=False, indent=1, sort_keys=True) + "\n"}
    for rt in REGISTRY:
        if rt.sheet is None:
            continue
        header = [column.header for column in rt.sheet.columns] + ["出处", "引文"]
        rows = []
        for record in atlas.records[rt.folder].values():
            citation = atlas.cite(record.citations[0])
            rows.append([column.value(atlas, record) for column in rt.sheet.columns] + [site_url + citation.url, citation.quote])
        files[f"{DOWNLOAD_DIR}/{rt.sheet.file}"] = _csv(header, rows)
    return files
