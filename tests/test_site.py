"""builder.site on its own, in-process: the build of the small every-field project, the stages it
reports, the date it stamps, and what a failure at each step leaves behind.

(The full-size builds, the CLI and publishing under a real failure are in test_build.py,
test_cli.py and test_publish.py; these are the fast cases the mutation run uses.)
"""

from __future__ import annotations

import calendar
import zipfile
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

import builder.site
from builder.errors import AtlasError
from builder.render.output import PackedPage, SiteFiles, unpacked
from builder.site import _source_date_epoch, _split, build_date, build_site
from builder.stages import Stages
from hostile import make_project
from test_bad_input import tree_digest


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """The small project, built once (only for tests that need a built site, not those that check
    the build itself: a mutation run ties a module fixture's work to the first test only)."""
    project = make_project(tmp_path_factory.mktemp("site") / "project", "x")
    result = build_site(project, project / "site")
    return project, result


def test_a_build_publishes_every_page_reports_its_stages_and_fills_the_cache(tmp_path):
    project = make_project(tmp_path / "project", "x")
    stages = Stages()
    result = build_site(project, project / "site", stages=stages)
    out = project / "site"
    assert result.out == out.resolve() and result.out.is_absolute()
    pages = sorted(out.rglob("index.html"))
    assert result.pages == len(pages) > 10
    for page in ("places/park-x", "projects/project-x", "clusters/city-x", "plans/hostile-plan", "search", "downloads"):
        assert (out / page / "index.html").is_file(), page
    assert "园区x" in (out / "places/park-x/index.html").read_text(encoding="utf-8")
    assert result.warnings == [], result.warnings  # the small project is clean: nothing fixed or ignored
    assert not [p for p in project.iterdir() if p.name.startswith(".atlas-build-")], "the staging directory was left behind"
    # files written beside MkDocs' output: downloads, map scripts, the search index, geometry
    assert (out / "downloads/atlas.json").is_file() and (out / "downloads/places.csv").is_file()
    scripts = sorted((out / "assets/atlas/maps").glob("*.js"))
    index_files = [p for folder in ("search", "en/search") for p in (out / folder).rglob("*") if p.is_file() and p.suffix != ".html"]  # not the pages
    assert scripts and index_files and (out / "assets/atlas/geo/atlas.geojson").is_file()
    # every stage, in order, with its counts
    names = [s.name for s in stages.stages]
    assert names == ["load", "validate", "join", "consistency", "render", "geometry", "write", "maps", "mkdocs", "index", "assets", "publish"]
    counts = {s.name: s.counts for s in stages.stages}
    assert counts["write"] == {"pages": result.pages - len(list((project / "site_src").rglob("*.md")))}
    assert counts["maps"] == {"scripts": len(scripts)}
    assert counts["index"] == {"documents": counts["index"]["documents"], "files": len(index_files)}
    assert counts["index"]["documents"] > 10
    written_directly = [p for folder in ("downloads", "en/downloads", "assets/atlas/geo") for p in (out / folder).rglob("*") if p.suffix != ".html"]
    generated = ("clusters.css", "compare.json", "compare.en.json")  # generated, not in site_src
    written_directly += [out / "assets/atlas" / name for name in generated]
    assert counts["assets"]["files"] == len(scripts) + len(index_files) + len(written_directly)
    # the build's date is the newest plan's (2024-01 in this project), also inside the workbook
    with zipfile.ZipFile(out / "downloads/atlas.xlsx") as workbook:
        assert "2024-01-01T00:00:00Z" in workbook.read("docProps/core.xml").decode()
    # every job kept its work for the next build
    kinds = {p.name for p in (project / ".atlas-cache").iterdir() if p.is_dir() and any(p.rglob("*"))}
    assert {"records", "index", "postings", "maps", "jinja", "mkdocs", "workbook", "workbook-en"} <= kinds, kinds


def test_the_same_input_gives_the_same_bytes_with_or_without_the_cache(small, tmp_path):
    project, _ = small
    again = tmp_path / "again"
    build_site(project, again, use_cache=False)
    assert tree_digest(again) == tree_digest(project / "site")


def test_without_the_cache_nothing_is_kept(tmp_path):
    project = make_project(tmp_path / "project", "x")
    build_site(project, tmp_path / "out", use_cache=False)
    assert not (project / ".atlas-cache").exists()
    build_site(project, tmp_path / "out")
    assert (project / ".atlas-cache").is_dir()


def test_a_bad_tiles_option_is_an_error_at_the_option(tmp_path):
    project = make_project(tmp_path / "project", "x")
    for use_cache in (True, False):
        with pytest.raises(AtlasError) as caught:
            build_site(project, tmp_path / "out", tiles="no-such-tiles", use_cache=use_cache)
        [problem] = list(caught.value.problems)
        assert problem.location.file == "--tiles" and "no-such-tiles" in problem.message
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("step", ["run_mkdocs", "publish", "render_pages", "review_atlas"])
def test_a_failure_at_any_step_leaves_the_published_site_as_it_was(small, tmp_path, monkeypatch, step):
    project, _ = small
    out = tmp_path / "site"
    build_site(project, out)
    before = tree_digest(out)

    def broken(*args, **kwargs):
        raise AtlasError(f"{step} failed")

    monkeypatch.setattr(builder.site, step, broken)
    with pytest.raises(AtlasError, match=f"{step} failed"):
        build_site(project, out)
    assert tree_digest(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".atlas-build-")]


def test_split_sends_only_markdown_through_mkdocs():
    files = SiteFiles()
    files.add("a/index.md", "# a", "test")
    files.add("b.md", "# b", "test")
    files.add("downloads/x.csv", "x", "test")
    files.add("assets/atlas/y.js", "y", "test")
    pages, assets = _split(files)
    assert {path: unpacked(page).decode() for path, page in pages.items()} == {"a/index.md": "# a", "b.md": "# b"}
    assert all(isinstance(page, PackedPage) for page in pages.values())  # compressed while they wait for MkDocs
    assert {path: unpacked(asset).decode() for path, asset in assets.items()} == {"downloads/x.csv": "x", "assets/atlas/y.js": "y"}
    assert all(isinstance(asset, PackedPage) for asset in assets.values())  # other text files too
    assert files.text("a/index.md") == "# a" and files.text("downloads/x.csv") == "x"


def test_packed_pages_survive_the_pipe_from_a_worker():
    import pickle

    page = PackedPage.of("# 页面\n" * 1000)
    again = pickle.loads(pickle.dumps(page, protocol=pickle.HIGHEST_PROTOCOL))
    assert type(again) is PackedPage and again.text() == "# 页面\n" * 1000 and len(page) < 200


def test_a_page_packed_in_parts_is_its_parts_one_after_the_other():
    """A reused page is its front matter, packed, before the body the cache kept packed."""
    front, body = PackedPage.of("---\ntitle: 页面\n---\n\n"), PackedPage.of("<p>正文</p>\n" * 100)
    page = PackedPage.joined(front, body, PackedPage.of(""))
    assert page.text() == "---\ntitle: 页面\n---\n\n" + "<p>正文</p>\n" * 100 and unpacked(page) == page.text().encode()
    with pytest.raises(ValueError, match="cut short"):
        PackedPage(page[:-3]).unpacked()


def plans(*dates):
    return SimpleNamespace(plans={str(n): SimpleNamespace(date=d) for n, d in enumerate(dates)})


@pytest.mark.parametrize(
    "dates, expected",
    [
        (("2022-06", "2024-01", None), date(2024, 1, 1)),
        (("2023-05-17", "2023-05"), date(2023, 5, 17)),
        (("2021",), date(2021, 1, 1)),
        ((None,), date(2020, 1, 1)),
        ((), date(2020, 1, 1)),
    ],
)
def test_the_build_date_is_the_newest_plans(dates, expected):
    assert build_date(plans(*dates)) == expected


def test_the_source_date_epoch_is_midnight_utc_of_the_build_date():
    assert _source_date_epoch(plans("2024-01")) == 1704067200  # 2024-01-01T00:00:00Z
    assert _source_date_epoch(plans("2023-05-17")) == calendar.timegm((2023, 5, 17, 0, 0, 0))
