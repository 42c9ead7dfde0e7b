"""Markdown from plans is untrusted: what may survive into the published HTML.

A plan's cleaned text is the one piece of content rendered as Markdown (it carries the paragraph
anchors citations link to). Python-Markdown does not sanitise: `[x](javascript:…)` becomes a live
link and an attr_list line such as `{: onclick="…" }` becomes an event handler. Three defences:

- `escape_plan_markdown()` turns raw HTML in a block into text (only `<br>` survives), before
  MkDocs sees it, so no tag, autolink or entity from a plan is ever parsed as HTML;
- `SanitiseExtension`, added to every MkDocs build, walks the tree Markdown built and keeps only
  a short list of attributes, and only links whose scheme is `http`, `https`, `mailto` or none
  (relative); images must be relative (the CSP would block any other host anyway); a removed
  link becomes its words in a `<span>`;
- `unsafe_links()` lets `atlas check` name each removed link with its `file:line`.

No HTML sanitiser library is used because none is needed: the Markdown tree is already parsed,
so sanitising it is a walk over elements, not a parse of HTML; and raw HTML never gets through.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

LINK_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_BREAK = re.compile(r"&lt;br\s*/?&gt;")
LINK_SYNTAX = re.compile(r"\]\s*[(\[:]")
"""Blocks without this cannot hold a link or image (inline, reference or definition)."""

# Attributes Markdown itself produces (and our anchors), per element; everything else is dropped.
_COMMON = {"id", "class", "title"}
_ALLOWED = {"a": {"href"}, "img": {"src", "alt"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}


def _decoded(url: str) -> str:
    """The URL as a browser resolves it: entities decoded (repeatedly), invisible characters gone."""
    previous = None
    while previous != url:
        previous, url = url, html.unescape(url)
    return _INVISIBLE.sub("", url)


def url_scheme(url: str) -> str | None:
    """Lower-case scheme of `url` as a browser would see it; None for a relative URL."""
    match = _SCHEME.match(_decoded(url))
    return match.group(1).lower() if match else None


def is_safe_link(url: str) -> bool:
    scheme = url_scheme(url)
    return scheme is None or scheme in LINK_SCHEMES


def is_safe_image(url: str) -> bool:
    decoded = _decoded(url)
    return url_scheme(url) is None and not decoded.startswith(("//", "\\\\", "/\\", "\\/"))


def escape_plan_markdown(text: str) -> str:
    """Raw HTML in a plan block becomes visible text; only the cleaner's `<br>` stays a tag."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BREAK.sub("<br>", escaped)


class _Sanitise(Treeprocessor):
    def __init__(self, md, removed: list[str] | None = None):
        super().__init__(md)
        self.removed = removed

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            allowed = _COMMON | _ALLOWED.get(element.tag, set())
            for name in [n for n in element.attrib if n not in allowed]:
                del element.attrib[name]
            if element.tag == "a" and "href" in element.attrib and not is_safe_link(element.attrib["href"]):
                self._remove(element, "href")
            if element.tag == "img" and "src" in element.attrib and not is_safe_image(element.attrib["src"]):
                self._remove(element, "src")

    def _remove(self, element: etree.Element, attribute: str) -> None:
        """The link becomes its words (an image its alt text) in a plain span."""
        if self.removed is not None:
            self.removed.append(element.attrib[attribute])
        if element.tag == "img":
            element.text = element.attrib.get("alt", "")
        element.tag = "span"
        element.attrib.clear()
        element.set("class", "atlas-removed-link")


class SanitiseExtension(Extension):
    """Runs after attr_list (priority 8) and toc (5), so it sees every attribute they set."""

    def __init__(self, removed: list[str] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.removed = removed

    def extendMarkdown(self, md) -> None:  # noqa: N802 - Python-Markdown's API
        md.treeprocessors.register(_Sanitise(md, self.removed), "atlas_sanitise", 1)


def unsafe_links(block_markdown: str) -> list[str]:
    """The link and image targets the build would remove from this plan block."""
    if not LINK_SYNTAX.search(block_markdown):
        return []
    removed: list[str] = []
    markdown.markdown(
        escape_plan_markdown(block_markdown), extensions=["attr_list", "tables", SanitiseExtension(removed)]
    )
    return removed


def plan_page_markdown(text) -> str:
    """A plan's cleaned text (a PlanText) as the Markdown of its page: raw HTML escaped, anchors set."""
    blocks = []
    for block in text.blocks:
        if block.kind == "marker":  # a box or table container line from the cleaner
            blocks.append(block.markdown)
            continue
        markdown = escape_plan_markdown(block.markdown)
        if block.kind == "heading":
            blocks.append(f"{markdown} {{#{block.anchor}}}")
        else:
            blocks.append(f"{markdown}\n{{: #{block.anchor} .atlas-para }}")
    return "\n\n".join(blocks) + "\n"
