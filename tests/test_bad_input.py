"""Bad input: one clear `file:line` error, a non-zero exit from check and build, old site untouched."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from builder.errors import AtlasError
from builder.yamlsource import load_yaml


ATLAS = [sys.executable, "-m", "builder.cli"]


def atlas(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*ATLAS, *args, "--project", str(project)], capture_output=True, text=True, cwd=project, timeout=300
    )


def tree_digest(path: Path) -> dict[str, str]:
    return {
        str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(path.rglob("*")) if p.is_file()
    }


def line_number(path: Path, needle: str, occurrence: int = 1, whole: bool = False) -> int:
    """1-based line of the `occurrence`-th line holding `needle` (being it, with `whole`)."""
    found = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if (line == needle if whole else needle in line)]  # fmt: skip
    if len(found) < occurrence:
        raise AssertionError(f"{needle!r} not in {path}")
    return found[occurrence - 1]


def replace_once(path: Path, old: str, new: str, unique: bool = False) -> None:
    """Replace the first `old`; with `unique`, it must also be the only one."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    assert not unique or text.count(old) == 1, f"{old!r} is more than once in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def assert_one_error(project: Path, built_site: Path, expected_location: str, expected_words: str) -> None:
    """Both commands fail with exactly one `file:line: message` and leave the old site as it was."""
    check = atlas(project, "check")
    assert check.returncode != 0
    assert "Traceback" not in check.stderr
    problems = [line for line in check.stderr.splitlines() if re.match(r"^\S+:\d+: ", line)]
    assert len(problems) == 1, check.stderr
    assert problems[0].startswith(expected_location + ": "), problems[0]
    assert re.search(expected_words, problems[0]), problems[0]

    out = project / "site"
    shutil.copytree(built_site, out)
    before = tree_digest(out)
    build = atlas(project, "build", "--out", str(out))
    assert build.returncode != 0
    assert "Traceback" not in build.stderr
    assert problems[0] in build.stderr
    assert tree_digest(out) == before, "a failed build changed the published site"
    assert not list(project.glob(".atlas-build-*")), "a failed build left its staging directory behind"


def test_yaml_syntax_error(project, built_site):
    places = project / "content/places/longgang.yaml"
    replace_once(places, "  kind: 先进制造业园区", "  kind: [先进制造业园区")
    line = line_number(places, "kind: [先进制造业园区")
    # PyYAML notices the unclosed bracket on a later line; the error names the line it was opened on.
    assert_one_error(project, built_site, f"content/places/longgang.yaml:{line}", "opened on this line")


@pytest.mark.parametrize(
    ("text", "line", "hint"),
    [
        ("a: 1\nb: [1, 2\nc: 3\n", 2, "flow sequence opened on this line, not closed before line 3"),
        ("a: 1\nb: 'x\nc: 2\n", 2, "quoted scalar opened on this line"),
        ("a: {x: 1\nb: 2\n", 1, "flow mapping opened on this line"),
        ("a:\n  b: 1\n c: 2\n", 3, "block mapping that starts at line 1"),
        ("a: 1\nb: c: d\n", 2, "mapping values are not allowed"),
        ("- x\n- y\n-- z\n\tw: 1\n", 4, "tab"),
    ],
)
def test_yaml_syntax_errors_name_the_line_to_fix(tmp_path, text, line, hint):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AtlasError) as error:
        load_yaml(path, "content/bad.yaml")
    message = str(error.value)
    assert message.startswith(f"content/bad.yaml:{line}: YAML 语法错误"), message
    assert hint in message


def test_park_naming_an_unknown_cluster(project, built_site):
    places = project / "content/places/longgang.yaml"
    replace_once(places, "clusters: [lg-network-communication,", "clusters: [lg-network-comunication,")
    line = line_number(places, "clusters: [lg-network-comunication,")  # the field's line, not the record's
    assert_one_error(
        project, built_site, f"content/places/longgang.yaml:{line}", r"unknown cluster\) 'lg-network-comunication'"
    )


def test_citation_quote_not_in_the_plan_text(project, built_site):
    places = project / "content/places/longgang.yaml"
    replace_once(places, "quote: 龙岗西先进制造业园区重点发展网络与通信", "quote: 龙岗西先进制造业园区重点发展人工智能与通信")
    line = line_number(places, "quote: 龙岗西先进制造业园区重点发展人工智能")
    assert_one_error(project, built_site, f"content/places/longgang.yaml:{line - 2}", "quote not found verbatim.*s4-4-p2")


def test_citation_quote_that_is_in_another_paragraph_of_the_plan(project, built_site):
    """The quote must be in the paragraph cited, not merely somewhere in the plan."""
    places = project / "content/places/longgang.yaml"
    text = places.read_text(encoding="utf-8")
    cited = "      para: s4-4-p2\n      quote: 龙岗西先进制造业园区重点发展网络与通信"
    assert cited in text
    places.write_text(text.replace(cited, cited.replace("s4-4-p2", "s4-4-p1"), 1), encoding="utf-8")
    plan_text = (project / "content/plans/longgang-14th/text.md").read_text(encoding="utf-8")
    assert "龙岗西先进制造业园区重点发展网络与通信" in plan_text and "{: #s4-4-p1 }" in plan_text
    line = line_number(places, "para: s4-4-p1")
    assert_one_error(project, built_site, f"content/places/longgang.yaml:{line - 1}", "quote not found verbatim.*s4-4-p1")


@pytest.mark.parametrize(
    "old, new, words",
    [
        ("    precision: 示意范围\n", "    precision: 大概范围\n", r"geometry\.precision"),  # nested: the field's line
        ("  kind: 先进制造业园区\n", "  kind: 工业园\n", r"kind"),
    ],
)
def test_a_schema_error_names_the_line_of_the_field(project, old, new, words):
    """A value the schema refuses is reported at its own line, not at the record's `- id:` line."""
    places = project / "content/places/longgang.yaml"
    replace_once(places, old, new)
    line = line_number(places, new.strip())
    record_line = max(n for n in range(1, line) if places.read_text("utf-8").splitlines()[n - 1].startswith("- id:"))
    assert line - record_line >= 2
    check = atlas(project, "check")
    assert check.returncode != 0 and "Traceback" not in check.stderr
    problems = [row for row in check.stderr.splitlines() if re.match(r"^\S+:\d+: ", row)]
    assert len(problems) == 1, check.stderr
    assert problems[0].startswith(f"content/places/longgang.yaml:{line}: "), problems[0]
    assert re.search(words, problems[0]), problems[0]


def test_park_geometry_outside_its_district(project, built_site):
    geo = project / "geo/places/longgang.geojson"
    data = json.loads(geo.read_text(encoding="utf-8"))
    for feature in data["features"]:
        if feature["id"] == "longgang-west":
            ring = feature["geometry"]["coordinates"][0]
            feature["geometry"]["coordinates"][0] = [[lon - 0.16, lat] for lon, lat in ring]  # into 南山/龙华
    geo.write_text(
        '{"type":"FeatureCollection","crs_name":"WGS84","features":[\n'
        + ",\n".join(json.dumps(f, ensure_ascii=False) for f in data["features"])
        + "\n]}\n",
        encoding="utf-8",
    )
    line = line_number(geo, '"id": "longgang-west"')
    assert_one_error(project, built_site, f"geo/places/longgang.geojson:{line}", "lies outside district 'longgang'")


def test_duplicate_id(project, built_site):
    clusters = project / "content/clusters/longgang.yaml"
    text = clusters.read_text(encoding="utf-8")
    first = text.split("\n- id: ")[1]
    clusters.write_text(text.rstrip("\n") + "\n- id: " + first.rstrip("\n") + "\n", encoding="utf-8")
    duplicate_line = len(text.rstrip("\n").splitlines()) + 1
    assert_one_error(
        project, built_site, f"content/clusters/longgang.yaml:{duplicate_line}", "duplicate cluster id.*first defined at content/clusters/longgang.yaml:4"
    )


def test_all_problems_are_listed_in_one_run(project):
    places = project / "content/places/longgang.yaml"
    replace_once(places, "clusters: [lg-network-communication,", "clusters: [lg-nope,")
    replace_once(places, "quote: 龙岗西先进制造业园区重点发展网络与通信", "quote: 不存在的引文")
    check = atlas(project, "check")
    assert check.returncode == 1
    assert "unknown cluster) 'lg-nope'" in check.stderr
    assert "不存在的引文" in check.stderr
    assert "2 problems" in check.stderr


def test_unknown_tiles_option_is_a_clear_error(project):
    result = atlas(project, "build", "--tiles", "google", "--out", str(project / "site"))
    assert result.returncode == 2  # a usage error, reported by the CLI from the Tiles type
    message = " ".join(result.stderr.replace("│", " ").split())
    assert "'google' is not one of 'none', 'osm', 'amap'" in message
    assert "Traceback" not in result.stderr
    assert not (project / "site").exists()


def test_tile_choices_in_the_help_come_from_the_tiles_type():
    from builder.render.tiles import Tiles

    result = subprocess.run([*ATLAS, "build", "--help"], capture_output=True, text=True, env={"COLUMNS": "200", "PATH": ""})
    assert f"<{'|'.join(t.value for t in Tiles)}>" in result.stdout
    for choice in Tiles:
        assert f"{choice.value} (" in result.stdout


def test_an_unknown_reference_in_a_block_list_names_the_item_line(project):
    places = project / "content/places/longgang.yaml"
    text = places.read_text(encoding="utf-8")
    flow = next(line for line in text.splitlines() if line.strip().startswith("clusters: [lg-network-communication,"))
    indent = flow[: len(flow) - len(flow.lstrip())]
    items = [item.strip() for item in flow.split("[", 1)[1].rstrip("]").split(",")]
    items[-1] = "no-such-cluster"
    block = f"{indent}clusters:\n" + "".join(f"{indent}  - {item}\n" for item in items)
    places.write_text(text.replace(flow + "\n", block, 1), encoding="utf-8")
    line = line_number(places, "  - no-such-cluster")
    check = atlas(project, "check")
    problems = [p for p in check.stderr.splitlines() if re.match(r"^\S+:\d+: ", p)]
    assert problems == [p for p in problems if p.startswith(f"content/places/longgang.yaml:{line}: ")] and len(problems) == 1, check.stderr
