"""Plans: one folder per plan, `content/plans/<id>/plan.yaml` beside its cleaned `text.md`."""

from __future__ import annotations

from ..markdown_safety import plan_page_markdown
from ..model import Plan
from ..render.values import plan_date
from ..search.document import SearchDocument, joined
from ._columns import district_name, district_name_en, english_page_url, page_url, recorded_date_en
from .base import Column, RecordType, Sheet, Storage


def _source_in_sources(plan: Plan, checker, problems) -> None:
    sources = (checker.content.root / "content" / "sources").resolve()
    source = (sources / plan.source).resolve()
    if not source.is_relative_to(sources):
        problems.add(plan.origin, f"Plan '{plan.id}': source '{plan.source}' must be a file inside content/sources/")
    elif not source.is_file():
        problems.add(plan.origin, f"Plan '{plan.id}': source file 'content/sources/{plan.source}' not found")


def _page(renderer, plan: Plan, path: str) -> dict:
    return {"plan": plan, "text": plan_page_markdown(renderer.atlas.texts[plan.id])}


def _search(atlas, plan: Plan):
    district = [plan.district] if plan.district else []
    url = TYPE.url(plan)
    yield SearchDocument(
        "规划", plan.title, joined([plan.short_title, plan.issuer, plan.period, plan.status.value, plan.summary]),
        url, {"plan": [plan.id], "district": district},
    )  # fmt: skip
    text = atlas.texts.get(plan.id)
    # One document per paragraph, titled by its heading (so headings are searched too).
    for block in text.blocks if text else []:
        if block.kind != "paragraph" or block.anchor == "cover":
            continue
        heading = text.heading_for(block.anchor)
        yield SearchDocument(
            "规划原文", heading.text if heading else plan.short_title, block.text, f"{url}#{block.anchor}",
            {"plan": [plan.id], "district": district},
        )  # fmt: skip


SHEET = Sheet(
    "plans.csv",
    (
        Column("id", lambda atlas, p: p.id, en="id", about="The plan's identifier, as in its page's URL"),
        Column("标题", lambda atlas, p: p.title, en="title", english=lambda atlas, en, p: en.plain(p, "title"), zh="title_zh",
               about="The plan's full title in English (see en_source); the Chinese when it has none yet"),
        Column("简称", lambda atlas, p: p.short_title, en="short_title", english=lambda atlas, en, p: en.plain(p, "short_title"),
               zh="short_title_zh", about="The short title the other tables name the plan by"),
        Column("发布机构", lambda atlas, p: p.issuer, en="issuer", english=lambda atlas, en, p: en.plain(p, "issuer"), zh="issuer_zh",
               about="The issuing bodies"),
        Column("发布时间（原文）", lambda atlas, p: p.date or "文件未载明", en="issued",
               english=lambda atlas, en, p: recorded_date_en(p.date) if p.date else "not stated in the document", zh="issued_as_written",
               about="When it was issued, as recorded by the editors (year and month, or the day)"),
        Column("发布时间", lambda atlas, p: plan_date(p.date), "date", en="issued_date", about="The same as a date, where the day is known"),
        Column("规划期", lambda atlas, p: p.period, en="period", english=lambda atlas, en, p: en.plain(p, "period"), zh="period_zh",
               about="The period the plan covers"),
        Column("状态", lambda atlas, p: p.status.value, en="status", english=lambda atlas, en, p: en.label(p.status),
               about="Issued, draft for comment, or mid-term evaluation"),
        Column("行政区", lambda atlas, p: district_name(atlas, p.district), en="district",
               english=lambda atlas, en, p: district_name_en(atlas, en, p.district), zh="district_zh",
               about="For a district's plan: the district; empty for the city's plans"),
        Column("页面", lambda atlas, p: page_url(atlas, p), en="page", english=lambda atlas, en, p: english_page_url(atlas, p),
               about="The plan's page on this site (English edition), relative to the site's root; its full text stays Chinese"),
    ),
    en_label="Plans",
    en_about="The plans the atlas is compiled from: city action plans and district five-year plans, one row each.",
)

def _describe(atlas, plan: Plan) -> str:
    return plan.summary or f"《{plan.title}》（{plan.issuer}，{plan.period}）：指标、项目、任务与逐段可引用的全文。"


TYPE = RecordType(
    name="plan",
    model=Plan,
    folder="plans",
    noun="规划",
    label="规划",
    storage=Storage.one_per_folder,
    title=lambda plan: plan.title,
    references={"district": "district"},
    section="plans",
    template="plan.md.j2",
    page_context=_page,
    checks=(_source_in_sources,),
    describe=_describe,
    search=_search,
    sheet=SHEET,
    english=("title", "short_title", "issuer", "period", "summary"),
)
