"""Key projects (重点项目), usually from a plan's 专栏 lists."""

from __future__ import annotations

from ..model import Project
from ..render.values import first_year, full_date, money_in_yi
from ..search.document import SearchDocument, joined, plan_facets, quotes
from ._columns import (
    cluster_ids, cluster_names, cluster_names_en, date_en, district_name, district_name_en, english_page_url, figure_en, ids_en,
    page_url, plan_title_en,
)
from .base import Column, RecordType, Sheet


def _search(atlas, project: Project):
    place = atlas.places.get(project.place) if project.place else None
    body = joined([place.name if place else None, project.street, project.investment, project.description, quotes(project)])
    yield SearchDocument("项目", project.name, body, TYPE.url(project), plan_facets(atlas, project))


def _place(atlas, project: Project):
    return atlas.places.get(project.place) if project.place else None


SHEET = Sheet(
    "projects.csv",
    (
        Column("id", lambda atlas, p: p.id, en="id", about="The project's identifier, as in its page's URL"),
        Column("规划", lambda atlas, p: atlas.plans[p.plan].short_title, en="plan", english=lambda atlas, en, p: plan_title_en(atlas, en, p.plan),
               zh="plan_zh", about="The plan that lists it (short title)"),
        Column("规划id", lambda atlas, p: p.plan, en="plan_id", about="Its identifier"),
        Column("项目", lambda atlas, p: p.name, en="name", english=lambda atlas, en, p: en.plain(p), zh="name_zh",
               about="The project's English name (see en_source); the Chinese when it has none yet"),
        Column("行政区", lambda atlas, p: district_name(atlas, p.district), en="district",
               english=lambda atlas, en, p: district_name_en(atlas, en, p.district), zh="district_zh", about="The district it is in"),
        Column("行政区id", lambda atlas, p: p.district or "", en="district_id", about="Its identifier"),
        Column("地点", lambda atlas, p: atlas.places[p.place].name if p.place in atlas.places else "", en="place",
               english=lambda atlas, en, p: en.plain(_place(atlas, p)) if _place(atlas, p) else "", zh="place_zh",
               about="The park or place it is in"),
        Column("地点id", lambda atlas, p: p.place or "", en="place_id", about="Its identifier"),
        Column("街道", lambda atlas, p: p.street or "", en="street_zh", about="The subdistrict (jiedao) the plan gives, in Chinese"),
        Column("产业集群", lambda atlas, p: cluster_names(atlas, p.clusters), en="clusters",
               english=lambda atlas, en, p: cluster_names_en(atlas, en, p.clusters), zh="clusters_zh", about="The clusters it belongs to"),
        Column("产业集群id", lambda atlas, p: cluster_ids(p.clusters), en="cluster_ids", english=lambda atlas, en, p: ids_en(p.clusters),
               about="Their identifiers"),
        Column("总投资（原文）", lambda atlas, p: p.investment or "", en="investment", english=lambda atlas, en, p: figure_en(p.investment),
               zh="investment_as_written", about="Total investment, in English (empty when it cannot be read)"),
        Column("总投资（亿元）", lambda atlas, p: money_in_yi(p.investment), "number", en="investment_rmb_100m",
               about="Total investment as a number, in RMB 100 million (yi yuan)"),
        Column("用地面积（原文）", lambda atlas, p: p.land_area.as_written if p.land_area else "", en="land_area",
               english=lambda atlas, en, p: figure_en(p.land_area.as_written, p.land_area.unit) if p.land_area else "",
               zh="land_area_as_written", about="Land area, in English"),
        Column("用地面积（公顷）", lambda atlas, p: round(p.land_area.km2 * 100, 4) if p.land_area else None, "number", en="land_area_ha",
               about="Land area in hectares"),
        Column("建筑面积（原文）", lambda atlas, p: p.floor_area.as_written if p.floor_area else "", en="floor_area",
               english=lambda atlas, en, p: figure_en(p.floor_area.as_written, p.floor_area.unit) if p.floor_area else "",
               zh="floor_area_as_written", about="Floor area, in English"),
        Column("建筑面积（万平方米）", lambda atlas, p: round(p.floor_area.km2 * 100, 4) if p.floor_area else None, "number",
               en="floor_area_10k_m2", about="Floor area in units of 10,000 m²"),
        Column("预计产出", lambda atlas, p: p.output or "", en="output", english=lambda atlas, en, p: figure_en(p.output), zh="output_zh",
               about="Expected output, in English when it is a plain figure"),
        Column("开工（原文）", lambda atlas, p: p.start or "", en="start", english=lambda atlas, en, p: date_en(p.start), zh="start_as_written",
               about="When construction starts, in English (empty when the plan's words are not a date)"),
        Column("开工日期", lambda atlas, p: full_date(p.start), "date", en="start_date", about="The same as a date, where the day is known"),
        Column("开工年份", lambda atlas, p: first_year(p.start), "number", en="start_year", about="The year construction starts"),
        Column("竣工（原文）", lambda atlas, p: p.completion or "", en="completion", english=lambda atlas, en, p: date_en(p.completion),
               zh="completion_as_written", about="When it is to be completed, in English"),
        Column("竣工年份", lambda atlas, p: first_year(p.completion), "number", en="completion_year", about="The year it is to be completed"),
        Column("进展", lambda atlas, p: p.stage.value if p.stage else "", en="stage", english=lambda atlas, en, p: en.label(p.stage),
               about="Planned, under construction or completed"),
        Column("进展（原文）", lambda atlas, p: p.stage_as_written or "", en="stage_as_written",
               about="The plan's words the stage is read from, in Chinese"),
        Column("说明", lambda atlas, p: p.description or "", en="description", english=lambda atlas, en, p: en.text(p, "description") or "",
               zh="description_zh", about="The plan's description of the project, in English (editorial; empty when not yet translated)"),
        Column("页面", lambda atlas, p: page_url(atlas, p), en="page", english=lambda atlas, en, p: english_page_url(atlas, p),
               about="The project's page on this site (English edition), relative to the site's root"),
    ),
    en_label="Projects",
    en_about="Key projects the plans list, with investment, land and floor area, output and schedule as written and as numbers.",
)

def _describe(atlas, project: Project) -> str:
    facts = [f for f in (project.investment and f"总投资{project.investment}", project.land_area and f"用地{project.land_area.as_written}",
                         project.stage and project.stage.value) if f]
    place = atlas.places.get(project.place) if project.place else None
    where = f"，位于{place.name}" if place else ""
    return f"{project.name}{where}" + (f"：{'，'.join(facts)}" if facts else "") + "。出自" + f"《{atlas.plans[project.plan].short_title}》。"


TYPE = RecordType(
    name="project",
    model=Project,
    folder="projects",
    noun="项目",
    label="项目",
    references={"plan": "plan", "district": "district", "place": "place", "clusters": "cluster"},
    quoted=(
        "investment", "street", "land_area.as_written", "floor_area.as_written", "output", "start", "completion",
        "stage_as_written",
    ),
    section="projects",
    template="project.md.j2",
    describe=_describe,
    search=_search,
    sheet=SHEET,
    english=("name", "description"),
)
