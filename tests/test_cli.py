"""The `atlas` command as staff use it."""

import json
import re
import subprocess
import sys

from conftest import ROOT, copy_project
from serving import Serving


def test_check_passes_on_the_bundled_content():
    result = subprocess.run([sys.executable, "-m", "builder.cli", "check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "检查通过" in result.stdout


def test_build_replaces_the_previous_site(tmp_path):
    project = copy_project(tmp_path / "project")
    out = tmp_path / "site"
    out.mkdir()
    (out / "stale.html").write_text("old")
    result = subprocess.run(
        [sys.executable, "-m", "builder.cli", "build", "--out", str(out), "--project", str(project)],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert not (out / "stale.html").exists()
    assert (out / "index.html").exists()


def test_serve_builds_serves_and_rebuilds_on_change(tmp_path):
    project = copy_project(tmp_path / "project")
    serving = Serving(project)
    try:
        status, page = serving.get("places/longgang-west/")
        assert status == 200 and "龙岗西先进制造业园区" in page
        assert 'src="/__atlas__/livereload.js" data-site="1"' in page  # added as served only
        first = serving.state()
        assert first["site"] == 1 and first["problems"] == []
        places = project / "content" / "places" / "longgang.yaml"
        places.write_text(places.read_text(encoding="utf-8").replace("name: 龙岗西先进制造业园区", "name: 龙岗西先进制造业园区（已更新）", 1), encoding="utf-8")
        state = serving.wait_for_build(first["version"])
        assert state["site"] == 2 and state["problems"] == []
        assert "（已更新）" in serving.get("places/longgang-west/")[1]
    finally:
        serving.stop()


def test_serve_reports_a_failed_rebuild_and_keeps_the_last_good_site(tmp_path):
    project = copy_project(tmp_path / "project")
    serving = Serving(project)
    try:
        before = serving.get("places/longgang-west/")[1]
        first = serving.state()
        places = project / "content" / "places" / "longgang.yaml"
        good = places.read_text(encoding="utf-8")
        lines = good.splitlines(keepends=True)
        broken_line = next(i for i, line in enumerate(lines) if line.startswith("- id: ")) + 1  # 1-based
        lines[broken_line - 1] = "- id: [unclosed\n"
        places.write_text("".join(lines), encoding="utf-8")
        state = serving.wait_for_build(first["version"])
        assert state["site"] == first["site"]  # nothing new to reload
        location = f"content/places/longgang.yaml:{broken_line}"
        assert any(location in problem for problem in state["problems"]), state["problems"]
        serving.wait_for_line(re.escape(location))  # the same line in the terminal
        assert serving.get("places/longgang-west/")[1] == before  # the last good build, unchanged
        places.write_text(good, encoding="utf-8")
        fixed = serving.wait_for_build(state["version"])
        assert fixed["site"] == first["site"] + 1 and fixed["problems"] == []
    finally:
        serving.stop()


def test_serve_shows_an_error_page_when_even_the_first_build_fails(tmp_path):
    project = copy_project(tmp_path / "project")
    places = project / "content" / "places" / "longgang.yaml"
    good = places.read_text(encoding="utf-8")
    places.write_text("- id: [unclosed\n" + good, encoding="utf-8")
    serving = Serving(project)
    try:
        status, page = serving.get("")
        assert status == 503 and "构建失败" in page and "content/places/longgang.yaml:1" in page
        places.write_text(good, encoding="utf-8")
        serving.wait_for_build(serving.state()["version"])
        status, page = serving.get("")
        assert status == 200 and "livereload.js" in page
    finally:
        serving.stop()


def test_a_built_site_never_carries_the_live_reload_script(built_site):
    for page in built_site.rglob("*.html"):
        assert "__atlas__" not in page.read_text(encoding="utf-8"), page
    assert not list(built_site.rglob("livereload.js"))


def build_with(project, out, *flags):
    return subprocess.run(
        [sys.executable, "-m", "builder.cli", "build", "--out", str(out), "--project", str(project), *flags],
        capture_output=True, text=True,
    )  # fmt: skip


STAGES = ["load", "validate", "join", "consistency", "render", "geometry", "write", "maps", "mkdocs", "index", "assets", "publish"]


def test_build_progress_profile_quiet_and_json(tmp_path):
    """One line per stage as it ends; --profile adds a table; --quiet prints nothing; --json one object."""
    lines = build_with(ROOT, tmp_path / "a")
    assert lines.returncode == 0, lines.stderr
    printed = [line.split()[0] for line in lines.stdout.splitlines() if re.match(r"^  \S+ +\d+\.\d\ds", line)]
    assert printed == STAGES
    assert re.search(r"load +\d+\.\d\ds +\d+ records", lines.stdout)
    assert re.search(r"index +\d+\.\d\ds +\d+ documents, \d+ files", lines.stdout)
    assert lines.stderr == ""

    profile = build_with(ROOT, tmp_path / "b", "--profile")
    table = profile.stdout[profile.stdout.index("stage        seconds  share"):].splitlines()
    assert [row.split()[0] for row in table[1:-1]] == STAGES
    shares = [int(row.split()[2].rstrip("%")) for row in table[1:-1]]
    assert 95 <= sum(shares) <= 105  # the top-level stages make up the whole (rounded)

    quiet = build_with(ROOT, tmp_path / "c", "--quiet")
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""

    report = json.loads(build_with(ROOT, tmp_path / "d", "--json").stdout)
    assert report["ok"] is True and report["pages"] == sum(1 for _ in (tmp_path / "d").rglob("index.html"))
    assert [stage["name"] for stage in report["stages"]] == STAGES
    assert all(stage["seconds"] >= 0 for stage in report["stages"])
    assert report["stages"][0]["records"] > 1000


def test_json_output_of_a_failed_build_lists_the_problems(tmp_path):
    project = copy_project(tmp_path / "project")
    places = project / "content" / "places" / "longgang.yaml"
    lines = places.read_text(encoding="utf-8").splitlines(keepends=True)
    broken = next(i for i, line in enumerate(lines) if line.startswith("- id: ")) + 1
    lines[broken - 1] = "- id: [unclosed\n"
    places.write_text("".join(lines), encoding="utf-8")
    result = build_with(project, tmp_path / "site", "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert [p.split(": ")[0] for p in report["problems"]] == [f"content/places/longgang.yaml:{broken}"]
    assert not (tmp_path / "site").exists()
