"""Page renders kept between builds: a page is rendered again only when something it read changed.

A rebuild after one edit used to render every page's template (most of a rebuild's time), though
an edit changes a handful of pages. Here each page's render is stored in `.atlas-cache/` with what
it depended on, and reused while all of that is unchanged:

- its context (the record, the map's markup, the lists a view computed), as a fingerprint;
- every read of the atlas its templates made, logged through `AtlasReads`: a mapping's key
  (`atlas.plans[x]`), a whole mapping iterated or counted, an attribute, a method's call with its
  arguments (`atlas.naming("tasks", place)`); and the hidden inputs of the helpers (`cite` reads
  the plan's text, `chart` the indicator's progress reports, `en` the atlas's English names);
- the templates' sources, and (through the cache key) the builder's code and libraries.

A read is checked on the next build by doing it again on the new atlas and comparing
fingerprints, so a page is never stale as long as its templates reach the atlas only through
`atlas` and the helpers (they can reach nothing else: the environment's globals are these). A
value this module cannot fingerprint, or a call whose arguments it cannot name again, makes the
page uncached: it is rendered every time, never reused on a guess.

Written by hand: no library records what a Jinja template reads from Python objects.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import zlib
from datetime import date
from enum import Enum

from markupsafe import Markup
from pydantic import BaseModel
from shapely.geometry.base import BaseGeometry

from ..records import REGISTRY
from .charts import bars_of, indicator_chart, progress_share
from .output import PackedPage

KIND = "pages"
_MISSING = object()


class Uncacheable(Exception):
    """A value with no stable fingerprint: the page that holds it is rendered every build."""


class Fingerprints:
    """Digests of values that change exactly when what a template could print of them changes.

    Records, blocks and shapes live for the whole build and are asked for on many pages, so their
    digests are kept (with the object, so that its id is not reused by another).
    """

    def __init__(self):
        self._kept: dict[int, tuple[object, bytes]] = {}

    def of(self, value) -> str:
        h = hashlib.blake2b(digest_size=16)
        self._feed(h, value)
        return h.hexdigest()

    def _feed(self, h, value) -> None:
        kind = type(value)
        if value is None or kind in (bool, int, float):
            h.update(f"{kind.__name__}:{value!r};".encode())
        elif isinstance(value, str):  # Markup is printed unescaped, a str escaped: not the same value
            data = value.encode()
            h.update(b"M" if isinstance(value, Markup) else b"s")
            h.update(len(data).to_bytes(8, "big") + data)
        elif isinstance(value, Enum):
            h.update(f"E{kind.__name__}:{value.value!r};".encode())
        elif isinstance(value, (list, tuple)):
            h.update(b"L" if isinstance(value, list) else b"T")
            h.update(len(value).to_bytes(8, "big"))
            for item in value:
                self._feed(h, item)
        elif isinstance(value, dict):
            h.update(b"D" + len(value).to_bytes(8, "big"))
            for key, item in value.items():
                self._feed(h, key)
                self._feed(h, item)
        elif isinstance(value, (set, frozenset)):
            h.update(b"S" + "".join(sorted(self.of(item) for item in value)).encode())
        elif isinstance(value, date):
            h.update(f"d{value.isoformat()};".encode())
        elif isinstance(value, (BaseModel, BaseGeometry)) or dataclasses.is_dataclass(value) and not isinstance(value, type):
            h.update(self._kept_digest(value))
        elif value is _MISSING:
            h.update(b"missing;")
        else:
            raise Uncacheable(kind.__name__)

    def _kept_digest(self, value) -> bytes:
        kept = self._kept.get(id(value))
        if kept is not None and kept[0] is value:
            return kept[1]
        h = hashlib.blake2b(digest_size=16)
        h.update(type(value).__qualname__.encode() + b"\0")
        if isinstance(value, BaseModel):
            try:
                h.update(value.model_dump_json().encode())
            except Exception as exc:  # noqa: BLE001 - a field pydantic cannot serialise: no stable digest
                raise Uncacheable(type(value).__name__) from exc
        elif isinstance(value, BaseGeometry):
            h.update(value.wkb)
        else:
            for field in dataclasses.fields(value):
                h.update(field.name.encode() + b"=")
                self._feed(h, getattr(value, field.name))
        digest = h.digest()
        self._kept[id(value)] = (value, digest)
        return digest


def _key_of(key):
    """A mapping key as it can be stored and used again, or None."""
    return key if type(key) in (str, int) else None


def _argument_of(value):
    """A call's argument named so that the next build can pass its own version of it, or None."""
    if value is None or type(value) in (str, int, bool):
        return ["v", value]
    record_type = REGISTRY.of(value) if isinstance(value, BaseModel) else None
    if record_type is not None and isinstance(getattr(value, "id", None), str):
        return ["r", record_type.folder, value.id]
    return None


UNNAMEABLE = ("unnameable",)  # a read that cannot be done again: the page is not kept


class ReadLog:
    """The atlas reads of the page being rendered, as JSON-able tuples (see `PageRenders.current`).

    One log per edition, shared by the environment's globals: macros imported without context are
    bound to the globals once, so the globals log into whichever page renders now (`begin`)."""

    def __init__(self):
        self.reads: set[tuple] = set()

    def add(self, read: tuple) -> None:
        self.reads.add(read)

    def begin(self) -> None:
        self.reads = set()


class _Mapping:
    """A mapping of the atlas (or one inside it) whose reads are logged."""

    def __init__(self, log: ReadLog, path: tuple, mapping: dict):
        self._log, self._path, self._mapping = log, path, mapping

    def _one(self, key) -> None:
        name = _key_of(key)
        self._log.add(("key", self._path, name) if name is not None else ("whole", self._path))

    def _value(self, key, value):
        name = _key_of(key)
        if name is not None and isinstance(value, dict):
            self._log.add(("has", self._path, name))
            return _Mapping(self._log, (*self._path, name), value)
        self._one(key)
        return value

    def __getitem__(self, key):
        if key not in self._mapping:
            self._one(key)
        return self._value(key, self._mapping[key])

    def get(self, key, default=None):
        if key not in self._mapping:
            self._one(key)
            return default
        return self._value(key, self._mapping[key])

    def __contains__(self, key) -> bool:
        self._one(key)
        return key in self._mapping

    def _whole(self) -> dict:
        self._log.add(("whole", self._path))
        return self._mapping

    def __iter__(self):
        return iter(self._whole())

    def __len__(self) -> int:
        return len(self._whole())

    def __bool__(self) -> bool:
        return bool(self._whole())

    def keys(self):
        return self._whole().keys()

    def values(self):
        return self._whole().values()

    def items(self):
        return self._whole().items()


class AtlasReads:
    """The atlas as the templates see it: attributes, mappings and methods, each read logged."""

    def __init__(self, atlas, log: ReadLog):
        self._atlas, self._log = atlas, log

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        value = getattr(self._atlas, name)
        if isinstance(value, dict):
            return _Mapping(self._log, (name,), value)
        if callable(value):
            return self._method(name, value)
        self._log.add(("attr", name))
        return value

    def _method(self, name: str, method):
        def logged(*args, **kwargs):
            arguments = [_argument_of(a) for a in args]
            self._log.add(UNNAMEABLE if kwargs or None in arguments else ("call", name, json.dumps(arguments, ensure_ascii=False)))
            return method(*args, **kwargs)

        return logged


def atlas_globals(atlas, english=None, log: ReadLog | None = None) -> dict:
    """The environment's globals that read the atlas (`atlas`, `cite`, `chart`, `progress`, and
    `en` for the English edition); with `log`, each of them logs what it reads there."""
    reads = AtlasReads(atlas, log) if log is not None else atlas
    if english is not None and log is not None:  # the English names and labels, read through the log too
        english = type(english)(reads)

    def cite(citation):  # logged as the plan and the heading of the paragraph: not the rest of the text
        if log is not None:
            log.add(("cite", citation.plan, citation.para))
        return atlas.cite(citation)

    found = {
        "atlas": reads, "cite": cite,
        "chart": lambda ind: indicator_chart(ind, reads.progress_of.get(ind.id, []), english=english),
        "progress": lambda ind: progress_share(bars_of(ind, reads.progress_of.get(ind.id, []))),
    }  # fmt: skip
    return found if english is None else {**found, "en": english}


class PageRenders:
    """One edition's page renders, from the cache where nothing they read has changed."""

    def __init__(self, env, atlas, cache, lang: str, english=None):
        self.env, self.atlas, self.cache, self.lang, self.english = env, atlas, cache, lang, english
        self.prints = Fingerprints()
        self._now: dict[tuple, str] = {}
        self.reused = self.rendered = self.uncached = 0
        self.log = ReadLog()
        env.globals.update(atlas_globals(atlas, english, self.log))
        sources = hashlib.blake2b(digest_size=16)
        for name in sorted(env.list_templates()):
            sources.update(name.encode() + b"\0" + env.loader.get_source(env, name)[0].encode() + b"\0")
        self.templates = sources.hexdigest()

    def key(self, path: str, lang: str | None = None) -> str:
        return self.cache.key(KIND, lang or self.lang, path)

    def render(self, path: str, template: str, variables: dict) -> str | PackedPage:
        """The page's body: packed (as the cache keeps it) when it is kept or can be, else text."""
        try:
            context = self.prints.of([template, variables])
        except Uncacheable:
            self.uncached += 1
            return self._render(template, variables)
        key = self.key(path)
        body = self._kept(key, context)
        if body is not None:
            self.reused += 1
            return body
        text = self._render(template, variables)
        try:
            reads = [[kind, *rest, self.current((kind, *rest))] for kind, *rest in sorted(self.log.reads, key=repr)]
        except Uncacheable:
            self.uncached += 1  # rendered, with nothing to keep (the counts are disjoint)
            return text
        self.rendered += 1
        body = PackedPage.of(text)
        entry = {"templates": self.templates, "context": context, "reads": reads}
        # what the body depends on, then the body: a page reused parses the first alone, and hands
        # the second on as it is (a page is mostly markup, its escaped JSON slow to read)
        self.cache.put(KIND, key, zlib.compress(json.dumps(entry, ensure_ascii=False).encode(), 1) + body)
        return body

    def _render(self, template: str, variables: dict) -> str:
        self.log.begin()
        return self.env.get_template(template).render(**variables)

    def _kept(self, key: str, context: str) -> PackedPage | None:
        payload = self.cache.get(KIND, key)
        if payload is None:
            return None
        try:
            stream = zlib.decompressobj()
            entry = json.loads(stream.decompress(payload))
            body = PackedPage(stream.unused_data)  # whole: the cache checked the entry's signature
            if not stream.eof or entry["templates"] != self.templates or entry["context"] != context:
                return None
            for *read, printed in entry["reads"]:
                kind, *rest = read
                if kind in ("key", "has", "whole"):
                    rest[0] = tuple(rest[0])
                if self.current((kind, *rest)) != printed:
                    return None
            return body
        except Exception:  # noqa: BLE001 - another layout, or a read that fails on this atlas: it changed, render
            return None

    def current(self, read: tuple) -> str:
        """The fingerprint of what `read` gives on this build's atlas."""
        if read not in self._now:
            self._now[read] = self.prints.of(self._do(read))
        return self._now[read]

    def _do(self, read: tuple):
        kind = read[0]
        if kind == "attr":
            return getattr(self.atlas, read[1])
        if kind == "call":
            return getattr(self.atlas, read[1])(*(self._argument(a) for a in json.loads(read[2])))
        if kind == "cite":
            plan, text = self.atlas.plans.get(read[1], _MISSING), self.atlas.texts.get(read[1])
            heading = text.heading_for(read[2]) if text is not None else None
            return [plan, heading.text if heading else None]
        if kind in ("key", "has", "whole"):
            mapping = getattr(self.atlas, read[1][0])
            for step in read[1][1:]:
                mapping = mapping.get(step, {}) if isinstance(mapping, dict) else {}
            if not isinstance(mapping, dict):
                raise Uncacheable("not a mapping")
            if kind == "whole":
                return mapping
            return (read[2] in mapping) if kind == "has" else mapping.get(read[2], _MISSING)
        raise Uncacheable(kind)

    def _argument(self, argument: list):
        kind, *rest = argument
        if kind == "v":
            return rest[0]
        record = self.atlas.records.get(rest[0], {}).get(rest[1])
        if record is None:
            raise Uncacheable("a record that is gone")
        return record

    def prune(self, paths_by_lang: dict[str, list[str]]) -> None:
        """Remove the entries of pages this build does not have (both editions' pages are named:
        the English ones were rendered in another process)."""
        for lang, paths in paths_by_lang.items():
            for path in paths:
                self.cache.mark_used(KIND, self.key(path, lang))
        self.cache.prune(KIND)
