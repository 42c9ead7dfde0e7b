"""English names as data: `content/english/`, read beside the records and checked against them.

The English edition (/en/) shows every record under an English name that staff can edit like any
other content. A record type declares which of its fields have English twins (`RecordType.english`);
`content/english/<folder>.yaml` holds one entry per record:

    - id: semiconductor
      en_source: editorial          # our translation: the page footer says so
      name: Semiconductors and Integrated Circuits Cluster
    - id: shenzhen-biopark
      en_source: official           # the plan's own English, cited like any fact
      name: Shenzhen BioPark
      citation: {plan: pingshan-15th, para: s3-1-2-p1, quote: 将深圳BioPark 打造成为}

`content/english/labels.yaml` names the fixed vocabularies (kinds of place, precision, levels …).
Plan texts stay Chinese. A record without an English name is a warning, not an error: the page
then shows the Chinese name, marked as Chinese.
"""

from __future__ import annotations

import re
from enum import Enum
from pathlib import Path

from pydantic import Field, create_model

from . import model
from .errors import AtlasError, Location, Problems, relative_path
from .model import Citation, Record, Slug, Text
from .records import REGISTRY, RecordType
from .yamlsource import LineDict, load_yaml

ENGLISH_DIR = "english"
LABELS_FILE = "labels.yaml"


class EnglishSource(str, Enum):
    official = "official"  # written in English by the plan itself; needs a citation
    editorial = "editorial"  # translated by the atlas's editors


class EnglishEntry(Record):
    """The English of one record; its translated fields are added per record type."""

    id: Slug
    en_source: EnglishSource
    citation: Citation | None = Field(default=None, description="for official names: where the plan writes them")

    def text(self, field_name: str) -> str | None:
        return getattr(self, field_name, None)


# The vocabularies whose values pages print, by the name staff write in labels.yaml.
VOCABULARIES: dict[str, type[Enum]] = {
    "PlanStatus": model.PlanStatus, "ClusterLevel": model.ClusterLevel, "PlaceKind": model.PlaceKind,
    "Precision": model.Precision, "IndicatorNature": model.IndicatorNature, "ProjectStage": model.ProjectStage,
    "DepartmentLevel": model.DepartmentLevel, "NoteStatus": model.NoteStatus,
}  # fmt: skip

_MODELS: dict[str, type[EnglishEntry]] = {}


def entry_model(record_type: RecordType) -> type[EnglishEntry]:
    """The entry model of a record type: `id`, `en_source`, `citation` and its English fields."""
    if record_type.name not in _MODELS:
        fields = {name: (Text | None, None) for name in record_type.english}
        name = f"English{record_type.model.__name__}"
        model = create_model(name, __base__=EnglishEntry, __module__=__name__, **fields)
        globals()[name] = model  # importable by name, so the load cache can pickle entries
        _MODELS[record_type.name] = model
    return _MODELS[record_type.name]


def translated_types() -> list[RecordType]:
    return [rt for rt in REGISTRY if rt.english]


def load_english(root: Path, problems: Problems, read_records) -> tuple[dict[str, dict[str, EnglishEntry]], dict]:
    """Every `content/english/` file: folder → id → entry, and the vocabulary labels.

    `read_records(path, model)` is the loader's own record reader (file:line for each entry).
    """
    folder = root / "content" / ENGLISH_DIR
    english: dict[str, dict[str, EnglishEntry]] = {rt.folder: {} for rt in translated_types()}
    if not folder.is_dir():
        return english, {}
    known = {rt.folder: rt for rt in translated_types()}
    for path in sorted(folder.glob("*.yaml")):
        shown = relative_path(path, root)
        if path.name == LABELS_FILE:
            continue
        record_type = known.get(path.stem)
        if record_type is None:
            problems.add(
                Location(shown),
                f"没有这类记录的英文名 (no record type '{path.stem}' has English names); "
                f"name the file after one of: {', '.join(sorted(known))}, or {LABELS_FILE}",
            )
            continue
        entries = english[record_type.folder]
        for entry in read_records(path, entry_model(record_type)):
            if entry.id in entries:
                problems.add(
                    entry.origin,
                    f"重复的英文名 (duplicate English entry for {record_type.name} '{entry.id}'), first at {entries[entry.id].origin}",
                )
            else:
                entries[entry.id] = entry
    return english, _load_labels(folder / LABELS_FILE, root, problems)


def _load_labels(path: Path, root: Path, problems: Problems) -> dict[tuple[str, str], str]:
    """(vocabulary, Chinese value) → English label."""
    if not path.exists():
        return {}
    shown = relative_path(path, root)
    try:
        data = load_yaml(path, shown)
    except AtlasError as exc:
        problems.extend(exc.problems)
        return {}
    if not isinstance(data, dict):
        problems.add(Location(shown, 1), "应为映射 (expected a mapping: vocabulary → {Chinese value: English label})")
        return {}
    labels = {}
    for vocabulary, values in data.items():
        line = data.key_lines.get(vocabulary, 1) if isinstance(data, LineDict) else 1
        enum = VOCABULARIES.get(vocabulary)
        if enum is None:
            problems.add(Location(shown, line), f"未知的词表 (unknown vocabulary) '{vocabulary}'; known: {', '.join(VOCABULARIES)}")
            continue
        if not isinstance(values, dict):
            problems.add(Location(shown, line), f"{vocabulary}: expected a mapping of its values to English labels")
            continue
        allowed = {member.value for member in enum}
        for value, label in values.items():
            at = Location(shown, values.key_lines.get(value, line) if isinstance(values, LineDict) else line)
            if value not in allowed:
                problems.add(at, f"{vocabulary}: '{value}' is not one of its values ({', '.join(sorted(allowed))})")
            elif not isinstance(label, str) or not label.strip():
                problems.add(at, f"{vocabulary}: '{value}' needs an English label (text)")
            else:
                labels[(vocabulary, value)] = label.strip()
    return labels


_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9&'-]*")


def validate_english(content, problems: Problems, check_citation) -> None:
    """Entries name known records and only fields the record has; official names are cited and the
    quote holds their Latin words; every record and vocabulary value without English is one warning."""
    for record_type in translated_types():
        records = {r.id: r for r in content.records[record_type.folder]}
        entries = content.english.get(record_type.folder, {})
        for entry in entries.values():
            record = records.get(entry.id)
            if record is None:  # unless its record's file did not parse, or the record was rejected: reported already
                if record_type.model not in content.unreadable and entry.id not in content.rejected.get(record_type.model, set()):
                    # A warning: a stale entry harms nothing, and a mistyped id also leaves its record in the missing list.
                    problems.warn(entry.origin, f"英文名对应的记录不存在 (English name for unknown {record_type.name} '{entry.id}'); "
                                  "remove the entry or correct its id")  # fmt: skip
                continue
            for field_name in record_type.english:
                if entry.text(field_name) is not None and getattr(record, field_name, None) is None:
                    problems.warn(  # stale, like an entry for a removed record
                        entry.origin_of(field_name),
                        f"{record_type.name} '{entry.id}' has no {field_name} to translate; remove {field_name} here",
                    )
            _check_source(entry, record_type, problems, check_citation)
        if record_type.model not in content.unreadable:
            _warn_missing(record_type, records, entries, problems)
    _warn_missing_labels(content, problems)


def _check_source(entry: EnglishEntry, record_type: RecordType, problems: Problems, check_citation) -> None:
    if entry.en_source is EnglishSource.editorial:
        if entry.citation is not None:
            problems.add(entry.origin_of("citation"), f"English '{entry.id}': an editorial name cites nothing; "
                         "remove citation, or set en_source: official if the plan writes this English")  # fmt: skip
        return
    if entry.citation is None:
        problems.add(entry.origin, f"English '{entry.id}': en_source official needs a citation {{plan, para, quote}} "
                     "where the plan writes the English; else set en_source: editorial")  # fmt: skip
        return
    check_citation(entry.citation, problems)
    words = {w.lower() for field_name in record_type.english for w in _LATIN.findall(entry.text(field_name) or "")}
    quoted = {w.lower() for w in _LATIN.findall(entry.citation.quote)}
    if not words & quoted:
        problems.add(entry.citation.origin, f"English '{entry.id}': the quote holds none of the English name's words; "
                     "quote the plan where it writes them, or set en_source: editorial")  # fmt: skip


def _warn_missing(record_type: RecordType, records: dict, entries: dict, problems: Problems) -> None:
    missing = []
    for record_id, record in records.items():
        entry = entries.get(record_id)
        lacking = [f for f in record_type.english if getattr(record, f, None) is not None and (entry is None or entry.text(f) is None)]
        if lacking:
            missing.append(record_id if entry is None else f"{record_id} ({', '.join(lacking)})")
    if missing:
        shown = f"content/{ENGLISH_DIR}/{record_type.folder}.yaml"
        problems.warn(
            Location(shown), f"{len(missing)} {record_type.folder} without English (shown in Chinese on /en/): {', '.join(missing)}"
        )


def _warn_missing_labels(content, problems: Problems) -> None:
    missing = [f"{name}: {m.value}" for name, enum in VOCABULARIES.items() for m in enum if (name, m.value) not in content.labels]
    if missing:
        problems.warn(Location(f"content/{ENGLISH_DIR}/{LABELS_FILE}"), f"{len(missing)} labels without English: {', '.join(missing)}")
