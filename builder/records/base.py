"""What a record type declares: everything each stage needs to know about one kind of record.

Like Pelican's readers (one class per file kind, found through a registry) and Datasette's
`register_facet_classes`, a kind of record is declared once, in `builder/records/<kind>.py`, and
loading, validation, the joined Atlas, URLs, pages, search and downloads all iterate the registry
(`builder/records/__init__.py`). See docs/extending.md for adding one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any

from ..model import Cited

if TYPE_CHECKING:  # the declarations are read by every stage; they import none of them
    from ..atlas import Atlas
    from ..errors import Problems
    from ..render.pages import PageRenderer
    from ..search.document import SearchDocument
    from ..validate import Checker


class Storage(str, Enum):
    """How records of a type are laid out under `content/`."""

    lists = "lists"  # content/<folder>/*.yaml, each a list of records
    one_per_folder = "one_per_folder"  # content/<folder>/<id>/<folder singular>.yaml, one mapping each
    single_file = "single_file"  # content/<folder>.yaml, one list


@dataclass(frozen=True)
class Column:
    """One column of a download table, in both editions.

    The Chinese table has `header` and `value`. The English one (`en/downloads/`) has `en` as its
    header and `english(atlas, en, record)` as its value, `en` being the English edition's
    `EnglishText` (names, labels); without `english` the Chinese value is used (ids, numbers, dates,
    text that stays Chinese: its `en` then ends in `_zh`). `zh` names a column the English table adds
    right after this one, holding the Chinese value: `name` (English) beside `name_zh` (as the plan
    writes it). `about` describes the column in the English data dictionary.
    """

    header: str
    value: Callable[["Atlas", Any], Any]
    kind: str = "text"  # text, number or date: how spreadsheets type the cell
    en: str | None = None  # English header (None: the Chinese one, and the tests complain)
    about: str = ""
    english: Callable[["Atlas", Any, Any], Any] | None = None  # (atlas, EnglishText, record) → value
    zh: str | None = None  # header of the Chinese value beside it in the English table


@dataclass(frozen=True)
class Sheet:
    """A download table: one row per record, a CSV file and a sheet of the workbook, in Chinese and
    again in English (`en_label`: the English sheet's name; `en_about`: what a row is, in English)."""

    file: str
    columns: tuple[Column, ...]
    en_label: str | None = None
    en_about: str = ""


@dataclass(frozen=True)
class RecordType:
    name: str  # singular English name: references, messages ("unknown place")
    model: type[Cited]  # every record cites: its model derives from Cited, each quote is checked verbatim
    folder: str  # content/<folder>…, the Atlas attribute, the key in downloads/atlas.json
    noun: str  # Chinese noun for messages: 地点
    label: str  # Chinese label of the type in search results and facets: 园区与地点
    storage: Storage = Storage.lists
    title: Callable[[Any], str] = lambda record: record.name  # heading and page title
    describe: Callable[["Atlas", Any], str] | None = None  # one sentence for the page's meta description
    unique_within: str | None = None  # ids unique per value of this field (None: across the type)
    references: dict[str, str] = field(default_factory=dict)  # field → type name it refers to
    quoted: tuple[str, ...] = ()  # fields (a.b for nested) whose value must appear in one of the record's quotes
    # Pages: a record type with a section has a page per record at <section>/<id>/ from `template`.
    section: str | None = None
    template: str | None = None
    page_context: Callable[["PageRenderer", Any, str], dict] | None = None  # (renderer, record, page path)
    anchor: Callable[[Any], str] | None = None  # URL of records without a page of their own
    checks: tuple[Callable[[Any, "Checker", "Problems"], None], ...] = ()  # rules beyond references
    search: Callable[["Atlas", Any], Iterable["SearchDocument"]] | None = None
    sheet: Sheet | None = None
    english: tuple[str, ...] = ()  # fields with an English twin in content/english/<folder>.yaml (the first names it)

    def __post_init__(self):
        if not issubclass(self.model, Cited):
            raise ValueError(f"record type {self.name}: its model must derive from Cited (every fact is cited)")
        if (self.section is None) == (self.anchor is None):
            raise ValueError(f"record type {self.name}: give either a section (own pages) or an anchor")
        if self.section and not self.template:
            raise ValueError(f"record type {self.name}: a section needs a template")

    def url(self, record) -> str:
        """Site-relative URL of a record: its own page (directory URL), or its anchor elsewhere."""
        return f"{self.section}/{record.id}/" if self.section else self.anchor(record)

    def page_path(self, record) -> str:
        return f"{self.section}/{record.id}/index.md"
