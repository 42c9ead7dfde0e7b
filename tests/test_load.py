"""builder.load on its own, in-process, on the small every-field project of tests/hostile.py.

Each expected `file:line` is found in the fixture text the test wrote, never taken from the tool.
Fast enough (milliseconds a case) to be the mutation run's tests for load.py (docs/testing.md).
"""

from __future__ import annotations

import functools

import pytest

from builder.cache import BuildCache
from builder.errors import Problems
from builder.load import Content, load_content, record_files
from builder.model import Place, Plan
from builder.records import REGISTRY
from hostile import make_project
from test_bad_input import line_number, replace_once

PLACES = "content/places/places.yaml"
edit = functools.partial(replace_once, unique=True)  # each fixture edit names one place in the file


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path / "project", "x")


def load(project):
    problems = Problems()
    content = load_content(project, problems)
    return content, [(str(p.location), p.message) for p in problems.items], [(str(w.location), w.message) for w in problems.warnings]




def test_the_small_project_loads_every_record_type_with_its_lines(project):
    content, errors, warnings = load(project)
    assert errors == [] and warnings == []
    assert {rt.folder: len(content.records[rt.folder]) for rt in REGISTRY if content.records[rt.folder]} == {
        "plans": 1, "clusters": 2, "places": 3, "districts": 2, "indicators": 1, "projects": 1, "departments": 1,
        "tasks": 1, "roles": 1,
    }  # fmt: skip
    assert content.places is content.records["places"]
    park = content.places[0]
    assert str(park.origin) == f"{PLACES}:{line_number(project / PLACES, '- id: park-x')}"
    # nested records and fields keep their own lines
    assert park.geometry.origin.line == line_number(project / PLACES, "    ref: park-x")  # where its mapping starts
    assert [c.origin.line for c in park.citations] == [line_number(project / PLACES, "  - plan: hostile-plan", n) for n in (1, 2, 3)]
    assert park.origin_of("clusters", 0).line == line_number(project / PLACES, "  - district-x")
    assert park.origin_of("street").line == line_number(project / PLACES, "  street:")
    assert park.origin_of("no_such_field") == park.origin
    # the plan's text and the geometry come with it
    assert content.texts["hostile-plan"].by_anchor["s1-1-p1"].text == "第二段：章x"
    assert sorted(content.district_shapes) == ["longgang", "pingshan"]
    assert sorted(content.place_shapes) == ["park-x", "point-x"]
    assert content.unreadable == set() and content.rejected == {} and not content.place_geometry_incomplete


def test_unknown_attributes_are_attribute_errors(project):
    content, _, _ = load(project)
    with pytest.raises(AttributeError):
        content.no_such_records  # noqa: B018
    assert Content(root=project).places == []


def test_record_files_follow_each_storage(project):
    by_name = {rt.name: rt for rt in REGISTRY}
    content_dir = project / "content"
    assert record_files(content_dir, by_name["plan"]) == [content_dir / "plans/hostile-plan/plan.yaml"]
    assert record_files(content_dir, by_name["district"]) == [content_dir / "districts.yaml"]
    (content_dir / "places/b.yaml").write_text("", "utf-8")
    (content_dir / "places/a.yaml").write_text("", "utf-8")
    assert [p.name for p in record_files(content_dir, by_name["place"])] == ["a.yaml", "b.yaml", "places.yaml"]
    (content_dir / "districts.yaml").unlink()
    assert record_files(content_dir, by_name["district"]) == []


def test_no_content_directory(tmp_path):
    content, errors, _ = load(tmp_path)
    assert errors == [("content/", "内容目录不存在 (content directory missing)")]
    assert content.places == []


def test_a_file_that_does_not_parse_marks_its_type_unreadable_and_the_rest_loads(project):
    edit(project / PLACES, "  street: 街道x\n", "  street: [街道x\n")
    content, errors, _ = load(project)
    assert len(errors) == 1 and errors[0][0] == f"{PLACES}:{line_number(project / PLACES, 'street: [')}"
    assert Place in content.unreadable and content.places == []
    assert len(content.clusters) == 2


def test_an_empty_file_is_a_warning(project):
    (project / "content/places/empty.yaml").write_text("# nothing yet\n", "utf-8")
    (project / "content/places/list.yaml").write_text("[]\n", "utf-8")
    content, errors, warnings = load(project)
    assert errors == []
    message = "文件中没有记录 (file holds no Place records): fill it in or delete it"
    assert warnings == [("content/places/empty.yaml", message), ("content/places/list.yaml", message)]
    assert len(content.places) == 3


def test_a_record_file_that_is_not_a_list(project):
    (project / "content/places/map.yaml").write_text("id: x\nname: y\n", "utf-8")
    _, errors, _ = load(project)
    assert errors == [("content/places/map.yaml:1", "应为列表 (expected a list of Place records, each starting with '- id:')")]


def test_a_plan_file_that_is_not_a_mapping(project):
    (project / "content/plans/hostile-plan/plan.yaml").write_text("- id: hostile-plan\n", "utf-8")
    content, errors, _ = load(project)
    assert ("content/plans/hostile-plan/plan.yaml:1", "应为一个映射 (expected a mapping of Plan fields)") in errors
    assert content.plans == []


def test_an_item_that_is_not_a_mapping_is_reported_at_its_line(project):
    path = project / PLACES
    path.write_text(path.read_text("utf-8") + "- just text\n", "utf-8")
    content, errors, _ = load(project)
    line = line_number(project / PLACES, "- just text")
    assert errors == [(f"{PLACES}:{line}", "应为映射 (expected a Place mapping with fields like 'id:')")]
    assert len(content.places) == 3


@pytest.mark.parametrize(
    "old, new, needle, where",
    [
        ("    precision: 示意范围\n", "    precision: 大概\n", "    precision: 大概", "geometry.precision"),
        ("  kind: 先进制造业园区\n", "  kind: 工业园\n", "  kind: 工业园", "kind"),
        ("    quote: 街道x\n", "    quote: ''\n", "    quote: ''", "citations.2.quote"),
        ("  street: 街道x\n", "  street: 街道x\n  streat: 街道x\n", "  streat:", "streat"),
    ],
)
def test_a_schema_error_is_reported_at_the_line_of_its_field(project, old, new, needle, where):
    edit(project / PLACES, old, new)
    content, errors, _ = load(project)
    assert len(errors) == 1, errors
    location, message = errors[0]
    assert location == f"{PLACES}:{line_number(project / PLACES, needle)}"
    assert message.startswith(f"Place 'park-x': {where}: ")
    assert content.rejected == {Place: {"park-x"}} and [p.id for p in content.places] == ["point-x", "district-only-x"]


def test_a_missing_field_is_reported_at_the_record_and_every_error_is_listed(project):
    edit(project / PLACES, "  name: 园区x\n  kind: 先进制造业园区\n", "  kind: 工业园\n")
    _, errors, _ = load(project)
    record = f"{PLACES}:{line_number(project / PLACES, '- id: park-x')}"
    assert errors == [
        (record, "Place 'park-x': name: Field required"),
        (f"{PLACES}:{line_number(project / PLACES, '  kind: 工业园')}", errors[1][1]),
    ]
    assert errors[1][1].startswith("Place 'park-x': kind: ")


def test_a_rejected_record_without_an_id_is_not_remembered(project):
    edit(project / PLACES, "- id: park-x\n", "- id: 7\n")
    content, errors, _ = load(project)
    assert errors[0][0] == f"{PLACES}:{line_number(project / PLACES, '- id: 7')}" and errors[0][1].startswith("Place '7': id: ")
    assert content.rejected == {}


def test_district_boundaries_missing(project):
    (project / "geo/districts.geojson").unlink()
    content, errors, _ = load(project)
    assert errors == [("geo/districts.geojson", "行政区边界文件缺失 (district boundaries missing): see geo/README.md")]
    assert content.district_shapes == {}


def test_schematic_districts_are_added_unless_they_repeat_one(project):
    source = (project / "geo/districts.geojson").read_text("utf-8").splitlines()
    longgang = next(line for line in source if '"id": "longgang"' in line).rstrip(",")
    schematic = project / "geo/districts-schematic.geojson"
    schematic.write_text(source[0] + "\n" + longgang.replace('"longgang"', '"shenshan"', 1) + ",\n" + longgang + "\n]}\n", "utf-8")
    content, errors, _ = load(project)
    assert "shenshan" in content.district_shapes
    assert errors == [("geo/districts-schematic.geojson:3", "重复的行政区几何 (district 'longgang' is also in geo/districts.geojson)")]
    assert content.district_shapes["longgang"].location.file == "geo/districts.geojson"


def test_a_geometry_id_in_two_place_files(project):
    source = (project / "geo/places/hostile.geojson").read_text("utf-8").splitlines()
    (project / "geo/places/more.geojson").write_text(source[0] + "\n" + source[2] + "\n]}\n", "utf-8")
    content, errors, _ = load(project)
    point_line = line_number(project / "geo/places/hostile.geojson", '"id": "point-x"')
    first = f"geo/places/hostile.geojson:{point_line}"
    assert errors == [("geo/places/more.geojson:2", f"重复的几何 id (duplicate geometry id) 'point-x', also in {first}")]
    assert str(content.place_shapes["point-x"].location) == first


def test_a_place_file_that_does_not_parse_marks_the_geometry_incomplete(project):
    (project / "geo/places/broken.geojson").write_text("{not json\n", "utf-8")
    content, errors, _ = load(project)
    assert len(errors) == 1 and errors[0][0] == "geo/places/broken.geojson:1"
    assert content.place_geometry_incomplete and sorted(content.place_shapes) == ["park-x", "point-x"]


def test_the_cache_gives_the_same_records_and_skips_files_with_problems(project, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(project / ".xdg"))
    with BuildCache.open(project) as cache:
        assert cache is not None
        first = load_content(project, Problems(), cache)
        stored = {p.name for p in (cache.folder / "records").rglob("*") if p.is_file()}
        english = [p for p in (project / "content/english").glob("*.yaml") if p.name != "labels.yaml"]
        assert len(stored) == sum(len(record_files(project / "content", rt)) for rt in REGISTRY) + len(english)
        again = load_content(project, Problems(), cache)
    for rt in REGISTRY:
        assert [r.model_dump() for r in again.records[rt.folder]] == [r.model_dump() for r in first.records[rt.folder]]
        assert [str(r.origin) for r in again.records[rt.folder]] == [str(r.origin) for r in first.records[rt.folder]]
    assert [c.origin.line for c in again.places[0].citations] == [c.origin.line for c in first.places[0].citations]
    # a file with a problem is read again every time, so its problem is reported every time
    edit(project / PLACES, "  kind: 先进制造业园区\n", "  kind: 工业园\n")
    with BuildCache.open(project) as cache:
        for _ in range(2):
            problems = Problems()
            content = load_content(project, problems, cache)
            assert len(problems) == 1 and content.rejected == {Place: {"park-x"}}
    assert Plan not in content.unreadable


def test_records_read_from_the_cache_keep_their_own_file_and_lines(project, monkeypatch):
    """Two files with the same bytes are two entries: the cache key includes the path."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(project / ".xdg"))
    places = (project / PLACES).read_text("utf-8")
    (project / "content/places/zz-copy.yaml").write_text(places, "utf-8")
    with BuildCache.open(project) as cache:
        load_content(project, Problems(), cache)
        monkeypatch.setattr("builder.load.load_yaml", lambda *args: pytest.fail("a cached file was parsed again"))
        content = load_content(project, Problems(), cache)
    assert [p.origin.file for p in content.places] == [PLACES] * 3 + ["content/places/zz-copy.yaml"] * 3


def test_a_file_with_only_a_warning_warns_on_every_cached_build(project, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(project / ".xdg"))
    (project / "content/places/empty.yaml").write_text("# nothing yet\n", "utf-8")
    with BuildCache.open(project) as cache:
        for _ in range(2):
            problems = Problems()
            load_content(project, problems, cache)
            assert [str(w.location) for w in problems.warnings] == ["content/places/empty.yaml"]


def test_the_content_knows_its_root_and_attribute_errors_name_the_attribute(project):
    content, _, _ = load(project)
    assert content.root == project
    with pytest.raises(AttributeError) as caught:
        content.no_such_records  # noqa: B018
    assert str(caught.value) == "no_such_records"
    bare = Content.__new__(Content)  # as copy and pickle make it, before __init__
    with pytest.raises(AttributeError):
        bare.places  # noqa: B018


def test_a_plan_file_with_leading_comments_has_the_line_of_its_first_key(project):
    path = project / "content/plans/hostile-plan/plan.yaml"
    path.write_text("# a note\n# another\n" + path.read_text("utf-8"), "utf-8")
    content, errors, _ = load(project)
    assert errors == [] and content.plans[0].origin.line == 3


def test_a_record_without_an_id_is_labelled_with_a_question_mark(project):
    edit(project / PLACES, "- id: point-x\n  name: 地点x\n", "- name: 地点x\n")
    _, errors, _ = load(project)
    assert errors == [(f"{PLACES}:{line_number(project / PLACES, '- name: 地点x')}", "Place '?': id: Field required")]


def test_problems_in_plan_texts_and_geometry_files_are_reported(project):
    (project / "content/plans/hostile-plan/text.md").write_bytes(b"\xff\xfe\x00broken")
    districts = project / "geo/districts.geojson"
    source = districts.read_text("utf-8").splitlines()
    districts.write_text("\n".join('"not a feature"' if '"id": "pingshan"' in row else row for row in source) + "\n", "utf-8")
    (project / "geo/districts-schematic.geojson").write_text(source[0] + "\n" + '{"type": "Feature", "id": "s"}' + "\n]}\n", "utf-8")
    content, errors, _ = load(project)
    files = sorted(location.split(":")[0] for location, _ in errors)
    assert files == ["content/plans/hostile-plan/text.md", "geo/districts-schematic.geojson", "geo/districts.geojson"], errors
    assert sorted(content.district_shapes) == ["longgang"]


def test_schematic_districts_carry_their_shape(project):
    source = (project / "geo/districts.geojson").read_text("utf-8").splitlines()
    longgang = next(line for line in source if '"id": "longgang"' in line).rstrip(",")
    (project / "geo/districts-schematic.geojson").write_text(source[0] + "\n" + longgang.replace('"longgang"', '"shenshan"', 1) + "\n]}\n", "utf-8")
    content, errors, _ = load(project)
    assert errors == [] and content.district_shapes["shenshan"].geom.equals(content.district_shapes["longgang"].geom)


def test_earlier_versions_of_a_plan_are_loaded_and_a_bad_versions_file_is_reported(project):
    plan_dir = project / "content/plans/hostile-plan"
    (plan_dir / "versions/1").mkdir(parents=True)
    (plan_dir / "versions/1/text.md").write_text((plan_dir / "text.md").read_text("utf-8"), "utf-8")
    (plan_dir / "versions.yaml").write_text("current: 正式稿\nprevious:\n- label: 征求意见稿\n  text: versions/1/text.md\n", "utf-8")
    content, errors, _ = load(project)
    assert errors == []
    current, earlier = content.versions["hostile-plan"]
    assert current == "正式稿" and [v.label for v in earlier] == ["征求意见稿"]
    (plan_dir / "versions.yaml").write_text("current: 正式稿\nprevious:\n- label: 征求意见稿\n", "utf-8")
    content, errors, _ = load(project)
    assert errors == [("content/plans/hostile-plan/versions.yaml:3", "each previous version needs `label` and `text` (e.g. versions/1/text.md)")]
    assert "hostile-plan" not in content.versions


def test_a_yaml_tag_that_builds_a_plain_list_is_reported_not_a_crash(project):
    (project / "content/places/tagged.yaml").write_text("--- !!omap\n- id: x\n- name: y\n", "utf-8")
    content, errors, _ = load(project)
    assert errors == [("content/places/tagged.yaml:1", "应为映射 (expected a Place mapping with fields like 'id:')")]
    assert len(content.places) == 3
