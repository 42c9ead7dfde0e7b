"""Stage 1 — load: read every content and geometry file, keeping `file:line` for each record.

Loading checks only what one file can tell (YAML syntax, record shape). All problems are collected;
validation (stage 2) then sees the complete, typed picture.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import geometry
from .english import load_english
from .errors import AtlasError, Location, Problems, relative_path
from .model import Cited, Plan
from .plantext import PlanText, read_plan_text
from .records import REGISTRY, RecordType, Storage
from .versions import read_versions
from .yamlsource import LineDict, LineList, line_of, load_yaml


@dataclass
class Content:
    """Everything read from `content/` and `geo/`, typed but not yet cross-checked.

    `records` holds each record type's records under its folder name; `content.places` and the
    like read from it.
    """

    root: Path
    records: dict[str, list] = field(default_factory=lambda: {rt.folder: [] for rt in REGISTRY})
    texts: dict[str, PlanText] = field(default_factory=dict)
    district_shapes: dict[str, geometry.Shape] = field(default_factory=dict)
    place_shapes: dict[str, geometry.Shape] = field(default_factory=dict)
    # What could not be read, so validation does not also report references to it as unknown:
    unreadable: set[type] = field(default_factory=set)  # models with a file that did not parse
    rejected: dict[type, set[str]] = field(default_factory=dict)  # model → ids of records that failed their shape
    place_geometry_incomplete: bool = False  # a geo/places file did not parse
    versions: dict[str, tuple[str | None, list]] = field(default_factory=dict)  # plan id → (current label, earlier Versions)
    english: dict[str, dict] = field(default_factory=dict)  # folder → id → EnglishEntry (content/english/)
    labels: dict[tuple[str, str], str] = field(default_factory=dict)  # (vocabulary, value) → English

    def __getattr__(self, name: str):
        records = self.__dict__.get("records", {})
        if name in records:
            return records[name]
        raise AttributeError(name)


def record_files(content_dir: Path, record_type: RecordType) -> list[Path]:
    """The YAML files holding records of one type, in a stable order."""
    folder = content_dir / record_type.folder
    if record_type.storage is Storage.one_per_folder:
        return sorted(folder.glob(f"*/{record_type.name}.yaml"))
    if record_type.storage is Storage.single_file:
        single = content_dir / f"{record_type.folder}.yaml"
        return [single] if single.exists() else []
    return sorted(folder.glob("*.yaml"))


def load_content(root: Path, problems: Problems, cache=None) -> Content:
    """Read the project at `root`; problems are added to `problems`, never raised.

    With a `BuildCache`, a record file whose bytes were read before without a problem is not
    parsed and validated again: its records are unpickled from the cache, whose entries are signed
    with this machine's key (`cache.py`), so only this machine's own builds could have written them.
    """
    content = Content(root=root)
    content_dir = root / "content"
    if not content_dir.is_dir():
        problems.add(Location("content/"), "内容目录不存在 (content directory missing)")
        return content

    for record_type in REGISTRY:
        single = record_type.storage is Storage.one_per_folder
        for path in record_files(content_dir, record_type):
            records = _cached_records(path, record_type.model, root, problems, content, single, cache)
            content.records[record_type.folder].extend(records)
            if record_type.model is Plan:  # a plan's cleaned text (and earlier versions) live beside its plan.yaml
                for plan in records:
                    text_path = path.parent / "text.md"
                    content.texts[plan.id] = read_plan_text(text_path, relative_path(text_path, root), problems)
                    current, earlier = read_versions(path.parent, root, problems)
                    if earlier:
                        content.versions[plan.id] = (current, earlier)
    content.english, content.labels = load_english(
        root, problems, lambda path, entry_model: _cached_records(path, entry_model, root, problems, content, False, cache)
    )
    _load_geometry(root, content, problems)
    if cache is not None:
        cache.prune(_RECORDS)
    return content


_RECORDS = "records"


def _cached_records(path: Path, model: type[Cited], root: Path, problems: Problems, content: Content, single: bool, cache) -> list:
    if cache is None:
        return _read_records(path, model, root, problems, content, single=single)
    key = cache.key(_RECORDS, model.__name__, relative_path(path, root), str(single), path.read_bytes())
    cached = cache.get(_RECORDS, key)
    if cached is not None:
        return pickle.loads(cached)  # noqa: S301 - an entry this machine signed (see load_content)
    seen, rejected = Problems(), len(content.rejected.get(model, ()))
    records = _read_records(path, model, root, seen, content, single=single)
    problems.extend(seen)
    clean = not seen.items and not seen.warnings and len(content.rejected.get(model, ())) == rejected
    if clean and model not in content.unreadable:
        cache.put(_RECORDS, key, pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL))
    return records


def _load_geometry(root: Path, content: Content, problems: Problems) -> None:
    geo_dir = root / "geo"
    districts_geo = geo_dir / "districts.geojson"
    if districts_geo.exists():
        content.district_shapes = geometry.read_features(districts_geo, relative_path(districts_geo, root), problems) or {}
    elif content.districts:
        problems.add(Location("geo/districts.geojson"), "行政区边界文件缺失 (district boundaries missing): see geo/README.md")
    schematic = geo_dir / "districts-schematic.geojson"  # districts the source lacks, drawn schematically
    if schematic.exists():
        for feature_id, shape in (geometry.read_features(schematic, relative_path(schematic, root), problems) or {}).items():
            if feature_id in content.district_shapes:
                problems.add(shape.location, f"重复的行政区几何 (district '{feature_id}' is also in geo/districts.geojson)")
            else:
                content.district_shapes[feature_id] = shape
    for path in sorted(geo_dir.glob("places/*.geojson")):
        shapes = geometry.read_features(path, relative_path(path, root), problems)
        if shapes is None:
            content.place_geometry_incomplete = True  # skip "geometry not found" checks
            continue
        for feature_id, shape in shapes.items():
            if feature_id in content.place_shapes:
                problems.add(
                    shape.location,
                    f"重复的几何 id (duplicate geometry id) '{feature_id}', also in {content.place_shapes[feature_id].location}",
                )
            else:
                content.place_shapes[feature_id] = shape


def _read_records(path: Path, model: type[Cited], root: Path, problems: Problems, content: Content, single: bool = False) -> list:
    shown = relative_path(path, root)
    try:
        data = load_yaml(path, shown)
    except AtlasError as exc:
        problems.extend(exc.problems)
        content.unreadable.add(model)
        return []
    if data is None or data == []:
        problems.warn(Location(shown), f"文件中没有记录 (file holds no {model.__name__} records): fill it in or delete it")
        return []
    # The reader's LineDict and LineList know their lines; a YAML tag such as !!omap gives a plain list.
    if single:
        if not isinstance(data, dict):
            problems.add(Location(shown, 1), f"应为一个映射 (expected a mapping of {model.__name__} fields)")
            return []
        items, lines = [data], [getattr(data, "line", 1)]
    else:
        if not isinstance(data, list):
            problems.add(Location(shown, 1), f"应为列表 (expected a list of {model.__name__} records, each starting with '- id:')")
            return []
        items, lines = data, getattr(data, "item_lines", [1] * len(data))
    records = []
    for raw, line in zip(items, lines):
        record = _build(model, raw, shown, line, problems)
        if record is not None:
            records.append(record)
        elif isinstance(raw, dict) and isinstance(raw.get("id"), str):
            content.rejected.setdefault(model, set()).add(raw["id"])
    return records


def _build(model: type[BaseModel], raw: Any, shown: str, line: int, problems: Problems):
    if not isinstance(raw, dict):
        problems.add(Location(shown, line), f"应为映射 (expected a {model.__name__} mapping with fields like 'id:')")
        return None
    try:
        record = model.model_validate(raw)
    except ValidationError as exc:
        label = raw.get("id", "?")
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"]) or "record"
            problems.add(
                Location(shown, _line_at(raw, error["loc"], line)),
                f"{model.__name__} '{label}': {where}: {error['msg']}",
            )
        return None
    _attach_sources(record, raw, shown, line)
    return record


def _line_at(raw: Any, loc: tuple, fallback: int) -> int:
    """Follow a pydantic error path through the line-aware YAML to the deepest known line."""
    best, node = fallback, raw
    for part in loc:
        if isinstance(node, (LineDict, LineList)):
            best = line_of(node, part) or best
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
    return best


def _attach_sources(record: BaseModel, raw: Any, shown: str, line: int) -> None:
    """Give every nested record (citations, geometry refs) its own `file:line`."""
    record._origin = Location(shown, getattr(raw, "line", line) or line)  # type: ignore[attr-defined]
    for name in type(record).model_fields:
        value = getattr(record, name)
        raw_value = raw.get(name) if isinstance(raw, dict) else None
        if isinstance(raw, LineDict) and name in raw.key_lines:
            record._field_lines[name] = raw.key_lines[name]
            if isinstance(raw_value, LineList):
                for index, item_line in enumerate(raw_value.item_lines):
                    record._field_lines[(name, index)] = item_line
        if isinstance(value, BaseModel) and isinstance(raw_value, dict):
            _attach_sources(value, raw_value, shown, line_of(raw, name))
        elif isinstance(value, BaseModel):
            value._origin = Location(shown, line_of(raw, name) or line)  # type: ignore[attr-defined]
        elif isinstance(value, list) and isinstance(raw_value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    _attach_sources(item, raw_value[index], shown, line_of(raw_value, index))
