"""Industry clusters, city-wide (the 20+8) and per district."""

from __future__ import annotations

from ..model import Cluster
from ..search.document import SearchDocument, joined, quotes
from ._columns import cluster_ids, cluster_names, district_name, page_url
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
        Column("id", lambda atlas, c: c.id),
        Column("名称", lambda atlas, c: c.name),
        Column("别称", lambda atlas, c: "、".join(c.aliases)),
        Column("层级", lambda atlas, c: c.level.label),
        Column("来源规划", lambda atlas, c: atlas.plans[c.plan].short_title),
        Column("来源规划id", lambda atlas, c: c.plan),
        Column("行政区", lambda atlas, c: district_name(atlas, c.district)),
        Column("布局行政区（市级意见）", lambda atlas, c: "、".join(district_name(atlas, d) for d in c.districts)),
        Column("对应市级集群", lambda atlas, c: cluster_names(atlas, c.corresponds_to)),
        Column("对应市级集群id", lambda atlas, c: cluster_ids(c.corresponds_to)),
        Column("对应关系为编者判断", lambda atlas, c: "是" if c.correspondence_is_judgement else ""),
        Column("重点领域", lambda atlas, c: c.focus or ""),
        Column("页面", lambda atlas, c: page_url(atlas, c)),
    ),
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
