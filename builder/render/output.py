"""The site's files by path: one `add()` for everything generated, and no path written twice.

A later write used to replace an earlier one silently (two records whose pages land on the same
URL, a generated asset shadowing a hand-written one in `site_src/`). Every generated file now
goes through `SiteFiles.add`, which knows the hand-written files too and raises a clear error
naming both sources when a path repeats.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import AtlasError, Location


def output_of(path: str) -> str:
    """Where MkDocs (directory URLs) publishes a docs file: `a.md` and `a/index.md` both become `a/`."""
    if path == "index.md" or path.endswith("/index.md"):
        return path[: -len("index.md")]
    if path.endswith(".md"):
        return path[: -len(".md")] + "/"
    return path


class PackedPage(bytes):
    """A generated text file (a page's Markdown, a download), compressed while it waits to be
    written: at 100× the content the pages held at once were gigabytes, and one download alone
    hundreds of megabytes (a string with one character beyond the BMP takes four bytes a
    character); a fifth of that compressed, and zlib's fastest level costs little.

    It may be made of several zlib streams one after the other (`joined`): a page kept in the
    cache (`page_cache.py`) is its front matter, compressed, before its body as the cache keeps
    it, so a page reused is neither decompressed nor compressed again."""

    @classmethod
    def of(cls, text: str) -> "PackedPage":
        return cls(zlib.compress(text.encode("utf-8"), 1))

    @classmethod
    def joined(cls, *parts: "PackedPage") -> "PackedPage":
        """The file whose text is the parts' texts one after the other."""
        return cls(b"".join(parts))

    def unpacked(self) -> bytes:
        """The page's UTF-8 bytes."""
        data, pieces = bytes(self), []
        while data:
            stream = zlib.decompressobj()
            pieces.append(stream.decompress(data))
            if not stream.eof:
                raise ValueError("a packed page is cut short")
            data = stream.unused_data
        return b"".join(pieces)

    def text(self) -> str:
        return self.unpacked().decode("utf-8")


def unpacked(content: str | bytes) -> bytes:
    """A generated file's bytes, whether packed, text or bytes."""
    if isinstance(content, PackedPage):
        return content.unpacked()
    return content.encode("utf-8") if isinstance(content, str) else content


@dataclass
class SiteFiles:
    static: dict[str, str] = field(default_factory=dict)  # published path → the site_src/ file it comes from
    generated: dict[str, str | bytes] = field(default_factory=dict)  # docs path → a PackedPage (text), bytes (the workbook) or text (maps drawn by `generate`)
    origins: dict[str, str] = field(default_factory=dict)  # published path → what generated it
    nav: list = field(default_factory=list)

    @classmethod
    def beside(cls, site_src: Path) -> "SiteFiles":
        """Files for a site whose hand-written part is `site_src/`."""
        static = {}
        if site_src.is_dir():
            for path in sorted(site_src.rglob("*")):
                if path.is_file():
                    relative = path.relative_to(site_src).as_posix()
                    static[output_of(relative)] = f"site_src/{relative}"
        return cls(static=static)

    def add(self, path: str, text: str | bytes, origin: str) -> None:
        self.claim(path, origin)
        self.generated[path] = PackedPage.of(text) if isinstance(text, str) else text

    def text(self, path: str) -> str:
        """A generated file's text (a page unpacked)."""
        return unpacked(self.generated[path]).decode("utf-8")

    def merge(self, other: "SiteFiles") -> None:
        """Add the files and claims of `other` (rendered apart, maybe in another process) in their
        order, through the same checks, as if they had been added here; its menu entries follow ours."""
        paths = {output_of(path): path for path in other.generated}
        for published, origin in other.origins.items():
            path = paths.get(published)
            if path is None:
                self.claim(published, origin)
            else:
                self.add(path, other.generated[path], origin)
        self.nav = self.nav + other.nav

    def claim(self, path: str, origin: str) -> None:
        """Reserve `path` for a file written elsewhere (by a background job), with the same check."""
        published = output_of(path)
        first = self.static.get(published) or self.origins.get(published)
        if first is not None:
            raise AtlasError(
                f"两个输出写到同一路径 (two outputs for one path) '{path}': {origin}, and already {first}; "
                "rename one of them (ids and file names must not collide)",
                Location(first if first.startswith("site_src/") else path),
            )
        self.origins[published] = origin
