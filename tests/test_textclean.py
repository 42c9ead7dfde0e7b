"""builder.textclean: raw extracted plan text -> anchored Markdown (the text.md contract)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest

from builder.errors import Problems
from builder.plantext import parse_plan_text
from builder.textclean import clean_plan_text, join_lines

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "content" / "sources"
SEED_000 = SOURCES / "000_22f36ed06e318fad.txt"
CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
ANCHOR_LINE = re.compile(r"^\{: #[\w-]+ \}$", re.M)
HEADING_ID = re.compile(r" \{#[\w-]+\}$", re.M)
BOX_OPEN = '<div class="atlas-box" markdown>'
TABLE_OPEN = '<div class="atlas-table" markdown>'
CLOSE = "</div>"
MARKERS = (BOX_OPEN, TABLE_OPEN, CLOSE)


def seed(prefix: str) -> str:
    return next(SOURCES.glob(f"{prefix}_*.txt")).read_text("utf-8")


@lru_cache(maxsize=None)
def cleaned(prefix: str) -> str:
    return clean_plan_text(seed(prefix))


def blocks(markdown: str) -> list[list[str]]:
    return [chunk.split("\n") for chunk in markdown.rstrip("\n").split("\n\n")]


def paragraphs(markdown: str) -> dict[str, str]:
    """anchor -> paragraph text, for every non-heading block."""
    out = {}
    for lines in blocks(markdown):
        if lines[0] not in MARKERS and not lines[0].startswith("#"):
            out[lines[-1][4:-2]] = "\n".join(lines[:-1])
    return out


def nearest_heading_walk(markdown: str):
    """Yield (governing heading id, block lines) the way builder.plantext reads containers:
    a `</div>` hands the text back to the heading that was current when its `<div>` opened."""
    current, outer = None, []
    for lines in blocks(markdown):
        if lines[0] in MARKERS:
            if lines[0] == CLOSE:
                current = outer.pop()
            else:
                outer.append(current)
        elif lines[0].startswith("#"):
            current = re.search(r"\{#([\w-]+)\}$", lines[0]).group(1)
        yield current, lines


def squash(text: str) -> str:
    """Drop everything the cleaner may legitimately change: whitespace, markup, anchors, cell bars."""
    text = re.sub(r"\[bookmark:[^\]]*\]", "", text)
    text = HEADING_ID.sub("", ANCHOR_LINE.sub("", text))
    return re.sub(r"\s+|\*\*|#|<br>|\|", "", text)


# --- the 000 deliverable ---------------------------------------------------------------------


def test_000_format_contract():
    md = cleaned("000")
    assert md.endswith("\n") and not md.endswith("\n\n")
    assert "\n\n\n" not in md
    assert not re.search(r"[ \t]$", md, re.M), "trailing whitespace"
    for lines in blocks(md):
        if lines[0] in MARKERS:
            assert len(lines) == 1, lines
        elif lines[0].startswith("#"):
            assert len(lines) == 1 and re.match(r"^#{2,4} \S.* \{#[a-z][\w-]*\}$", lines[0]), lines
        else:
            assert len(lines) == 2 and re.match(r"^\{: #[a-z][\w-]* \}$", lines[1]), lines


def test_000_parses_with_plantext_and_anchors_are_unique():
    md = cleaned("000")
    problems = Problems()
    text = parse_plan_text(md, "text.md", problems)
    assert not list(problems), problems
    anchors = re.findall(r"\{: #([\w-]+) \}|\{#([\w-]+)\}", md)
    ids = [a or b for a, b in anchors]
    anchored = [b for b in text.blocks if b.kind != "marker"]
    assert len(ids) == len(set(ids)) == len(anchored)
    assert len(text.blocks) - len(anchored) == sum(md.count(f"\n{m}\n") for m in MARKERS)


def test_000_paragraph_anchor_follows_nearest_heading():
    """Inside a box/table the box heading governs; after `</div>` the enclosing section does again,
    continuing its numbering."""
    counts = {}
    for current, lines in nearest_heading_walk(cleaned("000")):
        if lines[0] in MARKERS or lines[0].startswith("#"):
            continue
        anchor = lines[-1][4:-2]
        if anchor == "cover":
            continue
        counts[current] = counts.get(current, 0) + 1
        assert anchor == f"{current}-p{counts[current]}"


def test_000_deterministic():
    raw = SEED_000.read_text("utf-8")
    assert clean_plan_text(raw) == clean_plan_text(raw)


def test_000_checked_in_text_md_is_current():
    target = ROOT / "content" / "plans" / "longgang-14th" / "text.md"
    assert target.read_text("utf-8") == cleaned("000")


def test_000_cover_and_toc():
    md = cleaned("000")
    assert md.startswith("深圳市龙岗区工业发展“十四五”规划<br>龙岗区工业和信息化局<br>2022年6月\n{: #cover }\n\n## 前言 {#s0}\n")
    assert "目 录" not in md and "\t" not in md and "....." not in md
    assert md.count("一、发展基础与环境") == 1


def test_000_no_markup_artefacts():
    md = cleaned("000")
    assert "[bookmark" not in md
    assert "**" not in md
    assert not re.search(r"^(- |# |\d+\. )", md, re.M)
    assert "m^2" not in md and "m ²" not in md
    assert not re.search("[¹²³]", md.replace("m²", "")), "footnote markers left"
    assert ", " not in md.replace(" | ", ""), "half-width comma inside Chinese text"


def test_000_headings():
    md = cleaned("000")
    for heading in [
        "## 前言 {#s0}",
        "## 一、发展基础与环境 {#s1}",
        "### （一）工业发展量质稳步提升 {#s1-1}",
        "#### 2.创新驱动与稳步发展相结合 {#s2-2-2}",
        "#### 表 2-1：龙岗区工业发展“十四五”规划目标体系 {#tab2-1}",
        "#### 表 1-1：龙岗区“十三五”工业发展目标完成情况 {#tab1-1}",
        "#### 2.半导体与集成电路产业集群 {#s3-1-2}",
        "#### 12.其它先进制造业 {#s3-1-12}",
        "#### 2.可见光通信与光计算产业集群 {#s3-2-2}",
        "## 四、主要任务 {#s4}",
        "### （四）实施高品质产业空间保障行动，夯实产业高质量发展基础 {#s4-4}",
        "#### 专栏 3-6：数字创意产业集群重点领域 {#box3-6}",
        "#### 专栏 4-7：新型基础设施建设重点项目 {#box4-7}",
        "#### 专栏 4-8：产业空间保障重点项目 {#box4-8}",
        "### （五）加强规划落实 {#s5-5}",
    ]:
        assert f"\n{heading}\n" in md, heading
    levels = re.findall(r"^(#+) ", md, re.M)
    assert (levels.count("##"), levels.count("###"), levels.count("####")) == (6, 23, 51)
    # numbered project items inside 专栏 boxes are never headings
    assert not re.search(r"^#### \d+、", md, re.M)


def test_000_boxes_and_tables_are_closed_containers():
    md = cleaned("000")
    box_headings = re.findall(r"^#### 专栏 ", md, re.M)
    table_headings = re.findall(r"^#### 表 ", md, re.M)
    assert len(box_headings) == 24 and len(table_headings) == 2
    lines = md.split("\n")
    assert lines.count(BOX_OPEN) == len(box_headings)
    assert lines.count(TABLE_OPEN) == len(table_headings)
    # every container opens right before its heading, closes before any other one opens, never nests
    stack = []
    for i, line in enumerate(lines):
        if line in (BOX_OPEN, TABLE_OPEN):
            assert not stack, f"line {i + 1}: container opened inside another"
            assert lines[i + 1] == "" and re.match(r"^#### (专栏|表) ", lines[i + 2]), lines[i + 2]
            stack.append(line)
        elif line == CLOSE:
            assert stack, f"line {i + 1}: </div> without an open container"
            stack.pop()
        elif re.match(r"^#### (专栏|表) ", line):
            assert lines[i - 2] in (BOX_OPEN, TABLE_OPEN), line
        elif line.startswith("#"):
            assert not stack, f"line {i + 1}: heading inside a container: {line}"
    assert not stack
    # marker blocks are blocks of their own
    for line in MARKERS:
        assert md.count(f"\n{line}\n") == lines.count(line)
        assert md.count(f"\n\n{line}\n\n") == lines.count(line)


def test_000_body_text_after_a_box_goes_back_to_its_section():
    md = cleaned("000")
    paras = paragraphs(md)
    [(anchor, text)] = [(a, t) for a, t in paras.items() if t.startswith("实施绿色低碳产业壮大计划。依托深圳国际低碳城等载体")]
    assert anchor == "s4-2-p3"  # s4-2-p1, s4-2-p2 come before 专栏 4-3
    # the paragraphs that follow a box's last item, and only those, left the box
    after_box = {}
    for chunk in md.split("\n\n</div>\n\n")[1:]:
        first = chunk.split("\n\n")[0].split("\n")
        if len(first) == 2:
            after_box[first[1][4:-2]] = first[0][:12]
    assert after_box == {
        "s4-1-p3": "打造辐射引领大湾区 AI",
        "s4-2-p3": "实施绿色低碳产业壮大计划",
        "s4-2-p4": "实施现代时尚产业提升计划",
        "s4-3-p3": "完善产学研合作创新平台体",
        "s4-5-p3": "加快工业大数据开发应用。",
    }
    for anchor in ["s4-3-p4", "s4-3-p5", "s4-5-p4"]:
        assert not re.match(r"^\d+、", paras[anchor])
    # a box keeps its numbered items and the unnumbered entries under an item that ends in "："
    assert [a for a in paras if a.startswith("box4-1-")] == [f"box4-1-p{n}" for n in range(1, 9)]
    assert [a for a in paras if a.startswith("box4-6-")] == [f"box4-6-p{n}" for n in range(1, 6)]
    assert [a for a in paras if a.startswith("box4-10-")] == [f"box4-10-p{n}" for n in range(1, 15)]
    assert paras["box4-10-p10"] == "3、“IT+BT”融合领域："
    assert paras["box4-10-p14"].startswith("IT+农业。")
    # a table keeps its notes and page-foot footnotes
    assert paras["tab2-1-p29"] == "衔接《广东省制造业高质量发展“十四五”规划》。"
    assert paras["tab1-1-p18"].startswith("注：")
    # builder.plantext labels the resumed body text with its section, not with the box
    text = parse_plan_text(md, "text.md", Problems())
    assert text.heading_for("s4-2-p3").anchor == "s4-2"
    assert text.heading_for("box4-3-p5").anchor == "box4-3"


# Anchors other people cite: none of them sits after a box, so none may move or change its text.
# (start, end, length) of the paragraph text.
PINNED = {
    "cover": ("深圳市龙岗区工业发展“十四五”规划<br>龙岗区", "局<br>2022年6月", 42),
    "s0-p1": ("“十四五”时期是我国在全面建成小康社会、实现第一", "化经济体系提供有力支撑。", 265),
    "s1-4-p3": ("深圳市与龙岗区层面，深圳全面抢抓“双区”驱动、“", "发展工业创造了更好条件。", 281),
    "s3-1-1-p2": ("网络与通信产业集群主要布局研发设计+生产制造环节", "打造网络与通信产业集群。", 193),
    "s3-1-5-p2": ("软件与信息服务产业集群主要布局研发设计环节，重点", "业软件及工业云产业高地。", 201),
    "s3-2-1-p1": ("提升港中大医学院、瓦谢尔计算生物研究院、科比尔卡", "打造细胞与基因产业集群。", 115),
    "s4-4-p2": ("大力推进龙岗东中西三大先进制造业园区开发建设。依", "、安全节能环保产业集群。", 205),
}


@pytest.mark.parametrize("anchor", PINNED)
def test_000_cited_anchors_are_stable(anchor):
    start, end, length = PINNED[anchor]
    text = paragraphs(cleaned("000"))[anchor]
    assert (text[: len(start)], text[-len(end) :], len(text)) == (start, end, length)


def test_000_rejoins_broken_lines():
    paras = paragraphs(cleaned("000"))
    text = "\n".join(paras.values())
    for joined in [
        "经认定的国家高新技术企业达 2502 家",
        "片区规模约 48 万 m²",
        "已建成生产型工业园区难以满足企业产能扩大需求",
        "总投资约 5.3 亿元，拟选址用地面积 8000 m²",
        "思明变电站配套 10kv 出线电缆沟工程",
        "大开间（面积不小于 3000 m²）产业用房",
        "及时提出督办建议",
    ]:
        assert joined in text, joined
    assert all("\n" not in p for p in paras.values())


def test_000_every_sentence_ends_its_block():
    """A block that stops mid-sentence means a PDF line break was left in place."""
    for anchor, text in paragraphs(cleaned("000")).items():
        if anchor == "cover" or " | " in text or re.match(r"^[一二三四五]、", text):
            continue  # cover lines and table rows carry no sentence punctuation
        assert text[-1] in "。；：！？”", (anchor, text[-20:])


def test_000_industrial_park_paragraph():
    paras = paragraphs(cleaned("000"))
    [(anchor, text)] = [(a, t) for a, t in paras.items() if t.startswith("大力推进龙岗东中西三大先进制造业园区开发建设")]
    assert re.fullmatch(r"s4-4-p\d+", anchor)
    assert "龙岗西先进制造业园区重点发展网络与通信、半导体与集成电路、智能终端产业集群" in text
    assert "龙岗东先进制造业园区重点发展" in text


def test_000_box_4_8_items_are_separate_blocks():
    paras = paragraphs(cleaned("000"))
    items = {a: t for a, t in paras.items() if a.startswith("box4-8-")}
    assert list(items) == [f"box4-8-p{n}" for n in range(1, 12)]
    for n, (anchor, text) in enumerate(items.items(), start=1):
        assert text.startswith(f"{n}、"), (anchor, text[:10])
        assert re.findall(r"(?:^|。)(\d+)、", text) == [str(n)], "items glued together"
    assert items["box4-8-p4"].startswith("4、电子信息产业集群承载区坂田金园产业片区大面积产业空间整備：片区规模约 48 万 m²")


def test_000_target_table_rows():
    paras = paragraphs(cleaned("000"))
    assert paras["tab2-1-p1"] == "指标 | 2020 基数 | 2025 目标"
    assert paras["tab2-1-p6"] == "4 | 规模以上工业企业数 | 1864 | 2600"
    rows = [t for a, t in paras.items() if a.startswith("tab2-1-") and re.match(r"\d+ \| ", t)]
    assert [int(r.split(" | ")[0]) for r in rows] == list(range(1, 20))
    assert "19 | 高标准制造业用房面积（万 m²） | — | 200" in rows
    # the page-foot footnote that split the table follows the table instead
    after = [t for a, t in paras.items() if a.startswith("tab2-1-")][-4:]
    assert after[0] == "全市目标 15000 家。" and after[1].startswith("注：")


def test_000_preserves_every_cjk_run():
    raw = SEED_000.read_text("utf-8")
    body = raw[raw.index("\n前言\n") :]
    out = squash(cleaned("000"))
    # table rows are checked cell by cell (merged header rows may reorder cells)
    prose = "\n".join("。" if "\t" in line.strip(" ") else line for line in body.split("\n"))
    cells = [cell for line in body.split("\n") if "\t" in line for cell in line.split("\t")]
    runs = CJK_RUN.findall(squash(prose)) + [r for c in cells for r in CJK_RUN.findall(squash(c))]
    missing = [run for run in runs if run not in out]
    assert not missing, missing[:10]
    cover = raw[: raw.index("目 录")]
    assert len(CJK_RUN.findall(out)) and sum(map(len, CJK_RUN.findall(out))) == sum(
        map(len, CJK_RUN.findall(squash(cover) + squash(body)))
    ), "CJK characters were added or dropped"


# --- other seeds: must run, with their most obvious artefact gone ----------------------------


@pytest.mark.parametrize("prefix", ["001", "002", "003", "004"])
def test_other_seeds_run_and_keep_the_contract(prefix):
    md = cleaned(prefix)
    problems = Problems()
    parse_plan_text(md, f"{prefix}.md", problems)
    assert not list(problems), list(problems)[:3]
    assert "**" not in md and "\t" not in md


@pytest.mark.parametrize("prefix", ["001", "002"])
def test_bookmark_tags_removed(prefix):
    assert "[bookmark" in seed(prefix)
    assert "[bookmark" not in cleaned(prefix)
    assert "_Toc" not in cleaned(prefix)


def test_003_hard_wrapped_lines_rejoined():
    md = cleaned("003")
    assert "全面落实省第十三次党代会和市第七次党代会决策部署" in md
    assert "提出以下意见。" in md
    assert "## 一、发展基础 {#s1}" in md


def test_004_markdown_markup_removed():
    md = cleaned("004")
    assert "<sup>" not in md and "<b>" not in md
    assert "## 序言 {#s0}" in md
    assert md.startswith("深圳市坪山区高质量建设制造业强区 “十五五”规划<br>")
    assert "#### 1.制造强区地位稳固，新兴产业集聚发展 {#s1-1-1}" in md


# --- small synthetic cases -------------------------------------------------------------------


def test_join_lines_spacing():
    assert join_lines("经认定", "的国家高新技术企业") == "经认定的国家高新技术企业"
    assert join_lines("总投资约 5.3 亿", "元") == "总投资约 5.3 亿元"
    assert join_lines("based on", "IPv6 routers") == "based on IPv6 routers"
    assert join_lines("5G+智慧景区、", "5G+智慧文化场馆") == "5G+智慧景区、5G+智慧文化场馆"


def test_broken_sentence_across_blank_line_is_joined():
    md = clean_plan_text("一、总则\n\n（一）目标\n\n产业用地规\n\n模约 48 万 m^2，整備规模约 36 万 m²。\n")
    assert "产业用地规模约 48 万 m²，整備规模约 36 万 m²。\n{: #s1-1-p1 }" in md


def test_finished_sentences_stay_separate_and_items_split():
    raw = "一、总则\n\n专栏 1-1：重点项目\n\n1、甲项目：投资约\n\n2 亿元。\n2、乙项目：建设研发\n大楼。\n"
    md = clean_plan_text(raw)
    assert "1、甲项目：投资约2 亿元。\n{: #box1-1-p1 }" in md
    assert "2、乙项目：建设研发大楼。\n{: #box1-1-p2 }" in md


def anchored(md: str) -> list[tuple[str, str]]:
    """(anchor or marker, first characters) per block, in order."""
    out = []
    for lines in blocks(md):
        if lines[0] in MARKERS:
            out.append((lines[0], ""))
        elif lines[0].startswith("#"):
            heading = re.match(r"^(.*) \{#([\w-]+)\}$", lines[0])
            out.append((heading.group(2), heading.group(1)[:8]))
        else:
            out.append((lines[-1][4:-2], lines[0][:6]))
    return out


def test_box_ends_at_the_first_body_paragraph():
    raw = "\n".join(
        [
            "一、总则",
            "（一）目标",
            "推进甲计划。建设甲。",
            "专栏 1-1：重点项目",
            "1、甲项目：投资约 2 亿元。",
            "- 2、乙项目：建设研发大楼。",
            "实施乙计划。依托乙，推动乙。",
            "推进丙计划。推动丙。",
            "（二）保障",
        ]
    )
    assert anchored(clean_plan_text(raw)) == [
        ("s1", "## 一、总则"),
        ("s1-1", "### （一）目"),
        ("s1-1-p1", "推进甲计划。"),
        (BOX_OPEN, ""),
        ("box1-1", "#### 专栏 "),
        ("box1-1-p1", "1、甲项目："),
        ("box1-1-p2", "2、乙项目："),
        (CLOSE, ""),
        ("s1-1-p2", "实施乙计划。"),
        ("s1-1-p3", "推进丙计划。"),
        ("s1-2", "### （二）保"),
    ]


def test_box_keeps_entries_under_an_item_ending_in_a_colon_and_group_labels():
    raw = "\n".join(
        [
            "一、总则",
            "专栏 1-1：融合方向",
            "成果源头：",
            "1、“5G+”融合领域：",
            "5G+工业互联网。推动甲。",
            "5G+智慧物流。推动乙。",
            "2、“AI+”融合领域：",
            "AI+智能制造。推动丙。",
            "成果产业化：",
            "3、丙平台：建设丙。",
            "注：以上为示意。",
            "二、保障",
        ]
    )
    md = clean_plan_text(raw)
    assert [a for a, _ in anchored(md)] == [
        "s1", BOX_OPEN, "box1-1", *(f"box1-1-p{n}" for n in range(1, 10)), CLOSE, "s2"
    ]


def test_box_ends_at_a_number_out_of_its_sequence():
    raw = "一、总则\n专栏 1-1：项目\n1.甲项目：建设甲。\n2.乙项目：建设乙。\n25. 强化丙推动丙加大支持。\n"
    md = clean_plan_text(raw)
    assert [a for a, _ in anchored(md)] == ["s1", BOX_OPEN, "box1-1", "box1-1-p1", "box1-1-p2", CLOSE, "s1-p1"]


def test_box_opening_with_prose_runs_to_the_next_heading():
    raw = "一、总则\n专栏 1-1：说明\n本专栏列出甲。\n甲是乙。\n二、保障\n"
    md = clean_plan_text(raw)
    assert [a for a, _ in anchored(md)] == ["s1", BOX_OPEN, "box1-1", "box1-1-p1", "box1-1-p2", CLOSE, "s2"]


def test_table_keeps_rows_and_notes_then_body_resumes():
    raw = "\n".join(
        [
            "一、总则",
            "具体情况详见下表。",
            "表 1-1：指标",
            "指标\t2025",
            "产值¹\t100",
            "¹ 全市目标 15000 家。",
            "注：以上均为预期性指标。",
            "资料来源：统计局。",
            "从上表可以看出，各项指标均已完成，发展态势良好。",
            "专栏 1-1：项目",
            "1、甲项目：建设甲。",
        ]
    )
    md = clean_plan_text(raw)
    assert [a for a, _ in anchored(md)] == [
        "s1", "s1-p1", TABLE_OPEN, "tab1-1", *(f"tab1-1-p{n}" for n in range(1, 6)), CLOSE, "s1-p2",
        BOX_OPEN, "box1-1", "box1-1-p1", CLOSE,
    ]
    problems = Problems()
    text = parse_plan_text(md, "t.md", problems)
    assert not list(problems)
    assert text.heading_for("s1-p2").anchor == "s1"


def test_heading_detection_levels_and_ids():
    raw = "\n".join(
        [
            "前 言",
            "规划背景。",
            "一、 发展基础",
            "(一) 发展成效, 稳步提升",
            "1.产业规模扩大",
            "规模扩大。",
            "2. 结构优化",
            "结构优化。",
            "表2-1：指标体系",
            "指标\t2025",
            "（二）存在问题",
            "1、第一，问题较多。",
            "二、总体要求",
        ]
    )
    md = clean_plan_text(raw)
    for heading in [
        "## 前言 {#s0}",
        "## 一、发展基础 {#s1}",
        "### （一）发展成效，稳步提升 {#s1-1}",
        "#### 1.产业规模扩大 {#s1-1-1}",
        "#### 2.结构优化 {#s1-1-2}",
        "#### 表 2-1：指标体系 {#tab2-1}",
        "### （二）存在问题 {#s1-2}",
        "## 二、总体要求 {#s2}",
    ]:
        assert f"{heading}\n" in md, heading
    assert "指标 | 2025\n{: #tab2-1-p1 }" in md
    assert "1、第一，问题较多。\n{: #s1-2-p1 }" in md  # a sentence, not a heading


def test_out_of_sequence_numbers_are_not_headings():
    md = clean_plan_text("一、总则\n\n（一）目标\n\n3.经济效益提升\n\n三、不是第二章\n")
    assert "#### 3." not in md and "## 三、" not in md
