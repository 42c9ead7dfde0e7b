"""Page renders reused from the cache (`builder/render/page_cache.py`): after every kind of edit staff
make, the pages are exactly those a build without the cache renders, and only the pages the edit
touches are rendered again (issue 13)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markupsafe import Markup

from builder.atlas import build_atlas
from builder.cache import BuildCache
from builder.generate import render_pages
from builder.render.output import unpacked
from builder.render.page_cache import UNNAMEABLE, AtlasReads, Fingerprints, ReadLog, Uncacheable
from builder.render.tiles import Tiles
from builder.settings import load_settings
from builder.site import build_date
from builder.stages import Stages
from conftest import ROOT, copy_project


def _pages(project: Path, use_cache: bool) -> tuple[dict[str, str], dict[str, int]]:
    atlas = build_atlas(project)
    site_url = load_settings(project).site_url
    if not use_cache:
        renderer = render_pages(project, atlas, Tiles.none, site_url, build_date(atlas), Stages())
        return _unpacked(renderer.files.generated), {}
    with BuildCache.open(project) as cache:
        assert cache is not None
        renderer = render_pages(project, atlas, Tiles.none, site_url, build_date(atlas), Stages(), cache)
        return _unpacked(renderer.files.generated), renderer.counts


def _unpacked(files: dict) -> dict[str, bytes]:
    """The files' bytes as written (a reused page is packed in two parts: `PackedPage.joined`)."""
    return {path: unpacked(content) for path, content in files.items()}


def _replace(project: Path, relative: str, pattern: str, new: str) -> None:
    path = project / relative
    text = path.read_text(encoding="utf-8")
    edited, count = re.subn(pattern, new, text, count=1, flags=re.M)
    assert count == 1, f"{pattern!r} not in {relative}"
    path.write_text(edited, encoding="utf-8")


def _append_to_text(project: Path, plan: str, sentence: str) -> None:
    path = project / "content" / "plans" / plan / "text.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    last = max(i for i, line in enumerate(lines) if line.strip() and not line.startswith("{:"))
    lines[last] += sentence
    path.write_text("\n".join(lines), encoding="utf-8")


# Each edit reaches the pages by another road: a record's field, an index of references, a plan's
# text (mentions and citations), the English names and labels, a finding's note, the menu, a template.
EDITS = {
    "a place's status": lambda p: _replace(p, "content/places/longgang.yaml", r"规划未给出其范围。", "规划未给出其范围（修订）。"),
    "a plan's short title": lambda p: _replace(p, "content/plans/longgang-14th/plan.yaml", r"^short_title: .*$", "short_title: 龙岗区工业规划（修订）"),
    "a district's name": lambda p: _replace(p, "content/districts.yaml", r"^  name: 罗湖区$", "  name: 罗湖区（修订）"),
    "a cluster's districts": lambda p: _replace(p, "content/clusters/city.yaml", r"districts: \[nanshan, baoan, longgang, longhua\]", "districts: [nanshan, baoan, longgang]"),
    "a department's name": lambda p: _replace(p, "content/departments/city-a.yaml", r"name: 深圳边检总站", "name: 深圳边检总站（修订）"),
    "a finding's note": lambda p: _replace(p, "content/finding_notes/longgang-midterm.yaml", r"status: 已解释", "status: 确认"),
    "a place named in a plan's text": lambda p: _append_to_text(p, "longhua-sci-14th", "龙岗西先进制造业园区。"),
    "an English name": lambda p: _replace(p, "content/english/places.yaml", r"name: Shenzhen Beauty Valley$", "name: Shenzhen Beauty Valley (revised)"),
    "an English label": lambda p: _replace(p, "content/english/labels.yaml", r"征求意见稿: Draft for comment", "征求意见稿: Consultation draft"),
    "a place's geometry note": lambda p: _replace(p, "geo/places/longgang.geojson", r'"basis":"示意范围：', '"basis":"示意范围（修订）：'),
    "a macro": lambda p: _replace(p, "templates/pages/_macros.j2", r'class="atlas-cite-mini"', 'class="atlas-cite-mini atlas-edited"'),
}


@pytest.fixture(scope="module")
def warm(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("page-cache") / "project")
    pages, counts = _pages(project, use_cache=True)
    assert counts["rendered"] == len([p for p in pages if p.endswith(".md")]) - counts["uncached"]
    return project, pages


def test_an_unchanged_project_reuses_every_page(warm):
    project, before = warm
    pages, counts = _pages(project, use_cache=True)
    assert pages == before
    assert counts["rendered"] == 0 and counts["uncached"] == 0 and counts["reused"] > 1000, counts


@pytest.mark.parametrize("edit", EDITS)
def test_after_an_edit_the_pages_are_those_of_a_build_without_the_cache(warm, edit):
    project, _ = warm
    before, _ = _pages(project, use_cache=True)
    EDITS[edit](project)
    cached, counts = _pages(project, use_cache=True)
    clean, _ = _pages(project, use_cache=False)
    changed = sorted(path for path in clean if clean[path] != before.get(path))
    assert changed, f"the edit ({edit}) changed no page: the test would prove nothing"
    assert sorted(p for p in clean if cached.get(p) != clean[p]) == []
    assert cached.keys() == clean.keys()
    changed_pages = [p for p in changed if p.endswith(".md")]
    assert counts["rendered"] >= len(changed_pages), counts
    english_pages = [p for p in clean if p.endswith(".md") and p.startswith("en/")]
    if edit == "a macro":  # every Chinese page again; the English templates are others
        assert counts["rendered"] == len([p for p in clean if p.endswith(".md")]) - len(english_pages), counts
    elif edit == "an English label":  # every English page may print a label: they all read them
        assert counts["rendered"] <= len(english_pages), counts
    else:  # the pages the edit changed, and few more that read what it changed
        assert counts["rendered"] <= max(3 * len(changed_pages), 60), counts


def test_fingerprints_tell_apart_what_a_template_prints_differently():
    prints = Fingerprints()
    assert prints.of("<b>") != prints.of(Markup("<b>"))  # one is escaped when printed, one is not
    assert prints.of([1, 2]) != prints.of((1, 2)) != prints.of([2, 1])
    assert prints.of({"a": 1}) != prints.of({"a": 2})
    assert prints.of({"b", "a"}) == prints.of({"a", "b"})
    atlas = build_atlas(ROOT)
    place = next(iter(atlas.places.values()))
    assert prints.of(place) == Fingerprints().of(place.model_copy())
    assert prints.of(place) != prints.of(place.model_copy(update={"name": place.name + "x"}))
    with pytest.raises(Uncacheable):
        prints.of(lambda: None)  # noqa: no stable digest: such a page is rendered every build
    with pytest.raises(Uncacheable):
        prints.of(object())


def test_every_way_a_template_reads_the_atlas_is_logged():
    atlas = build_atlas(ROOT)
    log = ReadLog()
    reads = AtlasReads(atlas, log)
    place = next(iter(atlas.places.values()))
    assert reads.plans["longgang-14th"] is atlas.plans["longgang-14th"]
    assert reads.plans.get("no-such-plan") is None
    assert "longhua" in reads.districts
    assert len(reads.clusters) == len(atlas.clusters)
    assert list(reads.records["tasks"].values()) == list(atlas.tasks.values())
    assert reads.naming("tasks", place) == atlas.naming("tasks", place)
    assert reads.shown_findings() == atlas.shown_findings()
    reads.findings  # noqa: B018 - an attribute read
    assert log.reads >= {
        ("key", ("plans",), "longgang-14th"), ("key", ("plans",), "no-such-plan"), ("key", ("districts",), "longhua"),
        ("whole", ("clusters",)), ("has", ("records",), "tasks"), ("whole", ("records", "tasks")),
        ("call", "naming", f'[["v", "tasks"], ["r", "places", "{place.id}"]]'), ("call", "shown_findings", "[]"),
        ("attr", "findings"),
    }  # fmt: skip
    assert UNNAMEABLE not in log.reads
    reads.naming("tasks", place=place)  # an argument by keyword: the read cannot be named again
    assert UNNAMEABLE in log.reads
