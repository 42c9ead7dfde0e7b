"""`atlas import`: each seed, other encodings and formats, and bad documents."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from builder.errors import AtlasError
from builder.importer import detect_metadata, import_plan, read_document
from builder.textclean import clean_plan_text
from conftest import ROOT

SOURCES = ROOT / "content" / "sources"


def seed(prefix: str) -> Path:
    return next(SOURCES.glob(f"{prefix}_*.txt"))


def atlas_import(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "builder.cli", "import", *args, "--project", str(project)],
        capture_output=True, text=True, timeout=120,
    )


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_seed_imports_without_extraction_artefacts(tmp_path, prefix):
    result = import_plan(seed(prefix), f"seed-{prefix}", tmp_path)
    text = (result.plan_dir / "text.md").read_text(encoding="utf-8")
    assert "[bookmark" not in text and "**" not in text
    assert "\t" not in text and "  \n" not in text
    assert text.count("{: #") > 50
    plan = yaml.safe_load((result.plan_dir / "plan.yaml").read_text(encoding="utf-8"))
    assert plan["id"] == f"seed-{prefix}"
    assert (tmp_path / "content" / "sources" / seed(prefix).name).read_bytes() == seed(prefix).read_bytes()


def test_metadata_is_detected_from_the_cover():
    meta = detect_metadata(clean_plan_text(seed("004").read_text(encoding="utf-8")))
    assert meta["title"].startswith("深圳市坪山区高质量建设制造业强区")
    assert meta["issuer"] == "深圳市坪山区工业和信息化局"
    assert meta["date"] == "2026-05"  # 二〇二六年五月
    assert meta["status"] == "征求意见稿"
    assert meta["period"] == "“十五五”时期（2026—2030年）"


def test_a_gbk_file_is_converted_with_a_warning(tmp_path):
    gbk = tmp_path / "plan-gbk.txt"
    gbk.write_bytes(seed("000").read_text(encoding="utf-8").encode("gb18030"))
    text, warnings = read_document(gbk)
    assert "龙岗西先进制造业园区重点发展网络与通信" in text
    assert warnings and "UTF-8" in warnings[0]


def test_a_docx_is_read_in_document_order_with_tables(tmp_path):
    from docx import Document

    document = Document()
    document.add_paragraph("某区产业规划")
    document.add_paragraph("一、发展基础")
    document.add_paragraph("第一段正文，说明园区重点发展集成电路产业。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "指标", "2025 目标"
    table.cell(1, 0).text, table.cell(1, 1).text = "工业增加值（亿元）", "3500"
    document.add_paragraph("二、主要任务")
    path = tmp_path / "plan.docx"
    document.save(path)
    text, _ = read_document(path)
    assert text.index("第一段正文") < text.index("指标\t2025 目标") < text.index("二、主要任务")
    cleaned = clean_plan_text(text)
    assert "## 一、发展基础 {#s1}" in cleaned
    assert "工业增加值（亿元） | 3500" in cleaned


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("broken.docx", b"PK\x03\x04 not really a zip", "cannot read .docx"),
        ("empty.txt", b"", "file is empty"),
        ("blank.txt", b"  \n\n \n", "file is empty"),
        ("image.txt", bytes(range(256)) * 8, "binary file"),
        ("plan.pdf", b"%PDF-1.4", "unsupported file type"),
    ],
)
def test_bad_documents_give_a_clear_error_and_write_nothing(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    project = tmp_path / "project"
    result = atlas_import(project, str(path), "--id", "bad")
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "content" / "plans" / "bad").exists()


def test_no_headings_imports_best_effort_with_a_warning(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("这是一份没有标题的说明。\n\n第二段说明文字。\n", encoding="utf-8")
    result = atlas_import(tmp_path / "project", str(path), "--id", "notes")
    assert result.returncode == 0, result.stderr
    assert "no headings recognised" in result.stderr
    text = (tmp_path / "project/content/plans/notes/text.md").read_text(encoding="utf-8")
    assert "第二段说明文字。\n{: #intro-p2 }" in text


def test_existing_text_is_not_overwritten_without_force_and_plan_yaml_never(tmp_path):
    project = tmp_path / "project"
    assert atlas_import(project, str(seed("000")), "--id", "lg").returncode == 0
    plan_yaml = project / "content/plans/lg/plan.yaml"
    plan_yaml.write_text(plan_yaml.read_text(encoding="utf-8") + "# edited by hand\n", encoding="utf-8")
    again = atlas_import(project, str(seed("000")), "--id", "lg")
    assert again.returncode == 1 and "--force" in again.stderr
    forced = atlas_import(project, str(seed("000")), "--id", "lg", "--force")
    assert forced.returncode == 0, forced.stderr
    assert plan_yaml.read_text(encoding="utf-8").endswith("# edited by hand\n")


def test_reimport_of_a_lightly_edited_document_keeps_anchors(tmp_path):
    original = seed("000").read_text(encoding="utf-8")
    edited = original.replace("加快打造“平方公里级”高品质产业空间。", "加快打造“平方公里级”高品质产业空间，提升园区品质。")
    before, after = clean_plan_text(original), clean_plan_text(edited)
    anchors = lambda text: [line for line in text.splitlines() if line.startswith("{: #")]  # noqa: E731
    assert anchors(before) == anchors(after)
    assert before != after


def test_a_plan_bundled_in_a_larger_file_imports_by_line_range(tmp_path):
    source = seed("003")
    lines = source.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines, 1) if "人民政府关于发展壮大战略性新兴产业集群" in line)
    result = import_plan(source, "sz-opinion", tmp_path, lines=(start, start + 60))
    plan = yaml.safe_load((result.plan_dir / "plan.yaml").read_text(encoding="utf-8"))
    assert plan["source_lines"] == f"{start}-{start + 60}"
    with pytest.raises(AtlasError, match="line range outside the file"):
        read_document(source, (10, 10**6))


# --- the 003 bundle and the imported plans ------------------------------------------------------

BUNDLE_IDS = ["sz-clusters-opinion"] + [
    f"sz-ap-{slug}"
    for slug in (
        "network-communication semiconductor uhd-display smart-terminal smart-sensor software digital-creative "
        "modern-fashion industrial-machine-tools smart-robots laser-additive precision-instruments new-energy "
        "safety-environment intelligent-connected-vehicles new-materials high-end-medical-devices biomedicine "
        "big-health marine future-industries"
    ).split()
]


def bundle() -> list[dict]:
    manifest = yaml.safe_load((SOURCES / "bundles.yaml").read_text(encoding="utf-8"))
    assert list(manifest) == [seed("003").name]
    return manifest[seed("003").name]


def test_bundle_manifest_splits_003_into_its_22_documents():
    entries = bundle()
    assert [e["id"] for e in entries] == BUNDLE_IDS
    lines = seed("003").read_text(encoding="utf-8").splitlines()
    ranges = [tuple(int(n) for n in e["lines"].split("-")) for e in entries]
    assert ranges[0][0] == 1 and ranges[-1][1] == len(lines)
    assert all(end + 1 == start for (_, end), (start, _) in zip(ranges, ranges[1:])), "ranges must be contiguous"
    for entry, (start, end) in zip(entries, ranges):
        head = "".join(line.strip() for line in lines[start - 1 : start + 12])
        if entry["id"] == "sz-clusters-opinion":
            assert head.startswith(entry["title"])
        else:
            # each action plan starts at the line naming its issuing bodies, before "关于发布《…》的通知"
            assert lines[start - 1].startswith(" 深圳市"), lines[start - 1]
            assert re.match(rf"^深圳市.*关于发布《{entry['title'].split('（')[0]}（2022-2025\s*年）》的\s*通知", head), head[:120]
            assert lines[start - 2].endswith((" ", "）", ")", "]")), "the previous document ends on a finished line"
        assert "关于发布《" not in "".join(lines[start + 12 : end]), "a range holds a single document"


def test_a_bundled_document_imports_with_its_manifest_range(tmp_path):
    entry = next(e for e in bundle() if e["id"] == "sz-ap-marine")
    result = atlas_import(tmp_path / "project", str(seed("003")), "--id", entry["id"], "--lines", entry["lines"])
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "project/content/plans/sz-ap-marine/text.md").read_text(encoding="utf-8")
    assert text == (ROOT / "content/plans/sz-ap-marine/text.md").read_text(encoding="utf-8")
    assert text.startswith("深圳市规划和自然资源局 深圳市发展和改革委员会 深圳市科技创新委员会 深圳市工业和信息化局")
    plan = yaml.safe_load((tmp_path / "project/content/plans/sz-ap-marine/plan.yaml").read_text(encoding="utf-8"))
    assert plan["source_lines"] == entry["lines"]


def plan_files() -> list[Path]:
    return sorted((ROOT / "content" / "plans").glob("*/plan.yaml"))


@pytest.mark.parametrize("plan_yaml", plan_files(), ids=lambda p: p.parent.name)
def test_checked_in_text_md_is_what_the_cleaner_makes_of_its_source(plan_yaml):
    """Citations point at anchors in text.md: a cleaner change that moves them must re-import."""
    plan = yaml.safe_load(plan_yaml.read_text(encoding="utf-8"))
    lines = tuple(int(n) for n in plan["source_lines"].split("-")) if plan.get("source_lines") else None
    raw, _ = read_document(SOURCES / plan["source"], lines)
    assert (plan_yaml.parent / "text.md").read_text(encoding="utf-8") == clean_plan_text(raw)


def test_every_bundled_document_has_a_plan_with_its_range_and_title():
    for entry in bundle():
        plan = yaml.safe_load((ROOT / "content/plans" / entry["id"] / "plan.yaml").read_text(encoding="utf-8"))
        assert (plan["source"], plan["source_lines"], plan["title"]) == (seed("003").name, entry["lines"], entry["title"])
        assert "district" not in plan  # city-wide documents


@pytest.mark.parametrize(
    "spec, words",
    [
        ("409", "无效的行范围 '409' (invalid line range): write it as START-END, e.g. 409-733"),
        ("a-b", "无效的行范围 'a-b' (invalid line range)"),
        ("10-", "无效的行范围 '10-' (invalid line range)"),
        ("0-5", "行范围 0-5 超出文件 (line range outside the file, which has"),
        ("50-40", "行范围 50-40 超出文件"),
        ("1-99999999", "行范围 1-99999999 超出文件"),
    ],
)
def test_a_bad_line_range_is_one_clear_error_and_imports_nothing(tmp_path, spec, words):
    project = tmp_path / "project"
    (project / "content/plans").mkdir(parents=True)
    result = atlas_import(project, str(seed("003")), "--id", "part", "--lines", spec)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert words in result.stderr, result.stderr
    assert not (project / "content/plans/part").exists()
