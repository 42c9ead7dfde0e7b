"""Stage 3 — join: one in-memory Atlas with every cross-link resolved.

Renderers read only this object; nothing after this stage opens a content file again. URLs are
decided here, in one place (`url_for`, from each record type's declaration), so pages, maps and
search agree on them.

Records are kept per type (`atlas.places`, `atlas.clusters` … read `atlas.records`). Every
reference a record type declares is indexed backwards: `atlas.referrers("place", "clusters")`
maps a cluster id to the places naming it. The named indexes below are those, spelled out for the
templates.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problems
from .geometry import Shape
from .load import Content, load_content
from .model import Citation, Cluster, District, Place, Plan
from .plantext import PlanText
from .records import REGISTRY
from .stages import Stages
from .substring_index import SubstringIndex
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


def url_for(record) -> str:
    """Site-relative URL of a record: its page (MkDocs directory URL) or its anchor on another page."""
    return REGISTRY.of(record).url(record)


def pair_url(cluster: Cluster, district: District) -> str:
    """Page of one cluster in one district (a city cluster's 集聚区 in that district)."""
    return f"clusters/{cluster.id}/{district.id}/"


@dataclass
class Atlas:
    root: Path
    records: dict[str, dict]  # folder → id → record, in registry order
    texts: dict[str, PlanText]
    district_shapes: dict[str, Shape]
    place_shapes: dict[str, Shape]
    warnings: list = field(default_factory=list)  # Problem: things the build fixed or ignored, to tell staff
    findings: list = field(default_factory=list)  # consistency findings (builder/consistency), with notes
    versions: dict = field(default_factory=dict)  # plan id → (current label, earlier versions)
    english: dict = field(default_factory=dict)  # folder → id → EnglishEntry (builder/english.py)
    labels: dict = field(default_factory=dict)  # (vocabulary, value) → English label
    _referrers: dict[tuple[str, str], dict[str, list]] = field(default_factory=dict, repr=False)

    def __getattr__(self, name: str):
        records = self.__dict__.get("records", {})
        if name in records:
            return records[name]
        raise AttributeError(name)

    def referrers(self, type_name: str, field_name: str) -> dict[str, list]:
        """Target id → records of `type_name` whose `field_name` names it (a declared reference)."""
        return self._referrers[(type_name, field_name)]

    # The indexes templates use, by name.
    places_by_cluster = property(lambda self: self.referrers("place", "clusters"))
    places_by_district = property(lambda self: self.referrers("place", "district"))
    clusters_by_plan = property(lambda self: self.referrers("cluster", "plan"))
    correspondents = property(lambda self: self.referrers("cluster", "corresponds_to"))  # city → district clusters
    indicators_by_plan = property(lambda self: self.referrers("indicator", "plan"))
    indicators_by_cluster = property(lambda self: self.referrers("indicator", "clusters"))
    progress_of = property(lambda self: self.referrers("indicator", "reports_on"))
    projects_by_plan = property(lambda self: self.referrers("project", "plan"))
    projects_by_cluster = property(lambda self: self.referrers("project", "clusters"))
    projects_by_place = property(lambda self: self.referrers("project", "place"))
    tasks_by_plan = property(lambda self: self.referrers("task", "plan"))
    tasks_by_cluster = property(lambda self: self.referrers("task", "clusters"))
    roles_by_cluster = property(lambda self: self.referrers("role", "cluster"))
    roles_by_district = property(lambda self: self.referrers("role", "district"))
    roles_by_place = property(lambda self: self.referrers("role", "place"))
    places_within = property(lambda self: self.referrers("place", "within"))
    plans_by_district = property(lambda self: self.referrers("plan", "district"))
    departments_by_district = property(lambda self: self.referrers("department", "district"))

    @property
    def tasks_by_department(self) -> dict[str, list]:
        """A department's tasks, whether it leads them or shares them."""
        return self._referrers[("task", "lead|departments")]

    @property
    def places_by_plan(self) -> dict[str, list[Place]]:
        """Places a plan mentions: the plans their citations quote."""
        return self._referrers[("place", "citations")]

    def cite(self, citation: Citation) -> ResolvedCitation:
        text = self.texts[citation.plan]
        heading = text.heading_for(citation.para)
        return ResolvedCitation(
            plan=self.plans[citation.plan],
            anchor=citation.para,
            quote=citation.quote,
            section=heading.text if heading else "",
        )

    notes_by_finding = property(lambda self: self.referrers("note", "finding"))

    def shown_findings(self) -> list:
        """Findings not dismissed by an editor as a false positive."""
        return list(self._findings_index()[0])

    def findings_about(self, type_name: str, record_id: str) -> list:
        return list(self._findings_index()[1].get((type_name, record_id), ()))

    def findings_citing(self, plan_id: str) -> list:
        return list(self._findings_index()[2].get(plan_id, ()))

    def _findings_index(self) -> tuple[list, dict, dict]:
        """The shown findings, and them by record concerned and by plan cited: made once per list of
        findings, since pages ask for every record (a scan per page grew with records × findings)."""
        cached = self.__dict__.get("_findings_cache")
        if cached is not None and cached[0] is self.findings and cached[1] == len(self.findings):
            return cached[2]
        shown = [f for f in self.findings if not any(n.status.value == "误报" for n in self.notes_by_finding.get(f.id, []))]
        about: dict = defaultdict(list)
        citing: dict = defaultdict(list)
        for finding in shown:
            for record in dict.fromkeys(finding.records):
                about[record].append(finding)
            for plan in dict.fromkeys(side.plan for side in finding.sides):
                citing[plan].append(finding)
        index = (shown, dict(about), dict(citing))
        self.__dict__["_findings_cache"] = (self.findings, len(self.findings), index)
        return index

    def related_clusters(self, cluster: Cluster) -> set[str]:
        """The cluster and the district clusters that correspond to it (for a city cluster)."""
        return {cluster.id, *(c.id for c in self.correspondents.get(cluster.id, []))}

    def city_clusters_of(self, place: Place) -> list[str]:
        """Clusters a place shows under on city-wide maps: district clusters fold into their city clusters,
        and a city cluster whose layout gives the place a role counts too."""
        result: list[str] = []
        for cid in [*place.clusters, *(r.cluster for r in self.roles_by_place.get(place.id, []))]:
            cluster = self.clusters.get(cid)
            if cluster is None:
                continue
            result.extend((cluster.corresponds_to if not cluster.is_city else []) or [cid])
        return list(dict.fromkeys(result))

    def districts_of(self, cluster: Cluster) -> list[District]:
        """Districts a cluster is laid out in: the ones a city cluster names, or a district cluster's own."""
        ids = [cluster.district] if cluster.district else cluster.districts
        return [self.districts[d] for d in ids if d in self.districts]

    def hosts_of(self, cluster: Cluster) -> list[Place]:
        """Places hosting a cluster, or (for a city cluster) a district cluster that corresponds to it,
        or given a role in the cluster's layout."""
        related = self.related_clusters(cluster)
        found = {r.place for r in self.roles_by_cluster.get(cluster.id, []) if r.place in self.places}
        found.update(p.id for cid in related for p in self.places_by_cluster.get(cid, []))
        order = self._place_order()
        return [self.places[pid] for pid in sorted(found, key=order.__getitem__)]  # in the places' order

    def _place_order(self) -> dict[str, int]:
        """Each place id's position among the places (hosts_of is asked for every cluster and pair)."""
        cached = self.__dict__.get("_place_order_cache")
        if cached is None or cached[0] is not self.places or len(cached[1]) != len(self.places):
            cached = (self.places, {pid: i for i, pid in enumerate(self.places)})
            self.__dict__["_place_order_cache"] = cached
        return cached[1]

    def places_for_pair(self, cluster: Cluster, district: District) -> list[Place]:
        """Places in `district` hosting `cluster` (see hosts_of)."""
        return [p for p in self.hosts_of(cluster) if p.district == district.id]

    def roles_for(self, cluster: Cluster, district_id: str) -> list:
        """The spatial roles a plan gives `district_id` in `cluster` (a city cluster)."""
        return [r for r in self.roles_by_cluster.get(cluster.id, []) if r.district == district_id]

    def city_roles_of(self, place: Place) -> list[tuple[Cluster, list]]:
        """For each city cluster a place hosts (directly or through a district cluster), the roles the
        city gives the place's district (or the place itself) in it."""
        result = []
        for cid in self.city_clusters_of(place):
            cluster = self.clusters.get(cid)
            if cluster is None or not cluster.is_city:
                continue
            roles = [r for r in self.roles_by_cluster.get(cid, []) if r.place == place.id or (r.district == place.district and not r.place)]
            roles.sort(key=lambda r: r.place != place.id)  # the place's own role first
            result.append((cluster, roles))
        return result

    def place_names(self) -> list[str]:
        """Every place's name and aliases, longest first."""
        return self._cached("_place_names", lambda: sorted({n for p in self.places.values() for n in (p.name, *p.aliases) if n}, key=len, reverse=True))

    def _cached(self, key: str, make):
        """A derived lookup computed once (records do not change after the join)."""
        if key not in self.__dict__:
            self.__dict__[key] = make()
        return self.__dict__[key]

    def name_positions(self, text: str, name: str) -> list[int]:
        """Where `name` occurs in `text` on its own, not as part of a longer place name (园区x in 示范园区x)."""
        names = self._cached("_names_index", lambda: SubstringIndex(self.place_names()))
        longer = [names.texts[n] for n in names.containing(name) if len(names.texts[n]) > len(name)]
        # `in` first: most longer names are not in this text, and a regex per name is compiled anew
        # once there are more names than re's cache holds (at 100× the content, most of the review)
        covered = [(m.start(), m.end()) for other in longer if other in text for m in re.finditer(re.escape(other), text)]
        return [
            m.start() for m in re.finditer(re.escape(name), text)
            if not any(start <= m.start() and m.end() <= end for start, end in covered)
        ]  # fmt: skip

    def plan_blocks(self) -> tuple[list, SubstringIndex]:
        """Every plan paragraph and heading (not markers) as (plan id, block), and an index of their texts."""
        def make():
            blocks = [(plan_id, b) for plan_id, text in self.texts.items() for b in text.blocks if b.kind != "marker"]
            return blocks, SubstringIndex([b.text for _, b in blocks])
        return self._cached("_blocks_index", make)

    def mentions(self, place: Place) -> list[tuple[Plan, list]]:
        """Every plan paragraph (and heading) naming the place or one of its aliases, by plan."""
        cache = self._cached("_mentions", dict)
        if place.id not in cache:
            blocks, index = self.plan_blocks()
            names = [n for n in dict.fromkeys([place.name, *place.aliases]) if n]
            hits = sorted({i for n in names for i in index.containing(n) if self.name_positions(blocks[i][1].text, n)})
            by_plan: dict[str, list] = {}
            for i in hits:
                by_plan.setdefault(blocks[i][0], []).append(blocks[i][1])
            cache[place.id] = [(self.plans[p], found) for p, found in by_plan.items() if p in self.plans]
        return cache[place.id]

    def naming(self, folder: str, place: Place) -> list:
        """The records of `folder` (indicators, tasks …) whose name, title or quotes name the place."""
        def make():
            records = list(self.records[folder].values())
            texts = [" ".join([getattr(r, "name", "") or getattr(r, "title", ""), *(c.quote for c in r.citations)]) for r in records]
            return records, SubstringIndex(texts)
        records, index = self._cached(f"_naming_{folder}", make)
        names = [n for n in dict.fromkeys([place.name, *place.aliases]) if n]
        return [records[i] for i in sorted({i for n in names for i in index.containing(n)})]

    def shape_of(self, place: Place) -> Shape | None:
        return self.place_shapes.get(place.geometry.ref) if place.geometry.ref else None

    def district_shape(self, district_id: str) -> Shape | None:
        district = self.districts.get(district_id)
        return self.district_shapes.get(district.geometry) if district and district.geometry else None


def _values(record, field_name: str) -> list[str]:
    value = getattr(record, field_name)
    return [v for v in (value if isinstance(value, list) else [value]) if v]


def _group(records, keys_of) -> dict[str, list]:
    groups: dict[str, list] = defaultdict(list)
    for record in records:
        for key in dict.fromkeys(keys_of(record)):
            groups[key].append(record)
    return dict(groups)


def join(content: Content) -> Atlas:
    atlas = Atlas(
        root=content.root,
        records={rt.folder: {r.id: r for r in content.records[rt.folder]} for rt in REGISTRY},
        texts=content.texts,
        district_shapes=content.district_shapes,
        place_shapes=content.place_shapes,
        versions=content.versions,
        english=content.english,
        labels=content.labels,
    )
    for rt in REGISTRY:
        records = atlas.records[rt.folder].values()
        for field_name in rt.references:
            atlas._referrers[(rt.name, field_name)] = _group(records, lambda r, f=field_name: _values(r, f))
    atlas._referrers[("note", "finding")] = _group(atlas.finding_notes.values(), lambda n: [n.finding])
    atlas._referrers[("task", "lead|departments")] = _group(atlas.tasks.values(), lambda t: [*t.lead, *t.departments])
    atlas._referrers[("place", "citations")] = _group(atlas.places.values(), lambda p: [c.plan for c in p.citations])
    return atlas


def build_atlas(root: Path, stages: Stages | None = None, cache=None) -> Atlas:
    """Load, validate and join; raise AtlasError listing every problem if the data is wrong.

    With a `BuildCache`, files read before are not parsed again (`load.py`).
    """
    stages = stages or Stages()
    atlas, problems = join_atlas(root, stages, cache)
    return review_atlas(atlas, problems, stages)


def join_atlas(root: Path, stages: Stages, cache=None) -> tuple[Atlas, Problems]:
    """The first half of `build_atlas`: the joined records, not yet reviewed for consistency."""
    problems = Problems()
    with stages.run("load") as stage:
        content = load_content(root, problems, cache)
        stage.counts = {"records": sum(len(v) for v in content.records.values())}
    with stages.run("validate"):
        validate(content, problems)  # also when some files failed: one run lists every problem
    problems.raise_if_any()
    with stages.run("join"):
        atlas = join(content)
    return atlas, problems


def review_atlas(atlas: Atlas, problems: Problems, stages: Stages) -> Atlas:
    """The second half: where the plans disagree (findings), then any problem raised."""
    from .consistency import review  # the detectors read the joined Atlas

    with stages.run("consistency") as stage:
        atlas.findings = review(atlas, problems)
        stage.counts = {"findings": len(atlas.findings)}
    problems.raise_if_any()
    atlas.warnings = list(problems.warnings)
    return atlas
