"""A new version of a plan: the old text is kept, changed citations are flagged, the site shows the changes."""

from __future__ import annotations

import re
import subprocess
import sys

import yaml

from builder.site import build_site
from test_security import visible_text

SOURCE = "004_179bac3d1c0e59ac.txt"
HONOR = "谋划围绕荣耀打造集研发制造于一体、生产生活生态“三生”融合的荣耀生态城。"
REWORDED = ("全力打造人工智能与智能终端融合创新高地", "全力建设人工智能与智能终端融合创新高地")


def _atlas(project, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "builder.cli", *args, "--project", str(project)], capture_output=True, text=True, cwd=project)


def _edited_copy(project):
    """004 lightly edited: two targets changed, one park removed, one paragraph reworded."""
    raw = (project / "content/sources" / SOURCE).read_text(encoding="utf-8")
    for old, new in (("规上工业总产值\t亿元\t5000\t", "规上工业总产值\t亿元\t5200\t"), ("规上工业增加值\t亿元\t1500\t", "规上工业增加值\t亿元\t1600\t"), (HONOR, ""), REWORDED):
        assert raw.count(old) == 1, old
        raw = raw.replace(old, new)
    edited = project / "pingshan-final.txt"
    edited.write_text(raw, encoding="utf-8")
    return edited


def test_a_new_version_keeps_the_old_text_flags_citations_and_shows_the_changes(project):
    old_text = (project / "content/plans/pingshan-15th/text.md").read_text(encoding="utf-8")
    imported = _atlas(project, "import", str(_edited_copy(project)), "--id", "pingshan-15th", "--version", "正式稿")
    assert imported.returncode == 0, imported.stderr
    versions = yaml.safe_load((project / "content/plans/pingshan-15th/versions.yaml").read_text(encoding="utf-8"))
    assert versions["current"] == "正式稿" and versions["previous"][0]["label"] == "征求意见稿"
    assert (project / "content/plans/pingshan-15th/versions/1/text.md").read_text(encoding="utf-8") == old_text

    check = _atlas(project, "check")
    assert check.returncode == 1 and "Traceback" not in check.stderr
    assert re.search(r"content/indicators/pingshan-15th.yaml:\d+: .*quote not found verbatim.*5000", check.stderr)
    assert "荣耀生态城" in check.stderr  # the removed park's citation no longer matches
    # Staff update the records to the new text …
    indicators = project / "content/indicators/pingshan-15th.yaml"
    text = indicators.read_text(encoding="utf-8")
    text = text.replace("| 亿元 | 5000 |", "| 亿元 | 5200 |").replace("| 亿元 | 1500 |", "| 亿元 | 1600 |")
    text = text.replace('value: "5000"', 'value: "5200"').replace('value: "1500"', 'value: "1600"')
    indicators.write_text(text, encoding="utf-8")
    places = project / "content/places/pingshan.yaml"
    blocks = re.split(r"(?m)^(?=- id: )", places.read_text(encoding="utf-8"))
    places.write_text("".join(b for b in blocks if not b.startswith("- id: honor-eco-city\n")), encoding="utf-8")
    check = _atlas(project, "check")
    assert check.returncode == 0, check.stderr
    # … and are told which citations point at paragraphs that changed, until they confirm them.
    warned = [row for row in check.stderr.splitlines() if "changed since 征求意见稿" in row]
    assert warned and all(re.match(r"^content/\S+\.yaml:\d+: warning: ", row) for row in warned)

    build_site(project, project / "site")
    page = visible_text(project / "site/plans/pingshan-15th/changes/index.html")
    assert "征求意见稿" in page and "正式稿" in page
    assert "规上工业总产值 ：5000 → 5200" in page and "规上工业增加值 ：1500 → 1600" in page  # the two targets
    assert re.search(r"不再提及：[^。]*荣耀生态城", page)  # the removed park
    markup = (project / "site/plans/pingshan-15th/changes/index.html").read_text(encoding="utf-8")
    assert "<del>打</del><del>造</del>" in markup or "<del>打造</del><ins>建设</ins>" in markup  # the reworded paragraph
    assert "<del>5000</del><ins>5200</ins>" in markup
    assert "plans/pingshan-15th/changes/" in (project / "site/plans/pingshan-15th/index.html").read_text(encoding="utf-8")

    versions_file = project / "content/plans/pingshan-15th/versions.yaml"
    versions_file.write_text(versions_file.read_text(encoding="utf-8").replace("citations_checked: false", "citations_checked: true"), encoding="utf-8")
    assert "changed since" not in _atlas(project, "check").stderr
