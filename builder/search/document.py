"""One searchable unit (a plan paragraph or a record) and helpers the record types share.

Each record type builds its own documents (`search=` in its declaration); this module has no
knowledge of the types, so the declarations can import it without a cycle.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import Cited


@dataclass
class SearchDocument:
    type: str  # record type label shown in results and used as a facet value
    title: str
    body: str
    url: str  # site-relative
    facets: dict[str, list[str]] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)


def joined(parts: Iterable[str | None]) -> str:
    """Body text from parts, empty ones left out."""
    return " · ".join(part for part in parts if part)


def plans_cited(record: Cited) -> list[str]:
    return list(dict.fromkeys(c.plan for c in record.citations))


def quotes(record: Cited) -> str:
    return " ".join(dict.fromkeys(c.quote for c in record.citations))


def plan_facets(atlas, record) -> dict[str, list[str]]:
    """Facets of a record that belongs to one plan: its own district, else the plan's."""
    plan = atlas.plans.get(record.plan)
    district = getattr(record, "district", None) or (plan.district if plan else None)
    return {"plan": [record.plan], "district": [district] if district else [], "cluster": list(getattr(record, "clusters", []))}
