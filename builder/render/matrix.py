"""The district × cluster matrix: for every district and city cluster, what the plans say.

Four kinds of evidence, kept apart because they come from different documents and may disagree:
- a *role* an action plan gives the district in the cluster's layout (化合物半导体集聚区 …);
- a *district plan* whose own cluster maps to the city cluster (龙岗's 半导体与集成电路产业集群);
- a *park* (or other place) in the district that hosts the cluster;
- an *opinion listing*: the city opinion names the district for the cluster's 集聚区.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..atlas import Atlas
from ..model import Cluster, District


@dataclass
class Cell:
    roles: list = field(default_factory=list)
    local_clusters: list = field(default_factory=list)
    places: list = field(default_factory=list)
    listed: bool = False

    @property
    def kinds(self) -> list[str]:
        return [k for k, present in (("role", self.roles), ("district-plan", self.local_clusters), ("park", self.places), ("opinion", self.listed)) if present]


def columns(atlas: Atlas) -> list[Cluster]:
    """City clusters, then future industries, in content order."""
    city = [c for c in atlas.clusters.values() if c.level.value == "city-cluster"]
    return city + [c for c in atlas.clusters.values() if c.level.value == "city-future"]


def cell(atlas: Atlas, district: District, cluster: Cluster) -> Cell:
    return Cell(
        roles=atlas.roles_for(cluster, district.id),
        local_clusters=[c for c in atlas.correspondents.get(cluster.id, []) if c.district == district.id],
        places=atlas.places_for_pair(cluster, district),
        listed=district.id in cluster.districts,
    )


def matrix(atlas: Atlas) -> list[tuple[District, list[tuple[Cluster, Cell]]]]:
    clusters = columns(atlas)
    return [(d, [(c, cell(atlas, d, c)) for c in clusters]) for d in atlas.districts.values()]
