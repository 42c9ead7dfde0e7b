"""Bad files rather than bad records: templates, YAML and GeoJSON structure, encodings, volume.

Each gives `file:line: message (what to fix)`, a non-zero exit, and leaves the published site as
it was; never a traceback.
"""

from __future__ import annotations

import re

from test_bad_input import assert_one_error, atlas, line_number, replace_once


def test_template_syntax_error(project, built_site):
    template = project / "templates/pages/place.md.j2"
    replace_once(template, "{% if place.status %}", "{% if place.status %}{% if %}")
    line = line_number(template, "{% if %}")
    assert_one_error(project, built_site, f"templates/pages/place.md.j2:{line}", "template")


def test_template_naming_an_undefined_field(project, built_site):
    template = project / "templates/pages/place.md.j2"
    replace_once(template, "<h1>{{ place.name }}</h1>", "<h1>{{ place.nme }}</h1>")
    line = line_number(template, "place.nme")
    assert_one_error(project, built_site, f"templates/pages/place.md.j2:{line}", "template error.*nme")


def test_an_english_template_error_names_its_line(project, built_site):
    # the English edition renders in a forked child: its error must still name the template's line
    template = project / "templates/pages/en/place.md.j2"
    replace_once(template, "<h1>{{ en.name(place) }}</h1>", "<h1>{{ place.nme }}</h1>")
    line = line_number(template, "place.nme")
    assert_one_error(project, built_site, f"templates/pages/en/place.md.j2:{line}", "template error.*nme")


def test_template_including_a_missing_file(project, built_site):
    template = project / "templates/pages/district.md.j2"
    text = template.read_text(encoding="utf-8")
    template.write_text('{% include "no-such-part.j2" %}\n' + text, encoding="utf-8")
    assert_one_error(project, built_site, "templates/pages/district.md.j2:1", "no-such-part.j2")


def test_theme_override_syntax_error(project, built_site):
    theme = project / "templates/overrides/main.html"
    replace_once(theme, "{% block extrahead %}", "{% block extrahead %}{% endfor %}")
    line = line_number(theme, "{% endfor %}")
    assert_one_error(project, built_site, f"templates/overrides/main.html:{line}", "template syntax error")


def test_duplicate_key_in_one_mapping(project, built_site):
    places = project / "content/places/longgang.yaml"
    replace_once(places, "  name: 龙岗西先进制造业园区\n", "  name: 龙岗西先进制造业园区\n  name: 龙岗西园区\n")
    line = line_number(places, "  name: 龙岗西园区")
    assert_one_error(project, built_site, f"content/places/longgang.yaml:{line}", r"duplicate key\) 'name', first at line")


def test_a_new_empty_yaml_file_is_a_warning(project):
    (project / "content/places/new.yaml").write_text("# to be filled in\n", encoding="utf-8")
    check = atlas(project, "check")
    assert check.returncode == 0, check.stderr
    assert "content/places/new.yaml: warning: " in check.stderr
    assert "holds no Place records" in check.stderr


def test_a_broken_file_and_a_bad_record_elsewhere_are_both_reported(project):
    replace_once(project / "content/clusters/longhua.yaml", "  name:", "  name: [", )
    replace_once(project / "content/places/longgang.yaml", "district: longgang", "district: longgong")
    check = atlas(project, "check")
    assert check.returncode == 1
    assert "Traceback" not in check.stderr
    assert re.search(r"content/clusters/longhua.yaml:\d+: YAML", check.stderr), check.stderr
    assert "unknown district) 'longgong'" in check.stderr
    # References into the file that did not parse are not reported again as unknown.
    assert "unknown cluster" not in check.stderr, check.stderr


def test_geojson_feature_with_null_properties_or_not_an_object(project, built_site):
    geo = project / "geo/places/longgang.geojson"
    text = geo.read_text(encoding="utf-8")
    lines = text.splitlines()
    lines.insert(1, '{"type":"Feature","id":"spare-point","properties":null,"geometry":{"type":"Point","coordinates":[114.25,22.72]}},')
    lines.insert(2, '{"type":"Feature","properties":null,"geometry":{"type":"Point","coordinates":[114.25,22.72]}},')
    lines.insert(3, "42,")
    geo.write_text("\n".join(lines) + "\n", encoding="utf-8")
    check = atlas(project, "check")
    assert check.returncode == 1
    assert "Traceback" not in check.stderr
    problems = [row for row in check.stderr.splitlines() if re.match(r"^\S+:\d+: ", row)]
    assert len(problems) == 2, check.stderr  # null properties with an id are fine (GeoJSON allows them)
    assert problems[0].startswith("geo/places/longgang.geojson:3: ") and 'has no "id"' in problems[0]
    assert problems[1].startswith("geo/places/longgang.geojson:4: ") and "is not an object" in problems[1]


def test_plan_text_in_gbk(project, built_site):
    text = project / "content/plans/longgang-14th/text.md"
    text.write_bytes(text.read_text(encoding="utf-8").encode("gb18030"))
    assert_one_error(project, built_site, "content/plans/longgang-14th/text.md:1", "GBK.*atlas import")


def test_plan_text_that_is_binary(project, built_site):
    text = project / "content/plans/longgang-14th/text.md"
    text.write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 8)
    assert_one_error(project, built_site, "content/plans/longgang-14th/text.md:1", "binary.*atlas import")


def test_thousands_of_problems_show_the_first_fifty_and_a_count(project):
    text = project / "content/plans/longgang-14th/text.md"
    text.write_text(text.read_text(encoding="utf-8") + "".join(f"\n无锚点段落 {n}\n" for n in range(3000)), encoding="utf-8")
    check = atlas(project, "check")
    assert check.returncode == 1
    shown = [row for row in check.stderr.splitlines() if re.match(r"^\S+:\d+: ", row)]
    assert len(shown) == 50
    total = int(re.search(r"发现 (\d+) 个问题", check.stderr).group(1))
    assert total >= 3000
    assert f"and {total - 50} more problems not shown" in check.stderr


def test_a_template_error_about_a_long_value_is_cut_short(project, built_site):
    """A failing lookup of a long value (here every indicator) must not print it whole."""
    template = project / "templates/pages/place.md.j2"
    replace_once(template, "<h1>{{ place.name }}</h1>", "<h1>{{ {}[atlas.indicators.values()|map(attribute='name')|join(',')] }}</h1>")
    line = line_number(template, "atlas.indicators.values()|map")
    check = atlas(project, "check")
    problems = [p for p in check.stderr.splitlines() if p.startswith("templates/")]
    assert len(problems) == 1 and problems[0].startswith(f"templates/pages/place.md.j2:{line}: 模板错误")
    assert len(problems[0]) < 500 and "more characters)" in problems[0]
