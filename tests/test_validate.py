"""builder.validate on its own, in-process, on the small every-field project of tests/hostile.py.

The checks that need all records at once: unique ids, references, citations, quoted values. Each
expected line is found in the fixture text; each message is checked whole, since the message is
what tells a person what to fix.
"""

from __future__ import annotations

import functools

import pytest

from builder.errors import Problems
from builder.load import load_content
from builder.model import Cluster, Plan
from builder.validate import _hint, _shorten, validate
from hostile import make_project
from test_bad_input import line_number, replace_once

PLACES = "content/places/places.yaml"
CLUSTERS = "content/clusters/clusters.yaml"
edit = functools.partial(replace_once, unique=True)  # each fixture edit names one place in the file


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path / "project", "x")


def check(project) -> list[tuple[str, str]]:
    problems = Problems()
    content = load_content(project, problems)
    validate(content, problems)
    return [(str(p.location), p.message) for p in problems.items]




def test_the_small_project_is_valid(project):
    assert check(project) == []


def test_an_unknown_reference_in_a_list_names_the_item_line_and_the_known_ids(project):
    edit(project / PLACES, "  clusters:\n  - district-x\n", "  clusters:\n  - district-y\n")
    assert check(project) == [
        (f"{PLACES}:{line_number(project / PLACES, '  - district-y', whole=True)}",
         "Place 'park-x': clusters: 未知的产业集群 (unknown cluster) 'district-y'; known: city-x, district-x"),
    ]  # fmt: skip


def test_an_unknown_reference_in_a_field_names_the_field_line(project):
    edit(project / PLACES, "- id: point-x\n  name: 地点x\n  kind: 园区\n  district: longgang\n",
         "- id: point-x\n  name: 地点x\n  kind: 园区\n  district: longgan\n")  # fmt: skip
    assert check(project) == [
        (f"{PLACES}:{line_number(project / PLACES, '  district: longgan', whole=True)}",
         "Place 'point-x': district: 未知的行政区 (unknown district) 'longgan'; known: longgang, pingshan"),
    ]  # fmt: skip


def test_a_reference_to_a_record_that_failed_its_shape_is_not_reported_again(project):
    edit(project / CLUSTERS, "  level: district-cluster\n", "  level: street-cluster\n")  # district-x is rejected
    problems = check(project)
    assert len(problems) == 1 and problems[0][1].startswith("Cluster 'district-x': level: ")


def test_references_to_a_type_whose_file_did_not_parse_are_not_reported(project):
    edit(project / CLUSTERS, "  focus: 重点x\n", "  focus: [重点x\n")
    problems = check(project)
    assert len(problems) == 1 and problems[0][0].startswith(f"{CLUSTERS}:")


def test_hint_lists_few_ids_and_suggests_close_ones_among_many():
    assert _hint("x", []) == "none defined"
    assert _hint("b", ["a", "c"]) == "known: a, c"
    twelve = [f"id-{n:02}" for n in range(12)]
    assert _hint("x", twelve) == "known: " + ", ".join(twelve)
    many = [f"cluster-{word}" for word in "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu".split()]
    hint = _hint("cluster-gama", many)
    assert hint.startswith("did you mean cluster-gamma, ") and hint.endswith("? (13 known, see the files of that type)")
    assert _hint("zzzz", many) == "(13 known, see the files of that type)"
    assert _hint("cluster-gamma-x", [f"zz{n}" for n in range(13)] + ["cluster-gamma"]).startswith("did you mean cluster-gamma? ")
    # difflib's default cutoff (0.6) would miss a half-right id: 0.5 keeps it
    assert _hint("abcdefghij", ["abcdefxxxxx"] + [f"q{n:02}" for n in range(13)]).startswith("did you mean abcdefxxxxx? ")
    similar = [f"lg-network-{n}" for n in range(20)]
    assert _hint("lg-network-1x", similar).startswith("did you mean lg-network-1, ")
    assert _hint("lg-network-1x", similar).split("?")[0].count(",") == 4  # five suggestions at most


def test_a_duplicate_id_names_the_first_definition(project):
    path = project / PLACES
    text = path.read_text("utf-8")
    first_record = text[: text.index("- id: point-x")]
    path.write_text(text + first_record, "utf-8")
    first, second = line_number(project / PLACES, "- id: park-x"), line_number(project / PLACES, "- id: park-x", 2)
    assert check(project) == [
        (f"{PLACES}:{second}", f"重复的 id (duplicate place id) 'park-x', first defined at {PLACES}:{first}; ids must be unique"),
    ]


def test_the_same_id_in_two_record_types_is_allowed(project):
    edit(project / "content/departments/departments.yaml", "- id: department-x\n", "- id: park-x\n")
    edit(project / "content/tasks/tasks.yaml", "  lead:\n  - department-x\n  departments:\n  - department-x\n",
         "  lead:\n  - park-x\n  departments:\n  - park-x\n")  # fmt: skip
    assert check(project) == []


def test_a_citation_of_an_unknown_plan(project):
    edit(project / PLACES, "  - plan: hostile-plan\n    para: s1-p1\n    quote: 街道x\n", "  - plan: no-plan\n    para: s1-p1\n    quote: 街道x\n")
    assert check(project) == [
        (f"{PLACES}:{line_number(project / PLACES, '  - plan: no-plan', whole=True)}", "引用了未知的规划 (citation names unknown plan) 'no-plan'"),
    ]


def test_a_citation_of_a_plan_that_could_not_be_read_is_not_reported_again(project):
    edit(project / "content/plans/hostile-plan/plan.yaml", "status: 正式印发\n", "status: 草稿\n")
    problems = check(project)
    assert [p for p in problems if "unknown plan" in p[1]] == []
    assert problems[0][1].startswith("Plan 'hostile-plan': status: ")


def test_a_citation_of_a_missing_paragraph(project):
    edit(project / PLACES, "    para: s1-p1\n    quote: 街道x\n", "    para: s9-p9\n    quote: 街道x\n")
    assert check(project) == [
        (f"{PLACES}:{line_number(project / PLACES, '    para: s9-p9', whole=True) - 1}",
         "引用的段落不存在 (no paragraph '#s9-p9' in content/plans/hostile-plan/text.md)"),
    ]  # fmt: skip


def test_a_quote_not_in_the_cited_paragraph_names_the_paragraph_line(project):
    edit(project / PLACES, "    para: s1-p1\n    quote: 街道x\n", "    para: s1-1-p1\n    quote: 街道x\n")  # it is in s1-p1
    text_md = "content/plans/hostile-plan/text.md"
    paragraph = line_number(project / text_md, "第二段：章x")
    assert check(project) == [
        (f"{PLACES}:{line_number(project / PLACES, '    para: s1-1-p1', whole=True) - 1}",
         f"引文未在段落中找到 (quote not found verbatim in {text_md}:{paragraph} #s1-1-p1): “街道x” — copy it exactly from the cleaned text"),
    ]  # fmt: skip


def test_a_quote_matches_across_the_markup_the_text_may_carry(project):
    """`plain()` on both sides: a <br> in the text reads as a space, and so may the quote's."""
    edit(project / "content/plans/hostile-plan/plan.yaml", "  para: cover\n  quote: 规划x\n", "  para: cover\n  quote: 规划x  发文x\n")
    assert check(project) == []


def test_a_plan_whose_text_is_unreadable_is_reported_once_at_the_file(project):
    (project / "content/plans/hostile-plan/text.md").write_bytes(b"\xff\xfe\x00broken")
    problems = check(project)
    assert len(problems) == 1 and problems[0][0].startswith("content/plans/hostile-plan/text.md")


def test_a_quoted_field_must_be_in_the_quotes(project):
    edit(project / PLACES, "  street: 街道x\n", "  street: 另一条街道x\n")
    assert check(project) == [
        (f"{PLACES}:{line_number(project / PLACES, '- id: park-x')}",
         "Place 'park-x': street “另一条街道x” is in none of its quotes; add a citation that quotes it, or write "
         "the value exactly as the text has it"),
    ]  # fmt: skip


def test_a_nested_quoted_field_and_long_values_are_shortened(project):
    long = "约" + "三" * 50 + "平方公里x"
    edit(project / PLACES, "    as_written: 约30平方公里x\n", f"    as_written: {long}\n")
    [(location, message)] = check(project)
    assert location == f"{PLACES}:{line_number(project / PLACES, '- id: park-x')}"
    assert message.startswith(f"Place 'park-x': area.as_written “{long[:39]}…” is in none of its quotes")


def test_an_absent_optional_quoted_field_needs_no_quote(project):
    edit(project / PLACES, "  street: 街道x\n", "")
    assert check(project) == []


def test_shorten():
    assert _shorten("a" * 40) == "a" * 40
    assert _shorten("a" * 41) == "a" * 39 + "…"
    assert _shorten("abcdef", 4) == "abc…"


def test_models_in_the_excuse_sets_are_the_ones_load_rejected(project):
    edit(project / CLUSTERS, "  level: district-cluster\n", "  level: street-cluster\n")
    problems = Problems()
    content = load_content(project, problems)
    assert content.rejected == {Cluster: {"district-x"}} and Plan not in content.unreadable


# --- a new version of a plan: citations of changed paragraphs are flagged until confirmed ---------


def _new_version(project, checked=None, versions=1):
    """The current text.md changes one paragraph; versions/1 (and 2) keep the earlier texts."""
    plan_dir = project / "content/plans/hostile-plan"
    old = (plan_dir / "text.md").read_text("utf-8")
    entries = []
    for number in range(1, versions + 1):
        (plan_dir / f"versions/{number}").mkdir(parents=True)
        (plan_dir / f"versions/{number}/text.md").write_text(old.replace("第二段：章x", f"第二段：章x（第{number}稿）"), "utf-8")
        entries.append(f"- label: 第{number}稿\n  text: versions/{number}/text.md\n" + (f"  citations_checked: {checked}\n" if checked is not None and number == versions else ""))
    (plan_dir / "versions.yaml").write_text("current: 正式稿\nprevious:\n" + "".join(entries), "utf-8")


def warnings(project):
    problems = Problems()
    validate(load_content(project, problems), problems)
    assert not problems.items, problems.items
    return [(str(w.location), w.message) for w in problems.warnings]


def test_a_citation_of_a_changed_paragraph_is_flagged_at_its_line(project):
    path = project / CLUSTERS
    path.write_text(path.read_text("utf-8").replace("    para: s1-p1\n    quote: 区集群x\n", "    para: s1-1-p1\n    quote: 章x\n"), "utf-8")
    _new_version(project)
    assert warnings(project) == [
        (f"{CLUSTERS}:{line_number(project / CLUSTERS, '    para: s1-1-p1', whole=True) - 1}",
         "引用的段落在新版本中有改动 (paragraph #s1-1-p1 changed since 第1稿): confirm the quote still says what the "
         "record states, then set citations_checked: true in content/plans/hostile-plan/versions.yaml"),
    ]  # fmt: skip


def test_the_latest_earlier_version_is_the_one_compared_and_confirming_it_ends_the_warning(project):
    path = project / CLUSTERS
    path.write_text(path.read_text("utf-8").replace("    para: s1-p1\n    quote: 区集群x\n", "    para: s1-1-p1\n    quote: 章x\n"), "utf-8")
    _new_version(project, versions=2)
    assert [m.split("since ")[1][:3] for _, m in warnings(project)] == ["第2稿"]
    (project / "content/plans/hostile-plan/versions.yaml").write_text(
        (project / "content/plans/hostile-plan/versions.yaml").read_text("utf-8") + "  citations_checked: true\n", "utf-8"
    )
    assert warnings(project) == []


def test_citations_of_unchanged_paragraphs_are_not_flagged(project):
    _new_version(project)
    assert warnings(project) == []  # every citation is of s1-p1 or cover, which did not change


# --- Checker.known: what a record type's own checks rely on ------------------------------------


def test_known_answers_and_reports_once(project):
    from builder.validate import Checker

    problems = Problems()
    content = load_content(project, problems)
    checker = Checker(content)
    park = content.places[0]
    assert checker.known(None, "cluster", park, problems) is True  # nothing named
    assert checker.known("city-x", "cluster", park, problems) is True
    assert not problems.items
    assert checker.known("nope", "cluster", park, problems) is False
    assert [(str(p.location), p.message) for p in problems.items] == [
        (str(park.origin), "Place 'park-x': 未知的产业集群 (unknown cluster) 'nope'; known: city-x, district-x"),
    ]  # without a field name: the record's line, no field in the message
    content.rejected[Cluster] = {"gone"}
    assert Checker(content).known("gone", "cluster", park, problems) is False and len(problems) == 1


# --- a place's geometry against its precision and its plan (records/place.py) --------------------


def test_precision_and_geometry_ref_must_agree(project):
    edit(project / PLACES, "  kind: 其他\n  district: pingshan\n", "  kind: 其他\n  district: pingshan\n  geometry:\n    ref: park-x\n    precision: 仅区级\n")
    edit(project / PLACES, "  geometry:\n    ref: point-x\n    precision: 近似位置\n", "  geometry:\n    precision: 近似位置\n")
    problems = check(project)
    assert problems == [
        (f"{PLACES}:{line_number(project / PLACES, '    precision: 近似位置', whole=True)}", "Place 'point-x': precision 近似位置 needs a geometry ref in geo/places/"),
        (f"{PLACES}:{line_number(project / PLACES, '    ref: park-x', 2, whole=True)}", "Place 'district-only-x': precision 仅区级 takes no geometry ref (remove ref: park-x)"),
    ]


def test_a_geometry_ref_that_no_file_has(project):
    edit(project / PLACES, "    ref: point-x\n", "    ref: point-y\n")
    assert check(project) == [
        (f"{PLACES}:{line_number(project / PLACES, '    ref: point-y', whole=True)}", "Place 'point-x': geometry 'point-y' not found in geo/places/*.geojson"),
    ]


def test_a_missing_shape_is_not_reported_when_a_geometry_file_did_not_parse(project):
    edit(project / PLACES, "    ref: point-x\n", "    ref: point-y\n")
    (project / "geo/places/broken.geojson").write_text("{oops\n", "utf-8")
    problems = check(project)
    assert [location for location, _ in problems] == ["geo/places/broken.geojson:1"]


def test_a_drawn_area_far_from_the_plans_is_reported_at_the_shape(project):
    edit(project / PLACES, "    as_written: 约30平方公里x\n    value: 30\n", "    as_written: 约30平方公里x\n    value: 300\n")
    [(location, message)] = check(project)
    assert location == f"geo/places/hostile.geojson:{2}"
    assert message.startswith("面积与规划不符 (drawn area of 'park-x' is ") and "the plan says 约30平方公里x ≈ 300.00 km²" in message


def test_every_quoted_field_is_checked_even_after_an_absent_one(project):
    """Place quotes `area.as_written` then `street`: no area must not end the check."""
    edit(project / PLACES, "  area:\n    as_written: 约30平方公里x\n    value: 30\n    unit: 平方公里\n", "")
    edit(project / PLACES, "  street: 街道x\n", "  street: 没有引用的街道\n")
    [(location, message)] = check(project)
    assert message.startswith("Place 'park-x': street “没有引用的街道” is in none of its quotes")


def test_every_citation_of_a_record_is_checked(project):
    edit(project / PLACES, "  - plan: hostile-plan\n    para: s1-p1\n    quote: 园区x\n", "  - plan: no-plan\n    para: s1-p1\n    quote: 园区x\n")
    edit(project / PLACES, "    para: s1-p1\n    quote: 约30平方公里x\n", "    para: s9-p9\n    quote: 约30平方公里x\n")
    edit(project / PLACES, "    para: s1-p1\n    quote: 街道x\n", "    para: s1-p1\n    quote: 别的街道x\n")
    messages = [message.split(" (")[0] for _, message in check(project)]
    assert messages[:3] == ["引用了未知的规划", "引用的段落不存在", "引文未在段落中找到"], messages


def test_ids_unique_within_a_field_when_a_type_declares_it(project, monkeypatch):
    """`unique_within` (docs/extending.md): the same id may repeat under different values of the field."""
    import dataclasses

    from builder.records import REGISTRY

    place_type = next(t for t in REGISTRY if t.name == "place")
    monkeypatch.setattr(REGISTRY, "_types", [dataclasses.replace(t, unique_within="district") if t is place_type else t for t in REGISTRY])
    edit(project / PLACES, "- id: district-only-x\n", "- id: park-x\n")  # park-x again, in pingshan
    assert [p for p in check(project) if "duplicate" in p[1]] == []
    edit(project / PLACES, "  district: pingshan\n", "  district: longgang\n")  # now in the same district
    first, second = line_number(project / PLACES, "- id: park-x"), line_number(project / PLACES, "- id: park-x", 2)
    duplicates = [p for p in check(project) if "duplicate" in p[1]]
    assert duplicates == [
        (f"{PLACES}:{second}", f"重复的 id (duplicate place id) 'park-x' within district 'longgang', first defined at {PLACES}:{first}; ids must be unique"),
    ]
