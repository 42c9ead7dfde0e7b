"""Stage 4 — render pages: the Atlas becomes Markdown pages (front matter + escaped HTML) for MkDocs.

Record pages are written as HTML blocks from autoescaping Jinja2 templates in `templates/pages/`,
so text from plans can never inject markup; Python-Markdown passes those blocks through untouched.
Only a plan's own cleaned text is rendered as Markdown (it carries the paragraph anchors), after
neutralising raw HTML in it (`markdown_safety.py`).

Every record type with a section in the registry gets one page per record from its template; the
pages that are not one record's (home, indexes, cluster × district pairs) are in `views.py`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ..atlas import Atlas, pair_url, url_for
from ..cache import BuildCache, TemplateBytecode
from ..model import Place
from ..parallel import background
from ..records import REGISTRY
from .english_pages import PREFIX, EnglishText, english_map_list, english_url, zh
from .maps import MapFrames, map_html, map_script_path, map_text_alternative, render_map
from .output import PackedPage, SiteFiles
from .page_cache import PageRenders, atlas_globals
from .template_errors import template_error
from .tiles import Tiles

ENGLISH_FALLBACK = "_record.md.j2"
_THEME_UNSAFE = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "’", "`": "｀"})
_THEME_UNSAFE_EN = str.maketrans({"<": "‹", ">": "›", "&": "﹠", '"': "”", "'": "’", "`": "‘"})  # look-alikes outside CJK


def _english_edition(renderer: "PageRenderer") -> tuple[SiteFiles, list]:
    """The English edition's files and map jobs, rendered apart from the Chinese pages (in a
    forked child when there is one: `parallel.background`)."""
    from . import english_views

    english = PageRenderer(
        renderer.atlas, renderer.templates_dir, renderer.tiles, SiteFiles(static=renderer.files.static), renderer.site_url,
        renderer.build_date, renderer.cache, "en",
    )  # fmt: skip
    with english._template_errors():
        english.record_pages()
        english_views.render_views(english)
    return english.files, english.map_jobs, english.render_counts()


def root_of(path: str) -> str:
    """Relative prefix from a page's directory URL back to the site root."""
    depth = 0 if path in ("index.md",) else path.count("/") + (0 if path.endswith("index.md") else 1)
    return "../" * depth


def nav_title(text: str, english: bool = False) -> str:
    """A title safe for the theme, which prints titles unescaped (menu, <title>, header).

    Material's templates run without autoescape, and `striptags` even decodes entities, so
    escaping cannot help: the characters that could open a tag, an entity or an attribute are
    replaced by their full-width forms, which read the same (an apostrophe by ’, as in "Bao’an"). Jinja syntax in a title is harmless
    there (front matter is data to MkDocs, never template source).
    """
    return text.translate(_THEME_UNSAFE_EN if english else _THEME_UNSAFE)


def _shorten(text: str, limit: int = 150) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class MapOnPage:
    """What a page template gets for a map: its div and scripts."""

    html: str


@dataclass(frozen=True)
class MapJob:
    slug: str
    page_path: str
    places: list
    district: str | None
    root: str
    extra_bounds: object
    options: dict


class PageRenderer:
    def __init__(
        self, atlas: Atlas, templates_dir: Path, tiles: Tiles = Tiles.none, files: SiteFiles | None = None,
        site_url: str = "", build_date: date | None = None, cache: BuildCache | None = None, lang: str = "zh",
        map_jobs: list | None = None,
    ):  # fmt: skip
        self.atlas = atlas
        self.cache = cache  # for work worth keeping between builds (the workbook, compiled templates)
        self.tiles = tiles
        self.site_url = site_url
        self.build_date = build_date or date(2020, 1, 1)  # the newest plan's date: builds are reproducible
        self.map_jobs: list[MapJob] = [] if map_jobs is None else map_jobs  # drawn after the pages, maybe on the other core
        self.templates_dir = templates_dir
        self.lang = lang
        self.english = EnglishText(atlas) if lang == "en" else None
        self.prefix = PREFIX if lang == "en" else ""  # where this language's pages live
        self.env = Environment(
            loader=FileSystemLoader(templates_dir / "pages" / "en" if lang == "en" else templates_dir / "pages"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=TemplateBytecode(cache) if cache is not None else None,
        )
        self.env.globals.update(url_for=url_for, pair_url=pair_url, **atlas_globals(atlas, self.english))
        if self.english is not None:
            self.env.globals.update(zh=zh, english_url=english_url)
        self.files = files if files is not None else SiteFiles()
        self.renders = PageRenders(self.env, atlas, cache, lang, self.english) if cache is not None else None
        self.counts: dict[str, int] = {}

    def render_all(self) -> SiteFiles:
        """Every page, the English edition's on the other core; a mistake in a template is raised as
        AtlasError at its file:line."""
        from . import views  # views render through this class

        with background(_english_edition, self, collect=True) as english_done:  # rendering makes cyclic garbage
            with self._template_errors():
                for name in self.env.list_templates():
                    self.env.get_template(name)  # compile all, used or not: syntax errors show at once
                self.record_pages()
                views.render_views(self)
            english_files, english_maps, english_counts = english_done()
        self.files.merge(english_files)  # after the Chinese pages, as if rendered here, with the same checks
        places = self.atlas.places
        self.map_jobs.extend(replace(job, places=[places.get(p.id, p) for p in job.places]) for job in english_maps)
        self.counts = {name: count + english_counts.get(name, 0) for name, count in self.render_counts().items()}
        if self.renders is not None:
            pages = [path for path in self.files.generated if path.endswith(".md")]
            self.renders.prune({"zh": [p for p in pages if not p.startswith(PREFIX)], "en": [p for p in pages if p.startswith(PREFIX)]})
        return self.files

    def render_counts(self) -> dict[str, int]:
        """Pages rendered, reused from the cache, and rendered with nothing to keep (`page_cache.py`)."""
        renders = self.renders
        return {"rendered": renders.rendered, "reused": renders.reused, "uncached": renders.uncached} if renders else {}

    @contextmanager
    def _template_errors(self):
        try:
            yield
        except Exception as exc:
            error = template_error(exc, self.templates_dir.parent)  # needs the traceback: here, not after pickling
            if error is None:
                raise
            raise error from None

    def record_pages(self) -> None:
        """One page per record of every type that has pages, from its declaration."""
        english_templates = set(self.env.list_templates()) if self.english is not None else set()
        for record_type in REGISTRY:
            if not record_type.section:
                continue
            for record in self.atlas.records[record_type.folder].values():
                path = self.prefix + record_type.page_path(record)
                context = record_type.page_context(self, record, path) if record_type.page_context else {record_type.name: record}
                template = record_type.template
                if self.english is not None:
                    title, description = self.english.plain(record), None
                    if template not in english_templates:  # a type without an English layout: a generic page
                        template, context = ENGLISH_FALLBACK, {**context, "record": record}
                else:
                    title = record_type.title(record)
                    description = record_type.describe(self.atlas, record) if record_type.describe else None
                self.page(path, template, title=title, description=description, **context)

    def map(self, slug: str, page_path: str, places: list[Place], district: str | None, extra_bounds=None, **options) -> MapOnPage:
        """A map's place on the page now; the map script is drawn later by `draw_maps`."""
        root = root_of(page_path)
        if self.english is not None:
            slug, options = "en-" + slug, {**options, "lang": "en"}
        job = MapJob(slug, page_path, places, district, root, extra_bounds, options)
        self.files.claim(map_script_path(slug), f"the map script of {page_path}")
        self.map_jobs.append(job)
        if self.english is not None:
            return MapOnPage(html=map_html(slug, root, "en") + english_map_list(self.atlas, self.english, places, root + PREFIX))
        return MapOnPage(html=map_html(slug, root) + map_text_alternative(self.atlas, places, root))

    def draw_maps(self, cache=None) -> Iterator[tuple[str, str]]:
        """Every map script the rendered pages refer to, with its path, one at a time (at scale,
        all of them at once are gigabytes); Folium's parts from `cache`, if given."""
        frames = MapFrames(cache) if cache is not None else None
        for job in self.map_jobs:
            drawn = render_map(
                self.atlas, job.slug, job.places, job.district, job.root, self.tiles, job.extra_bounds, cache=frames, **job.options
            )
            yield drawn.script_path, drawn.script

    def page(self, path: str, template: str, *, title: str, hide: tuple[str, ...] = (), description: str | None = None, **context) -> None:
        site_root = root_of(path)
        root = site_root + self.prefix  # links to this language's pages; site_root for assets and plan texts
        variables = {"root": root, "site_root": site_root, "title": title, **context}
        if self.renders is not None:
            body = self.renders.render(path, template, variables)
        else:
            body = self.env.get_template(template).render(**variables)
        if self.english is not None and not description:  # else the theme prints the Chinese site description
            description = f"{title}: from Shenzhen's industrial plans, each fact linked to the paragraph it comes from."
        english = self.english is not None
        front = f"title: {json.dumps(nav_title(title, english), ensure_ascii=False)}\n"
        if description:  # printed unescaped by the theme, like titles
            front += f"description: {json.dumps(nav_title(_shorten(description), english), ensure_ascii=False)}\n"
        if hide:
            front += f"hide: {json.dumps(list(hide))}\n"
        head = "---\n" + front + "---\n\n"
        page = PackedPage.joined(PackedPage.of(head), body) if isinstance(body, PackedPage) else head + body
        self.files.add(path, page, f"the page from {template}")
