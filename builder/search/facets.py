"""Search facets: what results can be narrowed by, and how each value is labelled.

One small class per facet, in the spirit of Datasette's facets: a name used in URLs
(`?district=longgang`), a Chinese label for the UI, and how to label each value. Which values a
document has is decided where the document is built, in each record type's declaration.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..atlas import Atlas


@dataclass(frozen=True)
class Facet:
    name: str  # URL parameter
    label: str  # UI heading

    def value_label(self, atlas: Atlas, value: str) -> str:
        return value


class TypeFacet(Facet):
    pass


class PlanFacet(Facet):
    def value_label(self, atlas: Atlas, value: str) -> str:
        plan = atlas.plans.get(value)
        return plan.short_title if plan else value


class DistrictFacet(Facet):
    def value_label(self, atlas: Atlas, value: str) -> str:
        district = atlas.districts.get(value)
        return district.name if district else value


class ClusterFacet(Facet):
    def value_label(self, atlas: Atlas, value: str) -> str:
        cluster = atlas.clusters.get(value)
        return cluster.name if cluster else value


class KindFacet(Facet):
    pass


FACETS: tuple[Facet, ...] = (
    TypeFacet("type", "类型"),
    DistrictFacet("district", "行政区"),
    ClusterFacet("cluster", "产业集群"),
    KindFacet("kind", "地点类型"),
    PlanFacet("plan", "规划"),
)
