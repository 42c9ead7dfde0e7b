"""Incremental rebuilds from `.atlas-cache/`: the same bytes as a clean build, and never a stale or
damaged entry trusted (issue 13)."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.incremental_bench import edit_indicator, edit_place, edit_plan_text
from builder.cache import CACHE_DIR, BuildCache, machine_secret
from builder.site import build_site
from builder.stages import Stages
from conftest import copy_project


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _same(left: Path, right: Path) -> list[str]:
    """Paths that differ between two built sites (missing on one side or other bytes)."""
    a, b = _tree(left), _tree(right)
    return sorted(path for path in a.keys() | b.keys() if a.get(path) != b.get(path))


def _build(project: Path, out: Path, **options) -> Stages:
    stages = Stages()
    build_site(project, out, stages=stages, **options)
    return stages


def _counts(stages: Stages, name: str) -> dict:
    return next(stage.counts for stage in stages.stages if stage.name == name)


@pytest.fixture(scope="module")
def warm(tmp_path_factory):
    """A project copy built once with the cache, so each test starts from a warm cache."""
    root = tmp_path_factory.mktemp("incremental")
    project = copy_project(root / "project")
    _build(project, root / "site")
    return project, root


def test_rebuilds_after_editing_a_text_a_place_and_an_indicator_match_clean_builds(warm):
    project, root = warm
    site, clean = root / "site", root / "clean"
    for edit in (edit_plan_text, edit_place, edit_indicator):
        edit(project, 1)
        stages = _build(project, site)
        counts = _counts(stages, "mkdocs")
        # The edited record's pages in both languages, and the few pages that show it.
        assert 0 < counts["rendered"] <= 20 and counts["kept"] > 1000, (edit.__name__, counts)
        _build(project, clean, use_cache=False)
        assert _same(site, clean) == [], edit.__name__


def test_the_published_site_is_never_written_through_a_file_the_cache_shares(warm, tmp_path):
    """The published site and the kept MkDocs output share files (hard links). A hard-link copy of
    the published site taken before a rebuild must keep its bytes: MkDocs writes new files."""
    project, root = warm
    site = root / "site"
    snapshot = tmp_path / "snapshot"
    subprocess.run(["cp", "-al", str(site), str(snapshot)], check=True)
    before = {path: hashlib.sha256(data).hexdigest() for path, data in _tree(snapshot).items()}
    shared = sum(1 for p in snapshot.rglob("*") if p.is_file() and p.stat().st_nlink > 2)
    assert shared > 500  # the snapshot, the published site and the kept output: the sharing is real
    edit_plan_text(project, 2)
    _build(project, site)
    after = {path: hashlib.sha256(data).hexdigest() for path, data in _tree(snapshot).items()}
    assert after == before
    page = "plans/longgang-14th/index.html"
    assert (site / page).read_bytes() != (snapshot / page).read_bytes()  # and the edit did arrive


def test_a_theme_change_renders_every_page(warm):
    project, root = warm
    main = project / "templates" / "overrides" / "main.html"
    main.write_text(main.read_text(encoding="utf-8") + "\n{#- a comment: the theme changed -#}\n", encoding="utf-8")
    counts = _counts(_build(project, root / "site"), "mkdocs")
    assert counts["kept"] == 0 and counts["rendered"] > 600


def test_damaged_cache_entries_are_detected_and_rebuilt(warm):
    project, root = warm
    site, clean = root / "site", root / "clean"
    _build(project, site)
    cache = project / CACHE_DIR
    maps = sorted((cache / "maps").glob("*/*"))
    maps[0].write_bytes(maps[0].read_bytes()[: len(maps[0].read_bytes()) // 2])  # truncated
    indexes = sorted((cache / "index").glob("*/*"))  # both indexes', so both read their postings
    for index in indexes:
        index.write_bytes(re.sub(rb"^atlas-cache \d+", b"atlas-cache 999", index.read_bytes()))  # another format
    postings = sorted((cache / "postings").glob("*/*"))  # the index starts early for them (`index_kept`)
    for memo in postings:
        memo.write_bytes(memo.read_bytes()[:100])  # truncated
    forged = BuildCache(cache, b"k" * 32)  # entries signed by anyone but this machine's key
    forged.put("maps", maps[1].name, b"window.__forged = 1;\n")
    kept_page = cache / "mkdocs" / "site" / "about" / "index.html"
    kept_page.write_bytes(kept_page.read_bytes() + b"<!-- damaged -->")  # a kept page changed
    kept_docs = cache / "mkdocs" / "docs" / "plans" / "longgang-14th" / "index.md"
    kept_docs.write_bytes(kept_docs.read_bytes().replace("龙岗".encode(), "龍崗".encode(), 1))  # a kept docs file, same size
    counts = _counts(_build(project, site), "mkdocs")
    assert counts["kept"] == 0  # the kept output was not trusted
    for entry in (maps[0], maps[1], *indexes, *postings):
        assert entry.exists() and BuildCache(cache, machine_secret()).get(entry.parent.parent.name, entry.name) is not None
    assert not [p for p in site.rglob("*.js") if b"__forged" in p.read_bytes()]
    _build(project, clean, use_cache=False)
    assert _same(site, clean) == []


def test_the_index_starts_early_only_where_the_last_build_kept_its_postings(warm, tmp_path):
    from builder.generate import index_kept

    project, _ = warm
    assert index_kept(None) is False
    with BuildCache.open(copy_project(tmp_path / "fresh")) as empty:
        assert index_kept(empty) is False  # a clean build: the index waits for the pages
    with BuildCache.open(project) as built:
        assert index_kept(built) is True


def test_a_build_while_another_holds_the_cache_builds_without_it(warm, tmp_path):
    project, root = warm
    with BuildCache.open(project) as held:
        assert held is not None
        with BuildCache.open(project) as second:
            assert second is None  # a second build does not wait for the first
        counts = _counts(_build(project, tmp_path / "site"), "mkdocs")
    assert "kept" not in counts and counts["rendered"] > 600
    _build(project, root / "clean", use_cache=False)
    assert _same(tmp_path / "site", root / "clean") == []


def test_no_cache_builds_leave_no_cache_behind(tmp_path):
    project = copy_project(tmp_path / "project")
    result = subprocess.run([sys.executable, "-m", "builder.cli", "build", "--quiet", "--no-cache", "--project", str(project),
                             "--out", str(tmp_path / "site")], capture_output=True, text=True, env={**os.environ})  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert not (project / CACHE_DIR).exists()
    assert (tmp_path / "site" / "index.html").is_file()


def test_menu_pages_titled_by_their_own_text_are_always_rendered():
    """MkDocs takes such a page's menu title from its text, which a dirty build does not read; the
    theme shows it in other pages' footers (navigation.footer), so these pages are always rendered."""
    from builder.mkdocs_run import _untitled_in_menu

    nav = [{"首页": "index.md"}, {"规划文件": ["plans/index.md", {"甲": "plans/a/index.md"}]}, "about.md"]
    assert _untitled_in_menu(nav) == {"plans/index.md", "about.md"}


def test_a_kept_tree_whose_manifest_was_not_signed_here_is_not_trusted(warm):
    import json

    from builder.mkdocs_run import _signed, _Tree

    project, root = warm
    _build(project, root / "site")
    tree, cache = _Tree(project / CACHE_DIR / "mkdocs"), BuildCache(project / CACHE_DIR, machine_secret())
    manifest = json.loads(tree.manifest_path.read_text(encoding="utf-8"))
    assert tree.trusted(tree.manifest(cache), manifest["shape"]) and tree.manifest(cache)["docs"]
    manifest["mac"] = BuildCache(project / CACHE_DIR, b"k" * 32).sign(_signed(manifest))
    tree.manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    assert tree.manifest(cache) is None and not tree.trusted(tree.manifest(cache), manifest["shape"])


def test_the_docs_tree_is_synced_by_digest_and_signature(tmp_path, monkeypatch):
    """`_sync` leaves a file alone when its content has the digest the last build wrote and the
    file is still the one written then; anything else is compared, and rewritten if it differs."""
    from pathlib import Path as RealPath

    from builder.mkdocs_run import _sync
    from builder.render.output import PackedPage

    folder = tmp_path / "docs"
    docs = {"a/index.md": PackedPage.of("# 甲\n"), "b.md": b"# b\n", "c/d/index.md": PackedPage.of("# 丁\n")}
    written: dict = {}
    assert _sync(folder, docs, {}, written) == set(docs)
    (folder / "stale" / "x").mkdir(parents=True)
    (folder / "stale" / "x" / "old.md").write_text("gone", encoding="utf-8")
    reads: list[str] = []
    real = RealPath.read_bytes
    monkeypatch.setattr(RealPath, "read_bytes", lambda self: reads.append(self.name) or real(self))
    again: dict = {}
    assert _sync(folder, docs, written, again) == set() and reads == [] and again == written  # neither unpacked nor read
    assert not (folder / "stale").exists()  # files no page is, and the folders they leave empty
    (folder / "b.md").write_bytes(b"# bb\n")  # changed outside a build
    edited = {**docs, "a/index.md": PackedPage.of("# 甲乙\n")}
    assert _sync(folder, edited, again, {}) == {"a/index.md", "b.md"}
    assert (folder / "b.md").read_bytes() == b"# b\n" and (folder / "a/index.md").read_text(encoding="utf-8") == "# 甲乙\n"
