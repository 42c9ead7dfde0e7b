"""What the English edition's search finds: every record under its English name.

One document per record of every searchable type (plan paragraphs stay in the Chinese index: plan
texts are Chinese), titled and described in English from `content/english/` through `EnglishText`.
Facets and URLs are the record's own Chinese document's (its type's `search=`), so both indexes
narrow alike; URLs are relative to the English root, where the index lives (`en/search/`).

So that Chinese queries still work and people can type a name as they say it, each record's
Chinese names are kept as aliases, each with its toneless pinyin (坪山区 → "坪山区 (pingshanqu)"):
a Latin term matches word starts in this index, so `pingshan` and `longgang` find them. The index
puts aliases right after the title and ranks a hit there right after title hits (`names_first`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable

from ..atlas import Atlas
from ..records import REGISTRY, RecordType
from ..render import english_format
from .document import SearchDocument

SEPARATOR = ", "  # between names in a list of an English body

TYPE_LABELS = {
    "plans": "Plan",
    "clusters": "Industry cluster",
    "places": "Park or area",
    "districts": "District",
    "roles": "Spatial role",
    "indicators": "Indicator",
    "projects": "Key project",
    "departments": "Department",
    "tasks": "Task",
}
"""The type of each record type's documents in results and the type facet; a type not listed
shows its declared English name."""

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def type_label(record_type: RecordType) -> str:
    return TYPE_LABELS.get(record_type.folder, record_type.name.capitalize())


_PINYIN: dict[str, str] = {}  # name → its pinyin, this process's; seeded from the build cache


def pinyin(name: str) -> str:
    """Toneless pinyin of the Chinese in `name`, one word per run of characters (龙岗西园区 →
    "longgangxiyuanqu"; "5G产业园（一期）" → "chanyeyuan yiqi"); "" when it holds no Chinese."""
    spoken = _PINYIN.get(name)
    if spoken is None:
        from pypinyin import lazy_pinyin  # loading its dictionaries is most of an English index's time

        spoken = _PINYIN[name] = " ".join("".join(lazy_pinyin(run)) for run in _HAN.findall(name))
    return spoken


class PinyinMemo:
    """Names' pinyin from the build cache while indexing, and the names indexed kept there after
    (pypinyin's version is in the key: another version may read a name otherwise)."""

    KIND = "pinyin"

    def __init__(self, cache):
        from importlib.metadata import version

        self.cache, self.key = cache, cache.key(self.KIND, version("pypinyin"))

    def __enter__(self) -> None:
        payload = self.cache.get(self.KIND, self.key)
        try:
            kept = json.loads(payload) if payload is not None else {}
        except ValueError:
            kept = {}
        if isinstance(kept, dict):
            _PINYIN.update((k, v) for k, v in kept.items() if isinstance(k, str) and isinstance(v, str))
        self.known = len(_PINYIN)  # names are only ever added

    def __exit__(self, *exc) -> None:
        if exc[0] is None and len(_PINYIN) != self.known:
            self.cache.put(self.KIND, self.key, json.dumps(_PINYIN, ensure_ascii=False, sort_keys=True).encode())
        self.cache.prune(self.KIND)


def alias(name: str) -> str:
    """A Chinese name as searched and shown on the English edition: with its pinyin."""
    spoken = pinyin(name)
    return f"{name} ({spoken})" if spoken else name


def build_english_documents(atlas: Atlas, en) -> list[SearchDocument]:
    """Every record's English document; `en` is the edition's `EnglishText`."""
    docs: list[SearchDocument] = []
    for record_type in REGISTRY:
        if record_type.search is None:
            continue
        describe = DESCRIBERS.get(record_type.folder, _generic)
        for record in atlas.records[record_type.folder].values():
            own = _own_document(record_type, atlas, record)
            if own is None:
                continue
            title, parts, names = describe(atlas, en, record)
            aliases = [alias(name) for name in dict.fromkeys(n for n in names if n)]
            facets = {**own.facets, "type": [type_label(record_type)]}
            body = " · ".join(part for part in parts if part)  # the aliases are indexed as names (`names_first`)
            docs.append(SearchDocument(type_label(record_type), title, body, own.url, facets, aliases=aliases))
    return docs


def _own_document(record_type: RecordType, atlas: Atlas, record) -> SearchDocument | None:
    """The record's own document in the Chinese index (a plan's comes before its paragraphs')."""
    url = record_type.url(record)
    first = None
    for doc in record_type.search(atlas, record):
        if doc.url == url:
            return doc
        first = first or doc
    return first


Described = tuple[str, list[str | None], list[str]]  # English title, English body parts, Chinese names


def _names(en, records: Iterable) -> str:
    return SEPARATOR.join(en.plain(r) for r in records)


def _plan(atlas: Atlas, en, plan) -> Described:
    period = en.text(plan, "period") or (english_format.period(plan.period) if plan.period else None)
    parts = [en.text(plan, "short_title"), en.text(plan, "issuer"), period, en.label(plan.status), en.text(plan, "summary")]
    return en.plain(plan, "title"), parts, [plan.title, plan.short_title]


def _cluster(atlas: Atlas, en, cluster) -> Described:
    hosts = atlas.places_by_cluster.get(cluster.id, [])
    owner = atlas.districts.get(cluster.district) if cluster.district else None
    # as in the Chinese index: a district cluster's title says whose it is
    title = f"{en.plain(cluster)} ({en.plain(owner)})" if owner else en.plain(cluster)
    parts = [en.label(cluster.level), en.text(cluster, "focus"), _names(en, hosts)]
    return title, parts, [cluster.name, *cluster.aliases]


def _place(atlas: Atlas, en, place) -> Described:
    district = atlas.districts.get(place.district)
    clusters = [atlas.clusters[c] for c in place.clusters if c in atlas.clusters]
    area = english_format.figure(place.area.as_written, place.area.unit) if place.area else None
    parts = [en.label(place.kind), en.plain(district) if district else None, _names(en, clusters), area, en.text(place, "street"),
             en.text(place, "description")]  # fmt: skip
    return en.plain(place), parts, [place.name, *place.aliases]


def _district(atlas: Atlas, en, district) -> Described:
    places = atlas.places_by_district.get(district.id, [])
    return en.plain(district), [_names(en, places)], [district.name, *district.aliases]


def _role(atlas: Atlas, en, role) -> Described:
    place = atlas.places.get(role.place) if role.place else None
    district = atlas.districts.get(role.district) if role.district else None
    where = en.plain(place) if place else (en.plain(district) if district else role.district)
    cluster = atlas.clusters.get(role.cluster)
    title = f"{where} · {en.plain(cluster) if cluster else role.cluster}: {en.plain(role, 'role')}"
    return title, [en.text(role, "function"), en.text(role, "pattern")], [role.role]


def _indicator(atlas: Atlas, en, indicator) -> Described:
    figures = []
    for label, figure in (("Baseline", indicator.base), ("Target", indicator.target), ("Actual", indicator.actual)):
        english = english_format.figure(figure.value, indicator.unit) if figure else None
        if english is not None:
            figures.append(f"{label}{f' {figure.year}' if figure.year else ''}: {english}")
    parts = [en.text(indicator, "group"), english_format.unit_label(indicator.unit), *figures]
    return en.plain(indicator), parts, [indicator.name]


def _project(atlas: Atlas, en, project) -> Described:
    place = atlas.places.get(project.place) if project.place else None
    investment = english_format.figure(project.investment) if project.investment else None
    return en.plain(project), [en.plain(place) if place else None, investment, en.text(project, "description")], [project.name]


def _department(atlas: Atlas, en, department) -> Described:
    return en.plain(department), [], [department.name, *department.aliases]


def _task(atlas: Atlas, en, task) -> Described:
    """A task under its English title (the Chinese one as its alias), its departments in English."""
    lead = [atlas.departments[d] for d in task.lead if d in atlas.departments]
    others = [atlas.departments[d] for d in task.departments if d in atlas.departments]
    parts = [f"Lead: {_names(en, lead)}" if lead else None, f"Responsible: {_names(en, others)}" if others else None]
    return en.plain(task), parts, [task.title] if en.text(task) is not None else []


def _generic(atlas: Atlas, en, record) -> Described:
    """A type without its own describer: its English fields, and its Chinese title as the alias."""
    record_type = REGISTRY.of(record)
    parts = [en.text(record, f) for f in record_type.english[1:]]
    return en.plain(record), parts, [record_type.title(record)]


DESCRIBERS: dict[str, Callable[[Atlas, object, object], Described]] = {
    "plans": _plan,
    "clusters": _cluster,
    "places": _place,
    "districts": _district,
    "roles": _role,
    "indicators": _indicator,
    "projects": _project,
    "departments": _department,
    "tasks": _task,
}
