"""The YAML reader on its own: the line of every key and item, and precise `file:line` errors.

Expected lines are found in the fixture text itself (`_line`), never taken from the tool's output.
Written after a mutation run (docs/testing.md) showed most of this module's edits went unnoticed.
"""

from __future__ import annotations

import pytest

from builder.errors import AtlasError
from builder.yamlsource import LineDict, LineList, line_of, load_yaml


def _line(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth line of `text` that contains `needle`."""
    hits = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[nth - 1]


def _where(error: AtlasError):
    """The one location an error names."""
    (problem,) = list(error.problems)
    return problem.location


def _write(tmp_path, text: str, name: str = "records.yaml", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


NESTED = """\
# a comment line
plan: longgang-14th
places:
  - id: park-a
    name: 园区甲
    area:
      value: 30
      unit: 平方公里
  - id: park-b
    name: 园区乙
date: 2022-06-01
"""


def test_every_mapping_key_and_sequence_item_knows_its_line(tmp_path):
    data = load_yaml(_write(tmp_path, NESTED), "content/x.yaml")
    assert isinstance(data, LineDict) and data.line == _line(NESTED, "plan:")
    assert data.key_lines == {"plan": _line(NESTED, "plan:"), "places": _line(NESTED, "places:"), "date": _line(NESTED, "date:")}
    places = data["places"]
    assert isinstance(places, LineList)
    assert places.line == _line(NESTED, "- id: park-a")
    assert places.item_lines == [_line(NESTED, "- id: park-a"), _line(NESTED, "- id: park-b")]
    second = places[1]
    assert second.line == _line(NESTED, "- id: park-b")
    assert second.key_lines == {"id": _line(NESTED, "park-b"), "name": _line(NESTED, "园区乙")}
    area = places[0]["area"]
    assert area.line == _line(NESTED, "value: 30") and area.key_lines["unit"] == _line(NESTED, "unit:")
    assert area == {"value": 30, "unit": "平方公里"}


def test_dates_stay_strings_for_the_model_to_read(tmp_path):
    assert load_yaml(_write(tmp_path, NESTED), "x.yaml")["date"] == "2022-06-01"


def test_line_of_falls_back_to_the_container_line(tmp_path):
    data = load_yaml(_write(tmp_path, NESTED), "x.yaml")
    places = data["places"]
    assert line_of(data, "places") == _line(NESTED, "places:")
    assert line_of(data, "missing") == data.line
    assert line_of(data) == data.line
    assert line_of(places, 1) == _line(NESTED, "- id: park-b")
    assert line_of(places, 2) == places.line  # past the end
    assert line_of(places, -1) == places.line  # never counted from the end
    assert line_of(data, 0) == data.line  # an index into a mapping
    assert line_of(places, "id") == places.line  # a key into a sequence
    assert line_of({"plain": 1}, "plain") == 0
    assert line_of(None) == 0


DUPLICATE = """\
id: park-a
name: 园区甲
kind: 园区
name: 园区乙
"""


def test_a_duplicate_key_is_reported_at_the_second_with_the_first_named(tmp_path):
    with pytest.raises(AtlasError) as caught:
        load_yaml(_write(tmp_path, DUPLICATE), "content/places/a.yaml")
    error = caught.value
    assert (_where(error).file, _where(error).line) == ("content/places/a.yaml", _line(DUPLICATE, "name:", 2))
    assert f"'name', first at line {_line(DUPLICATE, 'name:')}" in str(error)


def test_a_duplicate_key_in_a_nested_mapping_is_found_too(tmp_path):
    text = "places:\n  - id: a\n    id: b\n"
    with pytest.raises(AtlasError) as caught:
        load_yaml(_write(tmp_path, text), "x.yaml")
    assert _where(caught.value).line == 3 and "first at line 2" in str(caught.value)


@pytest.mark.parametrize(
    "text,opened_on",
    [
        ('id: a\nname: "园区甲\nkind: 园区\nnote: x\n', 2),  # a quote opened and never closed
        ("id: a\nclusters: [semiconductor,\n  new-energy\nkind: 园区\n", 2),  # a bracket opened and never closed
    ],
)
def test_an_unclosed_quote_or_bracket_is_reported_where_it_was_opened(tmp_path, text, opened_on):
    with pytest.raises(AtlasError) as caught:
        load_yaml(_write(tmp_path, text), "x.yaml")
    assert _where(caught.value).line == opened_on
    assert "opened on this line" in str(caught.value)
    assert "YAML 语法错误" in str(caught.value)


def test_bad_indentation_is_reported_where_the_parser_stopped(tmp_path):
    text = "id: a\nname: 园区甲\n  kind: 园区\n"
    with pytest.raises(AtlasError) as caught:
        load_yaml(_write(tmp_path, text), "x.yaml")
    assert _where(caught.value).line == _line(text, "kind:")
    assert "check indentation" in str(caught.value)


def test_gbk_text_is_named_as_gbk_at_the_line_of_its_first_non_utf8_byte(tmp_path):
    text = "id: a\nkind: park\nname: 园区甲\n"
    with pytest.raises(AtlasError) as caught:
        load_yaml(_write(tmp_path, text, encoding="gbk"), "content/a.yaml")
    assert (_where(caught.value).file, _where(caught.value).line) == ("content/a.yaml", 3)
    assert "GBK/GB18030" in str(caught.value) and "atlas import" in str(caught.value)


def test_a_binary_file_is_named_as_binary_at_line_one(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"PK\x03\x04\x00\x00\n\n\xff\xfe binary")
    with pytest.raises(AtlasError) as caught:
        load_yaml(path, "a.yaml")
    assert _where(caught.value).line == 1
    assert "file is binary" in str(caught.value)


def test_bytes_that_are_neither_utf8_nor_gbk_are_named_with_their_offset(tmp_path):
    data = b"id: a\nname: \xff\xff\n"
    path = tmp_path / "a.yaml"
    path.write_bytes(data)
    with pytest.raises(AtlasError) as caught:
        load_yaml(path, "a.yaml")
    assert _where(caught.value).line == 2
    offset = data.index(b"\xff")
    assert f"at byte {offset}" in str(caught.value) and "save it as UTF-8" in str(caught.value)


# --- whole messages: the message is what tells a person what to fix -------------------------


def _message(error: AtlasError) -> str:
    (problem,) = list(error.problems)
    return problem.message


def test_the_whole_duplicate_key_message(tmp_path):
    with pytest.raises(AtlasError) as caught:
        load_yaml(_write(tmp_path, DUPLICATE), "a.yaml")
    assert _message(caught.value) == (
        "重复的键 (duplicate key) 'name', first at line 2; keep one of them (YAML would silently use the last)"
    )


def test_a_complex_key_does_not_stop_the_duplicate_check(tmp_path):
    text = "? [a, b]\n: 1\nx: 1\nx: 2\n"
    with pytest.raises(AtlasError) as caught:
        load_yaml(_write(tmp_path, text), "a.yaml")
    assert _where(caught.value).line == 4 and "'x', first at line 3" in _message(caught.value)


def test_the_whole_binary_gbk_and_undecodable_messages(tmp_path):
    binary = tmp_path / "b.yaml"
    binary.write_bytes(b"PK\x03\x04\x00\x00\xff")
    with pytest.raises(AtlasError) as caught:
        load_yaml(binary, "b.yaml")
    assert _message(caught.value) == (
        "文件不是文本 (file is binary, not UTF-8 text): perhaps a .docx or .pdf saved under this name; "
        "import the document with `atlas import` instead"
    )
    with pytest.raises(AtlasError) as caught:
        load_yaml(_write(tmp_path, "name: 园区甲\n", encoding="gbk"), "g.yaml")
    assert _message(caught.value) == (
        "文件不是 UTF-8 编码，看来是 GBK/GB18030 (file is GBK/GB18030, not UTF-8): re-import the document with "
        "`atlas import`, which converts GBK, or save the file as UTF-8"
    )
    bad = tmp_path / "x.yaml"
    bad.write_bytes(b"id: a\nname: \xff\xff\n")
    with pytest.raises(AtlasError) as caught:
        load_yaml(bad, "x.yaml")
    assert _message(caught.value) == "文件不是 UTF-8 编码 (file is not UTF-8: invalid start byte at byte 12); save it as UTF-8"


def test_only_the_first_4_kib_decide_whether_a_file_is_binary(tmp_path):
    """A NUL after the first 4096 bytes is a text file with a bad byte, reported at its line."""
    path = tmp_path / "late.yaml"
    path.write_bytes(b"#" * 4095 + b"\n" + b"\x00\xff\n")
    with pytest.raises(AtlasError) as caught:
        load_yaml(path, "late.yaml")
    assert "file is binary" not in _message(caught.value) and _where(caught.value).line == 2
    path.write_bytes(b"#" * 4095 + b"\x00\xff\n")
    with pytest.raises(AtlasError) as caught:
        load_yaml(path, "late.yaml")
    assert "file is binary" in _message(caught.value) and _where(caught.value).line == 1


def test_the_first_item_of_a_list_has_its_own_line(tmp_path):
    text = "clusters: [\n  semiconductor,\n  new-energy]\n"  # the list opens a line before its first item
    data = load_yaml(_write(tmp_path, text), "x.yaml")
    assert line_of(data["clusters"], 0) == _line(text, "semiconductor") == 2 and data["clusters"].line == 1


def test_a_syntax_error_names_the_file_it_was_shown_as(tmp_path):
    with pytest.raises(AtlasError) as caught:
        load_yaml(_write(tmp_path, "id: a\nname: 园区甲\n  kind: 园区\n"), "content/places/a.yaml")
    assert _where(caught.value).file == "content/places/a.yaml"
    assert _message(caught.value).startswith("YAML 语法错误 (YAML syntax error): ")
    assert _message(caught.value).endswith("; check indentation, colons and quotes")


# --- the parser's marks, as PyYAML may hand them over ----------------------------------------


def _mark(line: int):
    import yaml

    return yaml.Mark("x.yaml", 0, line - 1, 0, None, None)


@pytest.mark.parametrize(
    "context, context_line, problem, problem_line, expected_line, expected_note",
    [
        (None, None, "found a tab", 3, 3, ""),  # the problem's mark alone
        ("while parsing a block mapping", None, "expected <block end>", 5, 5, " (while parsing a block mapping)"),
        ("while parsing a block mapping", 2, "expected <block end>", 2, 2, " (while parsing a block mapping)"),  # same line
        ("while scanning a quoted scalar", 2, "found unexpected end of stream", 9, 2,
         " (while scanning a quoted scalar opened on this line, not closed before line 9)"),
        ("while parsing a flow sequence", 4, "expected ',' or ']'", 7, 4,
         " (while parsing a flow sequence opened on this line, not closed before line 7)"),
        ("while parsing a block mapping", 1, "expected <block end>", 6, 6,
         " (while parsing a block mapping that starts at line 1)"),
        (None, None, None, None, 0, ""),  # no marks at all
        ("while parsing", 3, None, None, 3, " (while parsing)"),  # the context's mark alone
    ],
)  # fmt: skip
def test_where_a_syntax_error_is_shown(tmp_path, monkeypatch, context, context_line, problem, problem_line, expected_line, expected_note):
    import yaml

    error = yaml.MarkedYAMLError(
        context=context, context_mark=_mark(context_line) if context_line else None,
        problem=problem, problem_mark=_mark(problem_line) if problem_line else None,
    )  # fmt: skip

    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(yaml, "load", fail)
    with pytest.raises(AtlasError) as caught:
        load_yaml(_write(tmp_path, "id: a\n"), "x.yaml")
    assert _where(caught.value).line == expected_line
    assert _message(caught.value) == (
        f"YAML 语法错误 (YAML syntax error): {problem or 'invalid YAML'}{expected_note}; check indentation, colons and quotes"
    )


def test_a_yaml_error_without_marks_names_the_file(tmp_path, monkeypatch):
    import yaml

    def fail(*args, **kwargs):
        raise yaml.YAMLError("the stream could not be read")

    monkeypatch.setattr(yaml, "load", fail)
    with pytest.raises(AtlasError) as caught:
        load_yaml(_write(tmp_path, "id: a\n"), "content/a.yaml")
    assert (_where(caught.value).file, _where(caught.value).line) == ("content/a.yaml", 0)
    assert _message(caught.value) == "YAML 语法错误 (YAML syntax error): the stream could not be read"
