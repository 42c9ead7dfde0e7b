"""Stage 3 — join: one in-memory Atlas with every cross-link resolved.

Renderers read only this object; nothing after this stage opens a content file again. URLs are
decided here, in one place, so pages, maps and search agree on them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problems
from .geometry import Shape
from .load import Content, load_content
from .model import Citation, Cluster, District, Place, Plan
from .plantext import PlanText
from .validate import validate


@dataclass(frozen=True)
class ResolvedCitation:
    plan: Plan
    anchor: str
    quote: str
    section: str  # heading the paragraph sits under, for the link label

    @property
    def url(self) -> str:
        return f"{url_for(self.plan)}#{self.anchor}"


@dataclass
class Atlas:
    root: Path
    plans: dict[str, Plan]
    texts: dict[str, PlanText]
    clusters: dict[str, Cluster]
    places: dict[str, Place]
    districts: dict[str, District]
    district_shapes: dict[str, Shape]
    place_shapes: dict[str, Shape]
    places_by_cluster: dict[str, list[Place]] = field(default_factory=dict)
    places_by_district: dict[str, list[Place]] = field(default_factory=dict)
    clusters_by_plan: dict[str, list[Cluster]] = field(default_factory=dict)
    places_by_plan: dict[str, list[Place]] = field(default_factory=dict)

    def cite(self, citation: Citation) -> ResolvedCitation:
        text = self.texts[citation.plan]
        heading = text.heading_for(citation.para)
        return ResolvedCitation(
            plan=self.plans[citation.plan],
            anchor=citation.para,
            quote=citation.quote,
            section=heading.text if heading else "",
        )

    def shape_of(self, place: Place) -> Shape | None:
        return self.place_shapes.get(place.geometry.ref) if place.geometry.ref else None

    def district_shape(self, district_id: str) -> Shape | None:
        district = self.districts.get(district_id)
        return self.district_shapes.get(district.geometry) if district else None


def url_for(record: Plan | Cluster | Place | District) -> str:
    """Site-relative directory URL of a record's page (MkDocs `use_directory_urls`)."""
    section = {Plan: "plans", Cluster: "clusters", Place: "places", District: "districts"}[type(record)]
    return f"{section}/{record.id}/"


def join(content: Content) -> Atlas:
    atlas = Atlas(
        root=content.root,
        plans={p.id: p for p in content.plans},
        texts=content.texts,
        clusters={c.id: c for c in content.clusters},
        places={p.id: p for p in content.places},
        districts={d.id: d for d in content.districts},
        district_shapes=content.district_shapes,
        place_shapes=content.place_shapes,
    )
    by_cluster, by_district = defaultdict(list), defaultdict(list)
    clusters_by_plan, places_by_plan = defaultdict(list), defaultdict(list)
    for place in atlas.places.values():
        by_district[place.district].append(place)
        for cluster_id in place.clusters:
            by_cluster[cluster_id].append(place)
        for plan_id in dict.fromkeys(c.plan for c in place.citations):
            places_by_plan[plan_id].append(place)
    for cluster in atlas.clusters.values():
        clusters_by_plan[cluster.plan].append(cluster)
    atlas.places_by_cluster = dict(by_cluster)
    atlas.places_by_district = dict(by_district)
    atlas.clusters_by_plan = dict(clusters_by_plan)
    atlas.places_by_plan = dict(places_by_plan)
    return atlas


def build_atlas(root: Path) -> Atlas:
    """Load, validate and join; raise AtlasError listing every problem if the data is wrong."""
    problems = Problems()
    content = load_content(root, problems)
    if not problems:
        validate(content, problems)
    problems.raise_if_any()
    return join(content)
