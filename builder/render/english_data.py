"""The English edition's data: every download again with English headers and names
(`en/downloads/`), its data dictionary, and the compare view's data (`compare.en.json`).

Each record type's `Sheet` declares both tables: a `Column` has its Chinese header and value, and
its English header (`en`), value (`english`, from `EnglishText`: names, labels) and description
(`about`); `zh` adds the Chinese value beside the English (`name` and `name_zh`). Names without an
English yet stay Chinese there, and `en_source` says whose English a record's name is. Figures keep
the plan's words in their `*_as_written` column, beside the numbers of the Chinese tables; quotes
stay Chinese (`quote_zh`). The Chinese downloads (`downloads.py`) are not touched by any of this.

The files are functions of the atlas alone, so builds are reproducible: the CSV and JSON text is
ordered as the registry and the records are, and the workbook is dated like the Chinese one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from ..atlas import Atlas
from ..cache import BuildCache, memoised
from ..model import Precision
from ..records import REGISTRY, RecordType
from .compare import COMPARE_EN_URL, compare_data_en
from .downloads import districts_geojson, json_text, places_geojson
from .english_pages import PREFIX, EnglishText, english_url
from .spreadsheet import csv_text
from .workbook import Table, tables_digest, write_workbook

EN_DOWNLOAD_DIR = f"{PREFIX}downloads"
WORKBOOK = "atlas.xlsx"
DICTIONARY = "dictionary.csv"
CREATOR = "Shenzhen Industrial Policy Atlas build"
ZH_ABOUT = "The same in the original Chinese"


@dataclass(frozen=True)
class EnglishColumn:
    header: str
    kind: str  # text, number or date
    about: str
    chinese: str  # the header of the Chinese table's column it comes from ("" for columns only English has)


SOURCE = EnglishColumn(
    "en_source", "text",
    "Whose English the record's name is: official = the plan's own English (cited); editorial = the atlas's translation; "
    "empty = no English yet (the name columns hold the Chinese)", "",
)  # fmt: skip
CITATION = (
    EnglishColumn("source", "text", "Link to the plan paragraph the row is cited from (the plan's full text, in Chinese)", "出处"),
    EnglishColumn("quote_zh", "text", "The plan's words the row rests on, quoted verbatim in Chinese", "引文"),
)


@dataclass(frozen=True)
class EnglishDataset:
    """One English table, for the English downloads page and its data dictionary."""

    name: str  # record type name
    label: str  # English label (the workbook's sheet)
    label_zh: str
    about: str
    file: str
    records: int
    columns: list[EnglishColumn]


def english_columns(record_type: RecordType) -> list[EnglishColumn]:
    """The English table's columns, from the type's sheet: each column, its Chinese twin if it has
    one, `en_source` for types with English names, and the citation."""
    result = []
    for column in record_type.sheet.columns:
        result.append(EnglishColumn(column.en or column.header, column.kind, column.about, column.header))
        if column.zh:
            result.append(EnglishColumn(column.zh, column.kind, ZH_ABOUT, column.header))
    if record_type.english:
        result.append(SOURCE)
    return result + list(CITATION)


def _name_source(en: EnglishText, record_type: RecordType, record) -> str:
    entry = en.entry(record)
    return entry.en_source.value if entry is not None and entry.text(record_type.english[0]) is not None else ""


def english_values(atlas: Atlas, en: EnglishText, record_type: RecordType, record) -> list:
    """A record's row of the English table, without the citation."""
    row = []
    for column in record_type.sheet.columns:
        chinese = column.value(atlas, record)
        value = column.english(atlas, en, record) if column.english else chinese
        row.append("" if value is None and column.kind == "text" else value)
        if column.zh:
            row.append(chinese)
    if record_type.english:
        row.append(_name_source(en, record_type, record))
    return row


def english_tables(atlas: Atlas, en: EnglishText, site_url: str = "") -> list[tuple[EnglishDataset, Table]]:
    result = []
    for record_type in REGISTRY:
        if record_type.sheet is None:
            continue
        columns = english_columns(record_type)
        rows = []
        for record in atlas.records[record_type.folder].values():
            citation = atlas.cite(record.citations[0])
            rows.append(english_values(atlas, en, record_type, record) + [site_url + citation.url, citation.quote])
        sheet = record_type.sheet
        label = sheet.en_label or record_type.name
        dataset = EnglishDataset(record_type.name, label, record_type.label, sheet.en_about, sheet.file, len(rows), columns)
        result.append((dataset, Table(label, [c.header for c in columns], [c.kind for c in columns], rows)))
    return result


def _json_value(value):
    return value.isoformat() if isinstance(value, date) else value


def english_json(atlas: Atlas, tables: list[tuple[EnglishDataset, Table]], site_url: str = "") -> str:
    """Every English table as records: folder → [{column: value}], numbers as numbers, dates as
    ISO text, and every citation of the record (the tables carry the first) in place of the last two columns."""
    data = {}
    for dataset, table in tables:
        record_type = REGISTRY.named(dataset.name)
        header = table.header[: -len(CITATION)]
        records = []
        for row, record in zip(table.rows, atlas.records[record_type.folder].values()):
            item = {h: _json_value(v) for h, v in zip(header, row)}
            item["citations"] = [
                {"plan": c.plan, "paragraph": c.para, "url": site_url + atlas.cite(c).url, "quote_zh": c.quote} for c in record.citations
            ]
            records.append(item)
        data[record_type.folder] = records
    return json_text(data)


def _collection(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"


def places_geojson_en(atlas: Atlas, en: EnglishText, site_url: str = "") -> str:
    """`places.geojson` with English names and labels (the Chinese beside them) and English page URLs."""
    data = json.loads(places_geojson(atlas, site_url))
    for feature in data["features"]:
        place = atlas.places[feature["id"]]
        district = atlas.districts.get(place.district)
        chinese = feature["properties"]
        feature["properties"] = {
            "id": place.id, "name": en.plain(place), "name_zh": place.name, "kind": en.label(place.kind), "district": place.district,
            "district_name": en.plain(district) if district else "", "district_name_zh": chinese["district_name"],
            "clusters": chinese["clusters"], "precision": en.label(place.geometry.precision), "basis_zh": chinese["basis"],
            "url": site_url + english_url(place),
        }  # fmt: skip
    return _collection(data)


def districts_geojson_en(atlas: Atlas, en: EnglishText, site_url: str = "") -> str:
    """`districts.geojson` with English names (the Chinese beside them) and English page URLs."""
    data = json.loads(districts_geojson(atlas, site_url))
    precisions = {p.value: p for p in Precision}
    for feature in data["features"]:
        district = atlas.districts[feature["id"]]
        chinese = feature["properties"]
        properties = {"id": district.id, "name": en.plain(district), "name_zh": district.name, "url": site_url + english_url(district)}
        if "basis" in chinese:
            precision = chinese.get("precision")
            properties.update(precision=en.label(precisions[precision]) if precision in precisions else precision, basis_zh=chinese["basis"])
        feature["properties"] = properties
    return _collection(data)


def dictionary_csv(datasets: list[EnglishDataset]) -> str:
    """The data dictionary as a table: one row per column of every English table."""
    rows = [[d.file, c.header, c.kind, c.about, c.chinese] for d in datasets for c in d.columns]
    return csv_text(["file", "column", "type", "description", "chinese_column"], rows)


def build_english_downloads(atlas: Atlas, en: EnglishText, site_url: str = "", when: date | None = None,
                            cache: BuildCache | None = None) -> tuple[dict[str, str | bytes], list[EnglishDataset]]:  # fmt: skip
    """The English files to add to the site (path → text or bytes), and the datasets they hold."""
    made = english_tables(atlas, en, site_url)
    datasets = [dataset for dataset, _ in made]
    files: dict[str, str | bytes] = {
        f"{EN_DOWNLOAD_DIR}/atlas.json": english_json(atlas, made, site_url),
        f"{EN_DOWNLOAD_DIR}/places.geojson": places_geojson_en(atlas, en, site_url),
        f"{EN_DOWNLOAD_DIR}/districts.geojson": districts_geojson_en(atlas, en, site_url),
        f"{EN_DOWNLOAD_DIR}/{DICTIONARY}": dictionary_csv(datasets),
    }
    for dataset, table in made:
        files[f"{EN_DOWNLOAD_DIR}/{dataset.file}"] = csv_text(table.header, table.rows)
    sheets, when = [table for _, table in made], when or date(2020, 1, 1)
    # its own cache kind: an entry of a kind is all the cache keeps of it (the Chinese workbook has "workbook")
    files[f"{EN_DOWNLOAD_DIR}/{WORKBOOK}"] = memoised(
        cache, "workbook-en", (tables_digest(sheets), when.isoformat()), lambda: write_workbook(sheets, when, CREATOR)
    )
    return files, datasets


def _size(content: str | bytes) -> str:
    size = len(content if isinstance(content, bytes) else content.encode())
    return f"{size / 1024:.0f} KB"


def english_downloads(renderer) -> dict:
    """Adds the English downloads to the site; the English downloads page's context."""
    files, datasets = build_english_downloads(renderer.atlas, renderer.english, renderer.site_url, renderer.build_date, renderer.cache)
    for path, content in files.items():
        renderer.files.add(path, content, "the English data downloads")
    sizes = {path.rsplit("/", 1)[1]: _size(content) for path, content in files.items()}
    official = sum(1 for entries in renderer.atlas.english.values() for e in entries.values() if e.en_source.value == "official")
    return {"sizes": sizes, "datasets": datasets, "dictionary_file": DICTIONARY, "official_names": official}


def english_compare(renderer) -> dict:
    """Adds the compare view's English data to the site; the English compare page's context."""
    renderer.files.add(COMPARE_EN_URL, compare_data_en(renderer.atlas, renderer.english), "the English compare view's data")
    return {"compare_data": COMPARE_EN_URL}
