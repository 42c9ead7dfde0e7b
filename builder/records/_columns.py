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


# --- the English tables (en/downloads/): `en` is the English edition's EnglishText ------------------

EN_SEPARATOR = "; "  # between the names of a list in an English cell (names may hold commas)


def district_name_en(atlas, en, district_id: str | None) -> str:
    district = atlas.districts.get(district_id) if district_id else None
    return en.plain(district) if district else (district_id or "")


def cluster_names_en(atlas, en, ids: list[str]) -> str:
    return EN_SEPARATOR.join(en.plain(atlas.clusters[c]) for c in ids if c in atlas.clusters)


def ids_en(ids: list[str]) -> str:
    return EN_SEPARATOR.join(ids)


def plan_title_en(atlas, en, plan_id: str) -> str:
    plan = atlas.plans.get(plan_id)
    return en.plain(plan, "short_title") if plan else plan_id


def english_page_url(atlas, record) -> str:
    from ..render.english_pages import english_url  # the declarations are imported by atlas.py itself

    return english_url(record)


def yes(flag) -> str:
    return "yes" if flag else ""


def figure_en(written: str | None, unit: str | None = None) -> str:
    """A figure as written, in English ("≥3500" → "at least 3,500"); "" when it cannot be read."""
    from ..render import english_format

    return (english_format.figure(written, unit) or "") if written else ""


def date_en(written: str | None) -> str:
    from ..render import english_format

    return (english_format.date(written) or "") if written else ""


def recorded_date_en(text: str | None) -> str:
    """A date recorded as YYYY, YYYY-MM or YYYY-MM-DD, in English: 2022-06 → "June 2022"."""
    from ..render import english_format

    if not text:
        return ""
    parts = text.split("-")
    return english_format.date(f"{parts[0]}年" + "".join(f"{int(n)}{unit}" for n, unit in zip(parts[1:], "月日"))) or text


COMPARATORS_EN = {
    "不少于": "at least", "不低于": "at least", "超过": "over", "突破": "over", "力争": "striving for",
    "达到": "reaching", "约": "about", "近": "nearly", "≥": "at least", ">": "over", "≤": "up to", "<": "under",
    "以上": "at least", "以内": "up to", "以下": "up to", "左右": "about", "余": "over", "多": "over", "区间": "range",
}  # fmt: skip
"""`Figure.comparator` (the qualifier as the plan writes it) in English, as english_format reads figures."""
