"""Stages 5–7 — build the MkDocs site in a staging directory, then publish it atomically.

Nothing touches the published `site/` until the whole build has succeeded (`publish.py`). A
failure at any stage leaves the old site exactly as it was. `SOURCE_DATE_EPOCH` is fixed from the content (the newest plan date) so the same input
always gives byte-identical output, as MkDocs' reproducible-build support intends.
"""

from __future__ import annotations

import calendar
import logging
import os
import re
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
from .errors import AtlasError, Location
from .markdown_safety import SanitiseExtension
from .publish import publish, staging_for
from .generate import index_into, maps_into, merge_tree, render_pages, write_files
from .parallel import background
from .render.csp import content_security_policy
from .render.output import SiteFiles
from .render.template_errors import template_error
from .render.tiles import Tiles, parse_tiles
from .settings import load_settings
from .stages import Stages


@dataclass(frozen=True)
class BuildResult:
    out: Path
    pages: int
    atlas: Atlas


def build_site(root: Path, out: Path, tiles: Tiles | str | None = None, stages: Stages | None = None) -> BuildResult:
    """Build the project at `root` into `out`; raise AtlasError (old `out` untouched) on bad input.

    `tiles` overrides `extra.atlas.tiles` of mkdocs.yml for this build. The search index and the
    map scripts are built on the other core while pages render and MkDocs runs (`generate.py`).
    """
    stages = stages or Stages()
    settings = load_settings(root)
    try:
        tiles = parse_tiles(tiles) if tiles is not None else settings.tiles
    except ValueError as exc:
        raise AtlasError(str(exc), Location("--tiles")) from None
    atlas = build_atlas(root, stages)
    out = out.resolve()
    with staging_for(out) as staging:
        docs, built, side = staging / "docs", staging / "site", staging / "side"
        with background(index_into, atlas, side / "index") as index_done:
            renderer = render_pages(root, atlas, tiles, settings.site_url, build_date(atlas), stages)
            files = renderer.files
            with background(maps_into, renderer, side / "maps") as maps_done:
                pages, assets = _split(files)
                with stages.run("write") as stage:
                    shutil.copytree(root / "site_src", docs)
                    write_files(docs, pages)
                    stage.counts = {"pages": len(pages)}
                with stages.run("mkdocs"):
                    _run_mkdocs(root, docs, built, files.nav, _source_date_epoch(atlas), content_security_policy(tiles))
                with stages.run("maps") as stage:  # the time spent waiting for them, if any
                    scripts = maps_done()
                    stage.counts = {"scripts": len(scripts)}
            with stages.run("index") as stage:
                index_paths, documents = index_done()
                stage.counts = {"documents": documents, "files": len(index_paths)}
        with stages.run("assets") as stage:
            for path in index_paths:
                files.claim(path, "the search index")
            write_files(built, assets)  # downloads and geometry: no need to pass through MkDocs
            for job in ("maps", "index"):
                merge_tree(side / job, built)
            stage.counts = {"files": len(assets) + len(scripts) + len(index_paths)}
        with stages.run("publish"):
            count = sum(1 for _ in built.rglob("index.html"))
            publish(built, out)
    return BuildResult(out=out, pages=count, atlas=atlas)


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
    except MkDocsException as exc:  # strict mode aborts on warnings: say which ones
        reasons = "; ".join(sorted(set(warnings.messages))) or str(exc)
        raise AtlasError(f"MkDocs build failed: {reasons}", _mkdocs_location(reasons, root)) from None
    except TemplateError as exc:  # a theme override that parses but fails while MkDocs renders it
        error = template_error(exc, root)
        if error is None:
            raise
        raise error from None
    finally:
        logger.removeHandler(warnings)
    if warnings.messages:
        problems = "; ".join(sorted(set(warnings.messages)))
        raise AtlasError(f"MkDocs reported problems: {problems}", _mkdocs_location(problems, root))


def _mkdocs_location(message: str, root: Path) -> Location:
    """A hand-written page MkDocs names ("Doc file 'about/x.md' …") is shown as its site_src/ file."""
    match = re.search(r"Doc file '([^']+)'", message)
    if match and (root / "site_src" / match.group(1)).is_file():
        return Location(f"site_src/{match.group(1)}")
    return Location("mkdocs.yml")
