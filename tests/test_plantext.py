"""Parsing a plan's cleaned text into anchored blocks."""

from builder.errors import Problems
from builder.plantext import parse_plan_text

TEXT = """深圳市某区规划<br>某局<br>2022年6月
{: #cover }

## 一、发展基础 {#s1}

第一段，含有**加粗**与  多个空格。
{: #s1-p1 }

第二段。
{: #s1-p2 }
"""


def test_blocks_are_indexed_by_anchor_with_plain_text_and_lines():
    problems = Problems()
    text = parse_plan_text(TEXT, "content/plans/x/text.md", problems)
    assert not problems
    assert [b.anchor for b in text.blocks] == ["cover", "s1", "s1-p1", "s1-p2"]
    assert text.by_anchor["s1-p1"].text == "第一段，含有加粗与 多个空格。"
    assert text.by_anchor["s1-p1"].line == 6
    assert text.by_anchor["s1"].kind == "heading" and text.by_anchor["s1"].text == "一、发展基础"
    assert text.heading_for("s1-p2").anchor == "s1"


def test_paragraph_without_anchor_is_reported_at_its_line():
    problems = Problems()
    parse_plan_text("## 标题 {#s1}\n\n没有锚点的段落。\n", "t.md", problems)
    assert [str(p) for p in problems] == [
        "t.md:3: 段落缺少锚点 (paragraph needs an anchor): add a line `{: #some-id }` at its end"
    ]


def test_duplicate_anchor_names_both_lines():
    problems = Problems()
    parse_plan_text("甲。\n{: #a }\n\n乙。\n{: #a }\n", "t.md", problems)
    (problem,) = list(problems)
    assert str(problem.location) == "t.md:4"
    assert "duplicate anchor" in problem.message and "line 1" in problem.message


def test_box_container_lines_are_markers_without_anchors():
    problems = Problems()
    text = parse_plan_text(
        '## 四、任务 {#s4}\n\n<div class="atlas-box" markdown>\n\n#### 专栏 4-1：项目 {#box4-1}\n\n'
        "1、某项目。\n{: #box4-1-p1 }\n\n</div>\n\n正文继续。\n{: #s4-p1 }\n",
        "t.md",
        problems,
    )
    assert not problems
    assert [b.kind for b in text.blocks] == ["heading", "marker", "heading", "paragraph", "marker", "paragraph"]
    assert "" not in text.by_anchor
    assert text.heading_for("box4-1-p1").anchor == "box4-1"
    assert text.heading_for("s4-p1").anchor == "s4"  # the box's heading does not govern text after it
