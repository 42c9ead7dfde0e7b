"""How maps look: the basemap's districts, and places by kind and precision.

A place's *fill* is its cluster's colour (stripes of each colour when it hosts several: drawn by
the client), so the legend's colours can be found on the map; its *outline* says what kind of
place it is: a 先进制造业园区 solid and heavy, a 集聚区 / 片区 / 更新单元 dashed, other places thin,
and anything the editors placed without the text (编者推定) grey and dotted.
"""

from __future__ import annotations

from ..model import PlaceKind, Precision

DISTRICT_STYLE = {"color": "#94a3b8", "weight": 1, "fillColor": "#ffffff", "fillOpacity": 1}
FOCUS_DISTRICT_STYLE = {"color": "#334155", "weight": 2.5, "fillColor": "#f8fafc", "fillOpacity": 1}
SHADED_DISTRICT_STYLE = {"color": "#6366f1", "weight": 1.5, "fillColor": "#c7d2fe", "fillOpacity": 0.55}
NO_CLUSTER_FILL = "#9ca3af"

PLACE_FILL_OPACITY = 0.85
"""High enough that every cluster colour keeps 3:1 contrast against the basemap (palette.py)."""
OUTLINES = {
    "park": {"color": "#7c2d12", "weight": 3, "fillOpacity": PLACE_FILL_OPACITY},
    "area": {"color": "#9a3412", "weight": 2, "dashArray": "6 4", "fillOpacity": PLACE_FILL_OPACITY},
    "other": {"color": "#57534e", "weight": 1.5, "fillOpacity": PLACE_FILL_OPACITY},
    "point": {"color": "#1f2937", "weight": 1.5, "fillOpacity": 0.9, "radius": 7},
    "editorial": {"color": "#6b7280", "weight": 2, "dashArray": "2 4", "fillOpacity": PLACE_FILL_OPACITY, "radius": 7},
}
"""Outline by the kind of place; the fill colour comes from its clusters."""

_AREA_KINDS = {
    PlaceKind.agglomeration_area, PlaceKind.industrial_area, PlaceKind.renewal_unit, PlaceKind.science_city,
    PlaceKind.corridor, PlaceKind.cooperation_zone, PlaceKind.pilot_zone, PlaceKind.demonstration_zone,
}  # fmt: skip
KIND_OUTLINE = {kind.value: "park" if kind is PlaceKind.advanced_manufacturing_park else "area" if kind in _AREA_KINDS else "other" for kind in PlaceKind}

LEGEND_SHAPES = [
    ("park", "先进制造业园区（实线）", False),
    ("area", "集聚区、片区、更新单元等（虚线）", False),
    ("other", "其他园区", False),
    ("point", "地点（点）", True),
    ("editorial", "编者推定的位置（灰色点线）", True),
]
"""Legend rows for the outlines: (style, label, drawn as a point)."""
LEGEND_SHAPES_EN = {
    "park": "Advanced manufacturing park (solid line)", "area": "Cluster zone, area, renewal unit … (dashed)",
    "other": "Other park", "point": "Location (point)", "editorial": "Editors' estimate of the location (grey dotted)",
}  # fmt: skip


def legend_shapes(places, shape_of, lang: str = "zh") -> list[dict]:
    """The outline rows that the places on this map actually use."""
    used = set()
    for place in places:
        geom = shape_of(place).geom
        if place.geometry.precision is Precision.editorial:
            used.add("editorial")
        elif geom.geom_type == "Point":
            used.add("point")
        else:
            used.add(KIND_OUTLINE[place.kind.value])
    return [
        {"color": OUTLINES[key]["color"], "label": LEGEND_SHAPES_EN[key] if lang == "en" else label, "outline": True, "point": point, "dashed": "dashArray" in OUTLINES[key]}
        for key, label, point in LEGEND_SHAPES
        if key in used
    ]
