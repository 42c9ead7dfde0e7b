"""Consistency detectors on small fixtures and on the real plans; editors' notes."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from builder.atlas import build_atlas
from builder.consistency.detectors import (
    district_lists, growth_rates, place_locations, revisions, same_figure_different_labels, same_label_different_figures, sums,
)  # fmt: skip
from builder.errors import AtlasError
from conftest import ROOT
from hostile import PLAN, make_project

PARAGRAPHS = {
    "c-growth-wrong": "产值由 100 亿元增长到 2025 年的 200 亿元，年均增长 30%",
    "c-growth-right": "营收由 100 亿元增长到 2025 年的 161.05 亿元，年均增长 10%",
    "c-table": "科技企业孵化器（家） | 25 | 国家级特色产业集群（个） | 1",
    "c-text": "到2025年，累计建设科技企业孵化器35家以上，新增省级特色产业集群 2 个",
    "c-figure": "工业销售收入1234.56亿元，全区工业总产值达到1234.56亿元",
    "c-base": "工业总产值 | 1234.56",
    "c-street-a": "示范园区x：位于平湖街道",
    "c-street-b": "坂田街道示范园区x",
    "c-areas": "大园x 面积 1 平方公里，其中东片 0.8 平方公里，西片 0.5 平方公里",
}


def _cite(para: str, quote: str) -> list[dict]:
    return [{"plan": PLAN, "para": para, "quote": quote}]


def _fixture(tmp_path):
    project = make_project(tmp_path / "project", "x")
    text = project / "content/plans" / PLAN / "text.md"
    text.write_text(text.read_text(encoding="utf-8") + "".join(f"\n{body}\n{{: #{anchor} }}\n" for anchor, body in PARAGRAPHS.items()), encoding="utf-8")

    def add(relative: str, records: list[dict]) -> None:
        path = project / "content" / relative
        existing = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else []
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(existing + records, allow_unicode=True, sort_keys=False), encoding="utf-8")

    def indicator(id_, name, target=None, base=None, reports_on=None, para="c-table", quote="科技企业孵化器（家） | 25"):
        record = {"id": id_, "plan": PLAN, "name": name, "citations": _cite(para, quote)}
        if target:
            record["target"] = {"value": target, "year": 2025}
        if base:
            record["base"] = {"value": base, "year": 2020}
        if reports_on:
            record["reports_on"] = reports_on
        return record

    add("indicators/indicators.yaml", [
        indicator("incubators-table", "市级以上科技企业孵化器", "25"),
        indicator("incubators-text", "累计建设科技企业孵化器", "35家以上", para="c-text", quote="累计建设科技企业孵化器35家以上"),
        indicator("national-clusters", "国家级特色产业集群", "1", quote="国家级特色产业集群（个） | 1"),
        indicator("provincial-clusters", "新增省级特色产业集群", "2", para="c-text", quote="新增省级特色产业集群 2 个"),
        indicator("output", "工业总产值", base="1234.56", para="c-base", quote="工业总产值 | 1234.56"),
    ])  # fmt: skip
    add("places/places.yaml", [
        {"id": "demo-park", "name": "示范园区x", "kind": "园区", "district": "longgang", "citations": _cite("c-street-a", "示范园区x：位于平湖街道")},
        {"id": "big-park", "name": "大园x", "kind": "园区", "district": "longgang", "area": {"as_written": "1 平方公里", "value": 1, "unit": "平方公里"},
         "citations": _cite("c-areas", "大园x 面积 1 平方公里")},
        {"id": "east-part", "name": "东片", "kind": "产业片区", "district": "longgang", "within": "big-park",
         "area": {"as_written": "0.8 平方公里", "value": 0.8, "unit": "平方公里"}, "citations": _cite("c-areas", "东片 0.8 平方公里")},
        {"id": "west-part", "name": "西片", "kind": "产业片区", "district": "longgang", "within": "big-park",
         "area": {"as_written": "0.5 平方公里", "value": 0.5, "unit": "平方公里"}, "citations": _cite("c-areas", "西片 0.5 平方公里")},
    ])  # fmt: skip
    roles = project / "content/roles/roles.yaml"
    roles.write_text(roles.read_text(encoding="utf-8").replace("district: longgang", "district: pingshan").replace("id: city-x-longgang", "id: city-x-pingshan"), encoding="utf-8")
    return project


@pytest.fixture
def fixture_atlas(tmp_path):
    return build_atlas(_fixture(tmp_path))


def test_a_stated_growth_rate_is_recomputed(fixture_atlas):
    found = growth_rates(fixture_atlas)
    assert [f.sides[0].anchor for f in found] == ["c-growth-wrong"]  # 10% from 100 to 161.05 in 5 years is right
    assert "(200 ÷ 100)^(1/5) − 1 = 14.87%" in found[0].computed


def test_the_same_measure_with_different_targets(fixture_atlas):
    found = same_label_different_figures(fixture_atlas)
    assert len(found) == 1 and {r for _, r in found[0].records} == {"incubators-table", "incubators-text"}
    # 国家级 and 省级 集群 are different measures, not one measure with two figures


def test_the_same_figure_under_another_name(fixture_atlas):
    found = same_figure_different_labels(fixture_atlas)
    assert len(found) == 1
    assert found[0].sides[1].quote == "工业销售收入1234.56亿元"  # 全区工业总产值达到1234.56亿元 is the same measure


def test_district_lists_that_differ(fixture_atlas):
    found = district_lists(fixture_atlas)
    assert len(found) == 1 and "仅意见列出：甲区x；仅行动计划给定位：无" in found[0].computed  # the opinion lists 甲区x and 乙区x


def test_a_place_in_two_streets(fixture_atlas):
    found = place_locations(fixture_atlas)
    assert len(found) == 1 and {s.label for s in found[0].sides} == {"平湖街道", "坂田街道"}


def test_parts_larger_than_their_whole(fixture_atlas):
    found = sums(fixture_atlas)
    assert len(found) == 1 and found[0].computed == "0.80 + 0.50 = 1.30 km² > 1.00 km²"


def test_the_real_plans_show_the_known_disagreements():
    atlas = build_atlas(ROOT)
    titles = [f.title for f in atlas.findings]
    assert any("11304.35" in t and "规模以上工业总销售收入" in t for t in titles)  # 000: text vs 表2-1
    assert any("科技企业孵化器" in t and "25" in t and "35" in t for t in titles)  # 002: text vs table
    assert any("众创空间" in t and "40" in t and "45" in t for t in titles)
    assert any("2395.23" in t and "25.5%" in t for t in titles)  # 004: the rate its own figures do not give
    assert any(f.kind == "revision" for f in atlas.findings)
    for finding in atlas.findings:  # every side quotes its paragraph
        for side in finding.sides:
            assert side.quote in atlas.texts[side.plan].by_anchor[side.anchor].text, finding.id
    assert revisions(atlas)


def test_consistency_page_and_record_notices(built_site):
    atlas = build_atlas(ROOT)
    page = (built_site / "consistency/index.html").read_text(encoding="utf-8")
    for finding in atlas.shown_findings():
        assert f'id="finding-{finding.id}"' in page
    assert "编辑核对：已解释" in page
    plan = (built_site / "plans/longgang-14th/index.html").read_text(encoding="utf-8")
    assert "规划之间的差异" in plan and "consistency/#finding-" in plan


def _check(project, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "builder.cli", "check", *args, "--project", str(project)], capture_output=True, text=True)


def test_notes_dismiss_a_false_positive_and_a_stale_note_is_an_error(tmp_path):
    project = _fixture(tmp_path)
    atlas = build_atlas(project)
    finding = next(f for f in atlas.findings if f.kind == "place-location")
    notes = project / "content/finding_notes/notes.yaml"
    notes.parent.mkdir()
    note = {"id": "same-place", "finding": finding.id, "status": "误报", "note": "两处说法都对",
            "citations": _cite("c-street-b", "坂田街道示范园区x")}  # fmt: skip
    notes.write_text(yaml.safe_dump([note], allow_unicode=True), encoding="utf-8")
    again = build_atlas(project)
    assert finding.id in {f.id for f in again.findings} and finding.id not in {f.id for f in again.shown_findings()}
    listed = _check(project, "--consistency")
    assert listed.returncode == 0 and f"{finding.id} [误报]" in listed.stdout
    assert "1 dismissed as false positives" in listed.stdout
    note["finding"] = "place-location-0000000000"
    notes.write_text(yaml.safe_dump([note], allow_unicode=True), encoding="utf-8")
    with pytest.raises(AtlasError, match="names finding 'place-location-0000000000'"):
        build_atlas(project)
    result = _check(project)
    assert result.returncode == 1 and "content/finding_notes/notes.yaml:" in result.stderr and "Traceback" not in result.stderr


def test_the_indexed_lookups_answer_as_a_scan_over_every_record_would():
    # findings_about / findings_citing / hosts_of use indexes built once (they were scans per page)
    atlas = build_atlas(ROOT)  # reviewed: it has its findings
    shown = atlas.shown_findings()
    assert shown
    for type_name, record_id in {record for f in atlas.findings for record in f.records}:
        assert atlas.findings_about(type_name, record_id) == [f for f in shown if (type_name, record_id) in f.records]
    for plan_id in atlas.plans:
        assert atlas.findings_citing(plan_id) == [f for f in shown if any(s.plan == plan_id for s in f.sides)]
    for cluster in atlas.clusters.values():
        related = atlas.related_clusters(cluster)
        with_roles = {r.place for r in atlas.roles_by_cluster.get(cluster.id, []) if r.place}
        assert atlas.hosts_of(cluster) == [p for p in atlas.places.values() if related & set(p.clusters) or p.id in with_roles]
