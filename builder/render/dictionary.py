"""The data dictionary, generated from the models (`builder/model.py`) and the download sheets.

Staff document a field once, in its model's `description=`; the downloads page then lists, per
record type, every field with its type and meaning, and every column of its table.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from enum import Enum

from pydantic import BaseModel

from ..records import REGISTRY


@dataclass(frozen=True)
class FieldDoc:
    name: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class TypeDoc:
    name: str
    label: str
    summary: str
    fields: list[FieldDoc]
    columns: list[tuple[str, str]]  # (header, kind) of its download table
    file: str | None


def _type_name(annotation) -> str:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _type_name(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        names = [_type_name(a) for a in typing.get_args(annotation) if a is not type(None)]
        return " | ".join(names)
    if origin in (list, tuple):
        return f"{'列表' if origin is list else '元组'}[{', '.join(_type_name(a) for a in typing.get_args(annotation) if a is not Ellipsis)}]"
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "取值：" + " / ".join(str(m.value) for m in annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation.__name__
    return {str: "文本", int: "整数", float: "数值", bool: "是/否"}.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _summary(model: type[BaseModel]) -> str:
    return (model.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")


def data_dictionary(datasets) -> list[TypeDoc]:
    columns = {d.name: (d.columns, d.file) for d in datasets}
    docs = []
    for record_type in REGISTRY:
        fields = [
            FieldDoc(name, _type_name(info.annotation), info.is_required(), info.description or "")
            for name, info in record_type.model.model_fields.items()
        ]
        table, file = columns.get(record_type.name, ([], None))
        docs.append(TypeDoc(record_type.name, record_type.label, _summary(record_type.model), fields, table, file))
    return docs
