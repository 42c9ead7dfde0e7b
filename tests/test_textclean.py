"""builder.textclean: raw extracted plan text -> anchored Markdown (the text.md contract)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

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
    assert_keeps_contract(md)
    assert not re.search(r"^#{5}", md, re.M), "000 has no heading below level 4"


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


def table_of_contents(raw: str) -> list[str]:
    """The entries of the seed's own 目 录, without page numbers and leader dots."""
    start = raw.index("目 录") + len("目 录")
    toc = raw[start : raw.index("\n前言\n", start)]
    return [re.sub(r"\.+$", "", line.rsplit("\t", 1)[0]).strip() for line in toc.split("\n") if line.strip()]


def toc_level(entry: str) -> str:
    """The heading level each numbering form of the 目 录 stands for."""
    if re.match(r"^\(\w\) ", entry):
        return "###"
    return "####" if re.match(r"^\d+\.", entry) else "##"


def test_000_headings_are_the_table_of_contents_plus_boxes_and_tables():
    """Expected headings come from the seed itself: its 目 录 (in order, at the level its numbering
    form stands for) and the 专栏 / 表 captions of its body; nothing else is a heading."""
    raw = SEED_000.read_text("utf-8")
    md = cleaned("000")
    headings = re.findall(r"^(#+) (.*) \{#[\w-]+\}$", md, re.M)
    assert len(headings) == len(re.findall(r"^#", md, re.M)), "a heading without an id"
    expected = [
        (toc_level(entry), re.sub(r"^\((\w)\) ", r"（\1）", entry)) for entry in table_of_contents(raw)
    ]
    assert [h for h in headings if not re.match(r"(专栏|表) ", h[1])] == expected
    body = raw[raw.index("\n前言\n", raw.index("目 录")) :]
    captions = re.findall(r"^((?:专栏|表) ?\d+-\d+)", body, re.M)
    assert captions and [t[: t.index("：")] for h, t in headings if re.match(r"(专栏|表) ", t)] == [
        re.sub(r"^(专栏|表) ?", r"\1 ", c) for c in captions
    ]
    assert {h for h, t in headings if re.match(r"(专栏|表) ", t)} == {"####"}
    # numbered project items inside 专栏 boxes are never headings
    assert not re.search(r"^#### \d+、", md, re.M)
    # a few ids, which other files cite
    for heading in ["## 前言 {#s0}", "### （一）工业发展量质稳步提升 {#s1-1}", "#### 专栏 4-8：产业空间保障重点项目 {#box4-8}",
                    "#### 表 2-1：龙岗区工业发展“十四五”规划目标体系 {#tab2-1}", "#### 12.其它先进制造业 {#s3-1-12}"]:
        assert f"\n{heading}\n" in md, heading


def test_000_boxes_and_tables_are_closed_containers():
    md = cleaned("000")
    box_headings = re.findall(r"^#### 专栏 ", md, re.M)
    table_headings = re.findall(r"^#### 表 ", md, re.M)
    raw = SEED_000.read_text("utf-8")
    assert len(box_headings) == len(set(re.findall(r"^专栏 ?(\d+-\d+)", raw, re.M))) > 0
    assert len(table_headings) == len(set(re.findall(r"^表 ?(\d+-\d+)", raw, re.M))) > 0
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
# (start, end) of the paragraph, as the seed words them; the paragraph must be exactly the seed's
# passage from the one to the other, with only line breaks, spaces and markup taken out and
# half-width punctuation made full-width (compared after NFKC folds both back).
PINNED = {
    "cover": ("深圳市龙岗区工业发展“十四五”规划", "2022年6月"),
    "s0-p1": ("“十四五”时期是我国在全面建成小康社会、实现第一", "化经济体系提供有力支撑。"),
    "s1-4-p3": ("深圳市与龙岗区层面，深圳全面抢抓“双区”驱动、“", "发展工业创造了更好条件。"),
    "s3-1-1-p2": ("网络与通信产业集群主要布局研发设计+生产制造环节", "打造网络与通信产业集群。"),
    "s3-1-5-p2": ("软件与信息服务产业集群主要布局研发设计环节，重点", "业软件及工业云产业高地。"),
    "s3-2-1-p1": ("提升港中大医学院、瓦谢尔计算生物研究院、科比尔卡", "打造细胞与基因产业集群。"),
    "s4-4-p2": ("大力推进龙岗东中西三大先进制造业园区开发建设。依", "、安全节能环保产业集群。"),
}


@pytest.mark.parametrize("anchor", PINNED)
def test_000_cited_anchors_are_stable(anchor):
    def fold(text):
        return unicodedata.normalize("NFKC", squash(text))

    start, end = PINNED[anchor]
    raw = fold(SEED_000.read_text("utf-8"))
    text = paragraphs(cleaned("000"))[anchor]
    assert text.startswith(start) and text.endswith(end)
    begin = raw.index(fold(start))
    assert fold(text) == raw[begin : raw.index(fold(end), begin) + len(fold(end))]


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


# --- every seed: contract, text preservation -------------------------------------------------

BUNDLES = yaml.safe_load((SOURCES / "bundles.yaml").read_text("utf-8"))
SEED_003 = next(SOURCES.glob("003_*.txt"))
PARTS = {entry["id"]: entry for entry in BUNDLES[SEED_003.name]}
# a table of contents is dropped on purpose: (first line of the TOC, first line after it)
TOC = {"000": ("目 录", "\n前言\n"), "004": ("# 目 录", "\n## 序 言\n")}


@lru_cache(maxsize=None)
def part_raw(plan_id: str) -> str:
    """One document of the 003 bundle, cut the way `atlas import --lines A-B` cuts it."""
    first, last = (int(n) for n in PARTS[plan_id]["lines"].split("-"))
    return "\n".join(SEED_003.read_text("utf-8").splitlines()[first - 1 : last]) + "\n"


@lru_cache(maxsize=None)
def cleaned_part(plan_id: str) -> str:
    return clean_plan_text(part_raw(plan_id))


def raw_without_toc(prefix: str) -> str:
    raw = seed(prefix)
    if prefix in TOC:
        start, end = TOC[prefix]
        raw = raw[: raw.index(start)] + raw[raw.index(end) :]
    return raw


def assert_keeps_contract(md: str) -> None:
    assert md.endswith("\n") and not md.endswith("\n\n")
    assert "\n\n\n" not in md and "\t" not in md and "**" not in md and "[bookmark" not in md
    assert not re.search(r"[ \t]$", md, re.M), "trailing whitespace"
    for lines in blocks(md):
        if lines[0] in MARKERS:
            assert len(lines) == 1, lines
        elif lines[0].startswith("#"):
            assert len(lines) == 1 and re.match(r"^#{2,5} \S.* \{#[a-z][\w-]*\}$", lines[0]), lines
        else:
            assert len(lines) == 2 and re.match(r"^\{: #[a-z][\w-]* \}$", lines[1]), lines
    problems = Problems()
    text = parse_plan_text(md, "text.md", problems)
    assert not list(problems), list(problems)[:3]
    counts = {}
    for current, lines in nearest_heading_walk(md):
        if lines[0] in MARKERS or lines[0].startswith("#") or lines[-1] == "{: #cover }":
            continue
        current = current or "intro"
        counts[current] = counts.get(current, 0) + 1
        assert lines[-1][4:-2] == f"{current}-p{counts[current]}"
    assert len(text.blocks) > 20


@pytest.mark.parametrize("prefix", ["001", "002", "003", "004"])
def test_other_seeds_keep_the_format_contract(prefix):
    assert_keeps_contract(cleaned(prefix))


@pytest.mark.parametrize("plan_id", list(PARTS))
def test_each_bundled_document_keeps_the_format_contract(plan_id):
    md = cleaned_part(plan_id)
    assert_keeps_contract(md)
    assert md.count("{: #cover }") == 1 and md.index("{: #cover }") < md.index("{: #intro-p1 }")


def assert_preserves_cjk(raw: str, md: str) -> None:
    """Every run of Chinese characters of every source line (or table cell) is in the output, and
    the output has exactly as many Chinese characters as the source: nothing lost, nothing added."""
    out = squash(md)
    runs = [run for line in raw.split("\n") for cell in line.split("\t") for run in CJK_RUN.findall(squash(cell))]
    missing = [run for run in runs if run not in out]
    assert not missing, missing[:10]
    assert sum(map(len, CJK_RUN.findall(out))) == sum(map(len, CJK_RUN.findall(squash(raw))))


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_seed_preserves_every_cjk_run(prefix):
    assert_preserves_cjk(raw_without_toc(prefix), cleaned(prefix))


@pytest.mark.parametrize("plan_id", list(PARTS))
def test_each_bundled_document_preserves_every_cjk_run(plan_id):
    assert_preserves_cjk(part_raw(plan_id), cleaned_part(plan_id))


def unfinished_paragraphs(md: str) -> list[tuple[str, str]]:
    """Paragraphs that stop without sentence punctuation (table rows and the cover excepted)."""
    return [
        (anchor, text[-20:])
        for anchor, text in paragraphs(md).items()
        if anchor != "cover" and "-tab" not in anchor and not anchor.startswith("tab") and text[-1] not in "。；：！？”）]"
    ]


@pytest.mark.parametrize("plan_id", list(PARTS))
def test_bundled_documents_have_no_broken_sentences(plan_id):
    assert unfinished_paragraphs(cleaned_part(plan_id)) == []


def test_other_seeds_break_sentences_only_where_the_source_does():
    # the only unpunctuated paragraph ends are the source's own (a list entry, a caption, a lost 。)
    assert unfinished_paragraphs(cleaned("001")) == [
        ("part1-s3-1-p2", "十四五”规划实施中期评估工作方案》的通知"),
        ("part3-s3-p1", "和产业化，规划建设大运深港科技产业合作区"),
    ]
    assert unfinished_paragraphs(cleaned("002")) == []
    assert unfinished_paragraphs(cleaned("004")) == [("s4-p4", "坪山区先进制造业“三区一带”空间布局")]


# --- 001: DOCX text, parts, one-cell-per-line tables -----------------------------------------


def test_001_parts_push_chapters_one_level_down():
    md = cleaned("001")
    for heading in [
        "## 第一部分中期评估概述 {#part1}",
        "### 一、中期评估的基本情况 {#part1-s1}",
        "#### （一）评估依据 {#part1-s3-1}",
        "## 第六部分 加强规划实施的措施 {#part6}",
        "### 四、做好生产性服务业发展、经济指标调度、优化营商环境、重大项目建设、产业政策制定“五统筹” {#part6-s4}",
    ]:
        assert f"\n{heading}\n" in f"\n{md}", heading
    # a numbered paragraph that is a full sentence is not a heading
    assert paragraphs(md)["part1-s2-p2"].startswith("（一）精心组织，安排到位。成立")


def test_001_section_numbering_that_switches_to_arabic_numerals():
    md = cleaned("001")
    assert "\n#### （一）“三大攻坚战”顺利收官。 {#part1-s4-1}\n" in md
    for n, title in [(2, "产业发展新引擎凸显。"), (3, "产业转型加速推进。"), (5, "稳外资外贸促消费效果显著。")]:
        assert f"\n#### （{n}）{title} {{#part1-s4-{n}}}\n" in md
    assert paragraphs(md)["part1-s4-2-p1"].startswith("谋划集群发展顶层设计")


def test_001_cell_per_line_tables_become_rows():
    md = cleaned("001")
    paras = paragraphs(md)
    assert "\n#### 表 1.总量和经济效益目标 {#tab1}\n" in md
    # header cells wrapped onto a second line ("2020年\n基数") are joined within their cell
    assert paras["tab1-p1"] == "序号 | 指标名称 | 2020年基数 | 2025年目标 | 属性 | 中期完成情况"
    assert paras["tab1-p2"] == "1 | 规上工业总产值（亿元） | 11304.35 | 14000 | 预期性 | 9741.43"
    assert paras["tab4-p4"] == "（备注：标准为“—”的指标代表未设定具体目标值或未获得当前数据）"  # the note stays with its table
    # a long cell keeps its two numbered paragraphs in one row
    assert paras["tab5-p3"].startswith("2 | 工业用地保留提升区面积（平方公里） | —— | ＞25 | 预期性 | ①工业区保留提升区面积情况：2020年8月")
    assert "②工业区保留提升区占补平衡工作开展情况：自2023年3月10日" in paras["tab5-p3"]
    # an unnumbered table: its title line becomes the table heading, empty cells keep the columns aligned
    assert "\n#### 2021年以来全区工业指标完成情况表 {#part5-s2-tab}\n" in md
    assert paras["part5-s2-tab-p1"] == "| 规上工业增加值（亿） | 增速（%） | 规上工业总产值（亿）"
    assert paras["part5-s2-tab-p2"] == "2020年基数 | 2784.59 | | 11304.35"
    assert paras["part5-s2-p2"].startswith("二是龙头企业部分业务相继剥离。")  # the body text resumes after it
    # the appendix table: its group labels ("一、…") are one-cell rows, not chapter headings
    assert "\n#### 附表：工业发展“十四五”规划指标中期执行情况表 {#annex-tab}\n" in md
    assert paras["annex-tab-p2"] == "一、总量和经济效益目标"
    assert paras["annex-tab-p25"] == "19 | 高标准制造业用房面积（万㎡） | —— | 200 | 预期性 | 78 | 否"
    assert len(re.findall(r"^## ", md, re.M)) == 6  # the six parts, nothing else at that level


# --- 002: bookmarks, running task numbers, 专栏 boxes exported as one-cell tables -------------


def test_002_task_numbers_running_through_a_chapter_are_headings():
    md = cleaned("002")
    subs = re.findall(r"^#### (\d+)\.\S+ \{#s4-\d-\d+\}$", md, re.M)
    assert [int(n) for n in subs] == list(range(1, 30))
    for heading in [
        "#### 5.打造坂雪岗-观澜硬科技创新集聚区 {#s4-2-5}",
        "#### 25.强化科技金融结合推动科技成果转化 {#s4-6-25}",  # right after 专栏 4-6
        "#### 29.构建重点片区协同创新大格局 {#s4-7-29}",
        "#### 2. 5G {#s3-1-2}",
    ]:
        assert f"\n{heading}\n" in md, heading


def test_002_one_cell_frames_are_boxes_with_separate_items():
    md = cleaned("002")
    paras = paragraphs(md)
    assert "\n#### 专栏 4-1：创新引领的数字经济先行区建设项目 {#box4-1}\n" in md
    items = [t for a, t in paras.items() if a.startswith("box4-1-")]
    assert [t[: t.index("\\")] for t in items] == [str(n) for n in range(1, 7)]
    assert items[0].startswith("1\\. 智慧龙华：由龙华区政府与华为、中兴等共同推进")
    assert [a for a in paras if a.startswith("box4-3-")] == [f"box4-3-p{n}" for n in range(1, 13)]
    assert (paras["box4-3-p1"], paras["box4-3-p5"], paras["box4-3-p10"]) == ("科技成果源头供给：", "成果产业化：", "研发中试平台：")
    assert md.count(BOX_OPEN) == len(set(re.findall(r"专栏 ?(\d+-\d+)", seed("002")))) > 0


def test_002_tables_keep_rows_and_merged_cells():
    paras = paragraphs(cleaned("002"))
    assert paras["tab1-p1"] == "序号 | 指标 | 单位 | “十三五”初期（2015年底） | “十三五”末期（2020年底） | 5年增长率"
    assert paras["tab1-p11"] == "10 | 众创空间 | 个 | 4 | 39 | 875%"
    assert paras["tab2-p2"] == "科技创新资源 | 1 | 市级以上创新载体（家） | 220 | 预期性"
    assert paras["tab2-p3"] == "| 2 | 各类高层次人才（人） | 2000 | 预期性"  # under the merged 类型 cell
    assert paras["s1-1-p2"].startswith("截至目前，龙华区已全部完成科技创新“十三五”规划2020年目标值")


def test_002_preface_list_items_stay_separate():
    paras = paragraphs(cleaned("002"))
    assert paras["s0-p4"].endswith("本规划编制的主要依据：")
    assert paras["s0-p5"] == "1.《中共中央关于制定国民经济和社会发展第十四个五年规划和二〇三五年远景目标的建议》；"
    assert paras["s0-p21"].startswith("17.《深圳市龙华区国民经济和社会发展第十四个五年规划")


# --- 003: PDF text hard-wrapped with a blank line between wrapped lines ----------------------


def test_003_bundle_parts_open_with_their_title():
    opinion = paragraphs(cleaned_part("sz-clusters-opinion"))
    assert opinion["cover"] == "深圳市人民政府关于发展壮大战略性新兴产业集群和培育发展未来产业的意见"
    assert opinion["intro-p1"] == "各区人民政府、市政府直属各单位："
    for plan_id, entry in PARTS.items():
        if plan_id == "sz-clusters-opinion":
            continue
        cover = paragraphs(cleaned_part(plan_id))["cover"]
        assert "关于发布《" in cover and cover.endswith("》的通知") or cover.endswith("通知"), cover
        assert entry["title"] in cover.replace(" ", ""), (plan_id, cover)
    # a title whose issuer line ends with a real line end keeps its two lines
    assert paragraphs(cleaned_part("sz-ap-safety-environment"))["cover"].startswith(
        "深圳市工业和信息化局 深圳市发展和改革委 深圳市科技创新委<br>深圳市生态环境局 深圳市应急管理局关于发布《"
    )


def test_003_soft_wraps_rejoin_across_blank_lines_and_page_breaks():
    paras = paragraphs(cleaned_part("sz-clusters-opinion"))
    assert paras["intro-p2"] == (
        "为深入贯彻习近平总书记关于制造强国重要论述，全面落实省第十三次党代会和市第七次党代会决策部署，"
        "衔接落实国家、省关于培育发展战略性新兴产业中长期规划，发展壮大战略性新兴产业集群，积极培育发展"
        "未来产业，现结合我市实际，提出以下意见。"
    )
    # "…绿色制造、服" ends one page, " 务型制造…" opens the next
    assert "大力发展先进制造、智能制造、绿色制造、服务型制造，促进先进制造业与现代服务业深度融合" in paras["s2-1-p1"]
    # the bare page number "7" between two items is dropped, the items stay apart
    assert paras["s3-2-p7"].endswith("培育可见光通信技术与应用创新产业集群。")
    assert paras["s3-2-p8"].startswith("8.量子信息。")
    assert not any(re.fullmatch(r"\d+", text) for text in paras.values())


def test_003_responsibility_notes_end_the_task_they_follow():
    network = paragraphs(cleaned_part("sz-ap-network-communication"))
    # the note sits on a line of its own in the source
    assert network["s4-4-p1"].endswith("发布最新研究成果等。（市科技创新委牵头）")
    assert network["s5-p3"].endswith("“新工匠”人才。（市科技创新委、教育局按职责分工负责）")
    # "(市…" wrapped over two lines, half-width parentheses made full-width
    assert network["s3-1-p1" if "s3-1-p1" in network else "s3-p1"].endswith(
        "专精特新“小巨人”企业。（市工业和信息化局、中小企业服务局，各区政府、新区管委会、深汕特别合作区管委会按职责分工负责）"
    )
    creative = paragraphs(cleaned_part("sz-ap-digital-creative"))
    assert creative["s4-3-p3"].endswith("（责任单位：市文化广电旅游体育局、工业和信息化局、商务局）")
    energy = paragraphs(cleaned_part("sz-ap-new-energy"))
    assert energy["s6-p4"].endswith("[市发展改革委、市直各相关部门、各区（新区、深汕特别合作区）按职责分工负责]")
    for plan_id in PARTS:
        for anchor, text in paragraphs(cleaned_part(plan_id)).items():
            assert not re.match(r"^[（(\[](市|责任单位|各区|各相关)", text), (plan_id, anchor, text[:30])


def test_003_numbered_titles_are_headings_and_numbered_tasks_paragraphs():
    md = cleaned_part("sz-ap-network-communication")
    headings = re.findall(r"^(#+ .*)$", md, re.M)
    assert headings == [
        "## 一、总体情况 {#s1}",
        "## 二、工作目标 {#s2}",
        "## 三、重点任务 {#s3}",
        "## 四、重点工程 {#s4}",
        "### （一）产业链强链补链工程。 {#s4-1}",
        "### （二）网络深度优化工程。 {#s4-2}",
        "### （三）行业融合工程。 {#s4-3}",
        "### （四）公共服务平台建设工程。 {#s4-4}",
        "## 五、保障措施 {#s5}",
    ]
    paras = paragraphs(md)
    assert paras["s4-1-p1"].startswith("1.提升产业链发展水平。瞄准国际前沿技术")
    assert paras["s4-1-p4"].startswith("4.启动前沿技术储备。")
    assert paras["s3-p1"].startswith("（一）扩大产业规模，培育具有核心竞争力的企业集群。保持行业")
    creative = cleaned_part("sz-ap-digital-creative")
    assert "\n### （一）数字技术研发与应用促进行动 {#s4-1}\n" in creative
    assert paragraphs(creative)["s4-1-p1"].startswith("1．推进数字技术创新应用。")
    future = cleaned_part("sz-ap-future-industries")
    assert "\n### （一）5 至 10 年内有望成长为战略性新兴产业 {#s4-1}\n" in future
    assert not re.search(r"^#{4,} ", "\n".join(cleaned_part(p) for p in PARTS), re.M)


def test_003_whole_bundle_cleans_too():
    md = cleaned("003")
    assert md.count("关于发布《深圳市培育") == 21
    assert "{#s1_22}" in md  # 22 documents, each with its own 一、


# --- 004: Markdown export with footnotes and inconsistent '#' levels -------------------------


def test_004_heading_levels_follow_the_numbering_not_the_markup():
    md = cleaned("004")
    for heading in [
        "### （二）存在问题 {#s1-2}",  # "## （二）存在问题" in the source
        "#### 2.数字基建加快建设，智改数转全面升级 {#s1-1-2}",  # "## 2. …"
        "## 四、构建“三区一带”先进制造产业空间，塑造集约高效发展格局 {#s4}",  # "#### **四、…**"
        "### （四）发展目标 {#s2-4}",  # "#### （四）…"
        "#### 1.推动制造业绿色能源转型 {#s5-4-1}",  # "##### 1. …"
    ]:
        assert f"\n{heading}\n" in md, heading


def test_004_footnotes_leave_the_sentence_they_split():
    paras = paragraphs(cleaned("004"))
    assert "有效衔接深圳市“20+8”战略性产业集群规划，积极承接市级重大产业项目，确立七大战新产业集群。" in paras["s1-1-1-p2"]
    assert paras["s1-1-1-p3"] == "2025 年规模以上工业增加值增速：全国（5.9%）、全省（3.0%）、全市（5.4%）。"
    assert paras["s1-1-1-p4"] == "数据来源：中国信息通信研究院发布《2025 年中国工业百强区榜单》。"
    text = "\n".join(paras.values())
    assert not re.search("[¹²³⁴⁵]", text) and "<sup>" not in text
    # sentences broken by a page break rejoin
    assert "本轮“反内卷”以温和调控为基调" in text
    assert "推动科技创新成果在真实产业场景中快速验证、迭代与规模化应用" in text


def test_004_table_under_an_unnumbered_title():
    md = cleaned("004")
    paras = paragraphs(md)
    assert "\n#### 坪山高质量建设制造业强区“十五五”规划发展目标 {#s2-4-tab}\n" in md
    assert paras["s2-4-tab-p1"] == "序号 | 指标 | 单位 | 2030年目标 | 指标属性"
    assert paras["s2-4-tab-p5"] == "4 | 工业项目预计总投资额 | 亿元 | 【2000】 | 预期性"
    assert paras["s2-4-tab-p14"] == "注：【】为2026-2030年累计值。"


# --- small synthetic cases for the new extraction styles -------------------------------------


def test_trailing_space_marks_the_real_line_ends():
    """Hard-wrapped PDF text with a blank line after every line: a line without a trailing space
    runs on (also across a page number), one with a trailing space ends its paragraph."""
    row = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥甲乙丙丁戊己庚辛壬癸子丑寅卯"
    raw = ["一、总则 ", "", "（一）目标 ", ""]
    for n in range(1, 11):
        raw += [f"{n}.{row}", "", f"{row}。", "", " ", "", "7 ", "", " ", ""] if n == 5 else [f"{n}.{row}", "", f"{row}。 ", ""]
        raw += [f"{row}任务。", "", "（市工业和信息化局牵头） ", ""]
    md = clean_plan_text("\n".join(raw))
    paras = paragraphs(md)
    assert "## 一、总则 {#s1}" in md and "### （一）目标 {#s1-1}" in md
    assert list(paras) == [f"s1-1-p{n}" for n in range(1, 20)]  # item 5 runs on into its task
    assert paras["s1-1-p1"] == f"1.{row}{row}。"
    assert paras["s1-1-p2"] == f"{row}任务。（市工业和信息化局牵头）"
    assert paras["s1-1-p9"] == f"5.{row}{row}。{row}任务。（市工业和信息化局牵头）"  # page number "7" dropped


def test_cell_per_line_table_and_one_cell_box():
    raw = "\n".join(
        [
            "一、总则",
            "表1.指标",
            "\t序号", "\t指标", "\t2020年", "基数", "",
            "\t一、规模", "",
            "\t1", "\t产值（亿元）", "\t", "\t100", "",
            "",
            "专栏1-1：项目",
            "",
            "\t1. 甲项目：建设甲。",
            "2. 乙项目：建设乙。",
            "",
        ]
    )
    md = clean_plan_text(raw)
    paras = paragraphs(md)
    assert "## 一、总则 {#s1}" in md and "## 一、规模" not in md
    assert (paras["tab1-p1"], paras["tab1-p2"], paras["tab1-p3"]) == ("序号 | 指标 | 2020年基数", "一、规模", "1 | 产值（亿元） | | 100")
    assert (paras["box1-1-p1"], paras["box1-1-p2"]) == ("1\\. 甲项目：建设甲。", "2\\. 乙项目：建设乙。")
