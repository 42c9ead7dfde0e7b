"""Search facets: what results can be narrowed by, and how each value is labelled.

One small class per facet, in the spirit of Datasette's facets: a name used in URLs
(`?district=longgang`), a Chinese label for the UI (and an English one for the English edition's
index), and how to label each value in either language. Which values a document has is decided
where the document is built, in each record type's declaration (`english.py` for the English index).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..atlas import Atlas
from ..model import PlaceKind


@dataclass(frozen=True)
class Facet:
    name: str  # URL parameter
    label: str  # UI heading
    english: str = ""  # UI heading on the English edition

    def value_label(self, atlas: Atlas, value: str) -> str:
        return value

    def english_value_label(self, atlas: Atlas, en, value: str) -> str:
        """The value's label on the English edition; `en` is the edition's `EnglishText`."""
        return value


class TypeFacet(Facet):
    pass


class PlanFacet(Facet):
    def value_label(self, atlas: Atlas, value: str) -> str:
        plan = atlas.plans.get(value)
        return plan.short_title if plan else value

    def english_value_label(self, atlas: Atlas, en, value: str) -> str:
        plan = atlas.plans.get(value)
        return en.plain(plan, "short_title") if plan else value


class DistrictFacet(Facet):
    def value_label(self, atlas: Atlas, value: str) -> str:
        district = atlas.districts.get(value)
        return district.name if district else value

    def english_value_label(self, atlas: Atlas, en, value: str) -> str:
        district = atlas.districts.get(value)
        return en.plain(district) if district else value


class ClusterFacet(Facet):
    def value_label(self, atlas: Atlas, value: str) -> str:
        cluster = atlas.clusters.get(value)
        return cluster.name if cluster else value

    def english_value_label(self, atlas: Atlas, en, value: str) -> str:
        cluster = atlas.clusters.get(value)
        if cluster is None:
            return value
        owner = atlas.districts.get(cluster.district) if cluster.district else None
        # district clusters often share a city cluster's English name: say whose, as their titles do
        return f"{en.plain(cluster)} ({en.plain(owner)})" if owner else en.plain(cluster)


class KindFacet(Facet):
    def english_value_label(self, atlas: Atlas, en, value: str) -> str:
        try:
            return en.label(PlaceKind(value))
        except ValueError:
            return value


FACETS: tuple[Facet, ...] = (
    TypeFacet("type", "类型", "Type"),
    DistrictFacet("district", "行政区", "District"),
    ClusterFacet("cluster", "产业集群", "Industry cluster"),
    KindFacet("kind", "地点类型", "Kind of place"),
    PlanFacet("plan", "规划", "Plan"),
)
