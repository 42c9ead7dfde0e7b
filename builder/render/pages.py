"""Stage 4 — render pages: the Atlas becomes Markdown pages (front matter + escaped HTML) for MkDocs.

Record pages are written as HTML blocks from autoescaping Jinja2 templates in `templates/pages/`,
so text from plans can never inject markup; Python-Markdown passes those blocks through untouched.
Only a plan's own cleaned text is rendered as Markdown (it carries the paragraph anchors), after
neutralising raw HTML in it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from shapely.ops import unary_union

from ..atlas import Atlas, pair_url, url_for
from ..markdown_safety import escape_plan_markdown
from ..model import Cluster, Place, PlaceKind, Plan
from .downloads import build_downloads
from .geodata import GEO_URL
from .maps import RenderedMap, render_map
from .palette import STYLESHEET, cluster_stylesheet
from .template_errors import template_error
from .tiles import Tiles


@dataclass
class GeneratedSite:
    """Files to add to the MkDocs docs dir, and the navigation that lists them."""

    files: dict[str, str] = field(default_factory=dict)
    nav: list = field(default_factory=list)


def root_of(path: str) -> str:
    """Relative prefix from a page's directory URL back to the site root."""
    depth = 0 if path in ("index.md",) else path.count("/") + (0 if path.endswith("index.md") else 1)
    return "../" * depth


_THEME_UNSAFE = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇", "`": "｀"})


def nav_title(text: str) -> str:
    """A title safe for the theme, which prints titles unescaped (menu, <title>, header).

    Material's templates run without autoescape, and `striptags` even decodes entities, so
    escaping cannot help: the characters that could open a tag, an entity or an attribute are
    replaced by their full-width forms, which read the same. Jinja syntax in a title is harmless
    there (front matter is data to MkDocs, never template source).
    """
    return text.translate(_THEME_UNSAFE)


class PageRenderer:
    def __init__(self, atlas: Atlas, templates_dir: Path, tiles: Tiles = Tiles.none):
        self.atlas = atlas
        self.tiles = tiles
        self.templates_dir = templates_dir
        self.env = Environment(
            loader=FileSystemLoader(templates_dir / "pages"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.globals.update(url_for=url_for, pair_url=pair_url, cite=atlas.cite, atlas=atlas)
        self.site = GeneratedSite()

    def render_all(self) -> GeneratedSite:
        """Every page; a mistake in a template is raised as AtlasError at its file:line."""
        try:
            for name in self.env.list_templates():
                self.env.get_template(name)  # compile all, used or not: syntax errors show at once
            return self._render_all()
        except Exception as exc:
            error = template_error(exc, self.templates_dir.parent)
            if error is None:
                raise
            raise error from None

    def _render_all(self) -> GeneratedSite:
        atlas = self.atlas
        parks = [p for p in atlas.places.values() if p.kind is PlaceKind.advanced_manufacturing_park]
        # The overview frames Shenzhen proper; the 深汕 exclave (schematic, ~60 km east) is panned to.
        proper = [s.geom for s in atlas.district_shapes.values() if s.properties.get("precision") != "示意范围"]
        city = unary_union(proper) if proper else None
        mapped = [p for p in atlas.places.values() if atlas.shape_of(p)]
        home_map = self._map("home", "index.md", mapped, None, extra_bounds=city, city_wide=True, finder=True)
        self._page(
            "index.md", "home.md.j2", title="深圳产业地图", hide=("navigation", "toc"), map=home_map, parks=parks,
            park_target=_park_target(atlas),
        )
        plan_nav, district_nav = [], []
        for plan in atlas.plans.values():
            path = f"plans/{plan.id}/index.md"
            self._page(path, "plan.md.j2", title=plan.title, plan=plan, text=_safe_markdown(atlas, plan))
            plan_nav.append((self._group_of(plan.district), {nav_title(plan.short_title): path}))
        for cluster in atlas.clusters.values():
            path = f"clusters/{cluster.id}/index.md"
            hosts = atlas.hosts_of(cluster)
            shaded = [d.id for d in atlas.districts_of(cluster)]
            related = {cluster.id, *(c.id for c in atlas.correspondents.get(cluster.id, []))}
            fmap = self._map(f"cluster-{cluster.id}", path, hosts, cluster.district, shade=shaded, only_clusters=related)
            self._page(path, "cluster.md.j2", title=cluster.name, cluster=cluster, places=hosts, map=fmap)
        for place in atlas.places.values():
            path = f"places/{place.id}/index.md"
            fmap = self._map(f"place-{place.id}", path, [place] if atlas.shape_of(place) else [], place.district)
            self._page(path, "place.md.j2", title=place.name, place=place, map=fmap)
        for district in atlas.districts.values():
            path = f"districts/{district.id}/index.md"
            places = atlas.places_by_district.get(district.id, [])
            fmap = self._map(f"district-{district.id}", path, [p for p in places if atlas.shape_of(p)], district.id)
            clusters = [c for c in atlas.clusters.values() if c.district == district.id]
            city_clusters = [c for c in atlas.clusters.values() if district.id in c.districts]
            self._page(path, "district.md.j2", title=district.name, district=district, places=places, clusters=clusters, city_clusters=city_clusters, map=fmap)
            district_nav.append({nav_title(district.name): path})
        for cluster in atlas.clusters.values():
            for district in atlas.districts_of(cluster) if cluster.districts else []:
                self._pair_page(cluster, district)
        for department in atlas.departments.values():
            path = f"departments/{department.id}/index.md"
            tasks = atlas.tasks_by_department.get(department.id, [])
            lead_count = sum(1 for t in tasks if department.id in t.lead)
            self._page(path, "department.md.j2", title=department.name, department=department, tasks=tasks, lead_count=lead_count)

        self._page("plans/index.md", "plans_index.md.j2", title="规划文件", plans=list(atlas.plans.values()))
        self._page("clusters/index.md", "clusters_index.md.j2", title="产业集群", groups=_clusters_by_plan(atlas))
        self._page("places/index.md", "places_index.md.j2", title="园区与片区", groups=_places_by_kind(atlas))
        self._page("districts/index.md", "districts_index.md.j2", title="行政区", districts=list(atlas.districts.values()))
        self._page("search/index.md", "search.md.j2", title="搜索", hide=("navigation", "toc"))
        if atlas.departments:
            self._page("departments/index.md", "departments_index.md.j2", title="责任部门", departments=list(atlas.departments.values()))
        self.site.files[STYLESHEET] = cluster_stylesheet(atlas)
        downloads = build_downloads(atlas)
        self.site.files.update(downloads)
        sizes = {path.rsplit("/", 1)[1]: f"{len(text.encode()) / 1024:.0f} KB" for path, text in downloads.items()}
        self._page("downloads/index.md", "downloads.md.j2", title="数据下载", sizes=sizes, geo_url=GEO_URL)
        self.site.nav = [
            {"首页": "index.md"},
            {"规划文件": ["plans/index.md", *_grouped(plan_nav)]},
            {"产业集群": "clusters/index.md"},
            {"园区与片区": "places/index.md"},
            {"行政区": ["districts/index.md", *district_nav]},
            *([{"责任部门": "departments/index.md"}] if atlas.departments else []),
            {"搜索": "search/index.md"},
            {"数据下载": "downloads/index.md"},
            {"关于": "about.md"},
        ]
        return self.site

    def _group_of(self, district_id: str | None) -> str:
        """Navigation groups: city-wide first, then one per district."""
        district = self.atlas.districts.get(district_id) if district_id else None
        return district.name if district else "市级"

    def _pair_page(self, cluster: Cluster, district) -> None:
        """One city cluster in one district: the plan's words, local clusters, places, map."""
        atlas = self.atlas
        path = f"{pair_url(cluster, district)}index.md"
        places = atlas.places_for_pair(cluster, district)
        related = {cluster.id, *(c.id for c in atlas.correspondents.get(cluster.id, []))}
        fmap = self._map(f"pair-{cluster.id}-{district.id}", path, places, district.id, only_clusters=related)
        short = district.aliases[0] if district.aliases else district.name
        statements = [c for c in cluster.citations if short in c.quote or district.name in c.quote]
        locals_ = [c for c in atlas.correspondents.get(cluster.id, []) if c.district == district.id]
        self._page(
            path, "pair.md.j2", title=f"{district.name} · {cluster.name}", cluster=cluster, district=district,
            places=places, statements=statements, locals=locals_, map=fmap,
        )

    def _map(self, slug: str, page_path: str, places: list[Place], district: str | None, extra_bounds=None, **options) -> RenderedMap:
        rendered = render_map(self.atlas, slug, places, district, root_of(page_path), self.tiles, extra_bounds, **options)
        self.site.files[rendered.script_path] = rendered.script
        return rendered

    def _page(self, path: str, template: str, *, title: str, hide: tuple[str, ...] = (), **context) -> None:
        body = self.env.get_template(template).render(root=root_of(path), title=title, **context)
        front = f"title: {json.dumps(nav_title(title), ensure_ascii=False)}\n"
        if hide:
            front += f"hide: {json.dumps(list(hide))}\n"
        front = "---\n" + front + "---\n\n"
        self.site.files[path] = front + body


def _park_target(atlas: Atlas):
    """The city's promise of 先进制造业园区 and, per district it names, the parks the loaded plans detail."""
    for indicator in atlas.indicators.values():
        plan = atlas.plans.get(indicator.plan)
        if plan is None or plan.district or "先进制造业园区" not in indicator.name:
            continue
        quote = " ".join(c.quote for c in indicator.citations)
        named = [d for d in atlas.districts.values() if any(alias in quote for alias in [d.name, *d.aliases])]
        if not named:
            continue
        parks = [p for p in atlas.places.values() if p.kind is PlaceKind.advanced_manufacturing_park]
        rows = [(d, [p for p in parks if p.district == d.id]) for d in named]
        return {"indicator": indicator, "citation": atlas.cite(indicator.citations[0]), "rows": rows}
    return None


def _grouped(entries: list[tuple[str, dict]]) -> list[dict]:
    """Nest nav entries under their group, city-wide group first, others in order of appearance."""
    groups: dict[str, list[dict]] = {}
    for group, entry in sorted(entries, key=lambda item: item[0] != "市级"):
        groups.setdefault(group, []).append(entry)
    return [{name: items} for name, items in groups.items()]


def _safe_markdown(atlas: Atlas, plan: Plan) -> str:
    """The plan's cleaned text as Markdown, with any raw HTML but <br> shown as text."""
    blocks = []
    for block in atlas.texts[plan.id].blocks:
        if block.kind == "marker":
            blocks.append(block.markdown)
            continue
        markdown = escape_plan_markdown(block.markdown)
        if block.kind == "heading":
            blocks.append(f"{markdown} {{#{block.anchor}}}")
        else:
            blocks.append(f"{markdown}\n{{: #{block.anchor} .atlas-para }}")
    return "\n\n".join(blocks) + "\n"


def _clusters_by_plan(atlas: Atlas) -> list[tuple[Plan, list[Cluster]]]:
    return [(atlas.plans[pid], clusters) for pid, clusters in atlas.clusters_by_plan.items() if pid in atlas.plans]


def _places_by_kind(atlas: Atlas) -> list[tuple[str, list[Place]]]:
    groups: dict[str, list[Place]] = {}
    for kind in PlaceKind:
        members = [p for p in atlas.places.values() if p.kind is kind]
        if members:
            groups[kind.value] = members
    return list(groups.items())

