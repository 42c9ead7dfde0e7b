"""Stages 4–6 — what the site generates: pages, then map scripts and the search index beside them.

Pages (Markdown for MkDocs, plus downloads and geometry) are rendered first. The map scripts and
the search index are not needed by MkDocs, so `atlas build` draws and writes them while MkDocs
runs in a process of its own (`site.py`): each job writes its files into a folder of its own
(MkDocs' process may replace the built site's tree meanwhile), which is moved into the built site
afterwards, and reports the paths so that `SiteFiles` can still refuse a path written twice.
`generate()` does the same work serially, in memory.
"""

from __future__ import annotations

import gc
import pickle
from pathlib import Path

from .atlas import Atlas
from .cache import BuildCache
from .errors import Problems
from .parallel import release_free_memory
from .render.geodata import GEO_GCJ_URL, GEO_URL, shared_geojson
from .render.output import SiteFiles, unpacked
from .render.maps import MapFrames
from .render.pages import PageRenderer
from .render.template_errors import check_theme_templates
from .render.tiles import Tiles
from .search.english import PinyinMemo
from .search.index import INDEX_DIR, IndexFiles, IndexSource, build_english_index, build_index, index_sources, packed_index
from .stages import Stages


def render_pages(root: Path, atlas: Atlas, tiles: Tiles, site_url: str, build_date, stages: Stages,
                 cache: BuildCache | None = None) -> PageRenderer:  # fmt: skip
    """Every page, download and geometry file; the maps' places on their pages are reserved."""
    theme = Problems()
    check_theme_templates(root, theme)
    theme.raise_if_any()
    files = SiteFiles.beside(root / "site_src")
    renderer = PageRenderer(atlas, root / "templates", tiles, files, site_url, build_date, cache)
    with stages.run("render") as stage:
        renderer.render_all()
        stage.counts = {"files": len(files.generated), "maps": len(renderer.map_jobs), **renderer.counts}
    with stages.run("geometry"):
        files.add(GEO_URL, shared_geojson(atlas), "the shared geometry")
        files.add(GEO_GCJ_URL, shared_geojson(atlas, gcj=True), "the shared geometry in GCJ-02")
    return renderer


def write_files(folder: Path, files: dict) -> None:
    """Write each file as a new one: a path that exists may be a hard link the published site shares."""
    for relative, content in files.items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        target.write_bytes(unpacked(content))


MAPS_PER_COLLECTION = 250


def maps_into(renderer: PageRenderer, folder: Path, cache: BuildCache | None = None) -> list[str]:
    """Draw every map script into `folder`; the paths written.

    Each map's Folium tree is cyclic garbage once drawn, and the job runs without the collector
    (`parallel.like_a_worker`): collected here every few hundred maps, or at 100× the content the
    drawn trees would be gigabytes."""
    paths = []
    for number, (path, script) in enumerate(renderer.draw_maps(cache), start=1):
        write_files(folder, {path: script})
        paths.append(path)
        if number % MAPS_PER_COLLECTION == 0:
            gc.collect()
    if cache is not None:
        cache.prune(MapFrames.KIND)  # this job drew every map there is: the rest are outdated
    return sorted(paths)


def side_work_into(renderer: PageRenderer, folder: Path, cache: BuildCache | None = None,
                   index: bool = True) -> tuple[list[str], tuple[list[str], int] | None]:  # fmt: skip
    """The build's work while MkDocs runs in its own process: the search indexes into
    `folder/index` (unless `index` is false: started early, see `index_kept`), then the map scripts
    into `folder/maps`; the maps' paths, and `index_into`'s value (or None).

    After the pages have rendered rather than beside them: the English pages render on the other
    core then, and a third process holding the records (a forked child copies every page of them
    it touches) was the build's peak of memory. At 1× MkDocs takes longer than both jobs together;
    at 100× the content they take about as long as it does."""
    indexed = None
    if index:
        indexed = index_into(renderer.atlas, folder / "index", cache)
        gc.collect()
        release_free_memory()  # the postings, before the maps draw: the two peaks do not add up
    return maps_into(renderer, folder / "maps", cache), indexed


def index_kept(cache: BuildCache | None) -> bool:
    """Whether the last build's postings of the site's index are in the cache: then indexing
    reassembles kept postings (a second or so at this content's size) and can start with the
    rendering; a rebuild's MkDocs is too short to hide it. A clean build's index waits for the
    pages (`side_work_into`)."""
    return cache is not None and cache.has("postings", postings_key(cache, INDEX_DIR))


def index_into(atlas: Atlas, folder: Path, cache: BuildCache | None = None) -> tuple[list[str], int]:
    """Background job: build the search indexes (the site's, then the English edition's under
    `en/search/`) into `folder`, compressed as the site stores them; the paths written, and the
    documents of both."""
    if cache is None:
        indexes = [_packed(build_index(atlas)), _packed(build_english_index(atlas))]
    else:
        with PinyinMemo(cache):
            sources = index_sources(atlas)
        indexes = [_cached_index(source, cache) for source in sources]
        cache.prune("index")
    files = {path: data for packed, _ in indexes for path, data in packed.items()}
    write_files(folder, files)
    return sorted(files), sum(documents for _, documents in indexes)


def _packed(index: IndexFiles) -> tuple[dict[str, bytes], int]:
    return index.packed(), index.documents


def _cached_index(source: IndexSource, cache: BuildCache) -> tuple[dict[str, bytes], int]:
    """An index is a function of its documents, their facet labels and its options alone: built
    and compressed once per set (`IndexSource.key_text`)."""
    key = cache.key(source.key_text())
    cached = cache.get("index", key)
    if cached is not None:
        return pickle.loads(cached)  # noqa: S301 - signed by this machine
    # some documents changed: the others' postings, and the unchanged files compressed, come from
    # the last build's memo of this index
    memo_key = postings_key(cache, source.directory)
    memo = cache.get("postings", memo_key)  # one entry per index, replaced by every build that indexes
    memo = pickle.loads(memo) if memo is not None else {"postings": {}, "packed": {}, "state": {}}  # noqa: S301 - signed by this machine
    # unchanged texts are not read again, nor unchanged files compressed again, and the shards of
    # texts that did not change are kept as they are (`search/patch.py`)
    files = packed_index(source.documents, source.value_label, memo["postings"], memo["packed"], memo["state"], **source.options())
    packed = files, len(source.documents)
    cache.put("postings", memo_key, pickle.dumps(memo, protocol=pickle.HIGHEST_PROTOCOL))
    cache.put("index", key, pickle.dumps(packed, protocol=pickle.HIGHEST_PROTOCOL))
    return packed


def postings_key(cache: BuildCache, directory: str) -> str:
    """The cache key of an index's memo of postings: one entry per index, replaced by every build."""
    return cache.key("index memo", directory)


def merge_tree(source: Path, target: Path) -> None:
    """Move every file under `source` into `target`: one rename per entry `target` lacks."""
    if not source.is_dir():  # the job had nothing to write (a project without maps)
        return
    for entry in sorted(source.iterdir()):
        destination = target / entry.name
        if not destination.exists():
            entry.rename(destination)
        elif entry.is_dir() and destination.is_dir():
            merge_tree(entry, destination)
        else:  # SiteFiles.claim refused repeated paths already; this would be a bug
            raise RuntimeError(f"{destination} exists already")


def generate(root: Path, atlas: Atlas, tiles: Tiles, site_url: str = "", build_date=None) -> SiteFiles:
    """Every generated file in memory, serially: pages, map scripts, geometry, search indexes."""
    renderer = render_pages(root, atlas, tiles, site_url, build_date, Stages())
    files = renderer.files
    for path, script in renderer.draw_maps():
        files.generated[path] = script  # claimed by the page that shows the map
    for path, data in build_index(atlas).packed().items():
        files.add(path, data, "the search index")
    for path, data in build_english_index(atlas).packed().items():
        files.add(path, data, "the English search index")
    return files
