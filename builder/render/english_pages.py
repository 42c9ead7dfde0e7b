"""The English edition: every generated page again under `en/`, from `templates/pages/en/`.

Foreign investors read the atlas in English. The English pages are separate templates (English
is not Chinese with the words swapped: word order, plurals and figures differ), fed by the same
records and page contexts as the Chinese ones. Names come from `content/english/` (`english.py`);
a record without one is shown in Chinese inside `lang="zh-CN"`, and so is every quote: plan texts
stay Chinese, and a test checks that no Chinese is left outside such elements. Figures and units
are converted by `english_format.py`.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from ..atlas import Atlas, url_for
from ..english import EnglishSource
from ..model import Precision
from ..records import REGISTRY
from . import english_format

PREFIX = "en/"
CHINESE = "zh-CN"


def zh(text) -> Markup:
    """Chinese text on an English page, marked as such (screen readers, fonts, the chrome test)."""
    return Markup('<span lang="{}">{}</span>').format(CHINESE, text)


class EnglishText:
    """What the English templates ask of records: names, labels and figures in English.

    `text()` is the English or None; `name()` is markup that falls back to the Chinese, marked;
    `plain()` is a string for titles, the menu and attributes (English, else the Chinese).
    """

    format = english_format

    def __init__(self, atlas: Atlas):
        self.atlas = atlas

    def entry(self, record):
        record_type = REGISTRY.of(record)
        return self.atlas.english.get(record_type.folder, {}).get(getattr(record, "id", None))

    def _field(self, record, field_name: str | None) -> str | None:
        if field_name:
            return field_name
        fields = REGISTRY.of(record).english
        return fields[0] if fields else None

    def text(self, record, field_name: str | None = None) -> str | None:
        field_name = self._field(record, field_name)
        entry = self.entry(record)
        return entry.text(field_name) if entry is not None and field_name else None

    def name(self, record, field_name: str | None = None) -> Markup:
        field_name = self._field(record, field_name) or "name"
        english = self.text(record, field_name)
        if english is not None:
            return Markup(escape(english))
        chinese = getattr(record, field_name, None) or getattr(record, "title", None) or getattr(record, "name", "")
        return zh(chinese)

    def plain(self, record, field_name: str | None = None) -> str:
        field_name = self._field(record, field_name) or "name"
        english = self.text(record, field_name)
        return english if english is not None else str(getattr(record, field_name, None) or getattr(record, "title", ""))

    def official(self, record) -> bool:
        entry = self.entry(record)
        return entry is not None and entry.en_source is EnglishSource.official

    def label(self, member) -> str:
        """A vocabulary value (kind of place, precision, level …) in English; the Chinese if unnamed."""
        if member is None:
            return ""
        vocabulary = type(member).__name__
        return self.atlas.labels.get((vocabulary, member.value), member.value)

    def precision_note(self, precision) -> str:
        """What a place's drawn shape is worth, in English (`Precision.explanation`)."""
        return PRECISION_NOTES[precision]

    def figure(self, figure, unit: str | None = None) -> Markup:
        """A figure in English, or as written (Chinese, marked) when it cannot be converted."""
        if figure is None:
            return Markup("")
        english = english_format.figure(figure.value, unit)
        return Markup(escape(english)) if english is not None else zh(figure.value)

    def written(self, text: str | None) -> Markup:
        """A figure written inside text (an investment, an output) in English, else as written."""
        if not text:
            return Markup("")
        english = english_format.figure(text)
        return Markup(escape(english)) if english is not None else zh(text)

    def area(self, area) -> Markup:
        english = english_format.figure(area.as_written, area.unit) if area else None
        if area is None:
            return Markup("")
        shown = Markup(escape(english)) if english is not None else zh(area.as_written)
        if english is not None and english.endswith("km²") or area.km2 < 0.01:
            return shown  # already in km², or too small for km² to say anything
        return shown + Markup(' <span class="atlas-muted">(about {} km²)</span>').format(english_format.number(round(area.km2, 2)))

    def unit(self, unit: str | None) -> Markup:
        if not unit:
            return Markup("")
        label = english_format.unit_label(unit)
        if label == "count":
            return Markup("number")
        return Markup(escape(label)) if label is not None else zh(unit)

    def date(self, written: str | None) -> Markup:
        if not written:
            return Markup("")
        english = english_format.date(written)
        return Markup(escape(english)) if english is not None else zh(written)


def english_url(record) -> str:
    """The English page (or anchor) of a record, site-relative."""
    return PREFIX + url_for(record)


def twin_of(path: str) -> str:
    """The docs path of a page's twin in the other language."""
    return path[len(PREFIX):] if path.startswith(PREFIX) else PREFIX + path


PRECISION_NOTES = {
    Precision.schematic: "Schematic extent: drawn from the plan's description, not a statutory boundary",
    Precision.approximate: "Approximate location: the street or landmark the plan names",
    Precision.editorial: "Editors' estimate: the plan gives no location; marked by the editors for orientation only",
    Precision.district_only: "District only: the plan gives no location, only the district",
}
"""The English of `Precision.explanation`: what a place's drawn shape is worth."""


def english_map_list(atlas: Atlas, english: EnglishText, places: list, root: str) -> str:
    """The map as text, in English (see `maps.map_text_alternative`); `root` leads to the English pages."""
    shown = [p for p in places if atlas.shape_of(p)]  # what the map draws (maps.drawn_places)
    if not shown:
        return '<p class="atlas-map-list">The map shows district boundaries only: the plans give no location for the places of this page.</p>\n'

    def about(place) -> Markup:
        district = atlas.districts[place.district]
        return Markup(" ({}, {})").format(english.label(place.kind), english.name(district))

    def clusters(place) -> Markup:
        names = [english.name(atlas.clusters[c]) for c in place.clusters if c in atlas.clusters]
        return Markup(": ") + Markup(", ").join(names) if names else Markup("")

    if len(shown) == 1:
        place = shown[0]
        return str(Markup('<p class="atlas-map-list">The map shows {}{} and about 3 km around it.</p>\n').format(english.name(place), about(place)))
    items = Markup("").join(
        Markup('<li><a href="{}{}">{}</a>{}{}</li>').format(root, url_for(p), english.name(p), about(p), clusters(p)) for p in shown
    )
    return str(
        Markup('<details class="atlas-map-list"><summary>The {} places on the map (as a list)</summary><ul>{}</ul></details>\n').format(len(shown), items)
    )
