"""English names as data (builder/english.py): loading content/english/ and its checks, in-process,
on the small every-field project of tests/hostile.py."""

from __future__ import annotations

import functools

import pytest

from builder.english import EnglishSource
from builder.errors import Problems
from builder.load import load_content
from builder.validate import validate
from hostile import make_project
from test_bad_input import line_number, replace_once

PLACES = "content/english/places.yaml"
edit = functools.partial(replace_once, unique=True)


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path / "project", "x")


def run(project) -> tuple[list[tuple[str, str]], list[tuple[str, str]], object]:
    problems = Problems()
    content = load_content(project, problems)
    validate(content, problems)
    as_pairs = lambda items: [(str(p.location), p.message) for p in items]  # noqa: E731
    return as_pairs(problems.items), as_pairs(problems.warnings), content


def test_every_record_of_the_small_project_has_its_english(project):
    errors, warnings, content = run(project)
    assert errors == [] and warnings == []
    assert content.english["places"]["park-x"].name == "Park x"
    assert content.english["places"]["park-x"].en_source is EnglishSource.editorial
    assert content.labels[("PlaceKind", "先进制造业园区")] == "Advanced manufacturing park"


def test_a_record_without_english_is_one_warning_listing_it(project):
    path = project / PLACES
    edit(path, "- id: point-x\n  en_source: editorial\n  name: Point x\n", "")
    edit(path, "  street: Street x\n", "")
    errors, warnings, _ = run(project)
    assert errors == []
    assert warnings == [(PLACES, "2 places without English (shown in Chinese on /en/): park-x (street), point-x")]


def test_english_for_an_unknown_record_is_a_warning_at_its_line(project):
    path = project / PLACES
    edit(path, "- id: point-x\n", "- id: point-y\n")
    errors, warnings, _ = run(project)
    assert errors == []
    assert warnings == [
        (f"{PLACES}:{line_number(path, '- id: point-y')}", "英文名对应的记录不存在 (English name for unknown place 'point-y'); remove the entry or correct its id"),
        (PLACES, "1 places without English (shown in Chinese on /en/): point-x"),
    ]


def test_a_duplicate_entry_names_both_lines(project):
    path = project / PLACES
    edit(path, "- id: point-x\n", "- id: park-x\n")
    errors, _, _ = run(project)
    first, second = line_number(path, "- id: park-x"), line_number(path, "- id: park-x", 2)
    assert (f"{PLACES}:{second}", f"重复的英文名 (duplicate English entry for place 'park-x'), first at {PLACES}:{first}") in errors


def test_a_field_the_record_lacks_and_an_unknown_field(project):
    path = project / PLACES
    edit(path, "  name: Point x\n", "  name: Point x\n  street: Nowhere\n")
    edit(path, "  name: District place x\n", "  name: District place x\n  colour: red\n")
    errors, warnings, _ = run(project)
    assert (f"{PLACES}:{line_number(path, 'street: Nowhere')}", "place 'point-x' has no street to translate; remove street here") in warnings
    assert any(loc == f"{PLACES}:{line_number(path, 'colour: red')}" and "colour" in msg and "Extra inputs" in msg for loc, msg in errors)


def test_en_source_is_required_and_checked(project):
    path = project / PLACES
    edit(path, "- id: point-x\n  en_source: editorial\n", "- id: point-x\n  en_source: machine\n")
    errors, _, _ = run(project)
    assert any(loc == f"{PLACES}:{line_number(path, 'en_source: machine')}" and "en_source" in msg for loc, msg in errors)


def test_an_official_name_needs_a_citation_holding_its_words(project):
    path = project / PLACES
    edit(path, "- id: point-x\n  en_source: editorial\n", "- id: point-x\n  en_source: official\n")
    errors, _, _ = run(project)
    assert errors == [(f"{PLACES}:{line_number(path, '- id: point-x')}",
                       "English 'point-x': en_source official needs a citation {plan, para, quote} where the plan writes the English; "
                       "else set en_source: editorial")]  # fmt: skip


def test_an_official_name_cited_verbatim(project):
    """The hostile plan's paragraph s1-p1 holds every text, "地点x" among them: the Latin "x" is the name's word."""
    path = project / PLACES
    edit(path, "- id: point-x\n  en_source: editorial\n", "- id: point-x\n  en_source: official\n  citation: {plan: hostile-plan, para: s1-p1, quote: 地点x}\n")
    errors, _, content = run(project)
    assert errors == []
    assert content.english["places"]["point-x"].en_source is EnglishSource.official


def test_an_official_quote_must_be_in_the_paragraph_and_hold_the_english(project):
    path = project / PLACES
    edit(path, "- id: point-x\n  en_source: editorial\n", "- id: point-x\n  en_source: official\n  citation: {plan: hostile-plan, para: s1-p1, quote: 地点}\n")
    edit(path, "- id: district-only-x\n  en_source: editorial\n",
         "- id: district-only-x\n  en_source: official\n  citation: {plan: hostile-plan, para: s1-p1, quote: Nowhere in the text}\n")  # fmt: skip
    errors, _, _ = run(project)
    point, district_only = line_number(path, "quote: 地点}"), line_number(path, "quote: Nowhere")
    assert (f"{PLACES}:{point}", "English 'point-x': the quote holds none of the English name's words; "
            "quote the plan where it writes them, or set en_source: editorial") in errors  # fmt: skip
    assert any(loc == f"{PLACES}:{district_only}" and msg.startswith("引文未在段落中找到 (quote not found verbatim") for loc, msg in errors)


def test_an_editorial_name_cites_nothing(project):
    path = project / PLACES
    edit(path, "- id: point-x\n  en_source: editorial\n", "- id: point-x\n  en_source: editorial\n  citation: {plan: hostile-plan, para: s1-p1, quote: 地点x}\n")
    errors, _, _ = run(project)
    assert errors == [(f"{PLACES}:{line_number(path, 'citation:')}", "English 'point-x': an editorial name cites nothing; "
                       "remove citation, or set en_source: official if the plan writes this English")]  # fmt: skip


def test_a_file_for_no_record_type(project):
    (project / "content/english/parks.yaml").write_text("- id: x\n  en_source: editorial\n  name: X\n", encoding="utf-8")
    errors, _, _ = run(project)
    assert errors == [("content/english/parks.yaml", "没有这类记录的英文名 (no record type 'parks' has English names); name the file "
                       "after one of: clusters, departments, districts, indicators, places, plans, projects, roles, tasks, or labels.yaml")]  # fmt: skip


def test_labels_are_checked_against_the_vocabularies(project):
    labels = project / "content/english/labels.yaml"
    text = labels.read_text(encoding="utf-8")
    text = text.replace("  更新单元: Urban renewal unit\n", "  更新单位: Urban renewal unit\n").replace("IndicatorNature:", "Natures:\n  x: y\nIndicatorNature:")
    labels.write_text(text.replace("  误报: False positive\n", ""), encoding="utf-8")
    errors, warnings, _ = run(project)
    wrong = [(loc, msg) for loc, msg in errors if "更新单位" in msg]
    assert len(wrong) == 1 and wrong[0][0] == f"content/english/labels.yaml:{line_number(labels, '更新单位')}"
    assert wrong[0][1].startswith("PlaceKind: '更新单位' is not one of its values (") and "更新单元" in wrong[0][1]
    assert any(loc == f"content/english/labels.yaml:{line_number(labels, 'Natures:')}" and "未知的词表 (unknown vocabulary) 'Natures'" in msg for loc, msg in errors)
    assert ("content/english/labels.yaml", "2 labels without English: PlaceKind: 更新单元, NoteStatus: 误报") in warnings


def test_a_project_without_content_english_builds_with_warnings_only(project):
    import shutil

    shutil.rmtree(project / "content/english")
    errors, warnings, content = run(project)
    assert errors == []
    assert content.english["places"] == {}
    assert any(loc == PLACES and msg.startswith("3 places without English") for loc, msg in warnings)


def test_english_for_records_of_a_file_that_did_not_parse_is_not_reported_again(project):
    edit(project / "content/clusters/clusters.yaml", "  focus: 重点x\n", "  focus: [重点x\n")
    errors, warnings, _ = run(project)
    assert len(errors) == 1 and errors[0][0].startswith("content/clusters/clusters.yaml:")
    assert not any(loc.startswith("content/english/clusters.yaml") for loc, _ in errors + warnings)
