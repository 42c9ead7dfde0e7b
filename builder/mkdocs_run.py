"""Stage 6 — MkDocs turns the docs tree into HTML, in full or, with a cache, only where it changed.

MkDocs renders every page through Python-Markdown and the theme, which is most of a build. With a
cache, the docs tree and MkDocs' output are kept between builds (`.atlas-cache/mkdocs/`). When
nothing that every page shows has changed (the config, the theme, the menu, the set of pages, the
front matter of pages in the menu), MkDocs runs in its `dirty` mode and renders only the pages
whose Markdown differs from the kept copy; any other change renders everything. Either way the
output is byte-identical to a build without a cache (tested).

MkDocs decides "dirty" by file times; we tell it exactly which pages changed instead, by content,
so a clock or a copied tree cannot make it skip one. The kept output is listed with the size, time and
inode of every file: a file that is missing, rewritten or truncated makes the next build render
everything.

The published site shares files with the kept output (hard links, so publishing costs no copy).
Before MkDocs writes, every file it is about to write is unlinked, so it writes a new file and
never into one the published site still shows.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import shutil
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from jinja2 import TemplateError
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File

from .cache import BuildCache, TemplateBytecode
from .errors import AtlasError, Location
from .markdown_safety import SanitiseExtension
from .render.output import unpacked
from .render.template_errors import template_error

_TREE_FORMAT = 1


def docs_tree(site_src: Path, pages: dict[str, str | bytes]) -> dict[str, bytes]:
    """Everything MkDocs reads: the hand-written site_src/ files and the generated pages (packed
    pages stay packed until they are written: `_sync`)."""
    files = {path.relative_to(site_src).as_posix(): path.read_bytes() for path in sorted(site_src.rglob("*")) if path.is_file()}
    files.update({path: text if isinstance(text, bytes) else text.encode("utf-8") for path, text in pages.items()})
    return files


def prelink(cache: BuildCache, built: Path) -> bool:
    """Background job, started as soon as the records are joined: link the kept output into
    `built` before it is known whether it can be kept (linking 600 page folders is slow on some
    disks, and the other core is idle then). `run_mkdocs` checks what was linked."""
    source = cache.tree("mkdocs") / "site"
    if not source.is_dir():
        return False
    link_tree(source, built)
    return True


@dataclass
class MkDocsJob:
    """What MkDocs is to do, once its docs tree is on disk (`prepare_mkdocs`): small enough to send
    to the process that runs it (`parallel.standby`)."""

    root: Path
    docs_dir: Path
    site_dir: Path
    built: Path
    nav: list
    epoch: int
    csp: str
    pages: int  # Markdown pages in the docs tree
    rendered: int  # of them, the pages MkDocs renders
    rebuild: set[str] | None = None  # render only these (MkDocs' dirty mode), or everything
    shape: str | None = None  # with a cache: what every page shows (`_shape`), to remember
    verified: dict | None = None  # the kept output's signatures, when it can be kept
    linked: bool = False  # `built` holds links to the verified kept output already
    written: dict | None = None  # the docs tree as `_sync` left it, for the next build's (`_sync`)


def prepare_mkdocs(root: Path, docs: dict[str, bytes], built: Path, nav: list, epoch: int, csp: str,
                   cache: BuildCache | None, prelinked=lambda: False) -> MkDocsJob:  # fmt: skip
    """Write `docs` where MkDocs reads them and decide what it renders; `run_mkdocs` runs it.

    `docs` is emptied once its files are on disk: at scale, the pages held in memory while MkDocs
    holds them too would be most of a build's memory.
    `prelinked()` waits for `prelink` and says whether it linked anything into `built`.
    """
    pages = _pages(docs)
    if cache is None:
        folder = built.parent / "docs"
        _sync(folder, docs)
        docs.clear()
        return MkDocsJob(root, folder, built, built, nav, epoch, csp, pages, pages)
    tree = _Tree(cache.tree("mkdocs"))
    shape = _shape(root, docs, nav, epoch, csp, cache)
    manifest = tree.manifest(cache)
    verified = tree.trusted(manifest, shape)
    # Linked, not copied, and from the verified files: the same inodes, sizes and times.
    linked = prelinked() and verified is not None and _signatures(built) == verified
    written: dict = {}
    changed = _sync(tree.docs, docs, (manifest or {}).get("docs", {}), written)
    paths = set(docs)
    docs.clear()
    tree.forget()  # from here until the build ends, the kept tree is not trusted
    rebuild = changed | _untitled_in_menu(nav) if verified is not None else None
    rendered = pages if rebuild is None else _pages(rebuild & paths)
    return MkDocsJob(root, tree.docs, tree.site, built, nav, epoch, csp, pages, rendered, rebuild, shape, verified, linked, written)


def run_mkdocs(job: MkDocsJob, cache: BuildCache | None) -> dict[str, int]:
    """Build the job's docs tree into `job.built`; the counts of pages MkDocs rendered and kept."""
    _mkdocs(job.root, job.docs_dir, job.site_dir, job.nav, job.epoch, job.csp, rebuild=job.rebuild, cache=cache)
    if cache is None:
        return {"rendered": job.rendered}
    tree = _Tree(cache.tree("mkdocs"))
    outputs = _signatures(tree.site)
    tree.remember(job.shape, cache, outputs, job.written)
    if job.linked:
        _relink(tree.site, job.built, job.verified, outputs)
    else:
        shutil.rmtree(job.built, ignore_errors=True)
        link_tree(tree.site, job.built)
    return {"rendered": job.rendered, "kept": job.pages - job.rendered}


def _relink(source: Path, target: Path, before: dict, after: dict) -> None:
    """Bring `target`, linked from `source` when it looked like `before`, up to `after`: the files
    MkDocs wrote or removed (new inode, size or time) are linked again or removed."""
    for path in before.keys() - after.keys():
        (target / path).unlink(missing_ok=True)
    for path, signature in after.items():
        if before.get(path) != signature:
            (target / path).unlink(missing_ok=True)
            (target / path).parent.mkdir(parents=True, exist_ok=True)
            os.link(source / path, target / path)


def _pages(paths) -> int:
    return sum(1 for path in paths if path.endswith(".md"))


class _Tree:
    """The kept docs tree, MkDocs' output for it, and the manifest that vouches for the output."""

    def __init__(self, folder: Path):
        self.docs, self.site, self.manifest_path = folder / "docs", folder / "site", folder / "manifest.json"

    def manifest(self, cache: BuildCache) -> dict | None:
        """The manifest, if this machine's builds wrote it in this format."""
        try:
            manifest = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(manifest, dict) or manifest.get("format") != _TREE_FORMAT:
            return None
        if not hmac.compare_digest(str(manifest.get("mac")), cache.sign(_signed(manifest))):
            return None  # not written by this machine's builds
        return manifest

    def trusted(self, manifest: dict | None, shape: str) -> dict | None:
        """The kept output's signatures if it is the one the manifest describes, for pages of this
        shape; None if it cannot be kept."""
        if manifest is None or manifest.get("shape") != shape:
            return None
        outputs = _signatures(self.site)
        return outputs if outputs == manifest.get("outputs") else None  # a kept file changed

    def forget(self) -> None:
        self.manifest_path.unlink(missing_ok=True)

    def remember(self, shape: str, cache: BuildCache, outputs: dict, docs: dict | None = None) -> None:
        manifest = {"format": _TREE_FORMAT, "shape": shape, "outputs": outputs, "docs": docs or {}}
        manifest["mac"] = cache.sign(_signed(manifest))
        temporary = self.manifest_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")
        os.replace(temporary, self.manifest_path)


def _signed(manifest: dict) -> bytes:
    return json.dumps({k: v for k, v in manifest.items() if k != "mac"}, sort_keys=True).encode()


def _signatures(folder: Path) -> dict[str, list[int]]:
    """Size, modification time and inode of every file: any write to a kept file changes them."""
    found = {}
    for directory, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(directory, name)
            stat = os.stat(path)
            found[os.path.relpath(path, folder)] = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
    return dict(sorted(found.items()))


def _shape(root: Path, docs: dict[str, bytes], nav: list, epoch: int, csp: str, cache: BuildCache) -> str:
    """What every page shows besides its own content; when it changes, every page is rendered."""
    theme = root / "templates" / "overrides"
    theme_files = sorted(p for p in theme.rglob("*") if p.is_file()) if theme.is_dir() else []
    in_menu = _menu_paths(nav)
    return cache.key(
        (root / "mkdocs.yml").read_bytes(),
        json.dumps(nav, ensure_ascii=False, sort_keys=True), str(epoch), csp,
        *(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes() for p in theme_files),
        "\n".join(sorted(docs)),
        *(path.encode() + b"\0" + _front_matter(unpacked(docs[path])) for path in sorted(in_menu & docs.keys())),
    )  # fmt: skip


def _front_matter(page: bytes) -> bytes:
    """A page's front matter: the theme shows some of it (icon, status) in every page's menu."""
    match = re.match(rb"---\r?\n.*?\r?\n---\r?\n", page, re.S)
    return match.group(0) if match else b""


def _menu_entries(nav: list) -> Iterator[tuple[str | None, str]]:
    for item in nav:
        if isinstance(item, str):
            yield None, item
        elif isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, list):
                    yield from _menu_entries(value)
                else:
                    yield title, value


def _menu_paths(nav: list) -> set[str]:
    return {path for _, path in _menu_entries(nav)}


def _untitled_in_menu(nav: list) -> set[str]:
    """Menu pages without a title in the menu: MkDocs takes theirs from the page, so they are rendered."""
    return {path for title, path in _menu_entries(nav) if title is None}


def _sync(folder: Path, docs: dict[str, bytes], known: dict | None = None, written: dict | None = None) -> set[str]:
    """Make `folder` hold exactly `docs`; the paths whose bytes changed (or are new).

    `known` is what the last build wrote (`written` is filled with this build's): per path, the
    digest of the content as it was handed over (a page packed: `PackedPage`) and the file's size,
    time and inode. A file whose content has that digest and that is still the file written then
    is the same: it is neither unpacked nor read again (most of a rebuild's files)."""
    changed, known = set(), known or {}
    for relative, content in docs.items():
        digest = hashlib.blake2b(content, digest_size=16).hexdigest() if written is not None else None
        target = folder / relative
        try:
            stat = target.stat()
            signature = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
        except OSError:
            signature = None
        if signature is None or known.get(relative) != [digest, *signature]:
            content = unpacked(content)
            try:
                same = signature is not None and signature[0] == len(content) and target.read_bytes() == content
            except OSError:
                same = False
            if not same:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.unlink(missing_ok=True)  # a new file: a new inode, whatever the clock says
                target.write_bytes(content)
                changed.add(relative)
                stat = target.stat()
                signature = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
        if written is not None:
            written[relative] = [digest, *signature]
    for directory, _, names in os.walk(folder, topdown=False):  # what no page is any more
        inside = Path(directory).relative_to(folder).as_posix()
        for name in names:
            if (name if inside == "." else f"{inside}/{name}") not in docs:
                os.unlink(os.path.join(directory, name))
        if inside != "." and not os.listdir(directory):
            os.rmdir(directory)
    return changed


def link_tree(source: Path, target: Path) -> None:
    """`target` as a copy of `source` made of hard links (copies across file systems)."""
    for folder, _, names in os.walk(source):
        into = target / Path(folder).relative_to(source)
        into.mkdir(parents=True, exist_ok=True)
        for name in names:
            try:
                os.link(os.path.join(folder, name), into / name)
            except OSError:
                shutil.copyfile(os.path.join(folder, name), into / name)


class _CollectWarnings(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def _not_the_dirty_notice(record: logging.LogRecord) -> bool:
    """MkDocs warns that a dirty build may show stale menus; ours cannot (see the module docstring)."""
    return not record.getMessage().startswith("A 'dirty' build is being performed")


@contextmanager
def _rendering_only(config, rebuild: set[str]):
    """MkDocs in dirty mode, told by content which files changed; their old output unlinked first."""
    for uri in rebuild:
        Path(File(uri, config.docs_dir, config.site_dir, config.use_directory_urls).abs_dest_path).unlink(missing_ok=True)
    for name in [*config.theme.static_templates, "sitemap.xml.gz"]:
        Path(config.site_dir, name).unlink(missing_ok=True)
    original = File.is_modified
    File.is_modified = lambda self: self.src_uri in rebuild or not os.path.isfile(self.abs_dest_path)
    notices = logging.getLogger("mkdocs.commands.build")
    notices.addFilter(_not_the_dirty_notice)
    try:
        yield
    finally:
        File.is_modified = original
        notices.removeFilter(_not_the_dirty_notice)


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


class _ThemeBytecode(BasePlugin):
    """The theme's compiled templates from the build cache (a rebuild of a few pages is mostly
    compiling the theme)."""

    def __init__(self, cache: BuildCache):
        super().__init__()
        self.cache = cache

    def on_env(self, env, config, files):
        env.bytecode_cache = TemplateBytecode(self.cache)
        return env


class _EnglishHeadingLinks(BasePlugin):
    """The heading permalinks' title (`toc.permalink_title` of mkdocs.yml, Chinese) in English on the
    English edition's Markdown pages (en/about): one toc setting serves the whole site."""

    ENGLISH = "Link to this section"

    def on_page_content(self, html, page, config, files):
        chinese = (config.mdx_configs.get("toc") or {}).get("permalink_title")
        if chinese and page.url.startswith("en/"):
            return html.replace(f'title="{chinese}"', f'title="{self.ENGLISH}"')
        return html


class _ContentAside(BasePlugin):
    """Each page's HTML kept compressed from when MkDocs renders it until its page is written.

    MkDocs renders the Markdown of every page before it writes the first one, so every page's
    source and HTML are in memory at once: at 100× the bundled content, gigabytes. Here the
    source is dropped once rendered and the HTML is set aside compressed; the page carries a
    marker in its place, which the written page gets back. The marker keeps the one thing the
    theme asks of the content (whether it has an `<h1`), so the output is the same.
    """

    def __init__(self):
        super().__init__()
        self.aside: dict[str, bytes] = {}

    def on_page_content(self, html, page, config, files):
        marker = f"\x00atlas-content-{len(self.aside)}{'<h1' if '<h1' in html else ''}\x00"
        self.aside[marker] = zlib.compress(html.encode("utf-8"), 1)
        page.markdown = None
        return marker

    def on_post_page(self, output, page, config):
        marker = page.content
        html = zlib.decompress(self.aside.pop(marker)).decode("utf-8")
        if output.count(marker) != 1:  # the theme printed the content twice, or not at all
            raise RuntimeError(f"{page.file.src_uri}: the theme did not print the page content once")
        return output.replace(marker, html)  # page.content stays the marker: nothing reads it after


def _mkdocs(root: Path, docs: Path, site: Path, nav: list, epoch: int, csp: str, rebuild: set[str] | None,
            cache: BuildCache | None) -> None:  # fmt: skip
    warnings = _CollectWarnings()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(warnings)
    try:
        with _env("SOURCE_DATE_EPOCH", str(epoch)):
            config = load_config(str(root / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(site), nav=nav)
            # Added here, not in mkdocs.yml, so no edit of the config can turn the defences off.
            config.markdown_extensions.append(SanitiseExtension())
            config.extra["atlas_csp"] = csp
            config.plugins["atlas-english-heading-links"] = _EnglishHeadingLinks()
            config.plugins["atlas-content-aside"] = _ContentAside()  # last: after every change to the content
            if cache is not None:
                config.plugins["atlas-template-bytecode"] = _ThemeBytecode(cache)
            if rebuild is None:
                mkdocs_build(config)
            else:
                with _rendering_only(config, rebuild):
                    mkdocs_build(config, dirty=True)
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

