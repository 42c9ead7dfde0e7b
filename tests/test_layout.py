"""The city's spatial layout as data, and the pages that answer "where does industry X belong"."""

from __future__ import annotations

import html
import re

import pytest

from builder.atlas import build_atlas, url_for
from builder.errors import AtlasError
from builder.site import build_site
from conftest import ROOT
from hostile import make_project
from test_security import visible_text


@pytest.fixture(scope="module")
def atlas():
    return build_atlas(ROOT)


def _districts_named_outside_responsibilities(atlas, plan_id: str) -> set[str]:
    """Districts a plan's text names, leaving out the （…负责） lists of responsible bodies."""
    names = {}
    for d in atlas.districts.values():
        for n in (d.name, *d.aliases):
            names[n] = d.id
    found = set()
    for block in atlas.texts[plan_id].blocks:
        text = re.sub(r"（[^（）]*(负责|责任单位)[^（）]*）", "", block.text)
        found |= {d for n, d in names.items() if n in text}
    return found


def test_every_cluster_whose_action_plan_places_it_has_roles(atlas):
    for cluster in atlas.clusters.values():
        if cluster.level.value != "city-cluster":
            continue
        plan_id = next(c.plan for c in cluster.citations if c.plan.startswith("sz-ap-"))
        roles = atlas.roles_by_cluster.get(cluster.id, [])
        if _districts_named_outside_responsibilities(atlas, plan_id):
            assert roles, f"{plan_id} names districts, but {cluster.id} has no roles"
            assert {r.plan for r in roles} == {plan_id}, cluster.id
        else:
            assert not roles
    future = [c for c in atlas.clusters.values() if c.level.value == "city-future"]
    assert future and all(atlas.roles_by_cluster.get(c.id) for c in future)


def test_roles_quote_their_role_in_their_own_plan(atlas):
    for role in atlas.roles.values():
        assert any(c.plan == role.plan and role.role in c.quote for c in role.citations), role.id


def test_the_semiconductor_layout_reads_as_the_action_plan_says(built_site, atlas):
    page = visible_text(built_site / "clusters/semiconductor/index.html")
    assert "东部硅基、西部化合物、中部设计" in page
    for district, role in (("nanshan", "设计企业集聚区"), ("baoan", "化合物半导体集聚区"), ("pingshan", "硅基半导体集聚区")):
        pair = visible_text(built_site / f"clusters/semiconductor/{district}/index.html")
        assert role in pair
        assert role in visible_text(built_site / f"districts/{district}/index.html")
    markup = (built_site / "clusters/semiconductor/index.html").read_text(encoding="utf-8")
    assert all(f'id="role-{r.id}"' in markup for r in atlas.roles_by_cluster["semiconductor"])


def test_a_district_an_action_plan_adds_gets_a_pair_page(built_site, atlas):
    for role in atlas.roles.values():
        if role.district:
            assert (built_site / f"clusters/{role.cluster}/{role.district}/index.html").is_file(), role.id


def test_every_district_page_shows_its_roles(built_site, atlas):
    for district in atlas.districts.values():
        page = visible_text(built_site / f"districts/{district.id}/index.html")
        assert "在市级产业集群中的定位" in page
        for role in atlas.roles_by_district.get(district.id, []):
            assert role.role in page, (district.id, role.id)


def test_projects_have_pages_linked_from_place_cluster_district_and_plan(built_site, atlas):
    for project in atlas.projects.values():
        page = built_site / f"projects/{project.id}/index.html"
        assert project.name in visible_text(page)
        link = f'projects/{project.id}/"'
        sources = [f"plans/{project.plan}"]
        if project.place:
            sources.append(f"places/{project.place}")
        if project.district:
            sources.append(f"districts/{project.district}")
        sources += [f"clusters/{c}" for c in project.clusters]
        for source in sources:
            assert link in (built_site / source / "index.html").read_text(encoding="utf-8"), (project.id, source)


def test_park_profile_shows_area_inner_places_projects_and_mentions(built_site, atlas):
    parks = [p for p in atlas.places.values() if p.kind.value == "先进制造业园区"]
    assert parks
    for park in parks:
        page = visible_text(built_site / f"places/{park.id}/index.html")
        if park.area:
            assert park.area.as_written in page
        for inner in atlas.places_within.get(park.id, []):
            assert inner.name in page
        for project in atlas.projects_by_place.get(park.id, []):
            assert project.name in page
        mentions = atlas.mentions(park)
        count = sum(len(blocks) for _, blocks in mentions)
        assert f"{len(mentions)} 份规划 · {count} 处" in page


def test_mentions_are_every_paragraph_that_names_the_place(atlas):
    place = atlas.places["longgang-west"]
    found = {(plan.id, block.anchor) for plan, blocks in atlas.mentions(place) for block in blocks}
    expected = {(pid, b.anchor) for pid, text in atlas.texts.items() for b in text.blocks if b.kind != "marker" and "龙岗西先进制造业园区" in b.text}
    assert found >= expected and expected


def test_home_counts_city_and_district_clusters_apart(built_site, atlas):
    page = visible_text(built_site / "index.html")
    city = sum(1 for c in atlas.clusters.values() if c.level.value == "city-cluster")
    future = sum(1 for c in atlas.clusters.values() if c.level.value == "city-future")
    district = len(atlas.clusters) - city - future
    assert f"{city}+{future} 个市级战略性新兴产业集群与未来产业" in page
    assert f"{district} 个区级产业集群" in page


def test_a_district_cluster_is_titled_with_its_district_in_search(atlas):
    from builder.search.documents import build_documents

    docs = [d for d in build_documents(atlas) if d.type == "产业集群"]
    titles = [d.title for d in docs]
    assert titles.count("半导体与集成电路产业集群") == 1  # only the city cluster bears the bare name
    assert "半导体与集成电路产业集群（龙岗区）" in titles


# --- bad input -----------------------------------------------------------------------------------

ROLE = """\
- id: city-x-{district}
  plan: hostile-plan
  cluster: city-x
  district: {district}
  role: 园区x
  citations:
    - plan: hostile-plan
      para: s1-p1
      quote: 园区x
"""


def _problems(project) -> list[str]:
    with pytest.raises(AtlasError) as caught:
        build_site(project, project / "site")
    assert not (project / "site").exists()
    return [str(p) for p in caught.value.problems]


def test_a_role_naming_an_unknown_district_names_the_field_and_the_known_values(tmp_path):
    project = make_project(tmp_path / "project", "x")
    (project / "content/roles/roles.yaml").write_text(ROLE.format(district="longgong"), encoding="utf-8")
    problems = _problems(project)
    line = ROLE.splitlines().index("  district: {district}") + 1  # the field's own line
    assert problems == [
        f"content/roles/roles.yaml:{line}: SpatialRole 'city-x-longgong': district: 未知的行政区 (unknown district) 'longgong'; known: longgang, pingshan"
    ]


def test_a_role_whose_role_is_not_quoted_is_an_error(tmp_path):
    project = make_project(tmp_path / "project", "x")
    (project / "content/roles/roles.yaml").write_text(ROLE.format(district="longgang").replace("role: 园区x", "role: 核心区"), encoding="utf-8")
    assert any("role “核心区” is in none of its quotes" in p for p in _problems(project))


def test_a_project_linked_to_an_unknown_place(tmp_path):
    project = make_project(tmp_path / "project", "x")
    projects = project / "content/projects/projects.yaml"
    projects.write_text(projects.read_text(encoding="utf-8").replace("place: park-x", "place: park-y"), encoding="utf-8")
    problems = _problems(project)
    assert len(problems) == 1 and "place: 未知的地点 (unknown place) 'park-y'; known: district-only-x, park-x, point-x" in problems[0]


def test_an_area_unit_we_cannot_convert(tmp_path):
    project = make_project(tmp_path / "project", "x")
    projects = project / "content/projects/projects.yaml"
    text = projects.read_text(encoding="utf-8")
    assert "    unit: 公顷" in text
    projects.write_text(text.replace("    unit: 公顷", "    unit: 里"), encoding="utf-8")
    problems = _problems(project)
    assert len(problems) == 1
    assert re.match(r"content/projects/projects.yaml:\d+: Project 'project-x': land_area.unit: Value error, unknown area unit '里'; expected one of: 平方公里", problems[0])


def test_project_fields_must_be_in_the_quotes(tmp_path):
    project = make_project(tmp_path / "project", "x")
    projects = project / "content/projects/projects.yaml"
    projects.write_text(projects.read_text(encoding="utf-8").replace("  investment: 投资x", "  investment: 100 亿元"), encoding="utf-8")
    problems = _problems(project)
    assert any("investment “100 亿元” is in none of its quotes" in p for p in problems)


def test_url_for_a_role_is_its_row_on_the_cluster_page(atlas):
    role = next(iter(atlas.roles.values()))
    assert url_for(role) == f"clusters/{role.cluster}/#role-{role.id}"
    assert html.escape(role.role) == html.escape(role.role)  # plain text; the page escapes it
