"""Stages 5–7 — build the MkDocs site in a staging directory, then publish it atomically.

Nothing touches the published `site/` until the whole build has succeeded (`publish.py`). A
failure at any stage leaves the old site exactly as it was. `SOURCE_DATE_EPOCH` is fixed from the content (the newest plan date) so the same input
always gives byte-identical output, as MkDocs' reproducible-build support intends.
"""

from __future__ import annotations

import calendar
import logging
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jinja2 import TemplateError
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from .atlas import Atlas, build_atlas
from .errors import AtlasError, Location, Problems
from .markdown_safety import SanitiseExtension
from .publish import publish, staging_for
from .render.csp import content_security_policy
from .render.geodata import GEO_GCJ_URL, GEO_URL, shared_geojson
from .render.tiles import Tiles, parse_tiles
from .render.output import SiteFiles
from .render.pages import PageRenderer
from .render.template_errors import check_theme_templates, template_error
from .search.index import build_index
from .settings import load_settings
from .parallel import background
from .stages import Stages


@dataclass(frozen=True)
class BuildResult:
    out: Path
    pages: int
    atlas: Atlas


def build_site(root: Path, out: Path, tiles: Tiles | str | None = None, stages: Stages | None = None) -> BuildResult:
    """Build the project at `root` into `out`; raise AtlasError (old `out` untouched) on bad input.

    `tiles` overrides `extra.atlas.tiles` of mkdocs.yml for this build.
    """
    stages = stages or Stages()
    settings = load_settings(root)
    try:
        tiles = parse_tiles(tiles) if tiles is not None else settings.tiles
    except ValueError as exc:
        raise AtlasError(str(exc), Location("--tiles")) from None
    atlas = build_atlas(root, stages)
    files = generate(root, atlas, tiles, settings.site_url, stages)
    out = out.resolve()
    with staging_for(out) as staging:
        docs, built = staging / "docs", staging / "site"
        pages, assets = _split(files)
        with stages.run("write") as stage:
            shutil.copytree(root / "site_src", docs)
            _write(docs, pages)
            stage.counts = {"pages": len(pages)}
        with stages.run("mkdocs"):
            _run_mkdocs(root, docs, built, files.nav, _source_date_epoch(atlas), content_security_policy(tiles))
        with stages.run("assets") as stage:
            _write(built, assets)  # maps, geometry, search index, downloads: no need to pass through MkDocs
            stage.counts = {"files": len(assets)}
        with stages.run("publish"):
            count = sum(1 for _ in built.rglob("index.html"))
            publish(built, out)
    return BuildResult(out=out, pages=count, atlas=atlas)


def _split(files: SiteFiles) -> tuple[dict, dict]:
    """Markdown pages go through MkDocs; every other generated file is written straight into the site."""
    pages = {path: content for path, content in files.generated.items() if path.endswith(".md")}
    return pages, {path: content for path, content in files.generated.items() if not path.endswith(".md")}


def _write(folder: Path, files: dict) -> None:
    for relative, content in files.items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")


def generate(root: Path, atlas: Atlas, tiles: Tiles, site_url: str = "", stages: Stages | None = None) -> SiteFiles:
    """Every generated file (pages, map scripts, shared geometry, search index), none colliding."""
    stages = stages or Stages()
    theme = Problems()
    check_theme_templates(root, theme)
    theme.raise_if_any()
    files = SiteFiles.beside(root / "site_src")
    renderer = PageRenderer(atlas, root / "templates", tiles, files, site_url, build_date(atlas))
    with background(build_index, atlas) as index_result:  # the index builds on the other core meanwhile
        with stages.run("render") as stage:
            renderer.render_all()
            stage.counts = {"files": len(files.generated)}
        stages.add("  maps", renderer.map_seconds)
        with stages.run("geometry"):
            files.add(GEO_URL, shared_geojson(atlas), "the shared geometry")
            files.add(GEO_GCJ_URL, shared_geojson(atlas, gcj=True), "the shared geometry in GCJ-02")
        with stages.run("index") as stage:  # only the time spent waiting for it
            index = index_result()
            for path, text in index.files.items():
                files.add(path, text, "the search index")
            stage.counts = {"documents": index.documents, "files": len(index.files)}
    return files


def build_date(atlas: Atlas) -> date:
    """The date a build states (and stamps files with): the newest plan's, so builds are reproducible."""
    newest = max((p.date for p in atlas.plans.values() if p.date), default="2020")
    year, month, day = ([int(part) for part in newest.split("-")] + [1, 1])[:3]
    return date(year, month, day)


def _source_date_epoch(atlas: Atlas) -> int:
    when = build_date(atlas)
    return calendar.timegm((when.year, when.month, when.day, 0, 0, 0))


@contextmanager
def _env(name: str, value: str):
    previous = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = previous


class _CollectWarnings(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def _run_mkdocs(root: Path, docs: Path, site: Path, nav: list, epoch: int, csp: str) -> None:
    warnings = _CollectWarnings()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(warnings)
    try:
        with _env("SOURCE_DATE_EPOCH", str(epoch)):
            config = load_config(str(root / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(site), nav=nav)
            # Added here, not in mkdocs.yml, so no edit of the config can turn the defences off.
            config.markdown_extensions.append(SanitiseExtension())
            config.extra["atlas_csp"] = csp
            mkdocs_build(config)
    except MkDocsException as exc:
        raise AtlasError(f"MkDocs build failed: {exc}", Location("mkdocs.yml")) from None
    except TemplateError as exc:  # a theme override that parses but fails while MkDocs renders it
        error = template_error(exc, root)
        if error is None:
            raise
        raise error from None
    finally:
        logger.removeHandler(warnings)
    if warnings.messages:
        problems = "; ".join(sorted(set(warnings.messages)))
        raise AtlasError(f"MkDocs reported problems: {problems}", Location("mkdocs.yml"))
