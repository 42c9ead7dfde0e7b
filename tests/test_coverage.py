"""`atlas check --coverage`: counts per plan and the figures no record captures."""

import subprocess
import sys

from builder.atlas import build_atlas
from builder.coverage import FIGURE, measure
from conftest import copy_project


def test_figure_pattern_finds_numbers_with_units():
    text = "2020年龙岗区GDP达4744.49亿元，年均增长8.1%，片区规模约 703 万 m²，国家高新技术企业达 2502 家。"
    assert [m.group(1) + m.group(2).replace(" ", "") for m in FIGURE.finditer(text)] == ["4744.49亿元", "8.1%", "703万m²", "2502家"]


def test_a_figure_is_missed_until_a_record_quotes_it(tmp_path):
    project = copy_project(tmp_path / "project")
    missed = {(m.plan, m.anchor, m.figure) for m in measure(build_atlas(project)).missed}
    assert ("longgang-14th", "s1-1-p3", "4744.49亿元") in missed

    indicators = project / "content" / "indicators" / "longgang-14th.yaml"
    indicators.write_text(
        indicators.read_text(encoding="utf-8")
        + "- id: lg14-gdp-2020\n  plan: longgang-14th\n  name: 地区生产总值\n  unit: 亿元\n"
        "  actual: {year: 2020, value: \"4744.49\"}\n  citations:\n    - plan: longgang-14th\n"
        "      para: s1-1-p3\n      quote: 2020年龙岗区GDP达4744.49亿元\n",
        encoding="utf-8",
    )
    coverage = measure(build_atlas(project))
    assert ("longgang-14th", "s1-1-p3", "4744.49亿元") not in {(m.plan, m.anchor, m.figure) for m in coverage.missed}
    assert coverage.per_plan["longgang-14th"]["indicators"] >= 36


def test_check_coverage_prints_counts_and_locations(tmp_path):
    project = copy_project(tmp_path / "project")
    result = subprocess.run(
        [sys.executable, "-m", "builder.cli", "check", "--coverage", "--project", str(project)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "记录数 (records): plans 26" in result.stdout
    assert "longgang-14th: plans 1" in result.stdout
    assert "content/plans/longgang-14th/text.md:22 #s1-1-p3: 4744.49亿元" in result.stdout
