"""The English edition's pages that are not one record's: home, indexes, cluster × district
pairs, matrix, compare, consistency, search, downloads, version changes, and its menu.

The same views as `views.py`, from the same data; only titles, templates and paths differ.
"""

from __future__ import annotations

from ..atlas import pair_url
from ..versions import compare
from . import views
from .english_data import english_compare, english_downloads
from .english_pages import PREFIX
from .matrix import columns, matrix
from .pages import nav_title


def render_views(renderer) -> None:
    atlas, en, page = renderer.atlas, renderer.english, renderer.page
    _home(renderer)
    for cluster, district in views.pairs(atlas):
        path = f"{PREFIX}{pair_url(cluster, district)}index.md"
        context = views.pair_context(renderer, cluster, district, path)
        page(path, "pair.md.j2", title=f"{en.plain(cluster)} in {en.plain(district)}", **context)
    for plan_id, (current, earlier) in atlas.versions.items():
        plan = atlas.plans[plan_id]
        context = views.changes_context(atlas, plan, compare(earlier[-1], atlas.texts[plan_id], current or ""))
        page(f"{PREFIX}plans/{plan.id}/changes/index.md", "plan_changes.md.j2", title=f"{en.plain(plan, 'short_title')}: changes between versions", **context)
    page(f"{PREFIX}plans/index.md", "plans_index.md.j2", title="Plans", groups=views.plans_by_group(atlas), city_group="City")
    page(f"{PREFIX}clusters/index.md", "clusters_index.md.j2", title="Industry clusters", groups=views.clusters_by_plan(atlas))
    page(f"{PREFIX}places/index.md", "places_index.md.j2", title="Parks and areas", groups=views.places_by_kind(atlas))
    page(f"{PREFIX}districts/index.md", "districts_index.md.j2", title="Districts", districts=list(atlas.districts.values()))
    page(f"{PREFIX}projects/index.md", "projects_index.md.j2", title="Key projects", groups=views.projects_by_district(atlas))
    page(f"{PREFIX}matrix/index.md", "matrix.md.j2", title="Districts × industry clusters", hide=("navigation", "toc"), rows=matrix(atlas), clusters=columns(atlas))
    page(f"{PREFIX}search/index.md", "search.md.j2", title="Search", hide=("navigation", "toc"))
    if atlas.departments:
        page(f"{PREFIX}departments/index.md", "departments_index.md.j2", title="Responsible departments", departments=list(atlas.departments.values()))
    shown = atlas.shown_findings()
    page(
        f"{PREFIX}consistency/index.md", "consistency.md.j2", title="Where the plans differ", findings=shown, hidden=len(atlas.findings) - len(shown)
    )  # fmt: skip
    page(f"{PREFIX}compare/index.md", "compare.md.j2", title="Compare", hide=("navigation", "toc"), **english_compare(renderer))
    page(f"{PREFIX}downloads/index.md", "downloads.md.j2", title="Data downloads", build_date=renderer.build_date, **english_downloads(renderer))
    renderer.files.nav = renderer.files.nav + [{"English": navigation(renderer)}]


def _home(renderer) -> None:
    context = views.home_context(renderer, f"{PREFIX}index.md")
    renderer.page(f"{PREFIX}index.md", "home.md.j2", title="Shenzhen Industrial Policy Atlas", hide=("navigation", "toc"), **context)


def navigation(renderer) -> list:
    """The English menu, in the order of the Chinese one (`views.navigation`)."""
    atlas, en = renderer.atlas, renderer.english
    plans: list = [f"{PREFIX}plans/index.md"]
    if views.menu_lists_plans(atlas):
        for district, members in views.plans_by_group(atlas):
            items = [{nav_title(en.plain(plan, "short_title"), True): f"{PREFIX}plans/{plan.id}/index.md"} for plan in members]
            plans.append({nav_title(en.plain(district), True) if district else "City": items})
    districts = [{nav_title(en.plain(d), True): f"{PREFIX}districts/{d.id}/index.md"} for d in atlas.districts.values()]
    return [
        {"Home": f"{PREFIX}index.md"},
        {"Plans": plans},
        {"Industry clusters": f"{PREFIX}clusters/index.md"},
        {"Matrix": f"{PREFIX}matrix/index.md"},
        {"Compare": f"{PREFIX}compare/index.md"},
        {"Where plans differ": f"{PREFIX}consistency/index.md"},
        {"Parks and areas": f"{PREFIX}places/index.md"},
        {"Key projects": f"{PREFIX}projects/index.md"},
        {"Districts": [f"{PREFIX}districts/index.md", *districts]},
        *([{"Departments": f"{PREFIX}departments/index.md"}] if atlas.departments else []),
        {"Search": f"{PREFIX}search/index.md"},
        {"Data downloads": f"{PREFIX}downloads/index.md"},
        {"About": f"{PREFIX}about.md"},
    ]
