"""The record-type registry: one declaration per kind of record; every stage iterates it.

Order matters: it is the order records are loaded, validated, listed in downloads and searched.
To add a kind of record, write its model in `model.py`, its declaration in a module here, its
template in `templates/pages/`, and register it below (docs/extending.md walks through one).
"""

from __future__ import annotations

from collections.abc import Iterator

from . import cluster, department, district, indicator, note, place, plan, project, role, task
from .base import Column, RecordType, Sheet, Storage


class Registry:
    """The record types, in order. `register` checks a declaration on its own and against the
    others; `check` that every reference names a registered type (types may refer to each other)."""

    def __init__(self, types=()):
        self._types: list[RecordType] = []
        self._by_model: dict[type, RecordType] = {}
        for record_type in types:
            self.register(record_type)

    def register(self, record_type: RecordType) -> RecordType:
        for other in self._types:
            if other.name == record_type.name or other.folder == record_type.folder or other.model is record_type.model:
                raise ValueError(f"record type {record_type.name}: name, folder and model must differ from {other.name}'s")
        for field_name in record_type.references:
            if field_name not in record_type.model.model_fields:
                raise ValueError(f"record type {record_type.name}: reference field '{field_name}' is not in {record_type.model.__name__}")
        self._types.append(record_type)
        self._by_model[record_type.model] = record_type
        return record_type

    def check(self) -> None:
        names = {t.name for t in self._types}
        for record_type in self._types:
            for field_name, target in record_type.references.items():
                if target not in names:
                    raise ValueError(f"record type {record_type.name}: field '{field_name}' refers to unregistered type '{target}'")

    def unregister(self, name: str) -> None:
        self._types = [t for t in self._types if t.name != name]
        self._by_model = {t.model: t for t in self._types}

    def __iter__(self) -> Iterator[RecordType]:
        return iter(list(self._types))

    def __len__(self) -> int:
        return len(self._types)

    def named(self, name: str) -> RecordType:
        return next(t for t in self._types if t.name == name)

    def of(self, record) -> RecordType:
        """The declaration of a record's type."""
        return self._by_model[type(record)]


REGISTRY = Registry(
    [
        plan.TYPE,
        cluster.TYPE,
        place.TYPE,
        district.TYPE,
        role.TYPE,
        indicator.TYPE,
        project.TYPE,
        department.TYPE,
        task.TYPE,
        note.TYPE,
    ]
)
REGISTRY.check()

__all__ = ["REGISTRY", "Column", "RecordType", "Registry", "Sheet", "Storage"]
