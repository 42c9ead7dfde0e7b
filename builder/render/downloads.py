"""Data downloads: every dataset as CSV and in one XLSX workbook, all records as JSON, places and
districts as GeoJSON.

Investors and researchers want the data, not only pages. Each record type's `sheet` in the
registry lists its columns: names beside ids, numbers beside the text as written (a target
"≥3500" is 3500 with the comparator ≥), coordinates for places; every row ends with a link to
the paragraph it is cited from and the quote. `atlas.json` holds all records exactly as validated.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import date

from shapely.geometry import mapping

from ..atlas import Atlas
from ..cache import BuildCache, memoised
from ..geometry import rounded
from ..records import REGISTRY
from .spreadsheet import csv_text
from .workbook import Table, tables_digest, write_workbook

DOWNLOAD_DIR = "downloads"
WORKBOOK = "atlas.xlsx"
CITATION_COLUMNS = [("出处", "text"), ("引文", "text")]


@dataclass(frozen=True)
class Dataset:
    """One downloadable table, for the downloads page and the data dictionary."""

    name: str  # record type name
    label: str
    file: str
    records: int
    columns: list[tuple[str, str]]  # (header, kind)


def tables(atlas: Atlas, site_url: str = "") -> list[tuple[Dataset, Table]]:
    result = []
    for record_type in REGISTRY:
        if record_type.sheet is None:
            continue
        columns = [(c.header, c.kind) for c in record_type.sheet.columns] + CITATION_COLUMNS
        rows = []
        for record in atlas.records[record_type.folder].values():
            citation = atlas.cite(record.citations[0])
            rows.append([column.value(atlas, record) for column in record_type.sheet.columns] + [site_url + citation.url, citation.quote])
        dataset = Dataset(record_type.name, record_type.label, record_type.sheet.file, len(rows), columns)
        table = Table(record_type.label, [h for h, _ in columns], [k for _, k in columns], rows)
        result.append((dataset, table))
    return result


def places_geojson(atlas: Atlas, site_url: str = "") -> str:
    features = []
    for place in atlas.places.values():
        shape = atlas.shape_of(place)
        if shape is None:
            continue
        district = atlas.districts.get(place.district)
        properties = {
            "id": place.id, "name": place.name, "kind": place.kind.value, "district": place.district,
            "district_name": district.name if district else "", "clusters": list(place.clusters),
            "precision": place.geometry.precision.value,
            "basis": shape.properties.get("basis") or place.geometry.precision.explanation,
            "url": site_url + f"places/{place.id}/",
        }  # fmt: skip
        features.append({"type": "Feature", "id": place.id, "properties": properties, "geometry": mapping(rounded(shape.geom))})
    return _collection(features)


def districts_geojson(atlas: Atlas, site_url: str = "") -> str:
    features = []
    for district in atlas.districts.values():
        shape = atlas.district_shape(district.id)
        if shape is None:
            continue
        properties = {"id": district.id, "name": district.name, "url": site_url + f"districts/{district.id}/"}
        if shape.properties.get("basis"):
            properties.update(precision=shape.properties.get("precision"), basis=shape.properties["basis"])
        features.append({"type": "Feature", "id": district.id, "properties": properties, "geometry": mapping(rounded(shape.geom))})
    return _collection(features)


def json_text(data: dict[str, list], sort_keys: bool = False) -> str:
    """`{name: [record, …]}` as JSON text, one record a line (readable, and a diff of two
    downloads shows the records that changed), and a newline.

    Each record is encoded in one call, by json's C encoder; with an indent, json uses its Python
    encoder throughout, several times slower, and json.dumps joins a list of every piece of the
    text (at 100× the content, gigabytes for atlas.json)."""
    encode = json.JSONEncoder(ensure_ascii=False, sort_keys=sort_keys, separators=(", ", ": ")).encode
    out = io.StringIO()
    out.write("{")
    for number, name in enumerate(sorted(data) if sort_keys else data):
        out.write(("," if number else "") + "\n " + encode(name) + ": [")
        for index, record in enumerate(data[name]):
            out.write(("," if index else "") + "\n  " + encode(record))
        out.write("\n ]" if data[name] else "]")
    out.write("\n}\n" if data else "}\n")
    return out.getvalue()


def _collection(features: list[dict]) -> str:
    data = {"type": "FeatureCollection", "crs_name": "WGS84", "features": features}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"


def build_downloads(atlas: Atlas, site_url: str = "", when: date | None = None, cache: BuildCache | None = None,
                    ) -> tuple[dict[str, str | bytes], list[Dataset]]:  # fmt: skip
    """Files to add to the site (path → text or bytes), and the datasets they hold."""
    everything = {
        rt.folder: [record.model_dump(mode="json", exclude_none=True) for record in atlas.records[rt.folder].values()]
        for rt in REGISTRY
    }
    files: dict[str, str | bytes] = {
        f"{DOWNLOAD_DIR}/atlas.json": json_text(everything, sort_keys=True),
        f"{DOWNLOAD_DIR}/places.geojson": places_geojson(atlas, site_url),
        f"{DOWNLOAD_DIR}/districts.geojson": districts_geojson(atlas, site_url),
    }
    made = tables(atlas, site_url)
    for dataset, table in made:
        files[f"{DOWNLOAD_DIR}/{dataset.file}"] = csv_text(table.header, table.rows)
    sheets, when = [table for _, table in made], when or date(2020, 1, 1)
    # openpyxl is slow; the workbook is a function of its tables alone (their repr is exact)
    files[f"{DOWNLOAD_DIR}/{WORKBOOK}"] = memoised(cache, "workbook", (tables_digest(sheets), when.isoformat()), lambda: write_workbook(sheets, when))
    return files, [dataset for dataset, _ in made]
