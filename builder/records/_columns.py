"""Column helpers the download sheets of several record types share."""

from __future__ import annotations


def district_name(atlas, district_id: str | None) -> str:
    district = atlas.districts.get(district_id) if district_id else None
    return district.name if district else (district_id or "")


def cluster_names(atlas, ids: list[str]) -> str:
    return "、".join(atlas.clusters[c].name for c in ids if c in atlas.clusters)


def cluster_ids(ids: list[str]) -> str:
    return "、".join(ids)


def page_url(atlas, record) -> str:
    from ..atlas import url_for  # the declarations are imported by atlas.py itself

    return url_for(record)
