"""Read YAML while remembering the line of every mapping and key.

PyYAML's safe loader forgets where values came from; error messages need `file:line`. We keep the
standard loader and only subclass its mapping/sequence constructors to return `dict`/`list`
subclasses that carry line numbers — the smallest change that gives precise messages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import AtlasError, Location


class LineDict(dict):
    """A mapping that knows its own line and the line of each of its keys."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list):
    """A sequence that knows the line of each of its items."""

    line: int = 0
    item_lines: list[int]


class DuplicateKey(yaml.MarkedYAMLError):
    """The same key twice in one mapping: YAML would silently keep only the last value."""


# libyaml's parser when PyYAML has it (several times faster); the constructors below are Python either way.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_Base):
    def construct_mapping(self, node, deep=False):  # type: ignore[override]
        first_line: dict = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            line = key_node.start_mark.line + 1
            if key_node.value in first_line:
                raise DuplicateKey(
                    problem=f"重复的键 (duplicate key) '{key_node.value}', first at line {first_line[key_node.value]}; "
                    "keep one of them (YAML would silently use the last)",
                    problem_mark=key_node.start_mark,
                )
            first_line[key_node.value] = line
        mapping = LineDict(super().construct_mapping(node, deep=True))
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {
            key_node.value: key_node.start_mark.line + 1
            for key_node, _ in node.value
            if isinstance(key_node, yaml.ScalarNode)
        }
        return mapping

    def construct_sequence(self, node, deep=False):  # type: ignore[override]
        sequence = LineList(super().construct_sequence(node, deep=True))
        sequence.line = node.start_mark.line + 1
        sequence.item_lines = [item.start_mark.line + 1 for item in node.value]
        return sequence


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _LineLoader.construct_sequence)
# Dates such as 2022-06-01 stay strings: the model decides how to read them.
_LineLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in _Base.yaml_implicit_resolvers.items()
}


def load_yaml(path: Path, shown_as: str) -> Any:
    """Parse one YAML file; a syntax error becomes an AtlasError at the offending line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        location, message = not_utf8(path, shown_as, exc)
        raise AtlasError(message, location) from None
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except DuplicateKey as exc:
        raise AtlasError(exc.problem, Location(shown_as, exc.problem_mark.line + 1)) from None
    except yaml.MarkedYAMLError as exc:
        line, context = _syntax_error_place(exc)
        what = exc.problem or "invalid YAML"
        raise AtlasError(
            f"YAML 语法错误 (YAML syntax error): {what}{context}; check indentation, colons and quotes",
            Location(shown_as, line),
        ) from None
    except yaml.YAMLError as exc:
        raise AtlasError(f"YAML 语法错误 (YAML syntax error): {exc}", Location(shown_as)) from None


def _syntax_error_place(exc: yaml.MarkedYAMLError) -> tuple[int, str]:
    """The line to show for a syntax error, and a note on the other line the parser names.

    An unclosed bracket or quote is noticed only on a later line; the mistake is where the
    bracket or quote was opened (the parser's context mark), so that line is shown. For other
    errors (bad indentation) the line where the parser stopped is the one to fix.
    """
    problem, context = exc.problem_mark, exc.context_mark
    if not (context and problem and exc.context and context.line != problem.line):
        mark = problem or context
        return (mark.line + 1 if mark else 0), f" ({exc.context})" if exc.context else ""
    if exc.context.startswith(("while scanning a quoted", "while parsing a flow")):
        return context.line + 1, f" ({exc.context} opened on this line, not closed before line {problem.line + 1})"
    return problem.line + 1, f" ({exc.context} that starts at line {context.line + 1})"


def line_of(container: Any, key: str | int | None = None) -> int:
    """Best known line for `container[key]`, falling back to the container's own line."""
    if key is not None:
        if isinstance(container, LineDict) and isinstance(key, str) and key in container.key_lines:
            return container.key_lines[key]
        if isinstance(container, LineList) and isinstance(key, int) and 0 <= key < len(container.item_lines):
            return container.item_lines[key]
    return getattr(container, "line", 0)


def not_utf8(path: Path, shown_as: str, exc: UnicodeDecodeError) -> tuple[Location, str]:
    """Where and what is wrong with a file that is not UTF-8, and how to fix it."""
    data = path.read_bytes()
    line = 1 if _is_binary(data) else data[: exc.start].count(b"\n") + 1
    return Location(shown_as, line), _not_utf8_message(data, exc)


def _is_binary(data: bytes) -> bool:
    return b"\x00" in data[:4096]


def _not_utf8_message(data: bytes, exc: UnicodeDecodeError) -> str:
    if _is_binary(data):
        return (
            "文件不是文本 (file is binary, not UTF-8 text): perhaps a .docx or .pdf saved under this name; "
            "import the document with `atlas import` instead"
        )
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return f"文件不是 UTF-8 编码 (file is not UTF-8: {exc.reason} at byte {exc.start}); save it as UTF-8"
    return (
        "文件不是 UTF-8 编码，看来是 GBK/GB18030 (file is GBK/GB18030, not UTF-8): re-import the document with "
        "`atlas import`, which converts GBK, or save the file as UTF-8"
    )
