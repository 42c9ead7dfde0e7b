"""Industry clusters, city-wide (the 20+8) and per district."""

from __future__ import annotations

from ..model import Cluster
from ..search.document import SearchDocument, joined, quotes
from .base import RecordType


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
    search=_search,
)
