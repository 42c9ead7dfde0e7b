"""A static substring index for Chinese: character bigrams with positions, sharded by key.

Why our own: the usual static engines segment Chinese into words (jieba) and then miss substrings
that cross a word boundary or flood results with pages that do not contain the query (see
docs/search.md for measurements). Here every query term of two or more characters is answered
exactly from positional bigram postings: a document matches when the term's bigrams occur at
consecutive positions — no false positives, no misses. Single characters use a unigram list.

Files (JSON, each stored gzip-compressed as `<name>.json.gz`, under `search/`):
- `meta.json`: shard counts, facet value dictionaries, and per document its type, title length,
  text length and facet codes — enough to count facets and rank without fetching texts;
- `bi/<n>.json`: {bigram: [doc gap, count, positions delta-coded…, doc gap, count, …]} for keys
  hashing to shard n, where a doc gap is the document's number minus the previous one's (the first
  is the number itself);
- `uni/<n>.json`: {char: [doc gap, count, doc gap, count, …]};
- `doc/<n>.json`: a pack of consecutive documents (title, url, type, text), about 40 KB before
  compression; pack n starts at document `doc_packs[n]` of meta.json. Fetched only for shown results.
Flat, gap-coded lists of small numbers compress about fourfold, so the index on disk stays under
twice the text it indexes, and a few hundred files hold it (`packed`). The files are named `.gz`
and decompressed by the client itself (`DecompressionStream`), as Pagefind does with its own, so no
server setting is needed; a server that decodes them on the way is handled too (the client looks
for gzip's magic bytes).
The client (`assets/atlas/search.js`) folds text exactly like `fold()` below.

The English edition has an index of its own in the same format under `en/search/` (its documents:
`english.py`), whose URLs are relative to the English root. It also lists *word starts*: under the
key " x" (a space, then a character, which no bigram can be) the positions where a Latin word
begins with x, so that there a Latin term matches whole words and word prefixes only ("semi" finds
"semiconductor", "conductor" does not), while Chinese terms keep substring semantics. And its
documents' aliases (their Chinese names, with pinyin) are indexed as names: right after the title,
with meta.json's `names` saying where they end, so that a hit in them ranks right after title hits.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..atlas import Atlas
from .document import SearchDocument
from .documents import build_documents
from .facets import FACETS, Facet

INDEX_DIR = "search"
ENGLISH_INDEX_DIR = "en/search"  # the English edition's (`english_pages.PREFIX` + INDEX_DIR)
TARGET_SHARD_BYTES = 24_000  # before compression; about 6 KB on disk
DOC_PACK_BYTES = 40_000  # before compression; about 14 KB on disk
PACKED_SUFFIX = ".gz"  # every index file is stored gzip-compressed under its name plus this
FORMAT_VERSION = 3
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")
# Characters of Latin words, folded (lower case) or not: ASCII letters and digits, Latin letters
# with diacritics (not × and ÷). The client's LATIN_WORD is the same class.
LATIN_WORD = "0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_WORD_START = re.compile(f"(?<![{LATIN_WORD}])[{LATIN_WORD}]")


def squash(text: str) -> str:
    """Drop spaces next to Chinese characters ("达 2502 家" → "达2502家"): people type without them."""
    return _SPACES.sub(" ", _SPACE_NEAR_CJK.sub("", text)).strip()


def fold_char(char: str) -> str:
    """Per-character folding that keeps positions: full-width → half-width, upper → lower."""
    folded = unicodedata.normalize("NFKC", char).lower()
    return folded if len(folded) == 1 else char.lower()


def fold(text: str) -> str:
    return "".join(fold_char(c) for c in text)


def fold_all(texts: list[str]) -> list[str]:
    """`fold` of each text, folding each distinct character once (a build folds a million)."""
    table = {}
    for char in set().union(*texts):
        folded = fold_char(char)
        if folded != char:
            table[ord(char)] = folded
    return [text.translate(table) for text in texts]


def fnv1a(key: str) -> int:
    """32-bit FNV-1a over code points; the client computes the same to find a key's shard."""
    h = 0x811C9DC5
    for char in key:
        h ^= ord(char)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


@dataclass(frozen=True)
class IndexFiles:
    files: dict[str, str]  # path under the site root → JSON text
    documents: int

    def packed(self, memo: dict | None = None) -> dict[str, bytes]:
        """The files as the site stores them: each gzip-compressed, under its path plus PACKED_SUFFIX.
        No timestamp in the header and a fixed level, so the bytes are the same every build.
        `memo` (path → (digest of the text, its compressed bytes)) from the last build saves
        compressing again the files that did not change; it is left holding exactly these files."""
        packed, kept = {}, {}
        for path, text in self.files.items():
            data = text.encode("utf-8")
            digest = hashlib.blake2b(data, digest_size=16).digest()
            before = memo.get(path) if memo else None
            compressed = before[1] if before and before[0] == digest else gzip.compress(data, compresslevel=6, mtime=0)
            kept[path] = (digest, compressed)
            packed[path + PACKED_SUFFIX] = compressed
        if memo is not None:
            memo.clear()
            memo.update(kept)
        return packed


def read_packed(folder: Path, directory: str = INDEX_DIR) -> dict[str, str]:
    """An index as a built site stores it under `folder`, back as `IndexFiles.files` (for tests and
    benchmarks)."""
    files = {}
    for path in sorted((folder / directory).rglob("*.json" + PACKED_SUFFIX)):
        files[path.relative_to(folder).as_posix()[: -len(PACKED_SUFFIX)]] = gzip.decompress(path.read_bytes()).decode("utf-8")
    return files


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


@dataclass
class IndexSource:
    """What one index is made of: its documents and their facet labels, in one language."""

    directory: str  # under the site root
    documents: list[SearchDocument]
    labels: dict[tuple[str, str], str]  # (facet name, value) → the value's label
    headings: dict[str, str] = field(default_factory=lambda: {f.name: f.label for f in FACETS})
    latin_words: bool = False  # Latin terms match word starts (the English index)
    names_first: bool = False  # aliases are indexed after the title, hits there rank next (the English index)

    def value_label(self, facet: Facet, value: str) -> str:
        return self.labels[(facet.name, value)]

    def heading(self, facet: Facet) -> str:
        return self.headings[facet.name]

    def options(self) -> dict:
        """`index_documents`' keyword arguments for this index."""
        return {"directory": self.directory, "facet_label": self.heading, "latin_words": self.latin_words, "names_first": self.names_first}

    def key_text(self) -> str:
        """Everything the index is a function of, as text (the build cache's key)."""
        parts = [self.directory, self.headings, self.latin_words, self.names_first, [vars(d) for d in self.documents],
                 sorted(self.labels.items())]  # fmt: skip
        return json.dumps(parts, ensure_ascii=False, sort_keys=True)


def _labels(docs: list[SearchDocument], label: Callable[[Facet, str], str]) -> dict[tuple[str, str], str]:
    return {(f.name, v): label(f, v) for d in docs for f in FACETS for v in d.facets.get(f.name, [])}


def chinese_source(atlas: Atlas) -> IndexSource:
    """The site's index: every plan paragraph and record of the Atlas."""
    docs = build_documents(atlas)
    return IndexSource(INDEX_DIR, docs, _labels(docs, lambda facet, value: facet.value_label(atlas, value)))


def english_source(atlas: Atlas) -> IndexSource:
    """The English edition's index: every record under its English name (see `english.py`)."""
    from ..render.english_pages import EnglishText
    from .english import build_english_documents

    en = EnglishText(atlas)
    docs = build_english_documents(atlas, en)
    labels = _labels(docs, lambda facet, value: facet.english_value_label(atlas, en, value))
    return IndexSource(ENGLISH_INDEX_DIR, docs, labels, {f.name: f.english for f in FACETS}, latin_words=True, names_first=True)


def index_sources(atlas: Atlas) -> list[IndexSource]:
    """Every index the site has: the Chinese one, then the English edition's."""
    return [chinese_source(atlas), english_source(atlas)]


def index_of(source: IndexSource, memo: dict | None = None) -> IndexFiles:
    return index_documents(source.documents, source.value_label, memo, **source.options())


def build_index(atlas: Atlas) -> IndexFiles:
    """The site's (Chinese) index: every plan paragraph and record of the Atlas."""
    return index_of(chinese_source(atlas))


def build_english_index(atlas: Atlas) -> IndexFiles:
    """The English edition's index, under `en/search/`."""
    return index_of(english_source(atlas))


def index_documents(docs: list[SearchDocument], value_label=lambda facet, value: value, memo: dict | None = None, *,
                    directory: str = INDEX_DIR, facet_label=lambda facet: facet.label, latin_words: bool = False,
                    names_first: bool = False) -> IndexFiles:  # fmt: skip
    """The index files of `docs`, under `directory`. `memo` (text → its postings, see `postings_of`)
    saves the work for texts indexed before: after one edit, only the edited documents are read
    again. It is left holding exactly this index's texts. With `latin_words`, the word starts of
    Latin words are indexed too (`word_starts_of`) and meta.json says so. With `names_first`, a
    document's text is its title, then its aliases, then its body (`names_text`), and meta.json's
    `names` lists where each document's names end."""
    if names_first:
        named = [names_text(d) for d in docs]
        texts, names_ends = [text for text, _ in named], [end for _, end in named]
    else:
        texts = [squash(d.title) + "\n" + squash(d.body) for d in docs]
    folded = fold_all(texts)
    memo = {} if memo is None else memo

    bi_postings, uni_postings = Postings(2), Postings(1)  # keys: a pair of characters; one character
    for doc_id, text in enumerate(folded):
        if text not in memo:
            memo[text] = postings_of(text)
        pairs, chars = memo[text]
        bi_postings.add(doc_id, pairs)
        if latin_words:
            bi_postings.add(doc_id, word_starts_of(text))
        uni_postings.add(doc_id, chars)
    for stale in memo.keys() - set(folded):
        del memo[stale]
    characters = set(uni_postings.buffers)

    files: dict[str, str] = {}
    for prefix, postings in (("bi", bi_postings), ("uni", uni_postings)):
        values = postings.as_json()
        count = _shard_count(sum(len(key) * 3 + len(value) + 6 for key, value in values.items()))
        keys: list[list[str]] = [[] for _ in range(count)]
        for key in sorted(values):  # the shard's keys in order, as json.dumps(sort_keys=True) writes them
            keys[fnv1a(key) % count].append(key)
        for number, shard in enumerate(keys):  # each key's postings dropped once in its shard: one copy at a time
            items = (json.dumps(key, ensure_ascii=False) + ":[" + values.pop(key) + "]" for key in shard)
            files[f"{directory}/{prefix}/{number}.json"] = "{" + ",".join(items) + "}"
        del values, keys
        if prefix == "bi":
            bi_shards = count
        else:
            uni_shards = count
    entries = [
        _dump({"type": doc.type, "title": squash(doc.title), "url": doc.url, "text": text, "aliases": doc.aliases})
        for doc, text in zip(docs, texts)
    ]
    starts = _pack_starts(entries)
    for number, (start, end) in enumerate(zip(starts, [*starts[1:], len(entries)])):
        files[f"{directory}/doc/{number}.json"] = "[" + ",".join(entries[start:end]) + "]"
    meta = _meta(docs, texts, bi_shards, uni_shards, value_label, facet_label)
    meta["doc_packs"] = starts
    if latin_words:
        meta["latin_words"] = True
    if names_first:
        meta["names"] = names_ends
    files[f"{directory}/meta.json"] = _dump(meta)
    files[f"{directory}/t2s.json"] = _dump(traditional_to_simplified(characters))
    return IndexFiles(files=files, documents=len(docs))


class Postings:
    """Each key's postings, as the index stores them, while documents are added in order.

    Why not a list per key: at 100× the bundled content, tens of millions of small strings and
    list slots took gigabytes; one growing ASCII buffer per key holds the same text in a tenth.
    A document's part comes as a blob (`postings_of`): lines of a key of `width` characters, then
    its JSON (the count and positions, or the count); it is stored after the document's gap from
    the key's previous document.
    """

    def __init__(self, width: int):
        self.width = width
        self.buffers: dict[str, bytearray] = {}
        self.last: dict[str, int] = {}

    def add(self, doc_id: int, blob: str) -> None:
        if not blob:
            return
        width, buffers, last = self.width, self.buffers, self.last
        for line in blob.split("\n"):
            key = line[:width]
            buffer = buffers.get(key)
            if buffer is None:
                buffers[key] = buffer = bytearray(b"%d," % doc_id)
            else:
                buffer += b",%d," % (doc_id - last[key])
            buffer += line[width:].encode("ascii")
            last[key] = doc_id

    def as_json(self) -> dict[str, str]:
        """Key → its postings' JSON list items; the buffers are emptied as they are read (at scale,
        both at once would double the index's memory)."""
        values = {}
        while self.buffers:
            key, buffer = self.buffers.popitem()
            values[key] = buffer.decode("ascii")
        self.last.clear()
        return values


def traditional_to_simplified(indexed: set[str]) -> dict[str, str]:
    """Traditional characters whose simplified form occurs in the index, for queries typed in 繁体.

    OpenCC's t2s tables (Apache-2.0) decide the mapping; only characters that can lead to a hit are
    kept, so the file stays small, and the client loads it only when a query finds nothing.
    """
    table = {}
    for char, simple in _t2s_block():
        if simple != char and len(simple) == 1 and simple in indexed:
            table[char] = simple
    return table


@lru_cache(maxsize=1)
def _t2s_block() -> tuple[tuple[str, str], ...]:
    """Each character of the main CJK block with its simplified form (converted once per process:
    each index of a build needs it)."""
    import opencc

    converter = opencc.OpenCC("t2s")
    chars = [chr(code) for code in range(0x4E00, 0xA000)]
    # One call for the whole block (one per character is slow); newlines keep characters from
    # forming phrases, so each converts on its own.
    simples = converter.convert("\n".join(chars)).split("\n")
    return tuple(zip(chars, simples, strict=True))


def _deltas(positions: list[int]) -> list[int]:
    return [positions[0], *map(int.__sub__, positions[1:], positions)] if positions else []


def _counted(positions: list[int]) -> str:
    """One document's positions of a key as it stores them: their count, then the positions delta-coded."""
    return f"{len(positions)}," + ",".join(map(str, _deltas(positions)))


def postings_of(text: str) -> tuple[str, str]:
    """One folded text's part of the index, as two blobs of lines (see `Postings`): each pair of
    characters, then its positions (JSON: their count, then the positions delta-coded); and each
    character, then its count. Pairs and characters with a space are left out (dropped by key,
    which is much cheaper than testing every position), so no key holds the lines' separator."""
    positions: dict[str, list[int]] = defaultdict(list)
    for pos, pair in enumerate(map(str.__add__, text, text[1:])):
        positions[pair].append(pos)
    pairs = "\n".join(pair + _counted(found) for pair, found in positions.items() if not (pair[0].isspace() or pair[1].isspace()))
    chars = "\n".join(f"{char}{count}" for char, count in sorted(Counter(text).items()) if not char.isspace())
    return pairs, chars


def names_text(doc: SearchDocument) -> tuple[str, int]:
    """A document's text with its aliases as names, and where they end: "title\naliases · body"."""
    title, names = squash(doc.title), squash(" · ".join(doc.aliases))
    text = title + "\n" + squash(" · ".join(part for part in (names, doc.body) if part))
    # squashing the whole keeps the names as they were (else, as for a name ending in a space, none count)
    return text, len(title) + 1 + len(names) if names and text.startswith(names, len(title) + 1) else len(title)


def word_starts_of(text: str) -> str:
    """Where Latin words begin in a folded text: per first character, the key " " + character and
    its positions (coded like a bigram's, as a blob of lines like `postings_of`'s). A space never
    belongs to a bigram key, so these keys share the bigram shards without colliding."""
    positions: dict[str, list[int]] = defaultdict(list)
    for found in _WORD_START.finditer(text):
        positions[found.group()].append(found.start())
    return "\n".join(" " + char + _counted(found) for char, found in positions.items())


def documents_of(files: dict[str, str], directory: str = INDEX_DIR) -> list[dict]:
    """Every document of an index, in order, read back from its packs (for tests and benchmarks)."""
    starts = json.loads(files[f"{directory}/meta.json"])["doc_packs"]
    return [doc for number in range(len(starts)) for doc in json.loads(files[f"{directory}/doc/{number}.json"])]


def bigram_postings(flat: list[int]) -> dict[int, list[int]]:
    """A bigram key's stored postings decoded: document → its positions (for tests and benchmarks;
    the client's `eachPosting` is the same)."""
    decoded, doc, i = {}, 0, 0
    while i < len(flat):
        doc += flat[i]
        count = flat[i + 1]
        deltas = flat[i + 2 : i + 2 + count]
        decoded[doc] = [sum(deltas[: k + 1]) for k in range(count)]
        i += 2 + count
    return decoded


def _pack_starts(entries: list[str]) -> list[int]:
    """The first document of each pack: consecutive documents, about DOC_PACK_BYTES a pack.

    Consecutive documents are neighbouring paragraphs of one plan, which one query tends to hit
    together, so a pack usually serves several results; and a build writes a few hundred files,
    not one per document (file creation dominates writing the index on a slow disk).
    """
    starts, size = [], 0
    for doc_id, entry in enumerate(entries):
        length = len(entry.encode("utf-8")) + 1
        if not starts or size + length > DOC_PACK_BYTES:
            starts.append(doc_id)
            size = 0
        size += length
    return starts


def _shard_count(estimated_bytes: int) -> int:
    """Shards of about TARGET_SHARD_BYTES, from an estimate of the postings' JSON size (serialising
    them once more just to measure took a third of the index's build time)."""
    return max(1, estimated_bytes // TARGET_SHARD_BYTES)


def _meta(docs: list[SearchDocument], texts: list[str], bi_shards: int, uni_shards: int, value_label, facet_label) -> dict:
    """Facet dictionaries and a compact row per document: [title_len, text_len, codes per facet]."""
    values: dict[str, list[str]] = {facet.name: [] for facet in FACETS}
    codes: dict[str, dict[str, int]] = {facet.name: {} for facet in FACETS}
    for doc in docs:
        for facet in FACETS:
            for value in doc.facets.get(facet.name, []):
                if value not in codes[facet.name]:
                    codes[facet.name][value] = len(values[facet.name])
                    values[facet.name].append(value)
    rows = []
    for doc, text in zip(docs, texts):
        title_length = len(squash(doc.title))
        rows.append([title_length, len(text), *[[codes[f.name][v] for v in doc.facets.get(f.name, [])] for f in FACETS]])
    return {
        "version": FORMAT_VERSION,
        "bi_shards": bi_shards,
        "uni_shards": uni_shards,
        "facets": [
            {"name": f.name, "label": facet_label(f), "values": values[f.name], "labels": [value_label(f, v) for v in values[f.name]]}
            for f in FACETS
        ],
        "docs": rows,
    }
