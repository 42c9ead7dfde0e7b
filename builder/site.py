"""Stages 5–7 — build the MkDocs site in a temporary directory, then publish it atomically.

Nothing touches the published `site/` until the whole build has succeeded; then the new tree is
renamed into place and the old one removed. A failure at any stage leaves the old site exactly as
it was. `SOURCE_DATE_EPOCH` is fixed from the content (the newest plan date) so the same input
always gives byte-identical output, as MkDocs' reproducible-build support intends.
"""

from __future__ import annotations

import calendar
import logging
import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from .atlas import Atlas, build_atlas
from .errors import AtlasError, Location
from .render.geodata import GEO_URL, shared_geojson
from .render.maps import TILES
from .render.pages import PageRenderer
from .search.index import build_index


@dataclass(frozen=True)
class BuildResult:
    out: Path
    pages: int
    atlas: Atlas


def build_site(root: Path, out: Path, tiles: str = "none") -> BuildResult:
    """Build the project at `root` into `out`; raise AtlasError (old `out` untouched) on bad input."""
    if tiles not in TILES:
        raise AtlasError(f"unknown tiles '{tiles}'; expected one of: {', '.join(TILES)}", Location("--tiles"))
    atlas = build_atlas(root)
    generated = PageRenderer(atlas, root / "templates", tiles).render_all()
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".atlas-build-", dir=out.parent))
    try:
        docs = staging / "docs"
        shutil.copytree(root / "site_src", docs)
        index = build_index(atlas)
        for relative, text in {**generated.files, GEO_URL: shared_geojson(atlas, gcj=bool(TILES[tiles] and TILES[tiles][3])), **index.files}.items():
            target = docs / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        built = staging / "site"
        _run_mkdocs(root, docs, built, generated.nav, _source_date_epoch(atlas))
        pages = sum(1 for _ in built.rglob("index.html"))
        _publish(built, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return BuildResult(out=out, pages=pages, atlas=atlas)


def _source_date_epoch(atlas: Atlas) -> int:
    newest = max((p.date for p in atlas.plans.values() if p.date), default="2020")
    year, month, day = ([int(part) for part in newest.split("-")] + [1, 1])[:3]
    return calendar.timegm((year, month, day, 0, 0, 0))


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


def _run_mkdocs(root: Path, docs: Path, site: Path, nav: list, epoch: int) -> None:
    warnings = _CollectWarnings()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(warnings)
    try:
        with _env("SOURCE_DATE_EPOCH", str(epoch)):
            config = load_config(str(root / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(site), nav=nav)
            mkdocs_build(config)
    except MkDocsException as exc:
        raise AtlasError(f"MkDocs build failed: {exc}", Location("mkdocs.yml")) from None
    finally:
        logger.removeHandler(warnings)
    if warnings.messages:
        problems = "; ".join(sorted(set(warnings.messages)))
        raise AtlasError(f"MkDocs reported problems: {problems}", Location("mkdocs.yml"))


def _publish(built: Path, out: Path) -> None:
    """Swap the new tree in with renames on the same filesystem."""
    retired = out.with_name(f".{out.name}.old")
    if retired.exists():
        shutil.rmtree(retired)
    if out.exists():
        os.rename(out, retired)
    os.rename(built, out)
    shutil.rmtree(retired, ignore_errors=True)
