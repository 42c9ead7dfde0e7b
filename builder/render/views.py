"""Pages that are not one record's: home, the section indexes, cluster × district pairs,
search, downloads, and the navigation that lists them."""

from __future__ import annotations

import difflib

from shapely.ops import unary_union

from ..atlas import Atlas, pair_url
from ..model import Cluster, District, PlaceKind, Plan, Precision
from .downloads import build_downloads
from ..consistency import KINDS
from ..versions import compare, numbers
from .compare import COMPARE_URL, compare_data
from .dictionary import data_dictionary
from .matrix import columns, matrix
from .palette import STYLESHEET, cluster_stylesheet

CITY_GROUP = "市级"


def render_views(renderer) -> None:
    atlas = renderer.atlas
    _home(renderer)
    for cluster, district in pairs(atlas):
        _pair_page(renderer, cluster, district)
    for plan_id, (current, earlier) in atlas.versions.items():
        _changes_page(renderer, atlas.plans[plan_id], compare(earlier[-1], atlas.texts[plan_id], current or ""))
    page = renderer.page
    page("plans/index.md", "plans_index.md.j2", title="规划文件", groups=plans_by_group(atlas), city_group=CITY_GROUP)
    page("clusters/index.md", "clusters_index.md.j2", title="产业集群", groups=clusters_by_plan(atlas))
    page("places/index.md", "places_index.md.j2", title="园区与片区", groups=places_by_kind(atlas))
    page("districts/index.md", "districts_index.md.j2", title="行政区", districts=list(atlas.districts.values()))
    page("projects/index.md", "projects_index.md.j2", title="重点项目", groups=projects_by_district(atlas))
    page(
        "matrix/index.md", "matrix.md.j2", title="行政区 × 产业集群", hide=("navigation", "toc"), rows=matrix(atlas),
        clusters=columns(atlas), description="深圳各行政区在 20 个战略性新兴产业集群与 8 个未来产业中的定位、承载园区与规划依据一览。",
    )  # fmt: skip
    page("search/index.md", "search.md.j2", title="搜索", hide=("navigation", "toc"))
    if atlas.departments:
        page("departments/index.md", "departments_index.md.j2", title="责任部门", departments=list(atlas.departments.values()))
    shown = atlas.shown_findings()
    page(
        "consistency/index.md", "consistency.md.j2", title="规划之间的差异与核对", findings=shown, kinds=KINDS,
        hidden=len(atlas.findings) - len(shown), description="深圳各级产业规划之间、正文与表格之间不一致的数字、名单与增速，逐条引用原文。",
    )  # fmt: skip
    page("compare/index.md", "compare.md.j2", title="比较", hide=("navigation", "toc"), description="并列比较深圳的园区、地点与行政区：产业集群、布局定位、面积、重点项目与目标。")
    renderer.files.add(COMPARE_URL, compare_data(atlas), "the compare view's data")
    renderer.files.add(STYLESHEET, cluster_stylesheet(atlas), "the cluster colours")
    downloads, datasets = build_downloads(atlas, renderer.site_url, renderer.build_date, renderer.cache)
    for path, content in downloads.items():
        renderer.files.add(path, content, "the data downloads")
    sizes = {path.rsplit("/", 1)[1]: _size(content) for path, content in downloads.items()}
    page(
        "downloads/index.md", "downloads.md.j2", title="数据下载", sizes=sizes, datasets=datasets,
        build_date=renderer.build_date, dictionary=data_dictionary(datasets),
    )  # fmt: skip
    renderer.files.nav = navigation(atlas)


def _size(content: str | bytes) -> str:
    size = len(content if isinstance(content, bytes) else content.encode())
    return f"{size / 1024:.0f} KB"


def _home(renderer) -> None:
    renderer.page("index.md", "home.md.j2", title="深圳产业地图", hide=("navigation", "toc"), **home_context(renderer, "index.md"))


def home_context(renderer, path: str) -> dict:
    """The home page's map of every located place, its 先进制造业园区 and the city's park target."""
    atlas = renderer.atlas
    parks = [p for p in atlas.places.values() if p.kind is PlaceKind.advanced_manufacturing_park]
    # The overview frames Shenzhen proper; the 深汕 exclave (schematic, ~60 km east) is panned to.
    proper = [s.geom for s in atlas.district_shapes.values() if s.properties.get("precision") != Precision.schematic.value]
    city = unary_union(proper) if proper else None
    mapped = [p for p in atlas.places.values() if atlas.shape_of(p)]
    home_map = renderer.map("home", path, mapped, None, extra_bounds=city, city_wide=True, finder=True)
    return {"map": home_map, "parks": parks, "park_target": _park_target(atlas)}


def pairs(atlas: Atlas) -> list[tuple[Cluster, District]]:
    """City cluster × district pairs with a page: every district with any evidence for the cluster —
    the opinion lists it, an action plan gives it a role, a district cluster maps to it, or a place
    there hosts it (the sources may disagree; each is shown on the page)."""
    result = []
    for cluster in atlas.clusters.values():
        if not cluster.is_city:
            continue
        listed = [d.id for d in atlas.districts_of(cluster)]
        with_roles = [r.district for r in atlas.roles_by_cluster.get(cluster.id, []) if r.district]
        local = [c.district for c in atlas.correspondents.get(cluster.id, []) if c.district]
        hosting = [p.district for p in atlas.hosts_of(cluster)]
        for district_id in dict.fromkeys([*listed, *with_roles, *local, *hosting]):
            if district_id in atlas.districts:
                result.append((cluster, atlas.districts[district_id]))
    return result


def _pair_page(renderer, cluster: Cluster, district: District) -> None:
    """One city cluster in one district: the plan's words, local clusters, places, map."""
    path = f"{pair_url(cluster, district)}index.md"
    renderer.page(path, "pair.md.j2", title=f"{district.name} · {cluster.name}", **pair_context(renderer, cluster, district, path))


def pair_context(renderer, cluster: Cluster, district: District, path: str) -> dict:
    atlas = renderer.atlas
    places = atlas.places_for_pair(cluster, district)
    fmap = renderer.map(f"pair-{cluster.id}-{district.id}", path, places, district.id, only_clusters=atlas.related_clusters(cluster))
    short = district.aliases[0] if district.aliases else district.name
    statements = [c for c in cluster.citations if short in c.quote or district.name in c.quote]
    locals_ = [c for c in atlas.correspondents.get(cluster.id, []) if c.district == district.id]
    return {
        "cluster": cluster, "district": district, "places": places, "statements": statements, "locals": locals_, "map": fmap,
        "roles": atlas.roles_for(cluster, district.id),
    }  # fmt: skip


def _changes_page(renderer, plan: Plan, comparison) -> None:
    """What changed from a plan's previous version: paragraphs, the figures of its indicators, names."""
    renderer.page(
        f"plans/{plan.id}/changes/index.md", "plan_changes.md.j2", title=f"{plan.short_title}：版本变化",
        description=f"《{plan.title}》{comparison.previous.label}与{comparison.current_label or '现行版本'}的逐段比较。",
        **changes_context(renderer.atlas, plan, comparison),
    )  # fmt: skip


def changes_context(atlas: Atlas, plan: Plan, comparison) -> dict:
    by_anchor = {c.anchor: c for c in comparison.changes}
    targets = []
    for indicator in atlas.indicators_by_plan.get(plan.id, []):
        for citation in indicator.citations:
            change = by_anchor.get(citation.para) if citation.plan == plan.id else None
            if change and change.kind == "edited":
                pairs = _changed_numbers(change.old, change.new)
                if pairs:
                    targets.append((indicator, pairs))
                    break
    old_text = " ".join(b.text for b in comparison.previous.text.blocks)
    new_text = " ".join(b.text for b in atlas.texts[plan.id].blocks)
    named = [("地点", p) for p in atlas.places.values()] + [("产业集群", c) for c in atlas.clusters_by_plan.get(plan.id, [])]

    def mentioned(record, text):
        return any(n in text for n in (record.name, *record.aliases))

    current = {r.name for _, r in named}
    names = {
        # The previous version's places and clusters (recorded at import) that the new text no longer names.
        "dropped": [n for n in comparison.previous.names if n in old_text and n not in new_text]
        + [r.name for _, r in named if mentioned(r, old_text) and not mentioned(r, new_text) and r.name not in comparison.previous.names],
        "added": [(kind, r) for kind, r in named if mentioned(r, new_text) and not mentioned(r, old_text)],
        "current": current,
    }
    return {"plan": plan, "comparison": comparison, "targets": targets, "names": names}


def _changed_numbers(old: str, new: str) -> list[tuple[str, str]]:
    """The figures that differ between two versions of a paragraph, paired in order."""
    a, b = numbers(old), numbers(new)
    pairs = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            olds, news = a[a1:a2], b[b1:b2]
            for i in range(max(len(olds), len(news))):
                pairs.append((olds[i] if i < len(olds) else "", news[i] if i < len(news) else ""))
    return pairs


MENU_PLAN_LIMIT = 40
"""Up to this many plans the menu lists each under its district; past it, only the plans index.

Material prints the open section's whole subtree on each of its pages, so a menu of every plan
grows the plan pages with the square of their number (at 100× the content, 2,600 plans carried
2,600 menu entries each); the plans index lists them grouped the same way at any size."""


def plans_by_group(atlas: Atlas) -> list[tuple[District | None, list[Plan]]]:
    """Plans grouped by issuer: the city's (group None) first, then each district's, in load order."""
    groups: dict[str | None, list[Plan]] = {}
    for plan in atlas.plans.values():
        groups.setdefault(plan.district if plan.district in atlas.districts else None, []).append(plan)
    ordered = sorted(groups.items(), key=lambda item: item[0] is not None)
    return [(atlas.districts[key] if key else None, plans) for key, plans in ordered]


def menu_lists_plans(atlas: Atlas) -> bool:
    return len(atlas.plans) <= MENU_PLAN_LIMIT


def navigation(atlas: Atlas) -> list:
    """The menu: sections, with plans grouped city-wide first, then by district (while few)."""
    from .pages import nav_title

    plans: list = ["plans/index.md"]
    if menu_lists_plans(atlas):
        for district, members in plans_by_group(atlas):
            items = [{nav_title(plan.short_title): f"plans/{plan.id}/index.md"} for plan in members]
            plans.append({nav_title(district.name) if district else CITY_GROUP: items})
    districts = [{nav_title(d.name): f"districts/{d.id}/index.md"} for d in atlas.districts.values()]
    return [
        {"首页": "index.md"},
        {"规划文件": plans},
        {"产业集群": "clusters/index.md"},
        {"布局矩阵": "matrix/index.md"},
        {"比较": "compare/index.md"},
        {"差异与核对": "consistency/index.md"},
        {"园区与片区": "places/index.md"},
        {"重点项目": "projects/index.md"},
        {"行政区": ["districts/index.md", *districts]},
        *([{"责任部门": "departments/index.md"}] if atlas.departments else []),
        {"搜索": "search/index.md"},
        {"数据下载": "downloads/index.md"},
        {"关于": "about.md"},
    ]


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


def clusters_by_plan(atlas: Atlas) -> list[tuple[Plan, list[Cluster]]]:
    return [(atlas.plans[pid], clusters) for pid, clusters in atlas.clusters_by_plan.items() if pid in atlas.plans]


def places_by_kind(atlas: Atlas) -> list[tuple[str, list]]:
    groups = []
    for kind in PlaceKind:
        members = [p for p in atlas.places.values() if p.kind is kind]
        if members:
            groups.append((kind.value, members))
    return groups


def projects_by_district(atlas: Atlas) -> list[tuple[District | None, list]]:
    groups: dict[str | None, list] = {}
    for project in atlas.projects.values():
        groups.setdefault(project.district if project.district in atlas.districts else None, []).append(project)
    ordered = [(atlas.districts[d], groups[d]) for d in atlas.districts if d in groups]
    return ordered + ([(None, groups[None])] if None in groups else [])
