"""`atlas import`: turn a plan document into `content/plans/<id>/` (cleaned text + plan.yaml skeleton).

Reading is the only format-specific part: `.txt` (UTF-8, or GB18030/GBK detected with
charset-normalizer and converted with a warning), `.docx` (python-docx: paragraphs and table rows in
document order), `.md`. Everything then goes through `textclean.clean_plan_text`. Detection of
title, issuer, date, period and status is deliberately simple and visible: what is not found is
left empty in plan.yaml with a comment, and `atlas check` says what to fill in.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import AtlasError, Location, relative_path
from .textclean import clean_plan_text
from .versions import keep_previous

SUPPORTED = (".txt", ".md", ".docx")
CN_YEAR_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
PERIODS = {"十四五": ("2021", "2025"), "十五五": ("2026", "2030"), "十三五": ("2016", "2020")}


@dataclass
class Imported:
    plan_dir: Path
    text: str
    metadata: dict
    warnings: list[str] = field(default_factory=list)


def read_document(path: Path, lines: tuple[int, int] | None = None) -> tuple[str, list[str]]:
    """The document's text and any warnings; AtlasError for what cannot be read at all."""
    shown = path.as_posix()
    if not path.is_file():
        raise AtlasError("文件不存在 (file not found)", Location(shown))
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise AtlasError(f"不支持的文件类型 (unsupported file type '{suffix}'); use one of {', '.join(SUPPORTED)}", Location(shown))
    warnings: list[str] = []
    if suffix == ".docx":
        text = _read_docx(path)
    else:
        text, warning = _read_text(path)
        if warning:
            warnings.append(warning)
    if lines:
        all_lines = text.splitlines()
        first, last = lines
        if not (1 <= first <= last <= len(all_lines)):
            raise AtlasError(f"行范围 {first}-{last} 超出文件 (line range outside the file, which has {len(all_lines)} lines)", Location(shown))
        text = "\n".join(all_lines[first - 1 : last]) + "\n"
    if not text.strip():
        raise AtlasError("文件为空 (file is empty): nothing to import", Location(shown))
    return text, warnings


def _read_text(path: Path) -> tuple[str, str | None]:
    data = path.read_bytes()
    if b"\x00" in data[:65536]:
        raise AtlasError("不是文本文件 (binary file, not text): export the document as UTF-8 .txt or .docx", Location(path.as_posix()))
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding.lower() not in ("gb18030", "gbk", "gb2312", "big5", "hz"):
        raise AtlasError(
            "无法识别文本编码 (cannot tell the text encoding; expected UTF-8 or GB18030/GBK)", Location(path.as_posix())
        )
    encoding = "gb18030" if best.encoding.lower() in ("gbk", "gb2312") else best.encoding
    return data.decode(encoding), f"{path.name}: 编码为 {best.encoding}，已转换为 UTF-8 (converted from {best.encoding} to UTF-8)"


def _read_docx(path: Path) -> str:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise AtlasError(f"无法读取 .docx (cannot read .docx: {exc}); open and re-save it in Word/WPS", Location(path.as_posix())) from None
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
            lines.append("")
        elif tag == "tbl":
            for row in Table(block, document).rows:
                cells = []
                for cell in row.cells:
                    text = " ".join(cell.text.split())
                    if not cells or cells[-1] != text:  # merged cells repeat their text
                        cells.append(text)
                lines.append("\t".join(cells))
            lines.append("")
    return "\n".join(lines)


def detect_metadata(cleaned: str) -> dict:
    """Best-effort plan.yaml fields from the cover block and the opening text."""
    cover_match = re.search(r"^(.*)\n\{: #cover \}$", cleaned, re.M)
    cover = cover_match.group(1).split("<br>") if cover_match else []
    head = cleaned[:4000]
    title = next((c for c in cover if re.search(r"(规划|计划|意见|方案|报告|纲要|评估)", c)), cover[0] if cover else "")
    issuer = next((c for c in cover if re.search(r"(局|委员会|人民政府|政府|办公室|委|中心)$", c.strip())), "")
    date = _detect_date(" ".join(cover) or head)
    period = next(
        (f"“{name}”时期（{start}—{end}年）" for name, (start, end) in PERIODS.items() if name in title or name in head[:400]),
        "",
    )
    status = "征求意见稿" if "征求意见稿" in head else ("中期评估" if "中期评估" in head[:400] else "正式印发")
    return {"title": title.strip(), "issuer": issuer.strip(), "date": date, "period": period, "status": status, "cover": cover}


def _detect_date(text: str) -> str:
    match = re.search(r"([0-9〇零一二三四五六七八九]{4})\s*年\s*([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*月", text)
    if not match:
        return ""
    year = match.group(1).translate(CN_YEAR_DIGITS)
    month = match.group(2)
    if not month.isdigit():
        month = str(_cn_month(month))
    return f"{year}-{int(month):02d}"


def _cn_month(text: str) -> int:
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    if text.startswith("十"):
        return 10 + digits.get(text[1:], 0) if len(text) > 1 else 10
    return digits.get(text, 1)


def plan_yaml(plan_id: str, source_name: str, meta: dict, lines: tuple[int, int] | None) -> str:
    """A plan.yaml skeleton; empty fields carry a comment saying what to fill in."""

    def field(name: str, value: str, hint: str) -> str:
        return f"{name}: {_yaml_str(value)}" if value else f"{name}:  # TODO {hint}"

    quote = next((c for c in meta["cover"] if c.strip()), "")
    out = [
        "# Imported by `atlas import`; check every field against the document, then run `atlas check`.",
        f"id: {plan_id}",
        field("title", meta["title"], "full title as printed on the cover"),
        field("short_title", meta["title"], "a short form for menus"),
        field("issuer", meta["issuer"], "issuing body, e.g. 龙岗区工业和信息化局"),
        field("date", meta["date"], "publication date as YYYY-MM"),
        field("period", meta["period"], "planning period as written, e.g. “十四五”时期（2021—2025年）"),
        f"status: {meta['status']}",
        f"source: {source_name}",
    ]
    if lines:
        out.append(f"source_lines: {lines[0]}-{lines[1]}")
    out.append("citations:")
    if quote:
        out += [f"  - plan: {plan_id}", "    para: cover", f"    quote: {_yaml_str(quote)}"]
    else:
        out.append("  # TODO cite the paragraph that names this plan: - {plan: …, para: …, quote: …}")
    return "\n".join(out) + "\n"


def _names_citing(project: Path, plan_id: str) -> list[str]:
    """Names of the places and clusters whose records cite the plan (read, not validated)."""
    from .errors import Problems
    from .load import load_content

    content = load_content(project, Problems())
    return [r.name for r in [*content.places, *content.clusters] if any(c.plan == plan_id for c in r.citations)]


def _previous_label(yaml_path: Path) -> str:
    """The replaced version's label: the plan's status (征求意见稿 …) as plan.yaml records it."""
    match = re.search(r"^status:\s*(\S+)", yaml_path.read_text(encoding="utf-8"), re.M) if yaml_path.exists() else None
    return match.group(1) if match else "原版本"


def _yaml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"' if re.search(r"[:#\[\]{}\"',&*!|>%@`]|^\s|\s$", value) else value


def import_plan(
    source: Path, plan_id: str, project: Path, *, lines: tuple[int, int] | None = None, force: bool = False,
    version: str | None = None,
) -> Imported:  # fmt: skip
    """Write content/plans/<plan_id>/text.md and plan.yaml; refuse to overwrite without `force`.

    With `version` (e.g. 正式稿), the current text is kept as the previous version first
    (builder/versions.py) and the new text replaces it.
    """
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", plan_id):
        raise AtlasError(f"无效的 id '{plan_id}' (invalid id): use lowercase ASCII words joined by '-', e.g. longgang-14th", Location("--id"))
    raw, warnings = read_document(source, lines)
    cleaned = clean_plan_text(raw)
    if not re.search(r"^#{2,6} ", cleaned, re.M):
        warnings.append(f"{source.name}: 未识别到标题层级 (no headings recognised); paragraphs are numbered intro-p1, intro-p2, …")
    plan_dir = project / "content" / "plans" / plan_id
    text_path, yaml_path = plan_dir / "text.md", plan_dir / "plan.yaml"
    if version:
        if not text_path.exists():
            raise AtlasError(f"--version needs an existing plan to replace: {relative_path(text_path, project)} not found", Location("--version"))
        keep_previous(plan_dir, project, version, _previous_label(yaml_path), _names_citing(project, plan_id))
        force = True
    if text_path.exists() and not force:
        raise AtlasError(
            f"已存在 (already exists): {relative_path(text_path, project)}; re-run with --force to replace the text "
            "(plan.yaml is kept)",
            Location(relative_path(plan_dir, project)),
        )
    sources = project / "content" / "sources"
    sources.mkdir(parents=True, exist_ok=True)
    stored = sources / source.name
    if source.resolve() != stored.resolve():
        if stored.exists() and stored.read_bytes() != source.read_bytes() and not force:
            raise AtlasError(
                f"content/sources/{source.name} already exists with different content; rename the file or use --force",
                Location(source.as_posix()),
            )
        shutil.copy2(source, stored)
    metadata = detect_metadata(cleaned)
    plan_dir.mkdir(parents=True, exist_ok=True)
    text_path.write_text(cleaned, encoding="utf-8")
    if yaml_path.exists():  # metadata is edited by hand: never overwritten
        warnings.append(f"{relative_path(yaml_path, project)} kept as it is; only text.md was replaced")
    else:
        yaml_path.write_text(plan_yaml(plan_id, source.name, metadata, lines), encoding="utf-8")
    return Imported(plan_dir=plan_dir, text=cleaned, metadata=metadata, warnings=warnings)
