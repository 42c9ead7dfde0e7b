"""Stages 5–7 — build the MkDocs site in a staging directory, then publish it atomically.

Nothing touches the published `site/` until the whole build has succeeded (`publish.py`). A
failure at any stage leaves the old site exactly as it was. `SOURCE_DATE_EPOCH` is fixed from the content (the newest plan date) so the same input
always gives byte-identical output, as MkDocs' reproducible-build support intends.
"""

from __future__ import annotations

import calendar
import time
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .atlas import Atlas, join_atlas, review_atlas
from .cache import BuildCache
from .errors import AtlasError, Location
from .generate import index_into, index_kept, merge_tree, render_pages, side_work_into, write_files
from .mkdocs_run import MkDocsJob, docs_tree, prelink, prepare_mkdocs, run_mkdocs
from .parallel import background, like_a_worker, standby
from .publish import publish, staging_for
from .render.csp import content_security_policy
from .render.output import SiteFiles
from .render.tiles import Tiles, parse_tiles
from .settings import load_settings
from .stages import Stage, Stages


INDEX_NICENESS = 10  # an early index's, against the rendering (measured: 0.1 s of a 1.9 s rebuild)


@dataclass(frozen=True)
class BuildResult:
    out: Path
    pages: int
    warnings: list  # Problem: what the build fixed or ignored, to tell staff


def build_site(root: Path, out: Path, tiles: Tiles | str | None = None, stages: Stages | None = None,
               use_cache: bool = True) -> BuildResult:  # fmt: skip
    """Build the project at `root` into `out`; raise AtlasError (old `out` untouched) on bad input.

    `tiles` overrides `extra.atlas.tiles` of mkdocs.yml for this build. The English pages render
    on the other core while the Chinese ones do, and the map scripts and the search index are built
    here while MkDocs runs in a process of its own (`parallel.standby`, `generate.py`).
    With `use_cache`, work whose inputs did not change since the last build is reused from
    `.atlas-cache/` (`cache.py`); the output is the same.
    """
    if not use_cache:
        return _build(root, out, tiles, stages or Stages(), None)
    with BuildCache.open(root) as cache:
        return _build(root, out, tiles, stages or Stages(), cache)


def _build(root: Path, out: Path, tiles, stages: Stages, cache: BuildCache | None) -> BuildResult:
    settings = load_settings(root)
    try:
        tiles = parse_tiles(tiles) if tiles is not None else settings.tiles
    except ValueError as exc:
        raise AtlasError(str(exc), Location("--tiles")) from None
    # MkDocs' process is forked now, before the records are loaded: it runs in a clean heap.
    with standby(_timed_mkdocs, collect=True) as mkdocs:
        atlas, problems = join_atlas(root, stages, cache)
        out = out.resolve()
        with staging_for(out) as staging:
            built, side = staging / "site", staging / "side"
            # Linking the kept MkDocs output into the new site needs only the cache: it starts before
            # the consistency review (`mkdocs_run.prelink`). So does the index when the last build's
            # postings are kept: then it is light, and would otherwise outlast a rebuild's MkDocs. It
            # is wanted last, so it yields the cores to the rendering (a third process on two cores)
            # and runs where they idle: while the pages are written, and beside MkDocs.
            index_early = index_kept(cache)
            with background(prelink, cache, built) if cache else nullcontext(lambda: False) as prelinked, \
                    background(index_into, atlas, side / "index", cache, nice=INDEX_NICENESS) if index_early else nullcontext() as early_index:  # fmt: skip
                review_atlas(atlas, problems, stages)
                renderer = render_pages(root, atlas, tiles, settings.site_url, build_date(atlas), stages, cache)
                files = renderer.files
                pages, assets = _split(files)
                with stages.run("write") as stage:
                    docs = docs_tree(root / "site_src", pages)
                    stage.counts = {"pages": len(pages)}
                    for path in pages:  # from here on only `docs` holds them, until they are on disk
                        del files.generated[path]
                    del pages
                    job = prepare_mkdocs(root, docs, built, files.nav, _source_date_epoch(atlas), content_security_policy(tiles), cache, prelinked)
                mkdocs.start(job, cache)
                warnings = atlas.warnings
                with stages.run("maps") as stage, like_a_worker():  # and the index, unless started early
                    scripts, index = side_work_into(renderer, side, cache, not index_early)
                    stage.counts = {"scripts": len(scripts)}
                del atlas, renderer
                stages.ended(mkdocs.result())
                with stages.run("index") as stage:  # the time spent waiting for an index started early, if any
                    index_paths, documents = index if index is not None else early_index()
                    stage.counts = {"documents": documents, "files": len(index_paths)}
            with stages.run("assets") as stage:
                for path in index_paths:
                    files.claim(path, "the search index")
                write_files(built, assets)  # downloads and geometry: no need to pass through MkDocs
                for folder in ("maps", "index"):
                    merge_tree(side / folder, built)
                stage.counts = {"files": len(assets) + len(scripts) + len(index_paths)}
            with stages.run("publish"):
                count = sum(1 for _ in built.rglob("index.html"))
                publish(built, out)
    return BuildResult(out=out, pages=count, warnings=warnings)


def _timed_mkdocs(job: MkDocsJob, cache: BuildCache | None) -> Stage:
    """MkDocs' process: the `mkdocs` stage, timed there (the build does the maps meanwhile)."""
    stage = Stage("mkdocs")
    started = time.perf_counter()
    stage.counts = run_mkdocs(job, cache)
    stage.seconds = time.perf_counter() - started
    return stage


def _split(files: SiteFiles) -> tuple[dict, dict]:
    """Markdown pages go through MkDocs; every other generated file is written straight into the site."""
    pages = {path: content for path, content in files.generated.items() if path.endswith(".md")}
    return pages, {path: content for path, content in files.generated.items() if not path.endswith(".md")}


def build_date(atlas: Atlas) -> date:
    """The date a build states (and stamps files with): the newest plan's, so builds are reproducible."""
    newest = max((p.date for p in atlas.plans.values() if p.date), default="2020")
    year, month, day = ([int(part) for part in newest.split("-")] + [1, 1])[:3]
    return date(year, month, day)


def _source_date_epoch(atlas: Atlas) -> int:
    when = build_date(atlas)
    return calendar.timegm((when.year, when.month, when.day, 0, 0, 0))
