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
from .model import Citation, Cluster, Department, District, Indicator, Place, Plan, Project, Task
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
    indicators: dict[str, Indicator] = field(default_factory=dict)
    projects: dict[str, Project] = field(default_factory=dict)
    departments: dict[str, Department] = field(default_factory=dict)
    tasks: dict[str, Task] = field(default_factory=dict)
    places_by_cluster: dict[str, list[Place]] = field(default_factory=dict)
    places_by_district: dict[str, list[Place]] = field(default_factory=dict)
    clusters_by_plan: dict[str, list[Cluster]] = field(default_factory=dict)
    places_by_plan: dict[str, list[Place]] = field(default_factory=dict)
    indicators_by_plan: dict[str, list[Indicator]] = field(default_factory=dict)
    progress_of: dict[str, list[Indicator]] = field(default_factory=dict)
    projects_by_plan: dict[str, list[Project]] = field(default_factory=dict)
    tasks_by_plan: dict[str, list[Task]] = field(default_factory=dict)
    tasks_by_department: dict[str, list[Task]] = field(default_factory=dict)
    correspondents: dict[str, list[Cluster]] = field(default_factory=dict)  # city cluster → district clusters
    indicators_by_cluster: dict[str, list[Indicator]] = field(default_factory=dict)
    projects_by_cluster: dict[str, list[Project]] = field(default_factory=dict)
    projects_by_place: dict[str, list[Project]] = field(default_factory=dict)
    tasks_by_cluster: dict[str, list[Task]] = field(default_factory=dict)
    warnings: list = field(default_factory=list)  # Problem: things the build fixed or ignored, to tell staff

    def cite(self, citation: Citation) -> ResolvedCitation:
        text = self.texts[citation.plan]
        heading = text.heading_for(citation.para)
        return ResolvedCitation(
            plan=self.plans[citation.plan],
            anchor=citation.para,
            quote=citation.quote,
            section=heading.text if heading else "",
        )

    def districts_of(self, cluster: Cluster) -> list[District]:
        """Districts a cluster is laid out in: the ones a city cluster names, or a district cluster's own."""
        ids = [cluster.district] if cluster.district else cluster.districts
        return [self.districts[d] for d in ids if d in self.districts]

    def hosts_of(self, cluster: Cluster) -> list[Place]:
        """Places hosting a cluster, or (for a city cluster) a district cluster that corresponds to it."""
        related = {cluster.id, *(c.id for c in self.correspondents.get(cluster.id, []))}
        return [p for p in self.places.values() if related & set(p.clusters)]

    def places_for_pair(self, cluster: Cluster, district: District) -> list[Place]:
        """Places in `district` hosting `cluster` or a district cluster that corresponds to it."""
        related = {cluster.id, *(c.id for c in self.correspondents.get(cluster.id, []))}
        return [p for p in self.places_by_district.get(district.id, []) if related & set(p.clusters)]

    def shape_of(self, place: Place) -> Shape | None:
        return self.place_shapes.get(place.geometry.ref) if place.geometry.ref else None

    def district_shape(self, district_id: str) -> Shape | None:
        district = self.districts.get(district_id)
        return self.district_shapes.get(district.geometry) if district and district.geometry else None


def pair_url(cluster: Cluster, district: District) -> str:
    """Page of one cluster in one district (a city cluster's 集聚区 in that district)."""
    return f"clusters/{cluster.id}/{district.id}/"


def url_for(record: Plan | Cluster | Place | District | Department) -> str:
    """Site-relative directory URL of a record's page (MkDocs `use_directory_urls`)."""
    section = {
        Plan: "plans",
        Cluster: "clusters",
        Place: "places",
        District: "districts",
        Department: "departments",
    }[type(record)]
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
        indicators={i.id: i for i in content.indicators},
        projects={p.id: p for p in content.projects},
        departments={d.id: d for d in content.departments},
        tasks={t.id: t for t in content.tasks},
    )
    places = atlas.places.values()
    atlas.places_by_cluster = _group(places, lambda p: p.clusters)
    atlas.places_by_district = _group(places, lambda p: [p.district])
    atlas.places_by_plan = _group(places, lambda p: list(dict.fromkeys(c.plan for c in p.citations)))
    atlas.clusters_by_plan = _group(atlas.clusters.values(), lambda c: [c.plan])
    atlas.indicators_by_plan = _group(atlas.indicators.values(), lambda i: [i.plan])
    atlas.progress_of = _group(atlas.indicators.values(), lambda i: [i.reports_on] if i.reports_on else [])
    atlas.projects_by_plan = _group(atlas.projects.values(), lambda p: [p.plan])
    atlas.tasks_by_plan = _group(atlas.tasks.values(), lambda t: [t.plan])
    atlas.tasks_by_department = _group(atlas.tasks.values(), lambda t: list(dict.fromkeys([*t.lead, *t.departments])))
    atlas.correspondents = _group(atlas.clusters.values(), lambda c: c.corresponds_to)
    atlas.indicators_by_cluster = _group(atlas.indicators.values(), lambda i: i.clusters)
    atlas.projects_by_cluster = _group(atlas.projects.values(), lambda p: p.clusters)
    atlas.projects_by_place = _group(atlas.projects.values(), lambda p: [p.place] if p.place else [])
    atlas.tasks_by_cluster = _group(atlas.tasks.values(), lambda t: t.clusters)
    return atlas


def _group(records, keys_of) -> dict[str, list]:
    groups: dict[str, list] = defaultdict(list)
    for record in records:
        for key in keys_of(record):
            groups[key].append(record)
    return dict(groups)


def build_atlas(root: Path) -> Atlas:
    """Load, validate and join; raise AtlasError listing every problem if the data is wrong."""
    problems = Problems()
    content = load_content(root, problems)
    validate(content, problems)  # also when some files failed: one run lists every problem
    problems.raise_if_any()
    atlas = join(content)
    atlas.warnings = list(problems.warnings)
    return atlas
