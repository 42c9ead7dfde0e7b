"""Industry clusters, city-wide (the 20+8) and per district."""

from __future__ import annotations

from ..model import Cluster
from ..search.document import SearchDocument, joined, quotes
from ._columns import (
    EN_SEPARATOR, cluster_ids, cluster_names, cluster_names_en, district_name, district_name_en, english_page_url, ids_en,
    page_url, plan_title_en, yes,
)
from .base import Column, RecordType, Sheet


def _corresponds_to_city_clusters(cluster: Cluster, checker, problems) -> None:
    for target in cluster.corresponds_to:
        other = checker.ids["cluster"].get(target)
        if other is not None and not other.is_city:
            problems.add(cluster.origin, f"Cluster '{cluster.id}': corresponds_to '{target}' is not a city cluster")


def _page(renderer, cluster: Cluster, path: str) -> dict:
    atlas = renderer.atlas
    hosts = atlas.hosts_of(cluster)
    shaded = [d.id for d in atlas.districts_of(cluster)]
    fmap = renderer.map(f"cluster-{cluster.id}", path, hosts, cluster.district, shade=shaded, only_clusters=atlas.related_clusters(cluster))
    return {"cluster": cluster, "places": hosts, "map": fmap}


def _search(atlas, cluster: Cluster):
    hosts = atlas.places_by_cluster.get(cluster.id, [])
    body = [
        cluster.level.label,
        f"别称：{'、'.join(cluster.aliases)}" if cluster.aliases else "",
        cluster.focus,
        "、".join(p.name for p in hosts),
        quotes(cluster),
    ]
    targets = [cluster.id] if cluster.is_city else [cluster.id, *cluster.corresponds_to]
    districts = [cluster.district] if cluster.district else list(cluster.districts)
    # A district cluster often bears a city cluster's name (龙岗's 半导体与集成电路产业集群): its title says
    # whose it is, so the exact name is the city cluster's alone and ranks it first.
    owner = atlas.districts.get(cluster.district) if cluster.district else None
    title = f"{cluster.name}（{owner.name}）" if owner else cluster.name
    yield SearchDocument(
        "产业集群", title, joined(body), TYPE.url(cluster),
        {"plan": [cluster.plan], "district": districts, "cluster": targets}, aliases=list(cluster.aliases),
    )  # fmt: skip


SHEET = Sheet(
    "clusters.csv",
    (
        Column("id", lambda atlas, c: c.id, en="id", about="The cluster's identifier, as in its page's URL"),
        Column("名称", lambda atlas, c: c.name, en="name", english=lambda atlas, en, c: en.plain(c), zh="name_zh",
               about="The cluster's English name (see en_source); the Chinese when it has none yet"),
        Column("别称", lambda atlas, c: "、".join(c.aliases), en="aliases_zh", about="Other Chinese names the plans use for it"),
        Column("层级", lambda atlas, c: c.level.label, en="level", english=lambda atlas, en, c: en.label(c.level),
               about="City or district, strategic emerging industry cluster or future industry"),
        Column("来源规划", lambda atlas, c: atlas.plans[c.plan].short_title, en="plan",
               english=lambda atlas, en, c: plan_title_en(atlas, en, c.plan), zh="plan_zh", about="The plan that names the cluster (short title)"),
        Column("来源规划id", lambda atlas, c: c.plan, en="plan_id", about="The identifier of that plan"),
        Column("行政区", lambda atlas, c: district_name(atlas, c.district), en="district",
               english=lambda atlas, en, c: district_name_en(atlas, en, c.district), zh="district_zh",
               about="For a district cluster: its district; empty for city clusters"),
        Column("布局行政区（市级意见）", lambda atlas, c: "、".join(district_name(atlas, d) for d in c.districts), en="layout_districts",
               english=lambda atlas, en, c: EN_SEPARATOR.join(district_name_en(atlas, en, d) for d in c.districts), zh="layout_districts_zh",
               about="For a city cluster: the districts the city's opinion on the clusters lays it out in"),
        Column("对应市级集群", lambda atlas, c: cluster_names(atlas, c.corresponds_to), en="city_clusters",
               english=lambda atlas, en, c: cluster_names_en(atlas, en, c.corresponds_to), zh="city_clusters_zh",
               about="For a district cluster: the city clusters it corresponds to"),
        Column("对应市级集群id", lambda atlas, c: cluster_ids(c.corresponds_to), en="city_cluster_ids",
               english=lambda atlas, en, c: ids_en(c.corresponds_to), about="Their identifiers"),
        Column("对应关系为编者判断", lambda atlas, c: "是" if c.correspondence_is_judgement else "", en="correspondence_is_judgement",
               english=lambda atlas, en, c: yes(c.correspondence_is_judgement),
               about="“yes” when the correspondence is the editors' judgement, not stated by the plan"),
        Column("重点领域", lambda atlas, c: c.focus or "", en="focus", english=lambda atlas, en, c: en.text(c, "focus") or "",
               zh="focus_zh", about="The fields the plan lists for the cluster, in English (empty when not yet translated)"),
        Column("页面", lambda atlas, c: page_url(atlas, c), en="page", english=lambda atlas, en, c: english_page_url(atlas, c),
               about="The cluster's page on this site (English edition), relative to the site's root"),
    ),
    en_label="Clusters",
    en_about="Industry clusters: the city's 20 strategic emerging industry clusters and 8 future industries, and the districts' own clusters.",
)

def _describe(atlas, cluster: Cluster) -> str:
    districts = "、".join(d.name for d in atlas.districts_of(cluster))
    where = f"，布局于{districts}" if districts else ""
    return f"{cluster.name}（{cluster.level.label}）{where}：承载园区、空间布局、目标与重点项目，均链接规划原文。"


TYPE = RecordType(
    name="cluster",
    model=Cluster,
    folder="clusters",
    noun="产业集群",
    label="产业集群",
    references={"plan": "plan", "district": "district", "districts": "district", "corresponds_to": "cluster"},
    section="clusters",
    template="cluster.md.j2",
    page_context=_page,
    checks=(_corresponds_to_city_clusters,),
    describe=_describe,
    search=_search,
    sheet=SHEET,
    english=("name", "focus"),
)
